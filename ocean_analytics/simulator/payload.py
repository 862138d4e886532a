"""The JSON objects the simulator answers, built from the fleet and the usage arrays.

Key order follows the documentation's example (alphabetical, as Swagger shows it).
Every total is computed from the same half-hour array, so day totals are the sums
of their half hours and period totals the sums of their days.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np

from .clock import DayGrid, day_grid
from .config import SimulatorConfig
from .fleet import Vehicle, installations
from .scenarios import apply_stuck, stuck_cells
from .silence import recording_bounds, silences_of
from .usage import MAX_SLOTS, N_EQUIPMENT, DayUse, Holidays, day_use

__all__ = ["duree_answer", "duree_payload", "duree_fields", "vehicle_object", "format_day"]


def duree_fields(config: SimulatorConfig) -> tuple[str, ...]:
    """Top-level keys of one element of the duree answer, in answer order."""
    return ("dailyDioUtilisation", "durationSecForAllDio", config.period_key, "vehicle")


def format_day(day: dt.date, day_format: str) -> str:
    """The ``day`` field of the answer: ``dd/MM/yyyy`` or ``yyyy-MM-dd``."""
    return day.strftime("%d/%m/%Y") if day_format == "dd/MM/yyyy" else day.isoformat()


def vehicle_object(vehicle: Vehicle) -> dict[str, Any]:
    """The ``vehicle`` object of the duree answer, with every documented field."""
    return {
        "categorie": vehicle.category,
        "description": vehicle.description,
        "detectionPorteEnabled": False,
        "dioEnabled": vehicle.dio_enabled,
        "dispositifIdentifiant": True,
        "geolocalise": True,
        "geosecuriteEnabled": False,
        "id": vehicle.id,
        "immobilisationCablee": False,
        "libelleTypeAsset": {
            "categorie": vehicle.category,
            "id": vehicle.asset_type_id,
            "libelle": vehicle.asset_type,
            "nomIcone": vehicle.asset_icon,
            "ordre": vehicle.asset_type_id - 10,
        },
        "nomImage": f"{vehicle.asset_icon}.png",
        "odirectMode": "ODIRECT_UNIVERSEL",
        "privacyEnabled": False,
        "suppressionLogique": False,
        "typeMotorisation": vehicle.motorisation,
    }


def duree_answer(
    config: SimulatorConfig, vehicles: Sequence[Vehicle], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """The duree answer for ``vehicles`` from ``start`` to ``end`` (both inclusive).

    Parameters
    ----------
    config : SimulatorConfig
        The settings in force (seed, clock and answer shape).
    vehicles : sequence of Vehicle
        The vehicles asked, in answer order.
    start, end : datetime.date
        First and last day of the period, days on ``config.clock``.

    Returns
    -------
    list of dict
    """
    grids = [day_grid(start + dt.timedelta(days=k), config.clock) for k in range((end - start).days + 1)]
    silences = silences_of(config.silent_boxes, installations(vehicles), config.clock)
    recorded = recording_bounds(silences, [v.id for v in vehicles], grids)
    idle = set(config.idle_vehicles)
    working = [replace(v, dormant=True) if v.id in idle else v for v in vehicles]
    holidays = Holidays(config.holidays, config.holiday_rest_share) if config.holidays else None
    use = day_use(
        config.seed, working, grids, union=config.all_dio == "union", recorded=recorded, holidays=holidays
    )
    apply_stuck(use.seconds, use.union_s, stuck_cells(config.stuck_inputs, vehicles, grids), grids, recorded)
    with _collector_paused():
        return duree_payload(config, vehicles, grids, use, recorded)


_pause_lock = threading.Lock()
_pause_state = {"depth": 0, "was_enabled": False}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building a large answer.

    A 200-vehicle x 92-day answer is ~300,000 small dicts; the collector would scan
    them over and over as they are allocated and double the build time. They hold no
    reference cycle, so nothing is lost. Nested and concurrent pauses are counted;
    the collector is switched back on by the last one out, if it was on.
    """
    with _pause_lock:
        if _pause_state["depth"] == 0:
            _pause_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _pause_state["depth"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause_state["depth"] -= 1
            if _pause_state["depth"] == 0 and _pause_state["was_enabled"]:
                gc.enable()


def duree_payload(
    config: SimulatorConfig,
    vehicles: Sequence[Vehicle],
    grids: Sequence[DayGrid],
    use: DayUse,
    recorded: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    """The answer of ``GET /restapi/dioUtilisation/duree``: one element per vehicle.

    Parameters
    ----------
    config : SimulatorConfig
        Chooses idle days, zero slots, the period key, the all-DIO count and the day format.
    vehicles : sequence of Vehicle
        The vehicles asked, in answer order.
    grids : sequence of DayGrid
        The days of the period (inclusive), on the configured clock.
    use : DayUse
        Their usage, from :func:`~.usage.day_use` (with ``union_s`` when
        ``config.all_dio == "union"``).
    recorded : (lo, hi) of numpy.ndarray, optional
        When the boxes recorded (:func:`~.silence.recording_bounds`): with
        ``silent_days="omitted"``, a day without any recorded second is left out.

    Returns
    -------
    list of dict
        Plain Python objects, ready for ``orjson.dumps``.
    """
    day_totals = use.seconds.sum(axis=3, dtype=np.int64)
    all_dio = use.union_s if config.all_dio == "union" else day_totals.sum(axis=2)
    listed = _listed_days(config, vehicles, len(grids), all_dio)
    if recorded is not None and config.silent_days == "omitted":
        listed = listed & (recorded[1] > recorded[0])
    halves = _half_hours(config, vehicles, grids, use.seconds, listed)
    days = [format_day(g.day, config.day_format) for g in grids]
    day_totals_list, all_dio_list = day_totals.tolist(), all_dio.tolist()
    period_totals = day_totals.sum(axis=1).tolist()
    answer = []
    for i, vehicle in enumerate(vehicles):
        listed_days = np.flatnonzero(listed[i]).tolist()
        day_halves = halves[i * len(grids) : (i + 1) * len(grids)]
        daily = _daily(
            vehicle.equipment,
            days,
            listed_days,
            all_dio=all_dio_list[i],
            totals=day_totals_list[i],
            halves=day_halves,
        )
        answer.append(
            {
                "dailyDioUtilisation": daily,
                "durationSecForAllDio": sum(all_dio_list[i]),
                config.period_key: dict(zip(vehicle.equipment, period_totals[i], strict=False))
                if vehicle.dio_enabled
                else {},
                "vehicle": vehicle_object(vehicle),
            }
        )
    return answer


def _daily(
    labels: tuple[str, ...],
    days: list[str],
    listed: list[int],
    *,
    all_dio: list[int],
    totals: list[list[int]],
    halves: list[list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """``dailyDioUtilisation`` of one vehicle: its listed days, by day index.

    ``all_dio[d]`` is the day's all-DIO seconds, ``totals[d][e]`` the seconds of
    equipment ``e`` and ``halves[d]`` the day's ``usePerHalfHour``.
    """
    return [
        {
            "dailyDurationSecForAllDio": all_dio[d],
            "day": days[d],
            "dayTotalUsePerEquipement": dict(zip(labels, totals[d], strict=False)),
            "usePerHalfHour": halves[d],
        }
        for d in listed
    ]


def _listed_days(
    config: SimulatorConfig, vehicles: Sequence[Vehicle], n_days: int, all_dio: np.ndarray
) -> np.ndarray:
    """(vehicles, days) mask of the days listed in ``dailyDioUtilisation``.

    Vehicles with ``dioEnabled`` false list no day at all; without ``list_idle_days``
    only days with some use are listed.
    """
    enabled = np.array([v.dio_enabled for v in vehicles], dtype=bool).reshape(len(vehicles), 1)
    if config.list_idle_days:
        return np.broadcast_to(enabled, (len(vehicles), n_days))
    return enabled & (all_dio > 0)


def _half_hours(
    config: SimulatorConfig,
    vehicles: Sequence[Vehicle],
    grids: Sequence[DayGrid],
    seconds: np.ndarray,
    listed: np.ndarray,
) -> list[list[dict[str, Any]]]:
    """``usePerHalfHour`` of every vehicle-day, flat (index ``vehicle * n_days + day``).

    Slots are listed in time order, then in equipment order within a slot.
    """
    n_v, n_d = listed.shape
    by_slot = seconds.transpose(0, 1, 3, 2)  # (vehicle, day, slot, equipment)
    if config.list_zero_slots:
        slot_ok = np.arange(MAX_SLOTS)[None, :] < np.array([g.n_slots for g in grids]).reshape(n_d, 1)
        equipment_ok = np.arange(N_EQUIPMENT)[None, :] < np.array(
            [len(v.equipment) for v in vehicles]
        ).reshape(n_v, 1)
        keep = listed[:, :, None, None] & slot_ok[None, :, :, None] & equipment_ok[:, None, None, :]
    else:
        keep = (by_slot > 0) & listed[:, :, None, None]
    v, d, s, e = np.nonzero(keep)
    starts, ends = _slot_labels(grids)
    flat = [
        {"end": end, "libelleEquipement": label, "start": start, "useDuration": value}
        for start, end, label, value in zip(
            starts[d, s].tolist(),
            ends[d, s].tolist(),
            _equipment_labels(vehicles)[v, e].tolist(),
            by_slot[v, d, s, e].tolist(),
            strict=True,
        )
    ]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(v * n_d + d, minlength=n_v * n_d))]).tolist()
    return [flat[bounds[k] : bounds[k + 1]] for k in range(n_v * n_d)]


def _slot_labels(grids: Sequence[DayGrid]) -> tuple[np.ndarray, np.ndarray]:
    """(days, 50) object arrays of the slots' ``HH:mm`` start and end labels."""
    starts = np.full((len(grids), MAX_SLOTS), None, dtype=object)
    ends = np.full((len(grids), MAX_SLOTS), None, dtype=object)
    for d, grid in enumerate(grids):
        starts[d, : grid.n_slots] = grid.starts
        ends[d, : grid.n_slots] = grid.ends
    return starts, ends


def _equipment_labels(vehicles: Sequence[Vehicle]) -> np.ndarray:
    """(vehicles, 3) object array of equipment labels."""
    labels = np.full((len(vehicles), N_EQUIPMENT), None, dtype=object)
    for i, vehicle in enumerate(vehicles):
        labels[i, : len(vehicle.equipment)] = vehicle.equipment
    return labels

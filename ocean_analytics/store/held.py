"""What the store holds for one fetch: which vehicle-days, their rows as frames, and the gaps.

The vehicle-days are kept as one boolean per vehicle and day of the period, so
that a repeated fetch finds "nothing missing" in a few array operations; only
the vehicles with a gap are walked, into runs of consecutive missing days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from .combine import StoredFrames
from .months import cut_month
from .tables import FETCHED_AT, templates, to_frame, vehicles_frame

__all__ = ["Stored", "stored_frames"]

_INT32 = range(-(2**31), 2**31)
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Stored:
    """The stored vehicle-days of a fetch's vehicles and period.

    Attributes
    ----------
    vehicle_ids : list of int
        The fetch's vehicles, in its order.
    first, last : datetime.date
        The period, both days inclusive.
    held : numpy.ndarray
        ``held[k, d]``: the store holds vehicle ``vehicle_ids[k]`` on day ``first + d``.
    frames : StoredFrames or None
        The rows of the held vehicle-days whose vehicle was in the answer; None
        when nothing is held.
    """

    vehicle_ids: list[int]
    first: dt.date
    last: dt.date
    held: np.ndarray
    frames: StoredFrames | None

    @classmethod
    def nothing(cls, vehicle_ids: list[int], first: dt.date, last: dt.date) -> Stored:
        """Nothing held."""
        return cls(
            vehicle_ids, first, last, np.zeros((len(vehicle_ids), (last - first).days + 1), bool), None
        )

    def missing(self) -> dict[tuple[dt.date, dt.date], list[int]]:
        """The vehicle-days not held, as ``{(first, last) of a run of days: vehicles}``.

        Each vehicle's missing days are cut into runs of consecutive days (both
        ends inclusive); vehicles sharing a run are listed together, in order.
        """
        runs: dict[tuple[dt.date, dt.date], list[int]] = {}
        complete, empty = self.held.all(axis=1), ~self.held.any(axis=1)
        for k, vehicle_id in enumerate(self.vehicle_ids):
            if complete[k]:
                continue
            if empty[k]:
                runs.setdefault((self.first, self.last), []).append(vehicle_id)
                continue
            edges = np.diff(np.r_[0, (~self.held[k]).astype(np.int8), 0])
            for begin, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True):
                run = (self.first + dt.timedelta(days=int(begin)), self.first + dt.timedelta(days=int(end)))
                runs.setdefault(run, []).append(vehicle_id)
        return runs


def stored_frames(
    months: list[dict[str, pa.Table]],
    vehicle_ids: list[int],
    first: dt.date,
    last: dt.date,
    *,
    stop: dt.date,
    api_tz: str,
) -> Stored:
    """The :class:`Stored` of checked months, cut to these vehicles from ``first`` to ``stop``.

    Parameters
    ----------
    months : list of dict of pyarrow.Table
        The tables of each stored month (as :func:`~ocean_analytics.store.months.read_month` gives them).
    vehicle_ids : list of int
        The fetch's vehicles.
    first, last : datetime.date
        The fetch's period.
    stop : datetime.date
        The last day that may be held (the day before today, or ``last``).
    api_tz : str
        The clock of the days.
    """
    stored = Stored.nothing(vehicle_ids, first, last)
    value_set = pa.array([v for v in vehicle_ids if v in _INT32], pa.int32())
    cut = [cut_month(tables, value_set, first, stop) for tables in months]
    cut = [tables for tables in cut if len(tables["asked"])]
    if not cut:
        return stored
    joined = {
        name: pa.concat_tables([tables[name] for tables in cut])
        for name in ("asked", "daily", "half_hours", "vehicle_days")
    }
    asked = joined["asked"]
    vehicles = asked["vehicle_id"].to_numpy()
    days = asked["date"].cast(pa.int32()).to_numpy() - (first - _EPOCH).days
    ids = np.array(vehicle_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    stored.held[order[np.searchsorted(ids[order], vehicles)], days] = True
    answered = asked["in_answer"].to_numpy(zero_copy_only=False)
    template = templates(api_tz)
    frames = StoredFrames(
        days=pd.DataFrame(
            {
                "vehicle_id": vehicles[answered],
                "date": (np.datetime64(first, "D") + days[answered]).astype("datetime64[ns]"),
                "ambiguous_slots": asked["ambiguous_slots"].to_numpy()[answered].astype(np.int64),
            }
        ),
        daily=to_frame(joined["daily"], template["daily"]),
        half_hours=to_frame(joined["half_hours"], template["half_hours"]),
        vehicle_days=to_frame(joined["vehicle_days"], template["vehicle_days"]),
        vehicles=_latest_vehicles(
            [tables["vehicles"] for tables in cut], vehicles[answered], template["vehicles"]
        ),
    )
    return Stored(vehicle_ids, first, last, stored.held, frames)


def _latest_vehicles(tables: list[pa.Table], answered: np.ndarray, template: pd.DataFrame) -> pd.DataFrame:
    """One row per answered vehicle: its most recently fetched stored row, by id, no ``fetched_at``."""
    if all(table.schema.equals(tables[0].schema) for table in tables):
        rows = vehicles_frame(pa.concat_tables(tables), template)
    else:
        rows = pd.concat([vehicles_frame(table, template) for table in tables], ignore_index=True)
    rows = rows[rows["vehicle_id"].isin(answered)].sort_values(FETCHED_AT, kind="stable")
    latest = rows.drop_duplicates("vehicle_id", keep="last").sort_values("vehicle_id", ignore_index=True)
    return latest.drop(columns=FETCHED_AT)

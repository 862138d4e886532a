"""The rows a save keeps of a fresh parse: the vehicle-days its requests asked, cut by month.

A fresh parse covers the fetch's whole period, so its frames also hold zero
rows for days it did not ask (kept in the store already, or after the last
request): only the asked vehicle-days before today are kept. A vehicle counts
as answered on every day the fetch asked it when the parse holds it at all
(it is in the frames with zeros on those days, as a fresh fetch shows it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..usage import Usage
from .layout import MONTHLY, months_between
from .tables import ASKED, lone_slots, long_days, to_table, vehicles_table

__all__ = ["fresh_months"]

_EPOCH = dt.date(1970, 1, 1)
_DAY_BITS = 21
_EPOCH_SHIFT = 2**20
_NS_PER_DAY = 86_400 * 10**9


def fresh_months(
    fresh: Usage,
    asked: list[tuple[Sequence[int], dt.date, dt.date]],
    before: dt.date,
    fetched_at: dt.datetime,
) -> tuple[dict[dt.date, dict[str, pa.Table]], bool]:
    """The tables of :data:`~ocean_analytics.store.layout.MONTHLY` a save writes, per month.

    Parameters
    ----------
    fresh : Usage
        The parse of the answers.
    asked : list of (vehicle ids, first day, last day)
        The requests answered, both days inclusive.
    before : datetime.date
        Today on ``api_tz``: it and later days are never kept.
    fetched_at : datetime.datetime
        When (UTC).

    Returns
    -------
    dict
        ``{first day of a month: {dataset: table}}``, rows in the frames' order; a
        month's ``vehicles`` are the vehicles answered on its days.
    bool
        False when asked days are left out: autumn-change days whose lone repeated
        slots cannot be placed on a vehicle-day (see :func:`~.tables.lone_slots`).

    Raises
    ------
    pyarrow.ArrowException
        When a column of ``vehicles`` has no Parquet type (values of mixed types).
    """
    stop = min(fresh.end, before - dt.timedelta(days=1))
    asked_rows, complete = _asked(fresh, asked, stop)
    if not len(asked_rows):
        return {}, complete
    days = _day_numbers(asked_rows["date"])
    months = months_between(*(_EPOCH + dt.timedelta(days=int(n)) for n in (days.min(), days.max())))
    bounds = np.array([(month - _EPOCH).days for month in months[1:]], dtype=np.int64)
    answered = _keys(asked_rows["vehicle_id"], asked_rows["date"])[asked_rows["in_answer"].to_numpy()]
    whole_grid = len(answered) == fresh.vehicles["vehicle_id"].nunique() * ((stop - fresh.start).days + 1)
    pieces = {"asked": _asked_table(asked_rows, fetched_at)}
    numbers = {"asked": np.searchsorted(bounds, days, side="right")}
    for name in ("daily", "half_hours", "vehicle_days"):
        frame = getattr(fresh, name)
        row_days = _day_numbers(frame["date"])
        if whole_grid:  # every vehicle-day of the parse up to stop was asked
            keep = row_days <= (stop - _EPOCH).days
        else:
            keep = np.isin(_keys(frame["vehicle_id"], frame["date"]), answered)
        pieces[name] = frame  # cut by pandas, then converted: faster inside a fetch (bench/README.md)
        numbers[name] = np.where(keep, np.searchsorted(bounds, row_days, side="right"), -1)
    vehicles = vehicles_table(fresh.vehicles, fetched_at)
    split = {}
    for number, month in enumerate(months):
        parts = {name: _rows_of(pieces[name], numbers[name] == number) for name in MONTHLY[:-1]}
        if not len(parts["asked"]):
            continue
        in_month = parts["asked"].filter(parts["asked"]["in_answer"])["vehicle_id"]
        parts["vehicles"] = vehicles.filter(pc.is_in(vehicles["vehicle_id"], in_month))
        split[month] = parts
    return split, complete


def _rows_of(rows: pd.DataFrame | pa.Table, wanted: np.ndarray) -> pa.Table:
    """The wanted rows of a frame (as stored) or a table, in their order."""
    if isinstance(rows, pa.Table):
        return rows if wanted.all() else rows.filter(pa.array(wanted))
    return to_table(rows if wanted.all() else rows.take(np.flatnonzero(wanted)))


def _asked_table(rows: pd.DataFrame, fetched_at: dt.datetime) -> pa.Table:
    """The ``asked`` rows as stored (:data:`~ocean_analytics.store.tables.ASKED`)."""
    columns = {
        "vehicle_id": pa.array(rows["vehicle_id"].to_numpy(), pa.int32()),
        "date": pc.cast(pa.array(rows["date"].to_numpy()), pa.date32()),
        "in_answer": pa.array(rows["in_answer"].to_numpy()),
        "ambiguous_slots": pa.array(rows["ambiguous_slots"].to_numpy(), pa.int32()),
        "fetched_at": pa.repeat(pa.scalar(fetched_at, ASKED.field("fetched_at").type), len(rows)),
    }
    return pa.table(columns, schema=ASKED)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970 of a column of midnights (by integer division: numpy's cast to days
    takes several times as long)."""
    return dates.to_numpy("datetime64[ns]").view(np.int64) // _NS_PER_DAY


def _asked(
    fresh: Usage, asked: list[tuple[Sequence[int], dt.date, dt.date]], stop: dt.date
) -> tuple[pd.DataFrame, bool]:
    """One row per asked vehicle-day up to ``stop``, by vehicle and day: ``vehicle_id``, ``date``,
    ``in_answer``, ``ambiguous_slots`` (see :data:`.tables.ASKED`); False when the autumn days had
    to be left out."""
    vehicles, days = [], []
    for ids, asked_first, asked_last in asked:
        begin, end = max(asked_first, fresh.start), min(asked_last, stop)
        if begin > end:
            continue
        span = np.arange(np.datetime64(begin, "D"), np.datetime64(end, "D") + 1)
        vehicles.append(np.repeat(np.asarray(ids, dtype=np.int64), len(span)))
        days.append(np.tile(span, len(ids)))
    vehicle = np.concatenate(vehicles) if vehicles else np.zeros(0, np.int64)
    day = np.concatenate(days) if days else np.zeros(0, "datetime64[D]")
    _, unique = np.unique(_keys(vehicle, day), return_index=True)
    rows = pd.DataFrame(
        {"vehicle_id": vehicle[unique].astype(np.int32), "date": day[unique].astype("datetime64[ns]")}
    )
    rows["in_answer"] = rows["vehicle_id"].isin(fresh.vehicles["vehicle_id"])
    lone = lone_slots(fresh.half_hours, fresh.ambiguous_slots)
    complete = lone is not None
    if lone is None:  # cannot tell which vehicle-day holds them: the autumn days are not kept
        rows = rows[~rows["date"].isin(long_days(rows["date"].unique(), fresh.api_tz))]
        lone = lone_slots(fresh.half_hours.iloc[:0], 0)
    rows = rows.reset_index(drop=True)
    rows["ambiguous_slots"] = 0
    if len(lone):
        counts = lone.set_index(["vehicle_id", "date"])["ambiguous_slots"]
        found = pd.MultiIndex.from_frame(rows[["vehicle_id", "date"]])
        rows["ambiguous_slots"] = counts.reindex(found).fillna(0).to_numpy(np.int64)
    return rows, complete


def _keys(vehicles: object, dates: object) -> np.ndarray:
    """One int64 per vehicle-day, in vehicle then day order."""
    days = np.asarray(dates).astype("datetime64[D]").astype(np.int64)
    return (np.asarray(vehicles).astype(np.int64) << _DAY_BITS) | (days + _EPOCH_SHIFT)

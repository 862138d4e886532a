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
from .layout import MONTHLY
from .tables import ASKED, lone_slots, long_days, to_table, vehicles_table

__all__ = ["fresh_tables", "split_by_month"]

_DAY_BITS = 21
_EPOCH_SHIFT = 2**20


def fresh_tables(
    fresh: Usage,
    asked: list[tuple[Sequence[int], dt.date, dt.date]],
    before: dt.date,
    fetched_at: dt.datetime,
) -> dict[str, pa.Table]:
    """The tables of :data:`~ocean_analytics.store.layout.MONTHLY` a save writes, all months together.

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

    Raises
    ------
    pyarrow.ArrowException
        When a column of ``vehicles`` has no Parquet type (values of mixed types).
    """
    stop = min(fresh.end, before - dt.timedelta(days=1))
    asked_rows = _asked(fresh, asked, stop)
    answered = _keys(asked_rows["vehicle_id"], asked_rows["date"])[asked_rows["in_answer"].to_numpy()]
    tables = {
        "asked": pa.table(
            {
                "vehicle_id": pa.array(asked_rows["vehicle_id"].to_numpy(), pa.int32()),
                "date": pc.cast(pa.array(asked_rows["date"].to_numpy()), pa.date32()),
                "in_answer": pa.array(asked_rows["in_answer"].to_numpy()),
                "ambiguous_slots": pa.array(asked_rows["ambiguous_slots"].to_numpy(), pa.int32()),
                "fetched_at": pa.array([fetched_at] * len(asked_rows), ASKED.field("fetched_at").type),
            },
            schema=ASKED,
        )
    }
    whole_grid = len(answered) == fresh.vehicles["vehicle_id"].nunique() * ((stop - fresh.start).days + 1)
    for name in ("daily", "half_hours", "vehicle_days"):
        frame = getattr(fresh, name)
        if whole_grid:  # every vehicle-day of the parse up to stop was asked
            keep = frame["date"].to_numpy() <= np.datetime64(stop)
        else:
            keep = np.isin(_keys(frame["vehicle_id"], frame["date"]), answered)
        tables[name] = to_table(frame if keep.all() else frame[keep])
    vehicles = fresh.vehicles[fresh.vehicles["vehicle_id"].isin(np.unique(answered >> _DAY_BITS))]
    tables["vehicles"] = vehicles_table(vehicles.reset_index(drop=True), fetched_at)
    return tables


def split_by_month(tables: dict[str, pa.Table]) -> dict[dt.date, dict[str, pa.Table]]:
    """``{first day of a month: its tables}``; a month's ``vehicles`` are those answered in its ``asked``."""
    months: dict[dt.date, dict[str, pa.Table]] = {}
    asked = tables["asked"]
    of_asked = _months(asked)
    for month in np.unique(of_asked):
        day = month.astype("datetime64[D]").astype(dt.date)
        parts = {}
        for name in MONTHLY[:-1]:
            table = tables[name]
            of_rows = of_asked if name == "asked" else _months(table)
            parts[name] = table if len(np.unique(of_asked)) == 1 else table.filter(pa.array(of_rows == month))
        answered = parts["asked"].filter(parts["asked"]["in_answer"])["vehicle_id"]
        vehicles = tables["vehicles"]
        parts["vehicles"] = vehicles.filter(pc.is_in(vehicles["vehicle_id"], value_set=answered.unique()))
        months[day] = parts
    return months


def _asked(fresh: Usage, asked: list[tuple[Sequence[int], dt.date, dt.date]], stop: dt.date) -> pd.DataFrame:
    """One row per asked vehicle-day up to ``stop``, by vehicle and day: ``vehicle_id``, ``date``,
    ``in_answer``, ``ambiguous_slots`` (see :data:`.tables.ASKED`)."""
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
    if lone is None:  # cannot tell which vehicle-day holds them: the autumn days are not kept
        rows = rows[~rows["date"].isin(long_days(rows["date"].unique(), fresh.api_tz))]
        lone = lone_slots(fresh.half_hours.iloc[:0], 0)
    rows = rows.reset_index(drop=True)
    rows["ambiguous_slots"] = 0
    if len(lone):
        counts = lone.set_index(["vehicle_id", "date"])["ambiguous_slots"]
        found = pd.MultiIndex.from_frame(rows[["vehicle_id", "date"]])
        rows["ambiguous_slots"] = counts.reindex(found).fillna(0).to_numpy(np.int64)
    return rows


def _keys(vehicles: object, dates: object) -> np.ndarray:
    """One int64 per vehicle-day, in vehicle then day order."""
    days = np.asarray(dates).astype("datetime64[D]").astype(np.int64)
    return (np.asarray(vehicles).astype(np.int64) << _DAY_BITS) | (days + _EPOCH_SHIFT)


def _months(table: pa.Table) -> np.ndarray:
    """The month (``datetime64[M]``) of each row's ``date``."""
    return table["date"].to_numpy().astype("datetime64[M]")

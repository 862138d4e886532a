"""Checks of one stored month before any of it is used: a file that fails is treated as damaged.

A file can be readable (checksums right) and still hold what no save writes: a
foreign schema, a null, a repeated or misplaced row, a value out of range, or
rows of a vehicle-day that ``asked`` does not hold. Everything a combined
frame relies on is checked here, with array operations only, so that stored
rows either pass or make their month be fetched again (never a wrong frame,
never an error that blames the server).

What a save writes, and these checks demand:

* the five files of the month carry one generation (:mod:`.files`);
* each has its schema (``vehicles``: the fixed columns first, ``fetched_at`` last);
* no nulls but in the extra columns of ``vehicles``;
* ``asked`` and ``vehicle_days`` sorted by vehicle and date, ``daily`` by
  vehicle, date and label, ``half_hours`` by vehicle, start and label,
  ``vehicles`` by id, each without repeats; every date in the month;
* ``vehicle_days`` holds exactly the vehicle-days of ``asked`` whose vehicle was
  in the answer, ``daily`` and ``half_hours`` no others, ``vehicles`` each of
  their vehicles;
* seconds >= 0, a half hour's ``use_s`` in 1..1800, its ``end`` 30 minutes after
  its ``start``, and its ``start`` within the day of its ``date`` (give or take
  the widest UTC offsets).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .files import generation
from .tables import ASKED, FETCHED_AT, label_codes

__all__ = ["DamagedFile", "check_month"]

_SLOT_US = 1_800_000_000
_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000
_DAY_BITS = 21
_EPOCH_SHIFT = 2**20


class DamagedFile(ValueError):
    """A stored file holds what no save writes.

    Parameters
    ----------
    dataset : str
        The dataset whose file it is.
    reason : str
        What is wrong.
    """

    def __init__(self, dataset: str, reason: str) -> None:
        super().__init__(reason)
        self.dataset = dataset


def check_month(tables: dict[str, pa.Table], schemas: dict[str, pa.Schema], month: dt.date) -> None:
    """Check the five tables of one stored month (see the module's docstring).

    Parameters
    ----------
    tables : dict of pyarrow.Table
        ``{dataset: table}`` as read.
    schemas : dict of pyarrow.Schema
        The schema of each dataset (for ``vehicles``, its fixed columns).
    month : datetime.date
        The first day of the month.

    Raises
    ------
    DamagedFile
        Naming the dataset of the first file that fails.
    """
    if len({generation(table) for table in tables.values()} | {None}) != 2:
        raise DamagedFile("asked", "the month's files come from different saves")
    for name, table in tables.items():
        _check_schema(name, table.schema, schemas[name])
        required = [FETCHED_AT, "vehicle_id"] if name == "vehicles" else table.column_names
        if any(table[column].null_count for column in required):
            raise DamagedFile(name, "it holds a missing value")
    asked = tables["asked"]
    days = _ints(asked["date"])
    first, stop = _day_number(month), _day_number((month + dt.timedelta(days=32)).replace(day=1))
    if len(days) and (days.min() < first or days.max() >= stop):
        raise DamagedFile("asked", f"it holds a day outside {month:%Y-%m}")
    vehicles = _ints(asked["vehicle_id"])
    _check_order("asked", vehicles, days)
    answered = _vehicle_days(vehicles, days)[asked["in_answer"].to_numpy(zero_copy_only=False)]
    _check_values(tables, answered)
    _check_vehicles(tables["vehicles"], answered)


def _check_schema(name: str, schema: pa.Schema, expected: pa.Schema) -> None:
    if name == "vehicles":
        fixed = pa.schema(list(schema)[: len(expected)])
        if (
            not fixed.equals(expected)
            or schema.names[-1] != FETCHED_AT
            or schema.field(FETCHED_AT).type != ASKED.field(FETCHED_AT).type
        ):
            raise DamagedFile(
                name, f"its columns are {_described(schema)}, not {_described(expected)}, ..., {FETCHED_AT}"
            )
    elif not pa.schema(list(schema)).equals(expected):
        raise DamagedFile(name, f"its columns are {_described(schema)}, not {_described(expected)}")


def _described(schema: pa.Schema) -> str:
    return ", ".join(f"{field.name} {field.type}" for field in schema)


def _check_values(tables: dict[str, pa.Table], answered: np.ndarray) -> None:
    """Rows of ``vehicle_days``, ``daily`` and ``half_hours``: order, vehicle-days and ranges."""
    for name in ("vehicle_days", "daily", "half_hours"):
        table = tables[name]
        for column, kind in zip(table.column_names, table.schema.types, strict=True):
            if (
                pa.types.is_integer(kind)
                and column != "vehicle_id"
                and len(table)
                and pc.min(table[column]).as_py() < 0
            ):
                raise DamagedFile(name, f"{column} holds a negative number")
    days = tables["vehicle_days"]
    held = _vehicle_days(_ints(days["vehicle_id"]), _ints(days["date"]))
    _check_order("vehicle_days", _ints(days["vehicle_id"]), _ints(days["date"]))
    if not np.array_equal(held, answered):
        raise DamagedFile("vehicle_days", "its vehicle-days are not those of the vehicles answered in asked")
    daily = tables["daily"]
    vehicles, dates = _ints(daily["vehicle_id"]), _ints(daily["date"])
    _check_order("daily", vehicles, dates, label_codes(daily["equipment"])[1])
    _check_within("daily", _vehicle_days(vehicles, dates), answered)
    _check_half_hours(tables["half_hours"], answered)


def _check_half_hours(table: pa.Table, answered: np.ndarray) -> None:
    vehicles, dates = _ints(table["vehicle_id"]), _ints(table["date"])
    starts, ends = _ints(table["start"]), _ints(table["end"])
    _check_order("half_hours", vehicles, starts, label_codes(table["equipment"])[1])
    _check_within("half_hours", _vehicle_days(vehicles, dates), answered)
    if not len(table):
        return
    use = pc.min_max(table["use_s"]).as_py()
    if use["min"] < 1 or use["max"] > _SLOT_US // 1_000_000:
        raise DamagedFile("half_hours", "a use_s is outside 1..1800")
    if np.any(ends - starts != _SLOT_US):
        raise DamagedFile("half_hours", "a half hour does not end 30 minutes after its start")
    offset = starts - dates * _DAY_US
    if offset.min() < -15 * _HOUR_US or offset.max() >= _DAY_US + 15 * _HOUR_US:
        raise DamagedFile("half_hours", "a half hour starts outside the day of its date")


def _check_vehicles(table: pa.Table, answered: np.ndarray) -> None:
    ids = _ints(table["vehicle_id"])
    _check_order("vehicles", ids)
    needed = np.unique(answered >> _DAY_BITS)
    if not np.isin(needed, ids).all():
        raise DamagedFile("vehicles", "a vehicle answered in asked has no row")


def _check_order(name: str, *keys: np.ndarray) -> None:
    """Rows strictly increasing in ``keys`` (the first most significant): sorted, no repeats."""
    if len(keys[0]) < 2:
        return
    greater = np.zeros(len(keys[0]) - 1, dtype=bool)
    equal = np.ones(len(keys[0]) - 1, dtype=bool)
    for key in keys:
        step = np.diff(key)
        greater |= equal & (step > 0)
        equal &= step == 0
    if not greater.all():
        raise DamagedFile(name, "its rows are out of order or repeated")


def _check_within(name: str, vehicle_days: np.ndarray, answered: np.ndarray) -> None:
    """Every vehicle-day of the rows (sorted) is one of ``answered`` (sorted)."""
    held = (
        vehicle_days[np.r_[True, vehicle_days[1:] != vehicle_days[:-1]]]
        if len(vehicle_days)
        else vehicle_days
    )
    found = np.searchsorted(answered, held)
    if len(held) and (found.max() >= len(answered) or not np.array_equal(answered[found], held)):
        raise DamagedFile(name, "it holds rows of a vehicle-day that asked does not hold as answered")


def _vehicle_days(vehicles: np.ndarray, days: np.ndarray) -> np.ndarray:
    """One int64 per vehicle-day, in the order of vehicle then day."""
    return (vehicles << _DAY_BITS) | (days + _EPOCH_SHIFT)


def _ints(column: pa.ChunkedArray) -> np.ndarray:
    """A column of integers, dates (days since 1970) or timestamps (their unit) as int64."""
    kind = column.type
    if pa.types.is_date32(kind):
        column = column.cast(pa.int32())
    elif pa.types.is_timestamp(kind):
        column = column.cast(pa.int64())
    return column.to_numpy().astype(np.int64, copy=False)


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days

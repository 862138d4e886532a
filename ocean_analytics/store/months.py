"""One stored month: its five tables read and checked, cut to a fetch's vehicle-days, or merged
with fresh rows before it is written again.

The rows of a month are sorted as :mod:`.checks` demands; a merge drops the
stored rows of every vehicle-day (and vehicle) the fresh rows bring, so that a
vehicle-day is only ever held as one fetch gave it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .checks import DamagedFile, check_month
from .files import read_table
from .layout import MONTHLY
from .tables import FETCHED_AT, label_codes, vehicles_table

__all__ = ["MonthUnreadable", "read_month", "cut_month", "merge_month", "vehicle_day_keys"]

_LABELLED = {"daily": ("vehicle_id", "date", "equipment"), "half_hours": ("vehicle_id", "start", "equipment")}
_KEYS = {"asked": ("vehicle_id", "date"), "vehicle_days": ("vehicle_id", "date"), **_LABELLED}


class MonthUnreadable(Exception):
    """A stored month cannot be used: the file at ``path`` is unreadable or damaged.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    reason : str
        Why, in a few words.
    """

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def read_month(
    files: dict[str, object], schemas: dict[str, pa.Schema], month: dt.date
) -> dict[str, pa.Table] | None:
    """The checked tables of one month; None when nothing is stored for it.

    Parameters
    ----------
    files : dict
        ``{dataset: path}`` of the month (:meth:`.layout.Partition.month_files`).
    schemas : dict of pyarrow.Schema
        As :func:`~ocean_analytics.store.checks.check_month` takes them.
    month : datetime.date
        Its first day.

    Raises
    ------
    MonthUnreadable
        When a file is missing beside the others, unreadable or damaged.
    """
    tables = {}
    for dataset in MONTHLY:
        path = files[dataset]
        try:
            tables[dataset] = read_table(path, ["equipment"] if dataset in _LABELLED else None)
        except FileNotFoundError:
            if dataset == "asked":
                return None
            raise MonthUnreadable(path, "it is missing beside the other files of its month") from None
        except (OSError, ValueError, pa.ArrowException) as err:
            raise MonthUnreadable(path, f"unreadable, {type(err).__name__}: {err}") from None
    try:
        check_month(tables, schemas, month)
    except DamagedFile as damage:
        raise MonthUnreadable(files[damage.dataset], f"damaged: {damage}") from None
    return tables


def cut_month(
    tables: dict[str, pa.Table], vehicle_ids: pa.Array, first: dt.date, last: dt.date
) -> dict[str, pa.Table]:
    """The rows of these vehicles from ``first`` to ``last`` (``vehicles``: of these vehicles)."""
    asked = tables["asked"]
    wanted = pc.is_in(asked["vehicle_id"], value_set=vehicle_ids)
    inside = pc.and_(
        pc.greater_equal(asked["date"], pa.scalar(first, pa.date32())),
        pc.less_equal(asked["date"], pa.scalar(last, pa.date32())),
    )
    if pc.all(pc.and_(wanted, inside)).as_py() is not False:
        return tables
    cut = {}
    for dataset, table in tables.items():
        keep = pc.is_in(table["vehicle_id"], value_set=vehicle_ids)
        if dataset != "vehicles":
            keep = pc.and_(
                keep,
                pc.and_(
                    pc.greater_equal(table["date"], pa.scalar(first, pa.date32())),
                    pc.less_equal(table["date"], pa.scalar(last, pa.date32())),
                ),
            )
        cut[dataset] = table.filter(keep)
    return cut


def merge_month(stored: dict[str, pa.Table] | None, fresh: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """A month's tables after a save: the stored rows of other vehicle-days and vehicles, then the
    fresh rows, sorted; labels dictionary-encoded in sorted order."""
    if stored is None:  # a fresh parse's rows are in the frames' order: the order the checks demand
        return fresh
    replaced = vehicle_day_keys(fresh["asked"])
    merged = {}
    for dataset in MONTHLY:
        if dataset == "vehicles":
            merged[dataset] = _merged_vehicles(stored[dataset], fresh[dataset])
            continue
        old = stored[dataset]
        old = old.filter(pa.array(~np.isin(vehicle_day_keys(old), replaced)))
        merged[dataset] = _sorted(dataset, _concat(old, fresh[dataset]))
    return merged


def vehicle_day_keys(table: pa.Table) -> np.ndarray:
    """One int64 per row naming its vehicle and date."""
    days = table["date"].cast(pa.int32()).to_numpy().astype(np.int64)
    return (table["vehicle_id"].to_numpy().astype(np.int64) << 21) | (days + 2**20)


def _concat(old: pa.Table, new: pa.Table) -> pa.Table:
    """Two tables of one schema; a labels column gets one sorted dictionary."""
    if "equipment" not in old.column_names:
        return pa.concat_tables([old, new.cast(old.schema)])
    labels, codes = label_codes(pa.chunked_array(old["equipment"].chunks + new["equipment"].chunks))
    equipment = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(labels, pa.string()))
    rest = old.drop_columns("equipment")
    both = pa.concat_tables([rest, new.drop_columns("equipment").cast(rest.schema)])
    return both.add_column(old.column_names.index("equipment"), "equipment", equipment)


def _sorted(dataset: str, table: pa.Table) -> pa.Table:
    """The rows in the order the checks demand (unchanged when already in it)."""
    if dataset == "vehicles":
        return table.sort_by("vehicle_id")
    keys = []
    for name in reversed(_KEYS[dataset]):
        if name == "equipment":
            keys.append(label_codes(table[name])[1])
        else:
            column = table[name]
            keys.append(
                column.cast(pa.int64() if pa.types.is_timestamp(column.type) else pa.int32()).to_numpy()
            )
    if _ascending(keys[::-1]):
        return table
    return table.take(pa.array(np.lexsort(keys)))


def _ascending(keys: list[np.ndarray]) -> bool:
    """True when rows are in order of ``keys`` (the first most significant), repeats allowed."""
    if len(keys[0]) < 2:
        return True
    greater = np.zeros(len(keys[0]) - 1, dtype=bool)
    equal = np.ones(len(keys[0]) - 1, dtype=bool)
    for key in keys:
        step = np.diff(key.astype(np.int64))
        greater |= equal & (step > 0)
        equal &= step == 0
    return bool((greater | equal).all())


def _merged_vehicles(stored: pa.Table, fresh: pa.Table) -> pa.Table:
    """The stored rows of the vehicles not in ``fresh``, then ``fresh``'s, by id."""
    kept = stored.filter(pc.invert(pc.is_in(stored["vehicle_id"], value_set=fresh["vehicle_id"])))
    if not len(kept):
        return fresh
    both = pd.concat([kept.to_pandas(), fresh.to_pandas()], ignore_index=True).sort_values(
        "vehicle_id", ignore_index=True
    )
    fetched_at = both.pop(FETCHED_AT)
    return vehicles_table(both, fetched_at)

"""Frames as the store's Arrow tables, and back, with types every Parquet engine reads.

A frame is stored with its own columns, in its own order: ``date`` (midnight of
the API's day) as a Parquet DATE, ``start``/``end`` as timestamps in
microseconds adjusted to UTC (Spark reads no nanoseconds; the zone stays in the
Arrow schema), ``equipment`` dictionary-encoded with its labels sorted, and
integers and booleans as they are. The ``vehicles`` dataset keeps pandas'
metadata too, for the nullable dtypes of the vehicle object's extra fields,
and adds ``fetched_at``. :data:`ASKED` is the store's own record of every
vehicle-day it holds.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..frames import DAILY, VEHICLE_DAYS, VEHICLES, empty_frame, half_hours_schema

__all__ = [
    "ASKED",
    "FETCHED_AT",
    "templates",
    "schemas",
    "stored_schema",
    "to_table",
    "to_frame",
    "vehicles_table",
    "vehicles_frame",
    "lone_slots",
    "long_days",
    "label_codes",
]

FETCHED_AT = "fetched_at"
ASKED = pa.schema(
    [
        ("vehicle_id", pa.int32()),
        ("date", pa.date32()),
        ("in_answer", pa.bool_()),
        ("ambiguous_slots", pa.int32()),
        (FETCHED_AT, pa.timestamp("us", tz="UTC")),
    ]
)
"""One row per stored vehicle-day: whether the answer held the vehicle, its half hours on a
repeated autumn slot listed once (:attr:`Usage.ambiguous_slots`), and when it was fetched (UTC)."""

_LABELS = pa.dictionary(pa.int32(), pa.string())


@functools.lru_cache(maxsize=16)
def templates(api_tz: str) -> dict[str, pd.DataFrame]:
    """Empty frames of the stored datasets' columns and dtypes (:mod:`ocean_analytics.frames`), on
    ``api_tz``; shared, to be read only."""
    return {
        "daily": empty_frame(DAILY),
        "half_hours": empty_frame(half_hours_schema(api_tz)),
        "vehicle_days": empty_frame(VEHICLE_DAYS),
        "vehicles": empty_frame(VEHICLES),
    }


@functools.lru_cache(maxsize=16)
def schemas(api_tz: str) -> dict[str, pa.Schema]:
    """The Arrow schema of each dataset of a month on ``api_tz`` (``vehicles``: its fixed columns)."""
    frames = templates(api_tz)
    found = {
        "asked": ASKED,
        **{name: stored_schema(frames[name]) for name in ("daily", "half_hours", "vehicle_days")},
    }
    found["vehicles"] = pa.Schema.from_pandas(frames["vehicles"], preserve_index=False).remove_metadata()
    return found


def stored_schema(template: pd.DataFrame) -> pa.Schema:
    """The Arrow schema a frame of ``template``'s columns and dtypes is read back with."""
    fields = [
        pa.field(f.name, pa.timestamp("us", tz=f.type.tz)) if pa.types.is_timestamp(f.type) else f
        for f in to_table(template.iloc[:0]).schema
    ]
    return pa.schema(fields)


def to_table(frame: pd.DataFrame) -> pa.Table:
    """A frame (not ``vehicles``) as stored: see the module's docstring.

    Raises
    ------
    pyarrow.ArrowException
        For a column with no Arrow type.
    """
    columns = []
    for name, dtype in frame.dtypes.items():
        column = frame[name]
        if isinstance(dtype, pd.CategoricalDtype):
            array = pa.DictionaryArray.from_arrays(
                pa.array(column.cat.codes.to_numpy(), pa.int32()),
                pa.array(list(map(str, dtype.categories)), pa.string()),
            )
        elif isinstance(dtype, pd.DatetimeTZDtype):  # nanoseconds: the writer stores microseconds
            array = pa.array(column.array.asi8, pa.timestamp(dtype.unit, tz=str(dtype.tz)))
        elif dtype.kind == "M":
            array = pc.cast(pa.array(column.to_numpy()), pa.date32())
        else:
            array = pa.array(column.to_numpy())
        columns.append(array)
    return pa.Table.from_arrays(columns, names=[str(name) for name in frame.columns])


def to_frame(table: pa.Table, template: pd.DataFrame) -> pd.DataFrame:
    """A stored table as a frame of ``template``'s columns and dtypes (categories as stored)."""
    columns = {}
    for name, dtype in template.dtypes.items():
        column = table[name]
        if isinstance(dtype, pd.CategoricalDtype):
            labels, codes = label_codes(column)
            columns[name] = pd.Categorical.from_codes(
                codes, dtype=pd.CategoricalDtype(pd.Index(labels, dtype=dtype.categories.dtype))
            )
        elif isinstance(dtype, pd.DatetimeTZDtype):
            columns[name] = pc.cast(column, pa.timestamp("ns", tz=str(dtype.tz))).to_pandas()
        elif dtype.kind == "M":
            columns[name] = pc.cast(column, pa.timestamp("ns")).to_pandas()
        else:
            columns[name] = column.to_pandas()
    frame = pd.DataFrame(columns)
    return frame.astype(
        {name: dtype for name, dtype in template.dtypes.items() if not isinstance(dtype, pd.CategoricalDtype)}
    )


def label_codes(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """The sorted labels of a dictionary column without nulls, and each row's position in them.

    Each chunk (row group) may have its own dictionary; only those small
    dictionaries are compared as strings.
    """
    chunks = column.chunks
    labels = sorted({label for chunk in chunks for label in chunk.dictionary.to_pylist()})
    sorted_labels = np.array(labels, dtype=object)
    codes = [
        np.searchsorted(sorted_labels, np.array(chunk.dictionary.to_pylist(), dtype=object))[
            chunk.indices.to_numpy()
        ]
        for chunk in chunks
    ]
    return labels, (np.concatenate(codes) if codes else np.zeros(0, np.int64)).astype(np.int64)


def vehicles_table(vehicles: pd.DataFrame, fetched_at: dt.datetime | pd.Series) -> pa.Table:
    """The ``vehicles`` frame as stored, with ``fetched_at`` (UTC; one for all rows, or one each)
    appended.

    Raises
    ------
    pyarrow.ArrowException
        For an extra column of mixed types (``object``), which Parquet cannot hold.
    """
    table = pa.Table.from_pandas(vehicles, preserve_index=False)
    stamps = fetched_at.tolist() if isinstance(fetched_at, pd.Series) else [fetched_at] * len(vehicles)
    return table.append_column(FETCHED_AT, pa.array(stamps, ASKED.field(FETCHED_AT).type))


def vehicles_frame(table: pa.Table, template: pd.DataFrame) -> pd.DataFrame:
    """A stored ``vehicles`` table as a frame: the fixed columns in ``template``'s dtypes, the
    extras in the dtypes they were stored with, then ``fetched_at``."""
    frame = table.to_pandas()
    changed = {name: dtype for name, dtype in template.dtypes.items() if frame[name].dtype != dtype}
    return frame.astype(changed) if changed else frame


def long_days(dates: object, api_tz: str) -> pd.DatetimeIndex:
    """The days among ``dates`` (midnights) longer than 24 hours on ``api_tz``: an autumn change."""
    days = pd.DatetimeIndex(dates)
    starts = days.tz_localize(api_tz, ambiguous=np.ones(len(days), bool), nonexistent="shift_forward")
    ends = (days + pd.Timedelta(days=1)).tz_localize(
        api_tz, ambiguous=np.zeros(len(days), bool), nonexistent="shift_forward"
    )
    return days[(ends - starts) > pd.Timedelta(days=1)]


def lone_slots(half_hours: pd.DataFrame, total: int) -> pd.DataFrame | None:
    """Per vehicle-day, the half hours a parse counted in ``Usage.ambiguous_slots``.

    A half hour counts there when it sits on the first (summer-time) occurrence
    of a wall-clock time that an autumn change shows twice, and the answer did
    not list the second occurrence. The frame shows such a half hour without
    its twin, but also one whose twin was listed with no use (which the frame
    drops): the candidates are told apart only when all or none of them count.

    Parameters
    ----------
    half_hours : pandas.DataFrame
        A parse's ``half_hours``.
    total : int
        That parse's ``ambiguous_slots``.

    Returns
    -------
    pandas.DataFrame or None
        ``vehicle_id``, ``date``, ``ambiguous_slots`` of each vehicle-day with
        any (none when ``total`` is 0); None when they cannot be told apart.
    """
    empty = pd.DataFrame(
        {
            "vehicle_id": np.zeros(0, np.int32),
            "date": np.zeros(0, "datetime64[ns]"),
            "ambiguous_slots": np.zeros(0, np.int64),
        }
    )
    if total == 0:
        return empty
    long = long_days(half_hours["date"].unique(), str(half_hours["start"].dt.tz))
    half_hours = half_hours[half_hours["date"].isin(long)]
    start = half_hours["start"]
    wall = start.dt.tz_localize(None)
    later = wall.dt.tz_localize(start.dt.tz, ambiguous=np.zeros(len(wall), dtype=bool))
    first = (later != start).to_numpy()
    twins = pd.MultiIndex.from_arrays([half_hours["vehicle_id"], half_hours["equipment"].astype(str), start])
    wanted = pd.MultiIndex.from_arrays(
        [half_hours["vehicle_id"][first], half_hours["equipment"][first].astype(str), later[first]]
    )
    lone = half_hours[first][~wanted.isin(twins)]
    if len(lone) != total:
        return None
    counts = lone.groupby(["vehicle_id", "date"]).size()
    return counts.rename("ambiguous_slots").reset_index().astype({"vehicle_id": np.int32})

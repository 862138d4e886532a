"""One :class:`Usage` over the asked period from stored vehicle-days and freshly parsed ones.

A fetch with a cache parses only the answers it asked for, over the whole
period (so the fresh frames hold zero rows for the days it did not ask), and
reads the other vehicle-days from the store. :func:`combine_usage` puts them
together into the frames a fresh fetch of the whole period gives:

* ``daily`` and ``vehicle_days`` are full grids again: every vehicle x day (x
  each equipment of that vehicle), a stored vehicle-day's rows where it is
  stored, the fresh rows elsewhere, and the fresh parse's blank (0, False) for a
  cell neither holds;
* a vehicle's equipment is the union of its equipment in the fresh parse and
  in its stored days; ``equipment`` has one set of sorted categories in every frame;
* ``half_hours`` holds the fresh rows and the stored ones, sorted by vehicle,
  start and equipment, as the parser sorts them;
* ``period`` holds the API's period totals of the fresh answers plus, for the
  stored days, the sums of their day totals (a stored day carries no share of
  the API's period totals); 0 for a pair neither has;
* ``vehicles`` holds a vehicle's fresh row, else its most recent stored one,
  sorted by id, with ``plate`` from ``plates`` as the parser writes it;
* ``ambiguous_slots`` adds the stored vehicle-days' lone repeated slots.

Columns, dtypes, row order and ``attrs`` are those of the fresh frames.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frames import VEHICLES
from ..usage import Usage

__all__ = ["StoredFrames", "combine_usage", "warn_lone_slots", "with_day_total_period"]

_KEY_LIMIT = 2**62
"""Composite sort keys of half hours below this fit one int64."""


@dataclass(frozen=True)
class StoredFrames:
    """The stored rows a fetch uses, as frames with the fresh parse's columns and dtypes.

    Categories may differ from the fresh frames' (each is recoded).

    Attributes
    ----------
    days : pandas.DataFrame
        One row per stored vehicle-day whose vehicle was in the answer:
        ``vehicle_id``, ``date`` (midnight of the day on ``api_tz``) and
        ``ambiguous_slots`` (its half hours on a repeated autumn slot listed once).
    daily, half_hours, vehicle_days : pandas.DataFrame
        The rows of those vehicle-days.
    vehicles : pandas.DataFrame
        One row per vehicle of ``days``: its most recently fetched row.
    """

    days: pd.DataFrame
    daily: pd.DataFrame
    half_hours: pd.DataFrame
    vehicle_days: pd.DataFrame
    vehicles: pd.DataFrame


def combine_usage(fresh: Usage, stored: StoredFrames, plates: Mapping[int, str]) -> Usage:
    """The usage of the whole period from a fresh parse and stored vehicle-days.

    Parameters
    ----------
    fresh : Usage
        The parse of the answers fetched now, over the whole asked period
        (frames with the exact columns and dtypes of a fresh fetch).
    stored : StoredFrames
        The stored vehicle-days of the period that were not asked now.
    plates : mapping
        ``{vehicle id: plate}``, as given to the parser.

    Returns
    -------
    Usage
        See the module's docstring.
    """
    grid = _Grid(fresh, stored)
    lone = int(stored.days["ambiguous_slots"].sum())
    warn_lone_slots(lone, fresh.api_tz)
    frames = {
        "daily": grid.daily(),
        "half_hours": grid.half_hours(),
        "vehicles": _vehicles(fresh.vehicles, stored.vehicles, plates),
        "vehicle_days": grid.vehicle_days(),
        "period": grid.period(),
    }
    for name, frame in frames.items():
        frame.attrs = dict(getattr(fresh, name).attrs)
    return Usage(
        **frames,
        start=fresh.start,
        end=fresh.end,
        api_tz=fresh.api_tz,
        ambiguous_slots=fresh.ambiguous_slots + lone,
    )


def warn_lone_slots(count: int, api_tz: str) -> None:
    """Warn of stored half hours on a repeated autumn slot that the answer listed once (if any)."""
    if count:
        warnings.warn(
            f"{count} half hour(s) of an autumn clock change on {api_tz}, in the stored days, were "
            "listed once by the answer although the clock shows that time twice; each is on its first "
            "(summer-time) occurrence, as when it was fetched (Usage.ambiguous_slots counts them).",
            UserWarning,
            stacklevel=4,
        )


def with_day_total_period(usage: Usage) -> Usage:
    """``usage`` as the store gives it back once all its days are stored: ``period`` holds the sums
    of the day totals of ``daily`` (the rule for stored days), the other frames are unchanged."""
    daily = usage.daily
    sums = daily.groupby(["vehicle_id", "equipment"], observed=True, sort=True)["use_s"].sum()
    period = usage.period.copy()
    keys = pd.MultiIndex.from_arrays([period["vehicle_id"], period["equipment"]])
    period["use_s"] = sums.reindex(keys).fillna(0).to_numpy(np.int64)
    period.attrs = dict(usage.period.attrs)
    return dataclasses.replace(usage, period=period)


class _Grid:
    """Numbering shared by the frames: vehicles by rank of id, days from the first, labels sorted."""

    def __init__(self, fresh: Usage, stored: StoredFrames) -> None:
        self.fresh, self.stored = fresh, stored
        self.first = np.datetime64(fresh.start, "D")
        self.n_days = (fresh.end - fresh.start).days + 1
        self.vehicle_ids = np.union1d(
            fresh.vehicles["vehicle_id"].to_numpy(np.int64), stored.days["vehicle_id"].to_numpy(np.int64)
        )
        labels = set(fresh.daily["equipment"].cat.categories)
        for frame in (stored.daily, stored.half_hours):
            labels.update(_observed(frame["equipment"]))
        categories = fresh.daily["equipment"].cat.categories
        self.labels = pd.Index(sorted(labels), dtype=categories.dtype)
        self.equipment = pd.CategoricalDtype(self.labels)
        self.n_codes = max(len(self.labels), 1)
        stored_days = self.vehicle_days_of(stored.days)
        self.fresh_kept = {
            name: self._not_stored(getattr(fresh, name), stored_days)
            for name in ("daily", "half_hours", "vehicle_days")
        }
        self.pairs = np.unique(np.concatenate([self.pairs_of(fresh.period), self.pairs_of(stored.daily)]))

    # -- numbering ------------------------------------------------------------------------------
    def ranks(self, frame: pd.DataFrame) -> np.ndarray:
        return np.searchsorted(self.vehicle_ids, frame["vehicle_id"].to_numpy(np.int64))

    def days(self, frame: pd.DataFrame) -> np.ndarray:
        return (frame["date"].to_numpy().astype("datetime64[D]") - self.first).astype(np.int64)

    def codes(self, equipment: pd.Series) -> np.ndarray:
        """Codes of a categorical column in the sorted labels."""
        recode = self.labels.get_indexer(equipment.cat.categories)
        return recode[equipment.cat.codes.to_numpy()].astype(np.int64)

    def vehicle_days_of(self, frame: pd.DataFrame) -> np.ndarray:
        return self.ranks(frame) * self.n_days + self.days(frame)

    def cells_of(self, frame: pd.DataFrame) -> np.ndarray:
        """The vehicle x day x equipment of each row, as the keys of ``daily``."""
        return self.vehicle_days_of(frame) * self.n_codes + self.codes(frame["equipment"])

    def pairs_of(self, frame: pd.DataFrame) -> np.ndarray:
        return self.ranks(frame) * self.n_codes + self.codes(frame["equipment"])

    def _not_stored(self, frame: pd.DataFrame, stored_days: np.ndarray) -> pd.DataFrame:
        """The fresh rows of a frame that are not on a stored vehicle-day."""
        if not len(frame) or not len(stored_days):
            return frame
        return frame[~np.isin(self.vehicle_days_of(frame), stored_days)]

    # -- frames ---------------------------------------------------------------------------------
    def daily(self) -> pd.DataFrame:
        """Every vehicle x day x equipment of that vehicle."""
        rank, codes = np.divmod(self.pairs, self.n_codes)
        days = np.arange(self.n_days, dtype=np.int64)
        keys = np.sort(((rank[:, None] * self.n_days + days) * self.n_codes + codes[:, None]).ravel())
        vehicle_day, codes = np.divmod(keys, self.n_codes)
        rank, day = np.divmod(vehicle_day, self.n_days)
        parts = [
            (np.searchsorted(keys, self.cells_of(frame)), frame)
            for frame in (self.fresh_kept["daily"], self.stored.daily)
        ]
        return _filled(
            self.fresh.daily,
            len(keys),
            parts,
            {
                "vehicle_id": self.vehicle_ids[rank],
                "date": self.dates(day),
                "equipment": self.categorical(codes),
            },
        )

    def vehicle_days(self) -> pd.DataFrame:
        """Every vehicle x day."""
        size = len(self.vehicle_ids) * self.n_days
        parts = [
            (self.vehicle_days_of(frame), frame)
            for frame in (self.fresh_kept["vehicle_days"], self.stored.vehicle_days)
        ]
        return _filled(
            self.fresh.vehicle_days,
            size,
            parts,
            {
                "vehicle_id": np.repeat(self.vehicle_ids, self.n_days),
                "date": np.tile(self.dates(np.arange(self.n_days)), len(self.vehicle_ids)),
            },
        )

    def period(self) -> pd.DataFrame:
        """Every vehicle x equipment: the fresh period totals plus the stored day totals."""
        use = np.zeros(len(self.pairs), dtype=np.int64)
        for frame in (self.fresh.period, self.stored.daily):
            np.add.at(
                use, np.searchsorted(self.pairs, self.pairs_of(frame)), frame["use_s"].to_numpy(np.int64)
            )
        rank, codes = np.divmod(self.pairs, self.n_codes)
        columns = {"vehicle_id": self.vehicle_ids[rank], "equipment": self.categorical(codes), "use_s": use}
        return _typed(columns, self.fresh.period)

    def half_hours(self) -> pd.DataFrame:
        """The fresh and the stored half hours, sorted by vehicle, start and equipment."""
        template = self.fresh.half_hours
        parts = [part for part in (self.fresh_kept["half_hours"], self.stored.half_hours) if len(part)]
        values = {
            name: np.concatenate([_plain(part, name, self.codes) for part in parts])
            if parts
            else _plain(template, name, self.codes)
            for name in template.columns
        }
        order = _half_hour_order(
            values["vehicle_id"].astype(np.int64), values["start"], values["equipment"], self.n_codes
        )
        columns = {}
        for name, dtype in template.dtypes.items():
            column = values[name] if order is None else values[name][order]
            if name == "equipment":
                columns[name] = self.categorical(column)
            elif isinstance(dtype, pd.DatetimeTZDtype):
                columns[name] = (
                    pd.Series(column.view(f"M8[{dtype.unit}]")).dt.tz_localize("UTC").dt.tz_convert(dtype.tz)
                )
            else:
                columns[name] = column
        return _typed(columns, template)

    # -- columns --------------------------------------------------------------------------------
    def dates(self, days: np.ndarray) -> np.ndarray:
        return (self.first + days).astype("datetime64[ns]")

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=self.equipment)


def _plain(frame: pd.DataFrame, name: str, codes: object) -> np.ndarray:
    """A column as a numpy array: ``equipment`` as codes in the sorted labels, a tz-aware
    timestamp as its UTC integers."""
    column = frame[name]
    if name == "equipment":
        return codes(column)
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.array.asi8
    return column.to_numpy()


def _observed(equipment: pd.Series) -> list[str]:
    """The labels a categorical column really holds (it has no missing value)."""
    counts = np.bincount(equipment.cat.codes.to_numpy(), minlength=len(equipment.cat.categories))
    return equipment.cat.categories[counts > 0].tolist()


def _filled(
    template: pd.DataFrame, size: int, parts: list[tuple[np.ndarray, pd.DataFrame]], keys: dict[str, object]
) -> pd.DataFrame:
    """A grid frame of ``template``'s columns: ``keys`` given, every other column blank (0 or
    False) but where a part writes its rows (at its positions, later parts last)."""
    columns = dict(keys)
    for name, dtype in template.dtypes.items():
        if name in keys:
            continue
        values = np.zeros(size, dtype=dtype)
        for positions, frame in parts:
            values[positions] = frame[name].to_numpy(dtype)
        columns[name] = values
    return _typed(columns, template)


def _typed(columns: dict[str, object], template: pd.DataFrame) -> pd.DataFrame:
    """A frame of ``template``'s columns in order and with its dtypes (categories as given)."""
    frame = pd.DataFrame({name: columns[name] for name in template.columns})
    return frame.astype(
        {name: dtype for name, dtype in template.dtypes.items() if not isinstance(dtype, pd.CategoricalDtype)}
    )


def _half_hour_order(
    vehicles: np.ndarray, starts: np.ndarray, codes: np.ndarray, n_codes: int
) -> np.ndarray | None:
    """The stable permutation sorting half hours by vehicle, start and code; None if sorted."""
    if len(vehicles) < 2:
        return None
    minutes = (starts - starts.min()) // 60_000_000_000
    span = int(minutes.max()) + 1
    if (int(vehicles.max()) + 1) * span * n_codes >= _KEY_LIMIT or vehicles.min() < 0:
        order = np.lexsort((codes, starts, vehicles))
        return None if np.array_equal(order, np.arange(len(order))) else order
    key = (vehicles * span + minutes) * n_codes + codes
    if np.all(key[:-1] <= key[1:]):
        return None
    return np.argsort(key, kind="stable")


def _vehicles(fresh: pd.DataFrame, stored: pd.DataFrame, plates: Mapping[int, str]) -> pd.DataFrame:
    """The fresh rows, then the stored rows of the other vehicles, sorted by id; ``plate`` from
    ``plates``; the extra columns in order of the first vehicle that has a value in each."""
    others = stored[~stored["vehicle_id"].isin(fresh["vehicle_id"])]
    if not len(others):
        frame = fresh.copy()
    else:
        parts = [_with_columns(fresh, others), _with_columns(others, fresh)]
        frame = pd.concat(parts, ignore_index=True).sort_values(
            "vehicle_id", kind="stable", ignore_index=True
        )
    frame["plate"] = pd.Series(
        [plates.get(int(v)) for v in frame["vehicle_id"]], dtype=fresh["plate"].dtype, index=frame.index
    )
    fixed = [name for name in fresh.columns if name in VEHICLES]
    extras = [name for name in frame.columns if name not in fixed]
    first_value = {
        name: int(np.argmax(frame[name].notna().to_numpy())) if frame[name].notna().any() else len(frame)
        for name in extras
    }
    return frame[fixed + sorted(extras, key=first_value.__getitem__)]


def _with_columns(frame: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns only ``other`` has, missing values of ``other``'s dtypes."""
    missing = {
        name: pd.array([pd.NA] * len(frame), dtype=dtype)
        for name, dtype in other.dtypes.items()
        if name not in frame.columns
    }
    return frame.assign(**missing) if missing else frame

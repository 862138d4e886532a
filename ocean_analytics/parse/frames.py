"""Building the five frames from the checked rows of every answer, by array operations only.

``daily`` and ``vehicle_days`` are full grids: their rows are laid out first
(every vehicle x day x equipment of that vehicle, every vehicle x day) and the
API's values are then written into them by position, zero elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..clock import SLOT_S, Calendar
from ..frames import DAILY, PERIOD, VEHICLE_DAYS, half_hours_schema
from .collect import Numbering
from .rules import Checked
from .vehicle_frame import vehicles_frame

__all__ = ["build_frames"]

_I64 = np.int64
_SORTABLE = 2**62
"""Keys of half hours below this combine vehicle, instant and equipment in one int64."""


def build_frames(
    rows: Checked, numbering: Numbering, calendar: Calendar, plates: Mapping[int, str]
) -> dict[str, pd.DataFrame]:
    """The frames ``daily``, ``half_hours``, ``vehicles``, ``vehicle_days`` and ``period``.

    Parameters
    ----------
    rows : Checked
        The checked rows of every answer.
    numbering : Numbering
        Their labels and vehicles.
    calendar : Calendar
        The asked period on ``api_tz``.
    plates : mapping
        ``{vehicle id: plate}`` for the ``plate`` column of ``vehicles``.

    Returns
    -------
    dict of pandas.DataFrame
        Columns and dtypes as :mod:`ocean_analytics.frames` says; ``equipment``
        has the same sorted categories in every frame.
    """
    grid = _Grid(rows, numbering, calendar)
    return {
        "daily": grid.daily(rows),
        "half_hours": grid.half_hours(rows, calendar),
        "vehicles": vehicles_frame(numbering.vehicles, plates),
        "vehicle_days": grid.vehicle_days(rows),
        "period": grid.period(rows),
    }


def _typed(columns: dict[str, object], schema: dict[str, str]) -> pd.DataFrame:
    """A frame with the schema's columns in order, each cast to its dtype before the frame
    is made (``DataFrame.astype`` would copy every column): numpy columns by numpy,
    pandas ones (categories, tz-aware instants) built with theirs."""
    typed = {
        name: column
        if isinstance(column := columns[name], (pd.Series, pd.Categorical))
        else np.asarray(column, dtype=dtype)
        for name, dtype in schema.items()
    }
    return pd.DataFrame(typed, copy=False)


class _Grid:
    """Numbering shared by the frames: vehicles by rank of id, labels by sorted position."""

    def __init__(self, rows: Checked, numbering: Numbering, calendar: Calendar) -> None:
        self.vehicle_ids = np.array(sorted(numbering.vehicles), dtype=np.int32)
        labels = sorted(numbering.labels)
        self.equipment = pd.CategoricalDtype(pd.Index(labels, dtype="str"))
        self.code_of = np.zeros(len(labels), dtype=np.min_scalar_type(-len(labels)))
        self.code_of[[numbering.labels[label] for label in labels]] = np.arange(len(labels))
        self.n_days = calendar.n_days
        self.n_codes = max(len(labels), 1)
        first = np.datetime64(calendar.first, "D")
        self.dates = (first + np.arange(self.n_days)).astype("datetime64[ns]")
        pairs = self.rank(rows.pair_vehicle) * self.n_codes + self.code_of[rows.pair_label]
        self.pair_keys = np.sort(pairs)

    def rank(self, vehicle_ids: np.ndarray) -> np.ndarray:
        """Positions of vehicle ids in the sorted ids."""
        return np.searchsorted(self.vehicle_ids, vehicle_ids)

    def run_ranks(self, vehicle_ids: np.ndarray) -> np.ndarray:
        """:meth:`rank` of rows that list their vehicles in runs: one search per run."""
        if not len(vehicle_ids):
            return np.zeros(0, dtype=_I64)
        starts = np.flatnonzero(np.r_[True, vehicle_ids[1:] != vehicle_ids[:-1]])
        ranks = np.searchsorted(self.vehicle_ids, vehicle_ids[starts])
        return np.repeat(ranks, np.diff(np.r_[starts, len(vehicle_ids)]))

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=self.equipment)

    def daily(self, rows: Checked) -> pd.DataFrame:
        """Every vehicle x day x equipment of that vehicle, the API's day totals or 0."""
        days = np.arange(self.n_days, dtype=_I64)
        vehicle_rank, codes = np.divmod(self.pair_keys, self.n_codes)
        keys = np.sort(((vehicle_rank[:, None] * self.n_days + days) * self.n_codes + codes[:, None]).ravel())
        observed = (self.rank(rows.total_vehicle) * self.n_days + rows.total_number) * self.n_codes
        use = np.zeros(len(keys), dtype=_I64)
        use[np.searchsorted(keys, observed + self.code_of[rows.total_label])] = rows.total_s
        vehicle_day, codes = np.divmod(keys, self.n_codes)
        vehicle_rank, day = np.divmod(vehicle_day, self.n_days)
        columns = {
            "vehicle_id": self.vehicle_ids[vehicle_rank],
            "date": self.dates[day],
            "equipment": self.categorical(codes),
            "use_s": use,
        }
        return _typed(columns, DAILY)

    def vehicle_days(self, rows: Checked) -> pd.DataFrame:
        """Every vehicle x day: the API's all-equipment total and its day totals' sum, or 0."""
        size = len(self.vehicle_ids) * self.n_days
        positions = self.rank(rows.day_vehicle) * self.n_days + rows.day_number
        all_s, sums = np.zeros(size, dtype=_I64), np.zeros(size, dtype=_I64)
        all_s[positions] = rows.all_dio_s
        sums[positions] = rows.day_sum_s
        columns = {
            "vehicle_id": np.repeat(self.vehicle_ids, self.n_days),
            "date": np.tile(self.dates, len(self.vehicle_ids)),
            "all_dio_s": all_s,
            "equipment_sum_s": sums,
        }
        return _typed(columns, VEHICLE_DAYS)

    def period(self, rows: Checked) -> pd.DataFrame:
        """Every vehicle x equipment of that vehicle: the API's period totals over all answers."""
        observed = self.rank(rows.period_vehicle) * self.n_codes + self.code_of[rows.period_label]
        use = np.zeros(len(self.pair_keys), dtype=_I64)
        np.add.at(use, np.searchsorted(self.pair_keys, observed), rows.period_s)
        vehicle_rank, codes = np.divmod(self.pair_keys, self.n_codes)
        columns = {
            "vehicle_id": self.vehicle_ids[vehicle_rank],
            "equipment": self.categorical(codes),
            "use_s": use,
        }
        return _typed(columns, PERIOD)

    def half_hours(self, rows: Checked, calendar: Calendar) -> pd.DataFrame:
        """The half hours with use > 0, sorted by vehicle, start instant and equipment."""
        utc_s = calendar.utc_seconds(rows.half_number, rows.slot, rows.second)
        codes = self.code_of[rows.half_label]
        vehicle, days, use = rows.half_vehicle, rows.half_number, rows.use_s
        order = _order(self.run_ranks(vehicle), utc_s, codes, self.n_codes)
        if order is not None:
            vehicle, days, use, utc_s, codes = (a[order] for a in (vehicle, days, use, utc_s, codes))
        starts = calendar.instants(utc_s)
        columns = {
            "vehicle_id": vehicle,
            "date": self.dates[days],
            "equipment": self.categorical(codes),
            "start": starts,
            "end": starts + pd.Timedelta(seconds=SLOT_S),
            "use_s": use,
        }
        return _typed(columns, half_hours_schema(calendar.api_tz))


def _order(ranks: np.ndarray, utc_s: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray | None:
    """The permutation sorting half hours by vehicle rank, instant and code; None if sorted.

    The three keys are combined into one int64 where they fit, so that rows
    already in order (one answer listing its vehicles by id) cost one pass.
    """
    if len(ranks) < 2:
        return None
    low = int(utc_s.min())
    span = int(utc_s.max()) - low + 1
    if (int(ranks.max()) + 1) * span * n_codes >= _SORTABLE:
        return np.lexsort((codes, utc_s, ranks))
    key = (ranks * span + (utc_s - low)) * n_codes + codes
    if np.all(key[:-1] <= key[1:]):
        return None
    return np.argsort(key, kind="stable")

"""Where the API's levels of detail disagree: half hours, days, periods and all-DIO totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InvalidArgumentError
from ..frames import DAILY, DATE, HALF_HOURS, PERIOD, VEHICLE_DAYS, empty_frame
from ..usage import Usage
from .grid import day_lengths, require_columns

__all__ = ["RECONCILE", "LEVELS", "OVERLAP_NOTE", "reconcile"]

RECONCILE: dict[str, str] = {
    "vehicle_id": "int32",
    "date": DATE,
    "equipment": "category",
    "level": "str",
    "expected": "int64",
    "found": "int64",
    "note": "str",
}
"""Columns and dtypes of the frame :func:`reconcile` returns."""

LEVELS = (
    "half_hours_vs_day",
    "day_vs_period",
    "all_dio_vs_equipment_sum",
    "half_hour_over_1800",
    "day_over_86400",
)
"""The checks :func:`reconcile` runs, as written in its ``level`` column."""

OVERLAP_NOTE = "equipment ran at once: consistent with all-DIO = time with at least one on"
"""The ``note`` of an all-DIO shortfall that overlapping half hours can explain."""

HALF_HOUR_S = 1800
_CELL = ["vehicle_id", "date", "equipment"]
_PAIR = ["vehicle_id", "equipment"]
_VEHICLE_DAY = ["vehicle_id", "date"]


def _checked(usage: object) -> Usage:
    """``usage`` once checked to be a Usage whose frames have the columns compared here."""
    if not isinstance(usage, Usage):
        raise InvalidArgumentError(
            f"usage must be an oa.Usage (what oa.fetch_usage returns), not "
            f"{type(usage).__name__}: reconcile compares its five frames with each other."
        )
    for name, schema in (
        ("daily", DAILY),
        ("half_hours", HALF_HOURS),
        ("vehicle_days", VEHICLE_DAYS),
        ("period", PERIOD),
    ):
        require_columns(getattr(usage, name), schema, name=f"usage.{name}", hint="build it as oa.frames says")
    return usage


def _sum_by(frame: pd.DataFrame, keys: list[str], name: str) -> pd.DataFrame:
    """``use_s`` summed per ``keys`` as an int64 column ``name``, equipment as str."""
    sums = frame.groupby(keys, observed=True, dropna=False)["use_s"].sum().astype("int64")
    out = sums.rename(name).reset_index()
    return out.astype({"equipment": "str"})


def _compare(expected: pd.DataFrame, found: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The keys where ``expected`` and ``found`` differ, a key absent from one side counting 0."""
    both = expected.merge(found, on=keys, how="outer")
    both[["expected", "found"]] = both[["expected", "found"]].fillna(0).astype("int64")
    return both.loc[both["expected"] != both["found"]]


def _half_hours_vs_day(usage: Usage) -> pd.DataFrame:
    """Each daily cell against the sum of its half hours."""
    return _compare(
        _sum_by(usage.daily, _CELL, "expected"), _sum_by(usage.half_hours, _CELL, "found"), _CELL
    ).assign(level="half_hours_vs_day")


def _day_vs_period(usage: Usage) -> pd.DataFrame:
    """Each vehicle x equipment period total against the sum of its days."""
    return _compare(
        _sum_by(usage.period, _PAIR, "expected"), _sum_by(usage.daily, _PAIR, "found"), _PAIR
    ).assign(level="day_vs_period", date=pd.NaT)


def _overlap_s(half_hours: pd.DataFrame) -> pd.Series:
    """Per vehicle x date, the most seconds that several equipment's half hours can share.

    For each half-hour slot, its summed use minus its largest single use.
    """
    slots = half_hours.groupby([*_VEHICLE_DAY, "start"], observed=True)["use_s"]
    spare = slots.sum().astype("int64") - slots.max().astype("int64")
    return spare.groupby(level=_VEHICLE_DAY).sum().rename("overlap_s")


def _all_dio_vs_sum(usage: Usage) -> pd.DataFrame:
    """Each vehicle-day whose all-DIO total differs from the sum of its equipment."""
    days = usage.vehicle_days.rename(columns={"all_dio_s": "expected", "equipment_sum_s": "found"})
    gaps = days.loc[days["expected"] != days["found"], [*_VEHICLE_DAY, "expected", "found"]]
    if gaps.empty:
        return gaps
    overlap = gaps.join(_overlap_s(usage.half_hours), on=_VEHICLE_DAY)["overlap_s"].fillna(0)
    shortfall = gaps["found"] - gaps["expected"]
    explained = (shortfall > 0) & (shortfall <= overlap)
    return gaps.assign(level="all_dio_vs_equipment_sum", note=np.where(explained, OVERLAP_NOTE, None))


def _half_hours_over(usage: Usage) -> pd.DataFrame:
    """Each half hour above 1800 s."""
    slots = usage.half_hours[[*_CELL, "use_s"]].rename(columns={"use_s": "found"})
    over = slots.loc[slots["found"] > HALF_HOUR_S]
    return over.assign(expected=HALF_HOUR_S, level="half_hour_over_1800")


def _days_over(usage: Usage) -> pd.DataFrame:
    """Each daily cell above the length of its day on ``api_tz``."""
    daily = usage.daily
    cells = (
        daily[[*_CELL, "use_s"]]
        .rename(columns={"use_s": "found"})
        .assign(expected=day_lengths(daily, tz=usage.api_tz))
    )
    over = cells.loc[cells["found"] > cells["expected"]]
    return over.assign(level="day_over_86400")


def _assembled(parts: list[pd.DataFrame], attrs: dict) -> pd.DataFrame:
    """The findings in one frame of :data:`RECONCILE`, sorted by vehicle, date, level."""
    found = [part for part in parts if not part.empty]
    if not found:
        result = empty_frame(RECONCILE)
    else:
        rows = pd.concat(found, ignore_index=True).reindex(columns=list(RECONCILE))
        rows = rows.astype({"equipment": "str"}).astype(RECONCILE)
        result = rows.sort_values(
            ["vehicle_id", "date", "level", "equipment"], kind="stable", na_position="last"
        ).reset_index(drop=True)
    result.attrs = dict(attrs)
    return result


def reconcile(usage: Usage) -> pd.DataFrame:
    """Every place where the API's levels of detail disagree with each other.

    Five checks, each a value of the ``level`` column. In every one,
    ``expected`` is the coarser figure (the total the API stated, or the
    physical bound) and ``found`` what the finer level adds up to (or the value
    recorded). All in seconds, on the API's days (``api_tz``).

    - ``"half_hours_vs_day"``, one row per vehicle x date x equipment:
      ``expected`` = ``daily.use_s`` (the API's day total),
      ``found`` = the sum of that day's ``half_hours.use_s``.
    - ``"day_vs_period"``, one row per vehicle x equipment (``date`` NaT):
      ``expected`` = ``period.use_s`` (the API's period total),
      ``found`` = the sum of ``daily.use_s`` over the period.
    - ``"all_dio_vs_equipment_sum"``, one row per vehicle x date (``equipment``
      missing): ``expected`` = ``vehicle_days.all_dio_s``,
      ``found`` = ``vehicle_days.equipment_sum_s``. The documentation does not
      say whether all-DIO is the sum over equipment or the time with at least
      one on; under the second reading all-DIO falls short of the sum when two
      pieces of equipment ran at once. Every difference is reported; ``note``
      is :data:`OVERLAP_NOTE` when the shortfall ``found - expected`` is
      positive and at most the overlap the half hours allow (per half-hour
      slot, its summed use minus its largest single use, summed over the day),
      so ``note.isna()`` keeps the differences no reading explains.
    - ``"half_hour_over_1800"``, one row per half hour: ``expected`` = 1800,
      ``found`` = its ``use_s``.
    - ``"day_over_86400"``, one row per daily cell: ``expected`` = the length of
      that day on ``api_tz`` (86,400 s; 82,800 or 90,000 on the daylight-saving
      days of a local zone), ``found`` = its ``use_s``.

    A key present on one side only counts 0 on the other.

    Parameters
    ----------
    usage : Usage
        The five frames of one fetch.

    Returns
    -------
    pandas.DataFrame
        One row per disagreement, sorted by ``vehicle_id``, ``date`` (NaT last),
        ``level`` then ``equipment``, with a RangeIndex and the columns of
        :data:`RECONCILE`: ``vehicle_id`` (int32), ``date`` (datetime64[ns]),
        ``equipment`` (category), ``level`` (str), ``expected`` and ``found``
        (int64 seconds), ``note`` (str, missing but for the overlap case above).
        Empty, with these columns, when every level agrees. ``attrs`` are
        copied from ``usage.daily``.

    Raises
    ------
    InvalidArgumentError
        When ``usage`` is not a Usage or one of its frames lacks a column.

    Examples
    --------
    >>> findings = oa.reconcile(usage)
    >>> findings.groupby("level").size()
    >>> findings[findings["note"].isna()]           # what no reading of the API explains
    """
    checked = _checked(usage)
    parts = [
        _half_hours_vs_day(checked),
        _day_vs_period(checked),
        _all_dio_vs_sum(checked),
        _half_hours_over(checked),
        _days_over(checked),
    ]
    return _assembled(parts, checked.daily.attrs)

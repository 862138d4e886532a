"""The daily grid of a Usage: its check, the real length of its days, and its sums.

Every vehicle x equipment x day cell of ``usage.daily`` with data offers the real
length of its day (see :func:`day_lengths`); a cell whose ``has_data`` is False
offers nothing (see :mod:`ocean_analytics.analysis.coverage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..clock import Calendar
from ..errors import InvalidArgumentError
from ..frames import DAILY
from ..zones import check_zone
from .coverage import has_data

__all__ = ["DAY_S", "cell_totals", "checked_daily", "day_lengths", "require_columns"]

DAY_S = 86_400
"""Seconds offered by one vehicle x equipment x day cell on a day without a clock change."""

_KEYS = ["vehicle_id", "date", "equipment"]


def require_columns(frame: object, columns: Iterable[str], *, name: str, hint: str) -> None:
    """Check that ``frame`` is a DataFrame holding ``columns``.

    Parameters
    ----------
    frame : object
        The argument to check.
    columns : iterable of str
        The columns it needs.
    name : str
        The argument's name, for the message.
    hint : str
        What to pass instead, e.g. ``"pass usage.daily"``.

    Raises
    ------
    InvalidArgumentError
        When ``frame`` is not a DataFrame or lacks a column; the message names
        the argument, the missing columns, the columns it has and ``hint``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidArgumentError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}: {hint}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(
            f"{name} has no column {missing!r} (it has {list(frame.columns)!r}): {hint}."
        )


def checked_daily(daily: object) -> pd.DataFrame:
    """``daily`` with a RangeIndex, once checked to be one row per vehicle x date x equipment."""
    hint = "pass usage.daily, one row per vehicle x day x equipment"
    require_columns(daily, DAILY, name="daily", hint=hint)
    if "start" in daily.columns:
        raise InvalidArgumentError(
            "daily has a 'start' column: this looks like usage.half_hours, whose rows are "
            f"half hours, not the day cells that the available time counts; {hint}."
        )
    if not pd.api.types.is_datetime64_dtype(daily["date"]):
        raise InvalidArgumentError(
            f"daily['date'] is {daily['date'].dtype}, not naive datetime64 (midnight of the "
            f"API's day): {hint}, or convert it with pandas.to_datetime."
        )
    if not pd.api.types.is_integer_dtype(daily["use_s"]):
        raise InvalidArgumentError(f"daily['use_s'] is {daily['use_s'].dtype}, not integer seconds: {hint}.")
    repeated = int(daily.duplicated(_KEYS).sum())
    if repeated:
        raise InvalidArgumentError(
            f"daily has {repeated} repeated vehicle x date x equipment rows, and each cell "
            f"must appear once since it offers its day's seconds: {hint} (or drop the duplicates)."
        )
    return daily.reset_index(drop=True)


def day_lengths(daily: pd.DataFrame, tz: str | None = None) -> np.ndarray:
    """The seconds of each row's day (its ``date`` column), int64, in row order.

    Midnight to midnight in real time on ``tz``: 86,400 s, 82,800 s on a spring
    change day and 90,000 s on an autumn one (from :class:`ocean_analytics.clock.Calendar`).

    Parameters
    ----------
    daily : pandas.DataFrame
        A frame with a naive datetime64 ``date`` column (midnight of the API's day).
    tz : str or None
        The IANA zone of the days; None: ``daily.attrs["api_tz"]``, UTC when absent.

    Raises
    ------
    InvalidArgumentError
        When the zone is not a known IANA zone.
    """
    api_tz = check_zone(daily.attrs.get("api_tz", "UTC") if tz is None else tz)
    if daily.empty:
        return np.zeros(0, dtype=np.int64)
    days = daily["date"].dt.normalize()
    first = days.min()
    calendar = Calendar.build(first.date(), days.max().date(), api_tz)
    return calendar.day_seconds[(days - first).dt.days.to_numpy()]


def cell_totals(daily: pd.DataFrame, groupers: Sequence[pd.Series]) -> pd.DataFrame:
    """Use, available time, utilisation and active days per group of ``groupers``.

    ``groupers`` are named Series aligned with ``daily``; none means one group
    of every row. Groups are sorted by their keys (categories in category order,
    missing keys last) and only observed groups appear. Each row with data offers
    the length of its day (:func:`day_lengths`), a row without none; the rate is
    NaN where nothing is offered.
    """
    used = daily["use_s"] > 0
    vehicle_day = pd.concat(
        [*groupers, daily["vehicle_id"], daily["date"]], axis=1, keys=range(len(groupers) + 2)
    )
    first_use = (~vehicle_day.loc[used].duplicated()).reindex(daily.index, fill_value=False)
    work = pd.DataFrame(
        {
            "use_s": daily["use_s"].astype("int64"),
            "available_s": np.where(has_data(daily), day_lengths(daily), 0),
            "active_days": first_use,
        }
    )
    keys = list(groupers) or [np.zeros(len(daily), dtype=np.int8)]
    sums = work.groupby(keys, observed=True, dropna=False, sort=True).sum()
    sums = sums.reset_index(drop=not groupers)
    rates = sums["use_s"] / sums["available_s"].where(sums["available_s"] > 0)
    sums.insert(sums.columns.get_loc("available_s") + 1, "utilisation", rates)
    return sums.astype(
        {"use_s": "int64", "available_s": "int64", "utilisation": "float64", "active_days": "int64"}
    )

"""The half-hour basis shared by the shift and profile helpers.

Both helpers divide seconds of use by seconds offered, and both count what is
offered in real half hours (instants), never in wall-clock labels:

- the period of a :class:`~ocean_analytics.Usage` is ``[start 00:00, end + 1 day
  00:00)`` on its ``api_tz``, cut every 1800 s, so a daylight-saving day on
  Europe/Paris has 46 or 50 half hours;
- each group offers those half hours once per vehicle x equipment pair it holds;
  a pair exists when it has rows in ``daily`` (a vehicle without equipment offers
  nothing);
- but a pair offers no half hour of an API day (a day on ``api_tz``) on which its
  row of ``daily`` has ``has_data`` False: the box could not report (see
  :mod:`ocean_analytics.analysis.coverage`). ``<NA>`` and a ``daily`` without
  ``has_data`` count as data.

Half-hour starts are read on an analyst's clock (``tz``) as a local day, a
weekday (0 = Monday) and a slot of the day (0 = 00:00 ... 47 = 23:30).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..errors import InvalidArgumentError
from ..usage import Usage
from .coverage import daily_with_coverage, has_data
from .grid import require_columns
from .grouping import with_vehicle_columns

__all__ = [
    "HALF_HOUR_S",
    "SLOT_LABELS",
    "WEEKDAYS",
    "api_days",
    "as_tz",
    "check_usage",
    "local_clock",
    "in_window",
    "local_midnight",
    "no_data_rows",
    "pairs_per_group",
    "period_starts",
    "sum_by",
    "used_half_hours",
    "with_counts",
]

HALF_HOUR_S = 1800
SLOT_LABELS: tuple[str, ...] = tuple(f"{k // 2:02d}:{30 * (k % 2):02d}" for k in range(48))
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The weekday names, Monday (0) first, as the profile shows them."""
_PAIR = ["vehicle_id", "equipment"]


def as_tz(tz: object, name: str = "tz") -> str:
    """Check that ``tz`` is an IANA time-zone name and return it."""
    try:
        if isinstance(tz, str):
            pd.Timestamp("2000-01-01", tz=tz)
            return tz
    except (KeyError, ValueError, OSError):  # OSError: "Europe" is a folder of zones
        pass
    raise InvalidArgumentError(
        f"{name}={tz!r} is not a time zone: give an IANA name such as 'Europe/Paris' or 'UTC'."
    )


def check_usage(usage: object) -> Usage:
    """Check that ``usage`` is a :class:`Usage` whose frames have the columns needed."""
    if not isinstance(usage, Usage):
        raise InvalidArgumentError(
            f"usage must be an oa.Usage (what oa.fetch_usage or oa.parse_usage return), "
            f"not {type(usage).__name__}."
        )
    as_tz(usage.api_tz, "usage.api_tz")
    hint = "build the Usage's frames as ocean_analytics.frames describes them"
    require_columns(usage.daily, [*_PAIR, "date", "use_s"], name="usage.daily", hint=hint)
    require_columns(usage.half_hours, [*_PAIR, "start", "use_s"], name="usage.half_hours", hint=hint)
    if not isinstance(usage.half_hours["start"].dtype, pd.DatetimeTZDtype):
        raise InvalidArgumentError(
            "usage.half_hours['start'] must be tz-aware (datetime64[ns, <api_tz>]), "
            f"not {usage.half_hours['start'].dtype}: build it as ocean_analytics.frames says."
        )
    return usage


def local_midnight(day: dt.date, tz: str) -> pd.Timestamp:
    """The first instant of ``day`` on ``tz`` (shifted forward where midnight does not exist)."""
    return pd.Timestamp(day).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def period_starts(usage: Usage) -> pd.DatetimeIndex:
    """The start of every real half hour of ``[start 00:00, end + 1 day 00:00)`` on ``api_tz``."""
    first = local_midnight(usage.start, usage.api_tz)
    stop = local_midnight(usage.end + dt.timedelta(days=1), usage.api_tz)
    return pd.date_range(first, stop, freq="30min", inclusive="left")


def api_days(starts: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The API day (naive midnight, datetime64[ns]) of each tz-aware start, on the starts' own zone."""
    return pd.DatetimeIndex(starts).tz_localize(None).normalize().astype("datetime64[ns]")


def local_clock(starts: pd.Series | pd.DatetimeIndex, tz: str) -> pd.DataFrame:
    """Read half-hour starts on ``tz``.

    Returns
    -------
    pandas.DataFrame
        ``day`` (naive midnight of the local day), ``weekday`` (0 = Monday) and
        ``slot`` (0 = 00:00 ... 47 = 23:30), one row per start, in order.

    Raises
    ------
    InvalidArgumentError
        When a start is not on a half hour of ``tz`` (a zone such as
        Asia/Kathmandu, 45 minutes off the half hour).
    """
    local = pd.DatetimeIndex(starts).tz_convert(tz).tz_localize(None)
    minutes = np.asarray(local.hour * 60 + local.minute)
    if (minutes % 30).any() or np.asarray(local.second).any():
        raise InvalidArgumentError(
            f"tz={tz!r} puts half-hour starts off the half hour: choose a time zone whose "
            "offset from the API's clock is a whole number of half hours."
        )
    day = local.normalize()
    return pd.DataFrame({"day": day, "weekday": day.day_of_week, "slot": minutes // 30})


def in_window(
    starts: pd.Series | pd.DatetimeIndex, tz: str, first: int, stop: int
) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Which half hours start inside the daily window of slots ``[first, stop)`` on ``tz``, and
    the day each window opened.

    Parameters
    ----------
    starts : pandas.Series or pandas.DatetimeIndex
        Tz-aware half-hour starts.
    tz : str
        The IANA zone on which the window is read.
    first, stop : int
        Slots of the day (0 = 00:00 ... 47 = 23:30), ``stop`` excluded. With ``first >
        stop`` the window runs past midnight (``21:00``-``05:00``): its morning part
        belongs to the window opened the evening before.

    Returns
    -------
    inside : numpy.ndarray
        Bool, one per start: inside the window.
    opened : pandas.DatetimeIndex
        Naive midnight of the local day on which the start's window opened (the local
        day itself, the day before for a start in the morning part of a window past
        midnight).
    """
    clock = local_clock(starts, tz)
    slot = clock["slot"].to_numpy()
    if first < stop:
        morning = np.zeros(len(slot), dtype=bool)
        inside = (slot >= first) & (slot < stop)
    else:
        morning = slot < stop
        inside = morning | (slot >= first)
    opened = pd.DatetimeIndex(clock["day"]) - pd.to_timedelta(morning.astype(np.int64), "D")
    return inside, opened


def sum_by(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Sum ``columns`` per ``keys`` (sorted, missing keys kept as a group).

    With no keys, one row for the whole frame (none when the frame is empty).
    """
    if keys:
        grouped = frame.groupby(keys, observed=True, dropna=False, sort=True)
        return grouped[columns].sum().reset_index()
    grouped = frame.groupby(np.zeros(len(frame), dtype=np.int8))
    return grouped[columns].sum().reset_index(drop=True)


def with_counts(
    groups: pd.DataFrame, sums: pd.DataFrame, keys: list[str], columns: list[str]
) -> pd.DataFrame:
    """``groups`` with the int64 ``columns`` of ``sums`` matched on ``keys`` (0 where absent)."""
    if keys:
        joined = groups.merge(sums, on=keys, how="left")
    else:
        joined = pd.concat([groups, sums.reindex(groups.index)], axis=1)
    joined[columns] = joined[columns].fillna(0).astype("int64")
    return joined


def _pairs(usage: Usage, by: list[str]) -> pd.DataFrame:
    """The distinct vehicle x equipment pairs of ``daily``, with the ``by`` columns."""
    return with_vehicle_columns(usage.daily[_PAIR].drop_duplicates(), usage, by)


def pairs_per_group(usage: Usage, by: list[str]) -> pd.DataFrame:
    """One row per group of ``by``: its columns and ``pairs``, the int64 number of pairs."""
    return sum_by(_pairs(usage, by).assign(pairs=1), by, ["pairs"])


def no_data_rows(usage: Usage, by: list[str]) -> pd.DataFrame:
    """The rows of ``daily`` whose day has no data: ``vehicle_id``, ``equipment``, ``date`` and ``by``.

    ``has_data`` is read from ``daily``, or from ``vehicle_days`` when only that has it.
    """
    daily = daily_with_coverage(usage)
    rows = daily.loc[~has_data(daily), [*_PAIR, "date"]]
    return with_vehicle_columns(rows.astype({"date": "datetime64[ns]"}), usage, by)


def used_half_hours(usage: Usage, by: list[str]) -> pd.DataFrame:
    """``usage.half_hours`` with the ``by`` columns joined in and ``use_s`` as int64.

    ``equipment`` takes the categories of ``daily``, so that both frames group alike.

    Raises
    ------
    InvalidArgumentError
        When a half hour belongs to a vehicle x equipment pair that ``daily`` lacks:
        its use would have no denominator.
    """
    half_hours = usage.half_hours
    known = pd.MultiIndex.from_frame(_pairs(usage, [])[_PAIR].astype(str))
    found = pd.MultiIndex.from_frame(half_hours[_PAIR].astype(str))
    strays = found[~found.isin(known)].unique()
    if len(strays):
        raise InvalidArgumentError(
            f"usage.half_hours has use for vehicle x equipment pairs that usage.daily lacks "
            f"({list(strays[:5])!r}): daily must list every pair on every day "
            "(see ocean_analytics.frames)."
        )
    used = half_hours[[*_PAIR, "start"]].assign(
        equipment=half_hours["equipment"].astype(usage.daily["equipment"].dtype),
        use_s=half_hours["use_s"].astype("int64"),
    )
    return with_vehicle_columns(used, usage, by)

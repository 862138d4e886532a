"""Work shifts: use inside and outside the shift, on an analyst's clock and calendar.

One rule classifies every half hour, by its start read on ``tz``:

- its *shift day* is its local day, or the day before for the morning part of an
  overnight shift (``("22:00", "06:00")``: Saturday 02:00 belongs to Friday's shift);
- a *working day* is a listed weekday that is not a holiday;
- a half hour is **in shift** when its shift day is a working day and its start is
  inside ``[shift start, shift end)``; otherwise it is **night** (outside the shift
  hours of a working day) or **weekend** (on a day that is not a working day).

:func:`shift_utilisation` and :func:`off_hours` both use this rule, for the half
hours used (numerators) and for the period's half hours (denominators). A pair's
half hours of an API day without data (``has_data`` False in ``usage.daily``)
leave the denominators: see :mod:`ocean_analytics.analysis.slots`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import holidays as holiday_calendars
import numpy as np
import pandas as pd

from ..dates import DayLike, as_day
from ..errors import InvalidArgumentError
from ..usage import Usage
from .grouping import group_columns
from .slots import (
    HALF_HOUR_S,
    api_days,
    as_tz,
    check_usage,
    in_window,
    no_data_rows,
    pairs_per_group,
    period_starts,
    sum_by,
    used_half_hours,
    with_counts,
)

__all__ = ["shift_utilisation", "off_hours"]

HolidaysLike = str | tuple[str, str] | Iterable[DayLike] | None

IN_SHIFT, NIGHT, WEEKEND = 0, 1, 2
_CLASS_COLUMNS = ["in_shift_s", "night_s", "weekend_s"]
_BOUND = re.compile(r"^(\d{2}):(00|30)$")


@dataclass(frozen=True)
class _Shift:
    """A checked shift rule: slots of the day (0 = 00:00 ... 48 = 24:00) on ``tz``."""

    first: int
    stop: int
    weekdays: frozenset[int]
    tz: str
    holidays: pd.DatetimeIndex


def _slot(text: object, name: str, *, last: bool) -> int:
    """The slot index of a shift bound ``"HH:MM"`` on a half hour (``"24:00"`` as an end)."""
    match = _BOUND.match(text) if isinstance(text, str) else None
    slot = int(match[1]) * 2 + (match[2] == "30") if match else 99
    if slot < 48 or (last and slot == 48 and text == "24:00"):
        return slot
    raise InvalidArgumentError(
        f"{name}={text!r} is not a shift bound: write 'HH:MM' on a half hour, from "
        f"'00:00' to '23:30'{' (or 24:00)' if last else ''}, e.g. '07:00' or '19:30'."
    )


def _weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    """Check the working weekdays (0 = Monday ... 6 = Sunday)."""
    days = list(weekdays) if isinstance(weekdays, Iterable) else [weekdays]
    good = [isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in days]
    if not days or not all(good) or not all(0 <= d <= 6 for d in days):
        raise InvalidArgumentError(
            f"weekdays={weekdays!r}: list the working weekdays as integers, "
            "0 = Monday ... 6 = Sunday, e.g. (0, 1, 2, 3, 4)."
        )
    return frozenset(int(d) for d in days)


def _calendar(code: str, subdiv: str | None, years: range) -> pd.DatetimeIndex:
    """The public holidays of a country (and subdivision) from the ``holidays`` package."""
    try:
        found = holiday_calendars.country_holidays(code, subdiv=subdiv, years=years)
    except NotImplementedError as error:
        raise InvalidArgumentError(
            f"holidays={(code if subdiv is None else (code, subdiv))!r}: {error}. Give a "
            "country code known to the holidays package ('FR'), a (country, subdivision) "
            "pair (('FR', '57')) or a list of dates (['2024-11-01'])."
        ) from None
    return pd.DatetimeIndex(sorted(found))


def _holiday_days(holidays: HolidaysLike, years: range) -> pd.DatetimeIndex:
    """The holidays as naive midnights: a country code, a (country, subdivision) pair or days."""
    if holidays is None:
        return pd.DatetimeIndex([])
    if isinstance(holidays, str):
        return _calendar(holidays, None, years)
    is_pair = isinstance(holidays, tuple) and len(holidays) == 2
    if is_pair and all(isinstance(part, str) for part in holidays) and holidays[0].isalpha():
        return _calendar(holidays[0], holidays[1], years)
    if not isinstance(holidays, Iterable):
        raise InvalidArgumentError(
            f"holidays={holidays!r}: give None, a country code ('FR'), a (country, "
            "subdivision) pair (('FR', '57')) or a list of dates (['2024-11-01'])."
        )
    return pd.DatetimeIndex([as_day(day, "holidays[...]") for day in holidays])


def _shift_rule(
    usage: Usage,
    shift: Sequence[str],
    weekdays: Iterable[int],
    tz: str,
    holidays: HolidaysLike,
) -> _Shift:
    """Check every argument of the shift rule; resolve holidays over the period's years."""
    if isinstance(shift, str) or not isinstance(shift, Sequence) or len(shift) != 2:
        raise InvalidArgumentError(
            f"shift={shift!r}: give the (start, end) pair of the shift, e.g. ('07:00', '19:00')."
        )
    first = _slot(shift[0], "shift start", last=False)
    stop = _slot(shift[1], "shift end", last=True)
    if first == stop:
        raise InvalidArgumentError(
            f"shift={tuple(shift)!r} is empty: its start and end must differ; for whole "
            "days write ('00:00', '24:00')."
        )
    years = range(usage.start.year - 1, usage.end.year + 2)
    return _Shift(first, stop, _weekdays(weekdays), as_tz(tz), _holiday_days(holidays, years))


def _classify(starts: pd.Series | pd.DatetimeIndex, rule: _Shift) -> np.ndarray:
    """The class of each half hour (``IN_SHIFT``, ``NIGHT``, ``WEEKEND``) by its start on ``tz``."""
    in_hours, shift_day = in_window(starts, rule.tz, rule.first, rule.stop)
    working = shift_day.day_of_week.isin(list(rule.weekdays)) & ~shift_day.isin(rule.holidays)
    return np.where(working, np.where(in_hours, IN_SHIFT, NIGHT), WEEKEND).astype(np.int8)


def _use_by_class(usage: Usage, rule: _Shift, by: list[str]) -> pd.DataFrame:
    """Per group: ``pairs``, ``in_shift_s``, ``night_s``, ``weekend_s`` (int64 seconds)."""
    used = used_half_hours(usage, by)
    kind = _classify(used["start"], rule)
    seconds = used["use_s"].to_numpy()
    used = used.assign(
        **{
            column: np.where(kind == code, seconds, 0)
            for column, code in zip(_CLASS_COLUMNS, (IN_SHIFT, NIGHT, WEEKEND), strict=True)
        }
    )
    groups = pairs_per_group(usage, by)
    return with_counts(groups, sum_by(used, by, _CLASS_COLUMNS), by, _CLASS_COLUMNS)


def _shift_slots(usage: Usage, rule: _Shift, by: list[str]) -> pd.DataFrame:
    """Per group: ``pairs`` and ``shift_slots``, the in-shift half hours its pairs offer.

    Each pair offers every in-shift half hour of the period but those of its API
    days without data.
    """
    starts = period_starts(usage)
    in_shift = pd.Series((_classify(starts, rule) == IN_SHIFT).astype(np.int64), index=api_days(starts))
    per_day = in_shift.groupby(level=0).sum()
    lost = no_data_rows(usage, by)
    lost = lost.assign(lost_slots=lost["date"].map(per_day).fillna(0).astype("int64"))
    groups = with_counts(pairs_per_group(usage, by), sum_by(lost, by, ["lost_slots"]), by, ["lost_slots"])
    return groups.assign(shift_slots=groups["pairs"] * int(in_shift.sum()) - groups["lost_slots"])


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part / whole``, NaN where ``whole`` is 0."""
    return (part / whole.where(whole > 0)).astype("float64")


def shift_utilisation(
    usage: Usage,
    *,
    shift: Sequence[str] = ("07:00", "19:00"),
    weekdays: Iterable[int] = (0, 1, 2, 3, 4),
    tz: str = "Europe/Paris",
    holidays: HolidaysLike = None,
    by: str | Sequence[str] | None = ("vehicle_id", "equipment"),
) -> pd.DataFrame:
    """Use inside and outside a work shift, and how much of the shift time was used.

    A half hour is *in shift* when its start, read on ``tz``, falls on a listed
    weekday that is not a holiday, inside ``[shift start, shift end)``. An overnight
    shift such as ``("22:00", "06:00")`` wraps past midnight: its morning part
    belongs to the shift of the day before (Saturday 02:00 is in Friday's shift).

    Parameters
    ----------
    usage : Usage
        What :func:`oa.fetch_usage` returns; ``daily`` must be the full grid.
    shift : (str, str)
        Start and end, ``"HH:MM"`` on a half hour, on ``tz``; the end is excluded
        and may be ``"24:00"``.
    weekdays : iterable of int
        The working weekdays, 0 = Monday ... 6 = Sunday.
    tz : str
        The IANA time zone on which shifts, weekdays and holidays are read.
    holidays : str, (str, str), iterable of days or None
        A country code of the ``holidays`` package (``"FR"``), a (country,
        subdivision) pair (``("FR", "57")``), or the days themselves (ISO strings,
        dates, Timestamps). Holidays are not working days.
    by : str, sequence of str or None
        ``vehicle_id``, ``equipment`` and any column of ``usage.vehicles`` (such as
        ``asset_type`` and, from the fleet listing, ``entity_name``, ``entity_id``,
        ``fleet_number``, ``make``, ``model``, ``plate``); None for one fleet-wide row.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted by ``by``), RangeIndex, ``attrs`` of ``usage.daily``:

        - the ``by`` columns;
        - ``in_shift_s`` (int64): seconds used in half hours in the shift;
        - ``off_shift_s`` (int64): seconds used in every other half hour;
        - ``shift_available_s`` (int64): 1800 s x the in-shift half hours that the
          group's vehicle x equipment pairs offer: each pair, every in-shift half
          hour of the period but those of its days without data (an API day whose
          ``usage.daily`` row has ``has_data`` False: the box could not report;
          ``<NA>`` and a ``daily`` without ``has_data`` count as data). The period is
          ``[usage.start 00:00, usage.end + 1 day 00:00)`` on ``usage.api_tz``, counted
          in real half hours: a daylight-saving day on Europe/Paris has 46 or 50;
          a pair exists when it has rows in ``usage.daily``;
        - ``shift_utilisation`` (float64): ``in_shift_s / shift_available_s``, 0..1
          (use recorded on a day without data still counts in ``in_shift_s``);
          NaN when the pairs offer no shift half hour (none in the period, or
          only on days without data);
        - ``off_shift_share`` (float64): ``off_shift_s / (in_shift_s + off_shift_s)``;
          NaN when nothing was used (no use, no share).

    Raises
    ------
    InvalidArgumentError
        On a bound not on a half hour, an empty shift, a weekday outside 0..6, an
        unknown time zone, country or subdivision, or an unknown ``by`` column.

    Examples
    --------
    >>> shifts = oa.shift_utilisation(usage, shift=("06:00", "14:00"), holidays="FR")
    >>> shifts.sort_values("shift_utilisation").head()
    """
    check_usage(usage)
    keys = group_columns(by, usage)
    rule = _shift_rule(usage, shift, weekdays, tz, holidays)
    groups = _use_by_class(usage, rule, keys)
    offered = _shift_slots(usage, rule, keys)["shift_slots"].to_numpy()
    off = groups["night_s"] + groups["weekend_s"]
    result = groups[keys].assign(
        in_shift_s=groups["in_shift_s"],
        off_shift_s=off,
        shift_available_s=HALF_HOUR_S * offered,
    )
    result["shift_utilisation"] = _share(result["in_shift_s"], result["shift_available_s"])
    result["off_shift_share"] = _share(off, result["in_shift_s"] + off)
    result.attrs = dict(usage.daily.attrs)
    return result


def off_hours(
    usage: Usage,
    *,
    shift: Sequence[str] = ("07:00", "19:00"),
    weekdays: Iterable[int] = (0, 1, 2, 3, 4),
    tz: str = "Europe/Paris",
    holidays: HolidaysLike = None,
    by: str | Sequence[str] | None = ("vehicle_id", "equipment"),
) -> pd.DataFrame:
    """Who runs equipment at night or at weekends: a ranking of off-shift use.

    Each half hour used is classified with the rule of :func:`shift_utilisation`,
    by its start read on ``tz``.

    Parameters
    ----------
    usage, shift, weekdays, tz, holidays, by
        As in :func:`shift_utilisation`.

    Returns
    -------
    pandas.DataFrame
        One row per group with ``off_shift_s > 0``, sorted by ``off_shift_s``
        descending (then by ``by``), RangeIndex, ``attrs`` of ``usage.daily``:

        - the ``by`` columns;
        - ``night_s`` (int64): seconds used outside the shift hours of working days;
        - ``weekend_s`` (int64): seconds used on days that are not working days
          (weekdays not listed, and holidays);
        - ``off_shift_s`` (int64): ``night_s + weekend_s``;
        - ``off_shift_share`` (float64): ``off_shift_s`` / all seconds used, 0..1.

    Raises
    ------
    InvalidArgumentError
        As :func:`shift_utilisation`.

    Examples
    --------
    >>> oa.off_hours(usage, holidays="FR").head(10)
    """
    check_usage(usage)
    keys = group_columns(by, usage)
    groups = _use_by_class(usage, _shift_rule(usage, shift, weekdays, tz, holidays), keys)
    off = groups["night_s"] + groups["weekend_s"]
    result = groups[keys].assign(night_s=groups["night_s"], weekend_s=groups["weekend_s"])
    result["off_shift_s"] = off
    result["off_shift_share"] = _share(off, groups["in_shift_s"] + off)
    result = result[off > 0].sort_values("off_shift_s", ascending=False, kind="stable")
    result = result.reset_index(drop=True)
    result.attrs = dict(usage.daily.attrs)
    return result

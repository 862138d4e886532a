"""Findings a fleet manager acts on: stuck inputs, unused equipment, contradictions, night work.

:func:`findings` reads one :class:`~ocean_analytics.Usage` and lists, in one tidy
frame, four kinds of facts, each with a sentence in plain English:

- ``"stuck_input"``: an equipment on for 23.5 h or more of a day (a wiring fault,
  a switch left on); a run of such consecutive days is one row;
- ``"never_used"``: an equipment the vehicle reports (it has rows in ``daily``)
  with 0 s over the period, on a vehicle whose box reported at least one day;
- ``"use_without_data"``: use recorded on a day whose ``has_data`` is False (the
  box could not report that day): the data contradict each other; a run of such
  days is one row;
- ``"night_use"``: use at night on at least ``min_nights`` distinct nights (the
  half hours of a stuck input's days left out: they are its finding).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InvalidArgumentError
from ..usage import Usage
from .coverage import daily_with_coverage, has_data
from .slots import as_tz, check_usage, in_window
from .utilisation import DAY_S, day_lengths

__all__ = ["KINDS", "FINDINGS", "findings"]

KINDS = ("stuck_input", "never_used", "use_without_data", "night_use")
"""The kinds of finding, in the order the frame lists them."""

FINDINGS: dict[str, str] = {
    "vehicle_id": "int32",
    "plate": "str",
    "equipment": "str",
    "kind": "str",
    "first_day": "datetime64[ns]",
    "last_day": "datetime64[ns]",
    "days": "int64",
    "hours": "float64",
    "sentence": "str",
}
"""The columns of :func:`findings` and their dtypes."""

_PAIR = ["vehicle_id", "equipment"]
_BOUND = re.compile(r"^(\d{2}):(00|30)$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Night:
    """A checked night rule: slots of the day (0 = 00:00 ... 47 = 23:30) on ``tz``."""

    first: int
    stop: int
    tz: str
    min_nights: int
    min_s: int

    @property
    def label(self) -> str:
        """``"21:00-05:00 Europe/Paris"``."""
        return f"{_clock(self.first)}-{_clock(self.stop)} {self.tz}"


def _clock(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


def _night_slot(text: object) -> int:
    """The slot of a night bound ``"HH:MM"`` on a half hour."""
    match = _BOUND.match(text) if isinstance(text, str) else None
    if match and int(match[1]) < 24:
        return int(match[1]) * 2 + (match[2] == "30")
    raise InvalidArgumentError(
        f"night bound {text!r} is not a time on a half hour: write 'HH:MM' from '00:00' to "
        "'23:30', e.g. night=('21:00', '05:00')."
    )


def _number(value: object, name: str, high: float, example: str, *, zero: bool) -> float:
    """``value`` as a float when it is a real number from 0 (allowed when ``zero``) to ``high``."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not (0 <= float(value) <= high) or (float(value) == 0 and not zero):
        bounds = f"from 0 to {high:g}" if zero else f"above 0 and at most {high:g}"
        raise InvalidArgumentError(f"{name}={value!r}: give a number {bounds}, e.g. {example}.")
    return float(value)


def _night_rule(night: Sequence[str], tz: str, min_nights: object, min_night_minutes: object) -> _Night:
    """Check the night arguments."""
    if isinstance(night, str) or not isinstance(night, Sequence) or len(night) != 2:
        raise InvalidArgumentError(
            f"night={night!r}: give the (start, end) of the night on tz, e.g. ('21:00', '05:00')."
        )
    first, stop = _night_slot(night[0]), _night_slot(night[1])
    if first == stop:
        raise InvalidArgumentError(f"night={tuple(night)!r} is empty: its start and end must differ.")
    is_int = isinstance(min_nights, (int, np.integer)) and not isinstance(min_nights, bool)
    if not is_int or min_nights < 1:
        raise InvalidArgumentError(f"min_nights={min_nights!r}: give a whole number of nights >= 1, e.g. 3.")
    minutes = _number(min_night_minutes, "min_night_minutes", 24 * 60, "30", zero=True)
    return _Night(first, stop, as_tz(tz), int(min_nights), round(minutes * 60))


def findings(
    usage: Usage,
    *,
    stuck_hours: float = 23.5,
    night: Sequence[str] = ("21:00", "05:00"),
    tz: str = "Europe/Paris",
    min_nights: int = 3,
    min_night_minutes: float = 30,
) -> pd.DataFrame:
    """Facts worth acting on, one row each, with a sentence a fleet manager understands.

    Parameters
    ----------
    usage : Usage
        What :func:`oa.fetch_usage` returns; ``daily`` must be the full grid. Its
        ``has_data`` column (in ``daily`` or ``vehicle_days``) is read when present;
        without it every day has data, and ``<NA>`` (coverage unknown) counts as data.
    stuck_hours : float
        Hours of use in one day, on a 24-hour day, from which an input reads as stuck
        (0 < h <= 24). On a daylight-saving day of ``usage.api_tz`` the bar moves with
        the day: 22.5 h of a 23-hour day, 24.5 h of a 25-hour one for 23.5.
    night : (str, str)
        Start and end of the night, ``"HH:MM"`` on a half hour, read on ``tz``; the
        end is excluded. A night past midnight (``("21:00", "05:00")``) belongs to
        the evening it starts on: Saturday 02:00 is in Friday's night.
    tz : str
        The IANA time zone on which ``night`` is read (the analyst's clock).
    min_nights : int
        Night use is *regular*, and listed, when it happened on at least this many
        distinct nights of the period.
    min_night_minutes : float
        A night counts when the equipment was used at least this many minutes in
        it (0 to 1440).

    Returns
    -------
    pandas.DataFrame
        Columns and dtypes of :data:`FINDINGS`; sorted by ``kind`` (in the order of
        :data:`KINDS`), ``vehicle_id``, ``equipment``, ``first_day``; RangeIndex;
        ``attrs`` of ``usage.daily``. Empty, with the same columns, when nothing is found.

        - ``vehicle_id`` (int32), ``plate`` (str, from ``usage.vehicles``; <NA>
          when unknown), ``equipment`` (str, the customer's label), ``kind`` (str);
        - ``first_day``, ``last_day`` (datetime64[ns], naive midnight): the run's days
          on ``usage.api_tz``; for ``never_used`` the first and last day with data;
          for ``night_use`` the first and last night, dated by its evening on ``tz``
          (a night begun on the evening before the period by the period's first day);
        - ``days`` (int64): days of the run; for ``never_used`` the days with data;
          for ``night_use`` the nights counted;
        - ``hours`` (float64): hours of use in those days (for ``night_use``, in
          night hours only); 0 for ``never_used``;
        - ``sentence`` (str): what was found and what to check, naming the vehicle by
          its plate (its id when unknown) and its site (``entity_name``) when known.

    Raises
    ------
    InvalidArgumentError
        Before anything is computed: ``usage`` not a Usage, missing columns or dates,
        ``stuck_hours`` outside (0, 24], a night bound not on a half hour or an empty
        night, an unknown ``tz``, ``min_nights`` < 1, ``min_night_minutes`` outside 0..1440.

    Examples
    --------
    >>> found = oa.findings(usage)
    >>> for sentence in found["sentence"]:
    ...     print(sentence)
    """
    check_usage(usage)
    if not pd.api.types.is_datetime64_dtype(usage.daily["date"]):
        raise InvalidArgumentError(
            f"usage.daily['date'] is {usage.daily['date'].dtype}, not naive datetime64 (midnight of "
            "the API's day): build the Usage's frames as ocean_analytics.frames describes them."
        )
    hours = _number(stuck_hours, "stuck_hours", 24, "23.5", zero=False)
    rule = _night_rule(night, tz, min_nights, min_night_minutes)
    daily = _daily(usage)
    stuck = _stuck_days(daily, round(hours * 3600))
    parts = [
        _runs(stuck, "stuck_input"),
        _never_used(daily),
        _without_data(daily),
        _night_use(usage, rule, stuck),
    ]
    return _finish(pd.concat(parts, ignore_index=True), usage, rule)


def _daily(usage: Usage) -> pd.DataFrame:
    """``daily`` with int64 ``use_s``, str ``equipment``, bool ``has_data`` and ``length_s``."""
    daily = daily_with_coverage(usage)
    timed = daily[["date"]].copy()
    timed.attrs = {"api_tz": usage.api_tz}
    frame = pd.DataFrame(
        {
            "vehicle_id": daily["vehicle_id"].astype("int32").to_numpy(),
            "equipment": daily["equipment"].astype("str").to_numpy(),
            "date": daily["date"].dt.normalize().to_numpy(),
            "use_s": daily["use_s"].astype("int64").to_numpy(),
            "has_data": has_data(daily),
            "length_s": day_lengths(timed),
        }
    )
    return frame.sort_values([*_PAIR, "date"], kind="stable").reset_index(drop=True)


def _spans(grouped: pd.api.typing.DataFrameGroupBy) -> pd.DataFrame:
    """Per group: ``first_day``, ``last_day``, ``days`` (rows) and ``use_s`` (their sum)."""
    return grouped.agg(
        first_day=("date", "min"), last_day=("date", "max"), days=("date", "size"), use_s=("use_s", "sum")
    )


def _runs(days: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Consecutive days of each pair as one row: first, last, days and hours of use."""
    if days.empty:
        return pd.DataFrame(columns=[*_PAIR, "kind", "first_day", "last_day", "days", "hours"])
    step = days.groupby(_PAIR, sort=False)["date"].diff() != pd.Timedelta(days=1)
    run = step.cumsum().rename("run")
    grouped = days.groupby([days["vehicle_id"], days["equipment"], run], sort=False)
    rows = _spans(grouped).reset_index().drop(columns="run")
    return rows.assign(kind=kind, hours=rows.pop("use_s") / 3600)


def _stuck_days(daily: pd.DataFrame, stuck_s: int) -> pd.DataFrame:
    """The rows of ``daily`` with use >= ``stuck_s`` (moved by the day's length off 24 h)."""
    return daily[daily["use_s"] >= stuck_s + daily["length_s"] - DAY_S]


def _without_data(daily: pd.DataFrame) -> pd.DataFrame:
    """Runs of days with use on a day without data."""
    return _runs(daily[(daily["use_s"] > 0) & ~daily["has_data"]], "use_without_data")


def _never_used(daily: pd.DataFrame) -> pd.DataFrame:
    """Pairs with 0 s over the period, on the days their vehicle's box reported."""
    reported = daily[daily["has_data"]]
    rows = _spans(reported.groupby(_PAIR, sort=False)).reset_index()
    total = daily.groupby(_PAIR, sort=False)["use_s"].sum().rename("total_s")
    rows = rows.join(total, on=_PAIR)
    rows = rows[rows["total_s"] == 0].drop(columns=["use_s", "total_s"])
    return rows.assign(kind="never_used", hours=0.0)


def _night_use(usage: Usage, rule: _Night, stuck: pd.DataFrame) -> pd.DataFrame:
    """Pairs used at least ``min_s`` on at least ``min_nights`` nights (read on ``tz``).

    The half hours of a pair's ``stuck`` days (on ``api_tz``) are left out: a stuck
    input is one finding, not also night work.
    """
    half_hours = usage.half_hours
    api_day = half_hours["start"].dt.tz_convert(usage.api_tz).dt.tz_localize(None).dt.normalize()
    keys = pd.MultiIndex.from_arrays(
        [half_hours["vehicle_id"].astype("int32"), half_hours["equipment"].astype("str"), api_day]
    )
    on_stuck_day = keys.isin(pd.MultiIndex.from_frame(stuck[[*_PAIR, "date"]]))
    inside, evening = in_window(half_hours["start"], rule.tz, rule.first, rule.stop)
    used = pd.DataFrame(
        {
            "vehicle_id": half_hours["vehicle_id"].astype("int32").to_numpy(),
            "equipment": half_hours["equipment"].astype("str").to_numpy(),
            "date": evening,
            "use_s": half_hours["use_s"].astype("int64").to_numpy(),
        }
    )[inside & ~on_stuck_day]
    nights = used.groupby([*_PAIR, "date"], sort=False)["use_s"].sum().reset_index()
    nights = nights[(nights["use_s"] >= max(rule.min_s, 1))]
    rows = _spans(nights.groupby(_PAIR, sort=False)).reset_index()
    rows = rows[rows["days"] >= rule.min_nights]
    # the period's first night may start on the evening before it: dated by the period's first day
    first_day = pd.Timestamp(usage.start)
    rows = rows.assign(first_day=rows["first_day"].where(rows["first_day"] >= first_day, first_day))
    return rows.assign(kind="night_use", hours=rows.pop("use_s") / 3600)


def _vehicle_column(usage: Usage, column: str) -> pd.Series:
    """``column`` of ``usage.vehicles`` by int64 vehicle id (str); empty when it has none."""
    vehicles = usage.vehicles
    if column not in vehicles.columns:
        return pd.Series(dtype="str")
    table = vehicles.drop_duplicates("vehicle_id").set_index("vehicle_id")[column]
    table.index = table.index.astype("int64")
    return table.astype("str")


def _finish(found: pd.DataFrame, usage: Usage, rule: _Night) -> pd.DataFrame:
    """The rows in :data:`FINDINGS` form: plates, sentences, dtypes, order."""
    if found.empty:
        result = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FINDINGS.items()})
        result.attrs = dict(usage.daily.attrs)
        return result
    ids = found["vehicle_id"].astype("int64")
    found = found.assign(
        plate=ids.map(_vehicle_column(usage, "plate")).astype("str"),
        site=ids.map(_vehicle_column(usage, "entity_name")).astype("str"),
        order=found["kind"].map({kind: k for k, kind in enumerate(KINDS)}),
    )
    found = found.sort_values(["order", "vehicle_id", "equipment", "first_day"], kind="stable")
    found["sentence"] = [_sentence(row, rule) for row in found.itertuples(index=False)]
    result = found[list(FINDINGS)].astype(FINDINGS).reset_index(drop=True)
    result.attrs = dict(usage.daily.attrs)
    return result


def _day(stamp: pd.Timestamp, *, year: bool = True, month: bool = True) -> str:
    """``3 Nov 2026``, or shorter when the span repeats the month and year."""
    text = f"{stamp.day}"
    if month:
        text += f" {_MONTHS[stamp.month - 1]}"
    return f"{text} {stamp.year}" if year else text


def _span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """``on 3 Nov 2026``, ``from 3 to 5 Nov 2026``, ``from 30 Nov to 2 Dec 2026``..."""
    if first == last:
        return f"on {_day(first)}"
    same_year = first.year == last.year
    same_month = same_year and first.month == last.month
    return f"from {_day(first, year=not same_year, month=not same_month)} to {_day(last)}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _hours(hours: float) -> str:
    return f"{hours:.0f} h" if abs(hours - round(hours)) < 0.05 else f"{hours:.1f} h"


def _sentence(row: object, rule: _Night) -> str:
    """What a fleet manager reads for one finding."""
    what = f"{row.equipment} of {row.plate if isinstance(row.plate, str) else f'vehicle {row.vehicle_id}'}"
    what += f" ({row.site})" if isinstance(row.site, str) else ""
    span = _span(row.first_day, row.last_day)
    if row.kind == "stuck_input":
        return (
            f"{what} was on for {_hours(row.hours / row.days)} a day {span} ({_count(row.days, 'day')}): "
            "the input is probably stuck; check the wiring."
        )
    if row.kind == "never_used":
        return (
            f"{what} was never used {span} ({_count(row.days, 'day')} with data): check whether "
            "the machine is needed, or whether the equipment's input is wired."
        )
    if row.kind == "use_without_data":
        return (
            f"{what} shows {_hours(row.hours)} of use {span} ({_count(row.days, 'day')}), when its box "
            "could not report: the platform's data contradict each other; ask Ocean's support."
        )
    return (
        f"{what} was used at night ({rule.label}) on {_count(row.days, 'night')} {span}, "
        f"{_hours(row.hours)} in all: check that this night work is planned."
    )

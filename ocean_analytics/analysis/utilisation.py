"""Utilisation rates and period totals of the daily grid, and the machines that could go.

Calendar basis: every vehicle x equipment x day cell of ``usage.daily`` offers
the real length of its day on the frame's ``attrs["api_tz"]`` (UTC when absent),
whether the vehicle worked that day or not: 86,400 s, or 82,800 s and 90,000 s on
the days the clock changes (Europe/Paris: 31/03/2024 and 27/10/2024), as
:func:`~ocean_analytics.analysis.shifts.shift_utilisation` counts real half hours.
A vehicle with two pieces of equipment offers twice the time. Days are the API's
days (calendar days on the client's ``api_tz``); no time zone conversion happens here.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..clock import Calendar, check_zone
from ..errors import InvalidArgumentError
from ..frames import DAILY
from ..usage import Usage
from .grouping import as_by, join_vehicles

__all__ = ["DAY_S", "FREQS", "day_lengths", "require_columns", "utilisation", "period_totals", "underused"]

DAY_S = 86_400
"""Seconds offered by one vehicle x equipment x day cell on a day without a clock change."""

FREQS = ("D", "W", "MS", "QS", "YS", None)
"""The ``freq`` values :func:`period_totals` accepts."""

DEFAULT_BY = ("vehicle_id", "equipment")
VEHICLE_LABELS = ("plate", "description", "asset_type")
METRICS = ["use_s", "available_s", "utilisation", "active_days"]
_PANDAS_PERIOD = {"MS": "M", "QS": "Q", "YS": "Y"}
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


def _checked_daily(daily: object) -> pd.DataFrame:
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


def day_lengths(daily: pd.DataFrame) -> np.ndarray:
    """The seconds of each row's day on ``daily.attrs["api_tz"]`` (UTC when absent), int64.

    Midnight to midnight in real time: 86,400 s, 82,800 s on a spring change day
    and 90,000 s on an autumn one (from :class:`ocean_analytics.clock.Calendar`).

    Raises
    ------
    InvalidArgumentError
        When ``attrs["api_tz"]`` is not a known IANA zone.
    """
    api_tz = check_zone(daily.attrs.get("api_tz", "UTC"))
    if daily.empty:
        return np.zeros(0, dtype=np.int64)
    days = daily["date"].dt.normalize()
    first = days.min()
    calendar = Calendar.build(first.date(), days.max().date(), api_tz)
    return calendar.day_seconds[(days - first).dt.days.to_numpy()]


def _totals(daily: pd.DataFrame, groupers: Sequence[pd.Series]) -> pd.DataFrame:
    """Use, available time, utilisation and active days per group of ``groupers``.

    ``groupers`` are named Series aligned with ``daily``; none means one group
    of every row. Groups are sorted by their keys (categories in category order,
    missing keys last) and only observed groups appear. Each row offers the
    length of its day (:func:`day_lengths`).
    """
    used = daily["use_s"] > 0
    vehicle_day = pd.concat(
        [*groupers, daily["vehicle_id"], daily["date"]], axis=1, keys=range(len(groupers) + 2)
    )
    first_use = (~vehicle_day.loc[used].duplicated()).reindex(daily.index, fill_value=False)
    work = pd.DataFrame(
        {"use_s": daily["use_s"].astype("int64"), "available_s": day_lengths(daily), "active_days": first_use}
    )
    keys = list(groupers) or [np.zeros(len(daily), dtype=np.int8)]
    sums = work.groupby(keys, observed=True, dropna=False, sort=True).sum()
    sums = sums.reset_index(drop=not groupers)
    rates = sums["use_s"] / sums["available_s"]
    sums.insert(sums.columns.get_loc("available_s") + 1, "utilisation", rates)
    return sums.astype(
        {"use_s": "int64", "available_s": "int64", "utilisation": "float64", "active_days": "int64"}
    )


def utilisation(daily: pd.DataFrame, by: str | Sequence[str] | None = DEFAULT_BY) -> pd.DataFrame:
    """Utilisation rate of each group of the daily grid, on a calendar basis.

    Parameters
    ----------
    daily : pandas.DataFrame
        ``usage.daily``: one row per vehicle x day x equipment, every day of the
        period, 0 where unused. Vehicle columns such as ``asset_type`` can be
        added first with :func:`ocean_analytics.analysis.grouping.join_vehicles` to group by them.
    by : str, sequence of str or None
        The grouping columns. None gives one row for the whole fleet.

    Returns
    -------
    pandas.DataFrame
        One row per observed group (empty categories give no row), sorted by the
        ``by`` columns (categories in their category order, missing values last),
        with a RangeIndex and the columns:

        - the ``by`` columns, with their dtypes;
        - ``use_s`` (int64): seconds of use summed over the group's cells;
        - ``available_s`` (int64): the seconds of the group's vehicle x equipment x
          day cells of ``daily``, each the real length of its day on
          ``daily.attrs["api_tz"]`` (86,400 s; 82,800 s or 90,000 s on a clock
          change day; UTC when the frame has no ``api_tz``). Calendar basis: every
          day counts, worked or not; a vehicle with two pieces of equipment offers twice;
        - ``utilisation`` (float64): ``use_s / available_s``, from 0 to 1;
        - ``active_days`` (int64): the number of distinct vehicle x date pairs of
          the group with ``use_s > 0`` in at least one of its cells. Grouped by
          vehicle and equipment, the days that equipment was used; grouped more
          coarsely, the vehicle-days with any use in the group (a vehicle using
          two pieces of equipment on one day counts once).

        ``attrs`` are copied from ``daily``. Empty ``daily``: no row, same columns.

    Raises
    ------
    InvalidArgumentError
        When ``daily`` is not the daily grid (a missing column, half hours,
        repeated cells, non-datetime dates, an unknown ``attrs["api_tz"]``), or
        ``by`` is not column names of it.

    Examples
    --------
    >>> rates = oa.utilisation(usage.daily)                  # per vehicle x equipment
    >>> fleet = oa.utilisation(usage.daily, by=None)         # one row
    >>> from ocean_analytics.analysis.grouping import join_vehicles
    >>> typed = join_vehicles(usage.daily, usage.vehicles, "asset_type")
    >>> oa.utilisation(typed, by="asset_type")
    """
    frame = _checked_daily(daily)
    keys = as_by(by, frame)
    result = _totals(frame, [frame[k] for k in keys])
    result.attrs = dict(daily.attrs)
    return result


def _checked_freq(freq: object) -> str | None:
    """``freq`` when it is one of :data:`FREQS`."""
    if freq is None or (isinstance(freq, str) and freq in FREQS):
        return freq
    raise InvalidArgumentError(
        f"freq={freq!r} is not supported: use 'D' (days), 'W' (Monday-to-Sunday weeks), "
        "'MS' (months), 'QS' (calendar quarters), 'YS' (years) or None (the whole period)."
    )


def _period_start(dates: pd.Series, freq: str | None) -> pd.Series:
    """The first day of the period of each date, as naive datetime64[ns]."""
    days = dates.dt.normalize()
    if freq is None:
        start = pd.Series(days.min(), index=dates.index)
    elif freq == "D":
        start = days
    elif freq == "W":
        start = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    else:
        start = days.dt.to_period(_PANDAS_PERIOD[freq]).dt.start_time
    return start.astype("datetime64[ns]").rename("period_start")


def period_totals(
    daily: pd.DataFrame,
    freq: str | None = "W",
    by: str | Sequence[str] | None = DEFAULT_BY,
) -> pd.DataFrame:
    """Use and utilisation of each group per day, week, month, quarter or year.

    Parameters
    ----------
    daily : pandas.DataFrame
        ``usage.daily`` (see :func:`utilisation`).
    freq : {"D", "W", "MS", "QS", "YS"} or None
        The periods: days; weeks from Monday to Sunday (labelled by their Monday,
        unlike pandas' own ``"W"`` which labels them by their Sunday); calendar
        months, quarters (starting January, April, July, October) and years;
        None for one period covering every fetched day. Any other alias (such
        as ``"W-MON"`` or ``"ME"``) is refused rather than reinterpreted.
    by : str, sequence of str or None
        The grouping columns, as in :func:`utilisation`. None: the whole fleet.

    Returns
    -------
    pandas.DataFrame
        One row per observed group x period, sorted by the ``by`` columns then
        ``period_start``, with a RangeIndex and the columns:

        - the ``by`` columns;
        - ``period_start`` (datetime64[ns], naive): the first day of the period
          on the API's days (the Monday for ``"W"``, the 1st for ``"MS"``...),
          or the first fetched day when ``freq`` is None;
        - ``use_s`` (int64) and ``use_h`` (float64, ``use_s / 3600``): use in the period;
        - ``available_s`` (int64): the real seconds of the cells of ``daily`` in
          the group and period, as in :func:`utilisation`. Only fetched days
          count, so a week cut by the start or the end of the fetch offers only
          its fetched days;
        - ``utilisation`` (float64): ``use_s / available_s``, from 0 to 1;
        - ``active_days`` (int64): as in :func:`utilisation`, within the period.

        ``attrs`` are copied from ``daily``. Empty ``daily``: no row, same columns.

    Raises
    ------
    InvalidArgumentError
        On a bad ``freq``, a ``by`` column that does not exist, or a ``daily``
        that is not the daily grid.

    Examples
    --------
    >>> weekly = oa.period_totals(usage.daily)                      # vehicle x equipment x week
    >>> monthly = oa.period_totals(usage.daily, "MS", by="equipment")
    >>> whole = oa.period_totals(usage.daily, None, by=None)        # one row
    """
    period = _checked_freq(freq)
    frame = _checked_daily(daily)
    keys = as_by(by, frame)
    starts = _period_start(frame["date"], period)
    result = _totals(frame, [*(frame[k] for k in keys), starts])
    result.insert(result.columns.get_loc("use_s") + 1, "use_h", result["use_s"] / 3600)
    result.attrs = dict(daily.attrs)
    return result


def _checked_threshold(threshold: object) -> float:
    """``threshold`` as a float when it is a real number in [0, 1]."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 <= threshold <= 1:
        raise InvalidArgumentError(
            f"threshold={threshold!r} must be a utilisation rate between 0 and 1, "
            "e.g. 0.05 for machines used less than 5% of the calendar time."
        )
    return float(threshold)


def _rates_of(usage_or_utilisation: object, by: str | Sequence[str] | None) -> pd.DataFrame:
    """The utilisation frame to rank: given, or computed from a Usage with vehicle labels."""
    if not isinstance(usage_or_utilisation, Usage):
        require_columns(
            usage_or_utilisation,
            ["utilisation"],
            name="usage_or_utilisation",
            hint="pass an oa.Usage or the frame oa.utilisation() returns",
        )
        return usage_or_utilisation
    rates = utilisation(usage_or_utilisation.daily, by)
    if "vehicle_id" not in rates.columns:
        return rates
    labels = [c for c in VEHICLE_LABELS if c not in rates.columns]
    joined = join_vehicles(rates, usage_or_utilisation.vehicles, labels)
    keys = [c for c in rates.columns if c not in METRICS]
    return joined[[*keys, *labels, *METRICS]]


def underused(
    usage_or_utilisation: Usage | pd.DataFrame,
    threshold: float = 0.05,
    by: str | Sequence[str] | None = DEFAULT_BY,
) -> pd.DataFrame:
    """The machines used less than ``threshold`` of the calendar time, least used first.

    These are the candidates to move to another site or to sell.

    Parameters
    ----------
    usage_or_utilisation : Usage or pandas.DataFrame
        A Usage, whose ``daily`` is first turned into rates with
        ``utilisation(usage.daily, by)``; or a frame :func:`utilisation` returned.
    threshold : float
        A utilisation rate in [0, 1]. Rows with ``utilisation < threshold`` (strictly)
        are kept, so 0 keeps nothing; pairs never used (utilisation 0) are kept
        by any positive threshold.
    by : str, sequence of str or None
        The grouping of the rates computed from a Usage; with a frame, columns of
        that frame. Either way, ties on ``utilisation`` are ordered by these columns.

    Returns
    -------
    pandas.DataFrame
        The rows of the utilisation frame below the threshold (columns as in
        :func:`utilisation`), sorted by ``utilisation`` ascending then by ``by``,
        with a RangeIndex and a last column ``rank`` (int64: 1 for the least used,
        then 2, 3... in that order, ties included). From a Usage, when ``by``
        includes ``vehicle_id``, ``plate``, ``description`` and ``asset_type``
        (str, from ``usage.vehicles``, missing for a vehicle absent from it)
        follow the ``by`` columns. ``attrs`` are copied.

    Raises
    ------
    InvalidArgumentError
        When ``threshold`` is not in [0, 1], the input is neither a Usage nor a
        frame with a ``utilisation`` column, or a ``by`` column does not exist.

    Examples
    --------
    >>> oa.underused(usage)                       # vehicle x equipment under 5%
    >>> oa.underused(usage, threshold=0.01, by="vehicle_id")
    >>> oa.underused(oa.utilisation(typed, by="asset_type"), 0.1, by="asset_type")
    """
    limit = _checked_threshold(threshold)
    rates = _rates_of(usage_or_utilisation, by)
    keys = as_by(by, rates)
    low = rates.loc[rates["utilisation"] < limit]
    low = low.sort_values(["utilisation", *keys], kind="stable", na_position="last")
    low = low.reset_index(drop=True)
    low["rank"] = np.arange(1, len(low) + 1, dtype="int64")
    low.attrs = dict(rates.attrs)
    return low

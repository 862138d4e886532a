"""Utilisation rates and period totals of the daily grid, and the machines that could go.

Calendar basis: every vehicle x equipment x day cell of ``usage.daily`` with data
offers the real length of its day on the frame's ``attrs["api_tz"]`` (UTC when
absent), whether the vehicle worked that day or not: 86,400 s, or 82,800 s and
90,000 s on the days the clock changes (Europe/Paris: 31/03/2024 and 27/10/2024),
as :func:`~ocean_analytics.analysis.shifts.shift_utilisation` counts real half hours.
A vehicle with two pieces of equipment offers twice the time. A cell whose
``has_data`` is False (the box could not report that day) offers nothing: no
data is not no use (see :mod:`ocean_analytics.analysis.coverage`). Days are the
API's days (calendar days on the client's ``api_tz``); no time zone conversion
happens here.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidArgumentError
from ..usage import Usage
from .coverage import SILENCE_COLUMNS, daily_with_coverage, silent_groups
from .grid import DAY_S, cell_totals, checked_daily, day_lengths, require_columns
from .grouping import as_by, group_columns, join_vehicles, with_vehicle_columns

# DAY_S, day_lengths and require_columns live in .grid; kept here for the modules importing them from here
__all__ = ["DAY_S", "FREQS", "day_lengths", "require_columns", "utilisation", "period_totals", "underused"]

FREQS = ("D", "W", "MS", "QS", "YS", None)
"""The ``freq`` values :func:`period_totals` accepts."""

DEFAULT_BY = ("vehicle_id", "equipment")
VEHICLE_LABELS = ("plate", "description", "asset_type")
LISTING_LABELS = ("fleet_number", "entity_name")
"""Labels of the fleet listing that :func:`underused` adds when ``usage.vehicles`` has them."""
UNDERUSED, SILENT = "under-used", "silent"
"""The values of the ``status`` column of :func:`underused`."""
METRICS = ["use_s", "available_s", "utilisation", "active_days"]
_PANDAS_PERIOD = {"MS": "M", "QS": "Q", "YS": "Y"}


def utilisation(daily: pd.DataFrame, by: str | Sequence[str] | None = DEFAULT_BY) -> pd.DataFrame:
    """Utilisation rate of each group of the daily grid, on a calendar basis.

    Parameters
    ----------
    daily : pandas.DataFrame
        ``usage.daily``: one row per vehicle x day x equipment, every day of the
        period, 0 where unused; its ``has_data`` column, when present, marks the
        days the box could not report (False). Vehicle columns such as
        ``asset_type`` or ``entity_name`` can be added first with
        :func:`ocean_analytics.analysis.grouping.join_vehicles` to group by them.
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
          day cells of ``daily`` with data, each the real length of its day on
          ``daily.attrs["api_tz"]`` (86,400 s; 82,800 s or 90,000 s on a clock
          change day; UTC when the frame has no ``api_tz``). Calendar basis: every
          day with data counts, worked or not; a vehicle with two pieces of
          equipment offers twice. A cell whose ``has_data`` is False (no data: the
          box could not report) offers 0 s; ``<NA>`` (coverage unknown) and a frame
          without ``has_data`` count as data;
        - ``utilisation`` (float64): ``use_s / available_s``, from 0 to 1 (use
          recorded on a day without data, a contradiction ``oa.findings`` reports,
          still counts in ``use_s``); NaN when ``available_s`` is 0 (a group with
          no day of data);
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
    frame = checked_daily(daily)
    keys = as_by(by, frame)
    result = cell_totals(frame, [frame[k] for k in keys])
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
        - ``available_s`` (int64): the real seconds of the cells of ``daily`` with
          data in the group and period, as in :func:`utilisation` (a day whose
          ``has_data`` is False offers 0 s). Only fetched days count, so a week
          cut by the start or the end of the fetch offers only its fetched days;
        - ``utilisation`` (float64): ``use_s / available_s``, from 0 to 1; NaN
          where the group has no day of data in the period;
        - ``active_days`` (int64): as in :func:`utilisation`, within the period.

        ``attrs`` are copied from ``daily``, plus ``freq`` (the ``freq`` given).
        Empty ``daily``: no row, same columns.

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
    frame = checked_daily(daily)
    keys = as_by(by, frame)
    starts = _period_start(frame["date"], period)
    result = cell_totals(frame, [*(frame[k] for k in keys), starts])
    result.insert(result.columns.get_loc("use_s") + 1, "use_h", result["use_s"] / 3600)
    result.attrs = {**daily.attrs, "freq": period}
    return result


def _checked_threshold(threshold: object) -> float:
    """``threshold`` as a float when it is a real number in [0, 1]."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 <= threshold <= 1:
        raise InvalidArgumentError(
            f"threshold={threshold!r} must be a utilisation rate between 0 and 1, "
            "e.g. 0.05 for machines used less than 5% of the calendar time."
        )
    return float(threshold)


def _usage_rates(usage: Usage, by: str | Sequence[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rates of a Usage per ``by`` with vehicle labels, and their groups' silence."""
    keys = group_columns(by, usage)
    daily = with_vehicle_columns(daily_with_coverage(usage), usage, keys)
    rates = utilisation(daily, keys)
    # the same grouping of the same rows as utilisation's: the groups come in the same order
    silence = silent_groups(daily, keys, usage.vehicles)
    if "vehicle_id" in keys:
        labels = [c for c in (*VEHICLE_LABELS, *LISTING_LABELS) if c in usage.vehicles.columns]
        labels = [c for c in labels if c not in keys]
        rates = join_vehicles(rates, usage.vehicles, labels)[[*keys, *labels, *METRICS]]
    return rates, silence.drop(columns=keys)


def _rates_of(
    usage_or_utilisation: object, by: str | Sequence[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The utilisation frame to rank (given, or from a Usage) and, row by row, its silence.

    The second frame has ``silent`` (bool) and, from a Usage whose vehicles have
    them, the :data:`~ocean_analytics.analysis.coverage.SILENCE_COLUMNS`.
    """
    if isinstance(usage_or_utilisation, Usage):
        return _usage_rates(usage_or_utilisation, by)
    require_columns(
        usage_or_utilisation,
        ["utilisation"],
        name="usage_or_utilisation",
        hint="pass an oa.Usage or the frame oa.utilisation() returns",
    )
    frame = usage_or_utilisation
    silent = frame["status"].eq(SILENT) if "status" in frame.columns else pd.Series(False, index=frame.index)
    return frame, pd.DataFrame({"silent": silent.to_numpy(dtype=bool)})


def underused(
    usage_or_utilisation: Usage | pd.DataFrame,
    threshold: float = 0.05,
    by: str | Sequence[str] | None = DEFAULT_BY,
) -> pd.DataFrame:
    """The machines used less than ``threshold`` of their time with data, then the silent ones.

    The first rows are the candidates to move to another site or to sell. A
    machine whose box went silent is never one of them: no data is not no use.
    It is listed apart, after them, to check the box rather than the machine.

    A group is **silent** when every vehicle in it is: its box has no data on
    the period's last day (``has_data`` False: it stopped communicating inside
    or before the period, or never communicated; see
    :mod:`ocean_analytics.analysis.coverage`). A box installed during the period
    and reporting since is not silent: it is judged on its days with data.

    Parameters
    ----------
    usage_or_utilisation : Usage or pandas.DataFrame
        A Usage, whose ``daily`` is first turned into rates with
        ``utilisation(usage.daily, by)`` (vehicle columns of ``by`` joined in from
        ``usage.vehicles``); or a frame :func:`utilisation` returned, which says
        nothing about silence: none of its rows is silent (but for rows whose
        ``status`` is already ``"silent"``, in a frame this function returned).
    threshold : float
        A utilisation rate in [0, 1]. Rows with ``utilisation < threshold`` (strictly)
        are under-used, so 0 keeps none; pairs never used (utilisation 0) are kept
        by any positive threshold. Silent rows are listed whatever their rate.
    by : str, sequence of str or None
        The grouping of the rates computed from a Usage: ``vehicle_id``,
        ``equipment`` and any column of ``usage.vehicles`` (``asset_type``, and from
        the fleet listing ``entity_name``, ``entity_id``, ``fleet_number``,
        ``make``, ``model``, ``plate``); with a frame, columns of that frame.
        Ties on ``utilisation`` are ordered by these columns.

    Returns
    -------
    pandas.DataFrame
        RangeIndex, ``attrs`` copied. First the under-used rows (``utilisation <
        threshold``, not silent), sorted by ``utilisation`` ascending then by ``by``;
        then the silent rows, sorted by ``by``. Columns:

        - those of :func:`utilisation`: ``use_s``, ``available_s`` and
          ``utilisation`` count only the days with data, so a silent row shows
          its rate over the days its boxes reported (NaN when they never did);
        - from a Usage, when ``by`` includes ``vehicle_id``: ``plate``,
          ``description``, ``asset_type`` and, when ``usage.vehicles`` has them,
          ``fleet_number`` and ``entity_name`` (str, missing for a vehicle absent
          from it) follow the ``by`` columns;
        - ``status`` (str): ``"under-used"`` or ``"silent"``;
        - ``rank`` (Int64): 1 for the least used, then 2, 3... in that order, ties
          included; ``<NA>`` on silent rows;
        - from a Usage whose ``vehicles`` has them: ``last_data_day``
          (datetime64[ns]: the day of the last communication of the row's silent
          vehicles, the latest of them; NaT on under-used rows and for a box that
          never communicated) and ``silence_reason`` (str: the reason recorded on
          the platform, distinct reasons joined by "; "; <NA> when none).

    Raises
    ------
    InvalidArgumentError
        When ``threshold`` is not in [0, 1], the input is neither a Usage nor a
        frame with a ``utilisation`` column, or a ``by`` column does not exist.

    Examples
    --------
    >>> oa.underused(usage)                       # vehicle x equipment under 5%, then the silent
    >>> oa.underused(usage, threshold=0.01, by="vehicle_id")
    >>> oa.underused(usage, by="entity_name")     # per site
    >>> oa.underused(oa.utilisation(typed, by="asset_type"), 0.1, by="asset_type")
    """
    limit = _checked_threshold(threshold)
    rates, silence = _rates_of(usage_or_utilisation, by)
    keys = as_by(by, rates)
    attrs = dict(rates.attrs)
    rates = rates.drop(columns=["status", "rank"], errors="ignore").reset_index(drop=True)
    silent = silence["silent"].to_numpy(dtype=bool)
    shown = [c for c in SILENCE_COLUMNS if c in silence.columns]
    rates = rates.assign(
        status=np.where(silent, SILENT, UNDERUSED),
        **{c: silence[c].set_axis(rates.index) for c in shown},
    )
    low = rates.loc[~silent & (rates["utilisation"] < limit).to_numpy()]
    low = low.sort_values(["utilisation", *keys], kind="stable", na_position="last")
    quiet = rates.loc[silent]
    quiet = quiet.sort_values(keys, kind="stable", na_position="last") if keys else quiet
    result = pd.concat([low, quiet]).reset_index(drop=True)
    rank = pd.array([*range(1, len(low) + 1), *[pd.NA] * len(quiet)], dtype="Int64")
    result.insert(result.columns.get_loc("status") + 1, "rank", rank)
    result = result.astype({"status": "str"})
    result.attrs = attrs
    return result

"""Plots of totals: hours of use per day, and use or utilisation per week, month...

Each takes the frame an analysis helper returns, draws only on the Axes it is
given (a new figure when none is), names the period, its clock and the units,
keeps its legend outside the data and returns the Axes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..analysis.grouping import as_by
from ..analysis.utilisation import require_columns
from ..errors import InvalidArgumentError
from .dateaxis import set_date_axis
from .layout import (
    Percent,
    api_tz_of,
    column_words,
    frame_period,
    group_colors,
    legend_outside,
    new_axes,
    plate_names,
    say_empty,
    titled,
)
from .periods import PERIOD_WORDS, partial_periods, period_kind

__all__ = ["plot_daily_usage", "plot_period_totals"]

HOUR_S = 3600
ALL = "all vehicles"
LONG_PERIOD_DAYS = 92
"""Beyond this many days, daily bars touch (width 1 day) so that a year reads as one surface."""
PERIOD_VALUES = {
    "use_h": ("Use (hours)", "use"),
    "utilisation": ("Utilisation (% of calendar time)", "utilisation"),
}


def _groups(
    frame: pd.DataFrame, keys: list[str], vehicles: pd.DataFrame | None
) -> list[tuple[str, pd.DataFrame]]:
    """``(name, rows)`` of each observed group of ``keys``; no keys: one group of every row.

    A name joins the key values with " · ", a missing value as "unknown" and a
    vehicle by its plate when known (see :func:`plate_names`).
    """
    if not keys:
        return [(ALL, frame)] if len(frame) else []
    plates = plate_names(frame, vehicles) if "vehicle_id" in keys else {}
    grouped = frame.groupby(keys, observed=True, dropna=False, sort=True)
    named = []
    for key, rows in grouped:
        values = key if isinstance(key, tuple) else (key,)
        words = [
            "unknown" if pd.isna(v) else plates.get(v, str(v)) if column == "vehicle_id" else str(v)
            for column, v in zip(keys, values, strict=True)
        ]
        named.append((" · ".join(words), rows))
    return named


def _colored(kwargs: dict, count: int) -> list[dict]:
    """The keyword arguments of each of ``count`` groups: distinct colours unless ``color`` is given."""
    if "color" in kwargs or "c" in kwargs:
        return [kwargs] * count
    return [{**kwargs, "color": color} for color in group_colors(count)]


def _day_label(name: str, frame: pd.DataFrame) -> str:
    """``name`` with the clock the days are cut on: "Day (Europe/Paris)"."""
    tz = api_tz_of(frame)
    return f"{name} ({tz})" if tz else name


def plot_daily_usage(
    daily: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str | Sequence[str] | None = "equipment",
    vehicles: pd.DataFrame | None = None,
    **kwargs,
) -> Axes:
    """Hours of use per day, as bars stacked by equipment (or another column).

    Parameters
    ----------
    daily : pandas.DataFrame
        ``usage.daily`` (or any frame with ``date`` and ``use_s``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 9 x 4.5 in figure (constrained layout) when None.
    by : str, sequence of str or None
        The column(s) whose groups are stacked, one bar segment each (in
        category order); None stacks nothing.
    vehicles : pandas.DataFrame, optional
        ``usage.vehicles``: with ``by`` including ``vehicle_id``, segments are
        named by plate (the id where the plate is unknown). Without it, a
        ``plate`` column of ``daily`` is used when there is one.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` (``width`` defaults to 0.8 day;
        ``color`` to one colour per group); beyond 92 days, to
        :meth:`matplotlib.axes.Axes.stairs` instead.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per day and group: x is the API's day (a date axis on
        ``daily.attrs["api_tz"]``, named in the x label), the height the group's
        ``use_s`` summed over its vehicles that day / 3600, in hours; the
        segments of a day are stacked. Beyond 92 days the bars touch (1 day wide)
        and each group is drawn as one filled step patch (``ax.patches``, one step
        per day, ``baseline`` the groups below): the same picture, drawn at once
        rather than as thousands of bars. The legend sits right of the Axes, the
        top segment first; the title names the period (``attrs`` ``start`` and
        ``end``, else the days drawn) and the customer when ``attrs`` has it.

    Examples
    --------
    >>> ax = oa.plot_daily_usage(usage.daily)
    >>> oa.plot_daily_usage(usage.daily, by="vehicle_id", vehicles=usage.vehicles)
    >>> typed = oa.join_vehicles(usage.daily, usage.vehicles, "asset_type")
    >>> oa.plot_daily_usage(typed, by="asset_type")
    """
    require_columns(daily, ["date", "use_s"], name="daily", hint="pass usage.daily")
    keys = as_by(by, daily)
    groups = _groups(daily, keys, vehicles)
    ax = new_axes(ax)
    dates = pd.DatetimeIndex(daily["date"].drop_duplicates().sort_values())
    long = len(dates) > LONG_PERIOD_DAYS
    kwargs = ({"linewidth": 0} if long else {"width": 0.8}) | kwargs
    edges = mdates.date2num(dates) - 0.5
    edges = np.append(edges, edges[-1] + 1) if len(dates) else edges
    bottom = np.zeros(len(dates))
    for (name, rows), style in zip(groups, _colored(kwargs, len(groups)), strict=True):
        hours = (rows.groupby("date")["use_s"].sum().reindex(dates, fill_value=0) / HOUR_S).to_numpy()
        if long:  # touching one-day bars, as one filled step outline per group (fast for a year)
            ax.stairs(bottom + hours, edges, baseline=bottom, fill=True, label=name, **style)
        else:
            ax.bar(dates, hours, bottom=bottom, label=name, **style)
        bottom = bottom + hours
    if len(dates):
        first, last = mdates.date2num(dates[[0, -1]])
        ax.set_xlim(first - 0.5, last + 0.5)
    for patch in ax.patches:  # an empty segment on top of the busiest day must not stick there
        patch.sticky_edges.y[:] = [0.0]
    ax.autoscale_view(scalex=False)
    set_date_axis(ax, dt.UTC)  # naive days: midnight of the API's day, read as is
    what = f"Daily use by {column_words(keys)}" if keys else "Daily use of all vehicles"
    ax.set(
        xlabel=_day_label("Day", daily),
        ylabel="Use (hours)",
        title=titled(what, daily, frame_period(daily, daily["date"])),
    )
    if keys:
        legend_outside(ax, column_words(keys), reverse=True)
    if not groups:
        say_empty(ax, "No day to draw: the frame is empty.")
    return ax


def _partial_note(kind: str) -> Line2D:
    """The legend entry explaining the open markers of partial periods."""
    return Line2D(
        [],
        [],
        linestyle=":",
        marker="o",
        color="0.3",
        markerfacecolor="white",
        label=f"partial {kind}: only its fetched\ndays, not comparable",
    )


def plot_period_totals(
    totals: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str | Sequence[str] | None = "equipment",
    value: str = "use_h",
    vehicles: pd.DataFrame | None = None,
    **kwargs,
) -> Axes:
    """One line per group over the periods: hours of use or utilisation.

    Parameters
    ----------
    totals : pandas.DataFrame
        What :func:`ocean_analytics.period_totals` returns (``period_start``,
        ``use_s`` and ``available_s`` are needed).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 9 x 4.5 in figure (constrained layout) when None.
    by : str, sequence of str or None
        The column(s) whose groups get a line each; None draws one line for
        every row together.
    value : {"use_h", "utilisation"}
        ``"use_h"``: the group's ``use_s`` summed per period / 3600, in hours.
        ``"utilisation"``: the group's summed ``use_s`` over its summed
        ``available_s`` per period x 100, in % (a pooled rate, not the mean of
        the rows' rates).
    vehicles : pandas.DataFrame, optional
        ``usage.vehicles``, to name vehicle lines by plate (see :func:`plot_daily_usage`).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (``marker`` defaults to "o",
        ``color`` to one colour per group).

    Returns
    -------
    matplotlib.axes.Axes
        x is ``period_start`` (the first day of each period, a date axis on the
        API's days, ``attrs["api_tz"]``); y starts at 0 (in % with ticks such as
        "10%" for utilisation). When the periods are weeks, months, quarters or
        years and ``attrs`` hold the fetched ``start`` and ``end``, a period the
        fetch covers only in part (e.g. a week cut by the 1st of the month) is
        left out of the group's line (labelled by the group) and drawn with an
        open marker on a dotted line (labelled "_partial <group>", so that it
        stays out of the legend), explained in the legend, since its total is
        not comparable with the full periods'. The legend sits right of the Axes.

    Raises
    ------
    InvalidArgumentError
        On an unknown ``value`` or ``by`` column, or a frame lacking the columns.

    Examples
    --------
    >>> weekly = oa.period_totals(usage.daily, "W")
    >>> oa.plot_period_totals(weekly)                                  # hours per equipment
    >>> oa.plot_period_totals(weekly, by=None, value="utilisation")    # the fleet's rate
    """
    require_columns(
        totals,
        ["period_start", "use_s", "available_s"],
        name="totals",
        hint="pass what oa.period_totals() returns",
    )
    if value not in PERIOD_VALUES:
        raise InvalidArgumentError(f"value={value!r} is not drawn: use one of {list(PERIOD_VALUES)!r}.")
    keys = as_by(by, totals)
    groups = _groups(totals, keys, vehicles)
    ax = new_axes(ax)
    starts = pd.DatetimeIndex(totals["period_start"].drop_duplicates().sort_values())
    kind = period_kind(starts)
    partial = partial_periods(starts, kind, frame_period(totals))
    for (name, rows), style in zip(groups, _colored({"marker": "o", **kwargs}, len(groups)), strict=True):
        sums = rows.groupby("period_start")[["use_s", "available_s"]].sum()
        use = sums["use_s"]
        heights = use / HOUR_S if value == "use_h" else use / sums["available_s"] * 100
        cut = sums.index.isin(partial)
        (line,) = ax.plot(sums.index[~cut], heights.to_numpy()[~cut], label=name, **style)
        if cut.any():
            ax.plot(
                sums.index,
                heights.to_numpy(),
                **{**style, "color": line.get_color()},
                linestyle=":",
                markevery=list(np.flatnonzero(cut)),
                markerfacecolor="white",
                label=f"_partial {name}",
            )
    _period_axis(ax, starts)
    ylabel, measure = PERIOD_VALUES[value]
    ax.set_ylim(bottom=0)
    if value == "utilisation":
        ax.yaxis.set_major_formatter(Percent())
    adverb, axis_name = PERIOD_WORDS.get(kind, ("", "Period start"))
    what = f"{adverb} {measure}" if adverb else f"{measure.capitalize()} per period"
    what += f" by {column_words(keys)}" if keys else " of all vehicles"
    ax.set(
        xlabel=_day_label(axis_name, totals), ylabel=ylabel, title=titled(what, totals, frame_period(totals))
    )
    extra = [_partial_note(kind)] if len(partial) and groups else []
    if keys or extra:
        legend_outside(ax, column_words(keys), extra=extra)
    if not groups:
        say_empty(ax, "No period to draw: the frame is empty.")
    return ax


def _period_axis(ax: Axes, starts: pd.DatetimeIndex) -> None:
    """A date axis over the period starts, half a period of room either side."""
    if len(starts) == 1:  # one period: its day alone, written in full
        ax.set_xticks(starts, labels=starts.strftime("%a %d %b %Y"))
        ax.set_xlim(mdates.date2num(starts[0]) - 1, mdates.date2num(starts[0]) + 1)
        return
    set_date_axis(ax, dt.UTC)
    if len(starts):
        points = mdates.date2num(starts)
        half = np.diff(points).min() / 2
        ax.set_xlim(points[0] - half, points[-1] + half)

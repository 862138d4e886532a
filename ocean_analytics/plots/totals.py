"""Plots of totals: daily use, the utilisation ranking and use per period.

Each takes the frame an analysis helper returns, draws only on the Axes it is
given (a new figure when none is), labels its axes with units and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..analysis.grouping import as_by
from ..analysis.utilisation import require_columns
from ..errors import InvalidArgumentError

__all__ = ["plot_daily_usage", "plot_utilisation", "plot_period_totals"]

HOUR_S = 3600
ALL = "all vehicles"
PERIOD_VALUES = {
    "use_h": ("Use (hours)", "Use per period"),
    "utilisation": ("Utilisation (% of calendar time)", "Utilisation per period"),
}


def _axes(ax: Axes | None) -> Axes:
    """``ax``, or the Axes of a new figure when it is None."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _label(values: Iterable[object]) -> str:
    """One name from key values: joined by " · ", a missing value as "unknown"."""
    return " · ".join("unknown" if pd.isna(v) else str(v) for v in values)


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """``(name, rows)`` of each observed group of ``keys``; no keys: one group of every row."""
    if not keys:
        return [(ALL, frame)] if len(frame) else []
    grouped = frame.groupby(keys, observed=True, dropna=False, sort=True)
    return [(_label(key), rows) for key, rows in grouped]


def _legend(ax: Axes, keys: list[str]) -> None:
    """A legend titled by the grouping columns, when there are groups to tell apart."""
    if keys and ax.get_legend_handles_labels()[0]:
        ax.legend(title=" · ".join(keys))


def plot_daily_usage(
    daily: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str | Sequence[str] | None = "equipment",
    **kwargs,
) -> Axes:
    """Hours of use per day, as bars stacked by equipment (or another column).

    Parameters
    ----------
    daily : pandas.DataFrame
        ``usage.daily`` (or any frame with ``date`` and ``use_s``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    by : str, sequence of str or None
        The column(s) whose groups are stacked, one bar segment each (in
        category order); None stacks nothing.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar` (``width`` defaults to 0.8 day).

    Returns
    -------
    matplotlib.axes.Axes
        One bar per day and group: x is the API's day (a date axis), the
        height the group's ``use_s`` summed over its vehicles that day / 3600,
        in hours; the segments of a day are stacked.

    Examples
    --------
    >>> ax = oa.plot_daily_usage(usage.daily)
    >>> from ocean_analytics.analysis.grouping import join_vehicles
    >>> typed = join_vehicles(usage.daily, usage.vehicles, "asset_type")
    >>> oa.plot_daily_usage(typed, by="asset_type")
    """
    require_columns(daily, ["date", "use_s"], name="daily", hint="pass usage.daily")
    keys = as_by(by, daily)
    ax = _axes(ax)
    dates = pd.DatetimeIndex(daily["date"].drop_duplicates().sort_values())
    bottom = np.zeros(len(dates))
    for name, rows in _groups(daily, keys):
        hours = rows.groupby("date")["use_s"].sum().reindex(dates, fill_value=0) / HOUR_S
        ax.bar(dates, hours.to_numpy(), bottom=bottom, label=name, **{"width": 0.8, **kwargs})
        bottom = bottom + hours.to_numpy()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set(xlabel="Day", ylabel="Use (hours)", title="Daily use, summed over vehicles")
    _legend(ax, keys)
    return ax


def _bar_names(util: pd.DataFrame, label: str | Sequence[str] | None) -> list[str]:
    """The name of each row: ``label``'s columns, or plate (else id) and equipment."""
    if label is not None:
        shown = util[as_by(label, util, name="label")]
    else:
        shown = util[[c for c in ("vehicle_id", "equipment") if c in util.columns]]
        if "plate" in util.columns and "vehicle_id" in util.columns:
            plate = util["plate"].astype("str")
            known = plate.notna() & (plate.str.strip() != "")
            shown = shown.assign(vehicle_id=plate.where(known, util["vehicle_id"].astype("str")))
        if shown.columns.empty and "use_s" in util.columns:
            shown = util.iloc[:, : util.columns.get_loc("use_s")]
    if shown.columns.empty:
        return [ALL] * len(util)
    return [_label(row) for row in shown.itertuples(index=False)]


def _checked_top(top: object) -> int | None:
    """``top`` when it is None or a positive int."""
    if top is None or (isinstance(top, int | np.integer) and not isinstance(top, bool) and top > 0):
        return top
    raise InvalidArgumentError(
        f"top={top!r} must be a positive number of bars (e.g. 20) or None for all of them."
    )


def plot_utilisation(
    util: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int | None = None,
    label: str | Sequence[str] | None = None,
    **kwargs,
) -> Axes:
    """Utilisation ranking: one horizontal bar per row, in %, the most used at the top.

    Parameters
    ----------
    util : pandas.DataFrame
        What :func:`ocean_analytics.analysis.utilisation` or :func:`ocean_analytics.underused`
        returns (any frame with a ``utilisation`` column, 0..1).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    top : int, optional
        Draw only the ``top`` most used rows; None draws every row.
    label : str or sequence of str, optional
        The column(s) naming each bar, joined by " · ". By default the plate
        (the vehicle id where there is no plate or no ``plate`` column) and the
        equipment; without these, the columns before ``use_s`` (the grouping
        columns); without any, "all vehicles".
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        Bar widths are ``utilisation x 100`` (% of the calendar time), sorted
        so that the largest is at the top (ties keep the frame's order, the
        earlier row lower); the y tick labels name the bars.

    Examples
    --------
    >>> oa.plot_utilisation(oa.utilisation(usage.daily), top=20)
    >>> oa.plot_utilisation(oa.underused(usage))
    """
    require_columns(util, ["utilisation"], name="util", hint="pass what oa.utilisation() returns")
    count = _checked_top(top)
    names = np.array(_bar_names(util, label), dtype=object)
    percent = util["utilisation"].to_numpy(dtype="float64") * 100
    order = np.argsort(percent, kind="stable")
    if count is not None:
        order = order[-count:]
    ax = _axes(ax)
    positions = np.arange(len(order))
    ax.barh(positions, percent[order], **kwargs)
    ax.set_yticks(positions, list(names[order]))
    ax.set(xlabel="Utilisation (% of calendar time)", title="Utilisation ranking")
    return ax


def plot_period_totals(
    totals: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str | Sequence[str] | None = "equipment",
    value: str = "use_h",
    **kwargs,
) -> Axes:
    """One line per group over the periods: hours of use or utilisation.

    Parameters
    ----------
    totals : pandas.DataFrame
        What :func:`ocean_analytics.period_totals` returns (``period_start``,
        ``use_s`` and ``available_s`` are needed).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    by : str, sequence of str or None
        The column(s) whose groups get a line each; None draws one line for
        every row together.
    value : {"use_h", "utilisation"}
        ``"use_h"``: the group's ``use_s`` summed per period / 3600, in hours.
        ``"utilisation"``: the group's summed ``use_s`` over its summed
        ``available_s`` per period x 100, in % (a pooled rate, not the mean of
        the rows' rates).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (``marker`` defaults to "o").

    Returns
    -------
    matplotlib.axes.Axes
        x is ``period_start`` (the first day of each period, a date axis).

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
    ax = _axes(ax)
    for name, rows in _groups(totals, keys):
        sums = rows.groupby("period_start")[["use_s", "available_s"]].sum()
        use = sums["use_s"]
        heights = use / HOUR_S if value == "use_h" else use / sums["available_s"] * 100
        ax.plot(sums.index, heights.to_numpy(), label=name, **{"marker": "o", **kwargs})
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ylabel, title = PERIOD_VALUES[value]
    ax.set(xlabel="Period start", ylabel=ylabel, title=title)
    _legend(ax, keys)
    return ax

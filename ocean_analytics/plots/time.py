"""Plots over the clock: the weekday x time-of-day heatmap and one vehicle's timeline."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..analysis.slots import HALF_HOUR_S, SLOT_LABELS, as_tz, local_midnight
from ..analysis.utilisation import require_columns
from ..dates import DayLike, as_day, as_period
from ..errors import InvalidArgumentError

__all__ = ["plot_profile", "plot_timeline"]

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_S = 86_400


def _axes(ax: Axes | None) -> Axes:
    """``ax``, or the Axes of a new figure when it is None."""
    return plt.subplots()[1] if ax is None else ax


def _week_matrix(profile: pd.DataFrame) -> np.ma.MaskedArray:
    """Shares in % as a 7 x 48 array (weekday x slot), masked where absent or NaN."""
    require_columns(
        profile,
        ["weekday", "time", "share"],
        name="profile",
        hint="pass the frame oa.occupancy_profile() returns",
    )
    slot = pd.Index(SLOT_LABELS).get_indexer(profile["time"])
    weekday = profile["weekday"].to_numpy()
    if (slot < 0).any() or not np.isin(weekday, range(7)).all():
        raise InvalidArgumentError(
            "profile has times other than '00:00'..'23:30' or weekdays outside 0..6: "
            "pass the frame oa.occupancy_profile() returns."
        )
    if profile.duplicated(["weekday", "time"]).any():
        raise InvalidArgumentError(
            "profile holds several groups (a weekday and time appear more than once): "
            "plot one group, e.g. profile[profile['equipment'] == 'Grue']."
        )
    matrix = np.full((7, 48), np.nan)
    matrix[weekday, slot] = profile["share"].to_numpy(dtype="float64") * 100
    return np.ma.masked_invalid(matrix)


def plot_profile(profile: pd.DataFrame, *, ax: Axes | None = None, cmap: str = "viridis", **kwargs) -> Axes:
    """Heatmap of the occupancy profile: weekday (rows) x time of day (columns), in %.

    Parameters
    ----------
    profile : pandas.DataFrame
        What :func:`oa.occupancy_profile` returns, for one group (filter a grouped
        profile first). Times and weekdays are on the profile's ``tz``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    cmap : str
        The colour map.
    **kwargs
        Passed to :meth:`Axes.imshow` (``vmin`` defaults to 0).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: one image of 7 x 48 cells, the share of time in use in %
        (masked where that half hour never occurs in the period), rows Monday to
        Sunday, ticks every 2 hours, and a colorbar on the same figure.

    Examples
    --------
    >>> ax = oa.plot_profile(oa.occupancy_profile(usage))
    """
    matrix = _week_matrix(profile)
    ax = _axes(ax)
    kwargs.setdefault("vmin", 0)
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, interpolation="nearest", **kwargs)
    ax.figure.colorbar(image, ax=ax, label="time in use (%)")
    ax.set_yticks(range(7), labels=WEEKDAY_LABELS)
    ax.set_xticks(np.arange(0, 48, 4) - 0.5, labels=SLOT_LABELS[::4])
    tz = profile.attrs.get("profile_tz")
    ax.set_xlabel(f"time of day ({tz})" if tz else "time of day")
    ax.set_ylabel("weekday")
    ax.set_title("Share of time in use (%) per half hour of the week")
    return ax


def _window(
    local: pd.Series, start: DayLike | None, end: DayLike | None, tz: str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start 00:00, end + 1 day 00:00)`` on ``tz``; by default the days of ``local``."""
    first = as_day(start, "start") if start is not None else local.min().date()
    last = as_day(end, "end") if end is not None else local.max().date()
    first, last = as_period(first, last)
    return local_midnight(first, tz), local_midnight(last + dt.timedelta(days=1), tz)


def _vehicle_rows(half_hours: pd.DataFrame, vehicle_id: int) -> pd.DataFrame:
    """The half hours of one vehicle; an error naming it when it has none."""
    require_columns(
        half_hours,
        ["vehicle_id", "equipment", "start", "use_s"],
        name="half_hours",
        hint="pass usage.half_hours",
    )
    if not isinstance(half_hours["start"].dtype, pd.DatetimeTZDtype):
        raise InvalidArgumentError("half_hours['start'] must be tz-aware: pass usage.half_hours as fetched.")
    rows = half_hours.loc[half_hours["vehicle_id"] == vehicle_id]
    if rows.empty:
        some = sorted(half_hours["vehicle_id"].unique().tolist())[:10]
        raise InvalidArgumentError(
            f"vehicle_id={vehicle_id!r} has no half hour with use in half_hours; "
            f"vehicles with use include {some!r}."
        )
    return rows


def _date_num(instants: pd.Series | pd.Timestamp) -> np.ndarray | float:
    """Matplotlib date numbers (days since matplotlib's epoch, in UTC) of tz-aware instants."""
    return mdates.date2num(pd.Series(instants).dt.tz_convert("UTC").dt.tz_localize(None))


def plot_timeline(
    half_hours: pd.DataFrame,
    vehicle_id: int,
    *,
    start: DayLike | None = None,
    end: DayLike | None = None,
    ax: Axes | None = None,
    tz: str | None = None,
    **kwargs,
) -> Axes:
    """One vehicle's half hours in use over a few days, one row per equipment.

    Each half hour with use draws a bar from the half hour's start whose length
    is the seconds used (1800 s fills the half hour), so short uses show thin.

    Parameters
    ----------
    half_hours : pandas.DataFrame
        ``usage.half_hours``.
    vehicle_id : int
        The vehicle; it must have at least one half hour in ``half_hours``.
    start, end : day, optional
        The first and last days shown (both inclusive, on ``tz``); by default
        the first and last days of the vehicle's half hours.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    tz : str, optional
        The IANA time zone of the x axis; by default that of ``half_hours['start']``.
    **kwargs
        Passed to :meth:`Axes.barh` (``color``, ``alpha``...).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: rows are the vehicle's equipment (every equipment it used in
        ``half_hours``, in category order), x is time on ``tz`` from ``start``
        00:00 to the end of ``end``.

    Examples
    --------
    >>> ax = oa.plot_timeline(usage.half_hours, 1042, start="2024-10-07", end="2024-10-09")
    """
    rows = _vehicle_rows(half_hours, vehicle_id)
    tz = as_tz(str(rows["start"].dt.tz) if tz is None else tz)
    local = rows["start"].dt.tz_convert(tz)
    low, high = _window(local, start, end, tz)
    shown = rows.loc[(local >= low) & (local < high)]
    equipment = rows["equipment"].astype("category").cat.remove_unused_categories()
    names = list(equipment.cat.categories)
    row = pd.Index(names).get_indexer(shown["equipment"])
    ax = _axes(ax)
    kwargs.setdefault("color", [f"C{k % 10}" for k in row])
    ax.barh(row, shown["use_s"].to_numpy() / _DAY_S, left=_date_num(shown["start"]), height=0.8, **kwargs)
    ax.set_yticks(range(len(names)), labels=names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(*_date_num(pd.Series([low, high])))
    locator = mdates.AutoDateLocator(tz=tz)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%a %d %b %H:%M", tz=tz))
    ax.set_xlabel(f"time ({tz}); bar length = seconds used out of {HALF_HOUR_S}")
    ax.set_ylabel("equipment")
    ax.set_title(f"Vehicle {vehicle_id}: half hours in use")
    return ax

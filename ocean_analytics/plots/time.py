"""Plots over the clock: the weekday x time-of-day heatmap and one vehicle's timeline."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..analysis.slots import HALF_HOUR_S, SLOT_LABELS, as_tz, local_midnight
from ..analysis.utilisation import require_columns
from ..dates import DayLike, as_day, as_period
from ..errors import InvalidArgumentError
from .dateaxis import HOUR_STEPS, set_date_axis
from .layout import frame_period, new_axes, plate_names, titled

__all__ = ["plot_profile", "plot_timeline"]

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_S = 86_400
ROW_HEIGHT = 0.8
"""Height of a fully used half hour's bar, in rows."""
MIN_WIDTH_PX = 3.0
MIN_HEIGHT_PX = 2.0
MAX_DAY_LINES = 62
"""Windows of more days draw no line between days."""


def _weekday_numbers(weekday: pd.Series) -> np.ndarray:
    """0 (Monday) .. 6 (Sunday) from numbers or English names ("Monday" or "Mon"); -1 for anything else."""
    if pd.api.types.is_integer_dtype(weekday.dtype):
        return weekday.to_numpy(dtype="int64")
    number = {name.lower(): k for k, name in enumerate(WEEKDAY_LABELS)}
    number.update({name.lower(): k for k, name in enumerate(calendar.day_name)})
    return weekday.astype("str").str.lower().map(number).fillna(-1).to_numpy(dtype="int64")


def _week_matrix(profile: pd.DataFrame) -> np.ma.MaskedArray:
    """Shares in % as a 7 x 48 array (weekday x slot), masked where absent or NaN."""
    require_columns(
        profile,
        ["weekday", "time", "share"],
        name="profile",
        hint="pass the frame oa.occupancy_profile() returns",
    )
    slot = pd.Index(SLOT_LABELS).get_indexer(profile["time"])
    weekday = _weekday_numbers(profile["weekday"])
    if (slot < 0).any() or not np.isin(weekday, range(7)).all():
        raise InvalidArgumentError(
            "profile has times other than '00:00'..'23:30' or weekdays other than 0..6 "
            "(or Monday..Sunday): pass the frame oa.occupancy_profile() returns."
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
    ax = new_axes(ax, (9.0, 3.6))
    kwargs.setdefault("vmin", 0)
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, interpolation="nearest", **kwargs)
    ax.figure.colorbar(image, ax=ax, label="time in use (%)")
    ax.set_yticks(range(7), labels=WEEKDAY_LABELS)
    ax.set_xticks(np.arange(0, 48, 4) - 0.5, labels=SLOT_LABELS[::4])
    tz = profile.attrs.get("profile_tz")
    ax.set_xlabel(f"time of day ({tz})" if tz else "time of day")
    ax.set_ylabel("weekday")
    ax.set_title(titled("Share of time in use (%) per half hour of the week", profile, frame_period(profile)))
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


def _vehicle_title(rows: pd.DataFrame, vehicle_id: int, vehicles: pd.DataFrame | None) -> str:
    """ "AB-123-CD (vehicle 1042)" when the plate is known, else "Vehicle 1042"."""
    name = plate_names(rows, vehicles)[vehicle_id]
    return f"Vehicle {vehicle_id}" if name == str(vehicle_id) else f"{name} (vehicle {vehicle_id})"


def _bar_sizes(ax: Axes, shown: pd.DataFrame, days: float, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Width (days) and height (rows) of each half hour's bar, at least the minimum drawn sizes."""
    px_per_day = ax.bbox.width / days
    px_per_row = ax.bbox.height / max(rows, 1)
    width = max(HALF_HOUR_S / _DAY_S, MIN_WIDTH_PX / px_per_day)
    share = shown["use_s"].to_numpy(dtype="float64") / HALF_HOUR_S
    height = np.maximum(ROW_HEIGHT * np.clip(share, 0, 1), MIN_HEIGHT_PX / px_per_row)
    return np.full(len(shown), width), height


def plot_timeline(
    half_hours: pd.DataFrame,
    vehicle_id: int,
    *,
    start: DayLike | None = None,
    end: DayLike | None = None,
    ax: Axes | None = None,
    tz: str | None = None,
    vehicles: pd.DataFrame | None = None,
    **kwargs,
) -> Axes:
    """One vehicle's half hours in use over a few days, one row per equipment.

    Each half hour with use draws a bar over that half hour (30 minutes wide)
    whose height is the share of it in use (1800 s fills the row), so that runs
    of full use read as blocks and short uses as low bars. Bars are drawn at
    least 3 px wide and 2 px high on the Axes' size at drawing time, so that no
    use vanishes as a hairline over a long window.

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
        Where to draw; a new 9 x 3 in figure when None.
    tz : str, optional
        The IANA time zone of the x axis; by default that of ``half_hours['start']``.
    vehicles : pandas.DataFrame, optional
        ``usage.vehicles``, to name the vehicle by its plate in the title (else a
        ``plate`` column of ``half_hours``, else the id).
    **kwargs
        Passed to :meth:`Axes.barh` (``color``, ``alpha``...).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: rows are the vehicle's equipment (every equipment it used in
        ``half_hours``, in category order), x is time on ``tz`` from ``start``
        00:00 to the end of ``end`` (ticks every 6 or 12 hours over a few days,
        each midnight naming its day, a thin line between days); the title
        names the vehicle and the days shown.

    Examples
    --------
    >>> ax = oa.plot_timeline(usage.half_hours, 1042, start="2024-10-07", end="2024-10-09",
    ...                       vehicles=usage.vehicles)
    """
    rows = _vehicle_rows(half_hours, vehicle_id)
    tz = as_tz(str(rows["start"].dt.tz) if tz is None else tz)
    local = rows["start"].dt.tz_convert(tz)
    low, high = _window(local, start, end, tz)
    shown = rows.loc[(local >= low) & (local < high)]
    equipment = rows["equipment"].astype("category").cat.remove_unused_categories()
    names = list(equipment.cat.categories)
    row = pd.Index(names).get_indexer(shown["equipment"])
    ax = new_axes(ax, (9.0, 1.4 + 0.5 * len(names)))
    ax.set_ylim(len(names) - 0.5, -0.5)
    limits = _date_num(pd.Series([low, high]))
    ax.set_xlim(*limits)
    width, height = _bar_sizes(ax, shown, limits[1] - limits[0], len(names))
    kwargs.setdefault("color", [f"C{k % 10}" for k in row])
    ax.barh(
        row + ROW_HEIGHT / 2 - height,
        width,
        height=height,
        left=_date_num(shown["start"]),
        align="edge",
        **kwargs,
    )
    midnights = pd.date_range(low, high, freq="D", tz=tz)
    if len(midnights) <= MAX_DAY_LINES:
        for midnight in _date_num(pd.Series(midnights))[1:-1]:
            ax.axvline(midnight, color="0.8", linewidth=0.8, zorder=0)
    ax.set_yticks(range(len(names)), labels=names)
    set_date_axis(ax, ZoneInfo(tz), HOUR_STEPS)
    ax.set_xlabel(f"time ({tz}); bar height = share of the half hour in use")
    ax.set_ylabel("equipment")
    last_day = (high - pd.Timedelta(days=1)).date()
    title = f"{_vehicle_title(rows, vehicle_id, vehicles)}: use per half hour"
    ax.set_title(titled(title, half_hours, (low.date(), last_day)))
    return ax

"""The utilisation ranking: one horizontal bar per vehicle (x equipment), most used on top."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..analysis.grouping import as_by
from ..analysis.utilisation import require_columns
from ..errors import InvalidArgumentError
from .layout import Percent, column_words, frame_period, new_axes, plate_names, say_empty, titled

__all__ = ["plot_utilisation"]

ALL = "all vehicles"
BAR_IN = 0.3
"""Height of a bar's row on a new figure, in inches."""


def _named_columns(util: pd.DataFrame, label: str | Sequence[str] | None) -> list[str]:
    """The columns naming each bar: ``label``'s, else vehicle and equipment, else those before ``use_s``."""
    if label is not None:
        return as_by(label, util, name="label")
    columns = [c for c in ("vehicle_id", "equipment") if c in util.columns]
    if not columns and "use_s" in util.columns:
        columns = list(util.columns[: util.columns.get_loc("use_s")])
    return columns


def _bar_names(
    util: pd.DataFrame, columns: list[str], vehicles: pd.DataFrame | None, label: object
) -> list[str]:
    """The name of each row: its ``columns`` joined by " · ", a vehicle by its plate when known."""
    if not columns:
        return [ALL] * len(util)
    shown = util[columns]
    if label is None and "vehicle_id" in columns:
        plates = plate_names(util, vehicles)
        shown = shown.assign(vehicle_id=util["vehicle_id"].map(plates))
    return [
        " · ".join("unknown" if pd.isna(v) else str(v) for v in row) for row in shown.itertuples(index=False)
    ]


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
    vehicles: pd.DataFrame | None = None,
    **kwargs,
) -> Axes:
    """Utilisation ranking: one horizontal bar per row, in %, the most used at the top.

    Parameters
    ----------
    util : pandas.DataFrame
        What :func:`ocean_analytics.utilisation` or :func:`ocean_analytics.underused`
        returns (any frame with a ``utilisation`` column, 0..1).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure (9 in wide, 0.3 in per bar) when None.
    top : int, optional
        Draw only the ``top`` most used rows; None draws every row.
    label : str or sequence of str, optional
        The column(s) naming each bar, joined by " · ". By default the vehicle
        and the equipment, a vehicle named by its plate (from ``vehicles``, else
        from a ``plate`` column of ``util``; its id where the plate is unknown);
        without these columns, the columns before ``use_s`` (the grouping
        columns); without any, "all vehicles".
    vehicles : pandas.DataFrame, optional
        ``usage.vehicles``, where the plates are read.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` (``color`` defaults to "C0").

    Returns
    -------
    matplotlib.axes.Axes
        Bar widths are ``utilisation x 100`` (% of the calendar time; x from 0,
        ticks such as "10%"), each bar labelled with its value, sorted so that
        the largest is at the top (ties keep the frame's order, the earlier row
        lower); a row without a rate (NaN: no day with data) sits at the bottom,
        with no bar, labelled "no data"; the y tick labels name the bars; the title names what is ranked,
        the period (``attrs`` ``start`` and ``end``) and how many rows are drawn.

    Examples
    --------
    >>> oa.plot_utilisation(oa.utilisation(usage.daily), top=20, vehicles=usage.vehicles)
    >>> oa.plot_utilisation(oa.underused(usage))
    """
    require_columns(util, ["utilisation"], name="util", hint="pass what oa.utilisation() returns")
    count = _checked_top(top)
    columns = _named_columns(util, label)
    names = np.array(_bar_names(util, columns, vehicles, label), dtype=object)
    percent = util["utilisation"].to_numpy(dtype="float64") * 100
    unknown = np.isnan(percent)
    order = np.argsort(np.where(unknown, -np.inf, percent), kind="stable")  # no rate: at the bottom
    if count is not None:
        order = order[-count:]
    ax = new_axes(ax, (9.0, 1.2 + BAR_IN * max(len(order), 1)))
    positions = np.arange(len(order))
    bars = ax.barh(positions, np.nan_to_num(percent[order]), **{"color": "C0", **kwargs})
    texts = ["no data" if np.isnan(p) else f"{p:.1f}%" for p in percent[order]]
    ax.bar_label(bars, labels=texts, padding=3, fontsize="small")
    ax.set_yticks(positions, list(names[order]))
    ax.set_ylim(-0.6, max(len(order), 1) - 0.4)
    known = percent[order][~unknown[order]]
    widest = float(known.max()) if len(known) else 0.0
    ax.set_xlim(0, widest * 1.15 if widest > 0 else 1)
    ax.xaxis.set_major_formatter(Percent())
    what = f"Utilisation by {column_words(columns)}" if columns else "Utilisation of all vehicles"
    note = f"the {len(order)} most used of {len(util)}" if len(order) < len(util) else ""
    ax.set(xlabel="Utilisation (% of calendar time)", title=titled(what, util, frame_period(util), note))
    if not len(util):
        say_empty(ax, "No row to rank: the frame is empty.")
    return ax

"""What every plot helper shares: its Axes, legend, colours, titles and vehicle names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.ticker import PercentFormatter

from ..analysis.utilisation import require_columns

__all__ = [
    "new_axes",
    "Percent",
    "say_empty",
    "legend_outside",
    "group_colors",
    "period_text",
    "frame_period",
    "titled",
    "api_tz_of",
    "column_words",
    "plate_names",
]

MAX_LEGEND_ROWS = 18
"""More legend entries than this go into several columns."""

DASH = "\N{EN DASH}"
"""Between the two ends of a period in a title."""

MAX_DECIMALS = 4
"""Percent tick labels never carry more decimals than this."""

COLUMN_WORDS = {
    "vehicle_id": "vehicle",
    "plate": "vehicle",
    "asset_type": "vehicle type",
    "entity_name": "site",
}


def new_axes(ax: Axes | None, size: tuple[float, float] = (9.0, 4.5)) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches laid out so that outside legends fit.

    A given Axes is returned as is: its figure's size and layout stay the caller's.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


class Percent(PercentFormatter):
    """Tick labels in % (values already x 100) with the fewest decimals that write every tick exactly.

    "0%, 5%, 10%" rather than matplotlib's "0.0%, 5.0%, 10.0%"; "0.0%, 0.5%, 1.0%" when ticks are that close.
    """

    def __init__(self) -> None:
        super().__init__(xmax=100)

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        ticks = np.asarray(values, dtype="float64")
        self.decimals = next(
            (d for d in range(MAX_DECIMALS) if np.allclose(ticks * 10**d, np.round(ticks * 10**d))),
            MAX_DECIMALS,
        )
        return [self.format_pct(value, 100) for value in values]


def say_empty(ax: Axes, message: str) -> None:
    """Write ``message`` in the middle of an Axes that has nothing to draw."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4")


def legend_outside(ax: Axes, title: str, *, reverse: bool = False, extra: Sequence = ()) -> None:
    """A legend right of the Axes (so that it never covers data), when there are entries.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title : str
        The legend's title.
    reverse : bool
        List the entries last drawn first (stacked bars: the top segment first).
    extra : sequence of Artist
        Handles to add after the entries (a note such as "partial week"), with their labels.
    """
    handles, labels = ax.get_legend_handles_labels()
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    handles = [*handles, *extra]
    labels = [*labels, *(artist.get_label() for artist in extra)]
    if not handles:
        return
    columns = -(-len(handles) // MAX_LEGEND_ROWS)
    ax.legend(
        handles,
        labels,
        title=title,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        ncols=columns,
        frameon=False,
    )


def group_colors(count: int) -> list[str]:
    """``count`` distinct colours: tab10 up to 10 groups, tab20 up to 20, then tab20 again."""
    cmap = colormaps["tab10" if count <= 10 else "tab20"]
    return [to_hex(cmap(k % cmap.N)) for k in range(count)]


def period_text(first: dt.date, last: dt.date) -> str:
    """A period as a person writes it (en dashes): "1-30 Nov 2026", "28 Sep - 6 Oct 2024", "3 Nov 2026"."""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} {DASH} {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} {DASH} {last.day} {last:%b %Y}"


def frame_period(frame: pd.DataFrame, dates: pd.Series | None = None) -> tuple[dt.date, dt.date] | None:
    """The fetched period of ``frame``: its ``attrs`` ``start`` and ``end``, else the span of ``dates``."""
    start, end = frame.attrs.get("start"), frame.attrs.get("end")
    if start is not None and end is not None:
        return pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if dates is not None and dates.notna().any():
        return pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
    return None


def titled(what: str, frame: pd.DataFrame, period: tuple[dt.date, dt.date] | None, note: str = "") -> str:
    """A title naming what is drawn, the period, the customer when ``frame.attrs`` has it, and ``note``.

    E.g. "Daily use by equipment, 1-30 Nov 2026, customer 42 (the 20 most used of 27)".
    """
    parts = [what]
    if period is not None:
        parts.append(period_text(*period))
    customer = frame.attrs.get("customer_id")
    if customer is not None:
        parts.append(f"customer {customer}")
    return ", ".join(parts) + (f" ({note})" if note else "")


def api_tz_of(frame: pd.DataFrame) -> str | None:
    """The API clock the frame's days are cut on (``attrs["api_tz"]``), when known."""
    tz = frame.attrs.get("api_tz")
    return str(tz) if tz else None


def column_words(columns: Iterable[str]) -> str:
    """Grouping columns as words: ["vehicle_id", "equipment"] -> "vehicle and equipment"."""
    words = [COLUMN_WORDS.get(c, c.replace("_", " ")) for c in columns]
    return " and ".join(dict.fromkeys(words))


def plate_names(frame: pd.DataFrame, vehicles: pd.DataFrame | None) -> Mapping[object, str]:
    """How to name each vehicle of ``frame``: its plate when known, else its id.

    Plates come from ``vehicles`` (``usage.vehicles``) when given, else from a
    ``plate`` column of ``frame``. A blank or missing plate gives the id; a plate
    shared by several vehicles gives "plate (id)" so that no two vehicles look alike.

    Returns
    -------
    Mapping
        ``vehicle_id`` -> name, for every vehicle of ``frame``.
    """
    ids = pd.Series(frame["vehicle_id"].drop_duplicates().to_numpy())
    source = frame
    if vehicles is not None:
        require_columns(vehicles, ["vehicle_id", "plate"], name="vehicles", hint="pass usage.vehicles")
        source = vehicles
    plates = pd.Series(dtype="object")
    if "plate" in source.columns:
        plates = source.drop_duplicates("vehicle_id").set_index("vehicle_id")["plate"]
    known = plates.reindex(ids.to_numpy()).astype("object")
    names = {}
    for vehicle, plate in zip(ids, known, strict=True):
        blank = pd.isna(plate) or not str(plate).strip()
        names[vehicle] = str(vehicle) if blank else str(plate).strip()
    shared = pd.Series(names).duplicated(keep=False)
    return {v: f"{names[v]} ({v})" if shared[v] and names[v] != str(v) else names[v] for v in names}

"""A date axis whose tick labels stay legible from a few hours to several years.

The locator picks, at each draw, the finest step (6 hours, a day, a week starting
Monday, a month, a quarter, a year) whose labels fit the Axes' current width, so
that a 7-day period shows every day and a year shows its months, without the
overlapping labels or the stray offset text ("2024-Nov") of matplotlib's defaults.
The formatter writes each tick at that step's precision, adds the year on the
first tick of a new year (and on the first tick of month steps), and never sets
an offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import Formatter, Locator, NullFormatter

__all__ = ["Step", "HOUR_STEPS", "DAY_STEPS", "DateTickLocator", "DateTickFormatter", "set_date_axis"]

REFERENCE_POINTS = 10.0
"""The tick label size (points) for which the steps' spacings are given."""


@dataclass(frozen=True)
class Step:
    """One tick step: where its ticks fall, how they are written and how far apart they need to be.

    Attributes
    ----------
    name : str
        For messages and tests ("day", "week", "month"...).
    major, minor : callable
        ``tz -> Locator`` for the labelled ticks and the unlabelled ones between them
        (minor None: none).
    fmt : str
        ``strftime`` format of a tick label.
    spacing_in : float
        The distance (inches, at 10-point labels) one label needs from the next.
    year_first : bool
        Whether the first tick names the year (months and quarters do: "Jan" alone is ambiguous).
    day_at_midnight : bool
        Whether ticks at midnight add the day under the hour (hour steps).
    gaps : (float, float)
        The shortest and the longest gap between two ticks, in days (a month: 28 to
        31), so that a step is kept or dropped without listing its ticks when the
        width alone decides.
    """

    name: str
    major: Callable[[dt.tzinfo], Locator]
    minor: Callable[[dt.tzinfo], Locator] | None
    fmt: str
    spacing_in: float
    gaps: tuple[float, float]
    year_first: bool = False
    day_at_midnight: bool = False


def _mondays(interval: int = 1) -> Callable[[dt.tzinfo], Locator]:
    return lambda tz: mdates.WeekdayLocator(mdates.MO, interval=interval, tz=tz)


def _months(months: Sequence[int] = range(1, 13)) -> Callable[[dt.tzinfo], Locator]:
    return lambda tz: mdates.MonthLocator(bymonth=list(months), tz=tz)


_DAY = "%a\n%d %b"
DAY_STEPS = (
    Step("day", lambda tz: mdates.DayLocator(tz=tz), None, _DAY, 0.65, (23 / 24, 25 / 24)),
    Step("week", _mondays(), lambda tz: mdates.DayLocator(tz=tz), _DAY, 0.65, (7 - 1 / 24, 7 + 1 / 24)),
    Step("2 weeks", _mondays(2), _mondays(), _DAY, 0.65, (14 - 1 / 24, 14 + 1 / 24)),
    Step("month", _months(), _mondays(), "%b", 0.5, (28 - 1 / 24, 31 + 1 / 24), year_first=True),
    Step(
        "2 months",
        _months(range(1, 13, 2)),
        _months(),
        "%b",
        0.5,
        (59 - 1 / 24, 62 + 1 / 24),
        year_first=True,
    ),
    Step(
        "quarter", _months((1, 4, 7, 10)), _months(), "%b", 0.5, (90 - 1 / 24, 92 + 1 / 24), year_first=True
    ),
    Step(
        "year", lambda tz: mdates.YearLocator(tz=tz), _months((1, 7)), "%Y", 0.5, (365 - 1 / 24, 366 + 1 / 24)
    ),
)
"""Steps for an axis of days (bars per day, lines per week or month)."""

HOUR_STEPS = (
    Step(
        "6 hours",
        lambda tz: mdates.HourLocator(range(0, 24, 6), tz=tz),
        lambda tz: mdates.HourLocator(tz=tz),
        "%H:%M",
        0.65,
        (5 / 24, 7 / 24),
        day_at_midnight=True,
    ),
    Step(
        "12 hours",
        lambda tz: mdates.HourLocator((0, 12), tz=tz),
        lambda tz: mdates.HourLocator(range(0, 24, 3), tz=tz),
        "%H:%M",
        0.65,
        (11 / 24, 13 / 24),
        day_at_midnight=True,
    ),
    *DAY_STEPS,
)
"""Steps for an axis of instants (a timeline over a few days)."""


def _label_scale(axis) -> float:
    """How much larger than 10 points the axis's tick labels are (1.0 at 10 points)."""
    size = axis.get_tick_params().get("labelsize", rcParams["xtick.labelsize"])
    return FontProperties(size=size).get_size_in_points() / REFERENCE_POINTS


def _inside(locator: Locator, vmin: float, vmax: float, tz: dt.tzinfo) -> np.ndarray:
    """The ticks of a matplotlib date ``locator`` on ``tz`` inside ``[vmin, vmax]`` (matplotlib days)."""
    ticks = np.asarray(locator.tick_values(mdates.num2date(vmin, tz), mdates.num2date(vmax, tz)))
    return ticks[(ticks >= vmin) & (ticks <= vmax)]


class DateTickLocator(Locator):
    """Major ticks at the finest of ``steps`` whose labels fit the Axes' width.

    Parameters
    ----------
    tz : datetime.tzinfo
        The clock of the ticks (midnight, Monday, the 1st... on this zone).
    steps : sequence of Step
        From the finest to the coarsest; the coarsest is used when none fits.
    """

    def __init__(self, tz: dt.tzinfo, steps: Sequence[Step] = DAY_STEPS) -> None:
        self.tz = tz
        self.steps = tuple(steps)
        self.step = self.steps[0]

    def _width_in(self) -> float:
        """The Axes' width in inches (its current position on the figure)."""
        axes = self.axis.axes
        return axes.bbox.width / axes.figure.dpi

    def choose(self, vmin: float, vmax: float) -> Step:
        """The step used for the view ``[vmin, vmax]`` (matplotlib days); also kept in ``.step``."""
        inches_per_day = self._width_in() / _label_scale(self.axis) / max(vmax - vmin, 1e-9)
        self.step = self.steps[-1]
        for step in self.steps:
            shortest, longest = (gap * inches_per_day for gap in step.gaps)
            if longest < step.spacing_in and vmax - vmin > 2 * step.gaps[1]:
                continue  # several ticks in view, and none far enough from the next
            if shortest >= step.spacing_in:
                self.step = step  # every gap is wide enough: no need to list the ticks
                break
            ticks = self._ticks(step, vmin, vmax)
            if len(ticks) <= 1 or np.diff(ticks).min() * inches_per_day >= step.spacing_in:
                self.step = step
                break
        return self.step

    def _ticks(self, step: Step, vmin: float, vmax: float) -> np.ndarray:
        """The ticks of ``step`` inside ``[vmin, vmax]``."""
        return _inside(step.major(self.tz), vmin, vmax, self.tz)

    def __call__(self) -> np.ndarray:
        vmin, vmax = sorted(self.axis.get_view_interval())
        return self._ticks(self.choose(vmin, vmax), vmin, vmax)

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        return self._ticks(self.choose(vmin, vmax), vmin, vmax)


class MinorDateTickLocator(Locator):
    """The unlabelled ticks between the major ones of a :class:`DateTickLocator`."""

    def __init__(self, major: DateTickLocator) -> None:
        self.major = major

    def __call__(self) -> np.ndarray:
        vmin, vmax = sorted(self.axis.get_view_interval())
        step = self.major.choose(vmin, vmax)
        if step.minor is None:
            return np.array([])
        return _inside(step.minor(self.major.tz), vmin, vmax, self.major.tz)


class DateTickFormatter(Formatter):
    """Labels at the precision of the step a :class:`DateTickLocator` chose; no offset text."""

    def __init__(self, locator: DateTickLocator) -> None:
        self.locator = locator

    def _text(self, when: dt.datetime, *, first: bool, new_year: bool) -> str:
        step = self.locator.step
        text = when.strftime(step.fmt)
        if step.day_at_midnight and (when.hour, when.minute) == (0, 0):
            text += when.strftime("\n%a %d %b")
        if step.name != "year" and (new_year or (first and step.year_first)):
            text += f"\n{when.year}"
        return text

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._text(mdates.num2date(x, self.locator.tz), first=False, new_year=False)

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        if len(values):
            self.locator.choose(*sorted(self.locator.axis.get_view_interval()))
        instants = [mdates.num2date(v, self.locator.tz) for v in values]
        return [
            self._text(when, first=k == 0, new_year=k > 0 and when.year != instants[k - 1].year)
            for k, when in enumerate(instants)
        ]

    def get_offset(self) -> str:
        return ""


def set_date_axis(ax: Axes, tz: dt.tzinfo, steps: Sequence[Step] = DAY_STEPS) -> DateTickLocator:
    """Give the x axis of ``ax`` legible date ticks on ``tz`` (see the module docstring).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes whose x values are matplotlib dates.
    tz : datetime.tzinfo
        The clock the ticks are read on; ``datetime.timezone.utc`` for naive days.
    steps : sequence of Step
        The candidate steps, finest first.

    Returns
    -------
    DateTickLocator
        The major locator set on the axis.
    """
    locator = DateTickLocator(tz, steps)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateTickFormatter(locator))
    ax.xaxis.set_minor_locator(MinorDateTickLocator(locator))
    ax.xaxis.set_minor_formatter(NullFormatter())
    return locator

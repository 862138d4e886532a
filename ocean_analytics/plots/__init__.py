"""Plot helpers: each draws on one matplotlib Axes and returns it."""

from .ranking import plot_utilisation
from .time import plot_profile, plot_timeline
from .totals import plot_daily_usage, plot_period_totals

__all__ = [
    "plot_daily_usage",
    "plot_period_totals",
    "plot_utilisation",
    "plot_profile",
    "plot_timeline",
]

"""ocean_analytics: auxiliary-equipment usage from the Ocean fleet platform, for analysts.

Fetch functions return tidy pandas frames; analysis helpers compute utilisation rates,
period totals and profiles; plot helpers draw them on a matplotlib Axes.
"""

from .store.cache import clear_cache
from .api.client import PRODUCTION_BASE_URL, OceanClient, RetryPolicy
from .api.connect import connect
from .dates import as_day, as_period
from .errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InvalidArgumentError,
    MalformedResponseError,
    NotFoundError,
    OceanConnectionError,
    OceanError,
    OceanTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServerError,
)
from .fetch import fetch_daily_usage, fetch_half_hour_usage, fetch_usage
from .analysis.grouping import join_vehicles
from .parse.parser import parse_usage
from .plots import plot_daily_usage, plot_period_totals, plot_profile, plot_timeline, plot_utilisation
from .analysis.profile import occupancy_profile
from .analysis.reconcile import reconcile
from .analysis.shifts import off_hours, shift_utilisation
from .usage import Usage
from .analysis.utilisation import period_totals, underused, utilisation

__version__ = "0.1.0"

__all__ = [
    # connecting and fetching
    "OceanClient",
    "RetryPolicy",
    "PRODUCTION_BASE_URL",
    "connect",
    "fetch_usage",
    "fetch_daily_usage",
    "fetch_half_hour_usage",
    "clear_cache",
    "join_vehicles",
    "__version__",
    # errors
    "OceanError",
    "InvalidArgumentError",
    "ConfigurationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "BadRequestError",
    "RequestTooLargeError",
    "RateLimitError",
    "ServerError",
    "OceanConnectionError",
    "OceanTimeoutError",
    "MalformedResponseError",
    # days
    "as_day",
    "as_period",
    # parsing answers into the five frames
    "parse_usage",
    "Usage",
    # utilisation, period totals, reconciliation and their plots
    "utilisation",
    "period_totals",
    "underused",
    "reconcile",
    "plot_daily_usage",
    "plot_utilisation",
    "plot_period_totals",
    # shifts, off-hours and the weekday x time-of-day profile
    "shift_utilisation",
    "off_hours",
    "occupancy_profile",
    "plot_profile",
    "plot_timeline",
]

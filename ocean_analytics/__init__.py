"""ocean_analytics: auxiliary-equipment usage from the Ocean fleet platform, for analysts.

Fetch functions return tidy pandas frames; analysis helpers compute utilisation rates,
period totals and profiles; plot helpers draw them on a matplotlib Axes.

Every public name is listed in ``__all__`` (and only those show in ``dir()``). Each is
imported on first use, so that ``import ocean_analytics`` stays light: matplotlib comes
with the first plot, the HTTP client with the first client, the simulator with
``connect()`` on no account.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The room (module, relative to this package) that holds each public name.
_HOMES = {
    "api.client": ("OceanClient", "RetryPolicy", "PRODUCTION_BASE_URL"),
    "api.connect": ("connect",),
    "fetch": ("fetch_usage", "fetch_daily_usage", "fetch_half_hour_usage"),
    "store.cache": ("clear_cache",),
    "errors": (
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
        "CrossOriginRedirectError",
        "RequestCancelledError",
        "MalformedResponseError",
    ),
    "dates": ("as_day", "as_period"),
    "parse.parser": ("parse_usage",),
    "usage": ("Usage",),
    "analysis.grouping": ("join_vehicles",),
    "analysis.utilisation": ("utilisation", "period_totals", "underused"),
    "analysis.reconcile": ("reconcile",),
    "analysis.shifts": ("shift_utilisation", "off_hours"),
    "analysis.profile": ("occupancy_profile",),
    "analysis.findings": ("findings",),
    "plots": ("plot_daily_usage", "plot_utilisation", "plot_period_totals", "plot_profile", "plot_timeline"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

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
    "CrossOriginRedirectError",
    "RequestCancelledError",
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
    # findings: stuck inputs, unused equipment, contradictions, night work
    "findings",
]


def __getattr__(name: str) -> Any:
    """Import the public ``name`` from its room on first use (PEP 562), then keep it here."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names only, not the rooms (subpackages) imported so far."""
    return sorted(__all__)


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from .analysis.findings import findings
    from .analysis.grouping import join_vehicles
    from .analysis.profile import occupancy_profile
    from .analysis.reconcile import reconcile
    from .analysis.shifts import off_hours, shift_utilisation
    from .analysis.utilisation import period_totals, underused, utilisation
    from .api.client import PRODUCTION_BASE_URL, OceanClient, RetryPolicy
    from .api.connect import connect
    from .dates import as_day, as_period
    from .errors import (
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        CrossOriginRedirectError,
        InvalidArgumentError,
        MalformedResponseError,
        NotFoundError,
        OceanConnectionError,
        OceanError,
        OceanTimeoutError,
        PermissionDeniedError,
        RateLimitError,
        RequestCancelledError,
        RequestTooLargeError,
        ServerError,
    )
    from .fetch import fetch_daily_usage, fetch_half_hour_usage, fetch_usage
    from .parse.parser import parse_usage
    from .plots import plot_daily_usage, plot_period_totals, plot_profile, plot_timeline, plot_utilisation
    from .store.cache import clear_cache
    from .usage import Usage

"""The one check of an IANA time-zone name, light enough for the HTTP client (no pandas)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InvalidArgumentError

__all__ = ["check_zone"]


def check_zone(tz: object, name: str = "api_tz") -> str:
    """``tz`` when it is an IANA time-zone name this machine knows (``"Europe/Paris"``, ``"UTC"``).

    Parameters
    ----------
    tz : object
        The value given.
    name : str
        The argument's name, for the message.

    Raises
    ------
    InvalidArgumentError
        When it is not a string, or no known zone (a typo, a region such as ``"Europe"``).
    """
    if isinstance(tz, str) and tz:
        try:
            ZoneInfo(tz)
            return tz
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
            pass
    raise InvalidArgumentError(
        f"{name}={tz!r} is not a known IANA time zone: give the clock of the API's "
        "days and half hours, e.g. 'UTC' or 'Europe/Paris'."
    )

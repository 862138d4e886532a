"""Small pieces every answer shares: instants as the platform writes them, absent values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .config import SimulatorConfig

__all__ = ["iso_instant", "optional"]


def iso_instant(instant: dt.datetime | None) -> str | None:
    """An aware instant as the documentation writes them: UTC, milliseconds, ``Z``.

    >>> iso_instant(dt.datetime(2024, 11, 7, 9, 41, 12, 635000, tzinfo=dt.UTC))
    '2024-11-07T09:41:12.635Z'
    """
    if instant is None:
        return None
    return instant.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def optional(config: SimulatorConfig, key: str, value: Any) -> dict[str, Any]:
    """``{key: value}``; a None value is ``null`` or left out, as ``config.missing_values`` says."""
    if value is None and config.missing_values == "omitted":
        return {}
    return {key: value}

"""Reading the query parameters of the Ocean routes, the way a Spring controller does.

Arrays are accepted repeated (``vehIds=1&vehIds=2``), comma-separated
(``vehIds=1,2``) and mixed. Every problem raises :class:`~.responses.RequestRejected`
(400) with a message naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import re

from .responses import RequestRejected

__all__ = ["strings", "integers", "single_integer", "api_day"]

_DAY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_INTEGER = re.compile(r"-?\d{1,18}")


def strings(query: dict[str, list[str]], name: str) -> list[str] | None:
    """Every value of an array parameter, split on commas; None when absent.

    Raises
    ------
    RequestRejected
        400 when a value is empty.
    """
    if name not in query:
        return None
    values = [piece.strip() for raw in query[name] for piece in raw.split(",")]
    if not all(values):
        raise RequestRejected(
            400, f"Parameter '{name}' holds an empty value: send {name}=a&{name}=b or {name}=a,b"
        )
    return values


def integers(query: dict[str, list[str]], name: str) -> list[int] | None:
    """Every value of an integer array parameter; None when absent.

    Raises
    ------
    RequestRejected
        400 when a value is not an integer.
    """
    values = strings(query, name)
    if values is None:
        return None
    bad = [v for v in values if not _INTEGER.fullmatch(v)]
    if bad:
        raise RequestRejected(400, f"Parameter '{name}' must hold integers, got {bad[0]!r}")
    return [int(v) for v in values]


def single_integer(query: dict[str, list[str]], name: str) -> int | None:
    """One integer parameter; None when absent.

    Raises
    ------
    RequestRejected
        400 when repeated or not an integer.
    """
    values = integers(query, name)
    if values is None:
        return None
    if len(values) != 1:
        raise RequestRejected(400, f"Parameter '{name}' must be given once, got {len(values)} values")
    return values[0]


def api_day(query: dict[str, list[str]], name: str) -> dt.date:
    """A required ``dd/MM/yyyy`` day parameter.

    Raises
    ------
    RequestRejected
        400 when absent, repeated, in another format or not a real day.
    """
    values = query.get(name)
    if not values:
        raise RequestRejected(400, f"Parameter '{name}' is required, as dd/MM/yyyy")
    match = _DAY.fullmatch(values[0]) if len(values) == 1 else None
    if match is None:
        raise RequestRejected(
            400,
            f"Parameter '{name}' must be one date as dd/MM/yyyy (the only format accepted), got {values!r}",
        )
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise RequestRejected(400, f"Parameter '{name}' is not a real day: {values[0]!r}") from exc

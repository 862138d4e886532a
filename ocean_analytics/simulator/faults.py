"""Faults on demand: error statuses, proxy pages, slow, dropped, truncated or malformed answers.

A :class:`Fault` matches requests whose path contains ``path``; it fires on every
``every``-th matching request, ``count`` times at most (None: forever). Faults are
checked after authentication, except ``expire_token`` which is checked before it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["Fault", "FaultBook", "Armed", "corrupt", "FAULT_KINDS", "MALFORMED_FIELDS"]

FAULT_KINDS = ("status", "html", "slow", "drop", "truncate", "malformed", "expire_token")
MALFORMED_FIELDS = ("day", "useDuration", "missing_key", "start")
MALFORMED_DEFAULTS: dict[str, Any] = {
    "day": "string",
    "useDuration": 2500,
    "start": "25:00",
    "missing_key": None,
}


@dataclass(frozen=True)
class Fault:
    """One fault to inject.

    Parameters
    ----------
    kind : str
        ``"status"``: answer ``status`` with the documented error body (``oceanStatus``, ``message``);
        ``"html"``: a 502 ``text/html`` page as a reverse proxy sends;
        ``"slow"``: sleep ``delay_s`` seconds, then answer normally;
        ``"drop"``: send the headers and half the body, then close the connection;
        ``"truncate"``: send half the body with a ``Content-Length`` matching that half;
        ``"malformed"``: corrupt ``field`` of the duree answer (see :func:`corrupt`);
        ``"expire_token"``: the request's token expires before it is checked (401).
    status : int
        Status of a ``"status"`` fault (400 to 599).
    retry_after : float or None
        Seconds for a ``Retry-After`` header on a ``"status"`` fault (sent as an
        integer when whole).
    delay_s : float
        Sleep of a ``"slow"`` fault, in seconds.
    field : str
        What a ``"malformed"`` fault corrupts: ``"day"``, ``"useDuration"``,
        ``"missing_key"`` (an element without ``dailyDioUtilisation``) or ``"start"``.
    value : object
        The corrupt value; None uses ``"string"`` for day, 2500 for useDuration and
        ``"25:00"`` for start.
    path : str
        Substring of the request path (without the base) that the fault matches.
    every : int
        Fire on the ``every``-th, ``2 * every``-th... matching request.
    count : int or None
        How many times it fires; None: forever.
    """

    kind: str
    status: int = 500
    retry_after: float | None = None
    delay_s: float = 0.0
    field: str = "useDuration"
    value: Any = None
    path: str = "/restapi/dioUtilisation/duree"
    every: int = 1
    count: int | None = 1

    def __post_init__(self) -> None:
        """Raise ``ValueError`` naming the first bad setting of the fault."""
        checks = [
            (self.kind in FAULT_KINDS, f"kind must be one of {FAULT_KINDS}, got {self.kind!r}"),
            (
                isinstance(self.status, int) and 400 <= self.status <= 599,
                f"status must be 400..599, got {self.status!r}",
            ),
            (
                self.retry_after is None or self.retry_after >= 0,
                f"retry_after must be >= 0 s, got {self.retry_after!r}",
            ),
            (self.delay_s >= 0, f"delay_s must be >= 0 s, got {self.delay_s!r}"),
            (self.field in MALFORMED_FIELDS, f"field must be one of {MALFORMED_FIELDS}, got {self.field!r}"),
            (
                isinstance(self.every, int) and self.every >= 1,
                f"every must be an int >= 1, got {self.every!r}",
            ),
            (
                self.count is None or (isinstance(self.count, int) and self.count >= 1),
                f"count must be an int >= 1 or None, got {self.count!r}",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Fault: {message}")

    def retry_after_header(self) -> str | None:
        """The ``Retry-After`` value, or None."""
        if self.retry_after is None:
            return None
        return str(int(self.retry_after)) if float(self.retry_after).is_integer() else f"{self.retry_after:g}"


class Armed:
    """A fault and its counters (matching requests seen, times fired)."""

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        self.matched = 0
        self.fired = 0


class FaultBook:
    """The faults in force, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[Armed] = []

    def add(self, fault: Fault) -> None:
        """Arm a fault (after those already armed)."""
        with self._lock:
            self._armed.append(Armed(fault))

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._armed.clear()

    def pick(self, path: str, expire_token: bool) -> Armed | None:
        """Count a request against the matching faults and return the first that fires.

        Parameters
        ----------
        path : str
            Request path without the base.
        expire_token : bool
            True: consider only ``expire_token`` faults; False: every other kind.
        """
        chosen = None
        with self._lock:
            for armed in self._armed:
                fault = armed.fault
                if (fault.kind == "expire_token") != expire_token or fault.path not in path:
                    continue
                armed.matched += 1
                spent = fault.count is not None and armed.fired >= fault.count
                if chosen is None and not spent and armed.matched % fault.every == 0:
                    armed.fired += 1
                    chosen = armed
        return chosen

    def refund(self, armed: Armed) -> None:
        """Undo one firing of a fault that found nothing to act on."""
        with self._lock:
            armed.fired -= 1


def corrupt(answer: list[dict[str, Any]], fault: Fault) -> bool:
    """Corrupt one field of a duree answer in place, as ``fault`` says.

    The first day (``day``), the first half hour (``useDuration``, ``start``) or the
    first element (``missing_key``: its ``dailyDioUtilisation`` removed).

    Returns
    -------
    bool
        False when the answer holds no such field (nothing was changed).
    """
    value = MALFORMED_DEFAULTS[fault.field] if fault.value is None else fault.value
    if fault.field == "missing_key":
        target = next((e for e in answer if isinstance(e, dict) and "dailyDioUtilisation" in e), None)
        if target is not None:
            del target["dailyDioUtilisation"]
        return target is not None
    days = [day for element in answer for day in element.get("dailyDioUtilisation", ())]
    targets = days if fault.field == "day" else [half for day in days for half in day["usePerHalfHour"]]
    if targets:
        targets[0][fault.field] = value
    return bool(targets)

"""The record of every request the simulator received, for tests to count and inspect."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

__all__ = ["RecordedRequest", "RequestLog"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request and the status sent back.

    Parameters
    ----------
    method : str
        HTTP method.
    path : str
        Path without the ``/ocean-3.0.0`` base and without the query, e.g.
        ``"/restapi/dioUtilisation/duree"``.
    query : dict of str to list of str
        Query parameters as sent (repeated parameters keep every value, in order).
    headers : dict of str to str
        Request headers (not in the repr: they hold the token).
    body : bytes
        Request body (not in the repr: a login body holds the password).
    status : int
        The status line sent (for a dropped or truncated answer too).
    started, ended : float
        ``time.monotonic()`` seconds when the request was read and when its answer
        starts to be sent (after any latency or slow fault). The request is recorded
        as soon as its answer is decided, before that wait: a client holding its
        answer, or one that gave up waiting, always finds it recorded.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    status: int
    started: float
    ended: float


class RequestLog:
    """Thread-safe list of :class:`RecordedRequest`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def add(self, item: RecordedRequest) -> None:
        """Append one request."""
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        """A copy of the list, in arrival order of the answers."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._items.clear()

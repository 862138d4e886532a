"""A deadline for the whole answer of a request, a cancel for it, and waits a cancel ends.

A socket timeout bounds each read, not the answer: a server sending one byte every
0.4 s never trips a 1 s timeout. Here each exchange runs under a :class:`Guard`
watched by one thread per client (:class:`Watchdog`), which shuts the exchange's
socket down when its deadline passes or its caller's cancel event is set; the blocked
read then returns at once, in the status line, the headers or the body alike.

The socket is found through the connection pool urllib3 gives requests
(:class:`WatchedAdapter`): each connection, and its response, is attached to the
guard of the thread that uses it. The TLS handshake is the one step it cannot reach (the socket is not
the connection's until the handshake ends); the connect timeout bounds each of its
reads.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import BaseHTTPResponse

from ..errors import RequestCancelledError

__all__ = ["Guard", "Watchdog", "WatchedAdapter", "pause", "POLL_S"]

POLL_S = 0.05
"""How often, in seconds, the watchdog looks at the deadlines and cancel events."""

_current = threading.local()


class Guard:
    """One exchange: its deadline (``time.monotonic()`` seconds), its caller's cancel
    event, and the connections it uses, shut down when either comes."""

    def __init__(self, deadline: float, cancel: threading.Event | None) -> None:
        self.deadline = deadline
        self.cancel = cancel
        self.tripped = False
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self._finished = False

    @property
    def cancelled(self) -> bool:
        """Whether the caller asked to stop."""
        return self.cancel is not None and self.cancel.is_set()

    def due(self, now: float) -> bool:
        """Whether the guard should trip now."""
        return not (self.tripped or self._finished) and (now >= self.deadline or self.cancelled)

    def attach(self, watched: Any) -> None:
        """Watch a urllib3 connection or response (shut at once when the guard has already tripped)."""
        with self._lock:
            if self._finished:
                return
            self._connections.append(watched)
            if self.tripped:
                _shut(watched)

    def trip(self) -> None:
        """Shut down every connection of the exchange; its blocked read returns."""
        with self._lock:
            if self._finished or self.tripped:
                return
            self.tripped = True
            for connection in self._connections:
                _shut(connection)

    def finish(self) -> None:
        """The exchange is over: its connections go back to the pool unwatched."""
        with self._lock:
            self._finished = True
            self._connections.clear()


def _shut(watched: Any) -> None:
    if isinstance(watched, BaseHTTPResponse):
        with contextlib.suppress(ValueError, RuntimeError, OSError):  # released or closed: nothing reads it
            watched.shutdown()  # urllib3's own way to stop a response's reads from another thread
        return
    sock = getattr(watched, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError, TypeError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain call: on TLS it shuts TCP, not TLS


class Watchdog:
    """Trips the guards whose deadline passed or whose caller cancelled.

    Its thread runs while an exchange is watched and ends when none is.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._guards: set[Guard] = set()
        self._running = False

    @contextmanager
    def watch(self, seconds: float, cancel: threading.Event | None) -> Iterator[Guard]:
        """Run an exchange of this thread under a guard of ``seconds`` from now."""
        guard = Guard(time.monotonic() + seconds, cancel)
        _current.guard = guard
        with self._lock:
            self._guards.add(guard)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="ocean-deadline", daemon=True).start()
        try:
            yield guard
        finally:
            guard.finish()
            _current.guard = None
            with self._lock:
                self._guards.discard(guard)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._guards:
                    self._running = False
                    return
                guards = list(self._guards)
            now = time.monotonic()
            for guard in guards:
                if guard.due(now):
                    guard.trip()
            time.sleep(POLL_S)


def pause(seconds: float, cancel: threading.Event | None, what: str) -> None:
    """Wait ``seconds``, or less when ``cancel`` is set (then raise).

    Raises
    ------
    RequestCancelledError
        When ``cancel`` is set before or during the wait; ``what`` names the request.
    """
    if cancel is None:
        time.sleep(max(0.0, seconds))
        return
    if cancel.wait(max(0.0, seconds)) or cancel.is_set():
        raise RequestCancelledError(f"{what} was cancelled by the caller; nothing more was sent.")


class _WatchedPool:
    """Attaches each connection, then its response, to the guard of the thread that sends.

    urllib3 calls ``_make_request`` with the connection, in the sending thread,
    before it connects or sends, and returns the response once its headers are
    read (a hook of urllib3 1.26 and 2.x alike). The response is watched too: when
    the server says it will close the connection, the connection lets its socket
    go and only the response still reads from it.
    """

    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        guard = getattr(_current, "guard", None)
        if guard is not None:
            guard.attach(conn)
        response = super()._make_request(conn, *args, **kwargs)
        if guard is not None:
            guard.attach(response)
        return response


class WatchedHTTPConnectionPool(_WatchedPool, HTTPConnectionPool):
    """An HTTP pool whose connections a :class:`Guard` can shut."""


class WatchedHTTPSConnectionPool(_WatchedPool, HTTPSConnectionPool):
    """An HTTPS pool whose connections a :class:`Guard` can shut."""


POOLS = {"http": WatchedHTTPConnectionPool, "https": WatchedHTTPSConnectionPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter over watched pools (directly or through an HTTP(S) proxy).

    The connection classes stay urllib3's (so vcrpy's replay still applies); only the
    pools differ. Through a SOCKS proxy the pools are the proxy's own: answers are
    then bounded by the socket timeouts alone.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """requests' pool manager, with watched pools."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """requests' proxy manager, with watched pools unless the proxy is SOCKS."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = POOLS
        return manager

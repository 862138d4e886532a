"""A limit of requests per second shared by every thread of a client, slower after a 429.

The platform publishes no rate limit, so the client sets its own (10 requests a
second by default, :class:`~ocean_analytics.api.client.OceanClient`'s
``max_requests_per_s``) and listens to the server: a 429 holds every thread until
its ``Retry-After`` has passed, empties the burst and halves the rate (once a
second at most, as the 429s of threads refused together are one signal; down to a
quarter of the limit); each other answer then brings the rate back up by a quarter,
up to the limit.

The limit is a generic cell rate algorithm (a token bucket counted in time): each
request moves a theoretical arrival time on by ``1 / rate`` seconds, and a request
may go when that time is at most one second's burst ahead of now.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .deadline import pause

__all__ = ["RequestRate", "SLICE_S", "SLOWEST", "RECOVERY"]

SLICE_S = 0.1
"""Longest single wait, seconds: a cancel or a change of pace is seen this soon."""
SLOWEST = 0.25
"""After 429s the rate goes down to this share of the limit, not below."""
RECOVERY = 1.25
"""Each answer that is not a 429 multiplies the rate by this, up to the limit."""
HALVING_GAP_S = 1.0
"""429s closer than this to the last halving do not halve the rate again, seconds."""
_EPSILON_S = 1e-9  # a wait this short is no wait (float rounding of the clock)


class RequestRate:
    """At most ``per_s`` requests a second (a burst of one second's worth, at least one).

    Parameters
    ----------
    per_s : float
        The limit, requests per second (> 0).
    clock : callable
        Seconds of a monotonic clock (tests pass a fake one).
    """

    def __init__(self, per_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit_per_s = float(per_s)
        self.per_s = self.limit_per_s
        self._burst = max(1.0, self.limit_per_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._arrival = clock()
        self._paused_until = -float("inf")
        self._halved_at = -float("inf")

    def _tolerance(self) -> float:
        return (self._burst - 1) / self.per_s

    def delay_s(self) -> float:
        """0 when a request may go now (it is then counted), else the seconds to wait first."""
        with self._lock:
            now = self._clock()
            if now + _EPSILON_S < self._paused_until:
                return self._paused_until - now
            allowed = self._arrival - self._tolerance()
            if allowed > now + _EPSILON_S:
                return allowed - now
            self._arrival = max(self._arrival, now) + 1 / self.per_s
            return 0.0

    def acquire(self, cancel: threading.Event | None, what: str) -> None:
        """Wait until a request may go, in slices of at most :data:`SLICE_S`.

        Raises
        ------
        RequestCancelledError
            When ``cancel`` is set meanwhile; ``what`` names the request.
        """
        while (wait := self.delay_s()) > 0:  # each turn sleeps; a turn past the wait takes the slot
            pause(min(wait, SLICE_S), cancel, what)

    def slow_down(self, retry_after_s: float | None) -> None:
        """A 429: hold every request for ``retry_after_s`` seconds, empty the burst and halve
        the rate (unless it was halved less than :data:`HALVING_GAP_S` ago)."""
        with self._lock:
            now = self._clock()
            if now - self._halved_at >= HALVING_GAP_S:
                self.per_s = max(self.limit_per_s * SLOWEST, self.per_s / 2)
                self._halved_at = now
            self._paused_until = max(self._paused_until, now + (retry_after_s or 0.0))
            self._arrival = max(self._arrival, self._paused_until + self._tolerance())

    def speed_up(self) -> None:
        """An answer that is not a 429: a quarter faster, up to the limit."""
        with self._lock:
            self.per_s = min(self.limit_per_s, self.per_s * RECOVERY)

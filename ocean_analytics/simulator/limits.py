"""Rate limiting: a token bucket shared by every authenticated request."""

from __future__ import annotations

import math
import threading
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """A token bucket of ``rate_per_s`` requests per second, holding at most ``max(1, rate)``.

    Parameters
    ----------
    rate_per_s : float
        Requests allowed per second, on average.
    """

    def __init__(self, rate_per_s: float) -> None:
        self.rate_per_s = rate_per_s
        self._capacity = max(1.0, rate_per_s)
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def admit(self) -> int | None:
        """Take one request from the bucket.

        Returns
        -------
        int or None
            None when admitted; otherwise the whole seconds to wait (>= 1), for
            ``Retry-After``.
        """
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self.rate_per_s)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / self.rate_per_s))

"""How a request is retried: the public :class:`RetryPolicy`, and the retries of one
request counted, spaced and bounded by urllib3's ``Retry``.

urllib3's ``Retry`` does what it does well here: which statuses are retried
(``status_forcelist``, and 413/429/503 with a ``Retry-After``), ``Retry-After`` read
as seconds or as an HTTP date, the count of attempts, and exponential backoff with
jitter. It is driven from :func:`send_until_final` rather than mounted in requests'
adapter, because a retry here also needs what urllib3 cannot see: a 200 body cut
short, a fresh token after a 401, the client's rate limit, and a wait that a cancel
ends at once (urllib3 sleeps in one uninterruptible ``time.sleep``). Its
``remove_headers_on_redirect`` does not fit either: redirects to another origin are
refused outright (:mod:`.transport`), not followed without the token.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import requests
from urllib3.exceptions import InvalidHeader, MaxRetryError
from urllib3.util.retry import Retry

from ..errors import InvalidArgumentError
from .deadline import pause
from .ratelimit import RequestRate
from .transport import Failure

__all__ = ["RetryPolicy", "Retries", "send_until_final", "RETRY_STATUSES"]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_LONGEST_RETRY_AFTER_S = 6 * 3600  # urllib3 caps a Retry-After at 6 hours when it reads one


class AttemptFailed(Exception):
    """The words of an attempt without an answer, for urllib3's history; never raised."""


@dataclass(frozen=True)
class RetryPolicy:
    """How a request (the login included) is retried.

    Connection errors, timeouts, answers cut short or past the deadline, 429 and
    5xx answers are retried; other statuses are final. Waits follow urllib3's
    ``Retry``: none before the first retry, then ``backoff_s x 2**(k - 2)`` seconds
    before retry ``k`` (1 s, 2 s, 4 s... with the default), plus a jitter drawn in
    [0, ``backoff_s / 2``), at most ``max_backoff_s``. A ``Retry-After`` (seconds or
    an HTTP date) is waited at least.

    Attributes
    ----------
    max_retries : int
        Retries after the first attempt (so ``max_retries + 1`` sends at most).
    backoff_s : float
        Wait before the second retry, seconds; doubled at each retry after it.
    max_backoff_s : float
        Longest wait between two attempts, seconds.
    max_retry_after_s : float
        Longest ``Retry-After`` honoured, seconds (at most 6 hours); a longer one
        ends the retries.
    """

    max_retries: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0

    def __post_init__(self) -> None:
        """Refuse a setting of the wrong type or range, by name."""
        retries = self.max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise InvalidArgumentError(f"RetryPolicy: max_retries must be an integer >= 0, not {retries!r}.")
        for name, ceiling in (
            ("backoff_s", math.inf),
            ("max_backoff_s", math.inf),
            ("max_retry_after_s", _LONGEST_RETRY_AFTER_S),
        ):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= ceiling
                or not math.isfinite(value)
            ):
                raise InvalidArgumentError(
                    f"RetryPolicy: {name} must be a finite number of seconds >= 0"
                    f"{'' if ceiling == math.inf else f' and <= {ceiling}'}, not {value!r}."
                )

    def start(self) -> Retries:
        """The retries of one new request under this policy."""
        return Retries(self)


class Retries:
    """The retries of one request: urllib3's ``Retry`` counts them and spaces them.

    Attributes
    ----------
    attempts : int
        Attempts made so far (1 before the first retry).
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.attempts = 1
        self._retry = Retry(
            total=policy.max_retries,
            redirect=0,
            allowed_methods=None,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=policy.backoff_s / 2,
            backoff_jitter=policy.backoff_s / 2,
            backoff_max=policy.max_backoff_s,
            respect_retry_after_header=True,
            raise_on_redirect=False,
            raise_on_status=False,
        )

    def retry_after_s(self, outcome: requests.Response | Failure) -> float | None:
        """Seconds the answer's ``Retry-After`` asks to wait, or None."""
        if isinstance(outcome, Failure) or "Retry-After" not in outcome.headers:
            return None
        try:
            return self._retry.parse_retry_after(outcome.headers["Retry-After"])
        except InvalidHeader:
            return None

    def after(self, method: str, url: str, outcome: requests.Response | Failure) -> float | None:
        """Seconds to wait before the next attempt, or None when ``outcome`` is final."""
        retry_after = self.retry_after_s(outcome)
        if isinstance(outcome, Failure):
            response, error = None, AttemptFailed(outcome.detail)
        else:
            if not self._retry.is_retry(method, outcome.status_code, retry_after is not None):
                return None
            if retry_after is not None and retry_after > self.policy.max_retry_after_s:
                return None
            response, error = outcome.raw, None
        try:
            self._retry = self._retry.increment(method, url, response=response, error=error)
        except MaxRetryError:
            return None
        self.attempts += 1
        backoff = self._retry.get_backoff_time()
        return backoff if retry_after is None else max(retry_after, backoff)


Outcome = requests.Response | Failure


def send_until_final(
    send: Callable[[], Outcome],
    retries: Retries,
    *,
    method: str,
    path: str,
    rate: RequestRate | None,
    cancel: threading.Event | None,
) -> Outcome:
    """Send (within the rate limit) until the outcome is final: a success, a status
    that is not retried, or the policy's last attempt.

    Each turn either returns or spends one of the policy's retries, so the loop ends.
    A 429 slows the rate down (and holds every thread for its ``Retry-After``), any
    other answer lets it recover.
    """
    what = f"{method} {path}"
    while True:
        if rate is not None:
            rate.acquire(cancel, what)
        outcome = send()
        if rate is not None and isinstance(outcome, requests.Response):
            if outcome.status_code == 429:
                retry_after = retries.retry_after_s(outcome)
                honoured = retry_after is not None and retry_after <= retries.policy.max_retry_after_s
                rate.slow_down(retry_after if honoured else None)
            else:
                rate.speed_up()
        wait = retries.after(method, outcome.url if isinstance(outcome, requests.Response) else path, outcome)
        if wait is None:
            return outcome
        log.info(
            "%s: %s; retry %d/%d in %.2f s",
            what,
            _said(outcome),
            retries.attempts - 1,
            retries.policy.max_retries,
            wait,
        )
        pause(wait, cancel, what)


def _said(outcome: requests.Response | Failure) -> str:
    if isinstance(outcome, Failure):
        return f"{outcome.kind} ({outcome.detail})"
    return f"{outcome.status_code} {outcome.reason or ''}".strip()

"""RetryPolicy on urllib3's Retry: which outcomes are retried, how long each wait is, and
how ``Retry-After`` (seconds or an HTTP date) is honoured; no network."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests

from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.api.transport import Failure

URL = "http://127.0.0.1:9/ocean-3.0.0/restapi/dioUtilisation/duree"
CUT = Failure("connection", "ConnectionResetError: [Errno 104] Connection reset by peer")


def answer(status: int, retry_after: str | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"{}"  # noqa: SLF001 (what requests fills when it reads a body)
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


@pytest.mark.parametrize("round_", range(20))  # the jitter is random: each bound holds every time
def test_waits_double_from_the_second_retry_with_jitter_and_a_cap(round_):
    retries = RetryPolicy(max_retries=5, backoff_s=1.0, max_backoff_s=3.0).start()
    waits = [retries.after("GET", URL, CUT) for _ in range(6)]
    assert waits[0] == 0.0  # urllib3: the first retry at once
    assert 1.0 <= waits[1] < 1.5 and 2.0 <= waits[2] < 2.5  # backoff_s x 2**(k-2) + [0, backoff_s / 2)
    assert waits[3] == waits[4] == 3.0  # 4 s and 8 s, capped
    assert waits[5] is None and retries.attempts == 6  # max_retries + 1 sends, then final


@pytest.mark.parametrize(
    "status, retried",
    [
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (504, True),
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (413, False),
        (501, False),
    ],
)
def test_which_statuses_are_retried(status, retried):
    wait = RetryPolicy(backoff_s=0.01).start().after("GET", URL, answer(status))
    assert (wait is not None) is retried


def test_retry_after_in_seconds_or_as_an_http_date_is_waited_at_least():
    retries = RetryPolicy(backoff_s=0.01).start()
    assert retries.after("GET", URL, answer(429, "7")) == 7.0
    in_40_s = email.utils.formatdate(time.time() + 40, usegmt=True)
    assert 38.0 <= retries.after("GET", URL, answer(503, in_40_s)) <= 40.0
    assert 0.0 <= retries.after("GET", URL, answer(429, "soon")) < 0.1  # unreadable: plain backoff


def test_a_retry_after_beyond_the_policy_ends_the_retries():
    policy = RetryPolicy(max_retry_after_s=60)
    assert policy.start().after("GET", URL, answer(429, "61")) is None
    assert policy.start().after("GET", URL, answer(429, "60")) == 60.0


def test_the_login_post_is_retried_as_a_get_is():
    retries = RetryPolicy(max_retries=1, backoff_s=0.01).start()
    assert retries.after("POST", URL, answer(503)) == 0.0
    assert retries.after("POST", URL, CUT) is None


def test_a_policy_without_retries_sends_once():
    retries = RetryPolicy(max_retries=0).start()
    assert retries.after("GET", URL, CUT) is None and retries.after("GET", URL, answer(503)) is None

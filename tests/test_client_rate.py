"""Gentle with the server: a limit of requests per second shared by every thread of a
client, and slower after a 429 (a pause for its Retry-After, then half the rate)."""

from __future__ import annotations

import threading
import time

import pytest

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy
from ocean_analytics.api.ratelimit import RequestRate
from ocean_analytics.simulator import Fault

USAGE = "/restapi/dioUtilisation/duree"
FAST = RetryPolicy(max_retries=3, backoff_s=0.01, max_backoff_s=0.05)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def takes(rate: RequestRate, clock: FakeClock, n: int) -> list[float]:
    """The wait of each of ``n`` requests sent as soon as allowed (the fake clock moves)."""
    waits = []
    for _ in range(n):
        wait = rate.delay_s()
        if wait > 0:
            clock.now += wait
            assert rate.delay_s() == 0.0
        waits.append(round(wait, 9))
    return waits


# -- the limiter on a fake clock: every wait worked out by hand ------------------------------------
def test_one_second_of_requests_goes_at_once_then_one_every_tenth_of_a_second():
    clock = FakeClock()
    rate = RequestRate(10, clock=clock)
    assert takes(rate, clock, 13) == [0.0] * 10 + [0.1, 0.1, 0.1]
    clock.now += 0.55  # idle: five and a half slots come back
    assert takes(rate, clock, 7) == [0.0] * 5 + [0.05, 0.1]


def test_a_429_pauses_for_its_retry_after_then_halves_the_rate():
    clock = FakeClock()
    rate = RequestRate(10, clock=clock)
    takes(rate, clock, 3)
    rate.slow_down(retry_after_s=1.0)
    assert rate.per_s == 5.0
    assert rate.delay_s() == pytest.approx(1.0)  # nothing before the Retry-After, burst gone
    clock.now += 1.0
    assert takes(rate, clock, 4) == [0.0, 0.2, 0.2, 0.2]


def test_repeated_429s_go_down_to_a_quarter_and_answers_bring_the_rate_back():
    clock = FakeClock()
    rate = RequestRate(8, clock=clock)
    for expected in (4.0, 2.0, 2.0):
        rate.slow_down(retry_after_s=None)
        assert rate.per_s == expected
        clock.now += 1.0
    clock.now -= 1.0
    assert rate.delay_s() == 0.0 and rate.delay_s() == pytest.approx(0.5)  # no burst after a 429
    for expected in (2.5, 3.125, 3.90625, 4.8828125, 6.103515625, 7.62939453125, 8.0, 8.0):
        rate.speed_up()
        assert rate.per_s == expected


def test_429s_within_a_second_of_each_other_halve_the_rate_once():
    clock = FakeClock()
    rate = RequestRate(8, clock=clock)
    for _ in range(4):  # four threads refused together
        rate.slow_down(retry_after_s=None)
        clock.now += 0.2
    assert rate.per_s == 4.0
    clock.now += 0.2  # 1 s after the first
    rate.slow_down(retry_after_s=None)
    assert rate.per_s == 2.0


def test_a_rate_below_one_request_a_second_still_lets_one_go():
    clock = FakeClock()
    rate = RequestRate(0.5, clock=clock)
    assert takes(rate, clock, 3) == [0.0, 2.0, 2.0]


@pytest.mark.parametrize("value", [0, -1, float("inf"), float("nan"), "5", True])
def test_a_bad_rate_is_refused_naming_the_setting(value):
    with pytest.raises(oa.InvalidArgumentError, match="max_requests_per_s"):
        OceanClient("http://127.0.0.1:9/ocean-3.0.0", "a@b.fr", "pw", max_requests_per_s=value)


def test_the_limit_is_a_documented_setting_on_by_default():
    client = OceanClient("http://127.0.0.1:9/ocean-3.0.0", "a@b.fr", "pw")
    assert client.max_requests_per_s == 10.0
    assert "max_requests_per_s : float or None" in OceanClient.__doc__ and "429" in OceanClient.__doc__
    unlimited = OceanClient("http://127.0.0.1:9/ocean-3.0.0", "a@b.fr", "pw", max_requests_per_s=None)
    assert unlimited.max_requests_per_s is None


# -- live: threads share one limit, and one 429 holds them all -------------------------------------
def client_of(sim, **options) -> OceanClient:
    account = sim.accounts["single"]
    return OceanClient(sim.base_url, account.login, account.password, retry=FAST, **options)


def run_threads(n: int, work) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded():
        try:
            work()
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=guarded) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.live
def test_threads_of_one_client_share_the_limit_and_stay_under_the_servers(simulator_factory):
    sim = simulator_factory(rate_limit_per_s=6)
    client = client_of(sim, max_requests_per_s=4)
    params = {"startDate": "01/10/2024", "endDate": "01/10/2024", "vehIds": [sim.customers[0].vehicles[0].id]}
    errors = run_threads(3, lambda: [client.get(USAGE, params) for _ in range(4)])
    assert errors == []
    usage = [r for r in sim.requests if r.path == USAGE]
    assert [r.status for r in usage] == [200] * 12  # never a 429: the server allows 6 a second
    # the login and the first 3 usage requests use the burst of 4; the other 9 come 1/4 s apart
    assert usage[-1].started - usage[0].started >= 9 / 4 - 0.05


@pytest.mark.live
def test_one_429_holds_every_thread_for_its_retry_after(simulator_factory):
    sim = simulator_factory()
    sim.add_fault(Fault("status", status=429, retry_after=1, count=1))
    client = client_of(sim, max_requests_per_s=50)
    params = {"startDate": "01/10/2024", "endDate": "01/10/2024", "vehIds": [sim.customers[0].vehicles[0].id]}
    first = threading.Thread(target=client.get, args=(USAGE, params))
    first.start()
    time.sleep(0.3)  # the 429 is answered within milliseconds; the others start well after it
    errors = run_threads(3, lambda: client.get(USAGE, params))
    first.join(timeout=10)
    assert errors == []
    usage = [r for r in sim.requests if r.path == USAGE]
    refused = [r for r in usage if r.status == 429]
    assert len(refused) == 1 and len(usage) == 5
    assert all(r.started >= refused[0].ended + 0.95 for r in usage if r is not refused[0])

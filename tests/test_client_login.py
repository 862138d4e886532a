"""The login is retried like any other request (503, 429, a reset, a timeout), within the
same policy; a refused login is not retried."""

from __future__ import annotations

import pytest
from hostile_servers import AUTH, DAY, USAGE, HostileServer, ocean, token_answer

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy
from ocean_analytics.simulator import Fault

pytestmark = pytest.mark.live

FAST = RetryPolicy(max_retries=3, backoff_s=0.01, max_backoff_s=0.05)


def client_of(sim, **options) -> OceanClient:
    account = sim.accounts["single"]
    options.setdefault("retry", FAST)
    return OceanClient(sim.base_url, account.login, account.password, **options)


def one_vehicle(sim) -> dict:
    return {**DAY, "vehIds": [sim.customers[0].vehicles[0].id]}


def logins(sim) -> list[int]:
    return [r.status for r in sim.requests if r.path == AUTH]


def tokens_sent(sim) -> int:
    """How many different tokens the requests other than the logins carried."""
    return len({r.headers["X-AUTH-TOKEN"] for r in sim.requests if r.path != AUTH})


@pytest.mark.parametrize(
    "fault, statuses",
    [
        (Fault("status", status=503, path=AUTH, count=2), [503, 503, 200]),
        (Fault("status", status=502, path=AUTH, count=1), [502, 200]),
        (Fault("status", status=429, retry_after=0, path=AUTH, count=1), [429, 200]),
        (Fault("html", path=AUTH, count=1), [502, 200]),
        (Fault("slow", delay_s=1.0, path=AUTH, count=1), [200, 200]),  # the first given up after 0.3 s
        (Fault("drop", path=AUTH, count=1), [200, 200]),  # headers and half the body, then cut
        (Fault("truncate", path=AUTH, count=1), [200, 200]),  # half a JSON body
    ],
    ids=["503 twice", "502", "429", "proxy page", "timeout", "connection cut", "truncated body"],
)
def test_a_failing_login_is_retried_then_the_data_comes(simulator, fault, statuses):
    simulator.add_fault(fault)
    client = client_of(simulator, timeout=(2.0, 0.3))
    assert client.get(USAGE, one_vehicle(simulator)).startswith(b"[")
    assert logins(simulator) == statuses
    assert [r.path for r in simulator.requests] == [AUTH] * len(statuses) + [USAGE]
    assert tokens_sent(simulator) == 1  # the one login that reached the client is the token in use


def test_a_login_reset_by_the_server_is_retried():
    attempts = iter(["reset", "token"])

    def login(exchange):
        if next(attempts) == "reset":
            exchange.reset()
        else:
            token_answer(exchange)

    with HostileServer(ocean(login=login)) as server:
        assert server.client(retry=FAST).get(USAGE, DAY) == b"[]"
        assert server.paths() == [AUTH, AUTH, USAGE]


def test_login_retries_are_bounded_and_named(simulator):
    simulator.add_fault(Fault("status", status=503, path=AUTH, count=None))
    with pytest.raises(oa.ServerError, match="after 4 attempts") as info:
        client_of(simulator).get(USAGE, one_vehicle(simulator))
    assert info.value.endpoint == AUTH and "POST /restapi/auth/authenticate2" in str(info.value)
    assert logins(simulator) == [503] * 4
    assert [r.path for r in simulator.requests].count(USAGE) == 0


def test_a_refused_login_is_not_retried(simulator):
    account = simulator.accounts["single"]
    client = OceanClient(simulator.base_url, account.login, "not-" + account.password, retry=FAST)
    with pytest.raises(oa.AuthenticationError, match="Login refused"):
        client.get(USAGE, one_vehicle(simulator))
    assert logins(simulator) == [401]


def test_a_login_answered_without_a_token_is_not_retried():
    with HostileServer(ocean(login=lambda exchange: exchange.send(200, b'{"nothing": 1}'))) as server:
        with pytest.raises(oa.AuthenticationError, match="without a token"):
            server.client(retry=FAST).get(USAGE, DAY)
        assert server.paths() == [AUTH]

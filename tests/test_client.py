"""OceanClient against the live simulator: authentication, token reuse and renewal,
retries, errors, secrets and threads."""

import logging
import threading
import time

import pytest

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy
from ocean_analytics.simulator import Fault

USAGE = "/restapi/dioUtilisation/duree"
AUTH = "/restapi/auth/authenticate2"
DAY = {"startDate": "01/10/2024", "endDate": "01/10/2024"}
FAST = RetryPolicy(max_retries=3, backoff_s=0.01, max_backoff_s=0.05)

pytestmark = pytest.mark.live


def make_client(sim, account="single", **options):
    options.setdefault("retry", FAST)
    acc = sim.accounts[account]
    return OceanClient(sim.base_url, acc.login, acc.password, **options)


def paths(sim):
    return [(r.path, r.status) for r in sim.requests]


def tokens_sent(sim):
    """How many different tokens the requests after the logins carried (one per login kept)."""
    return len({r.headers["X-AUTH-TOKEN"] for r in sim.requests if r.path != AUTH})


def one_vehicle(sim):
    return {**DAY, "vehIds": [sim.vehicles(sim.accounts["single"].customer_ids[0])[0].id]}


def test_login_is_lazy_and_the_token_is_reused(simulator):
    client = make_client(simulator)
    assert simulator.requests == []
    client.get(USAGE, one_vehicle(simulator))
    client.get(USAGE, one_vehicle(simulator))
    assert paths(simulator) == [(AUTH, 200), (USAGE, 200), (USAGE, 200)]
    assert tokens_sent(simulator) == 1


def test_token_is_renewed_before_it_runs_out(simulator):
    client = make_client(simulator, token_lifetime_s=0.6, renew_margin_s=0.3)
    client.get(USAGE, one_vehicle(simulator))
    time.sleep(0.4)  # 0.4 s > 0.6 - 0.3: the client renews before sending
    client.get(USAGE, one_vehicle(simulator))
    assert paths(simulator) == [(AUTH, 200), (USAGE, 200), (AUTH, 200), (USAGE, 200)]


def test_expired_token_logs_in_again_once_and_repeats(simulator):
    client = make_client(simulator)
    client.get(USAGE, one_vehicle(simulator))
    simulator.expire_tokens()
    body = client.get(USAGE, one_vehicle(simulator))
    assert body.startswith(b"[")
    assert paths(simulator) == [(AUTH, 200), (USAGE, 200), (USAGE, 401), (AUTH, 200), (USAGE, 200)]


def test_second_401_raises_authentication_error(simulator):
    client = make_client(simulator)
    simulator.add_fault(Fault(kind="status", status=401, count=2))
    with pytest.raises(oa.AuthenticationError, match="again") as info:
        client.get(USAGE, one_vehicle(simulator))
    assert simulator.accounts["single"].login in str(info.value)
    assert [s for p, s in paths(simulator) if p == USAGE] == [401, 401]


def test_refused_login_names_the_login_never_the_password(simulator):
    acc = simulator.accounts["single"]
    client = OceanClient(simulator.base_url, acc.login, "wrong-" + acc.password, retry=FAST)
    with pytest.raises(oa.AuthenticationError) as info:
        client.get(USAGE, DAY)
    message = str(info.value)
    assert acc.login in message and "OCEAN_PASSWORD" in message
    assert acc.password not in message and "wrong-" not in message


def test_retry_after_is_honoured(simulator):
    client = make_client(simulator)
    simulator.add_fault(Fault(kind="status", status=429, retry_after=1, count=1))
    client.get(USAGE, one_vehicle(simulator))
    usage = [r for r in simulator.requests if r.path == USAGE]
    assert [r.status for r in usage] == [429, 200]
    assert usage[1].started - usage[0].ended >= 0.95


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_then_succeed(simulator, status):
    client = make_client(simulator)
    simulator.add_fault(Fault(kind="status", status=status, count=2))
    client.get(USAGE, one_vehicle(simulator))
    assert [s for p, s in paths(simulator) if p == USAGE] == [status, status, 200]


def test_retries_are_bounded(simulator):
    client = make_client(simulator, retry=RetryPolicy(max_retries=2, backoff_s=0.01))
    simulator.add_fault(Fault(kind="status", status=503, count=None))
    with pytest.raises(oa.ServerError, match="after 3 attempts") as info:
        client.get(USAGE, one_vehicle(simulator))
    assert info.value.status == 503 and info.value.endpoint == USAGE
    assert [s for p, s in paths(simulator) if p == USAGE] == [503, 503, 503]


def test_rate_limit_after_every_retry_is_a_rate_limit_error(simulator):
    client = make_client(simulator, retry=RetryPolicy(max_retries=1, backoff_s=0.01))
    simulator.add_fault(Fault(kind="status", status=429, retry_after=0, count=None))
    with pytest.raises(oa.RateLimitError, match="max_workers"):
        client.get(USAGE, one_vehicle(simulator))


def test_client_errors_are_not_retried(simulator):
    client = make_client(simulator)
    with pytest.raises(oa.BadRequestError, match="startDate"):
        client.get(USAGE, {"startDate": "2024-10-01", "endDate": "01/10/2024"})
    assert [s for p, s in paths(simulator) if p == USAGE] == [400]


def test_timeout_is_a_clear_error_after_bounded_retries(simulator):
    client = make_client(simulator, timeout=0.2, retry=RetryPolicy(max_retries=1, backoff_s=0.01))
    simulator.add_fault(Fault(kind="slow", delay_s=1.0, count=None))
    with pytest.raises(oa.OceanTimeoutError, match="timeout"):
        client.get(USAGE, one_vehicle(simulator))
    assert len([r for r in simulator.requests if r.path == USAGE]) == 2


def test_connection_dropped_mid_answer_is_retried(simulator):
    client = make_client(simulator)
    simulator.add_fault(Fault(kind="drop", count=1))
    body = client.get(USAGE, one_vehicle(simulator))
    assert body.startswith(b"[") and body.endswith(b"]")
    assert len([r for r in simulator.requests if r.path == USAGE]) == 2


def test_multi_customer_login_needs_customer_id(simulator):
    multi = simulator.accounts["multi"]
    client = make_client(simulator, "multi")
    with pytest.raises(oa.BadRequestError, match="customer_id=") as raised:
        client.get(USAGE, DAY)
    # the simulator's message says the login manages several customers: the hint does not say it again
    assert str(raised.value).endswith(
        "this login manages 3 customers. Pass customer_id= (or set OCEAN_CUSTOMER_ID) to say which one."
    )
    assert str(raised.value).lower().count("manages") == 1
    second = multi.customer_ids[1]
    client = make_client(simulator, "multi", customer_id=second)
    client.get(USAGE, {**DAY, "vehIds": [simulator.vehicles(second)[0].id]})
    assert simulator.requests[-1].query["customerId"] == [str(second)]


def test_vehicle_of_another_customer_is_permission_denied(simulator):
    other = simulator.accounts["multi"].customer_ids[1]
    client = make_client(simulator)
    with pytest.raises(oa.PermissionDeniedError, match="customer_id"):
        client.get(USAGE, {**DAY, "vehIds": [simulator.vehicles(other)[0].id]})


def test_no_secret_in_debug_logs_repr_or_errors(simulator, caplog):
    acc = simulator.accounts["single"]
    caplog.set_level(logging.DEBUG)
    client = make_client(simulator)
    simulator.add_fault(Fault(kind="status", status=500, count=1))
    client.get(USAGE, one_vehicle(simulator))
    simulator.expire_tokens()
    client.get(USAGE, one_vehicle(simulator))
    tokens = {r.headers.get("X-AUTH-TOKEN") for r in simulator.requests if r.path == USAGE}
    assert tokens and all(len(t) >= 16 for t in tokens)
    assert "retry 1/3" in caplog.text and "logging in again" in caplog.text
    texts = [caplog.text, repr(client), str(vars(client))]
    for secret in tokens | {acc.password}:
        assert all(secret not in text for text in texts)
    assert repr(client) == (
        f"OceanClient(base_url={simulator.base_url!r}, login={acc.login!r}, customer_id=None, api_tz='UTC')"
    )


def test_threads_share_one_client_through_a_token_expiry(simulator):
    client = make_client(simulator)
    params = one_vehicle(simulator)
    errors = []

    def work():
        try:
            for _ in range(5):
                client.get(USAGE, params)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    client.get(USAGE, params)
    simulator.expire_tokens()
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len([r for r in simulator.requests if r.path == USAGE and r.status == 200]) == 41
    # one login at the start, one after the expiry, however many threads saw the 401
    assert [r.status for r in simulator.requests if r.path == AUTH] == [200, 200]
    assert tokens_sent(simulator) == 2


def test_from_env_reads_the_documented_variables(simulator):
    acc = simulator.accounts["multi"]
    env = {
        "OCEAN_BASE_URL": simulator.base_url,
        "OCEAN_LOGIN": acc.login,
        "OCEAN_PASSWORD": acc.password,
        "OCEAN_CUSTOMER_ID": str(acc.customer_ids[0]),
        "OCEAN_API_TZ": "Europe/Paris",
    }
    client = OceanClient.from_env(env)
    assert (client.base_url, client.login, client.customer_id, client.api_tz) == (
        simulator.base_url,
        acc.login,
        acc.customer_ids[0],
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    "env, match",
    [
        ({}, "OCEAN_LOGIN and OCEAN_PASSWORD"),
        ({"OCEAN_LOGIN": "a@b.fr"}, "OCEAN_LOGIN and OCEAN_PASSWORD"),
        ({"OCEAN_LOGIN": "a@b.fr", "OCEAN_PASSWORD": "x", "OCEAN_CUSTOMER_ID": "douze"}, "OCEAN_CUSTOMER_ID"),
    ],
)
def test_from_env_without_usable_credentials_says_what_to_set(env, match):
    with pytest.raises(oa.ConfigurationError, match=match):
        OceanClient.from_env(env)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"base_url": "v3.oceansystem.com"}, "not an http"),
        ({"api_tz": "Paris"}, "IANA"),
        ({"api_tz": "Europe"}, "api_tz='Europe' is not a known IANA time zone"),  # a folder of zones
        ({"customer_id": "12"}, "customer_id must be an integer"),
    ],
)
def test_bad_settings_are_refused_before_any_request(kwargs, match):
    options = {"login": "a@b.fr", "password": "pw", **kwargs}
    with pytest.raises(oa.InvalidArgumentError, match=match):
        OceanClient(**options)

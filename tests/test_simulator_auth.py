"""Simulator: authentication, tokens and accounts, over raw HTTP."""

from __future__ import annotations

import re
import time

import pytest
import requests
from test_simulator_support import AUTH, DUREE, Api

pytestmark = pytest.mark.live


def test_login_answers_a_long_token_and_the_documented_fields(simulator):
    api = Api(simulator)
    answer = api.login().json()
    assert set(answer) == {"token", "passwordExpirationRemainingDays", "additionalAccountData"}
    assert re.fullmatch(r"[0-9a-f]{64}", answer["token"])
    assert answer["additionalAccountData"] == {}
    assert answer["token"] != api.token  # a new token at each login


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"login": "x"}',
        b'{"login": 1, "password": "y"}',
        b"",
    ],
)
def test_login_with_a_bad_body_answers_400(simulator, body):
    answer = requests.post(
        simulator.base_url + AUTH, data=body, timeout=5, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert "login" in answer.json()["message"] or "JSON" in answer.json()["message"]


def test_wrong_password_and_unknown_login_answer_401_without_echoing_them(simulator):
    api = Api(simulator)
    wrong = api.login(password="Wrong-Pass-123")
    unknown = api.login(login="nobody@example.fr")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong-Pass-123" not in wrong.text
    assert wrong.json() == {
        "oceanStatus": "unauthorized",
        "message": "Bad credentials: check the login and the password",
    }


def test_every_other_route_needs_a_valid_token(simulator):
    api = Api(simulator)
    params = {"customerId": simulator.customers[0].id, "startDate": "01/03/2024", "endDate": "01/03/2024"}
    assert api.get(DUREE, params, token=None).status_code == 401
    assert api.get(DUREE, params, token="0" * 64).status_code == 401
    assert api.get(DUREE, params).status_code == 200


def test_expire_tokens_expires_every_token_issued_so_far(simulator):
    api = Api(simulator)
    simulator.expire_tokens()
    answer = api.duree(None, "01/03/2024", "01/03/2024")
    assert answer.status_code == 401
    assert "expired" in answer.json()["message"]
    api.token = api.login().json()["token"]
    assert api.duree(None, "01/03/2024", "01/03/2024").status_code == 200


def test_tokens_expire_after_their_lifetime(simulator_factory):
    sim = simulator_factory(token_ttl_s=0.3)
    api = Api(sim)
    assert api.duree(None, "01/03/2024", "01/03/2024").status_code == 200
    time.sleep(0.35)
    assert api.duree(None, "01/03/2024", "01/03/2024").status_code == 401


def test_accounts_look_real_and_hide_their_password_from_repr(simulator):
    multi, single = simulator.accounts["multi"], simulator.accounts["single"]
    for account in (multi, single):
        assert re.fullmatch(r"[a-z.]+@[a-z-]+\.fr", account.login)
        assert len(account.password) >= 12
        assert re.search(r"[A-Z]", account.password) and re.search(r"\d", account.password)
        assert account.password not in repr(account)
    assert multi.customer_ids == tuple(c.id for c in simulator.customers)
    assert single.customer_ids == (simulator.customers[0].id,)
    assert multi.password not in repr(simulator)


def test_accounts_and_fleet_follow_the_seed(simulator_factory):
    first, again, other = simulator_factory(seed=7), simulator_factory(seed=7), simulator_factory(seed=8)
    assert first.accounts == again.accounts and first.customers == again.customers
    assert first.accounts["multi"].password != other.accounts["multi"].password

"""The documented error bodies become the error's words, and bad settings of the client are
refused by name at construction, before any request."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import requests
from hostile_servers import AUTH, DAY, USAGE, HostileServer, ocean

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy
from ocean_analytics.api.responses import error_for_status, not_a_list_error, server_message

DOCUMENTED = '{"oceanStatus": "badParameters", "message": "Utilisateur n\'a pas d\'Individu !"}'


def answer(status: int, body: str, reason: str = "Bad Request") -> requests.Response:
    response = requests.Response()
    response.status_code, response.reason = status, reason
    response._content = body.encode()  # noqa: SLF001 (what requests fills when it reads a body)
    return response


def unchanged(text: str) -> str:
    return text


# -- the documented error bodies ---------------------------------------------------------------
@pytest.mark.parametrize(
    "body, expected",
    [
        (DOCUMENTED, "Utilisateur n'a pas d'Individu !"),
        (f"[{DOCUMENTED}]", "Utilisateur n'a pas d'Individu !"),
        (
            '[{"oceanStatus": "badParameters", "message": "startDate manquant"}, '
            '{"oceanStatus": "badParameters", "message": "endDate manquant"}]',
            "startDate manquant; endDate manquant",
        ),
        ('[{"oceanStatus": "forbidden", "message": "a"}, {"oceanStatus": "forbidden", "message": "a"}]', "a"),
        (
            '{"status": 400, "error": "Bad Request", "message": "Spring says no", "path": "/x"}',
            "Spring says no",
        ),
        ('{"oceanStatus": "badParameters"}', "badParameters"),
        ("[]", "[]"),
        ('[{"no": "message"}]', '[{"no": "message"}]'),
    ],
    ids=[
        "documented object",
        "documented list of one",
        "list of two",
        "repeated message",
        "Spring",
        "status without message",
        "empty list",
        "list of something else",
    ],
)
def test_the_servers_message_is_what_the_error_shows(body, expected):
    assert server_message(answer(400, body), unchanged) == expected


def test_the_ocean_status_is_named_beside_the_message():
    error = error_for_status(answer(400, f"[{DOCUMENTED}]"), USAGE, unchanged)
    assert isinstance(error, oa.BadRequestError)
    assert error.server_message == "Utilisateur n'a pas d'Individu !"
    assert str(error).startswith(f"GET {USAGE} answered 400 (oceanStatus badParameters): Utilisateur n'a pas")


@pytest.mark.parametrize(
    "message, hint",
    [
        ("Parameter 'customerId' is required", "This login manages several customers: pass customer_id="),
        ("customerId required: this login has 3 customers", "customers. Pass customer_id="),
    ],
)
def test_the_multi_customer_hint_says_why_once(message, hint):
    error = error_for_status(
        answer(400, f'{{"oceanStatus": "badParameters", "message": "{message}"}}'), USAGE, unchanged
    )
    assert hint in str(error) and str(error).lower().count("customers") == 1


def test_a_200_error_object_of_the_documented_shape_is_named():
    error = not_a_list_error(DOCUMENTED.encode(), USAGE, unchanged)
    assert "oceanStatus badParameters" in str(error) and "Utilisateur n'a pas d'Individu !" in str(error)


@pytest.mark.live
def test_a_documented_error_list_reaches_the_caller_with_its_message():
    body = f"[{DOCUMENTED}]".encode()
    with (
        HostileServer(ocean(duree=lambda exchange: exchange.send(403, body))) as server,
        pytest.raises(oa.PermissionDeniedError) as info,
    ):
        server.client().get(USAGE, DAY)
    assert info.value.server_message == "Utilisateur n'a pas d'Individu !"
    assert "customer_id" in str(info.value)  # and what to do next


@pytest.mark.live
def test_a_refused_login_shows_the_documented_message():
    refusal = b'{"oceanStatus": "badCredentials", "message": "Identifiants invalides"}'
    with HostileServer(ocean(login=lambda exchange: exchange.send(401, refusal))) as server:
        with pytest.raises(oa.AuthenticationError, match="Identifiants invalides"):
            server.client().get(USAGE, DAY)
        assert server.paths() == [AUTH]


# -- bad settings, refused by name before any request ------------------------------------------
BASE = "http://127.0.0.1:9/ocean-3.0.0"  # nothing listens there: a request would fail otherwise


@pytest.mark.parametrize(
    "setting, value",
    [
        ("timeout", -1),
        ("timeout", 0),
        ("timeout", "10"),
        ("timeout", math.nan),
        ("timeout", math.inf),
        ("timeout", (1, -1)),
        ("timeout", (1, 2, 3)),
        ("timeout", ("1", 2)),
        ("timeout", True),
        ("timeout", None),
        ("customer_id", -5),
        ("customer_id", 0),
        ("customer_id", 2**63),
        ("customer_id", "12"),
        ("customer_id", 1.0),
        ("deadline_s", 0),
        ("deadline_s", -2),
        ("deadline_s", "30"),
        ("deadline_s", math.nan),
        ("retry", 3),
        ("retry", {"max_retries": 3}),
        ("token_lifetime_s", 0),
        ("renew_margin_s", -1),
        ("renew_margin_s", "600"),
        ("session", "a session"),
    ],
)
def test_a_bad_setting_is_refused_by_name_at_construction(setting, value):
    with pytest.raises(oa.InvalidArgumentError, match=setting):
        OceanClient(BASE, "a@b.fr", "pw", **{setting: value})


@pytest.mark.parametrize(
    "field, value",
    [
        ("max_retries", -1),
        ("max_retries", 2.5),
        ("max_retries", "3"),
        ("backoff_s", -0.1),
        ("max_backoff_s", math.inf),
        ("max_retry_after_s", -1),
        ("backoff_s", "0.5"),
    ],
)
def test_a_bad_retry_policy_is_refused_by_name(field, value):
    with pytest.raises(oa.InvalidArgumentError, match=field):
        RetryPolicy(**{field: value})


@pytest.mark.parametrize("timeout, deadline", [(5, 10.0), (2.5, 5.0), ((1, 1), 2.0), ((3, 60), 63.0)])
def test_good_timeouts_are_kept_and_give_the_default_deadline(timeout, deadline):
    client = OceanClient(BASE, "a@b.fr", "pw", timeout=timeout)
    assert client.timeout == timeout and client.deadline_s == deadline


def test_the_big_customer_id_of_the_documentation_is_accepted():
    assert OceanClient(BASE, "a@b.fr", "pw", customer_id=2**63 - 1).customer_id == 2**63 - 1  # int64


# -- the client's modules --------------------------------------------------------------------------
def test_each_module_of_the_client_is_small():
    api = Path(oa.__file__).parent / "api"
    sizes = {path.name: len(path.read_text().splitlines()) for path in api.glob("*.py")}
    assert {name: lines for name, lines in sizes.items() if lines > 400} == {}
    assert {"client.py", "auth.py", "transport.py", "deadline.py", "retry.py", "ratelimit.py"} <= set(sizes)


def test_the_public_names_still_import_from_client():
    from ocean_analytics.api.client import PRODUCTION_BASE_URL, OceanClient, RetryPolicy

    assert PRODUCTION_BASE_URL == "https://v3.oceansystem.com/ocean-3.0.0"
    assert oa.RetryPolicy is RetryPolicy and oa.OceanClient is OceanClient

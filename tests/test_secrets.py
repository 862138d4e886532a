"""Secrets: the password and the token never show in an error, a DEBUG log line or a
cassette, and credentials come from arguments or the environment, never from a file.

The simulator's accounts are deterministic from the seed, so the passwords of every
seed the repository uses are known here without starting a server, and searched
for in the cassettes and in every tracked file.
"""

from __future__ import annotations

import logging
import re
import subprocess
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import vcr
from cassette_scrub import PLACEHOLDER_LOGIN, PLACEHOLDER_PASSWORD, PLACEHOLDER_TOKEN, vcr_settings
from hostile_servers import AUTH, HostileServer, ocean
from hostile_servers import DAY as DAY_QUERY
from hostile_servers import PASSWORD as HOSTILE_PASSWORD
from hostile_servers import TOKEN as HOSTILE_TOKEN
from reliability_support import (
    CANNED_LOGIN,
    CANNED_PASSWORD,
    CANNED_TOKEN,
    USAGE,
    CannedOcean,
    Reply,
    assert_no_secret,
    client_for,
    simulator_secrets,
    token_reply,
)

import ocean_analytics as oa
from ocean_analytics.api.connect import DEMO_SEED
from ocean_analytics.simulator import Fault, Simulator, SimulatorConfig

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
DAY = "2024-10-01"


# -- what a secret looks like ---------------------------------------------------------------
def tracked_files() -> list[Path]:
    """Every file git tracks in the repository."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in listing.decode().split("\0") if name and (ROOT / name).is_file()]


def repository_seeds() -> set[int]:
    """The default and demo seeds, and every ``seed=N`` (or ``SEED = N``) written in a tracked file."""
    seeds = {SimulatorConfig().seed, DEMO_SEED}
    for path in tracked_files():
        seeds.update(
            int(n) for n in re.findall(r"(?i)\bseed\s*=\s*(\d+)", path.read_text("utf-8", "replace"))
        )
    return seeds


def simulator_accounts(seeds: set[int]) -> list:
    """The login and password of every account of those seeds (no server started)."""
    return [account for seed in sorted(seeds) for account in Simulator(seed=seed).accounts.values()]


_PLACEHOLDERS = {PLACEHOLDER_LOGIN, PLACEHOLDER_PASSWORD, PLACEHOLDER_TOKEN}
_SHAPES = {
    "credential field": re.compile(r'\\?"(?:token|login|password)\\?"\s*:\s*\\?"([^"\\]*)', re.IGNORECASE),
    "token header": re.compile(
        r"X-AUTH-TOKEN['\"]?:[ \t]*(?:\n[ \t]*-[ \t]*)?['\"]?([^\s'\"]+)", re.IGNORECASE
    ),
    "authorization header": re.compile(
        r"Authorization['\"]?:[ \t]*(?:\n[ \t]*-[ \t]*)?['\"]?([^\s'\"]+)", re.IGNORECASE
    ),
    "hex token": re.compile(r"\b([0-9a-fA-F]{32,})\b"),
    "JWT": re.compile(r"\b(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,})"),
    "e-mail login": re.compile(r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)"),
}


def secret_findings(text: str, known: list[str]) -> list[tuple[str, str]]:
    """(kind, value) of every token-, login- or password-shaped value, and every known
    secret, in a recorded text; the scrubbing placeholders are not findings."""
    found = [
        (kind, value)
        for kind, shape in _SHAPES.items()
        for value in shape.findall(text)
        if value not in _PLACEHOLDERS
    ]
    return found + [("known secret", secret) for secret in known if secret in text]


@pytest.fixture(scope="module")
def known_secrets() -> list[str]:
    return [
        value
        for account in simulator_accounts(repository_seeds())
        for value in (account.login, account.password)
    ]


# -- cassettes ------------------------------------------------------------------------------
def test_no_cassette_holds_a_token_login_or_password(known_secrets):
    files = sorted(path for path in CASSETTES.rglob("*") if path.is_file())
    findings = {
        str(path.relative_to(ROOT)): secret_findings(path.read_text("utf-8", "replace"), known_secrets)
        for path in files
    }
    assert {name: found for name, found in findings.items() if found} == {}


def record(sim, cassette: Path, settings: dict) -> None:
    """Record a small fetch with a token expiry in it (two logins, one 401)."""
    recorder = vcr.VCR(record_mode="all", **settings)
    vehicle = sim.customers[0].vehicles[0].id
    with recorder.use_cassette(str(cassette)):
        client = client_for(sim)
        oa.fetch_usage(client, DAY, DAY, [vehicle], max_workers=1, progress=False)
        sim.expire_tokens()
        oa.fetch_usage(client, DAY, DAY, [vehicle], max_workers=1, progress=False)


def test_the_scan_catches_an_unscrubbed_recording_and_passes_a_scrubbed_one(
    simulator, tmp_path, known_secrets
):
    account = simulator.accounts["single"]
    assert account.password in known_secrets  # the fixtures' simulator is one of the known seeds
    raw, scrubbed = tmp_path / "raw.yaml", tmp_path / "scrubbed.yaml"
    record(simulator, raw, {"match_on": ["method", "path", "query"]})
    tokens = simulator_secrets(simulator)[1:]
    assert len(tokens) == 2  # one per login
    record(simulator, scrubbed, vcr_settings())

    kinds = {kind for kind, _ in secret_findings(raw.read_text("utf-8"), known_secrets)}
    assert kinds == {"credential field", "token header", "hex token", "e-mail login", "known secret"}
    assert secret_findings(scrubbed.read_text("utf-8"), known_secrets) == []
    text = scrubbed.read_text("utf-8")
    # each fetch asks the listing, the silent boxes and the usage; the second's first request is
    # refused (token expired) and asked again after the second login: 3 + 1 + 3
    assert text.count(f"- {PLACEHOLDER_TOKEN}") == 7
    assert text.count(f'"token": "{PLACEHOLDER_TOKEN}"') == 2  # the answers of both logins
    assert all(token not in text for token in tokens) and account.password not in text


# -- credentials come from arguments or the environment only ------------------------------------
def test_no_tracked_file_holds_a_simulator_password():
    """The simulator derives its passwords from the seed at run time: none is written in
    any tracked file, its own package included (only the derivation is there)."""
    passwords = {account.password for account in simulator_accounts(repository_seeds())}
    assert len(passwords) >= 2 * 2  # two accounts for each of at least the default and one more seed
    holders = {
        str(path.relative_to(ROOT)): sorted(p for p in passwords if p.encode() in path.read_bytes())
        for path in tracked_files()
    }
    assert {name: found for name, found in holders.items() if found} == {}


def test_no_credentials_file_is_tracked():
    names = re.compile(
        r"(^|/)(\.env(\..*)?|\.netrc|_netrc|credentials[^/]*|secrets?\.(json|ya?ml|toml|ini|txt|env)|[^/]*\.(pem|key|p12))$"
    )
    assert [
        str(path.relative_to(ROOT)) for path in tracked_files() if names.search(str(path.relative_to(ROOT)))
    ] == []


def test_credentials_in_files_are_never_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text(f"OCEAN_LOGIN={CANNED_LOGIN}\nOCEAN_PASSWORD={CANNED_PASSWORD}\n")
    (tmp_path / ".netrc").write_text(
        f"machine v3.oceansystem.com login {CANNED_LOGIN} password {CANNED_PASSWORD}\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("OCEAN_LOGIN", "OCEAN_PASSWORD", "OCEAN_CUSTOMER_ID", "OCEAN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for attempt in (oa.OceanClient.from_env, lambda: oa.connect(demo=False), oa.OceanClient):
        with pytest.raises(oa.ConfigurationError, match="OCEAN_LOGIN and OCEAN_PASSWORD") as info:
            attempt()
        assert_no_secret(info.value, [CANNED_PASSWORD])


# -- errors: a server that echoes secrets back -------------------------------------------------
def echo_password(body: bytes) -> Reply:
    return 401, "application/json", b'{"message": "Bad credentials: ' + body + b'"}'


def echo_token(status: int, kind: str, template: str) -> Callable[[dict, str | None], Reply]:
    return lambda query, token: (status, kind, template.format(token=token).encode())


ECHOES = [
    ("login refused, password echoed", None, echo_password, oa.AuthenticationError),
    ("login failing, body echoed", None, lambda body: (503, "text/plain", body), oa.ServerError),
    (
        "token echoed in a 500",
        echo_token(500, "application/json", '{{"message": "token {token} refused"}}'),
        token_reply,
        oa.ServerError,
    ),
    (
        "token in a proxy page title",
        echo_token(400, "text/html", "<html><head><title>{token}</title></head></html>"),
        token_reply,
        oa.BadRequestError,
    ),
    (
        "token echoed as plain text",
        echo_token(403, "text/plain", "forbidden for {token}"),
        token_reply,
        oa.PermissionDeniedError,
    ),
]


@pytest.mark.parametrize("name, duree, login, error", ECHOES, ids=[case[0] for case in ECHOES])
def test_secrets_echoed_by_the_server_are_redacted_from_errors(name, duree, login, error):
    with CannedOcean(duree or echo_token(200, "application/json", "[]"), login) as canned:
        with pytest.raises(error) as info:
            oa.fetch_usage(canned.client(), DAY, DAY, [5], progress=False)
        echoed = [s for s in canned.seen if s.path == USAGE] if duree else canned.seen
    assert echoed and "***" in str(info.value)  # the server's message is kept, its secret starred
    assert_no_secret(info.value, [CANNED_PASSWORD, CANNED_TOKEN])


def test_a_token_echoed_in_a_200_error_object_is_not_quoted():
    body = '{{"status": 500, "error": "Internal Server Error", "message": "token {token} refused"}}'
    with (
        CannedOcean(echo_token(200, "application/json", body)) as canned,
        pytest.raises(oa.MalformedResponseError) as info,
    ):
        oa.fetch_usage(canned.client(), DAY, DAY, [5], progress=False)
    assert_no_secret(info.value, [CANNED_TOKEN[:16]])


# -- DEBUG logs -------------------------------------------------------------------------------
def test_debug_logs_of_every_logger_hold_no_secret(simulator, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    for fault in (
        Fault("status", status=500, count=1),
        Fault("status", status=429, retry_after=0, every=2, count=1),
        Fault("drop", every=3, count=1),
        Fault("expire_token", every=4, count=1),
    ):
        simulator.add_fault(fault)
    ids = [v.id for v in simulator.customers[0].vehicles[:4]]
    oa.fetch_usage(
        client_for(simulator),
        "2024-10-01",
        "2024-10-08",
        ids,
        max_days_per_request=2,
        max_vehicles_per_request=2,
        progress=True,
    )
    account = simulator.accounts["single"]
    wrong = oa.OceanClient(simulator.base_url, account.login, account.password[::-1])
    with pytest.raises(oa.AuthenticationError) as refused:
        oa.fetch_usage(wrong, DAY, DAY, ids, progress=False)
    with (
        CannedOcean(
            echo_token(500, "application/json", '{{"message": "token {token}"}}'), echo_password
        ) as canned,
        pytest.raises(oa.AuthenticationError) as echoed,
    ):
        oa.fetch_usage(canned.client(), DAY, DAY, [5], progress=False)

    statuses = [r.status for r in simulator.requests if r.path == USAGE]
    assert {500, 429, 401} <= set(statuses)  # the faults really happened, so their log lines were written
    text = caplog.text
    assert "urllib3.connectionpool" in text and '"GET /ocean-3.0.0/restapi/dioUtilisation/duree?' in text
    assert "retry 1/5" in text and "logging in again" in text and "POST /restapi/auth/authenticate2" in text
    secrets = [*simulator_secrets(simulator), account.password[::-1], CANNED_PASSWORD, CANNED_TOKEN]
    out, err = capfd.readouterr()
    written = [
        text,
        out,
        err,
        *(repr(r.args) for r in caplog.records),
        *(r.getMessage() for r in caplog.records),
    ]
    for secret in secrets:
        assert all(secret not in piece for piece in written)
    for error in (refused.value, echoed.value):
        assert_no_secret(error, secrets)


# -- the raised error, looked at as a debugger or an error tracker does --------------------------
def chain(error: BaseException) -> list[BaseException]:
    """The error and every ``__cause__`` / ``__context__`` below it."""
    links: list[BaseException] = []
    while error is not None and all(error is not seen for seen in links):
        links.append(error)
        error = error.__cause__ or error.__context__
    return links


def everything_an_error_shows(error: BaseException) -> str:
    """One text of what can be read from a raised error: each link of its chain (str, repr,
    args, attributes, and the headers and body of a request it holds), then the traceback
    with every frame's local variables, as ``pytest -l`` or an error tracker show it."""
    texts = []
    for link in chain(error):
        texts += [str(link), repr(link), repr(link.args), repr(vars(link))]
        request = getattr(link, "request", None)
        if request is not None:
            texts += [repr(dict(request.headers)), repr(request.body)]
    rendered = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "\n".join([*texts, *rendered.format()])


def reset(exchange) -> None:
    exchange.reset()


def hang(exchange) -> None:
    exchange.hang(2.0)


BROKEN = [
    ("connection reset on the usage", {"duree": reset}, oa.OceanConnectionError, "ConnectionResetError"),
    ("connection reset on the login", {"login": reset}, oa.OceanConnectionError, "ConnectionResetError"),
    ("timeout on the usage", {"duree": hang}, oa.OceanTimeoutError, "timed out"),
    ("timeout on the login", {"login": hang}, oa.OceanTimeoutError, "timed out"),
]


@pytest.mark.parametrize("name, routes, error, cause", BROKEN, ids=[case[0] for case in BROKEN])
def test_no_secret_in_the_chain_or_the_locals_of_a_transport_error(name, routes, error, cause):
    with HostileServer(ocean(**routes)) as server:
        client = server.client(timeout=(1.0, 0.3), retry=oa.RetryPolicy(max_retries=1, backoff_s=0.01))
        with pytest.raises(error) as info:
            client.get(USAGE, DAY_QUERY)
        assert server.paths().count(AUTH) == (2 if "login" in name else 1)
        if "usage" in name:
            assert server.seen[-1].headers["X-AUTH-TOKEN"] == HOSTILE_TOKEN  # the token was live
    shown = everything_an_error_shows(info.value)
    assert cause in str(info.value)  # what the cause said is kept in the message
    for secret in (HOSTILE_PASSWORD, HOSTILE_TOKEN):
        assert secret not in shown
    assert "self = " in shown or "client = " in shown  # the locals were rendered, so the search looked


def test_the_lookers_find_a_secret_in_a_raw_requests_error():
    """The two ways of looking do see a secret where one is: a requests error of today's kind."""
    with HostileServer(ocean(duree=reset)) as server, pytest.raises(requests.ConnectionError) as info:
        requests.get(server.base_url + USAGE, headers={"X-AUTH-TOKEN": HOSTILE_TOKEN}, timeout=2)
    shown = everything_an_error_shows(info.value)
    assert HOSTILE_TOKEN in shown
    assert HOSTILE_TOKEN in "".join(
        traceback.TracebackException.from_exception(
            info.value.__context__ or info.value, capture_locals=True
        ).format()
    )


class InterruptedSession(requests.Session):
    """A session interrupted (Ctrl-C) in the middle of sending, its secrets in its locals."""

    def request(self, method, url, **kwargs):
        headers, body = kwargs.get("headers"), kwargs.get("data") or kwargs.get("json")  # noqa: F841
        raise KeyboardInterrupt


def test_an_interrupt_inside_requests_carries_no_secret_in_its_frames():
    """Ctrl-C while requests holds the login body and headers in its locals: the interrupt
    that surfaces carries neither those frames nor the body."""
    with HostileServer(ocean()) as server:
        with pytest.raises(KeyboardInterrupt) as info:
            server.client(session=InterruptedSession()).get(USAGE, DAY_QUERY)
        assert server.seen == []
    shown = everything_an_error_shows(info.value)
    assert "interrupted" in shown and "POST /restapi/auth/authenticate2" in shown
    assert HOSTILE_PASSWORD not in shown

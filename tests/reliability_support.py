"""Shared by the reliability tests (faults, bad input, secrets); no test here.

A fast client on a simulator account, the keys and vehicle-days of recorded
requests, a tiny canned Ocean server on 127.0.0.1 for crafted answers, and a
check that no secret hides anywhere in an exception.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ocean_analytics.api.client import OceanClient, RetryPolicy

USAGE = "/restapi/dioUtilisation/duree"
AUTH = "/restapi/auth/authenticate2"
VEHICLES = "/restapi/vehicule_engin/vehicles"
BASE = "/ocean-3.0.0"
FAST = RetryPolicy(max_retries=5, backoff_s=0.01, max_backoff_s=0.05, max_retry_after_s=5.0)
"""Six attempts at most, waits of 10 to 50 ms: bounded and fast."""

CANNED_LOGIN = "analyste@canned.example"
CANNED_PASSWORD = "Canned-Pa55word!"
CANNED_TOKEN = "c0ffee" * 10 + "beef"

Reply = tuple[int, str, bytes]
"""(status, content type, body) of a canned answer."""


def client_for(sim, role: str = "single", **options) -> OceanClient:
    """A client logged in (lazily) as one of the simulator's accounts, with fast retries and no
    client-side rate limit (the faults under test come from the server)."""
    account = sim.accounts[role]
    options.setdefault("retry", FAST)
    options.setdefault("max_requests_per_s", None)
    return OceanClient(sim.base_url, account.login, account.password, **options)


def request_key(request) -> tuple[str, str, str]:
    """``(vehIds, startDate, endDate)`` of a recorded usage request."""
    query = request.query
    return ",".join(query.get("vehIds", [])), query["startDate"][0], query["endDate"][0]


def asked_cells(requests: Iterable) -> list[tuple[int, dt.date]]:
    """Every (vehicle id, day) the usage requests asked for, with repeats."""
    cells = []
    for request in requests:
        ids, first, last = request_key(request)
        start = dt.datetime.strptime(first, "%d/%m/%Y").date()
        days = (dt.datetime.strptime(last, "%d/%m/%Y").date() - start).days + 1
        cells += [(int(v), start + dt.timedelta(days=k)) for v in ids.split(",") for k in range(days)]
    return cells


def simulator_secrets(sim, role: str = "single") -> list[str]:
    """The account's password and every token the simulator has seen so far."""
    tokens = {r.headers["X-AUTH-TOKEN"] for r in sim.requests if "X-AUTH-TOKEN" in r.headers}
    return [sim.accounts[role].password, *sorted(tokens)]


def exception_texts(error: BaseException) -> Iterator[str]:
    """``str``, ``repr``, arguments and attributes of an exception and of every cause in its chain."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield str(error)
        yield repr(error)
        yield repr(error.args)
        yield repr(vars(error))
        error = error.__cause__ or error.__context__


def assert_no_secret(error: BaseException, secrets: Iterable[str]) -> None:
    """Fail when any secret appears in the exception or its chain."""
    texts = list(exception_texts(error))
    for secret in secrets:
        assert secret, "an empty secret would match anything"
        leaks = [text for text in texts if secret in text]
        assert not leaks, f"a secret leaked into {type(error).__name__}: {leaks[0][:200]}"


@dataclass(frozen=True)
class Seen:
    """One request the canned server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    token: str | None


def token_reply(body: bytes) -> Reply:
    """The canned server's login: any JSON body gets :data:`CANNED_TOKEN`."""
    json.loads(body)
    return 200, "application/json", json.dumps({"token": CANNED_TOKEN}).encode()


class CannedOcean:
    """An Ocean stand-in on 127.0.0.1 answering the usage route with crafted bodies.

    Parameters
    ----------
    duree : callable
        ``duree(query, token) -> (status, content type, body)`` for each usage request;
        ``query`` maps parameter names to their list of values.
    login : callable
        ``login(body) -> reply`` for the authentication route.
    """

    def __init__(
        self,
        duree: Callable[[dict[str, list[str]], str | None], Reply],
        login: Callable[[bytes], Reply] = token_reply,
    ) -> None:
        self.seen: list[Seen] = []
        self._routes = {
            ("POST", AUTH): lambda query, token, body: login(body),
            ("GET", USAGE): lambda query, token, body: duree(query, token),
        }
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/ocean-3.0.0``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{BASE}"

    def client(self, **options) -> OceanClient:
        """A client with the canned account, fast retries and no client-side rate limit."""
        options.setdefault("retry", FAST)
        options.setdefault("max_requests_per_s", None)
        return OceanClient(self.base_url, CANNED_LOGIN, CANNED_PASSWORD, **options)

    def __enter__(self) -> CannedOcean:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _answer(self, method: str, target: str, token: str | None, body: bytes) -> Reply:
        split = urlsplit(target)
        path = split.path.removeprefix(BASE)
        query = parse_qs(split.query, keep_blank_values=True)
        self.seen.append(Seen(method, path, query, token))
        route = self._routes.get((method, path))
        if route is None:
            return 404, "application/json", b'{"status": 404, "message": "no such route"}'
        return route(query, token, body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status, kind, body = canned._answer(
                    self.command, self.path, self.headers.get("X-AUTH-TOKEN"), self.rfile.read(length)
                )
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests read ``CannedOcean.seen``."""

        return Handler

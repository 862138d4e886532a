"""Hostile Ocean servers on 127.0.0.1 for the client's tests; no test here.

A :class:`HostileServer` hands every request to a script that writes the answer
itself: whole, trickled one byte at a time, redirected, reset, or never. Every
wait is bounded in time and stops when the server is closed; every loop is
bounded in count.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ocean_analytics.api.client import OceanClient, RetryPolicy

BASE = "/ocean-3.0.0"
AUTH = "/restapi/auth/authenticate2"
USAGE = "/restapi/dioUtilisation/duree"
LOGIN = "hostile@example.test"
PASSWORD = "Hostile-Pa55word-q7"
TOKEN = "d00dfeed" * 6
DAY = {"startDate": "01/10/2024", "endDate": "01/10/2024", "vehIds": [5]}
ONE_TRY = RetryPolicy(max_retries=0)
MAX_WAIT_S = 20.0
"""No script waits longer than this, whatever it is asked."""


@dataclass(frozen=True)
class Seen:
    """One request the server read: method, path without the base, query, headers, body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class Exchange:
    """One request and the means to answer it, given to a server's script."""

    def __init__(self, handler: BaseHTTPRequestHandler, seen: Seen, stop: threading.Event) -> None:
        self.seen = seen
        self._handler = handler
        self._stop = stop

    def send(
        self,
        status: int,
        body: bytes = b"",
        headers: Iterable[tuple[str, str]] = (),
        content_type: str = "application/json",
    ) -> None:
        """A whole answer with a ``Content-Length``."""
        self.raw(self.head(status, len(body), headers, content_type) + body)

    @staticmethod
    def head(
        status: int,
        length: int | None,
        headers: Iterable[tuple[str, str]] = (),
        content_type: str = "application/json",
    ) -> bytes:
        """Status line and headers, ``Content-Length`` included unless ``length`` is None."""
        lines = [
            f"HTTP/1.1 {status} Status",
            f"Content-Type: {content_type}",
            *(f"{k}: {v}" for k, v in headers),
        ]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def raw(self, data: bytes) -> None:
        """Bytes as they are, at once."""
        self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def trickle(self, data: bytes, every_s: float) -> int:
        """``data`` one byte every ``every_s`` seconds; the bytes sent before the client left."""
        for sent, byte in enumerate(data):
            if self._stop.wait(every_s):
                return sent
            try:
                self.raw(bytes([byte]))
            except OSError:
                return sent
        return len(data)

    def hang(self, seconds: float) -> None:
        """Say nothing for ``seconds`` (or until the server closes)."""
        self._stop.wait(min(seconds, MAX_WAIT_S))

    def reset(self) -> None:
        """Close the connection with a TCP reset (``SO_LINGER`` 0)."""
        connection = self._handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
        self._handler.close_connection = True


Script = Callable[[Exchange], None]


def token_answer(exchange: Exchange) -> None:
    """The login: a token for the hostile account."""
    exchange.send(200, json.dumps({"token": TOKEN}).encode())


def empty_list(exchange: Exchange) -> None:
    """A usage answer with no vehicle."""
    exchange.send(200, b"[]")


def ocean(duree: Script = empty_list, login: Script = token_answer, **routes: Script) -> Script:
    """A script routing the login, the usage and any ``path=script`` given (other paths: 404)."""
    table = {AUTH: login, USAGE: duree, **{path: script for path, script in routes.items()}}

    def route(exchange: Exchange) -> None:
        script = table.get(exchange.seen.path)
        if script is None:
            exchange.send(404, b'{"oceanStatus": "notFound", "message": "no such route"}')
        else:
            script(exchange)

    return route


class HostileServer:
    """An HTTP/1.1 server on 127.0.0.1 whose answers a script writes.

    Parameters
    ----------
    script : callable
        ``script(exchange)`` answers each request (see :class:`Exchange`).
    """

    def __init__(self, script: Script) -> None:
        self.seen: list[Seen] = []
        self.script = script
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/ocean-3.0.0``."""
        return self.origin + BASE

    def client(self, **options) -> OceanClient:
        """A client of the hostile account, one attempt per request unless told."""
        options.setdefault("retry", ONE_TRY)
        return OceanClient(self.base_url, LOGIN, PASSWORD, **options)

    def paths(self) -> list[str]:
        """The paths asked, in order."""
        return [seen.path for seen in self.seen]

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=MAX_WAIT_S)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                split = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    split.path.removeprefix(BASE),
                    parse_qs(split.query),
                    dict(self.headers.items()),
                    self.rfile.read(length),
                )
                hostile.seen.append(seen)
                try:
                    hostile.script(Exchange(self, seen, hostile._stop))
                except OSError:
                    self.close_connection = True  # the client left; nothing more to say

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests read ``HostileServer.seen``."""

        return Handler

"""The HTTP side: a threading HTTP/1.1 server with keep-alive on 127.0.0.1.

Each connection is served by a daemon thread; every answer carries a correct
``Content-Length`` (except a ``drop`` fault's, on purpose). Every request is recorded
with the status line actually sent.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .recording import RecordedRequest
from .responses import Reply
from .routes import IncomingRequest, Router
from .state import SimulatorState

__all__ = ["OceanHTTPServer"]

IDLE_CONNECTION_TIMEOUT_S = 120


class OceanHTTPServer(ThreadingHTTPServer):
    """The simulator's HTTP server, bound to 127.0.0.1.

    Parameters
    ----------
    port : int
        TCP port; 0 picks a free one.
    state : SimulatorState
        Shared settings, fleet, tokens, faults and request log.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, state: SimulatorState) -> None:
        self.state = state
        self.router = Router(state)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def track(self, connection: socket.socket, open_: bool) -> None:
        """Remember (or forget) an open client connection."""
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Shut every open client connection, so idle keep-alive threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """One client connection; requests are handed to the server's router."""

    protocol_version = "HTTP/1.1"
    server_version = "OceanSimulator/1.0"
    timeout = IDLE_CONNECTION_TIMEOUT_S
    server: OceanHTTPServer

    def setup(self) -> None:
        """Prepare the connection's socket and remember it for :meth:`OceanHTTPServer.close_connections`."""
        super().setup()
        # headers and body go out in two writes: without this, Nagle's algorithm and
        # the client's delayed ACK add 40 ms to every keep-alive answer
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        """Forget the connection and flush what is left (the client may be gone)."""
        self.server.track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        """Every method goes to the router, which answers 404 where none is served."""
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log (the request log records everything)."""

    def _serve(self) -> None:
        """Read the request, let the router answer, record it, wait, then send."""
        started = time.monotonic()
        request = self._read_request()
        if request is None:
            return
        reply = self.server.router.handle(request)
        config, _fleet = self.server.state.snapshot()
        wait_s = config.latency_s + reply.delay_s
        # recorded before the wait: a client that has its answer, or gave up waiting
        # for it, always finds the request here
        self._record(request, reply.status, started, time.monotonic() + wait_s)
        time.sleep(wait_s)
        self._send(reply)

    def _read_request(self) -> IncomingRequest | None:
        """The request line, headers and body; None (after a 400) for a bad ``Content-Length``."""
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self.send_error(400, "Content-Length must be a whole number of bytes")
            self.close_connection = True  # the body's end is unknown: the stream cannot go on
            return None
        split = urlsplit(self.path)
        return IncomingRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            token=self.headers.get("X-AUTH-TOKEN"),
            body=self.rfile.read(int(length)),
        )

    def _record(self, request: IncomingRequest, status: int, started: float, ended: float) -> None:
        """Add the request to the simulator's request log."""
        self.server.state.log.add(
            RecordedRequest(
                method=request.method,
                path=request.route,
                query=request.query,
                headers=dict(self.headers.items()),
                body=request.body,
                status=status,
                started=started,
                ended=ended,
            )
        )

    def _send(self, reply: Reply) -> None:
        """Write the status line, headers and body, as the reply's transport says."""
        cut = reply.transport in ("truncate", "drop")
        sent = reply.body[: len(reply.body) // 2] if cut else reply.body
        announced = len(reply.body) if reply.transport == "drop" else len(sent)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(announced))
            self.end_headers()
            self.wfile.write(sent)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        if reply.transport == "drop":
            self.close_connection = True

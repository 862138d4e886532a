"""One HTTP exchange with the Ocean server: the session, redirects kept in the base URL's
origin, the deadline of the whole answer, and failures described without secrets.

:meth:`Transport.exchange` returns the answer (read whole) or a :class:`Failure`
saying what went wrong in words; it never lets a requests or urllib3 exception out.
Those exceptions hold the prepared request (the token header, the login body) and
their tracebacks hold frames whose locals do too: each is turned into words inside
its ``except`` block and dropped, so that the error raised later has no cause, no
context and no such frame.

Redirects are followed here, not by requests, and only within the origin (scheme,
host and port) of the base URL: requests would send the ``X-AUTH-TOKEN`` header
(it strips only ``Authorization``) and, on a 307 or 308, the login body with the
password to any host. A redirect elsewhere raises :class:`CrossOriginRedirectError`
before anything is sent there.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from ..errors import CrossOriginRedirectError, RequestCancelledError
from .deadline import Watchdog, WatchedAdapter
from .secret import Secret

__all__ = ["Transport", "Failure", "origin_of", "new_session", "describe", "TOKEN_HEADER", "MAX_REDIRECTS"]

TOKEN_HEADER = "X-AUTH-TOKEN"
MAX_REDIRECTS = 5
_DETAIL_CHARS = 200
_TRANSPORT_ERRORS = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
)
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Failure:
    """An attempt that brought no usable answer.

    Attributes
    ----------
    kind : str
        ``"timeout"`` (no byte within the read timeout, or no connection within the
        connect timeout), ``"deadline"`` (the answer was not whole within the
        deadline), ``"connection"`` (refused, reset or cut), ``"incomplete"`` (a 200
        body visibly cut short) or ``"interrupted"`` (Ctrl-C inside requests).
    detail : str
        What happened, in the words of the innermost cause (no secret: the request's
        headers and body are never quoted).
    """

    kind: str
    detail: str


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, the port written even when it is the scheme's default."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    return f"{scheme}://{'[' + host + ']' if ':' in host else host}:{port}"


def new_session() -> requests.Session:
    """The client's own session: JSON accepted, pooled connections for 4 hosts x 32."""
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    session.headers["User-Agent"] = "ocean-analytics"
    return session


class Transport:
    """Exchanges with one Ocean base URL.

    Parameters
    ----------
    base_url : str
        The API's base, up to ``/ocean-3.0.0``, without a trailing ``/``.
    session : requests.Session
        The session to send on. A watched adapter (:class:`.deadline.WatchedAdapter`)
        is mounted on it for the base URL's origin; its proxies, certificates,
        headers and cookies are kept.
    timeout : (float, float)
        Seconds to connect, and to wait for each read.
    deadline_s : float
        Seconds for the whole answer of one exchange, redirects included.
    """

    def __init__(
        self, base_url: str, session: requests.Session, timeout: tuple[float, float], deadline_s: float
    ) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url)
        self.timeout = timeout
        self.deadline_s = deadline_s
        self.session = session
        prefix = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}/"
        session.mount(prefix, WatchedAdapter(pool_connections=4, pool_maxsize=32))
        self._watchdog = Watchdog()

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def exchange(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        token: Secret | None = None,
        body: Callable[[], bytes] | None = None,
        cancel: threading.Event | None = None,
    ) -> requests.Response | Failure:
        """Send one request (following redirects within the origin) and read its answer whole.

        Parameters
        ----------
        method, path : str
            ``"GET"`` or ``"POST"``, and the path below the base URL.
        params : mapping, optional
            Query parameters; list values are sent as repeated parameters.
        token : Secret, optional
            Sent as ``X-AUTH-TOKEN``, to the base URL's origin only.
        body : callable, optional
            Makes the JSON body when it is sent (so that no frame of ours holds it).
        cancel : threading.Event, optional
            Set by the caller to stop: the exchange ends within about 0.1 s.

        Returns
        -------
        requests.Response or Failure
            The answer, its ``content`` read whole (any status but a redirect), or why
            there is none.

        Raises
        ------
        CrossOriginRedirectError
            A redirect to another origin.
        RequestCancelledError
            ``cancel`` was set.
        KeyboardInterrupt
            A fresh one, when the user interrupted inside requests (its frames dropped).
        """
        what = f"{method} {path}"
        if cancel is not None and cancel.is_set():
            raise RequestCancelledError(f"{what} was cancelled by the caller; nothing more was sent.")
        with self._watchdog.watch(self.deadline_s, cancel) as guard:
            outcome = self._follow(method, path, params, token, body)
        if guard.cancelled:
            raise RequestCancelledError(f"{what} was cancelled by the caller; nothing more was sent.")
        if isinstance(outcome, Failure) and outcome.kind == "interrupted":
            raise KeyboardInterrupt(f"interrupted during {what}")
        if guard.tripped and not isinstance(outcome, CrossOriginRedirectError):
            return Failure(
                "deadline", f"the answer was not whole within the deadline of {self.deadline_s:g} s"
            )
        if isinstance(outcome, CrossOriginRedirectError):
            raise outcome
        return outcome

    def _follow(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        token: Secret | None,
        body: Callable[[], bytes] | None,
    ) -> requests.Response | Failure | CrossOriginRedirectError:
        url = self.base_url + path
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._send(method, url, params, token, body)
            if not isinstance(answer, requests.Response) or not answer.is_redirect:
                return answer
            target = urljoin(answer.url, answer.headers["Location"])
            answer.close()
            if origin_of(target) != self.origin:
                return CrossOriginRedirectError(
                    f"{method} {path}: the server redirected to {origin_of(target)}, another origin than "
                    f"{self.origin} of base_url: refused, so that neither the token nor the password goes "
                    "there. If the service really moved, set base_url to its new address.",
                    status=answer.status_code,
                    endpoint=path,
                )
            if answer.status_code == 303 or (answer.status_code in (301, 302) and method == "POST"):
                method, body = "GET", None  # as browsers and requests do; 307 and 308 keep both
            url, params = target, None
        return Failure("connection", f"more than {MAX_REDIRECTS} redirects within {self.origin}")

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        token: Secret | None,
        body: Callable[[], bytes] | None,
    ) -> requests.Response | Failure:
        """One HTTP request and its answer, read whole (a redirect's body is not read).

        A Ctrl-C inside requests gives ``Failure("interrupted")``: the interrupt is
        raised again by :meth:`exchange`, away from requests' frames.
        """
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=body() if body is not None else None,
                headers=({TOKEN_HEADER: token.reveal()} if token else {})
                | ({"Content-Type": "application/json"} if body is not None else {}),
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            )
            if not response.is_redirect:
                _read_whole(response)
        except _TRANSPORT_ERRORS as exc:
            return Failure("timeout" if _is_timeout(exc) else "connection", describe(exc))
        except KeyboardInterrupt:
            return Failure("interrupted", "Ctrl-C")
        return response


def _read_whole(response: requests.Response) -> None:
    """Read a streamed answer's body in one call and release the connection.

    ``Response.content`` reads in 10 kB chunks, a Python loop that costs more than
    the parse of a large answer; one read of the whole body does not. A body cut
    short raises urllib3's ``ProtocolError``, described as a cut connection.
    """
    try:
        response._content = response.raw.read(decode_content=True)  # noqa: SLF001 (what .content fills)
    finally:
        response.close()


def _is_timeout(exc: BaseException) -> bool:
    return any(isinstance(link, _TIMEOUTS) for link in _links(exc))


def _links(exc: BaseException) -> list[BaseException]:
    """An exception and the ones it wraps (requests' args, urllib3's reasons, causes)."""
    links: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(links) < 10 and all(current is not seen for seen in links):
        links.append(current)
        wrapped = getattr(current, "reason", None)
        if not isinstance(wrapped, BaseException):
            wrapped = next((arg for arg in reversed(current.args) if isinstance(arg, BaseException)), None)
        current = wrapped or current.__cause__ or current.__context__
    return links


def describe(exc: BaseException) -> str:
    """The innermost cause of a transport exception in words, e.g.
    ``ConnectionResetError: [Errno 104] Connection reset by peer``."""
    root = _links(exc)[-1]
    text = " ".join(str(root).split()) or "no detail"
    return f"{type(root).__name__}: {text}"[:_DETAIL_CHARS]

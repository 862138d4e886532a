"""`OceanClient`: HTTP and authentication against the Ocean web services, and nothing else.

The client logs in lazily with ``POST /restapi/auth/authenticate2``, reuses the
token, renews it before its 12 hours run out, logs in again once when a token
is refused, and retries idempotent GETs on connection errors, timeouts, 429
(honouring ``Retry-After``) and 5xx answers, with exponential backoff and
jitter. It is safe to share between threads.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ..errors import (
    AuthenticationError,
    ConfigurationError,
    InvalidArgumentError,
    MalformedResponseError,
    OceanConnectionError,
    OceanError,
    OceanTimeoutError,
)
from .responses import error_for_status
from .secret import Secret

__all__ = ["OceanClient", "PRODUCTION_BASE_URL", "RetryPolicy"]

log = logging.getLogger(__name__)

PRODUCTION_BASE_URL = "https://v3.oceansystem.com/ocean-3.0.0"
AUTH_PATH = "/restapi/auth/authenticate2"
TOKEN_HEADER = "X-AUTH-TOKEN"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class IncompleteAnswer(Exception):
    """A 200 answer whose body was cut short; retried like a dropped connection."""


_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
              urllib3.exceptions.HTTPError)


@dataclass(frozen=True)
class RetryPolicy:
    """How a GET is retried.

    Attributes
    ----------
    max_retries : int
        Retries after the first attempt (so ``max_retries + 1`` sends at most).
    backoff_s : float
        First wait, in seconds; doubled at each retry, capped at ``max_backoff_s``,
        and drawn uniformly in [50 %, 100 %] of that (jitter).
    max_backoff_s : float
        Longest wait between two attempts, seconds.
    max_retry_after_s : float
        Longest ``Retry-After`` honoured, seconds; a longer one ends the retries.
    """

    max_retries: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0

    def wait_s(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based).

        ``Retry-After`` is honoured as a minimum: the jittered backoff still applies
        on top of a short one, so that workers refused together do not come back
        together (a ``Retry-After: 0`` would otherwise keep them in lock-step).
        """
        ceiling = min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))
        backoff = random.uniform(ceiling / 2, ceiling)
        return backoff if retry_after is None else max(retry_after, backoff)


class OceanClient:
    """A connection to the Ocean web services.

    Parameters
    ----------
    base_url : str
        The API's base, up to and including ``/ocean-3.0.0``. Production by default.
    login, password : str, optional
        The account. Needed unless ``token`` is given (a token alone cannot be renewed).
    token : str, optional
        A token obtained elsewhere, used until it is refused.
    customer_id : int, optional
        Sent as ``customerId`` on every call. Required by the server for a login
        that manages several customers.
    api_tz : str
        IANA time zone of the API's days and ``HH:mm`` half-hour slots. The
        documentation says UTC; many fleets see Europe/Paris. Frames are built on it.
    timeout : float or (float, float)
        Seconds to connect and to wait for an answer, for every request.
    session : requests.Session, optional
        Your own session (proxies, certificates); one is made otherwise.
    retry : RetryPolicy, optional
        How GETs are retried.
    token_lifetime_s : float
        How long a token lasts (the documentation says 12 hours).
    renew_margin_s : float
        A token this close to its end is renewed before use.
    """

    def __init__(
        self,
        base_url: str = PRODUCTION_BASE_URL,
        login: str | None = None,
        password: str | None = None,
        *,
        token: str | None = None,
        customer_id: int | None = None,
        api_tz: str = "UTC",
        timeout: float | tuple[float, float] = (10.0, 120.0),
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        token_lifetime_s: float = 12 * 3600,
        renew_margin_s: float = 600,
    ) -> None:
        self.base_url = _check_base_url(base_url)
        self.login = login
        self._password = Secret(password or "")
        if not token and not (login and password):
            raise ConfigurationError(
                "No Ocean credentials: pass login= and password= (or set OCEAN_LOGIN and "
                "OCEAN_PASSWORD and use OceanClient.from_env()), or try the embedded simulator "
                "with `ocean-analytics demo`."
            )
        self.customer_id = _check_customer_id(customer_id)
        self.api_tz = _check_tz(api_tz)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.token_lifetime_s = token_lifetime_s
        self.renew_margin_s = renew_margin_s
        self._session = session or _new_session()
        self._lock = threading.Lock()
        self._token = Secret(token or "")
        self._token_time = time.monotonic() if token else None
        self.logins = 0

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> OceanClient:
        """A client from ``OCEAN_BASE_URL``, ``OCEAN_LOGIN``, ``OCEAN_PASSWORD``,
        ``OCEAN_CUSTOMER_ID`` and ``OCEAN_API_TZ``; keyword arguments override them.
        """
        env = os.environ if environ is None else environ
        settings: dict[str, Any] = {
            "base_url": env.get("OCEAN_BASE_URL") or PRODUCTION_BASE_URL,
            "login": env.get("OCEAN_LOGIN"),
            "password": env.get("OCEAN_PASSWORD"),
            "api_tz": env.get("OCEAN_API_TZ") or "UTC",
        }
        if env.get("OCEAN_CUSTOMER_ID"):
            settings["customer_id"] = _env_customer_id(env["OCEAN_CUSTOMER_ID"])
        settings.update(overrides)
        if not settings.get("token") and not (settings["login"] and settings["password"]):
            raise ConfigurationError(
                "No Ocean credentials in the environment: set OCEAN_LOGIN and OCEAN_PASSWORD "
                "(and OCEAN_CUSTOMER_ID for a login that manages several customers), or run on "
                "the embedded simulator with `ocean-analytics demo` / `--demo`."
            )
        return cls(**settings)

    def __repr__(self) -> str:
        return (f"OceanClient(base_url={self.base_url!r}, login={self.login!r}, "
                f"customer_id={self.customer_id!r}, api_tz={self.api_tz!r})")

    def __enter__(self) -> OceanClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def redact(self, text: str) -> str:
        """``text`` without the password or the current token."""
        return self._token.redact(self._password.redact(text))

    # -- authentication -------------------------------------------------------------------
    def authenticate(self) -> None:
        """Log in now (``POST /restapi/auth/authenticate2``) and keep the token.

        Raises
        ------
        AuthenticationError
            When the login is refused; the message names the login, never the password.
        """
        with self._lock:
            self._login()

    def _login(self) -> None:
        if not (self.login and self._password):
            raise AuthenticationError(
                "The token was refused and no login/password was given to get a new one: "
                "pass login= and password= so the client can log in again.",
                endpoint=AUTH_PATH,
            )
        body = {"login": self.login, "password": self._password.reveal()}
        log.debug("POST %s for login %r", AUTH_PATH, self.login)
        try:
            response = self._session.post(self.base_url + AUTH_PATH, json=body, timeout=self.timeout)
        except _TRANSIENT as exc:
            raise _transport_error(exc, AUTH_PATH, 1) from exc
        if response.status_code not in (200, 201):
            error = error_for_status(response, AUTH_PATH, self.redact, context=f" for login {self.login!r}")
            if response.status_code in (401, 403, 404):
                raise AuthenticationError(
                    f"Login refused for {self.login!r} ({response.status_code}: {error.server_message}). "
                    "Check OCEAN_LOGIN / OCEAN_PASSWORD, that the password has not expired, "
                    "and base_url.",
                    status=response.status_code, endpoint=AUTH_PATH, server_message=error.server_message,
                )
            raise error
        token = _token_from(response)
        self._token = Secret(token)
        self._token_time = time.monotonic()
        self.logins += 1
        days = _password_days(response)
        if days is not None and days < 15:
            log.warning("The password of %r expires in %s days: renew it on the Ocean portal.", self.login, days)

    def _current_token(self) -> Secret:
        """The token to use now, logging in first when there is none or it is about to expire."""
        with self._lock:
            expired = (self._token_time is None or
                       time.monotonic() - self._token_time > self.token_lifetime_s - self.renew_margin_s)
            if not self._token or (expired and self.login and self._password):
                self._login()
            return self._token

    def _renew_after_401(self, refused: Secret) -> None:
        """Log in again, unless another thread already replaced the refused token."""
        with self._lock:
            if self._token is refused:
                self._login()

    # -- requests -------------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None, *,
            complete: Callable[[bytes], str | None] | None = None) -> bytes:
        """Send an authenticated GET and return the body of the successful answer.

        ``customerId`` is added when the client has a ``customer_id``. Connection
        errors, timeouts, 429 and 5xx are retried as ``retry`` says; a 401 logs in
        again once and repeats the request.

        Parameters
        ----------
        path : str
            The path below ``base_url``, e.g. ``/restapi/dioUtilisation/duree``.
        params : mapping, optional
            Query parameters; list values are sent as repeated parameters.
        complete : callable, optional
            Tells whether a 200 body is whole: returns None when it is, or why it
            is not. An incomplete body is retried like a dropped connection.

        Returns
        -------
        bytes
            The body of the 200 answer.

        Raises
        ------
        OceanError
            The subclass that fits the failure, with the endpoint, status and server message.
        """
        query = dict(params or {})
        if self.customer_id is not None:
            query.setdefault("customerId", self.customer_id)
        relogged = False
        attempt = 0
        while True:
            attempt += 1
            token = self._current_token()
            outcome = self._send(path, query, token, attempt, complete)
            if isinstance(outcome, bytes):
                return outcome
            if isinstance(outcome, requests.Response) and outcome.status_code == 401 and not relogged:
                log.info("GET %s: token refused (401), logging in again", path)
                relogged = True
                self._renew_after_401(token)
                continue
            retry_after = _retry_after(outcome)
            if not self._should_retry(outcome, attempt, retry_after):
                cause = outcome if isinstance(outcome, Exception) else None
                raise self._failure(outcome, path, attempt) from cause
            wait = self.retry.wait_s(attempt, retry_after)
            log.info("GET %s: %s; retry %d/%d in %.2f s", path, _describe(outcome), attempt,
                     self.retry.max_retries, wait)
            time.sleep(wait)

    def _send(self, path: str, query: dict, token: Secret, attempt: int,
              complete: Callable[[bytes], str | None] | None) -> bytes | requests.Response | Exception:
        started = time.monotonic()
        try:
            response = self._session.get(self.base_url + path, params=query, timeout=self.timeout,
                                         headers={TOKEN_HEADER: token.reveal()}, stream=True)
            _read_whole(response)
        except _TRANSIENT as exc:
            log.debug("GET %s %s: %s after %.3f s", path, _loggable(query), type(exc).__name__,
                      time.monotonic() - started)
            return exc
        log.debug("GET %s %s -> %d (%d bytes, %.3f s, attempt %d)", path, _loggable(query),
                  response.status_code, len(response.content), time.monotonic() - started, attempt)
        if response.status_code != 200:
            return response
        reason = complete(response.content) if complete else None
        return IncompleteAnswer(reason) if reason else response.content

    def _should_retry(self, outcome: requests.Response | Exception, attempt: int,
                      retry_after: float | None) -> bool:
        if attempt > self.retry.max_retries:
            return False
        if retry_after is not None and retry_after > self.retry.max_retry_after_s:
            return False
        if isinstance(outcome, Exception):
            return True
        return outcome.status_code in RETRY_STATUSES

    def _failure(self, outcome: requests.Response | Exception, path: str, attempts: int) -> OceanError:
        if isinstance(outcome, Exception):
            return _transport_error(outcome, path, attempts)
        if outcome.status_code == 401:
            return AuthenticationError(
                f"GET {path} refused the token again (401) just after a fresh login as {self.login!r}: "
                "check that this account may use this service and customer.",
                status=401, endpoint=path, server_message=error_for_status(outcome, path, self.redact).server_message,
            )
        return error_for_status(outcome, path, self.redact, attempts=attempts)


# -- helpers ------------------------------------------------------------------------------
def _new_session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["Accept"] = "application/json"
    session.headers["User-Agent"] = "ocean-analytics"
    return session


def _read_whole(response: requests.Response) -> None:
    """Read a streamed answer's body in one call and release the connection.

    ``Response.content`` reads in 10 kB chunks, a Python loop that costs more than
    the parse of a large answer; one read of the whole body does not. A body cut
    short raises urllib3's ``ProtocolError``, retried like a dropped connection.
    """
    try:
        response._content = response.raw.read(decode_content=True)
    finally:
        response.close()


def _check_base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise InvalidArgumentError(
            f"base_url={base_url!r} is not an http(s) URL: use e.g. {PRODUCTION_BASE_URL!r}."
        )
    return base_url.rstrip("/")


def _check_customer_id(customer_id: int | None) -> int | None:
    if customer_id is None:
        return None
    if isinstance(customer_id, bool) or not isinstance(customer_id, int):
        raise InvalidArgumentError(f"customer_id must be an integer, not {customer_id!r}.")
    return customer_id


def _env_customer_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ConfigurationError(
            f"OCEAN_CUSTOMER_ID={text!r} is not an integer: set it to the customer's numeric id."
        ) from None


def _check_tz(api_tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(api_tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidArgumentError(
            f"api_tz={api_tz!r} is not a time zone: use an IANA name such as 'UTC' or 'Europe/Paris'."
        ) from None
    return api_tz


def _token_from(response: requests.Response) -> str:
    try:
        token = response.json()["token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if not isinstance(token, str) or not token:
        raise AuthenticationError(
            f"POST {AUTH_PATH} answered {response.status_code} without a token: "
            "check base_url (it should end with /ocean-3.0.0).",
            status=response.status_code, endpoint=AUTH_PATH,
        )
    return token


def _password_days(response: requests.Response) -> int | None:
    try:
        days = response.json().get("passwordExpirationRemainingDays")
    except (ValueError, AttributeError):
        return None
    return days if isinstance(days, int) else None


def _retry_after(outcome: requests.Response | Exception) -> float | None:
    """Seconds the server asked to wait (``Retry-After`` as seconds or an HTTP date)."""
    if not isinstance(outcome, requests.Response):
        return None
    value = outcome.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _describe(outcome: requests.Response | Exception) -> str:
    if isinstance(outcome, Exception):
        return type(outcome).__name__
    return f"{outcome.status_code} {outcome.reason or ''}".strip()


def _loggable(query: Mapping[str, Any]) -> str:
    """Query parameters for a log line: they hold ids and days, never secrets."""
    return "&".join(f"{k}={v}" for k, v in query.items())


def _transport_error(exc: Exception, path: str, attempts: int) -> OceanError:
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    if isinstance(exc, IncompleteAnswer):
        return MalformedResponseError(
            f"GET {path} answered 200 with an incomplete body{tried} ({exc}): the answer was cut on "
            "the way; try again, or ask for fewer vehicles or days per request.", endpoint=path)
    if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError)):
        return OceanTimeoutError(
            f"GET {path} got no answer within the timeout{tried}: raise timeout= or ask for "
            "fewer vehicles or days per request.", endpoint=path)
    return OceanConnectionError(
        f"{path}: the connection failed or was cut{tried} ({type(exc).__name__}): check base_url "
        "and the network, then try again.", endpoint=path)

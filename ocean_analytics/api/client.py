"""`OceanClient`: HTTP and authentication against the Ocean web services, and nothing else.

The client logs in lazily with ``POST /restapi/auth/authenticate2``, reuses the
token, renews it before its 12 hours run out, logs in again once when a token
is refused, and retries every request, the login included, on connection
errors, timeouts, answers cut short or past their deadline, 429 (honouring
``Retry-After``) and 5xx answers. It keeps to a rate of its own, slower after a
429; never sends the token or the password outside the base URL's origin; and
lets no secret reach a raised error, its chain or the locals of its traceback.
It is safe to share between threads.

The work is shared out: :mod:`.settings` (checking the arguments), :mod:`.auth`
(login and token), :mod:`.transport` (one exchange: redirects, secrets kept home),
:mod:`.deadline` (the whole answer's deadline, cancel), :mod:`.retry` (the policy,
on urllib3's ``Retry``), :mod:`.ratelimit` (requests per second) and
:mod:`.responses` (answers to errors).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

import requests

from ..errors import AuthenticationError, ConfigurationError, OceanError
from ..zones import check_zone
from .auth import Account, TokenKeeper
from .ratelimit import RequestRate
from .responses import error_for_status, failure_error
from .retry import RetryPolicy, send_until_final
from .secret import Secret
from .settings import (
    PRODUCTION_BASE_URL,
    check_base_url,
    check_customer_id,
    check_rate,
    check_retry,
    check_seconds,
    check_session,
    check_timeout,
    env_customer_id,
)
from .transport import Failure, Transport, new_session

__all__ = ["OceanClient", "PRODUCTION_BASE_URL", "RetryPolicy"]

log = logging.getLogger(__name__)


class OceanClient:
    """A connection to the Ocean web services.

    Every setting is checked here: a wrong one raises `InvalidArgumentError` naming
    it, before any request.

    Parameters
    ----------
    base_url : str
        The API's base, up to and including ``/ocean-3.0.0``. Production by default.
        Its origin (scheme, host, port) is the only one the token and the password
        are sent to: a redirect elsewhere is refused (`OceanConnectionError`).
    login, password : str, optional
        The account. Needed unless ``token`` is given (a token alone cannot be renewed).
    token : str, optional
        A token obtained elsewhere, used until it is refused.
    customer_id : int, optional
        Sent as ``customerId`` on every call (1 to 2**63 - 1). Required by the server
        for a login that manages several customers.
    api_tz : str
        IANA time zone of the API's days and ``HH:mm`` half-hour slots. The
        documentation says UTC; many fleets see Europe/Paris. Frames are built on it.
    timeout : float or (float, float)
        Seconds to connect, and to wait for each read of an answer (one number for
        both); each > 0.
    deadline_s : float, optional
        Seconds for the whole answer of one request, from sending it to its last
        byte, redirects included: a server trickling bytes cannot stretch an answer
        past it (each read's timeout alone would not stop it). Past it, the attempt
        is cut and retried like a timeout. By default the connect and read timeouts
        added (130 s with the default timeout; 2 s with ``timeout=(1, 1)``).
    max_requests_per_s : float or None
        The most requests a second this client sends, over all its threads (a
        burst of one second's worth goes at once); the platform publishes no limit,
        so 10 by default. After a 429 every thread waits for its ``Retry-After``,
        and the rate halves (down to a quarter of this), then grows back by a
        quarter with each other answer. None: no limit and no slowing down.
    session : requests.Session, optional
        Your own session (proxies, certificates); one is made otherwise. The client
        mounts its own adapter on it for the base URL's origin (the deadline needs
        it); redirects are followed by the client, within the origin only.
    retry : RetryPolicy, optional
        How requests, the login included, are retried.
    token_lifetime_s : float
        How long a token lasts, seconds (the documentation says 12 hours).
    renew_margin_s : float
        A token this close to its end (seconds) is renewed before use.
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
        deadline_s: float | None = None,
        max_requests_per_s: float | None = 10.0,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        token_lifetime_s: float = 12 * 3600,
        renew_margin_s: float = 600,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.login = login
        self._password = Secret(password or "")
        if not token and not (login and password):
            raise ConfigurationError(
                "No Ocean credentials: pass login= and password= (or set OCEAN_LOGIN and "
                "OCEAN_PASSWORD and use OceanClient.from_env()), or try the embedded simulator "
                "with `ocean-analytics demo`."
            )
        self.customer_id = check_customer_id(customer_id)
        self.api_tz = check_zone(api_tz)
        connect_s, read_s = check_timeout(timeout)
        self.timeout = timeout
        self.deadline_s = (
            connect_s + read_s if deadline_s is None else check_seconds("deadline_s", deadline_s)
        )
        self.max_requests_per_s = check_rate(max_requests_per_s)
        self.retry = check_retry(retry)
        self.token_lifetime_s = check_seconds("token_lifetime_s", token_lifetime_s)
        self.renew_margin_s = check_seconds("renew_margin_s", renew_margin_s, zero=True)
        self._transport = Transport(
            self.base_url, check_session(session) or new_session(), (connect_s, read_s), self.deadline_s
        )
        self._rate = RequestRate(self.max_requests_per_s) if self.max_requests_per_s else None
        account = Account(login, self._password, self._transport, self.retry, self._rate, self.redact)
        self._keeper = TokenKeeper(account, Secret(token or ""), self.token_lifetime_s, self.renew_margin_s)

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
            settings["customer_id"] = env_customer_id(env["OCEAN_CUSTOMER_ID"])
        settings.update(overrides)
        if not settings.get("token") and not (settings["login"] and settings["password"]):
            raise ConfigurationError(
                "No Ocean credentials in the environment: set OCEAN_LOGIN and OCEAN_PASSWORD "
                "(and OCEAN_CUSTOMER_ID for a login that manages several customers), or run on "
                "the embedded simulator with `ocean-analytics demo` / `--demo`."
            )
        return cls(**settings)

    def __repr__(self) -> str:
        return (
            f"OceanClient(base_url={self.base_url!r}, login={self.login!r}, "
            f"customer_id={self.customer_id!r}, api_tz={self.api_tz!r})"
        )

    def __enter__(self) -> OceanClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._transport.close()

    def redact(self, text: str) -> str:
        """``text`` without the password or the current token."""
        return self._keeper.token.redact(self._password.redact(text))

    # -- authentication -------------------------------------------------------------------
    def authenticate(self, *, cancel: threading.Event | None = None) -> None:
        """Log in now (``POST /restapi/auth/authenticate2``, retried as ``retry`` says) and keep the token.

        Raises
        ------
        AuthenticationError
            When the login is refused; the message names the login, never the password.
        RequestCancelledError
            When ``cancel`` is set meanwhile.
        """
        self._keeper.log_in(cancel)

    # -- requests -------------------------------------------------------------------------
    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        complete: Callable[[bytes], str | None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bytes:
        """Send an authenticated GET and return the body of the successful answer.

        ``customerId`` is added when the client has a ``customer_id``. Failures are
        retried as ``retry`` says; a 401 logs in again once and repeats the request.

        Parameters
        ----------
        path : str
            The path below ``base_url``, e.g. ``/restapi/dioUtilisation/duree``.
        params : mapping, optional
            Query parameters; list values are sent as repeated parameters.
        complete : callable, optional
            Tells whether a 200 body is whole: returns None when it is, or why it
            is not. An incomplete body is retried like a dropped connection.
        cancel : threading.Event, optional
            Set it (from any thread) to stop: the request in flight, a wait between
            retries or for the rate limit ends within about 0.1 s, nothing more is
            sent, and `RequestCancelledError` is raised.

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
        retries = self.retry.start()
        relogged = False
        while True:  # at most twice: a second 401 is final
            token = self._keeper.current(cancel)
            outcome = send_until_final(
                lambda token=token: self._checked(path, query, token, complete, cancel),
                retries,
                method="GET",
                path=path,
                rate=self._rate,
                cancel=cancel,
            )
            if isinstance(outcome, requests.Response) and outcome.status_code == 200:
                return outcome.content
            if isinstance(outcome, requests.Response) and outcome.status_code == 401 and not relogged:
                log.info("GET %s: token refused (401), logging in again", path)
                relogged = True
                self._keeper.renew(token, cancel)
                continue
            raise self._failure(outcome, path, retries.attempts)

    def _checked(
        self,
        path: str,
        query: dict,
        token: Secret,
        complete: Callable[[bytes], str | None] | None,
        cancel: threading.Event | None,
    ) -> requests.Response | Failure:
        """One attempt; a 200 body that ``complete`` finds cut short is a failure."""
        outcome = self._transport.exchange("GET", path, params=query, token=token, cancel=cancel)
        if isinstance(outcome, requests.Response):
            log.debug(
                "GET %s %s -> %d (%d bytes)",
                path,
                _loggable(query),
                outcome.status_code,
                len(outcome.content),
            )
            reason = complete(outcome.content) if complete and outcome.status_code == 200 else None
            if reason:
                return Failure("incomplete", reason)
        else:
            log.debug("GET %s %s: %s (%s)", path, _loggable(query), outcome.kind, outcome.detail)
        return outcome

    def _failure(self, outcome: requests.Response | Failure, path: str, attempts: int) -> OceanError:
        if isinstance(outcome, Failure):
            return failure_error(outcome, "GET", path, attempts, redact=self.redact)
        if outcome.status_code == 401:
            return AuthenticationError(
                f"GET {path} refused the token again (401) just after a fresh login as {self.login!r}: "
                "check that this account may use this service and customer.",
                status=401,
                endpoint=path,
                server_message=error_for_status(outcome, path, self.redact).server_message,
            )
        return error_for_status(outcome, path, self.redact, attempts=attempts)


def _loggable(query: Mapping[str, Any]) -> str:
    """Query parameters for a log line: they hold ids and days, never secrets."""
    return "&".join(f"{k}={v}" for k, v in query.items())

"""Logging in (``POST /restapi/auth/authenticate2``), retried like any request, and the
token kept, shared by the client's threads and renewed.

The password stays a :class:`~.secret.Secret` until requests asks for the body:
:func:`login_body` makes the bytes then, and only requests holds them. The token
is a Secret from the moment it is read. So no frame of this package holds either
as plain text when an error is raised.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import orjson
import requests

from ..errors import AuthenticationError, OceanError, RequestCancelledError
from .ratelimit import RequestRate
from .responses import error_for_status, failure_error
from .retry import RetryPolicy, send_until_final
from .secret import Secret
from .transport import Failure, Transport

__all__ = ["AUTH_PATH", "Account", "TokenKeeper", "login_body"]

log = logging.getLogger(__name__)

AUTH_PATH = "/restapi/auth/authenticate2"
LOCK_SLICE_S = 0.1
"""A thread waiting for another's login looks at its cancel event this often, seconds."""


def login_body(login: str, password: Secret) -> bytes:
    """The JSON body of the login, made at the moment it is sent."""
    return orjson.dumps({"login": login, "password": password.reveal()})


def _decoded(response: requests.Response) -> object:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None


@dataclass(frozen=True, repr=False)
class Account:
    """Who logs in, and how: the login, its password, and the ways to send.

    Attributes
    ----------
    login : str or None
        The account's login (shown in messages).
    password : Secret
        Its password (empty when only a token was given).
    transport : Transport
        Where to send.
    retry : RetryPolicy
        How the login is retried.
    rate : RequestRate or None
        The client's rate limit.
    redact : callable
        Removes secrets from a server's text.
    """

    login: str | None
    password: Secret
    transport: Transport
    retry: RetryPolicy
    rate: RequestRate | None
    redact: Callable[[str], str]

    def __repr__(self) -> str:
        return f"Account(login={self.login!r})"

    @property
    def can_log_in(self) -> bool:
        """Whether a login and a password were given."""
        return bool(self.login and self.password)

    def log_in(self, cancel: threading.Event | None) -> tuple[Secret, int | None]:
        """Log in now, retried as the policy says; the token and the days the password has left.

        Raises
        ------
        AuthenticationError
            The login is refused (401, 403, 404) or its answer holds no token.
        OceanError
            The subclass that fits a failure that outlived the retries.
        """
        if not self.can_log_in:
            raise AuthenticationError(
                "The token was refused and no login/password was given to get a new one: "
                "pass login= and password= so the client can log in again.",
                endpoint=AUTH_PATH,
            )
        log.debug("POST %s for login %r", AUTH_PATH, self.login)
        body = functools.partial(login_body, self.login, self.password)
        retries = self.retry.start()
        outcome = send_until_final(
            lambda: _whole_json(self.transport.exchange("POST", AUTH_PATH, body=body, cancel=cancel)),
            retries,
            method="POST",
            path=AUTH_PATH,
            rate=self.rate,
            cancel=cancel,
        )
        context = f" for login {self.login!r}"
        if isinstance(outcome, Failure):
            raise failure_error(
                outcome, "POST", AUTH_PATH, retries.attempts, redact=self.redact, context=context
            )
        if outcome.status_code not in (200, 201):
            raise self._refusal(outcome, retries.attempts, context)
        answer = _decoded(outcome)
        token = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthenticationError(
                f"POST {AUTH_PATH} answered {outcome.status_code} without a token: "
                "check base_url (it should end with /ocean-3.0.0).",
                status=outcome.status_code,
                endpoint=AUTH_PATH,
            )
        days = answer.get("passwordExpirationRemainingDays")
        return Secret(token), days if isinstance(days, int) and not isinstance(days, bool) else None

    def _refusal(self, response: requests.Response, attempts: int, context: str) -> OceanError:
        error = error_for_status(response, AUTH_PATH, self.redact, attempts=attempts, context=context)
        if response.status_code not in (401, 403, 404):
            return error
        return AuthenticationError(
            f"Login refused for {self.login!r} ({response.status_code}: {error.server_message}). "
            "Check OCEAN_LOGIN / OCEAN_PASSWORD, that the password has not expired, and base_url.",
            status=response.status_code,
            endpoint=AUTH_PATH,
            server_message=error.server_message,
        )


def _whole_json(outcome: requests.Response | Failure) -> requests.Response | Failure:
    """A 200 login answer whose body is not whole JSON (cut on the way) is retried as incomplete."""
    if isinstance(outcome, Failure) or outcome.status_code not in (200, 201) or _decoded(outcome) is not None:
        return outcome
    content = outcome.content or b""
    return Failure("incomplete", f"{len(content)} bytes that are not whole JSON")


class TokenKeeper:
    """The token in use, shared by the client's threads: one logs in at a time.

    Parameters
    ----------
    account : Account
        How to log in.
    token : Secret
        A token obtained elsewhere (empty for none).
    lifetime_s, margin_s : float
        How long a token lasts, and how close to its end it is renewed before use.
    """

    def __init__(self, account: Account, token: Secret, lifetime_s: float, margin_s: float) -> None:
        self.account = account
        self.token = token
        self.lifetime_s = lifetime_s
        self.margin_s = margin_s
        self._time = time.monotonic() if token else None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenKeeper(login={self.account.login!r})"

    def current(self, cancel: threading.Event | None) -> Secret:
        """The token to use now, logging in first when there is none or it is about to expire."""
        with self._held(cancel):
            expired = self._time is None or time.monotonic() - self._time > self.lifetime_s - self.margin_s
            if not self.token or (expired and self.account.can_log_in):
                self._log_in(cancel)
            return self.token

    def renew(self, refused: Secret, cancel: threading.Event | None) -> None:
        """Log in again after a 401, unless another thread already replaced the refused token."""
        with self._held(cancel):
            if self.token is refused:
                self._log_in(cancel)

    def log_in(self, cancel: threading.Event | None) -> None:
        """Log in now and keep the token."""
        with self._held(cancel):
            self._log_in(cancel)

    def _log_in(self, cancel: threading.Event | None) -> None:
        token, days = self.account.log_in(cancel)
        self.token, self._time = token, time.monotonic()
        if days is not None and days < 15:
            log.warning(
                "The password of %r expires in %s days: renew it on the Ocean portal.",
                self.account.login,
                days,
            )

    def _held(self, cancel: threading.Event | None) -> _Held:
        return _Held(self._lock, cancel)


class _Held:
    """The keeper's lock, waited for in slices so that a cancel is seen."""

    def __init__(self, lock: threading.Lock, cancel: threading.Event | None) -> None:
        self._lock, self._cancel = lock, cancel

    def __enter__(self) -> None:
        while not self._lock.acquire(timeout=LOCK_SLICE_S):  # ends: the holder's login is bounded
            if self._cancel is not None and self._cancel.is_set():
                raise RequestCancelledError("Waiting for another thread's login was cancelled by the caller.")

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

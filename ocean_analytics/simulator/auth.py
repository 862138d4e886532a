"""Tokens of the simulator: issued at login, checked on every other route, expiring."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

__all__ = ["TokenStore", "TokenCheck"]


@dataclass(frozen=True)
class TokenCheck:
    """Outcome of checking a token.

    Parameters
    ----------
    login : str or None
        The login the token was issued to, when valid.
    problem : str or None
        Why it is refused (missing, unknown or expired), when not valid.
    """

    login: str | None
    problem: str | None


class TokenStore:
    """Thread-safe map of issued tokens to their login and expiry (``time.monotonic()`` s)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}

    def issue(self, login: str, ttl_s: float) -> str:
        """Issue a new 64-hex-digit token for ``login``, valid ``ttl_s`` seconds."""
        token = secrets.token_hex(32)
        with self._lock:
            self._tokens[token] = (login, time.monotonic() + ttl_s)
        return token

    def check(self, token: str | None) -> TokenCheck:
        """Whether ``token`` is valid now, and for which login."""
        if not token:
            return TokenCheck(
                None, "the X-AUTH-TOKEN header is missing: log in with POST /restapi/auth/authenticate2"
            )
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None:
            return TokenCheck(
                None, "the token is unknown: log in again with POST /restapi/auth/authenticate2"
            )
        login, expires = entry
        if time.monotonic() >= expires:
            return TokenCheck(
                None, "the token has expired: log in again with POST /restapi/auth/authenticate2"
            )
        return TokenCheck(login, None)

    def expire(self, token: str | None = None) -> None:
        """Expire one token, or every token issued so far when ``token`` is None."""
        with self._lock:
            targets = list(self._tokens) if token is None else [token] if token in self._tokens else []
            for key in targets:
                self._tokens[key] = (self._tokens[key][0], float("-inf"))

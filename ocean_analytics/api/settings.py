"""The settings of an :class:`~ocean_analytics.api.client.OceanClient`, checked when it is
made: a wrong one is an `InvalidArgumentError` naming it, before any request."""

from __future__ import annotations

import math
from typing import Any

import requests

from ..errors import ConfigurationError, InvalidArgumentError
from .retry import RetryPolicy

__all__ = [
    "PRODUCTION_BASE_URL",
    "check_base_url",
    "check_customer_id",
    "check_timeout",
    "check_seconds",
    "check_rate",
    "check_retry",
    "check_session",
    "env_customer_id",
]

PRODUCTION_BASE_URL = "https://v3.oceansystem.com/ocean-3.0.0"
INT64_MAX = 2**63 - 1


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_base_url(base_url: Any) -> str:
    """The base URL without its trailing ``/``."""
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise InvalidArgumentError(
            f"base_url={base_url!r} is not an http(s) URL: use e.g. {PRODUCTION_BASE_URL!r}."
        )
    return base_url.rstrip("/")


def check_customer_id(customer_id: Any) -> int | None:
    """None, or a customer id: an integer from 1 to 2**63 - 1 (the API's int64)."""
    if customer_id is None:
        return None
    if isinstance(customer_id, bool) or not isinstance(customer_id, int):
        raise InvalidArgumentError(f"customer_id must be an integer, not {customer_id!r}.")
    if not 1 <= customer_id <= INT64_MAX:
        raise InvalidArgumentError(
            f"customer_id={customer_id} is not a customer id: use the positive integer id the Ocean "
            "portal shows for the customer (at most 2**63 - 1)."
        )
    return customer_id


def env_customer_id(text: str) -> int:
    """``OCEAN_CUSTOMER_ID`` read as an integer."""
    try:
        return int(text)
    except ValueError:
        raise ConfigurationError(
            f"OCEAN_CUSTOMER_ID={text!r} is not an integer: set it to the customer's numeric id."
        ) from None


def check_timeout(timeout: Any) -> tuple[float, float]:
    """(connect, read) seconds from one number or a pair, each finite and > 0."""
    pair = timeout if isinstance(timeout, (tuple, list)) and len(timeout) == 2 else (timeout, timeout)
    if not all(_is_number(v) and math.isfinite(v) and v > 0 for v in pair):
        raise InvalidArgumentError(
            f"timeout={timeout!r} is not a timeout: give seconds > 0, one number for connecting and for "
            "each read (timeout=30) or a pair (timeout=(10, 120))."
        )
    return float(pair[0]), float(pair[1])


def check_seconds(name: str, value: Any, *, zero: bool = False) -> float:
    """A finite number of seconds, > 0 (>= 0 when ``zero``)."""
    if not (_is_number(value) and math.isfinite(value) and (value >= 0 if zero else value > 0)):
        raise InvalidArgumentError(
            f"{name} must be a finite number of seconds {'>=' if zero else '>'} 0, not {value!r}."
        )
    return float(value)


def check_rate(max_requests_per_s: Any) -> float | None:
    """None (no limit) or a finite number of requests per second > 0."""
    if max_requests_per_s is None:
        return None
    if not (_is_number(max_requests_per_s) and math.isfinite(max_requests_per_s) and max_requests_per_s > 0):
        raise InvalidArgumentError(
            f"max_requests_per_s={max_requests_per_s!r} is not a rate: give requests per second > 0 "
            "(e.g. 10), or None for no limit."
        )
    return float(max_requests_per_s)


def check_retry(retry: Any) -> RetryPolicy:
    """The policy given, or the default one."""
    if retry is None:
        return RetryPolicy()
    if not isinstance(retry, RetryPolicy):
        raise InvalidArgumentError(
            f"retry must be a RetryPolicy (e.g. RetryPolicy(max_retries=3)), not {retry!r}."
        )
    return retry


def check_session(session: Any) -> requests.Session | None:
    """None, or a requests session."""
    if session is not None and not isinstance(session, requests.Session):
        raise InvalidArgumentError(f"session must be a requests.Session, not {type(session).__name__}.")
    return session

"""Turning an HTTP answer that is not a success into the right `OceanError`.

The server's own message is kept (cut to a readable length, secrets redacted):
the ``message`` of the documented error body (``{"oceanStatus": ..., "message": ...}``,
alone or in a list; see :mod:`.schema.errors`), a proxy page's title, or the body's
first characters. Each error adds what to do next.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec
import orjson
import requests

from ..errors import (
    AuthenticationError,
    BadRequestError,
    MalformedResponseError,
    NotFoundError,
    OceanConnectionError,
    OceanError,
    OceanTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServerError,
)
from .schema.errors import ERROR_BODY, ErrorBody
from .transport import Failure

__all__ = [
    "server_message",
    "error_objects",
    "error_for_status",
    "failure_error",
    "json_list_complete",
    "not_a_list_error",
]

_MAX_MESSAGE = 300
_TITLE = re.compile(rb"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_ERROR_BODY = msgspec.json.Decoder(ERROR_BODY)


def server_message(response: requests.Response, redact: Callable[[str], str]) -> str:
    """The server's explanation of an answer, short, readable and without secrets.

    The documented error body gives its ``message`` (the messages of a list, each
    once, joined by ``; ``; its ``oceanStatus`` when it has no message), as do
    Spring-style errors; an HTML page (a proxy's error page) gives its title;
    anything else its first characters.
    """
    body = response.content or b""
    text = _json_message(body) or _html_message(body) or body[:_MAX_MESSAGE].decode("utf-8", "replace")
    text = " ".join(text.split())[:_MAX_MESSAGE]
    return redact(text) or (response.reason or "no message")


def json_list_complete(body: bytes) -> str | None:
    """Why a 200 body that should be a JSON list is visibly cut short, or None.

    A body that opens with ``[`` must end with ``]`` (even when cut right after an
    element's ``}``), and an empty body was cut before it began. Any other body (a
    Spring error object, a proxy's HTML page, plain text) came whole but is no list:
    :func:`not_a_list_error` names it.
    """
    text = body.strip()
    if text and (not text.startswith(b"[") or text.endswith(b"]")):
        return None
    return f"{len(body)} bytes ending with {body[-20:]!r}, not with ']'"


def not_a_list_error(
    body: bytes, endpoint: str, redact: Callable[[str], str], context: str = ""
) -> MalformedResponseError | None:
    """The error for a 200 body that is not a JSON list, or None when it is one.

    The message quotes what the body says (a Spring error's status, error and
    message, an HTML page's title, or its first characters) with secrets redacted.
    """
    if body.lstrip()[:1] == b"[":
        return None
    described = " ".join(_non_list_words(body).split())[:_MAX_MESSAGE]
    return MalformedResponseError(
        f"GET {endpoint}{context} answered 200 with no list but {redact(described)}. "
        "A proxy or the server failed while saying OK: try again later.",
        endpoint=endpoint,
    )


def _non_list_words(body: bytes) -> str:
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        page = _html_message(body)
        if page:
            return page.replace("an HTML page", "an HTML error page", 1)
        return f"text that is not JSON ({body[:_MAX_MESSAGE].decode('utf-8', 'replace')!r})"
    if isinstance(decoded, dict):
        objects = error_objects(body)
        parts = [
            f"{f.encode_name} {getattr(objects[0], f.name)}"
            for f in msgspec.structs.fields(ErrorBody)
            if objects and getattr(objects[0], f.name) is not None
        ]
        return "a JSON object (" + ", ".join(parts or sorted(decoded)[:5]) + ")"
    return f"the JSON value {body.strip()[:60].decode('utf-8', 'replace')}"


def error_objects(body: bytes) -> list[ErrorBody]:
    """The error objects of a body (one, or each of a list); empty when it holds none."""
    try:
        decoded = _ERROR_BODY.decode(body)
    except msgspec.DecodeError:
        return []
    return decoded if isinstance(decoded, list) else [decoded]


def _json_message(body: bytes) -> str | None:
    objects = error_objects(body)
    words = _each_once(obj.words() for obj in objects) or _each_once(obj.ocean_status for obj in objects)
    return "; ".join(words) or None


def _ocean_status(body: bytes) -> str | None:
    """The documented ``oceanStatus`` words of an error body, each once, or None."""
    return ", ".join(_each_once(obj.ocean_status for obj in error_objects(body))) or None


def _each_once(texts) -> list[str]:
    return list(dict.fromkeys(text for text in texts if text and text.strip()))


def _html_message(body: bytes) -> str | None:
    head = body[:2048].lstrip().lower()
    if not (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
        return None
    title = _TITLE.search(body)
    label = title.group(1).decode("utf-8", "replace").strip() if title else "untitled"
    return f"an HTML page ({label!r}), typically from a proxy or gateway in front of Ocean"


_HINTS: dict[int, tuple[type[OceanError], str]] = {
    400: (
        BadRequestError,
        "Check the parameters (days as dd/MM/yyyy, vehicle ids of this customer, "
        "period and batch sizes within the server's limits).",
    ),
    401: (
        AuthenticationError,
        "The token was refused: check the login and password "
        "(OCEAN_LOGIN / OCEAN_PASSWORD) and that the account is still active.",
    ),
    403: (
        PermissionDeniedError,
        "This account may not see that: check customer_id "
        "(OCEAN_CUSTOMER_ID) and that the vehicles belong to that customer.",
    ),
    404: (NotFoundError, "Check base_url (it should end with /ocean-3.0.0) and the vehicle ids."),
    413: (
        RequestTooLargeError,
        "Ask for fewer vehicles or fewer days per request (max_vehicles_per_request, max_days_per_request).",
    ),
    414: (RequestTooLargeError, "Ask for fewer vehicles per request (max_vehicles_per_request)."),
    429: (RateLimitError, "The server limits the request rate: wait a little, or lower max_workers."),
}


def error_for_status(
    response: requests.Response,
    endpoint: str,
    redact: Callable[[str], str],
    *,
    attempts: int = 1,
    context: str = "",
) -> OceanError:
    """The `OceanError` for a non-success answer, with the server's message and a hint.

    Parameters
    ----------
    response : requests.Response
        The answer (status >= 400).
    endpoint : str
        The path asked, e.g. ``/restapi/dioUtilisation/duree``.
    redact : callable
        Removes secrets from the server's text.
    attempts : int
        How many times the request was sent, said in the message when above 1.
    context : str
        Extra words placed after the endpoint, e.g. ``"for login 'x'"``.
    """
    status = response.status_code
    message = server_message(response, redact)
    if status in _HINTS:
        cls, hint = _HINTS[status]
    elif status >= 500:
        cls, hint = ServerError, "The Ocean server is failing: try again later."
    else:
        cls, hint = OceanError, "Unexpected answer from the Ocean server."
    if status == 400 and "customerid" in message.lower():
        action = "customer_id= (or set OCEAN_CUSTOMER_ID) to say which one."
        said = "customers" in message.lower()  # the server's message already says why: not twice
        hint = f"Pass {action}" if said else f"This login manages several customers: pass {action}"
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    where = f"GET {endpoint}" if endpoint != "/restapi/auth/authenticate2" else f"POST {endpoint}"
    ocean_status = _ocean_status(response.content or b"")
    said = f" (oceanStatus {redact(ocean_status)})" if ocean_status and ocean_status != message else ""
    text = f"{where}{context} answered {status}{tried}{said}: {message}. {hint}"
    return cls(text, status=status, endpoint=endpoint, server_message=message)


def failure_error(
    failure: Failure,
    method: str,
    endpoint: str,
    attempts: int,
    *,
    redact: Callable[[str], str],
    context: str = "",
) -> OceanError:
    """The `OceanError` for a request that never got a usable answer.

    Parameters
    ----------
    failure : Failure
        What the last attempt met: its kind and the words of its cause.
    method, endpoint : str
        ``"GET"`` or ``"POST"``, and the path asked.
    attempts : int
        How many times the request was sent, said in the message when above 1.
    redact : callable
        Removes secrets from the cause's words.
    context : str
        Extra words placed after the endpoint, e.g. ``" for login 'x'"``.
    """
    where = f"{method} {endpoint}{context}"
    tried = f" after {attempts} attempts" if attempts > 1 else ""
    detail = redact(failure.detail)
    if failure.kind == "incomplete":
        return MalformedResponseError(
            f"{where} answered 200 with an incomplete body{tried} ({detail}): the answer was cut on the way; "
            "try again, or ask for fewer vehicles or days per request.",
            endpoint=endpoint,
        )
    if failure.kind == "deadline":
        return OceanTimeoutError(
            f"{where}: {detail}{tried}, the server sending too slowly: raise deadline_s= (the connect and "
            "read timeouts together by default) or ask for fewer vehicles or days per request.",
            endpoint=endpoint,
        )
    if failure.kind == "timeout":
        return OceanTimeoutError(
            f"{where} got no answer within the timeout{tried} ({detail}): raise timeout= or ask for fewer "
            "vehicles or days per request.",
            endpoint=endpoint,
        )
    return OceanConnectionError(
        f"{where}: the connection failed or was cut{tried} ({detail}): check base_url and the network, "
        "then try again.",
        endpoint=endpoint,
    )

"""What the simulator sends back: a status, headers and bytes, and how to send them."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson

__all__ = [
    "Reply",
    "RequestRejected",
    "json_reply",
    "error_reply",
    "error_body",
    "ocean_status",
    "proxy_page",
    "JSON_TYPE",
]

JSON_TYPE = "application/json;charset=UTF-8"
DOCUMENTED_STATUSES = {400: "badParameters"}
"""The only ``oceanStatus`` the documentation shows; other statuses get their reason phrase
in the same camelCase (``notFound``, ``tooManyRequests``): ours, not the platform's."""


@dataclass(frozen=True)
class Reply:
    """One answer, before it is written to the socket.

    Parameters
    ----------
    status : int
        HTTP status.
    body : bytes
        The whole body.
    content_type : str
        ``Content-Type`` header.
    headers : tuple of (str, str)
        Further headers (``Retry-After``...).
    delay_s : float
        Seconds to wait before sending (a ``slow`` fault), on top of the latency setting.
    transport : str
        ``"normal"``; ``"drop"``: headers announce the whole body, half is sent, then
        the connection is closed; ``"truncate"``: half the body, with a matching
        ``Content-Length``.
    """

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    transport: str = "normal"


class RequestRejected(Exception):
    """Raised by a route to answer an error status with a message.

    Parameters
    ----------
    status : int
        The HTTP status to answer.
    message : str
        What is wrong and what to send instead (never a secret).
    headers : tuple of (str, str)
        Further headers of the answer.
    """

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def json_reply(payload: Any, status: int = 200) -> Reply:
    """A JSON answer of ``payload``."""
    return Reply(status=status, body=orjson.dumps(payload))


def error_reply(
    status: int, message: str, shape: str = "object", headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    """An error answer as the documentation shows them: ``{"oceanStatus", "message"}``.

    Parameters
    ----------
    status : int
        HTTP status.
    message : str
        The explanation.
    shape : str
        ``"object"``: the object alone; ``"list"``: a list holding it.
    headers : tuple of (str, str)
        Further headers.
    """
    return Reply(status=status, body=orjson.dumps(error_body(status, message, shape)), headers=headers)


def error_body(status: int, message: str, shape: str = "object") -> dict[str, str] | list[dict[str, str]]:
    """The body of an error answer (see :func:`error_reply`)."""
    body = {"oceanStatus": ocean_status(status), "message": message}
    return [body] if shape == "list" else body


def ocean_status(status: int) -> str:
    """The ``oceanStatus`` of an HTTP status: ``badParameters`` for 400 (documented), else
    the reason phrase in camelCase (``notFound``)."""
    if status in DOCUMENTED_STATUSES:
        return DOCUMENTED_STATUSES[status]
    words = _reason(status).replace("-", " ").split()
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


def proxy_page(status: int = 502) -> Reply:
    """The HTML error page an nginx reverse proxy sends when the application is down."""
    title = f"{status} {_reason(status)}"
    html = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    return Reply(status=status, body=html.encode(), content_type="text/html")


def _reason(status: int) -> str:
    """The standard reason phrase of a status."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"

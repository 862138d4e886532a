"""The exceptions of ``ocean_analytics``: one base, one subclass per cause.

Every error says what went wrong and what to do next. None of them ever holds
a password or a token: messages are built from the endpoint, the status, the
server's own message and the login name only.
"""

from __future__ import annotations

__all__ = [
    "OceanError",
    "InvalidArgumentError",
    "ConfigurationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "BadRequestError",
    "RequestTooLargeError",
    "RateLimitError",
    "ServerError",
    "OceanConnectionError",
    "OceanTimeoutError",
    "CrossOriginRedirectError",
    "RequestCancelledError",
    "MalformedResponseError",
]


class OceanError(Exception):
    """Base of every error raised by ``ocean_analytics``.

    Parameters
    ----------
    message : str
        What went wrong and what to do next.
    status : int, optional
        The HTTP status of the answer that caused it, if any.
    endpoint : str, optional
        The path of the request that caused it (``/restapi/...``), if any.
    server_message : str, optional
        The server's own explanation, cut to a readable length.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        endpoint: str | None = None,
        server_message: str | None = None,
    ) -> None:
        self.status = status
        self.endpoint = endpoint
        self.server_message = server_message
        super().__init__(message)


class InvalidArgumentError(OceanError, ValueError):
    """An argument is wrong; raised before any request is sent."""


class ConfigurationError(OceanError):
    """The client is not set up to talk to Ocean (no credentials, bad base URL...)."""


class AuthenticationError(OceanError):
    """The login was refused, or the token was refused again after a fresh login (401)."""


class PermissionDeniedError(OceanError):
    """The account may not see what was asked (403), e.g. a vehicle of another customer."""


class NotFoundError(OceanError):
    """The server does not know the path or the object asked for (404)."""


class BadRequestError(OceanError):
    """The server refused the parameters (400)."""


class RequestTooLargeError(OceanError):
    """The server refused a request as too large (413/414), even once split to the smallest."""


class RateLimitError(OceanError):
    """The server kept answering 429 (too many requests) after every retry."""


class ServerError(OceanError):
    """The server kept failing (5xx) after every retry."""


class OceanConnectionError(OceanError):
    """The server could not be reached, or dropped the connection, after every retry."""


class OceanTimeoutError(OceanError):
    """The server did not answer within the client's timeout, after every retry."""


class CrossOriginRedirectError(OceanConnectionError):
    """The server redirected a request to another origin than the base URL's: refused, so that
    neither the token nor the password ever leaves the configured origin."""


class RequestCancelledError(OceanError):
    """The caller cancelled the request (its ``cancel`` event was set): nothing more is sent."""


class MalformedResponseError(OceanError):
    """An answer does not have the documented shape.

    Parameters
    ----------
    message : str
        What is wrong, naming the field.
    field : str, optional
        The JSON path of the offending field, e.g. ``dailyDioUtilisation[3].day``.
    vehicle_id : int, optional
        The vehicle whose element held it.
    day : str, optional
        The ``day`` of the daily element that held it, as the API wrote it.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        vehicle_id: int | None = None,
        day: str | None = None,
        **kwargs,
    ) -> None:
        self.field = field
        self.vehicle_id = vehicle_id
        self.day = day
        super().__init__(message, **kwargs)

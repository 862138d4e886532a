"""Decoding a JSON answer into the schema's Structs, naming the element and field on failure.

msgspec decodes the bytes in one strict pass; its error gives the JSON path of the
first thing wrong (``$[3].vehicle.id``) and the broken rule. The error users see says
which service, which element, which vehicle (looked up in the plain JSON) and which
field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import msgspec

from ..errors import MalformedResponseError

__all__ = ["decode_answer"]

T = TypeVar("T")

_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_ELEMENT = re.compile(r"^\[(\d+)\]")
_MISSING = re.compile(r"^Object missing required field `(?P<key>[^`]+)`$")
_HINT = (
    "The answer does not have the shape the platform's documentation shows: save it and send it "
    "with this message to your Ocean contact."
)


def decode_answer(
    body: bytes, kind: type[T], endpoint: str, vehicle_of: Callable[[object], int | None] | None = None
) -> T:
    """The answer's bytes as ``kind``, or an error naming the element, vehicle and field.

    Parameters
    ----------
    body : bytes
        The body of a 200 answer.
    kind : type
        The schema type (``list[ListingElement]``...).
    endpoint : str
        The path asked, for the message.
    vehicle_of : callable, optional
        The vehicle id of one element decoded without a type (None when unknown).

    Raises
    ------
    MalformedResponseError
        When the body is not JSON, or not of the documented shape; ``field`` is the
        JSON path (``[3].vehicle.id``), ``vehicle_id`` the element's vehicle if known.
    """
    try:
        return msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as exc:
        raise _malformed(exc, body, endpoint, vehicle_of) from exc
    except msgspec.DecodeError as exc:
        raise MalformedResponseError(
            f"GET {endpoint} answered something that is not JSON ({exc}). A proxy or the server failed "
            "while saying OK: try again later.",
            endpoint=endpoint,
        ) from exc


def _malformed(
    error: msgspec.ValidationError,
    body: bytes,
    endpoint: str,
    vehicle_of: Callable[[object], int | None] | None,
) -> MalformedResponseError:
    found = _AT.match(str(error))
    reason, path = found["reason"], found["path"] or ""
    missing = _MISSING.match(reason)
    if missing:
        path += f".{missing['key']}"
    path = path.removeprefix(".")
    element = _ELEMENT.match(path)
    vehicle_id = None
    if element and vehicle_of is not None:
        items = msgspec.json.decode(body)
        index = int(element[1])
        vehicle_id = vehicle_of(items[index]) if isinstance(items, list) and index < len(items) else None
    where = f"element {element[0]}" if element else "the answer"
    vehicle = f" (vehicle {vehicle_id})" if vehicle_id is not None else ""
    field, problem = path or "$", reason[:1].lower() + reason[1:]
    return MalformedResponseError(
        f"GET {endpoint}: {where}{vehicle} is malformed at {field}: {problem}. {_HINT}",
        field=field,
        vehicle_id=vehicle_id,
        endpoint=endpoint,
    )

"""The payload given to the parser, as answers, and each answer as typed elements.

A payload is one answer (JSON bytes or text, or its decoded list) or a list or
tuple of several answers, as the fetch layer gives after splitting a request
into vehicle batches and day windows. An answer's bytes are decoded by msgspec
straight into :class:`~ocean_analytics.api.schema.duree.Element` Structs in one
pass; a decoded answer is converted into the same Structs by msgspec, strictly.
Either way each element is handed on as soon as msgspec has made it (from its
``__post_init__``), and its days are then let go, so that one element at a time
is held as Python objects (and in the processor's cache) however long the
answer. A body that is not JSON, an HTML page from a proxy, or a server error
object is named for what it is.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from contextvars import ContextVar

import msgspec

from ..api.schema.duree import Day, Element, Vehicle, VehicleId
from ..errors import InvalidArgumentError
from .naming import REPORT_IT, Malformed, describe, explain, key_of

__all__ = ["Answer", "answer_label", "read_answer", "split_payload", "vehicle_id"]

Answer = bytes | list
"""One answer: its JSON text as UTF-8 bytes, or its decoded list of elements."""

_TEXT = (bytes, bytearray, memoryview, str)
_JSON_SCALARS = (dict, int, float, bool, type(None))
_TAKE: ContextVar[Callable[[Element], None]] = ContextVar("take")
"""Where the answer being read hands each element (set by :func:`read_answer`)."""
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_AT_BYTE = re.compile(r"^JSON is malformed: (?P<reason>.*) \(byte (?P<pos>\d+)\)$")
_TRUNCATED = "Input data was truncated"
_CHUNK = 1 << 20  # 1 MiB: fewer calls, still within the processor cache
_VEHICLE, _DAYS = key_of(Element, "vehicle"), key_of(Element, "days")
_ID, _DAY = key_of(Vehicle, "vehicle_id"), key_of(Day, "day")
_FETCH_AGAIN = "Fetch it again; if it keeps happening, report it to your Ocean contact."
_CHECK_PROXY = (
    "The Ocean API answers JSON: check base_url and any proxy or gateway between you "
    "and Ocean, then fetch again."
)


def answer_label(index: int, count: int) -> str:
    """``" in answer 2 of 5"`` when there are several answers, else an empty string."""
    return f" in answer {index + 1} of {count}" if count > 1 else ""


def split_payload(payload: object) -> list[object]:
    """The answers of a payload, not yet read.

    A list holding JSON objects is one decoded answer; a list holding only
    texts and lists (or a tuple) is several answers.
    """
    several = isinstance(payload, tuple) or (
        isinstance(payload, list)
        and bool(payload)
        and all(isinstance(a, (*_TEXT, list, tuple)) for a in payload)
    )
    return list(payload) if several else [payload]


class _Handed(Element, kw_only=True, gc=False):
    """An :class:`Element` handed on as soon as msgspec has made it, then emptied of its days."""

    def __post_init__(self) -> None:
        _TAKE.get()(self)
        self.days = []


_ANSWER = msgspec.json.Decoder(list[_Handed])


def read_answer(answer: object, take: Callable[[Element], None]) -> None:
    """Type each element of one answer (JSON text or decoded list), in order, and hand it to ``take``.

    ``take`` gets each element as soon as msgspec has made it; the element's
    ``days`` are emptied when ``take`` returns. What ``take`` raises goes
    through as it is, but for a ``TypeError`` or ``ValueError``, which msgspec
    turns into a ``ValidationError`` of the element: ``take`` raises
    :class:`Malformed`.

    Raises
    ------
    Malformed
        When the answer is not JSON, not a list, or an element breaks the schema.
    InvalidArgumentError
        When the answer is of a type that cannot hold one.
    """
    if isinstance(answer, str):
        answer = answer.encode("utf-8", "surrogatepass")
    elif isinstance(answer, (bytearray, memoryview)):
        answer = bytes(answer)
    if not isinstance(answer, (bytes, list, tuple)):
        if isinstance(answer, _JSON_SCALARS):
            raise _not_a_list(answer)
        raise InvalidArgumentError(
            f"an answer of the payload is a {type(answer).__name__}: give the answer's JSON text "
            "(bytes or str), its decoded list, or a list/tuple of several answers."
        )
    token = _TAKE.set(take)
    try:
        if isinstance(answer, bytes):
            _decoded(answer)
        else:
            _converted(answer)
    finally:
        _TAKE.reset(token)


def _decoded(text: bytes) -> None:
    """Decode an answer's text into :class:`_Handed` elements (which hand themselves on)."""
    try:
        _ANSWER.decode(text)
    except msgspec.ValidationError as error:
        raise _refused(error, _json_of(text)) from None
    except msgspec.DecodeError as error:
        _check_utf8(text)
        raise _not_json(text, str(error)) from None
    except Malformed:
        _json_of(text)  # an answer that is not JSON is named so, whatever an element before held
        raise
    _check_utf8(text)


def _converted(answer: list | tuple) -> None:
    """Convert a decoded answer into :class:`_Handed` elements, strictly."""
    try:
        msgspec.convert(answer, list[_Handed])
    except msgspec.ValidationError as error:
        raise _refused(error, answer) from None


def _json_of(data: bytes) -> object:
    """The answer's text decoded without a type (error path), or :class:`Malformed` if it is not JSON."""
    _check_utf8(data)
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as error:  # a number beyond a double, or not JSON at all
        raise _not_json(data, str(error)) from None


def _check_utf8(data: bytes) -> None:
    """Refuse text that is not UTF-8, also where msgspec skips it (a key the schema ignores)."""
    if data.isascii():
        return
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(data)
    for at in range(0, len(view), _CHUNK):
        try:
            decoder.decode(view[at : at + _CHUNK], final=at + _CHUNK >= len(view))
        except UnicodeDecodeError as error:
            raise _not_json(data, f"JSON is malformed: not UTF-8 (byte {at + error.start})") from None


def _refused(error: msgspec.ValidationError, root: object) -> Malformed:
    """The :class:`Malformed` of an answer msgspec refused (``root``: the answer decoded
    without a type), with its vehicle and day."""
    if not isinstance(root, (list, tuple)):
        return _not_a_list(root)
    field, problem, steps = explain(error, list[Element], root, "")
    if not steps or not isinstance(steps[0], int) or steps[0] >= len(root):
        return Malformed(field, problem)
    return Malformed(field, problem, *_whose(root[steps[0]], steps[1:]))


def _whose(element: object, steps: list[object]) -> tuple[int | None, str | None]:
    """The vehicle id of a decoded element, if valid, and the day its path goes through."""
    vehicle = element.get(_VEHICLE) if isinstance(element, dict) else None
    vid = vehicle_id(vehicle.get(_ID) if isinstance(vehicle, dict) else None)
    days = element.get(_DAYS) if isinstance(element, dict) and steps[:1] == [_DAYS] else None
    if len(steps) < 3 or not isinstance(days, list) or len(days) <= steps[1]:
        return vid, None
    entry = days[steps[1]]
    if not isinstance(entry, dict) or _DAY not in entry:
        return vid, None
    text = entry[_DAY]
    return vid, text if isinstance(text, str) else describe(text)


def vehicle_id(value: object) -> int | None:
    """``value`` when it is a vehicle id the schema accepts, else None."""
    try:
        return msgspec.convert(value, VehicleId)
    except msgspec.ValidationError:
        return None


def _not_json(data: bytes, reason: str) -> Malformed:
    head = data.lstrip()[:2048]
    if not head:
        return Malformed("$", f"the answer is empty ({len(data)} bytes), not JSON", hint=_FETCH_AGAIN)
    if head.startswith(b"<") or b"<html" in head.lower():
        title = _TITLE.search(head)
        seen = f" titled {describe(title.group(1).decode('utf-8', 'replace').strip())}" if title else ""
        problem = f"the answer is not JSON: it looks like an HTML error page from a proxy or gateway{seen}"
        return Malformed("$", problem, hint=_CHECK_PROXY)
    if reason == _TRUNCATED:
        problem = f"the answer is not JSON (truncated at byte {len(data)}?)"
        return Malformed("$", problem, hint=_FETCH_AGAIN)
    start = describe(data[:40].decode("utf-8", "replace"))
    at = _AT_BYTE.match(reason)
    said = f"{at['reason']} at byte {at['pos']}" if at else reason.split(" - at ", maxsplit=1)[0].lower()
    return Malformed("$", f"the answer is not JSON ({said}; it starts {start})")


def _not_a_list(value: object) -> Malformed:
    if isinstance(value, dict) and ({"status", "error", "message"} & value.keys()):
        parts = [
            f"{key} {describe(value[key], 200)}" for key in ("status", "error", "message") if key in value
        ]
        problem = "the answer is a server error object, not the list of vehicles: " + ", ".join(parts)
        return Malformed("$", problem, hint="Retry later; if it persists, report it to your Ocean contact.")
    kind = "a JSON object" if isinstance(value, dict) else f"the JSON value {describe(value)}"
    return Malformed("$", f"the answer is {kind}, not a list of vehicles", hint=REPORT_IT)

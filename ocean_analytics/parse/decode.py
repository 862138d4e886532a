"""Decoding the payload given to ``parse_usage`` into answers: lists of vehicle elements.

A payload is one answer (JSON bytes or text, or the decoded list) or a list or
tuple of several answers, as the fetch layer gives after splitting a request
into vehicle batches and day windows. A body that is not JSON, an HTML page from
a proxy, or a server error object is named for what it is.
"""

from __future__ import annotations

import re

import orjson

from ..errors import InvalidArgumentError, MalformedResponseError
from .checks import REPORT_IT, describe, malformed

__all__ = ["Answer", "answer_label", "answer_texts", "split_answers"]

Answer = list
_TEXT = (bytes, bytearray, memoryview, str)
_JSON_SCALARS = (dict, int, float, bool, type(None))
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_FETCH_AGAIN = "Fetch it again; if it keeps happening, report it to your Ocean contact."
_CHECK_PROXY = (
    "The Ocean API answers JSON: check base_url and any proxy or gateway between you "
    "and Ocean, then fetch again."
)


def answer_label(index: int, count: int) -> str:
    """``" in answer 2 of 5"`` when there are several answers, else an empty string."""
    return f" in answer {index + 1} of {count}" if count > 1 else ""


def split_answers(payload: object) -> list[Answer]:
    """The decoded answers of a payload.

    Parameters
    ----------
    payload : bytes, str, list or tuple
        JSON text of one answer, the decoded list of one answer, or a list or
        tuple of several answers (each JSON text or a decoded list). A list
        holding JSON objects is one decoded answer; a list holding only texts and
        lists is several answers.

    Raises
    ------
    MalformedResponseError
        When an answer is not JSON or not a list.
    InvalidArgumentError
        When the payload (or one of several) is of a type that cannot hold an answer.
    """
    if _several(payload):
        return [_one(item, answer_label(i, len(payload))) for i, item in enumerate(payload)]
    return [_one(payload, "")]


def answer_texts(payload: object) -> list[bytes] | None:
    """The UTF-8 JSON text of each answer when every answer of the payload is text.

    Returns
    -------
    list of bytes or None
        None when the payload, or one of its answers, is already decoded (or
        of a type that cannot hold an answer).
    """
    items = payload if _several(payload) else [payload]
    if not all(isinstance(item, _TEXT) for item in items):
        return None
    return [_utf8(item) for item in items]


def _several(payload: object) -> bool:
    """Whether the payload is several answers (a tuple, or a list of texts and lists)."""
    return isinstance(payload, tuple) or (
        isinstance(payload, list)
        and bool(payload)
        and all(isinstance(a, (*_TEXT, list, tuple)) for a in payload)
    )


def _utf8(raw: bytes | bytearray | memoryview | str) -> bytes:
    return raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)


def _one(item: object, label: str) -> Answer:
    if isinstance(item, (list, tuple)):
        return list(item)
    if isinstance(item, _TEXT):
        item = _decode(item, label)
    if isinstance(item, list):
        return item
    if isinstance(item, _JSON_SCALARS):
        raise _not_a_list(item, label)
    raise InvalidArgumentError(
        f"payload{label} is a {type(item).__name__}: give the answer's JSON text (bytes or "
        "str), its decoded list, or a list/tuple of several answers."
    )


def _decode(raw: bytes | bytearray | memoryview | str, label: str) -> object:
    data = _utf8(raw)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise _not_json(data, err.pos, err.msg, label) from err


def _not_json(data: bytes, pos: int, reason: str, label: str) -> MalformedResponseError:
    head = data.lstrip()[:2048]
    if not head:
        return malformed(
            "$",
            f"the answer is empty ({len(data)} bytes), not JSON",
            answer=label,
            hint=_FETCH_AGAIN,
        )
    if head.startswith(b"<") or b"<html" in head.lower():
        title = _TITLE.search(head)
        seen = (
            f" titled {describe(title.group(1).decode('utf-8', 'replace').strip())}"
            if title
            else ""
        )
        problem = (
            "the answer is not JSON: it looks like an HTML error page from a proxy or "
            f"gateway{seen}"
        )
        return malformed("$", problem, answer=label, hint=_CHECK_PROXY)
    if pos >= len(data.rstrip()):
        problem = f"the answer is not JSON (truncated at byte {pos}?)"
        return malformed("$", problem, answer=label, hint=_FETCH_AGAIN)
    start = describe(data[:40].decode("utf-8", "replace"))
    return malformed(
        "$", f"the answer is not JSON ({reason} at byte {pos}; it starts {start})", answer=label
    )


def _not_a_list(value: object, label: str) -> MalformedResponseError:
    if isinstance(value, dict) and ({"status", "error", "message"} & value.keys()):
        parts = [
            f"{key} {describe(value[key], 200)}"
            for key in ("status", "error", "message")
            if key in value
        ]
        problem = "the answer is a server error object, not the list of vehicles: " + ", ".join(
            parts
        )
        return malformed(
            "$",
            problem,
            answer=label,
            hint="Retry later; if it persists, report it to your Ocean contact.",
        )
    kind = "a JSON object" if isinstance(value, dict) else f"the JSON value {describe(value)}"
    return malformed(
        "$", f"the answer is {kind}, not a list of vehicles", answer=label, hint=REPORT_IT
    )

"""Naming what is wrong in an answer: where (the JSON path), which vehicle, which day.

:class:`Malformed` is a problem found in one answer; the parser turns it into
the :class:`~ocean_analytics.MalformedResponseError` users see, which also says
which answer of several it was. :func:`explain` turns msgspec's
``ValidationError`` into a path and a problem in words: msgspec gives the path
(``$.dailyDioUtilisation[1].usePerHalfHour[0].useDuration``) and the broken
rule; the value found, the dict key (msgspec writes ``[...]``) and the expected
type are looked up in the decoded JSON and in the schema's types, on the error
path only.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Any, Literal, Union

import msgspec

from ..errors import MalformedResponseError

__all__ = ["REPORT_IT", "Malformed", "describe", "explain", "key_of"]

REPORT_IT = (
    "Nothing was parsed from this payload: save the raw answer and send it with this "
    "message to your Ocean contact."
)

_AT = re.compile(r"^(?P<reason>.*?)(?: - at `(?P<in_key>key in )?\$(?P<path>[^`]*)`)?$", re.S)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|(\[\.\.\.\])")
_MISSING = re.compile(r"^Object missing required field `(?P<key>[^`]+)`$")
_ANY_KEY = object()
"""A step of msgspec's path into a dict's value (``[...]``), the key unsaid."""


class Malformed(Exception):
    """A malformed part of one answer.

    Parameters
    ----------
    field : str
        The JSON path inside the answer, e.g. ``[3].dailyDioUtilisation[12].day``.
    problem : str
        What is wrong with it, with the value found.
    vehicle_id, day : optional
        The vehicle and the ``day`` (as the API wrote it) it sat in, if known.
    hint : str
        What to do next.
    """

    def __init__(
        self,
        field: str,
        problem: str,
        vehicle_id: int | None = None,
        day: str | None = None,
        hint: str = REPORT_IT,
    ) -> None:
        super().__init__(field, problem)
        self.field, self.problem, self.hint = field, problem, hint
        self.vehicle_id, self.day = vehicle_id, day

    def error(self, answer: str = "") -> MalformedResponseError:
        """The user's error; ``answer`` names the answer among several (``" in answer 2 of 5"``)."""
        vehicle = "no vehicle" if self.vehicle_id is None else f"vehicle {self.vehicle_id}"
        day = "no day" if self.day is None else f"day {describe(self.day)}"
        message = (
            f"Malformed Ocean answer at {self.field} ({vehicle}, {day}){answer}: {self.problem}. {self.hint}"
        )
        return MalformedResponseError(message, field=self.field, vehicle_id=self.vehicle_id, day=self.day)


def describe(value: object, limit: int = 60) -> str:
    """A short JSON-like rendering of a value of the answer, for a message."""
    try:
        text = msgspec.json.encode(value).decode()
    except (TypeError, ValueError, OverflowError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def key_of(struct: type[msgspec.Struct], attribute: str) -> str:
    """The JSON key of one attribute of a schema Struct."""
    return next(f.encode_name for f in msgspec.structs.fields(struct) if f.name == attribute)


def explain(
    error: msgspec.ValidationError, root: object, value: object, prefix: str
) -> tuple[str, str, list[object]]:
    """The field and the problem of a msgspec error, and the path's steps.

    Parameters
    ----------
    error : msgspec.ValidationError
        Raised while decoding or converting ``value`` to the type ``root``.
    root : type
        The schema type decoded.
    value : object
        The same JSON decoded without a type (dicts, lists...).
    prefix : str
        The JSON path of ``value`` in the answer, e.g. ``[3]``.

    Returns
    -------
    tuple
        The JSON path of the culprit (dict keys written as JSON, ``["Grue"]``),
        the problem in words with the value found, and the path's steps (keys
        and list indices) inside ``value``.
    """
    found = _AT.match(str(error))
    reason, path = found["reason"], found["path"] or ""
    steps = [
        int(index) if index else (_ANY_KEY if any_key else name)
        for name, index, any_key in _STEP.findall(path)
    ]
    missing = _MISSING.match(reason)
    if missing:
        steps.append(missing["key"])
    walk = _Walk(root, value, prefix)
    for n, step in enumerate(steps):
        walk.step(step, missing=missing is not None and n == len(steps) - 1)
    if missing:
        return walk.field, f"the required key {missing['key']!r} is missing", walk.steps
    if found["in_key"]:
        walk.step_into_bad_key()
        return walk.field, f"must be a string, got {describe(walk.value)}", walk.steps
    if walk.kind is None:
        return walk.field, f"{reason[:1].lower()}{reason[1:]}", walk.steps
    return walk.field, f"must be {_expected(walk.kind)}, got {describe(walk.value)}", walk.steps


class _Walk:
    """A walk down the decoded JSON and the schema's types at once, writing the path."""

    def __init__(self, kind: object, value: object, field: str) -> None:
        self.kind: object = kind
        self.value, self.field = value, field
        self.steps: list[object] = []

    def step(self, step: object, missing: bool = False) -> None:
        """Go down one key, index or unsaid dict key (``missing``: a key that is not there)."""
        base = _unwrap(self.kind)[0]
        if step is _ANY_KEY:
            self.kind = typing.get_args(base)[1] if _origin(base) is dict else None
            step = self._bad_entry(Any if self.kind is None else self.kind)
            self.field += f"[{describe(step)}]"
        else:
            self.field += f"[{step}]" if isinstance(step, int) else f".{step}"
            self.kind = None if missing else _member(base, step)
        self._down(step)

    def step_into_bad_key(self) -> None:
        """Go down to the first key of a dict that is not a string (msgspec's ``key in``)."""
        key = next((k for k in _items(self.value) if not isinstance(k, str)), None)
        self.field += f"[{describe(key)}]"
        self.steps.append(key)
        self.value = key

    def _bad_entry(self, kind: object) -> object:
        """The first key of the dict whose value msgspec refuses as ``kind``."""
        for key, item in _items(self.value).items():
            try:
                msgspec.convert(item, kind)
            except msgspec.ValidationError:
                return key
        return None

    def _down(self, step: object) -> None:
        self.steps.append(step)
        value = self.value
        if isinstance(value, dict):
            self.value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            self.value = value[step]
        else:
            self.value = None


def _items(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _origin(kind: object) -> object:
    return typing.get_origin(kind) or kind


def _unwrap(kind: object) -> tuple[object, list[msgspec.Meta], bool]:
    """The type under ``Annotated`` and ``| None``, its Meta, and whether null is allowed."""
    metas: list[msgspec.Meta] = []
    nullable = False
    while True:
        origin = typing.get_origin(kind)
        if origin is Annotated:
            kind, *extra = typing.get_args(kind)
            metas += [m for m in extra if isinstance(m, msgspec.Meta)]
        elif origin in (Union, types.UnionType):
            members = [m for m in typing.get_args(kind) if m not in (type(None), msgspec.UnsetType)]
            nullable = nullable or type(None) in typing.get_args(kind)
            kind = members[0] if len(members) == 1 else Any
        else:
            return kind, metas, nullable


def _member(kind: object, step: object) -> object:
    """The type found one step below ``kind`` (None when the schema says nothing)."""
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        fields = {f.encode_name: f.type for f in msgspec.structs.fields(kind)}
        return fields.get(step)
    if _origin(kind) is list and isinstance(step, int):
        return typing.get_args(kind)[0]
    if _origin(kind) is dict:
        return typing.get_args(kind)[1]
    return None


def _expected(kind: object) -> str:
    """What a value of the schema type ``kind`` must be, in words."""
    base, metas, nullable = _unwrap(kind)
    said = next((m.description for m in metas if m.description), None)
    low = next((m.ge for m in metas if m.ge is not None), None)
    high = next((m.le for m in metas if m.le is not None), None)
    if base is int:
        words = (said or "an integer") + (f" in {low}..{high}" if high is not None else "")
    elif _origin(base) is Literal:
        words = said or "one of " + ", ".join(map(describe, typing.get_args(base)))
    elif base is str:
        words = said or "a string"
    elif base is bool:
        words = "a boolean"
    elif _origin(base) is dict or (isinstance(base, type) and issubclass(base, msgspec.Struct)):
        words = "a JSON object"
    elif _origin(base) is list:
        words = "a JSON list"
    else:
        words = "a JSON value"
    return words + (" or null" if nullable else "")

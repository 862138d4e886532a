"""The error of a malformed answer, naming where it sits, and checks of single values."""

from __future__ import annotations

import orjson

from ..errors import MalformedResponseError

__all__ = ["REPORT_IT", "describe", "label_problem", "malformed", "seconds_problem"]

REPORT_IT = (
    "Nothing was parsed from this payload: save the raw answer and send it with this "
    "message to your Ocean contact."
)


def describe(value: object, limit: int = 60) -> str:
    """A short JSON-like rendering of a value of the answer, for a message."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def malformed(
    field: str,
    problem: str,
    *,
    vehicle_id: int | None = None,
    day: str | None = None,
    answer: str = "",
    hint: str = REPORT_IT,
) -> MalformedResponseError:
    """The error for a malformed part of an answer.

    Parameters
    ----------
    field : str
        The JSON path inside the answer, e.g. ``[3].dailyDioUtilisation[12].day``.
    problem : str
        What is wrong with it, with the value found.
    vehicle_id, day : optional
        The vehicle and the ``day`` (as the API wrote it) it sat in, if known.
    answer : str
        Which answer of several, e.g. ``" in answer 2 of 5"``; empty for one.
    hint : str
        What to do next.
    """
    vehicle = "no vehicle" if vehicle_id is None else f"vehicle {vehicle_id}"
    day_text = "no day" if day is None else f"day {describe(day)}"
    message = (
        f"Malformed Ocean answer at {field} ({vehicle}, {day_text}){answer}: {problem}. {hint}"
    )
    return MalformedResponseError(message, field=field, vehicle_id=vehicle_id, day=day)


def seconds_problem(value: object, high: int) -> str | None:
    """Why ``value`` is not a whole number of seconds in ``0..high``, or None if it is.

    JSON booleans and numbers with a decimal point (even ``900.0``) are refused:
    the API sends int32 seconds, so anything else means the answer is not what
    the documentation describes.
    """
    if type(value) is int and 0 <= value <= high:
        return None
    if type(value) is int:
        return f"must be whole seconds in 0..{high}, got {value}"
    return f"must be whole seconds (an integer) in 0..{high}, got {describe(value)}"


def label_problem(value: object) -> str | None:
    """Why ``value`` is not an equipment label (a non-blank string), or None if it is."""
    if type(value) is str and value.strip():
        return None
    return f"an equipment label must be a non-empty string, got {describe(value)}"

"""``parse_usage``: Ocean answers (saved or just fetched) to a :class:`Usage`; pure, no network.

The work is split by job: :mod:`.parse_decode` turns the payload into decoded
answers, :mod:`.parse_clock` knows the API's days and half-hour slots on
``api_tz``, :mod:`.parse_walk` checks every value and collects plain columns
(:mod:`.parse_columns`), and :mod:`.parse_frames` builds the five frames from
them. Answers given as JSON text first try :mod:`.parse_fast`, which gives the
same columns without a Python object per half hour, or gives up on anything
it cannot vouch for, leaving the exact walk to find and name the problem.
"""

from __future__ import annotations

import datetime as dt
import gc
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from numbers import Integral

from ..dates import DayLike, as_period
from ..errors import InvalidArgumentError
from ..clock import Calendar, check_zone
from .columns import Columns
from .decode import answer_label, answer_texts, split_answers
from .fast import FastColumns, fast_columns
from .frames import build_frames
from .walk import Walker
from ..usage import Usage

__all__ = ["parse_usage", "UsageParser"]


def parse_usage(
    payload: bytes | str | list | tuple,
    *,
    start: DayLike,
    end: DayLike,
    api_tz: str = "UTC",
    plates: Mapping[int, str] | None = None,
) -> Usage:
    """Turn answers of ``GET /restapi/dioUtilisation/duree`` into tidy frames.

    Parameters
    ----------
    payload : bytes, str, list or tuple
        The JSON text of one answer (a list of vehicle elements), or its decoded
        list, or a list/tuple of several answers (each JSON text or a decoded
        list), e.g. one per vehicle batch and day window of a split request.
    start, end : str, datetime.date, datetime.datetime or pandas.Timestamp
        The asked period, both days inclusive, as days on ``api_tz``.
    api_tz : str
        The IANA zone of the API's ``day`` values and ``HH:mm`` slots.
    plates : mapping, optional
        ``{vehicle id: plate}`` for the ``plate`` column of ``vehicles``.

    Returns
    -------
    Usage
        ``daily`` (every vehicle x day x equipment of that vehicle, the API's
        day totals in seconds, 0 where absent), ``half_hours`` (use > 0 only,
        ``start``/``end`` tz-aware on ``api_tz``), ``vehicles``,
        ``vehicle_days`` and ``period`` (the API's period totals summed over the
        answers), each with ``attrs`` ``start``, ``end`` (ISO days) and ``api_tz``.
        A repeated autumn slot listed once is placed on its first (summer-time)
        occurrence, counted in ``ambiguous_slots`` and reported by a warning.

    Raises
    ------
    InvalidArgumentError
        For a bad period, an unknown ``api_tz`` or bad ``plates``.
    MalformedResponseError
        When an answer is not JSON, not a list, or has a missing, mistyped or
        impossible value; the error names the JSON path, the vehicle and the day.
    """
    first, last = as_period(start, end)
    api_tz = check_zone(api_tz)
    plates = _checked_plates(plates)
    calendar = Calendar.build(first, last, api_tz)
    with _collector_paused():
        columns = _columns(payload, calendar)
    return _usage(columns, calendar, plates)


class UsageParser:
    """:func:`parse_usage` fed one answer's JSON text at a time.

    A fetch feeds each answer as it arrives, so that reading it overlaps the wait
    for the others; :meth:`finish` then builds the frames. The result is exactly
    what ``parse_usage`` gives on the same answers: an answer the fast path cannot
    vouch for makes :meth:`finish` walk every answer exactly, which names the problem.

    Parameters
    ----------
    start, end : str, datetime.date, datetime.datetime or pandas.Timestamp
        The asked period, both days inclusive, as days on ``api_tz``.
    api_tz : str
        The IANA zone of the API's ``day`` values and ``HH:mm`` slots.

    Raises
    ------
    InvalidArgumentError
        For a bad period or an unknown ``api_tz``.
    """

    def __init__(self, *, start: DayLike, end: DayLike, api_tz: str = "UTC") -> None:
        first, last = as_period(start, end)
        self._calendar = Calendar.build(first, last, check_zone(api_tz))
        self._fast = FastColumns(self._calendar)
        self._texts: list[bytes] = []

    def feed(self, text: bytes) -> None:
        """Read one answer's JSON text (UTF-8 bytes)."""
        self._texts.append(text)
        with _collector_paused():
            self._fast.feed(text)

    def finish(self, plates: Mapping[int, str] | None = None) -> Usage:
        """The :class:`Usage` of every answer fed; ``plates`` as in :func:`parse_usage`."""
        plates = _checked_plates(plates)
        columns = self._fast.columns()
        if columns is None:
            with _collector_paused():
                columns = _walked(tuple(self._texts), self._calendar)
        return _usage(columns, self._calendar, plates)


def _usage(columns: Columns, calendar: Calendar, plates: dict[int, str]) -> Usage:
    """The frames of checked columns, with their provenance; warns of lone repeated slots."""
    frames = build_frames(columns, calendar, plates)
    first, api_tz = calendar.first, calendar.api_tz
    last = first + dt.timedelta(days=calendar.n_days - 1)
    for frame in frames.values():
        frame.attrs = {"start": first.isoformat(), "end": last.isoformat(), "api_tz": api_tz}
    lone = columns.lone_repeats
    if lone:
        warnings.warn(_lone_message(lone, api_tz), UserWarning, stacklevel=3)
    return Usage(**frames, start=first, end=last, api_tz=api_tz, ambiguous_slots=lone)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the answers are decoded and walked.

    Decoding makes hundreds of thousands of small dicts and lists that hold no
    reference cycle; the collector would otherwise scan them again and again as
    they are made (a third of the time of a large answer). It is switched back
    on afterwards if it was on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns(payload: object, calendar: Calendar) -> Columns:
    """The checked columns of every answer: by the fast path when the answers are
    JSON texts it can vouch for, else by the exact walk (which names any problem)."""
    texts = answer_texts(payload)
    columns = None if texts is None else fast_columns(texts, calendar)
    return columns if columns is not None else _walked(payload, calendar)


def _walked(payload: object, calendar: Calendar) -> Columns:
    """The columns of every answer by the exact walk, which names the first problem."""
    walker = Walker(calendar)
    answers = split_answers(payload)
    for index, answer in enumerate(answers):
        walker.answer(answer, answer_label(index, len(answers)))
    return walker.columns


def _checked_plates(plates: object) -> dict[int, str]:
    """``plates`` as a dict of int ids to strings, or an error naming the bad entry."""
    if plates is None:
        return {}
    if not isinstance(plates, Mapping):
        raise InvalidArgumentError(
            f"plates must be a mapping {{vehicle_id: plate}}, not {type(plates).__name__}."
        )
    for vehicle_id, plate in plates.items():
        if (
            isinstance(vehicle_id, bool)
            or not isinstance(vehicle_id, Integral)
            or not isinstance(plate, str)
        ):
            raise InvalidArgumentError(
                f"plates entry {vehicle_id!r}: {plate!r} is not an int vehicle id with a "
                "string plate: give plates as {1234: 'AB-123-CD'}."
            )
    return {int(vehicle_id): plate for vehicle_id, plate in plates.items()}


def _lone_message(count: int, api_tz: str) -> str:
    return (
        f"{count} half hour(s) of an autumn clock change on {api_tz} were listed once "
        "although the clock shows that time twice; each was placed on its first "
        "(summer-time) occurrence. Usage.ambiguous_slots counts them; compare with the "
        "day totals if the exact hour matters."
    )

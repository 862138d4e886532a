"""``parse_usage``: Ocean answers (saved or just fetched) to a :class:`Usage`; pure, no network.

Every answer takes one path, whether it comes as bytes or as decoded lists:
:mod:`.answers` types each element with msgspec (the schema is
:mod:`ocean_analytics.api.schema.duree`), :mod:`.collect` turns the elements
into columns, :mod:`.rules` checks what the schema cannot say, and
:mod:`.frames` builds the five frames. A problem is named by :mod:`.naming`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from numbers import Integral

from ..clock import Calendar
from ..dates import DayLike, as_period
from ..errors import InvalidArgumentError
from ..usage import Usage
from ..zones import check_zone
from .answers import answer_label, read_answer, split_payload
from .collect import AnswerColumns, Numbering
from .frames import build_frames
from .naming import Malformed
from .rules import Checked, Rules

__all__ = ["UsageParser", "parse_usage"]


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
        For a bad period, an unknown ``api_tz``, bad ``plates`` or a payload of
        a type that cannot hold an answer.
    MalformedResponseError
        When an answer is not JSON, not a list, or has a missing, mistyped or
        impossible value; the error names the JSON path, the vehicle and the day.
    """
    reader = _Reader.of(start, end, api_tz)
    plates = _checked_plates(plates)
    answers = split_payload(payload)
    for index, answer in enumerate(answers):
        try:
            reader.read(answer)
        except Malformed as problem:
            raise problem.error(answer_label(index, len(answers))) from None
    return reader.usage(plates)


class UsageParser:
    """:func:`parse_usage` fed one answer's JSON text at a time.

    A fetch feeds each answer as it arrives, so that reading it overlaps the
    wait for the others; :meth:`finish` then builds the frames. The result, or
    the error, is exactly what ``parse_usage`` gives on the same answers: a
    malformed answer is raised by :meth:`finish`, naming its rank among all the
    answers fed.

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
        self._reader = _Reader.of(start, end, api_tz)
        self._fed = 0
        self._problem: tuple[int, Malformed] | None = None

    def feed(self, text: bytes) -> None:
        """Read one answer's JSON text (UTF-8 bytes); after a malformed one, only count."""
        self._fed += 1
        if self._problem is None:
            try:
                self._reader.read(text)
            except Malformed as problem:
                self._problem = (self._fed - 1, problem)

    def finish(self, plates: Mapping[int, str] | None = None) -> Usage:
        """The :class:`Usage` of every answer fed; ``plates`` as in :func:`parse_usage`.

        Raises
        ------
        MalformedResponseError
            For the first malformed answer fed.
        """
        plates = _checked_plates(plates)
        if self._problem is not None:
            index, problem = self._problem
            raise problem.error(answer_label(index, self._fed))
        return self._reader.usage(plates)


class _Reader:
    """The answers of one parse, read one after another into checked rows."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.numbering = Numbering()
        self.rules = Rules(calendar, self.numbering)
        self.parts: list[Checked] = []

    @classmethod
    def of(cls, start: DayLike, end: DayLike, api_tz: object) -> _Reader:
        """The reader of a period on ``api_tz``, both checked (InvalidArgumentError)."""
        first, last = as_period(start, end)
        return cls(Calendar.build(first, last, check_zone(api_tz)))

    def read(self, answer: object) -> None:
        """Read and check one answer (JSON text or decoded list); :class:`Malformed` if not."""
        columns = AnswerColumns(self.numbering)
        read_answer(answer, columns.add)
        self.parts.append(self.rules.check(columns.arrays()))

    def usage(self, plates: dict[int, str]) -> Usage:
        """The :class:`Usage` of the answers read, with its provenance; warns of lone repeats."""
        if not self.parts:
            self.read([])
        rows = Checked.concat(self.parts)
        frames = build_frames(rows, self.numbering, self.calendar, plates)
        first, api_tz = self.calendar.first, self.calendar.api_tz
        last = first + dt.timedelta(days=self.calendar.n_days - 1)
        for frame in frames.values():
            frame.attrs = {"start": first.isoformat(), "end": last.isoformat(), "api_tz": api_tz}
        lone = rows.lone_repeats
        if lone:
            warnings.warn(_lone_message(lone, api_tz), UserWarning, stacklevel=3)
        return Usage(**frames, start=first, end=last, api_tz=api_tz, ambiguous_slots=lone)


def _checked_plates(plates: object) -> dict[int, str]:
    """``plates`` as a dict of int ids to strings, or an error naming the bad entry."""
    if plates is None:
        return {}
    if not isinstance(plates, Mapping):
        raise InvalidArgumentError(
            f"plates must be a mapping {{vehicle_id: plate}}, not {type(plates).__name__}."
        )
    for vehicle_id, plate in plates.items():
        if isinstance(vehicle_id, bool) or not isinstance(vehicle_id, Integral) or not isinstance(plate, str):
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

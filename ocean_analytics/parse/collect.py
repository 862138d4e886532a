"""An answer's typed elements as columns: one entry per day, day total, period total, half hour.

Each element is read as soon as msgspec has made it (:func:`.answers.read_answer`
hands it over), with C-level ``map`` over its days and half hours (no Python
statement per half hour), into compact arrays; its days are then let go, so that
one element at a time is held as Python objects (and in the processor's cache).
Texts become numbers on the way: slots and ends by their wall clock
(:func:`half_hour_numbers`, on the join of the answer's texts), labels and day
texts by their first appearance across all answers (:class:`Numbering`). An
equipment label is checked here, once, when it is first met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

import msgspec
import numpy as np

from ..api.schema.duree import PERIOD_KEYS, Day, Element, HalfHour, Vehicle
from .answers import vehicle_id
from .naming import Malformed, describe, explain, key_of

__all__ = ["AnswerColumns", "Numbering", "half_hour_numbers", "label_problem"]

_DAY, _ALL, _TOTALS, _HALVES = map(attrgetter, ("day", "all_dio_s", "totals", "half_hours"))
_START, _END, _LABEL, _USE = map(attrgetter, ("start", "end", "label", "use_s"))
_DAYS, _TOTALS_KEY = key_of(Element, "days"), key_of(Day, "totals")
_HALVES_KEY, _LABEL_KEY = key_of(Day, "half_hours"), key_of(HalfHour, "label")
_ID = key_of(Vehicle, "vehicle_id")
_DIGIT, _THREE = ord("0"), ord("3")


def label_problem(value: str) -> str | None:
    """Why ``value`` is not an equipment label (a string that is not blank), or None."""
    if value.strip():
        return None
    return f"an equipment label must be a non-empty string, got {describe(value)}"


def half_hour_numbers(texts: str) -> np.ndarray:
    """The half hours of wall clock since midnight of ``HH:mm`` texts written one after the other.

    Parameters
    ----------
    texts : str
        ``start`` or ``end`` texts joined without separator, each one of the
        schema's ``END_TEXTS`` (msgspec has checked it), e.g. ``"08:0008:3024:00"``.

    Returns
    -------
    numpy.ndarray
        int8, ``HH`` x 2, plus 1 where ``mm`` is 30: each text's position in
        ``END_TEXTS`` (``"23:30"`` is 47, ``"24:00"`` 48).
    """
    chars = np.frombuffer(texts.encode("ascii"), dtype=np.uint8).reshape(-1, 5)
    hours = (chars[:, 0] - _DIGIT) * 10 + (chars[:, 1] - _DIGIT)
    return (hours * 2 + (chars[:, 3] == _THREE)).astype(np.int8)


@dataclass
class Numbering:
    """What is numbered across all the answers of one parse.

    Attributes
    ----------
    labels : dict
        ``{equipment label: number}``, in order of first appearance.
    day_codes : dict
        ``{day text: code}``; ``day_texts[code]`` is the text back.
    vehicles : dict
        ``{vehicle id: (Vehicle, the vehicle object as decoded)}`` of the first
        answer that listed each vehicle.
    """

    labels: dict[str, int] = field(default_factory=dict)
    day_codes: dict[str, int] = field(default_factory=dict)
    day_texts: list[str] = field(default_factory=list)
    vehicles: dict[int, tuple[Vehicle, dict[str, Any]]] = field(default_factory=dict)

    def day_codes_of(self, days: list[Day]) -> np.ndarray:
        """The code of each day element's text, int64 (new texts get the next codes).

        The texts are looked up in one pass; only when one is new (in the first
        element, mostly) are they numbered first.
        """
        codes = self.day_codes
        try:
            return np.fromiter(map(codes.__getitem__, map(_DAY, days)), np.int64, len(days))
        except KeyError:
            for text in map(_DAY, days):
                if text not in codes:
                    codes[text] = len(self.day_texts)
                    self.day_texts.append(text)
        return np.fromiter(map(codes.__getitem__, map(_DAY, days)), np.int64, len(days))

    def label_numbers(self, names: list[str], where: Callable[[str, str], Malformed]) -> np.ndarray:
        """The number of each label; ``where(label, problem)`` names the first place of a bad one.

        The labels are looked up in one pass; only when one is new (in the first
        elements, mostly) are the distinct labels checked and numbered first.
        """
        labels = self.labels
        try:
            return np.fromiter(map(labels.__getitem__, names), np.int32, len(names))
        except KeyError:
            for name in dict.fromkeys(names):
                if name not in labels:
                    problem = label_problem(name)
                    if problem:
                        raise where(name, problem) from None
                    labels[name] = len(labels)
        return np.fromiter(map(labels.__getitem__, names), np.int32, len(names))


_PARTS = {
    "day_code": np.int64,
    "all_dio_s": np.int64,
    "n_totals": np.int64,
    "n_halves": np.int64,
    "total_label": np.int32,
    "total_s": np.int64,
    "period_element": np.int64,
    "period_label": np.int32,
    "period_s": np.int64,
    "half_label": np.int32,
    "use_s": np.int32,
}
"""The columns read as one array per element, and their dtypes."""


class AnswerColumns:
    """The columns of one answer, filled element by element with :meth:`add`.

    Per element: ``vehicle`` (its id), ``period_key`` (which of ``PERIOD_KEYS`` it
    uses) and ``n_days``. Per day element, in order: ``day_code`` (of its text),
    ``all_dio_s``, ``day_sum_s`` (its totals summed), ``n_totals`` and
    ``n_halves``. Per day total: ``total_label``, ``total_s``. Per period total:
    ``period_element`` (its element's number), ``period_label``, ``period_s``.
    Per half hour: ``slot`` (0..47), ``end`` (0..48), ``half_label``, ``use_s``.
    Seconds are as the API sent them.

    Parameters
    ----------
    numbering : Numbering
        What is numbered across the answers of the parse.
    """

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in _PARTS}
        self._per_element: dict[str, list[int]] = {"vehicle": [], "period_key": [], "n_days": []}
        self._texts: dict[str, list[str]] = {"slot": [], "end": []}

    def add(self, element: Element) -> None:
        """Read the answer's next element into the columns."""
        index = len(self._per_element["vehicle"])
        vid = self._vehicle(index, element)
        self._period(index, element, vid)
        days, numbering, put = element.days, self.numbering, self._put
        n_days = len(days)
        self._per_element["n_days"].append(n_days)
        put("day_code", numbering.day_codes_of(days), n_days)
        put("all_dio_s", map(_ALL, days), n_days)
        totals = list(map(_TOTALS, days))
        put("n_totals", map(len, totals), n_days)
        labels = list(chain.from_iterable(totals))
        where = _day_total_place(index, element, vid)
        put("total_label", numbering.label_numbers(labels, where), len(labels))
        put("total_s", chain.from_iterable(map(dict.values, totals)), len(labels))
        lists = list(map(_HALVES, days))
        put("n_halves", map(len, lists), n_days)
        halves = list(chain.from_iterable(lists))
        n_halves = len(halves)
        self._texts["slot"].append("".join(map(_START, halves)))
        self._texts["end"].append("".join(map(_END, halves)))
        where = _half_hour_place(index, element, vid)
        put("half_label", numbering.label_numbers(list(map(_LABEL, halves)), where), n_halves)
        put("use_s", map(_USE, halves), n_halves)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column as one numpy array; ``day_sum_s`` summed from the day totals here."""
        columns = {
            name: np.concatenate(parts) if parts else np.zeros(0, dtype=_PARTS[name])
            for name, parts in self._parts.items()
        }
        columns["vehicle"] = np.array(self._per_element["vehicle"], dtype=np.int64)
        columns["period_key"] = np.array(self._per_element["period_key"], dtype=np.int8)
        columns["n_days"] = np.array(self._per_element["n_days"], dtype=np.int64)
        for name, texts in self._texts.items():
            columns[name] = half_hour_numbers("".join(texts))
        running = np.concatenate([[0], np.cumsum(columns["total_s"])])
        bounds = np.concatenate([[0], np.cumsum(columns["n_totals"])])
        columns["day_sum_s"] = running[bounds[1:]] - running[bounds[:-1]]
        return columns

    def _put(self, name: str, values: Iterable[int] | np.ndarray, count: int) -> None:
        """Add ``count`` values to a column."""
        if not isinstance(values, np.ndarray):
            values = np.fromiter(values, _PARTS[name], count)
        self._parts[name].append(values)

    def _vehicle(self, index: int, element: Element) -> int:
        """The element's vehicle id; its object typed and kept if the vehicle is new."""
        try:
            vehicle = msgspec.convert(element.vehicle, Vehicle)
        except msgspec.ValidationError as error:
            field_, problem, _ = explain(error, Vehicle, element.vehicle, f"[{index}].vehicle")
            raise Malformed(field_, problem, vehicle_id(element.vehicle.get(_ID))) from None
        vid = vehicle.vehicle_id
        self.numbering.vehicles.setdefault(vid, (vehicle, element.vehicle))
        self._per_element["vehicle"].append(vid)
        return vid

    def _period(self, index: int, element: Element, vid: int) -> None:
        totals = element.period_totals()
        if totals is None:
            first, second = PERIOD_KEYS
            problem = (
                f"both period-total keys {first!r} and {second!r} are present"
                if element.period_en is not msgspec.UNSET
                else f"neither period-total key {first!r} nor {second!r} is present"
            )
            raise Malformed(f"[{index}].{first}", problem + ": one is expected", vid)
        which = int(element.period is msgspec.UNSET)
        self._per_element["period_key"].append(which)
        key = PERIOD_KEYS[which]

        def where(label: str, problem: str) -> Malformed:
            return Malformed(f"[{index}].{key}[{describe(label)}]", problem, vid)

        n_totals = len(totals)
        self._put("period_label", self.numbering.label_numbers(list(totals), where), n_totals)
        self._put("period_s", totals.values(), n_totals)
        self._put("period_element", [index] * n_totals, n_totals)


def _day_total_place(index: int, element: Element, vid: int) -> Callable[[str, str], Malformed]:
    """Names the first day total of an element holding a bad label (error path only)."""

    def where(label: str, problem: str) -> Malformed:
        j, day = next((j, d) for j, d in enumerate(element.days) if label in d.totals)
        path = f"[{index}].{_DAYS}[{j}].{_TOTALS_KEY}[{describe(label)}]"
        return Malformed(path, problem, vid, day.day)

    return where


def _half_hour_place(index: int, element: Element, vid: int) -> Callable[[str, str], Malformed]:
    """Names the first half hour of an element holding a bad label (error path only)."""

    def where(label: str, problem: str) -> Malformed:
        j, k, day = next(
            (j, k, d)
            for j, d in enumerate(element.days)
            for k, half in enumerate(d.half_hours)
            if half.label == label
        )
        path = f"[{index}].{_DAYS}[{j}].{_HALVES_KEY}[{k}].{_LABEL_KEY}"
        return Malformed(path, problem, vid, day.day)

    return where

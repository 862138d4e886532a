"""An answer's typed elements as columns: one entry per day, day total, period total, half hour.

Each element is read as soon as msgspec has made it, with C-level ``map`` over
its days and half hours (no Python statement per half hour), into compact
arrays; the Structs are then dropped, so that one element at a time is held
as Python objects. Texts become numbers on the way: slots and ends by their
place in the schema's tables, labels and day texts by their first appearance
across all answers (:class:`Numbering`). An equipment label is checked here,
once, when it is first met.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

import msgspec
import numpy as np

from ..api.schema.duree import END_TEXTS, PERIOD_KEYS, SLOT_TEXTS, Day, Element, HalfHour, Vehicle
from .answers import vehicle_id
from .naming import Malformed, describe, explain, key_of

__all__ = ["AnswerColumns", "Numbering", "label_problem"]

_DAY, _ALL, _TOTALS, _HALVES = map(attrgetter, ("day", "all_dio_s", "totals", "half_hours"))
_START, _END, _LABEL, _USE = map(attrgetter, ("start", "end", "label", "use_s"))
_SLOT_NUMBER = {text: n for n, text in enumerate(SLOT_TEXTS)}.__getitem__
_END_NUMBER = {text: n for n, text in enumerate(END_TEXTS)}.__getitem__
_DAYS, _TOTALS_KEY = key_of(Element, "days"), key_of(Day, "totals")
_HALVES_KEY, _LABEL_KEY = key_of(Day, "half_hours"), key_of(HalfHour, "label")
_ID = key_of(Vehicle, "vehicle_id")


def label_problem(value: str) -> str | None:
    """Why ``value`` is not an equipment label (a string that is not blank), or None."""
    if value.strip():
        return None
    return f"an equipment label must be a non-empty string, got {describe(value)}"


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

    def day_code_list(self, texts: list[str]) -> list[int]:
        """The code of each day text (new texts get the next codes)."""
        codes = self.day_codes
        for text in dict.fromkeys(texts):
            if text not in codes:
                codes[text] = len(self.day_texts)
                self.day_texts.append(text)
        return list(map(codes.__getitem__, texts))

    def label_list(self, names: list[str], where: Callable[[str, str], Malformed]) -> list[int]:
        """The number of each label; ``where(label, problem)`` names the first place of a bad one."""
        labels = self.labels
        for name in dict.fromkeys(names):
            if name not in labels:
                problem = label_problem(name)
                if problem:
                    raise where(name, problem)
                labels[name] = len(labels)
        return list(map(labels.__getitem__, names))


@dataclass
class AnswerColumns:
    """The columns of one answer, filled element by element with :meth:`add`.

    Per element: ``vehicle`` (its id), ``period_key`` (which of ``PERIOD_KEYS`` it
    uses) and ``n_days``. Per day element, in order:
    ``day_code`` (of its text), ``all_dio_s``, ``day_sum_s`` (its totals summed),
    ``n_totals`` and ``n_halves``. Per day total: ``total_label``, ``total_s``.
    Per period total: ``period_element`` (its element's number), ``period_label``,
    ``period_s``. Per half hour: ``slot`` (0..47), ``end`` (0..48),
    ``half_label``, ``use_s``. Seconds are as the API sent them.
    """

    numbering: Numbering
    vehicle: array = field(default_factory=lambda: array("q"))
    n_days: array = field(default_factory=lambda: array("q"))
    day_code: array = field(default_factory=lambda: array("q"))
    all_dio_s: array = field(default_factory=lambda: array("q"))
    day_sum_s: array = field(default_factory=lambda: array("q"))
    n_totals: array = field(default_factory=lambda: array("q"))
    n_halves: array = field(default_factory=lambda: array("q"))
    total_label: array = field(default_factory=lambda: array("q"))
    total_s: array = field(default_factory=lambda: array("q"))
    period_key: array = field(default_factory=lambda: array("b"))
    period_element: array = field(default_factory=lambda: array("q"))
    period_label: array = field(default_factory=lambda: array("q"))
    period_s: array = field(default_factory=lambda: array("q"))
    slot: array = field(default_factory=lambda: array("b"))
    end: array = field(default_factory=lambda: array("b"))
    half_label: array = field(default_factory=lambda: array("q"))
    use_s: array = field(default_factory=lambda: array("h"))

    def add(self, index: int, element: Element) -> None:
        """Read element number ``index`` of the answer into the columns."""
        vid = self._vehicle(index, element)
        self._period(index, element, vid)
        days, numbering = element.days, self.numbering
        self.n_days.append(len(days))
        self.day_code.extend(numbering.day_code_list(list(map(_DAY, days))))
        self.all_dio_s.extend(map(_ALL, days))
        totals = list(map(_TOTALS, days))
        self.n_totals.extend(map(len, totals))
        self.day_sum_s.extend(map(sum, map(dict.values, totals)))
        where = _day_total_place(index, element, vid)
        self.total_label.extend(numbering.label_list(list(chain.from_iterable(totals)), where))
        self.total_s.extend(chain.from_iterable(map(dict.values, totals)))
        lists = list(map(_HALVES, days))
        self.n_halves.extend(map(len, lists))
        halves = list(chain.from_iterable(lists))
        self.slot.extend(map(_SLOT_NUMBER, map(_START, halves)))
        self.end.extend(map(_END_NUMBER, map(_END, halves)))
        where = _half_hour_place(index, element, vid)
        self.half_label.extend(numbering.label_list(list(map(_LABEL, halves)), where))
        self.use_s.extend(map(_USE, halves))

    def _vehicle(self, index: int, element: Element) -> int:
        """The element's vehicle id; its object typed and kept if the vehicle is new."""
        try:
            vehicle = msgspec.convert(element.vehicle, Vehicle)
        except msgspec.ValidationError as error:
            field_, problem, _ = explain(error, Vehicle, element.vehicle, f"[{index}].vehicle")
            raise Malformed(field_, problem, vehicle_id(element.vehicle.get(_ID))) from None
        vid = vehicle.vehicle_id
        self.numbering.vehicles.setdefault(vid, (vehicle, element.vehicle))
        self.vehicle.append(vid)
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
        self.period_key.append(element.period is msgspec.UNSET)
        key = PERIOD_KEYS[self.period_key[-1]]

        def where(label: str, problem: str) -> Malformed:
            return Malformed(f"[{index}].{key}[{describe(label)}]", problem, vid)

        self.period_label.extend(self.numbering.label_list(list(totals), where))
        self.period_s.extend(totals.values())
        self.period_element.extend([index] * len(totals))

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column as a numpy array (a view of the array, not a copy)."""
        return {
            name: np.frombuffer(getattr(self, name), dtype=getattr(self, name).typecode) for name in _COLUMNS
        }


_COLUMNS = [name for name in AnswerColumns.__dataclass_fields__ if name != "numbering"]


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

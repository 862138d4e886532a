"""The rules of an answer that its schema cannot state, each checked once over a whole answer.

msgspec has checked every type and range the schema gives. What needs the
asked period and its clock, or several entries at once, is checked here with
array operations over the answer's columns (:mod:`.collect`):

- a vehicle is listed once per answer;
- a day is a day of the asked period, listed once per vehicle over all the answers;
- each day total is within the real length of that day on ``api_tz``, and
  ``dailyDurationSecForAllDio`` within that length times the day's labels in
  ``dayTotalUsePerEquipement`` (at least one): the API may sum it over
  equipment; a period total within the period;
- a half hour's slot exists on its day and its ``end`` closes it
  (:meth:`~ocean_analytics.clock.Calendar.slot_faults`);
- no half hour is listed more often than the clock shows it: once, or twice for
  a slot that an autumn change repeats; the second listing is the second
  occurrence, and a repeated slot listed once is counted as ambiguous.

The first entry that breaks a rule, in the order of the answer, is named.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..api.schema.duree import END_TEXTS, PERIOD_KEYS, SLOT_TEXTS, Day, Element, HalfHour, Vehicle
from ..clock import SLOTS_PER_DAY, Calendar, SlotFault, read_day
from .collect import Numbering
from .naming import Malformed, describe, key_of

__all__ = ["Checked", "Rules"]

_DAYS, _DAY = key_of(Element, "days"), key_of(Day, "day")
_ALL, _TOTALS = key_of(Day, "all_dio_s"), key_of(Day, "totals")
_HALVES, _START, _END = key_of(Day, "half_hours"), key_of(HalfHour, "start"), key_of(HalfHour, "end")
_VEHICLE, _ID = key_of(Element, "vehicle"), key_of(Vehicle, "vehicle_id")
_UNREADABLE, _OUTSIDE = -1, -2
_CHECK_TZ = (
    "The answer's clock may not be the api_tz given: check api_tz (the zone of the "
    "API's days and HH:mm slots, e.g. 'UTC' or 'Europe/Paris')."
)


@dataclass(frozen=True)
class Checked:
    """One answer's rows once every rule holds.

    Attributes
    ----------
    day_vehicle, day_number, all_dio_s, day_sum_s : numpy.ndarray
        Per day element: its vehicle, day number (0 = the period's first),
        ``dailyDurationSecForAllDio`` and the sum of its day totals, seconds.
    total_vehicle, total_number, total_label, total_s : numpy.ndarray
        Per day total.
    period_vehicle, period_label, period_s : numpy.ndarray
        Per period total.
    half_vehicle, half_number, half_label, slot, use_s, second : numpy.ndarray
        Per half hour with use > 0; ``second`` marks the second occurrence of a
        slot the clock shows twice.
    pair_vehicle, pair_label : numpy.ndarray
        Each (vehicle, label) the answer reports, once.
    lone_repeats : int
        Half hours with use > 0 on a repeated slot listed once.
    """

    day_vehicle: np.ndarray
    day_number: np.ndarray
    all_dio_s: np.ndarray
    day_sum_s: np.ndarray
    total_vehicle: np.ndarray
    total_number: np.ndarray
    total_label: np.ndarray
    total_s: np.ndarray
    period_vehicle: np.ndarray
    period_label: np.ndarray
    period_s: np.ndarray
    half_vehicle: np.ndarray
    half_number: np.ndarray
    half_label: np.ndarray
    slot: np.ndarray
    use_s: np.ndarray
    second: np.ndarray
    pair_vehicle: np.ndarray
    pair_label: np.ndarray
    lone_repeats: int

    @classmethod
    def concat(cls, parts: list[Checked]) -> Checked:
        """The rows of several answers, one after another (pairs and counts merged)."""
        if len(parts) == 1:
            return parts[0]
        arrays = {
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in cls.__dataclass_fields__
            if name != "lone_repeats"
        }
        pairs = _pairs([arrays.pop("pair_vehicle")], [arrays.pop("pair_label")])
        lone = sum(part.lone_repeats for part in parts)
        return cls(**arrays, pair_vehicle=pairs[0], pair_label=pairs[1], lone_repeats=lone)


class Rules:
    """The rules, applied answer after answer of one parse.

    Parameters
    ----------
    calendar : Calendar
        The asked period on ``api_tz``.
    numbering : Numbering
        The labels, day texts and vehicles numbered so far.
    """

    def __init__(self, calendar: Calendar, numbering: Numbering) -> None:
        self.calendar, self.numbering = calendar, numbering
        self._numbers: list[int] = []  # per day code: its day number, or why it has none
        self._listed = np.zeros(0, dtype=np.int64)  # vehicle x day keys of earlier answers

    def check(self, cols: dict[str, np.ndarray]) -> Checked:
        """Check one answer's columns; its rows, or :class:`Malformed` naming the first fault."""
        answer = _Answer(cols)
        self._vehicles_once(answer)
        numbers = self._days(answer)
        self._within_days(answer, numbers)
        self._within_period(answer)
        half_number = numbers[answer.half_day]
        cells = self.calendar.cells(half_number, cols["slot"])
        self._slots_exist(answer, self.calendar.slot_faults(cells, cols["end"]), half_number)
        second, lone = self._listed_once(answer, self.calendar.is_repeated(cells))
        return self._rows(answer, numbers, half_number, second, lone)

    def _rows(
        self, answer: _Answer, numbers: np.ndarray, half_number: np.ndarray, second: np.ndarray, lone: int
    ) -> Checked:
        """The rows of a checked answer: half hours with use only, the pairs it reports."""
        cols, vehicle, element_of = answer.cols, answer.vehicle, answer.day_element
        kept = cols["use_s"] > 0
        half_element = element_of[answer.half_day]
        elements, labels = _reported(
            len(vehicle),
            len(self.numbering.labels),
            [element_of[answer.total_day], cols["period_element"], half_element],
            [cols["total_label"], cols["period_label"], cols["half_label"]],
        )
        return Checked(
            vehicle[element_of], numbers, cols["all_dio_s"], cols["day_sum_s"],
            vehicle[element_of[answer.total_day]], numbers[answer.total_day], cols["total_label"],
            cols["total_s"], vehicle[cols["period_element"]], cols["period_label"], cols["period_s"],
            vehicle[half_element[kept]], half_number[kept], cols["half_label"][kept],
            cols["slot"][kept], cols["use_s"][kept], second[kept], vehicle[elements], labels, lone,
        )  # fmt: skip

    def _vehicles_once(self, answer: _Answer) -> None:
        twice = _repeats(answer.vehicle)
        if len(twice):
            i = int(twice[0])
            vid = int(answer.vehicle[i])
            problem = f"vehicle {vid} is listed twice in one answer"
            raise Malformed(f"[{i}].{_VEHICLE}.{_ID}", problem, vid)

    def _days(self, answer: _Answer) -> np.ndarray:
        """Each day element's day number, once each is a day of the period listed once."""
        texts = self.numbering.day_texts
        self._numbers += map(self._number, texts[len(self._numbers) :])
        numbers = np.array(self._numbers, dtype=np.int64)[answer.cols["day_code"]]
        bad = np.flatnonzero(numbers < 0)
        if len(bad):
            row = int(bad[0])
            text = texts[answer.cols["day_code"][row]]
            raise answer.at_day(row, _DAY, self._day_problem(text), text)
        keys = answer.vehicle[answer.day_element] * self.calendar.n_days + numbers
        again = np.concatenate([_repeats(keys), np.flatnonzero(_among(keys, self._listed))])
        if len(again):
            row = int(again.min())
            text = texts[answer.cols["day_code"][row]]
            vid = answer.vehicle[answer.day_element[row]]
            problem = f"the day {text} is listed twice for vehicle {vid}"
            raise answer.at_day(row, _DAY, problem, text)
        ordered = np.sort(keys)  # distinct from each other and from the listed ones: checked above
        self._listed = np.insert(self._listed, np.searchsorted(self._listed, ordered), ordered)
        return numbers

    def _number(self, text: str) -> int:
        date = read_day(text)
        if date is None:
            return _UNREADABLE
        number = (date - self.calendar.first).days
        return number if 0 <= number < self.calendar.n_days else _OUTSIDE

    def _day_problem(self, text: str) -> str:
        date = read_day(text)
        if date is None:
            return f"must be a real day 'dd/MM/yyyy' (or ISO 'yyyy-MM-dd'), got {describe(text)}"
        return f"the day {date.isoformat()} is outside the asked period {self.calendar.period}"

    def _within_days(self, answer: _Answer, numbers: np.ndarray) -> None:
        """Every day's seconds within the real length of that day: the one place that says so.

        ``dailyDurationSecForAllDio`` may be a sum over equipment (two machines on
        for 14 h give 100,800 s), so it may reach the day's length once per label
        of the day's totals, and once when the day has none.
        """
        cols, highs = answer.cols, self.calendar.day_seconds[numbers]
        labels = np.maximum(cols["n_totals"], 1)
        over = np.flatnonzero(cols["all_dio_s"] > highs * labels)
        if len(over):
            row = int(over[0])
            high, count = int(highs[row]), int(labels[row])
            problem = (
                f"{_seconds_problem(int(cols['all_dio_s'][row]), high * count)} (at most the "
                f"day's {high} s for each of its {count} label(s) in {_TOTALS})"
            )
            raise answer.at_day(row, _ALL, problem, self._text(answer, row))
        over = np.flatnonzero(cols["total_s"] > highs[answer.total_day])
        if len(over):
            entry = int(over[0])
            row = int(answer.total_day[entry])
            label = self._label(int(cols["total_label"][entry]))
            problem = _seconds_problem(int(cols["total_s"][entry]), int(highs[row]))
            key = f"{_TOTALS}[{describe(label)}]"
            raise answer.at_day(row, key, problem, self._text(answer, row))

    def _within_period(self, answer: _Answer) -> None:
        cols, high = answer.cols, self.calendar.period_seconds
        over = np.flatnonzero(cols["period_s"] > high)
        if len(over):
            entry = int(over[0])
            i = int(cols["period_element"][entry])
            key = PERIOD_KEYS[cols["period_key"][i]]
            label = self._label(int(cols["period_label"][entry]))
            problem = _seconds_problem(int(cols["period_s"][entry]), high)
            raise Malformed(f"[{i}].{key}[{describe(label)}]", problem, int(answer.vehicle[i]))

    def _slots_exist(self, answer: _Answer, faults: np.ndarray, numbers: np.ndarray) -> None:
        bad = np.flatnonzero(faults)
        if not len(bad):
            return
        row = int(bad[0])
        day = int(answer.half_day[row])
        slot, end = int(answer.cols["slot"][row]), int(answer.cols["end"][row])
        start, text = SLOT_TEXTS[slot], self._text(answer, day)
        if faults[row] == SlotFault.NO_SUCH_SLOT:
            problem = (
                f"the slot {start} does not exist on that day in {self.calendar.api_tz} "
                "(the clock jumps forward)"
            )
            raise answer.at_half(row, _START, problem, text, hint=_CHECK_TZ)
        ends = " or ".join(END_TEXTS[e] for e in self.calendar.ends_of(int(numbers[row]), slot))
        problem = f"the half hour starting {start} must end {ends}, got {describe(END_TEXTS[end])}"
        raise answer.at_half(row, _END, problem, text)

    def _listed_once(self, answer: _Answer, repeated: np.ndarray) -> tuple[np.ndarray, int]:
        """Which half hours are the second listing of a repeated slot (``repeated``: the
        clock shows it twice), and how many repeated slots are listed once; named when a
        slot is listed too often."""
        cols = answer.cols
        slots, labels = cols["slot"].astype(np.int64), cols["half_label"]
        keys = (answer.half_day * SLOTS_PER_DAY + slots) * max(len(self.numbering.labels), 1)
        again, rank, single = _runs(keys + labels)
        bad = again[(rank > 1) | ~repeated[again]]
        if len(bad):
            row = int(bad[0])
            label = self._label(int(labels[row]))
            problem = (
                f"the half hour {SLOT_TEXTS[slots[row]]} of {label!r} is listed more often "
                "than the clock shows it"
            )
            raise answer.at_half(row, None, problem, self._text(answer, int(answer.half_day[row])))
        lone = int(np.count_nonzero(single & repeated & (cols["use_s"] > 0)))
        second = np.zeros(len(keys), dtype=bool)
        second[again] = True
        return second, lone

    def _text(self, answer: _Answer, row: int) -> str:
        return self.numbering.day_texts[answer.cols["day_code"][row]]

    def _label(self, number: int) -> str:
        return next(label for label, n in self.numbering.labels.items() if n == number)


class _Answer:
    """Where each row of an answer's columns sits: its element, its day element."""

    def __init__(self, cols: dict[str, np.ndarray]) -> None:
        self.cols = cols
        self.vehicle = cols["vehicle"]
        n_days = cols["n_days"]
        self.day_element = np.repeat(np.arange(len(n_days)), n_days)
        self.first_day = np.cumsum(n_days) - n_days
        self.total_day = np.repeat(np.arange(len(cols["n_totals"])), cols["n_totals"])
        self.half_day = np.repeat(np.arange(len(cols["n_halves"])), cols["n_halves"])
        self.first_half = np.cumsum(cols["n_halves"]) - cols["n_halves"]

    def at_day(self, row: int, key: str, problem: str, text: str) -> Malformed:
        """The fault of day element ``row`` (of the answer) at one of its keys."""
        i = int(self.day_element[row])
        where = f"[{i}].{_DAYS}[{row - int(self.first_day[i])}].{key}"
        return Malformed(where, problem, int(self.vehicle[i]), text)

    def at_half(self, row: int, key: str | None, problem: str, text: str, **hint: str) -> Malformed:
        """The fault of half hour ``row`` (of the answer), at one of its keys or as a whole."""
        day = int(self.half_day[row])
        i = int(self.day_element[day])
        where = (
            f"[{i}].{_DAYS}[{day - int(self.first_day[i])}].{_HALVES}"
            f"[{row - int(self.first_half[day])}]" + (f".{key}" if key else "")
        )
        return Malformed(where, problem, int(self.vehicle[i]), text, **hint)


def _seconds_problem(value: int, high: int) -> str:
    return f"must be whole seconds in 0..{high}, got {value}"


def _repeats(keys: np.ndarray) -> np.ndarray:
    """The positions of keys seen earlier in ``keys``, ascending."""
    return _runs(keys)[0]


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where keys repeat: the positions of keys seen earlier (ascending), how many equal
    keys come before each of them, and for every key whether it is the only one.

    A stable sort keeps equal keys in their order; it is linear on keys already
    in order, as an answer's usually are. Only the few repeats are then ranked.
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    later = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1  # sorted places of keys seen earlier
    single = np.ones(len(keys), dtype=bool)
    single[order[later]] = single[order[later - 1]] = False
    # consecutive places in ``later`` are one run of equal keys: rank 1, 2, ... in it
    steps = np.arange(len(later))
    run_first = np.ones(len(later), dtype=bool)
    run_first[1:] = np.diff(later) != 1
    rank = steps - np.maximum.accumulate(np.where(run_first, steps, 0)) + 1
    positions = order[later]
    by_position = np.argsort(positions, kind="stable")
    return positions[by_position], rank[by_position], single


def _pairs(vehicles: list[np.ndarray], labels: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (vehicle, label) pairs of several columns."""
    vehicle, label = np.concatenate(vehicles), np.concatenate(labels).astype(np.int64)
    width = int(label.max()) + 1 if len(label) else 1
    keys = np.unique(vehicle * width + label)
    return keys // width, keys % width


def _reported(
    n_elements: int, n_labels: int, elements: list[np.ndarray], labels: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (element, label) pairs of several columns, marked in a small table
    (flat: one index per pair)."""
    width = max(n_labels, 1)
    seen = np.zeros(n_elements * width, dtype=bool)
    for element, label in zip(elements, labels, strict=True):
        seen[element * width + label] = True
    return np.divmod(np.flatnonzero(seen), width)


def _among(keys: np.ndarray, listed: np.ndarray) -> np.ndarray:
    """Whether each key is in ``listed`` (sorted), by binary search: the cost of this answer's
    keys, not of every earlier answer's as ``np.isin`` would be."""
    if not len(listed):
        return np.zeros(len(keys), dtype=bool)
    return listed[np.minimum(np.searchsorted(listed, keys), len(listed) - 1)] == keys

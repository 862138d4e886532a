"""Walking the answers: every value checked, the frames' columns collected as plain lists.

The walk keeps what the API said at each level (period totals, day totals, half
hours) without checking one level against another. Its only per-row work is a
few dictionary look-ups and list appends, so that the frames are then built by
column operations, never row by row in pandas.
"""

from __future__ import annotations

from ..errors import MalformedResponseError
from .checks import describe, label_problem, malformed, seconds_problem
from .columns import Columns
from .days import ALL_DIO, DAY_TOTALS, PlainDays, plain_days
from ..clock import ENDS_OF, SLOT_OF, SLOT_S, SLOTS_PER_DAY, Calendar, read_day
from .vehicles import vehicle_problem

__all__ = ["Walker"]

PERIOD_KEYS = ("totalUsePerEquipementForPeriod", "totalUserPerEquipementForPeriod")
INT32_MAX = 2**31 - 1
_HALF_KEYS = ("start", "end", "libelleEquipement", "useDuration")
_KIND = {dict: "object", list: "list"}
_CHECK_TZ = (
    "The answer's clock may not be the api_tz given: check api_tz (the zone of the "
    "API's days and HH:mm slots, e.g. 'UTC' or 'Europe/Paris')."
)


class Walker:
    """Check answers one after another and collect their columns in :attr:`columns`.

    Parameters
    ----------
    calendar : Calendar
        The asked period on ``api_tz``: days outside it, slots that do not exist
        and totals longer than a day are malformed.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.columns = Columns()
        self._day_numbers: dict[str, int] = {}
        self._seen_days: dict[int, set[int]] = {}
        self._answer = ""
        self._period_s = sum(calendar.day_seconds)

    def answer(self, answer: list, label: str) -> None:
        """Walk one decoded answer; ``label`` names it among several (``" in answer 2 of 5"``)."""
        self._answer = label
        listed: set[int] = set()
        for i, element in enumerate(answer):
            self._element(element, f"[{i}]", listed)

    def _fail(
        self, where: str, problem: str, vid: int | None = None, day: str | None = None, **hint: str
    ) -> MalformedResponseError:
        return malformed(where, problem, vehicle_id=vid, day=day, answer=self._answer, **hint)

    def _required(self, obj: dict, key: str, path: str, vid: int | None, day: str | None) -> object:
        if key not in obj:
            raise self._fail(f"{path}.{key}", f"the required key {key!r} is missing", vid, day)
        return obj[key]

    def _member(
        self,
        obj: dict,
        key: str,
        kind: type,
        path: str,
        vid: int | None = None,
        day: str | None = None,
    ) -> dict | list:
        value = self._required(obj, key, path, vid, day)
        if type(value) is not kind:
            problem = f"must be a JSON {_KIND[kind]}, got {describe(value)}"
            raise self._fail(f"{path}.{key}", problem, vid, day)
        return value

    def _label(self, label: object, where: str, vid: int, day: str | None) -> int:
        number = self.columns.labels.get(label) if type(label) is str else None
        if number is None:
            problem = label_problem(label)
            if problem:
                raise self._fail(where, problem, vid, day)
            number = self.columns.labels[label] = len(self.columns.labels)
        return number

    def _seconds(self, value: object, high: int, where: str, vid: int, day: str | None) -> int:
        problem = seconds_problem(value, high)
        if problem:
            raise self._fail(where, problem, vid, day)
        return value

    def _element(self, element: object, path: str, listed: set[int]) -> None:
        if type(element) is not dict:
            problem = f"each element must be a JSON object (one vehicle), got {describe(element)}"
            raise self._fail(path, problem)
        vid = self._vehicle(self._member(element, "vehicle", dict, path), f"{path}.vehicle")
        if vid in listed:
            raise self._fail(
                f"{path}.vehicle.id", f"vehicle {vid} is listed twice in one answer", vid
            )
        listed.add(vid)
        equipment = self.columns.equipment.setdefault(vid, set())
        self._period(element, path, vid, equipment)
        days = self._member(element, "dailyDioUtilisation", list, path, vid)
        self._days(days, path, vid, equipment)

    def _vehicle(self, vehicle: dict, path: str) -> int:
        vid = self._required(vehicle, "id", path, None, None)
        if type(vid) is not int or not 0 <= vid <= INT32_MAX:
            problem = f"a vehicle id must be an integer in 0..{INT32_MAX}, got {describe(vid)}"
            raise self._fail(f"{path}.id", problem)
        if vid not in self.columns.vehicles:
            problem = vehicle_problem(vehicle)
            if problem:
                raise self._fail(f"{path}.{problem[0]}", problem[1], vid)
            self.columns.vehicles[vid] = vehicle
        return vid

    def _period(self, element: dict, path: str, vid: int, equipment: set[int]) -> None:
        present = [key for key in PERIOD_KEYS if key in element]
        if len(present) != 1:
            problem = (
                f"both period-total keys {PERIOD_KEYS[0]!r} and {PERIOD_KEYS[1]!r} are present"
                if present
                else f"neither period-total key {PERIOD_KEYS[0]!r} nor {PERIOD_KEYS[1]!r} is present"
            )
            raise self._fail(f"{path}.{PERIOD_KEYS[0]}", problem + ": one is expected", vid)
        totals = self._member(element, present[0], dict, path, vid)
        cols = self.columns
        for label, seconds in totals.items():
            where = f"{path}.{present[0]}[{describe(label)}]"
            number = self._label(label, where, vid, None)
            cols.period_use.append(self._seconds(seconds, self._period_s, where, vid, None))
            cols.period_vehicle.append(vid)
            cols.period_label.append(number)
            equipment.add(number)

    def _days(self, days: list, path: str, vid: int, equipment: set[int]) -> None:
        """Walk the day elements of a vehicle: all at once when plain, else one by one."""
        cols = self.columns
        plain = plain_days(
            days, vid, self._day_numbers, self._seen_days, cols.labels, self.calendar.day_seconds
        )
        if plain is None:
            for j, day in enumerate(days):
                self._day(day, f"{path}.dailyDioUtilisation[{j}]", vid, equipment)
            return
        self._seen_days.setdefault(vid, set()).update(plain.numbers)
        equipment.update(plain.labels)
        cols.day_use += plain.seconds
        cols.day_label += plain.labels
        cols.day_vehicle += [vid] * len(plain.labels)
        cols.day_day += plain.days
        cols.vd_vehicle += [vid] * len(days)
        cols.vd_day += plain.numbers
        cols.vd_all += plain.all_s
        cols.vd_sum += plain.sums
        self._plain_halves(days, path, vid, plain, equipment)

    def _plain_halves(
        self, days: list, path: str, vid: int, plain: PlainDays, equipment: set[int]
    ) -> None:
        """Walk the half hours of plain day elements, in order."""
        for j, (day, number, text) in enumerate(zip(days, plain.numbers, plain.texts)):
            self._day_halves(day, f"{path}.dailyDioUtilisation[{j}]", vid, number, text, equipment)

    def _day(self, day: object, path: str, vid: int, equipment: set[int]) -> None:
        if type(day) is not dict:
            raise self._fail(path, f"each day must be a JSON object, got {describe(day)}", vid)
        raw = self._required(day, "day", path, vid, None)
        text = raw if type(raw) is str else describe(raw)
        number = self._day_number(raw, f"{path}.day", vid, text)
        high = self.calendar.day_seconds[number]
        all_s = self._required(day, ALL_DIO, path, vid, text)
        all_s = self._seconds(all_s, high, f"{path}.{ALL_DIO}", vid, text)
        totals = self._member(day, DAY_TOTALS, dict, path, vid, text)
        cols, total = self.columns, 0
        for label, seconds in totals.items():
            where = f"{path}.{DAY_TOTALS}[{describe(label)}]"
            number_of_label = self._label(label, where, vid, text)
            total += self._seconds(seconds, high, where, vid, text)
            cols.day_use.append(seconds)
            cols.day_label.append(number_of_label)
            equipment.add(number_of_label)
        cols.day_vehicle.extend([vid] * len(totals))
        cols.day_day.extend([number] * len(totals))
        cols.vd_vehicle.append(vid)
        cols.vd_day.append(number)
        cols.vd_all.append(all_s)
        cols.vd_sum.append(total)
        self._day_halves(day, path, vid, number, text, equipment)

    def _day_halves(
        self, day: dict, path: str, vid: int, number: int, text: str, equipment: set[int]
    ) -> None:
        """Walk the ``usePerHalfHour`` list of a day element (day ``number``, written ``text``)."""
        halves = self._member(day, "usePerHalfHour", list, path, vid, text)
        self._halves(halves, f"{path}.usePerHalfHour", vid, number, text, equipment)

    def _day_number(self, raw: object, where: str, vid: int, text: str) -> int:
        number = self._day_numbers.get(raw) if type(raw) is str else None
        if number is None:
            date = read_day(raw)
            if date is None:
                problem = f"day must be 'dd/MM/yyyy' (or ISO 'yyyy-MM-dd'), got {describe(raw)}"
                raise self._fail(where, problem, vid, text)
            number = (date - self.calendar.first).days
            if not 0 <= number < self.calendar.n_days:
                cal = self.calendar
                problem = f"the day {date.isoformat()} is outside the asked period {cal.period}"
                raise self._fail(where, problem, vid, text)
            self._day_numbers[raw] = number
        seen = self._seen_days.setdefault(vid, set())
        if number in seen:
            raise self._fail(where, f"the day {text} is listed twice for vehicle {vid}", vid, text)
        seen.add(number)
        return number

    def _halves(
        self, halves: list, path: str, vid: int, day: int, text: str, equipment: set[int]
    ) -> None:
        """Walk the half hours of one day element; keep those with use > 0.

        A slot that the clock shows twice (autumn change) may be listed twice for
        one equipment: the first listing is its first occurrence, the second its
        second. A slot listed once there is counted in ``lone_repeats``.
        """
        cols, repeated = self.columns, self.calendar.is_repeated
        rows_before, seen, twice = len(cols.half_use), {}, set()
        for n, half in enumerate(halves):
            slot, number, use = self._half(half, f"{path}[{n}]", vid, day, text)
            key = number * SLOTS_PER_DAY + slot
            row = len(cols.half_use) if use else -1
            if key not in seen:
                seen[key] = row
            elif key in twice or not repeated(day, slot):
                problem = (
                    f"the half hour {half['start']} of {half['libelleEquipement']!r} is "
                    "listed more often than the clock shows it"
                )
                raise self._fail(f"{path}[{n}]", problem, vid, text)
            else:
                twice.add(key)
                if use:
                    cols.half_second.append(row)
            if use:
                cols.half_label.append(number)
                cols.half_slot.append(slot)
                cols.half_use.append(use)
            equipment.add(number)
        if day in self.calendar.gaps:
            cols.lone_repeats += self._lone(seen, twice, day)
        cols.block_vehicle.append(vid)
        cols.block_day.append(day)
        cols.block_rows.append(len(cols.half_use) - rows_before)

    def _lone(self, seen: dict[int, int], twice: set[int], day: int) -> int:
        """How many kept half hours sit on a repeated slot listed only once."""
        return sum(
            1
            for key, row in seen.items()
            if row >= 0 and key not in twice and self.calendar.is_repeated(day, key % SLOTS_PER_DAY)
        )

    def _half(
        self, half: object, where: str, vid: int, day: int, text: str
    ) -> tuple[int, int, int]:
        """Check one half hour; its slot number, label number and seconds of use."""
        if type(half) is not dict or not all(key in half for key in _HALF_KEYS):
            raise self._half_shape(half, where, vid, text)
        start, end, label, use = (half[key] for key in _HALF_KEYS)
        slot = SLOT_OF.get(start) if type(start) is str else None
        if slot is None or slot in self.calendar.gaps.get(day, ()):
            raise self._bad_start(start, f"{where}.start", vid, text)
        if end not in ENDS_OF[slot] and end not in self.calendar.extra_ends.get((day, slot), ()):
            raise self._bad_end(start, end, day, f"{where}.end", vid, text)
        number = self.columns.labels.get(label) if type(label) is str else None
        if number is None:
            number = self._label(label, f"{where}.libelleEquipement", vid, text)
        if type(use) is not int or not 0 <= use <= SLOT_S:
            raise self._fail(f"{where}.useDuration", seconds_problem(use, SLOT_S), vid, text)
        return slot, number, use

    def _half_shape(self, half: object, where: str, vid: int, text: str) -> MalformedResponseError:
        if type(half) is not dict:
            return self._fail(
                where, f"each half hour must be a JSON object, got {describe(half)}", vid, text
            )
        missing = [key for key in _HALF_KEYS if key not in half]
        return self._fail(
            f"{where}.{missing[0]}", f"the required key {missing[0]!r} is missing", vid, text
        )

    def _bad_start(self, start: object, where: str, vid: int, text: str) -> MalformedResponseError:
        if type(start) is str and start in SLOT_OF:
            problem = (
                f"the slot {start} does not exist on that day in {self.calendar.api_tz} "
                "(the clock jumps forward)"
            )
            return self._fail(where, problem, vid, text, hint=_CHECK_TZ)
        problem = (
            f"start must be a half hour 'HH:mm' from '00:00' to '23:30', got {describe(start)}"
        )
        return self._fail(where, problem, vid, text)

    def _bad_end(
        self, start: str, end: object, day: int, where: str, vid: int, text: str
    ) -> MalformedResponseError:
        slot = SLOT_OF[start]
        expected = " or ".join(ENDS_OF[slot] + self.calendar.extra_ends.get((day, slot), ()))
        problem = f"the half hour starting {start} must end {expected}, got {describe(end)}"
        return self._fail(where, problem, vid, text)

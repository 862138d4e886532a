"""The day elements read by the compiled day reader, checked and added as the walk adds them.

:func:`.parse_days_jit.scan_days` reads the shape of an answer's day elements
only; :class:`DayTaker` does with its columns what the walk of each day
element does (:mod:`.parse_walk`, :mod:`.parse_days`): each ``day`` must be a
day of the asked period, listed once per vehicle over all the answers, each
number of seconds within the length of its own day, each label acceptable.
Anything it cannot vouch for raises :class:`GiveUp`, and the answers are then
walked exactly, which names the problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..clock import read_day
from .columns import ints

if TYPE_CHECKING:
    from .days_jit import DayTable
    from .fast import _BulkWalker

__all__ = ["DayTaker", "GiveUp"]


class GiveUp(Exception):
    """The fast path cannot vouch for the payload; it never leaves :mod:`.parse_fast`."""


class DayTaker:
    """The days of one answer (``table``) of the vehicles ``owners`` (one per day list),
    added to a walk.

    Parameters
    ----------
    walker : _BulkWalker
        The walk of the answers, which has just walked this answer without its days.
    owners : list of int
        The vehicle of each day list, in the order of the text.
    table : DayTable
        What the day lists hold.
    """

    def __init__(self, walker: _BulkWalker, owners: list[int], table: DayTable) -> None:
        self.walker, self.owners, self.table = walker, owners, table
        self.vehicle = np.repeat(ints(owners), table.counts)
        self.entry_day = np.repeat(np.arange(len(table.all_s)), table.entry_counts)

    def take(self) -> None:
        """Check the days and add them to the walk's columns and day markers."""
        table, walker = self.table, self.walker
        texts, numbers = self._day_numbers()
        self._check_listed_once(numbers)
        highs = ints(walker.calendar.day_seconds)[numbers]
        if np.any(table.all_s > highs) or np.any(table.seconds > highs[self.entry_day]):
            raise GiveUp
        labels = walker.label_numbers(table.distinct)[table.labels]
        entry_vehicle = self.vehicle[self.entry_day]
        for vid, label in set(zip(entry_vehicle.tolist(), labels.tolist())):
            walker.columns.equipment[vid].add(label)
        sums = np.zeros(len(numbers), dtype=np.int64)
        np.add.at(sums, self.entry_day, table.seconds)
        cols = walker.columns
        cols.day_use += table.seconds.tolist()
        cols.day_label += labels.tolist()
        cols.day_vehicle += entry_vehicle.tolist()
        cols.day_day += numbers[self.entry_day].tolist()
        cols.vd_vehicle += self.vehicle.tolist()
        cols.vd_day += numbers.tolist()
        cols.vd_all += table.all_s.tolist()
        cols.vd_sum += sums.tolist()
        walker.marked_vehicle += self.vehicle.tolist()
        walker.marked_day += numbers.tolist()
        walker.marked_text += [texts[code] for code in table.text_codes.tolist()]

    def _day_numbers(self) -> tuple[list[str], np.ndarray]:
        """The distinct day texts decoded, and each day's number (0 = the period's first)."""
        try:
            texts = [text.decode("ascii") for text in self.table.texts]
        except UnicodeDecodeError:
            raise GiveUp from None
        return texts, ints([self._number(text) for text in texts])[self.table.text_codes]

    def _number(self, text: str) -> int:
        """The day number of a day text, as the walk reads it (and notes it)."""
        known = self.walker.day_numbers
        number = known.get(text)
        if number is None:
            date = read_day(text)
            calendar = self.walker.calendar
            if date is None or not 0 <= (number := (date - calendar.first).days) < calendar.n_days:
                raise GiveUp
            known[text] = number
        return number

    def _check_listed_once(self, numbers: np.ndarray) -> None:
        """Each vehicle lists each day once, over all the answers read so far."""
        seen_days = self.walker.seen_days
        bounds = np.cumsum(self.table.counts)[:-1]
        for vid, days in zip(self.owners, np.split(numbers, bounds)):
            listed = days.tolist()
            seen = seen_days.setdefault(vid, set())
            if len(set(listed)) < len(listed) or not seen.isdisjoint(listed):
                raise GiveUp
            seen.update(listed)

"""The fast path of ``parse_usage``: JSON texts to columns without a Python object per half hour.

The answers' texts are cut apart (:mod:`.parse_spans`): the small rest (vehicles,
period totals, days and their totals) is decoded with orjson and walked by the
exact :class:`.Walker`; the ``usePerHalfHour`` lists, nearly all the bytes, are
read straight from the bytes and checked a column at a time (:mod:`.parse_halves`).
The days of a clock change, whose slots need the exact rules, are walked one half
hour at a time. With numba installed, the lists are read by a compiled pass
(:mod:`.parse_scan_jit`, else :mod:`.parse_scan`), and so are the day elements
(:mod:`.parse_days_jit`, checked and added by :mod:`.parse_fast_days`): only the
vehicles and their period totals are then decoded and walked.

The fast path either gives exactly the columns the exact walk gives, or gives
up: anything it cannot vouch for (an error found, a layout it does not know)
makes :func:`fast_columns` return None, and the caller walks the answers
exactly, which finds and names the first problem as it always does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import methodcaller
from typing import TYPE_CHECKING

import numpy as np
import orjson

from ..errors import MalformedResponseError
from .checks import label_problem
from ..clock import Calendar
from .columns import Columns, HalfRows, ints
from .days import PlainDays
from .decode import answer_label
from .halves import once_per_day, plain_rows_ok
from .scan import HalfHourTable, scan_lists
from .spans import MARK, Lists, cut_half_hours
from .walk import Walker
from .fast_days import DayTaker
from .fast_days import GiveUp as _GiveUp

if TYPE_CHECKING:
    from .days_jit import DayTable

__all__ = ["FastColumns", "day_reader", "fast_columns", "half_hour_reader"]

_HALVES = "usePerHalfHour"
_marker_of = methodcaller("get", _HALVES)


def fast_columns(texts: list[bytes], calendar: Calendar) -> Columns | None:
    """The walk's columns of answers given as JSON texts, or None to walk them exactly.

    Parameters
    ----------
    texts : list of bytes
        The UTF-8 JSON text of each answer.
    calendar : Calendar
        The asked period on ``api_tz``.

    Returns
    -------
    Columns or None
        The same columns as :class:`.Walker` collects from the decoded answers;
        None whenever the answers are malformed or laid out in a way the fast
        path does not read.
    """
    reader = FastColumns(calendar)
    for text in texts:
        reader.feed(text)
    return reader.columns()


class FastColumns:
    """The fast path fed one answer at a time, e.g. as each answer of a fetch arrives.

    Parameters
    ----------
    calendar : Calendar
        The asked period on ``api_tz``.
    """

    def __init__(self, calendar: Calendar) -> None:
        self._walker = _BulkWalker(calendar)
        self._read_lists = half_hour_reader()
        self._read_days = day_reader()
        self._fed = 0
        self._gave_up = False

    def feed(self, text: bytes) -> None:
        """Read one answer's JSON text into the columns (nothing more once the path gave up)."""
        if self._gave_up:
            return
        self._fed += 1
        walker, first = self._walker, self._walker.marked
        try:
            cut = cut_half_hours([text])
            if cut is None:
                raise _GiveUp
            self._walk_rest(cut.rests[0], answer_label(self._fed - 1, self._fed + 1))
            lists = cut.lists[0]
            table = self._read_lists(lists.text, lists.opening, lists.closing)
            if walker.marked - first != len(lists) or table is None:
                raise _GiveUp
            walker.take(lists, table, first)
        except (_GiveUp, MalformedResponseError, orjson.JSONDecodeError):
            self._gave_up = True

    def _walk_rest(self, rest: bytes, label: str) -> None:
        """Walk the rest of an answer: its day lists read compiled when they can be,
        the rest decoded and walked."""
        days = self._read_days(rest) if self._read_days is not None else None
        answer = orjson.loads(rest if days is None else days[0])
        if type(answer) is not list:
            raise _GiveUp
        if days is None:
            self._walker.answer(answer, label)
        else:
            self._walker.answer_with_days(answer, label, days[1])

    def columns(self) -> Columns | None:
        """The columns of every answer fed, or None when the exact walk must read them."""
        return None if self._gave_up else self._walker.columns


@cache
def half_hour_reader() -> Callable[[bytes, np.ndarray, np.ndarray], HalfHourTable | None]:
    """The reader of the half-hour lists: compiled (:mod:`.parse_scan_jit`) when numba
    is installed, else by array operations (:mod:`.parse_scan`). Both give the same
    table, or None for the same texts."""
    try:
        from .scan_jit import scan_lists as compiled
    except ImportError:
        return scan_lists
    return compiled


@cache
def day_reader() -> Callable[[bytes], tuple[bytes, DayTable] | None] | None:
    """The compiled reader of the day lists (:func:`.parse_days_jit.read_day_lists`) when
    numba is installed; None without (the days are then decoded and walked)."""
    try:
        from .days_jit import read_day_lists
    except ImportError:
        return None
    return read_day_lists


def _plain(values: np.ndarray, plain: np.ndarray | None) -> np.ndarray:
    """The entries of rows on days without a clock change (all when ``plain`` is None)."""
    return values if plain is None else values[plain]


class _BulkWalker(Walker):
    """The exact walk of the rest, noting each day's marker instead of walking its half hours.

    ``marked_vehicle``, ``marked_day`` and ``marked_text`` hold, in marker order,
    the vehicle, day number and day text of each day element; :meth:`take` then
    adds their half hours. They are flat lists of ints and strings rather than a
    tuple per day, so that the cyclic garbage collector has nothing new to scan.
    """

    def __init__(self, calendar: Calendar) -> None:
        super().__init__(calendar)
        self.marked_vehicle: list[int] = []
        self.marked_day: list[int] = []
        self.marked_text: list[str] = []
        self._day_lists: list[int] | None = None

    def answer_with_days(self, answer: list, label: str, table: DayTable) -> None:
        """Walk an answer whose day lists were cut out (each left as ``[]``) and read
        into ``table``; then check and add its days as the walk of each would."""
        self._day_lists = []
        try:
            self.answer(answer, label)
            owners = self._day_lists
        finally:
            self._day_lists = None
        if len(owners) != len(table.counts):
            raise _GiveUp
        DayTaker(self, owners, table).take()

    def _days(self, days: list, path: str, vid: int, equipment: set[int]) -> None:
        if self._day_lists is None:
            super()._days(days, path, vid, equipment)
        elif days:
            raise _GiveUp  # a day list that was not cut out
        else:
            self._day_lists.append(vid)

    @property
    def day_numbers(self) -> dict[str, int]:
        """``{day text: day number}`` of the days met so far."""
        return self._day_numbers

    @property
    def seen_days(self) -> dict[int, set[int]]:
        """``{vehicle: day numbers}`` listed so far."""
        return self._seen_days

    @property
    def marked(self) -> int:
        """The number of day elements noted so far (the next marker's number)."""
        return len(self.marked_day)

    def _day_halves(
        self, day: dict, path: str, vid: int, number: int, text: str, equipment: set[int]
    ) -> None:
        if day.get(_HALVES) != MARK:
            raise _GiveUp
        self.marked_vehicle.append(vid)
        self.marked_day.append(number)
        self.marked_text.append(text)

    def _plain_halves(
        self, days: list, path: str, vid: int, plain: PlainDays, equipment: set[int]
    ) -> None:
        if list(map(_marker_of, days)).count(MARK) != len(days):
            raise _GiveUp
        self.marked_vehicle += [vid] * len(days)
        self.marked_day += plain.numbers
        self.marked_text += plain.texts

    def take(self, lists: Lists, table: HalfHourTable, first: int) -> None:
        """Check the half hours of one answer's day elements and add them to the columns.

        Parameters
        ----------
        lists : Lists
            Where the answer's half-hour lists are.
        table : HalfHourTable
            What they hold.
        first : int
            The marker of the answer's first list.
        """
        counts = np.diff(table.offsets)
        end = first + len(counts)
        block_vid = np.array(self.marked_vehicle[first:end], dtype=np.int32)
        block_day = np.array(self.marked_day[first:end], dtype=np.int32)
        changing = np.isin(block_day, list(self.calendar.gaps))
        for k in np.flatnonzero(changing & (counts > 0)).tolist():
            self._walk_list(lists.list_text(k), first + k)
        row_block = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        plain = ~changing[row_block] if changing.any() else None
        row_block = _plain(row_block, plain)
        labels = self.label_numbers(table.distinct)[_plain(table.labels, plain)]
        slots, closed = _plain(table.slots, plain), _plain(table.closes, plain)
        use = _plain(table.use, plain)
        if not (
            plain_rows_ok(slots, closed, use)
            and once_per_day(row_block, labels, slots, len(counts))
        ):
            raise _GiveUp
        self._add_equipment(block_vid, row_block, labels)
        kept = use > 0
        row_block = row_block[kept]
        self.columns.bulk.append(
            HalfRows.of(
                block_vid[row_block], block_day[row_block], labels[kept], slots[kept], use[kept],
                np.zeros(len(row_block), dtype=bool),
            )
        )

    def _walk_list(self, text: bytes, marker: int) -> None:
        """Walk the half hours of one list one by one (a day with a clock change)."""
        vid, number, day_text = (
            self.marked_vehicle[marker], self.marked_day[marker], self.marked_text[marker]
        )
        halves = orjson.loads(text)
        self._halves(halves, _HALVES, vid, number, day_text, self.columns.equipment[vid])

    def label_numbers(self, labels: list[str]) -> np.ndarray:
        """The label number of each distinct label; a blank label gives up."""
        known = self.columns.labels
        for label in labels:
            if label not in known:
                if label_problem(label):
                    raise _GiveUp
                known[label] = len(known)
        return ints([known[label] for label in labels])

    def _add_equipment(
        self, block_vid: np.ndarray, row_block: np.ndarray, labels: np.ndarray
    ) -> None:
        """Add each row's label to its vehicle's equipment, as the exact walk does."""
        distinct, vehicle_of_block = np.unique(block_vid, return_inverse=True)
        seen = np.zeros((len(distinct), len(self.columns.labels)), dtype=bool)
        seen[vehicle_of_block[row_block], labels] = True
        for v, label in zip(*np.nonzero(seen)):
            self.columns.equipment[int(distinct[v])].add(int(label))

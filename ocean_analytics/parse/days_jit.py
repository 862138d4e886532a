"""Reading the day elements of an answer with one compiled pass over the bytes (numba).

Once its half-hour lists are cut out (:mod:`.parse_spans`), a day element is
``{"dailyDurationSecForAllDio":<seconds>,"day":"<ten bytes>",
"dayTotalUsePerEquipement":{"<label>":<seconds>,...},"usePerHalfHour":"\\u0001"}``
with its four keys in some order. Its bytes are fixed except for the day's ten
bytes and two values of varying length, the all-equipment seconds and the
totals object: around those lie three runs of fixed length, learnt (as a
:class:`DayLayout`) from the key order of the answer's first day element.

The ``dailyDioUtilisation`` lists of the answer are cut out in turn, and
:func:`scan_days` reads every day element of them: fixed runs matched byte for
byte, seconds digit by digit (one to five digits, no leading zero), the totals
entry by entry, labels and day texts numbered as they are met. The reading is
strict: anything that does not fit (a space, an escape, a control byte, a
``}`` in a label, a fifth key, a fraction) makes it return None, and the days
are then decoded and walked (:mod:`.parse_days`). It checks the shape only:
:meth:`.parse_fast.FastColumns.feed` checks the values (known days, seconds
within their day, labels) as the walk does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import orjson
from numba import njit

from .days import ALL_DIO, DAY_TOTALS
from .layout import Fixed, Value, fixed_runs
from .scan_jit import compiled_runs, intern, label_end, match_run, read_digits
from .spans import MARKER_TEXT, cut_lists

__all__ = ["DAY_LISTS_KEY", "DayLayout", "DayTable", "read_day_lists", "scan_days"]

DAY_LISTS_KEY = b'"dailyDioUtilisation":['
"""The bytes before each vehicle's list of day elements."""

_DAY, _HALVES = "day", "usePerHalfHour"
_DAY_KEYS = (ALL_DIO, _DAY, DAY_TOTALS, _HALVES)
_DAY_HOLE = ("day0", "day5")
"""The day's ten bytes, as two five-byte holes of a :class:`.Fixed` run."""
_DAY_BYTES = 10
_OPEN, _CLOSE, _QUOTE, _COLON, _COMMA = (ord(c) for c in '{}":,')
_MAX_DIGITS = 5
"""The seconds of a day (at most 90,000) have at most five digits."""


@dataclass(frozen=True)
class DayLayout:
    """The fixed runs of a day element whose half-hour list is cut out, for one key order.

    Attributes
    ----------
    head, middle, tail : Fixed
        The runs before the first value of varying length, between the two, and
        after the second up to the closing ``}`` (excluded); the day's ten bytes
        are a hole.
    all_first : bool
        Whether the all-equipment seconds come before the totals object.
    """

    head: Fixed
    middle: Fixed
    tail: Fixed
    all_first: bool

    @classmethod
    def of(cls, keys: tuple[str, ...]) -> DayLayout | None:
        """The layout for the keys in this order; None unless they are the four day keys."""
        if sorted(keys) != sorted(_DAY_KEYS) or len(keys) != len(_DAY_KEYS):
            return None
        values: dict[str, Value] = {
            ALL_DIO: ([], []), _DAY: [b'"', *_DAY_HOLE, b'"'], DAY_TOTALS: ([], []), _HALVES: [MARKER_TEXT],
        }
        head, middle, tail = fixed_runs(keys, values)
        return cls(head, middle, tail, keys.index(ALL_DIO) < keys.index(DAY_TOTALS))


@dataclass(frozen=True)
class DayTable:
    """The day elements of every cut-out day list, in the order of the text.

    Attributes
    ----------
    counts : numpy.ndarray
        int64 number of day elements of each list.
    texts : list of bytes
        The distinct ``day`` values (ten bytes each, not yet checked as days).
    text_codes : numpy.ndarray
        int64 index of each day's ``day`` in ``texts``.
    all_s : numpy.ndarray
        int64 ``dailyDurationSecForAllDio`` of each day, seconds.
    entry_counts : numpy.ndarray
        int64 number of entries of each day's ``dayTotalUsePerEquipement``.
    labels : numpy.ndarray
        int64 index of each entry's label in ``distinct``, entries in day order.
    distinct : list of str
        The labels of the entries, decoded.
    seconds : numpy.ndarray
        int64 seconds of each entry.
    """

    counts: np.ndarray
    texts: list[bytes]
    text_codes: np.ndarray
    all_s: np.ndarray
    entry_counts: np.ndarray
    labels: np.ndarray
    distinct: list[str]
    seconds: np.ndarray


def scan_days(text: bytes, opening: np.ndarray, closing: np.ndarray) -> DayTable | None:
    """Read the day lists found at ``text[opening[k]:closing[k]]``.

    Parameters
    ----------
    text : bytes
        The JSON text of one answer, its half-hour lists cut out.
    opening, closing : numpy.ndarray
        int64 positions of each day list's ``[`` and just after its ``]``, increasing.

    Returns
    -------
    DayTable or None
        None when a list is not a compact list of day elements laid out like
        the first one, or a label is not UTF-8.
    """
    filled = np.flatnonzero(closing - opening > 2)
    layout = _layout(text, int(opening[filled[0]]) + 1) if len(filled) else DayLayout.of(_DAY_KEYS)
    if layout is None:
        return None
    fixed = layout.head.size + layout.middle.size + layout.tail.size
    out = _Out(len(opening), days=len(text) // (fixed + 4) + 1, entries=len(text) // 6 + 1)
    runs, firsts, sizes, holes = compiled_runs((layout.head, layout.middle, layout.tail), _DAY_HOLE[:1])
    found = _read(np.frombuffer(text, dtype=np.uint8), opening, closing, runs, firsts, sizes,
                  layout.all_first, holes[0], *out.arrays())
    return None if found[0] < 0 else out.table(text, *found)


def read_day_lists(rest: bytes) -> tuple[bytes, DayTable] | None:
    """Cut the ``dailyDioUtilisation`` lists out of an answer's rest and read them.

    Returns
    -------
    tuple of (bytes, DayTable) or None
        The rest with each day list left as ``[]``, and what the lists hold; None
        when they cannot be read so (the days are then decoded with the rest).
    """
    cut, lists = cut_lists(rest, DAY_LISTS_KEY, b"[]")
    table = scan_days(rest, lists.opening, lists.closing)
    return None if table is None else (cut, table)


def _layout(text: bytes, first: int) -> DayLayout | None:
    """The layout of the day element starting at ``first`` (its key order), or None."""
    inner = text.find(b"}", first)
    try:
        day = orjson.loads(text[first : text.find(b"}", inner + 1) + 1])
    except orjson.JSONDecodeError:
        return None
    return DayLayout.of(tuple(day)) if type(day) is dict else None


class _Out:
    """The arrays the compiled pass fills."""

    def __init__(self, n_lists: int, days: int, entries: int) -> None:
        """Room for ``days`` day elements (each holds its fixed runs, a digit, braces and
        a comma) and ``entries`` totals entries (each at least ``"":0,``)."""
        self.counts = np.zeros(n_lists, dtype=np.int64)
        self.day_at, self.day_size, self.text_codes, self.all_s, self.entry_counts = (
            np.empty(days, dtype=np.int64) for _ in range(5)
        )
        self.labels, self.seconds, self.label_at, self.label_size = (
            np.empty(entries, dtype=np.int64) for _ in range(4)
        )

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.counts, self.day_at, self.day_size, self.text_codes, self.all_s, self.entry_counts,
                self.labels, self.seconds, self.label_at, self.label_size)

    def table(self, text: bytes, days: int, entries: int, n_texts: int, n_labels: int) -> DayTable | None:
        """The table of what was found; None when a label is not UTF-8."""
        try:
            distinct = [text[a : a + n].decode("utf-8") for a, n in
                        zip(self.label_at[:n_labels].tolist(), self.label_size[:n_labels].tolist())]
        except UnicodeDecodeError:
            return None
        texts = [text[a : a + _DAY_BYTES] for a in self.day_at[:n_texts].tolist()]
        return DayTable(self.counts, texts, self.text_codes[:days], self.all_s[:days],
                        self.entry_counts[:days], self.labels[:entries], distinct, self.seconds[:entries])


@njit(nogil=True, cache=True)
def _read(data, opening, closing, runs, firsts, sizes, all_first, hole, counts, day_at, day_size, text_codes,
          all_s, entry_counts, labels, seconds, label_at, label_size):  # pragma: no cover - compiled
    """Match every day element of every list and fill the arrays (``day_*``: where each
    distinct day text was first met, and its size; ``label_*``: each distinct label's);
    (days, entries, day texts, labels), or (-1, 0, 0, 0) at a misfit."""
    days, entries, n_texts, n_labels = 0, 0, 0, 0
    run_at = np.zeros(3, dtype=np.int64)
    for k in range(opening.shape[0]):
        at, stop, before = opening[k] + 1, closing[k] - 1, days
        while at < stop:
            first_entry = entries
            run_at[0] = at
            at = match_run(data, at, stop, runs, firsts, sizes, 0)
            if all_first:
                total, at = read_digits(data, at, stop, _MAX_DIGITS)
                run_at[1] = at
                at = match_run(data, at, stop, runs, firsts, sizes, 1)
                at, entries, n_labels = _totals(data, at, stop, entries, n_labels, labels, seconds,
                                                label_at, label_size)
            else:
                at, entries, n_labels = _totals(data, at, stop, entries, n_labels, labels, seconds,
                                                label_at, label_size)
                run_at[1] = at
                at = match_run(data, at, stop, runs, firsts, sizes, 1)
                total, at = read_digits(data, at, stop, _MAX_DIGITS)
            run_at[2] = at
            at = match_run(data, at, stop, runs, firsts, sizes, 2)
            if at < 0 or total < 0 or at >= stop or data[at] != _CLOSE:
                return -1, 0, 0, 0
            at += 1
            if at < stop:
                if data[at] != _COMMA or at + 1 == stop:
                    return -1, 0, 0, 0
                at += 1
            all_s[days] = total
            entry_counts[days] = entries - first_entry
            text_codes[days], n_texts = intern(data, run_at[hole[0]] + hole[1], _DAY_BYTES, day_at, day_size,
                                               n_texts, text_codes[days - 1] if days > before else -1)
            days += 1
        if at != stop:
            return -1, 0, 0, 0
        counts[k] = days - before
    return days, entries, n_texts, n_labels


@njit(nogil=True, cache=True)
def _totals(data, at, stop, entries, n_labels, labels, seconds, label_at, label_size):  # pragma: no cover
    """Read a totals object ``{"<label>":<seconds>,...}`` at ``at``: (the position after
    it, entries so far, labels so far); the position is -1 at a misfit."""
    if at < 0 or at >= stop or data[at] != _OPEN:
        return -1, entries, n_labels
    at += 1
    if at < stop and data[at] == _CLOSE:
        return at + 1, entries, n_labels
    while at < stop:
        if data[at] != _QUOTE:
            return -1, entries, n_labels
        end = label_end(data, at + 1, stop)
        if end < 0 or end + 1 >= stop or data[end + 1] != _COLON:
            return -1, entries, n_labels
        value, after = read_digits(data, end + 2, stop, _MAX_DIGITS)
        if value < 0:
            return -1, entries, n_labels
        labels[entries], n_labels = intern(data, at + 1, end - at - 1, label_at, label_size, n_labels,
                                           labels[entries - 1] if entries > 0 else -1)
        seconds[entries] = value
        entries += 1
        if after < stop and data[after] == _CLOSE:
            return after + 1, entries, n_labels
        if after >= stop or data[after] != _COMMA:
            return -1, entries, n_labels
        at = after + 1
    return -1, entries, n_labels

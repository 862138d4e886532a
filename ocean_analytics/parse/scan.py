"""Reading compact ``usePerHalfHour`` lists straight from the bytes, a column at a time.

The lists cut out of an answer's text (:mod:`.parse_spans`) hold objects laid
out as a :class:`.Layout` says. Every object is found by its closing ``}``,
its fixed runs are compared with the layout as whole 8-byte words, and its
times, label and seconds are read with array operations: no Python object is
made per half hour. The reading is strict: any byte that does not fit the
layout (a space, an escape, a fraction, a fifth key, a label holding a quote
or a control character) makes :func:`scan_lists` return None, so that the
answer is walked exactly instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import orjson
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ..clock import SLOTS_PER_DAY
from .layout import Fixed, Layout

__all__ = ["HalfHourTable", "scan_lists"]

_CLOSE, _COMMA, _ZERO, _THREE = (ord(c) for c in "},03")
_WORD = 8
_MAX_DIGITS = 4
_KEEP = np.array([(1 << (8 * r)) - 1 for r in range(_WORD)] + [2**64 - 1], dtype=np.uint64)
"""``_KEEP[r]``: the mask of the first ``r`` bytes of a little-endian word."""
_MIX = np.uint64(0x9E3779B97F4A7C15)
_TIME_BITS = np.uint64(2**40 - 1)
_TIME_TEXTS = np.array(
    [int.from_bytes(f"{s // 2:02d}:{30 * (s % 2):02d}".encode(), "little") for s in range(48)]
    + [int.from_bytes(b"24:00", "little")],
    dtype=np.uint64,
)
"""The five bytes of each slot's ``HH:mm`` (and of ``24:00``), as little-endian numbers."""
_POWERS = 10 ** np.arange(_MAX_DIGITS, dtype=np.int64)
_GROUP = 4
"""Words of labels read at once (bounds the bytes held per half hour)."""
_FORBIDDEN = re.compile(rb'["\\\x00-\x1f]')
"""A byte a label cannot hold as it stands: a quote, a backslash (escapes are
left to the exact walk) or a control byte."""


class _Misfit(Exception):
    """A byte does not fit the layout; never leaves this module."""


@dataclass(frozen=True)
class HalfHourTable:
    """The half hours of every cut-out list, one entry per half hour in each array.

    Attributes
    ----------
    offsets : numpy.ndarray
        int64, one more than the number of lists: the half hours of list ``k``
        are the rows ``offsets[k]:offsets[k + 1]``.
    labels : numpy.ndarray
        int64 index of each row's label in ``distinct``.
    distinct : list of str
        The labels, decoded.
    slots, closes : numpy.ndarray
        int64 slot (0..47) that ``start`` names and that ``end`` closes on a day
        without a clock change (``"00:00"`` and ``"24:00"`` close 47); -1 where
        the text is no such time.
    use : numpy.ndarray
        int64 ``useDuration``, seconds.
    """

    offsets: np.ndarray
    labels: np.ndarray
    distinct: list[str]
    slots: np.ndarray
    closes: np.ndarray
    use: np.ndarray


def scan_lists(text: bytes, opening: np.ndarray, closing: np.ndarray) -> HalfHourTable | None:
    """Read the half-hour lists found at ``text[opening[k]:closing[k]]``.

    Parameters
    ----------
    text : bytes
        The JSON text of one answer.
    opening, closing : numpy.ndarray
        int64 positions of each list's ``[`` and just after its ``]``, increasing.

    Returns
    -------
    HalfHourTable or None
        None when a list is not a compact list of half-hour objects laid out
        like the first one.
    """
    data = np.frombuffer(text, dtype=np.uint8)
    offsets = np.zeros(len(opening) + 1, dtype=np.int64)
    try:
        if len(opening):
            ends, lists = _object_ends(data, opening, closing)
            starts = _object_starts(data, ends, lists, opening, closing)
            np.cumsum(np.bincount(lists, minlength=len(opening)), out=offsets[1:])
            if len(ends):
                return _read(data, _layout(text, starts, ends), starts, ends, offsets)
        empty = np.zeros(0, dtype=np.int64)
        return HalfHourTable(offsets, empty, [], empty, empty, empty)
    except _Misfit:
        return None


def _object_ends(
    data: np.ndarray, opening: np.ndarray, closing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every ``}`` inside a list, and the number of its list."""
    found = np.flatnonzero(data == _CLOSE)
    lists = np.searchsorted(opening, found, side="right") - 1
    inside = (lists >= 0) & (found < closing[np.maximum(lists, 0)])
    return found[inside], lists[inside]


def _object_starts(
    data: np.ndarray, ends: np.ndarray, lists: np.ndarray, opening: np.ndarray, closing: np.ndarray
) -> np.ndarray:
    """Where each object starts, checking that the objects tile their lists.

    The first object of a list starts just after its ``[``, the next ones two
    bytes after the previous ``}`` (a comma between), and the last ends just
    before the ``]``; a list without objects is ``[]``.
    """
    starts = np.empty_like(ends)
    starts[1:] = ends[:-1] + 2
    first = np.ones(len(ends), dtype=bool)
    first[1:] = lists[1:] != lists[:-1]
    starts[first] = opening[lists[first]] + 1
    last = np.ones(len(ends), dtype=bool)
    last[:-1] = first[1:]
    counts = np.bincount(lists, minlength=len(opening))
    if (
        np.any(data[ends[~last] + 1] != _COMMA)
        or np.any(ends[last] + 2 != closing[lists[last]])
        or np.any(closing[counts == 0] - opening[counts == 0] != 2)
    ):
        raise _Misfit
    return starts


def _layout(text: bytes, starts: np.ndarray, ends: np.ndarray) -> Layout:
    """The layout of the first object (its key order); every object must follow it."""
    try:
        first = orjson.loads(text[starts[0] : ends[0] + 1])
    except orjson.JSONDecodeError:
        raise _Misfit from None
    layout = Layout.of(tuple(first)) if type(first) is dict else None
    if layout is None or np.any(ends - starts + 1 < layout.least_size):
        raise _Misfit
    return layout


def _read(
    data: np.ndarray, layout: Layout, starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray
) -> HalfHourTable:
    """Check every object against the layout and read its values."""
    tail_at = ends - layout.tail.size
    if layout.label_first:
        use, digits = _seconds(data, tail_at - 1, from_end=True)
        middle_at = tail_at - digits - layout.middle.size
        label_at, label_end = starts + layout.head.size, middle_at
    else:
        use, digits = _seconds(data, starts + layout.head.size, from_end=False)
        middle_at = starts + layout.head.size + digits
        label_at, label_end = middle_at + layout.middle.size, tail_at
    times: dict[str, np.ndarray] = {}
    for fixed, at in ((layout.head, starts), (layout.middle, middle_at), (layout.tail, tail_at)):
        if fixed.size:
            times.update(_fixed(data, fixed, at))
    labels, distinct = _labels(data, label_at, label_end - label_at)
    slots = _clock(times["start"])
    slots[slots == SLOTS_PER_DAY] = -1
    closes = _clock(times["end"])
    closes = np.where(closes >= 0, (closes - 1) % SLOTS_PER_DAY, -1)
    return HalfHourTable(offsets, labels, distinct, slots, closes, use)


def _windows(data: np.ndarray, at: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes from each position, one row each (zeros past the end)."""
    if int(at.max()) + width > len(data):
        data = np.concatenate([data, np.zeros(width, dtype=np.uint8)])
    return sliding_window_view(data, width)[at]


def _fixed(data: np.ndarray, fixed: Fixed, at: np.ndarray) -> dict[str, np.ndarray]:
    """Check a fixed run at each position; the five bytes of each of its times, as
    one little-endian number."""
    words = _windows(data, at, fixed.width + _WORD).view(np.uint64)
    for j in range(len(fixed.pattern)):
        if np.any((words[:, j] & fixed.mask[j]) != fixed.pattern[j]):
            raise _Misfit
    times = {}
    for key, offset in fixed.holes.items():
        word, shift = divmod(offset, _WORD)
        low = words[:, word] >> np.uint64(8 * shift)
        high = words[:, word + 1] << np.uint64(64 - 8 * shift) if shift else 0
        times[key] = (low | high) & _TIME_BITS
    return times


def _seconds(data: np.ndarray, at: np.ndarray, *, from_end: bool) -> tuple[np.ndarray, np.ndarray]:
    """The seconds written from (or, ``from_end``, up to) each position, and their digit count.

    One to four digits without a leading zero, else the object is a misfit.
    """
    width = _MAX_DIGITS + 1
    rows = _windows(data, at - width + 1 if from_end else at, width)
    digits = ((rows[:, ::-1] if from_end else rows) - np.uint8(_ZERO)).T
    run = np.ones(len(at), dtype=bool)
    count = np.zeros(len(at), dtype=np.int64)
    use = np.zeros(len(at), dtype=np.int64)
    for j in range(_MAX_DIGITS):
        run &= digits[j] < 10
        count += run
        if from_end:
            use += run * (digits[j] * _POWERS[j])
        else:
            use = np.where(run, use * 10 + digits[j], use)
    if count.min() < 1 or np.any(run & (digits[_MAX_DIGITS] < 10)):
        raise _Misfit
    if np.any((count > 1) & (use < _POWERS[count - 1])):
        raise _Misfit
    return use, count


def _labels(data: np.ndarray, at: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each label as an index into the distinct labels, and those decoded.

    The labels are read 8 bytes at a time as words, hashed to group them, and
    each checked equal to its group's first (so that a hash collision cannot
    merge two labels); the first of each group is then checked for a quote, a
    backslash or a control byte, and decoded as UTF-8.
    """
    if size.min() < 0:
        raise _Misfit
    words, digest = [], size.astype(np.uint64)
    n_words = -(-int(size.max()) // _WORD)
    for group in range(0, n_words, _GROUP):
        width = _WORD * min(_GROUP, n_words - group)
        rows = _windows(data, np.where(size > _WORD * group, at + _WORD * group, 0), width)
        for j, word in enumerate(rows.view(np.uint64).T, start=group):
            word = word & _KEEP[np.clip(size - _WORD * j, 0, _WORD)]
            words.append(word)
            digest = (digest ^ word) * _MIX
    codes, _ = pd.factorize(digest)
    codes = codes.astype(np.int64)
    first = np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]])
    if any(not np.array_equal(w, w[first][codes]) for w in (size, *words)):
        raise _Misfit
    distinct = [bytes(data[a : a + n]) for a, n in zip(at[first], size[first])]
    if any(_FORBIDDEN.search(label) for label in distinct):
        raise _Misfit
    try:
        return codes, [label.decode("utf-8") for label in distinct]
    except UnicodeDecodeError:
        raise _Misfit from None


def _clock(times: np.ndarray) -> np.ndarray:
    """The slot each five-byte ``HH:mm`` (as a number) names: 0..47, 48 for ``24:00``,
    -1 for any other text.

    The slot is worked out from the hour and the minutes' first digit, then the
    text of that slot compared with the five bytes, so nothing else can pass.
    """
    tens, units, half_tens = (
        ((times >> np.uint64(8 * k)) & np.uint64(0xFF)).view(np.int64) for k in (0, 1, 3)
    )
    slots = np.clip((tens - _ZERO) * 20 + (units - _ZERO) * 2 + (half_tens == _THREE), 0, 48)
    return np.where(_TIME_TEXTS[slots] == times, slots, -1)

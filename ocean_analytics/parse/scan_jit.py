"""Reading compact ``usePerHalfHour`` lists with one compiled pass over the bytes (numba).

The same reading as :mod:`.parse_scan`, object after object instead of column
after column: each object is matched against the :class:`.Layout` learnt from
the first one, its label read up to its closing quote, its seconds digit by
digit, its two times kept as five-byte numbers; labels are numbered as they are
met. The loop is compiled by numba and runs without holding the interpreter
lock, so a fetch's HTTP threads go on while it reads. Its result is the
:class:`.HalfHourTable` that :func:`.parse_scan.scan_lists` gives, or None where
anything does not fit (a space, an escape, a control byte, a fifth key, a
fraction, a leading zero, an object cut short).

This module imports numba: :func:`.parse_fast.half_hour_reader` uses it when
numba is installed (``pip install "ocean-analytics[fast]"``) and falls back on
:mod:`.parse_scan` otherwise.
"""

from __future__ import annotations

import numpy as np
import orjson
from numba import njit

from ..clock import SLOTS_PER_DAY
from .layout import Fixed, Layout
from .scan import HalfHourTable

__all__ = ["compiled_runs", "intern", "label_end", "match_run", "read_digits", "scan_lists"]

_QUOTE, _BACKSLASH, _COMMA, _CLOSE, _COLON, _ZERO, _THREE, _NINE = (ord(c) for c in '"\\,}:039')
_MAX_DIGITS = 4
_SLOTS = SLOTS_PER_DAY
_TIMES = ("start", "end")


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
        As :func:`.parse_scan.scan_lists`: None when a list is not a compact list
        of half-hour objects laid out like the first one.
    """
    data = np.frombuffer(text, dtype=np.uint8)
    offsets = np.zeros(len(opening) + 1, dtype=np.int64)
    filled = np.flatnonzero(closing - opening > 2)
    if not len(filled):
        empty = np.zeros(0, dtype=np.int64)
        return HalfHourTable(offsets, empty, [], empty, empty, empty)
    layout = _layout(text, int(opening[filled[0]]) + 1)
    if layout is None:
        return None
    rows = _Rows(len(text) // layout.least_size + 1)
    runs, firsts, sizes, holes = compiled_runs((layout.head, layout.middle, layout.tail), _TIMES)
    found, n_distinct = _read(
        data, opening, closing, runs, firsts, sizes, layout.label_first, holes,
        offsets[1:], rows.slots, rows.closes, rows.use, rows.codes, rows.distinct_at, rows.distinct_size,
    )
    if found < 0:
        return None
    np.cumsum(offsets[1:], out=offsets[1:])
    return rows.table(text, found, n_distinct, offsets)


class _Rows:
    """The arrays the compiled pass fills, one entry per object (``capacity`` at most)."""

    def __init__(self, capacity: int) -> None:
        self.slots = np.empty(capacity, dtype=np.int64)
        self.closes = np.empty(capacity, dtype=np.int64)
        self.use = np.empty(capacity, dtype=np.int64)
        self.codes = np.empty(capacity, dtype=np.int64)
        self.distinct_at = np.empty(capacity, dtype=np.int64)
        self.distinct_size = np.empty(capacity, dtype=np.int64)

    def table(self, text: bytes, found: int, n_distinct: int, offsets: np.ndarray) -> HalfHourTable | None:
        """The table of the first ``found`` objects; None when a label is not UTF-8."""
        try:
            distinct = [
                text[a : a + n].decode("utf-8")
                for a, n in zip(self.distinct_at[:n_distinct].tolist(), self.distinct_size[:n_distinct].tolist())
            ]
        except UnicodeDecodeError:
            return None
        return HalfHourTable(
            offsets, self.codes[:found], distinct, self.slots[:found], self.closes[:found], self.use[:found]
        )


def _layout(text: bytes, first: int) -> Layout | None:
    """The layout of the object starting at ``first`` (its key order), or None."""
    try:
        keys = orjson.loads(text[first : text.find(b"}", first) + 1])
    except orjson.JSONDecodeError:
        return None
    return Layout.of(tuple(keys)) if type(keys) is dict else None


def compiled_runs(
    fixed: tuple[Fixed, ...], holes: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fixed runs as the compiled passes match them: their bytes one after another as
    int16 (-1 in a hole), where each run starts, its size, and ``(run, offset)`` of
    each named hole."""
    literal = np.concatenate([f.pattern.view(np.uint8)[: f.size] for f in fixed]).astype(np.int16)
    masks = np.concatenate([f.mask.view(np.uint8)[: f.size] for f in fixed])
    sizes = np.array([f.size for f in fixed], dtype=np.int64)
    firsts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    places = np.array(
        [next((r, f.holes[key]) for r, f in enumerate(fixed) if key in f.holes) for key in holes],
        dtype=np.int64,
    )
    return np.where(masks != 0, literal, np.int16(-1)).astype(np.int16), firsts, sizes, places


@njit(nogil=True, cache=True)
def _read(data, opening, closing, runs, firsts, sizes, label_first, holes,
          counts, slots, closes, use, codes, distinct_at, distinct_size):  # pragma: no cover - compiled
    """Match every object of every list and fill the arrays (``slots``, ``closes``: as
    :class:`.HalfHourTable` says; ``distinct_*``: where each distinct label was first
    met); (objects, distinct labels), or (-1, 0) at a misfit."""
    found, n_distinct = 0, 0
    run_at = np.zeros(3, dtype=np.int64)
    for k in range(opening.shape[0]):
        at, stop, before = opening[k] + 1, closing[k] - 1, found
        while at < stop:
            run_at[0] = at
            at = match_run(data, at, stop, runs, firsts, sizes, 0)
            if label_first:
                label, at = at, label_end(data, at, stop)
                run_at[1] = at
                at = match_run(data, at, stop, runs, firsts, sizes, 1)
                seconds, at = read_digits(data, at, stop, _MAX_DIGITS)
            else:
                seconds, at = read_digits(data, at, stop, _MAX_DIGITS)
                run_at[1] = at
                at = match_run(data, at, stop, runs, firsts, sizes, 1)
                label, at = at, label_end(data, at, stop)
            if at < 0 or seconds < 0:
                return -1, 0
            label_stop = at if not label_first else run_at[1]
            run_at[2] = at
            at = match_run(data, at, stop, runs, firsts, sizes, 2)
            if at < 0 or at >= stop or data[at] != _CLOSE:
                return -1, 0
            at += 1
            if at < stop:
                if data[at] != _COMMA:
                    return -1, 0
                at += 1
                if at == stop:
                    return -1, 0
            start_at, end_at = run_at[holes[0, 0]] + holes[0, 1], run_at[holes[1, 0]] + holes[1, 1]
            if _holds_brace(data, start_at) or _holds_brace(data, end_at):
                return -1, 0  # parse_scan finds objects by their }: decline what it declines
            slot = _slot(data, start_at)
            slots[found] = slot if slot < _SLOTS else -1
            close = _slot(data, end_at)
            closes[found] = (close - 1) % _SLOTS if close >= 0 else -1
            use[found] = seconds
            code, n_distinct = intern(data, label, label_stop - label, distinct_at, distinct_size, n_distinct,
                                       codes[found - 1] if found > before else -1)
            codes[found] = code
            found += 1
        if at != stop:
            return -1, 0
        counts[k] = found - before
    return found, n_distinct


@njit(nogil=True, cache=True)
def match_run(data, at, stop, runs, firsts, sizes, run):  # pragma: no cover - compiled
    """The position after fixed run ``run`` matched at ``at``, or -1."""
    size, first = sizes[run], firsts[run]
    if at < 0 or at + size > stop:
        return -1
    for j in range(size):
        expected = runs[first + j]
        if expected >= 0 and data[at + j] != expected:
            return -1
    return at + size


@njit(nogil=True, cache=True)
def label_end(data, at, stop):  # pragma: no cover - compiled
    """The position of the quote closing a label that starts at ``at``, or -1 for a
    backslash, a control byte, a ``}`` (which :mod:`.parse_scan` takes for the end of
    an object: both readers decline the same texts) or no quote before ``stop``."""
    if at < 0:
        return -1
    while at < stop:
        byte = data[at]
        if byte == _QUOTE:
            return at
        if byte == _BACKSLASH or byte == _CLOSE or byte < 32:
            return -1
        at += 1
    return -1


@njit(nogil=True, cache=True)
def read_digits(data, at, stop, most):  # pragma: no cover - compiled
    """(The whole number of one to ``most`` digits at ``at``, without a leading zero; the
    position after it), or (-1, -1)."""
    if at < 0:
        return -1, -1
    value, count = 0, 0
    while at + count < stop and _ZERO <= data[at + count] <= _NINE:
        value = value * 10 + (data[at + count] - _ZERO)
        count += 1
        if count > most:
            return -1, -1
    if count == 0 or (count > 1 and data[at] == _ZERO):
        return -1, -1
    return value, at + count


@njit(nogil=True, cache=True)
def _holds_brace(data, at):  # pragma: no cover - compiled
    """Whether the five bytes of a time at ``at`` hold a ``}``."""
    for j in range(5):
        if data[at + j] == _CLOSE:
            return True
    return False


@njit(nogil=True, cache=True)
def _slot(data, at):  # pragma: no cover - compiled
    """The slot the five bytes ``HH:mm`` at ``at`` name: 0..47, 48 for ``24:00``, -1 for
    any other text (a slot's own text only: ``08:00``, not ``8:00`` nor ``08:15``)."""
    tens, units, colon, half, zero = data[at], data[at + 1], data[at + 2], data[at + 3], data[at + 4]
    if not (_ZERO <= tens <= _NINE and _ZERO <= units <= _NINE) or colon != _COLON or zero != _ZERO:
        return -1
    if half != _ZERO and half != _THREE:
        return -1
    slot = ((tens - _ZERO) * 10 + (units - _ZERO)) * 2 + (1 if half == _THREE else 0)
    return slot if slot <= _SLOTS else -1


@njit(nogil=True, cache=True)
def intern(data, at, size, distinct_at, distinct_size, n_distinct, previous):  # pragma: no cover - compiled
    """The number of the bytes ``data[at:at + size]`` (a label) among those met, whose
    places and sizes ``distinct_at`` and ``distinct_size`` hold, adding them if new;
    ``previous`` (the number of the previous object's) is tried first.
    (number, how many are known now)."""
    if previous >= 0 and same_bytes(data, at, size, distinct_at[previous], distinct_size[previous]):
        return previous, n_distinct
    for code in range(n_distinct):
        if same_bytes(data, at, size, distinct_at[code], distinct_size[code]):
            return code, n_distinct
    distinct_at[n_distinct] = at
    distinct_size[n_distinct] = size
    return n_distinct, n_distinct + 1


@njit(nogil=True, cache=True)
def same_bytes(data, a, a_size, b, b_size):  # pragma: no cover - compiled
    """Whether ``data[a:a + a_size]`` and ``data[b:b + b_size]`` are the same bytes."""
    if a_size != b_size:
        return False
    for j in range(a_size):
        if data[a + j] != data[b + j]:
            return False
    return True

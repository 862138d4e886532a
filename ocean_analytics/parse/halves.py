"""Checks of many half hours at once, on days without a clock change.

Each function answers, for whole columns, a question the exact walk asks of
one half hour at a time (:meth:`.Walker._half` and :meth:`.Walker._halves`):
is ``start`` a slot, does ``end`` close that slot, are the seconds in
0..1800, is no slot of one equipment listed twice in a day. Days on which the
clock changes are left to the exact walk.
"""

from __future__ import annotations

import numpy as np

from ..clock import SLOT_S, SLOTS_PER_DAY

__all__ = ["once_per_day", "plain_rows_ok"]

_MAX_FLAGS = 16 * 2**20
"""The largest table of flags :func:`once_per_day` makes (16 MB); past it, it sorts."""


def plain_rows_ok(slots: np.ndarray, closed: np.ndarray, use: np.ndarray) -> bool:
    """Whether every row has a real slot, an ``end`` closing it and 0..1800 seconds.

    Parameters
    ----------
    slots, closed : numpy.ndarray
        Per row, the slot ``start`` names and the slot ``end`` closes (-1: none).
    use : numpy.ndarray
        Per row, ``useDuration`` (seconds).
    """
    if not len(use):
        return True
    return bool(
        slots.min() >= 0
        and np.array_equal(slots, closed)
        and use.min() >= 0
        and use.max() <= SLOT_S
    )


def once_per_day(blocks: np.ndarray, labels: np.ndarray, slots: np.ndarray, n_blocks: int) -> bool:
    """Whether no day element lists one equipment's slot twice.

    Parameters
    ----------
    blocks : numpy.ndarray
        Per row, the number of its day element (0 .. ``n_blocks - 1``).
    labels, slots : numpy.ndarray
        Per row, its label number and slot.
    n_blocks : int
        The number of day elements.

    Each row marks its (day element, slot, label) cell in a table of flags
    when that table is small enough; otherwise the cells are sorted.
    """
    if not len(labels):
        return True
    n_labels = int(labels.max()) + 1
    cells = (blocks * SLOTS_PER_DAY + slots) * n_labels + labels
    size = n_blocks * SLOTS_PER_DAY * n_labels
    if size > _MAX_FLAGS:
        return bool(np.all(np.diff(np.sort(cells)) > 0))
    flags = np.zeros(size, dtype=bool)
    flags[cells] = True
    return int(np.count_nonzero(flags)) == len(cells)

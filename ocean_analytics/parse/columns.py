"""What the walk of the answers collects: plain columns, labels as numbers.

Day numbers count from the calendar's first day; label numbers index
``Columns.labels`` in order of first appearance; seconds are as the API sent
them. The half hours come from two sources that :meth:`Columns.half_rows`
puts together: those walked one by one, stored in blocks (one block per day
element) so that their vehicle and day are repeated only at the end, and
those checked in bulk by the fast path, already one row each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Columns", "HalfRows", "ints"]


def ints(values: list[int] | np.ndarray) -> np.ndarray:
    """Ints (a list or an array) as an int64 array, also when empty."""
    return np.asarray(values, dtype=np.int64)


@dataclass(frozen=True)
class HalfRows:
    """Half hours with use > 0, one entry per half hour in each array.

    The arrays are as small as their values allow (16 bytes a row), so that
    putting the answers' rows together and sorting them moves little memory.

    Attributes
    ----------
    vehicle, day, label : numpy.ndarray
        int32 vehicle ids (the walk checks they are in 0..2**31-1), day numbers
        and label numbers.
    slot : numpy.ndarray
        int8 slots, 0..47.
    use : numpy.ndarray
        int16 seconds of use, 1..1800.
    second : numpy.ndarray
        bool: the half hour is the second occurrence of a slot the clock shows
        twice (winter time, after an autumn change).
    """

    vehicle: np.ndarray
    day: np.ndarray
    label: np.ndarray
    slot: np.ndarray
    use: np.ndarray
    second: np.ndarray

    @classmethod
    def of(cls, vehicle: ArrayLike, day: ArrayLike, label: ArrayLike, slot: ArrayLike,
           use: ArrayLike, second: ArrayLike) -> HalfRows:
        """Rows from any int sequences (already checked), in the compact dtypes."""
        return cls(*(np.asarray(values, dtype=dtype) for values, dtype in zip(
            (vehicle, day, label, slot, use, second), _DTYPES)))

    @classmethod
    def concat(cls, parts: list[HalfRows]) -> HalfRows:
        """The rows of several parts, one after another, in new arrays."""
        names = ("vehicle", "day", "label", "slot", "use", "second")
        return cls(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))


_DTYPES = (np.int32, np.int32, np.int32, np.int8, np.int16, np.bool_)
"""The dtypes of :class:`HalfRows`' arrays, in field order."""


@dataclass
class Columns:
    """What the walk collected: one list entry per observation, labels as numbers."""

    labels: dict[str, int] = field(default_factory=dict)
    vehicles: dict[int, dict] = field(default_factory=dict)
    equipment: dict[int, set[int]] = field(default_factory=dict)
    day_vehicle: list[int] = field(default_factory=list)
    day_day: list[int] = field(default_factory=list)
    day_label: list[int] = field(default_factory=list)
    day_use: list[int] = field(default_factory=list)
    vd_vehicle: list[int] = field(default_factory=list)
    vd_day: list[int] = field(default_factory=list)
    vd_all: list[int] = field(default_factory=list)
    vd_sum: list[int] = field(default_factory=list)
    period_vehicle: list[int] = field(default_factory=list)
    period_label: list[int] = field(default_factory=list)
    period_use: list[int] = field(default_factory=list)
    block_vehicle: list[int] = field(default_factory=list)
    block_day: list[int] = field(default_factory=list)
    block_rows: list[int] = field(default_factory=list)
    half_label: list[int] = field(default_factory=list)
    half_slot: list[int] = field(default_factory=list)
    half_use: list[int] = field(default_factory=list)
    half_second: list[int] = field(default_factory=list)
    bulk: list[HalfRows] = field(default_factory=list)
    lone_repeats: int = 0

    def half_rows(self) -> HalfRows:
        """Every half hour with use > 0: the walked blocks, then the bulk rows."""
        counts = ints(self.block_rows)
        second = np.zeros(len(self.half_use), dtype=bool)
        second[ints(self.half_second)] = True
        walked = HalfRows.of(
            np.repeat(ints(self.block_vehicle), counts),
            np.repeat(ints(self.block_day), counts),
            self.half_label,
            self.half_slot,
            self.half_use,
            second,
        )
        return HalfRows.concat([walked, *self.bulk])

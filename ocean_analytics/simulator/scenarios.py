"""Things worth finding in a fleet, each a setting and off by default.

- :class:`StuckInput`: an input stuck on, so its equipment reads as used every second
  of some days (a wiring fault, a switch left on).
- Holidays (``SimulatorConfig.holidays``): days on which most of the fleet rests.
- Idle vehicles (``SimulatorConfig.idle_vehicles``): machines that never use their
  equipment, e.g. the spare machines of a site with more than it uses.

Each leaves every other vehicle-day exactly as it was: a setting changes only what
it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clock import SLOT_S, DayGrid

__all__ = ["StuckInput", "stuck_cells", "apply_stuck"]


@dataclass(frozen=True)
class StuckInput:
    """An input stuck on from ``first`` to ``last`` (both included, days on the clock).

    Parameters
    ----------
    vehicle_id : int
        The vehicle.
    equipment : str
        The label of its equipment, as the customer writes it (one of ``Vehicle.equipment``).
    first, last : datetime.date
        The first and last day it is stuck on.
    """

    vehicle_id: int
    equipment: str
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        """Raise ``TypeError`` or ``ValueError`` naming the field that is wrong."""
        if isinstance(self.vehicle_id, bool) or not isinstance(self.vehicle_id, int):
            raise TypeError(f"StuckInput.vehicle_id must be an int, got {self.vehicle_id!r}")
        if not isinstance(self.equipment, str) or not self.equipment:
            raise TypeError(f"StuckInput.equipment must be an equipment label, got {self.equipment!r}")
        for name in ("first", "last"):
            value = getattr(self, name)
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise TypeError(f"StuckInput.{name} must be a datetime.date, got {value!r}")
        if self.last < self.first:
            raise ValueError(f"StuckInput.last {self.last} comes before first {self.first}")


def stuck_cells(
    stuck: Sequence[StuckInput], vehicles: Sequence, grids: Sequence[DayGrid]
) -> list[tuple[int, int, int]]:
    """(vehicle row, day row, equipment index) of every stuck equipment-day of an answer."""
    rows = {v.id: (i, v.equipment) for i, v in enumerate(vehicles)}
    cells = []
    for item in stuck:
        if item.vehicle_id not in rows:
            continue
        row, labels = rows[item.vehicle_id]
        equipment = labels.index(item.equipment)
        cells += [(row, d, equipment) for d, grid in enumerate(grids) if item.first <= grid.day <= item.last]
    return cells


def apply_stuck(
    seconds: np.ndarray,
    union_s: np.ndarray | None,
    cells: list[tuple[int, int, int]],
    grids: Sequence[DayGrid],
    recorded: tuple[np.ndarray, np.ndarray] | None,
) -> None:
    """Make each stuck equipment-day used every second the box recorded (in place).

    Parameters
    ----------
    seconds : numpy.ndarray
        (vehicles, days, 3, 50) seconds of use per slot, changed in place.
    union_s : numpy.ndarray or None
        (vehicles, days) seconds when any equipment was on; becomes the recorded length.
    cells : list of (int, int, int)
        From :func:`stuck_cells`.
    grids : sequence of DayGrid
        The days.
    recorded : (lo, hi) of numpy.ndarray, optional
        When the boxes recorded (elapsed seconds of each day); None: the whole day.
    """
    for v, d, e in cells:
        length = grids[d].length_s
        lo, hi = (0, length) if recorded is None else (int(recorded[0][v, d]), int(recorded[1][v, d]))
        starts = np.arange(seconds.shape[3]) * SLOT_S
        seconds[v, d, e] = np.clip(np.minimum(starts + SLOT_S, hi) - np.maximum(starts, lo), 0, SLOT_S)
        if union_s is not None:
            union_s[v, d] = hi - lo

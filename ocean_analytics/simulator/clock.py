"""The half-hour slots of a day on the answer's clock (UTC or a local zone).

Times inside a day are counted two ways: *wall* seconds (what the clock on the wall
reads, 0 to 86,400) and *elapsed* seconds since local midnight (what really passed).
They differ only after a daylight-saving change: on Europe/Paris's spring day the
wall jumps from 02:00 to 03:00 (the day lasts 82,800 s, 46 slots); in autumn it
goes back from 03:00 to 02:00 (90,000 s, 50 slots, 02:00 and 02:30 twice: first the
summer-time slot, then the winter-time one). Slots are 1,800 elapsed seconds each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["DayGrid", "day_grid", "SLOT_S", "NO_CHANGE_S"]

SLOT_S = 1800
NO_CHANGE_S = 10**6
"""``change_s`` of a day without a clock change: later than any second of a day."""


@dataclass(frozen=True)
class DayGrid:
    """The slots of one day on one clock.

    Parameters
    ----------
    day : datetime.date
        The calendar day on the clock.
    length_s : int
        Elapsed seconds from local midnight to the next (86,400 on most days).
    change_s : int
        Elapsed (equal to wall) second at which the clock changes, or
        :data:`NO_CHANGE_S`.
    shift_s : int
        ``length_s - 86400``: -3,600 on a spring change, +3,600 in autumn.
    starts, ends : tuple of str
        ``HH:mm`` wall time of each slot's start, and that plus 30 minutes.
    midnight_s : int
        POSIX seconds (UTC) of the day's local midnight.
    """

    day: dt.date
    length_s: int
    change_s: int
    shift_s: int
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    midnight_s: int

    @property
    def n_slots(self) -> int:
        """Number of half-hour slots of the day (46, 48 or 50 on Europe/Paris)."""
        return len(self.starts)


@lru_cache(maxsize=8192)
def day_grid(day: dt.date, clock: str) -> DayGrid:
    """The slots of ``day`` on ``clock``.

    Parameters
    ----------
    day : datetime.date
        A calendar day.
    clock : str
        IANA zone name (``"UTC"``, ``"Europe/Paris"``...).

    Returns
    -------
    DayGrid

    Raises
    ------
    ValueError
        When the zone's day is not a whole number of half hours long.
    """
    zone = ZoneInfo(clock)
    midnight = dt.datetime.combine(day, dt.time(), zone).timestamp()
    length = round(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).timestamp() - midnight)
    if length % SLOT_S:
        raise ValueError(f"clock {clock!r}: {day} lasts {length} s, not a whole number of half hours")
    shift = length - 86_400
    change = _change_second(midnight, length, zone) if shift else NO_CHANGE_S
    walls = [e if e < change else e - shift for e in range(0, length, SLOT_S)]
    return DayGrid(
        day=day,
        length_s=length,
        change_s=change,
        shift_s=shift,
        starts=tuple(_hhmm(w) for w in walls),
        ends=tuple(_hhmm(w + SLOT_S) for w in walls),
        midnight_s=round(midnight),
    )


def _change_second(midnight: float, length: int, zone: ZoneInfo) -> int:
    """First slot boundary (elapsed seconds) whose UTC offset differs from midnight's."""
    before = dt.datetime.fromtimestamp(midnight, zone).utcoffset()
    for elapsed in range(SLOT_S, length, SLOT_S):
        if dt.datetime.fromtimestamp(midnight + elapsed, zone).utcoffset() != before:
            return elapsed
    return NO_CHANGE_S


def _hhmm(wall_s: int) -> str:
    """``HH:mm`` of a wall second, wrapping at midnight (86,400 -> ``00:00``)."""
    wall_s %= 86_400
    return f"{wall_s // 3600:02d}:{wall_s % 3600 // 60:02d}"

"""The API's clock: its days, its half-hour slots and their instants on ``api_tz``.

A day of the answer is a calendar day on ``api_tz`` and slot ``n`` (0..47) is
the half hour whose wall clock starts ``n`` x 30 minutes after midnight. A
half hour's ``end`` is counted the same way, in half hours of wall clock since
midnight (0..48, 48 being midnight at the day's end). On a daylight-saving
change some wall-clock times do not exist (spring) or exist twice (autumn),
and a half hour may end on a wall clock other than thirty minutes later (the
last one before a skipped midnight ends ``01:00``). The :class:`Calendar` of a
period has, for every kind of day (a plain day, or one of the period's days
that a change touches), tables of the slots that exist, that repeat and the
ends that close them, all derived from the zone's real offsets in one place
(any zone, a change at any wall time), so that every half hour of an answer is
checked and placed by array look-ups.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .dates import days_between

__all__ = [
    "SLOTS_PER_DAY",
    "SLOT_S",
    "Calendar",
    "SlotFault",
    "read_day",
]

SLOTS_PER_DAY = 48
SLOT_S = 1800
_NS = 10**9

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class SlotFault:
    """What :meth:`Calendar.slot_faults` finds wrong with a half hour (an int8 code)."""

    NONE = 0
    NO_SUCH_SLOT = 1
    """The slot does not exist on that day (the clock jumps forward over it)."""
    BAD_END = 2
    """The ``end`` does not close the slot."""


def read_day(text: object) -> dt.date | None:
    """Read a ``day`` of the answer: ``dd/MM/yyyy`` (documented) or ISO ``yyyy-MM-dd``.

    Returns
    -------
    datetime.date or None
        None when ``text`` is not a real day in one of these two forms.
    """
    if type(text) is not str:
        return None
    dmy = _DMY.match(text)
    ymd = None if dmy else _YMD.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
    elif ymd:
        year, month, day = (int(g) for g in ymd.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _offset_s(local: dt.datetime, zone: dt.tzinfo, fold: int) -> int:
    """The UTC offset, in seconds, of a naive wall-clock time on ``zone``."""
    return int(local.replace(tzinfo=zone, fold=fold).utcoffset().total_seconds())


def _slot_start(day: dt.date, slot: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(slot // 2, 30 * (slot % 2)))


@dataclass(frozen=True)
class _DaySlots:
    """The 48 slots of one day on a zone: offsets, and the tables of a :class:`Calendar` kind."""

    offsets: list[int]
    second_offsets: dict[int, int]
    exists: np.ndarray
    repeated: np.ndarray
    ends: np.ndarray


def _day_slots(day: dt.date, zone: dt.tzinfo) -> _DaySlots:
    """Examine every slot of one day on ``zone``: the one place that says which slots
    exist, which repeat and which ends close them.

    Per PEP 495, ``fold=0`` gives the offset before a change and ``fold=1`` the
    one after: a larger offset first is a repeated (ambiguous) time, a smaller
    one first a time that does not exist. Each occurrence of a slot may end
    where the plain clock says (thirty minutes of wall clock later, midnight
    written ``24:00`` or ``00:00``) or on the real wall clock thirty minutes (of
    real time) after its start, whatever day that falls on: the half hour
    23:30 of 07/09/2024 on America/Santiago ends ``01:00``, the clock skipping
    midnight.
    """
    offsets, second = [], {}
    exists = np.ones(SLOTS_PER_DAY, dtype=bool)
    repeated = np.zeros(SLOTS_PER_DAY, dtype=bool)
    ends = np.zeros((SLOTS_PER_DAY, SLOTS_PER_DAY + 1), dtype=bool)
    for slot in range(SLOTS_PER_DAY):
        local = _slot_start(day, slot)
        first, after = _offset_s(local, zone, 0), _offset_s(local, zone, 1)
        offsets.append(first)
        if first < after:
            exists[slot] = False
            continue
        if first > after:
            second[slot] = after
            repeated[slot] = True
        ends[slot, [slot + 1, (slot + 1) % SLOTS_PER_DAY]] = True
        for offset in {first, after}:
            end = _wall_end(local, offset, zone)
            if end is not None:
                ends[slot, end] = True
    return _DaySlots(offsets, second, exists, repeated, ends)


def _wall_end(local: dt.datetime, offset_s: int, zone: dt.tzinfo) -> int | None:
    """The ``end`` number (0..47) of the wall clock thirty minutes (of real time) after a
    slot's start; None when that wall clock is not on a half hour."""
    instant = (local - dt.timedelta(seconds=offset_s)).replace(tzinfo=dt.UTC)
    wall = (instant + dt.timedelta(seconds=SLOT_S)).astimezone(zone)
    if wall.minute % 30 or wall.second:
        return None
    return wall.hour * 2 + wall.minute // 30


_PLAIN = _day_slots(dt.date(2000, 1, 1), dt.UTC)
"""The slots of a day whose clock does not change (kind 0 of every :class:`Calendar`)."""


def _plain_offsets(days: list[dt.date], zone: ZoneInfo) -> list[int | None]:
    """Per day, the UTC offset of all its slots and of the end of its last, in seconds;
    None for a day whose slots need :func:`_day_slots`.

    Such a day's midnight or the next one has not the same offset in both folds (a
    change at midnight, like 08/09/2024 on America/Santiago, also moves the end of
    the day before), or the two midnights differ (a change during the day). Two
    changes within one day that cancel out would not be seen; tzdata has no two
    changes within two days since 1990.
    """
    midnights = [_slot_start(day, 0) for day in [*days, days[-1] + dt.timedelta(1)]] if days else []
    folds = [(_offset_s(m, zone, 0), _offset_s(m, zone, 1)) for m in midnights]
    return [None if len({*folds[k], *folds[k + 1]}) > 1 else folds[k][0] for k in range(len(days))]


@dataclass(frozen=True)
class Calendar:
    """Every day of an inclusive period on ``api_tz``, with the tables of its slots.

    Attributes
    ----------
    first : datetime.date
        The first day of the period (day number 0).
    n_days : int
        The number of days in the period.
    api_tz : str
        The IANA zone of the days and slots.
    offsets_s : numpy.ndarray
        ``(n_days, 48)`` int64: the UTC offset in seconds of each slot's start
        (its first occurrence where the clock shows it twice).
    second_offsets_s : dict
        ``{(day number, slot): offset}`` for the second occurrence of a repeated slot.
    day_seconds : numpy.ndarray
        int64, the length of each day in seconds (82,800, 86,400 or 90,000 on
        Europe/Paris).
    kinds : numpy.ndarray
        int, per day: 0 for a day that no clock change touches, ``k`` for the
        period's ``k``-th day that one does (a change during the day, or at
        either of its midnights); the first axis of the three tables below.
    exists, repeated : numpy.ndarray
        ``(kinds, 48)`` bool: the slot exists on such a day; the clock shows it twice.
    ends : numpy.ndarray
        ``(kinds, 48, 49)`` bool: ``end`` number ``e`` closes the slot.
    faults : numpy.ndarray
        ``(kinds, 48, 49)`` int8: the :class:`SlotFault` of a slot with end ``e``.
    """

    first: dt.date
    n_days: int
    api_tz: str
    offsets_s: np.ndarray
    second_offsets_s: dict[tuple[int, int], int]
    day_seconds: np.ndarray
    kinds: np.ndarray
    exists: np.ndarray
    repeated: np.ndarray
    ends: np.ndarray
    faults: np.ndarray

    @classmethod
    def build(cls, first: dt.date, last: dt.date, api_tz: str) -> Calendar:
        """The calendar of ``[first, last]`` (both inclusive) on the zone ``api_tz``."""
        zone = ZoneInfo(api_tz)
        days = days_between(first, last)
        offsets = np.empty((len(days), SLOTS_PER_DAY), dtype=np.int64)
        kinds = np.zeros(len(days), dtype=np.int64)
        lengths = np.full(len(days), SLOTS_PER_DAY * SLOT_S, dtype=np.int64)
        second: dict[tuple[int, int], int] = {}
        changes: list[_DaySlots] = []
        for k, (day, plain) in enumerate(zip(days, _plain_offsets(days, zone), strict=True)):
            if plain is not None:
                offsets[k] = plain
                continue
            slots = _day_slots(day, zone)
            changes.append(slots)
            kinds[k] = len(changes)
            offsets[k] = slots.offsets
            second.update({(k, s): o for s, o in slots.second_offsets.items()})
            lengths[k] = (int(slots.exists.sum()) + int(slots.repeated.sum())) * SLOT_S
        tables = [_PLAIN, *changes]
        exists = np.stack([t.exists for t in tables])
        repeated = np.stack([t.repeated for t in tables])
        ends = np.stack([t.ends for t in tables])
        faults = np.where(ends, SlotFault.NONE, SlotFault.BAD_END).astype(np.int8)
        faults[~exists] = SlotFault.NO_SUCH_SLOT
        return cls(first, len(days), api_tz, offsets, second, lengths, kinds, exists, repeated, ends, faults)

    @property
    def period(self) -> str:
        """The period as ``first..last`` in ISO days."""
        last = self.first + dt.timedelta(days=self.n_days - 1)
        return f"{self.first.isoformat()}..{last.isoformat()}"

    @property
    def period_seconds(self) -> int:
        """The length of the whole period in seconds."""
        return int(self.day_seconds.sum())

    def cells(self, days: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """The cell of each half hour in the tables of the kinds of day: ``kind`` x 48 + slot.

        Parameters
        ----------
        days, slots : numpy.ndarray
            Day numbers (0 = ``first``) and slot numbers (0..47) of each half hour.

        Returns
        -------
        numpy.ndarray
            int64, for :meth:`slot_faults` and :meth:`is_repeated`.
        """
        return self.kinds[days] * SLOTS_PER_DAY + slots

    def slot_faults(self, cells: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """What is wrong with each half hour's slot on its day: the one place that says
        which slots exist and which ends close them.

        Parameters
        ----------
        cells, ends : numpy.ndarray
            The :meth:`cells` and the ``end`` numbers (0..48) of each half hour.

        Returns
        -------
        numpy.ndarray
            int8 :class:`SlotFault` codes, one per half hour.
        """
        return self.faults.ravel()[cells * (SLOTS_PER_DAY + 1) + ends]

    def is_repeated(self, cells: np.ndarray) -> np.ndarray:
        """bool, per half hour of :meth:`cells`: the clock shows its slot twice on its day."""
        return self.repeated.ravel()[cells]

    def ends_of(self, day: int, slot: int) -> list[int]:
        """The ``end`` numbers that close one slot on one day (for a message)."""
        return np.flatnonzero(self.ends[self.kinds[day], slot]).tolist()

    def utc_seconds(self, days: np.ndarray, slots: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The start instants of half hours, in seconds from midnight UTC of ``first``.

        Parameters
        ----------
        days, slots : numpy.ndarray
            Day numbers (0 = ``first``) and slot numbers (0..47) of each half hour.
        second : numpy.ndarray
            bool: the half hour is the second occurrence of a repeated slot
            (winter time after the autumn change); else its slot's first.

        Returns
        -------
        numpy.ndarray
            int64 seconds; add ``first`` (as UTC midnight) to get the instants.
        """
        # a day is SLOTS_PER_DAY slots of SLOT_S seconds on the wall clock: the
        # (day, slot) cell number times SLOT_S is the wall time from ``first``
        cells = days.astype(np.int64) * SLOTS_PER_DAY + slots
        utc_s = cells * SLOT_S - self.offsets_s.ravel()[cells]
        for row in np.flatnonzero(second).tolist():
            key = (int(days[row]), int(slots[row]))
            utc_s[row] += self.offsets_s[key] - self.second_offsets_s[key]
        return utc_s

    def instants(self, utc_s: np.ndarray) -> pd.Series:
        """Seconds from :meth:`utc_seconds` as tz-aware instants (``datetime64[ns, api_tz]``)."""
        epoch_ns = np.datetime64(self.first, "ns").astype(np.int64)
        utc = (utc_s * _NS + epoch_ns).view("datetime64[ns]")
        return pd.Series(utc, dtype="datetime64[ns, UTC]").dt.tz_convert(self.api_tz)

"""The API's clock: its days, its ``HH:mm`` half-hour slots and their instants on ``api_tz``.

A day of the answer is a calendar day on ``api_tz`` and a slot ``HH:mm`` is the
wall-clock time on that day when the half hour starts. On a daylight-saving
change some wall-clock times do not exist (spring) or exist twice (autumn); the
:class:`Calendar` of a period knows, for every day and slot, the UTC offset of
its start, so that the instants of all half hours are computed in one
vectorised subtraction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from .dates import days_between
from .errors import InvalidArgumentError

__all__ = ["ENDS_OF", "SLOTS_PER_DAY", "SLOT_OF", "SLOT_S", "Calendar", "check_zone", "read_day"]

SLOTS_PER_DAY = 48
SLOT_S = 1800
_NS = 10**9


def _slot_text(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


SLOT_OF: dict[str, int] = {_slot_text(s): s for s in range(SLOTS_PER_DAY)}
"""The slot number (0..47) of each valid ``start`` text, ``"00:00"`` to ``"23:30"``."""

ENDS_OF: tuple[tuple[str, ...], ...] = (
    *((_slot_text(s + 1),) for s in range(SLOTS_PER_DAY - 1)),
    ("00:00", "24:00"),
)
"""The ``end`` texts of each slot on a day without a clock change."""

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def check_zone(api_tz: object) -> str:
    """Check that ``api_tz`` is an IANA time-zone name this machine knows.

    Raises
    ------
    InvalidArgumentError
        When it is not a string or not a known zone.
    """
    if isinstance(api_tz, str) and api_tz:
        try:
            ZoneInfo(api_tz)
            return api_tz
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise InvalidArgumentError(
        f"api_tz={api_tz!r} is not a known IANA time zone: give the clock of the API's "
        "days and half hours, e.g. 'UTC' or 'Europe/Paris'."
    )


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


def _offset_s(local: dt.datetime, zone: ZoneInfo, fold: int) -> int:
    """The UTC offset, in seconds, of a naive wall-clock time on ``zone``."""
    return int(local.replace(tzinfo=zone, fold=fold).utcoffset().total_seconds())


def _slot_start(day: dt.date, slot: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(slot // 2, 30 * (slot % 2)))


@dataclass(frozen=True)
class _ChangeDay:
    """The slots of one clock-change day: offsets, gaps, repeats and extra end texts."""

    offsets: list[int]
    gaps: frozenset[int]
    second_offsets: dict[int, int]
    extra_ends: dict[int, tuple[str, ...]]


def _change_day(day: dt.date, zone: ZoneInfo) -> _ChangeDay:
    """Examine every slot of a day on which the UTC offset of ``zone`` changes.

    Per PEP 495, ``fold=0`` gives the offset before the change and ``fold=1`` the
    one after: a larger offset first is a repeated (ambiguous) time, a smaller
    one first a time that does not exist.
    """
    offsets, gaps, second, extra = [], set(), {}, {}
    for slot in range(SLOTS_PER_DAY):
        local = _slot_start(day, slot)
        first, after = _offset_s(local, zone, 0), _offset_s(local, zone, 1)
        offsets.append(first)
        if first < after:
            gaps.add(slot)
            continue
        folds = [first, after] if first > after else [first]
        if first > after:
            second[slot] = after
        ends = {_wall_end(local, offset, zone) for offset in folds} - set(ENDS_OF[slot])
        if ends:
            extra[slot] = tuple(sorted(ends))
    return _ChangeDay(offsets, frozenset(gaps), second, extra)


def _wall_end(local: dt.datetime, offset_s: int, zone: ZoneInfo) -> str:
    """The wall-clock ``HH:mm`` thirty minutes (of real time) after a slot's start."""
    instant = (local - dt.timedelta(seconds=offset_s)).replace(tzinfo=dt.UTC)
    return (instant + dt.timedelta(seconds=SLOT_S)).astimezone(zone).strftime("%H:%M")


@dataclass(frozen=True)
class Calendar:
    """Every day of an inclusive period on ``api_tz``, with the offsets of its slots.

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
    gaps : dict
        ``{day number: slots}`` that do not exist on that day (spring change).
    extra_ends : dict
        ``{(day number, slot): end texts}`` accepted besides :data:`ENDS_OF` on a
        clock-change day (the real wall clock thirty minutes later).
    day_seconds : list of int
        The length of each day in seconds (82,800, 86,400 or 90,000 on Europe/Paris).
    """

    first: dt.date
    n_days: int
    api_tz: str
    offsets_s: np.ndarray
    second_offsets_s: dict[tuple[int, int], int]
    gaps: dict[int, frozenset[int]]
    extra_ends: dict[tuple[int, int], tuple[str, ...]]
    day_seconds: list[int]

    @classmethod
    def build(cls, first: dt.date, last: dt.date, api_tz: str) -> Calendar:
        """The calendar of ``[first, last]`` (both inclusive) on the zone ``api_tz``."""
        zone = ZoneInfo(api_tz)
        days = days_between(first, last)
        offsets = np.empty((len(days), SLOTS_PER_DAY), dtype=np.int64)
        second, gaps, extra, lengths = {}, {}, {}, []
        for k, day in enumerate(days):
            midnight, next_midnight = _slot_start(day, 0), _slot_start(day + dt.timedelta(1), 0)
            base = _offset_s(midnight, zone, 0)
            if base == _offset_s(midnight, zone, 1) == _offset_s(next_midnight, zone, 0):
                offsets[k] = base
                lengths.append(SLOTS_PER_DAY * SLOT_S)
                continue
            change = _change_day(day, zone)
            offsets[k] = change.offsets
            second.update({(k, s): o for s, o in change.second_offsets.items()})
            extra.update({(k, s): e for s, e in change.extra_ends.items()})
            gaps[k] = change.gaps
            n_slots = SLOTS_PER_DAY - len(change.gaps) + len(change.second_offsets)
            lengths.append(n_slots * SLOT_S)
        return cls(first, len(days), api_tz, offsets, second, gaps, extra, lengths)

    @property
    def period(self) -> str:
        """The period as ``first..last`` in ISO days."""
        last = self.first + dt.timedelta(days=self.n_days - 1)
        return f"{self.first.isoformat()}..{last.isoformat()}"

    def is_repeated(self, day: int, slot: int) -> bool:
        """Whether the clock shows this slot twice on that day (autumn change)."""
        return (day, slot) in self.second_offsets_s

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
        return pd.Series(utc).dt.tz_localize("UTC").dt.tz_convert(self.api_tz)

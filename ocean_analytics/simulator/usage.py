"""Synthetic equipment usage: intervals of real-looking work, binned into half hours.

Usage is a pure function of (seed, vehicle, day, clock): every draw comes from
:func:`~.hashing.mix` over those keys, so any split of a request by vehicles or by
days gives the same numbers. Everything is vectorised over all vehicle-days asked.

The model, per vehicle (drawn once from its id): how often it works on weekdays
(80-98 % of days) and weekends (10-40 %, none for 40 % of the fleet), whether it sometimes works
at night, its usual start (06:00-08:00) and shift length (8-10.5 h). Per day: a
weekday shift with a lunch break (11:45-12:30, 30-75 min), a half-day shift at
weekends, and occasionally a night window (01:00-07:00 or 19:00-24:00). Per
equipment and day: used or not, then each work window is cut into 12 sub-windows
holding at most one interval each, so intervals of one equipment never overlap and
no half hour holds more than 1,800 s. Intervals are drawn in wall seconds of the
clock, mapped to elapsed seconds (so they respect daylight-saving days) and binned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clock import SLOT_S, DayGrid
from .fleet import Vehicle
from .hashing import mix, uniforms

__all__ = [
    "DayUse",
    "Holidays",
    "day_use",
    "Intervals",
    "to_elapsed",
    "bin_intervals",
    "N_EQUIPMENT",
    "MAX_SLOTS",
]

N_EQUIPMENT = 3
MAX_SLOTS = 50
SUBWINDOWS = 12
HOUR = 3600.0
DAY = 86_400.0
STREAM_PROFILE, STREAM_DAY, STREAM_EQUIPMENT, STREAM_HOLIDAY = 1, 2, 3, 4
PATTERN_CODES = {"bursts": 0, "runs": 1, "long": 2}
# per pattern: share of work days it is used, share of sub-windows used, and the
# shortest and longest share of a sub-window an interval fills.
PATTERN_PARAMS = np.array(
    [
        [0.95, 0.80, 0.10, 0.60],
        [0.97, 0.90, 0.50, 0.95],
        [0.92, 0.75, 0.30, 0.90],
    ]
)


@dataclass(frozen=True)
class DayUse:
    """Seconds of use of each equipment in each half hour of each vehicle-day.

    Parameters
    ----------
    seconds : numpy.ndarray of int32
        Shape (vehicles, days, 3, 50): seconds of use (0..1800) of equipment ``e``
        in elapsed slot ``s`` (slot ``s`` covers elapsed seconds [1800 s, 1800 (s+1))
        since local midnight on the clock). Unused equipment and slots past the
        day's end are 0.
    union_s : numpy.ndarray of int64 or None
        Shape (vehicles, days): seconds when at least one equipment was on; None
        unless asked for.
    """

    seconds: np.ndarray
    union_s: np.ndarray | None


@dataclass(frozen=True)
class Holidays:
    """Days on which most of the fleet rests.

    Parameters
    ----------
    days : tuple of datetime.date
        The holidays, days on the clock.
    rest_share : float
        Share of the vehicles resting on each (the same vehicles every holiday).
    """

    days: tuple[dt.date, ...]
    rest_share: float


@dataclass(frozen=True)
class Intervals:
    """Intervals of use, one per element: candidate row, and elapsed bounds [a, b)."""

    row: np.ndarray
    a: np.ndarray
    b: np.ndarray


def day_use(
    seed: int,
    vehicles: Sequence[Vehicle],
    grids: Sequence[DayGrid],
    *,
    union: bool = False,
    recorded: tuple[np.ndarray, np.ndarray] | None = None,
    holidays: Holidays | None = None,
) -> DayUse:
    """Usage of ``vehicles`` on the days of ``grids``.

    Parameters
    ----------
    seed : int
        The simulator's seed.
    vehicles : sequence of Vehicle
        Vehicles, in answer order.
    grids : sequence of DayGrid
        The days, on the answer's clock.
    union : bool
        Also compute the seconds when at least one equipment was on.
    recorded : (lo, hi) of numpy.ndarray, optional
        Shape (vehicles, days): elapsed seconds of each day between which the box
        recorded (:func:`~.silence.recording_bounds`); intervals are cut to them.
        None: every second recorded.
    holidays : Holidays, optional
        Days on which a share of the fleet rests (no work window at all).

    Returns
    -------
    DayUse
    """
    n_v, n_d = len(vehicles), len(grids)
    seconds = np.zeros((n_v, n_d, N_EQUIPMENT, MAX_SLOTS), dtype=np.int32)
    vehicle_ids = np.array([v.id for v in vehicles], dtype=np.int64).reshape(n_v)
    ordinals = np.array([g.day.toordinal() for g in grids], dtype=np.int64).reshape(n_d)
    starts, ends = _work_windows(seed, vehicle_ids, ordinals, holidays)
    cand_v, cand_d, cand_e = np.nonzero(_candidates(vehicles, ends > starts))
    pattern = _pattern_codes(vehicles)[cand_v, cand_e]
    keys = mix(seed, STREAM_EQUIPMENT, vehicle_ids[cand_v], ordinals[cand_d], cand_e)
    found = _draw_intervals(keys, pattern, starts[cand_v, cand_d], ends[cand_v, cand_d])
    found = to_elapsed(found, grids, cand_d)
    if recorded is not None:
        found = _cut(found, recorded[0][cand_v, cand_d], recorded[1][cand_v, cand_d])
    seconds[cand_v, cand_d, cand_e] = bin_intervals(found, len(cand_v))
    union_s = _union(found, cand_v * n_d + cand_d, n_v * n_d).reshape(n_v, n_d) if union else None
    return DayUse(seconds=seconds, union_s=union_s)


def _work_windows(
    seed: int, vehicle_ids: np.ndarray, ordinals: np.ndarray, holidays: Holidays | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-second bounds of the morning, afternoon and night windows of each vehicle-day.

    On a holiday, a vehicle rests when its own draw (a stream of its own, so that other
    days keep their numbers) falls below the holidays' share.

    Returns
    -------
    starts, ends : numpy.ndarray of float64
        Shape (vehicles, days, 3); an unused window has ``end == start``.
    """
    profile = uniforms(mix(seed, STREAM_PROFILE, vehicle_ids), 7)[:, None, :]
    u = uniforms(mix(seed, STREAM_DAY, vehicle_ids[:, None], ordinals[None, :]), 9)
    weekend = (ordinals + 6) % 7 >= 5  # date.fromordinal(1) is a Monday
    weekend_p = np.where(profile[..., 1] < 0.4, 0.0, 0.1 + 0.3 * profile[..., 2])
    works = u[..., 0] < np.where(weekend, weekend_p, 0.80 + 0.18 * profile[..., 0])
    start = 6 * HOUR + 2 * HOUR * profile[..., 5] + (u[..., 1] - 0.5) * HOUR
    lunch = np.where(weekend, np.inf, 11.75 * HOUR + 0.75 * HOUR * u[..., 2])
    lunch_end = lunch + 1800 + 2700 * u[..., 3]
    end = np.where(
        weekend,
        start + 3.5 * HOUR + 2 * HOUR * u[..., 4],
        start + 8 * HOUR + 2.5 * HOUR * profile[..., 6] + (u[..., 4] - 0.5) * 1.5 * HOUR,
    )
    night = u[..., 5] < np.where(profile[..., 3] < 0.35, 0.15 * profile[..., 4], 0.0)
    early = u[..., 6] < 0.5
    night_start = np.where(
        early, HOUR + 1.5 * HOUR * u[..., 7], np.maximum(19 * HOUR + 2 * HOUR * u[..., 7], end)
    )
    night_end = np.minimum(night_start + 2.5 * HOUR + 2 * HOUR * u[..., 8], np.where(early, start, DAY))
    starts = np.stack([start, np.minimum(lunch_end, end), night_start], axis=-1)
    ends = np.stack([np.minimum(lunch, end), end, night_end], axis=-1)
    if holidays is not None and holidays.days:
        holiday = np.isin(ordinals, [day.toordinal() for day in holidays.days])[None, :]
        rests = holiday & (uniforms(mix(seed, STREAM_HOLIDAY, vehicle_ids), 1) < holidays.rest_share)
        works, night = works & ~rests, night & ~rests
    active = np.stack([works, works, night], axis=-1)
    return starts, np.where(active, np.maximum(ends, starts), starts)


def _candidates(vehicles: Sequence[Vehicle], window_open: np.ndarray) -> np.ndarray:
    """(vehicles, days, 3) mask of the equipment that may be used on each vehicle-day."""
    can_use = _pattern_codes(vehicles) >= 0
    return can_use[:, None, :] & window_open.any(axis=-1)[:, :, None]


def _pattern_codes(vehicles: Sequence[Vehicle]) -> np.ndarray:
    """(vehicles, 3) usage-pattern code of each equipment; -1 where none or never used."""
    codes = np.full((len(vehicles), N_EQUIPMENT), -1, dtype=np.int64)
    for i, vehicle in enumerate(vehicles):
        if vehicle.dio_enabled and not vehicle.dormant:
            codes[i, : len(vehicle.usage_patterns)] = [PATTERN_CODES[p] for p in vehicle.usage_patterns]
    return codes


def _draw_intervals(keys: np.ndarray, pattern: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> Intervals:
    """Intervals of each candidate equipment-day, in wall seconds.

    Each window is cut into :data:`SUBWINDOWS` equal parts; each part holds at most
    one interval, placed at random inside it.
    """
    n_windows = starts.shape[1]
    u = uniforms(keys, 1 + 3 * n_windows * SUBWINDOWS)
    params = PATTERN_PARAMS[pattern]
    used_today = u[:, 0] < params[:, 0]
    on, fill, place = u[:, 1:].reshape(-1, 3, n_windows, SUBWINDOWS).transpose(1, 0, 2, 3)
    part = ((ends - starts) / SUBWINDOWS)[..., None]
    part_start = starts[..., None] + part * np.arange(SUBWINDOWS)
    lo, hi = params[:, 2, None, None], params[:, 3, None, None]
    duration = (lo + (hi - lo) * fill) * part
    a = np.floor(part_start + place * (part - duration))
    b = np.floor(part_start + place * (part - duration) + duration)
    keep = used_today[:, None, None] & (on < params[:, 1, None, None]) & (b > a)
    row = np.broadcast_to(np.arange(len(keys))[:, None, None], keep.shape)
    return Intervals(row=row[keep], a=a[keep].astype(np.int64), b=b[keep].astype(np.int64))


def to_elapsed(found: Intervals, grids: Sequence[DayGrid], cand_d: np.ndarray) -> Intervals:
    """Map wall seconds to elapsed seconds of each interval's day; drop empty ones.

    Before the change, wall equals elapsed; after it, elapsed = wall + shift. Spring
    wall times that do not exist (02:00-03:00) collapse onto the change.
    """
    day = cand_d[found.row]
    change = np.array([g.change_s for g in grids], dtype=np.int64)[day]
    shift = np.array([g.shift_s for g in grids], dtype=np.int64)[day]
    length = np.array([g.length_s for g in grids], dtype=np.int64)[day]

    def elapsed(wall: np.ndarray) -> np.ndarray:
        """Elapsed seconds of wall seconds, within the day."""
        moved = np.where(wall < change, wall, np.maximum(wall + shift, change))
        return np.clip(moved, 0, length)

    a, b = elapsed(found.a), elapsed(found.b)
    keep = b > a
    return Intervals(row=found.row[keep], a=a[keep], b=b[keep])


def _cut(found: Intervals, lo: np.ndarray, hi: np.ndarray) -> Intervals:
    """Intervals cut to [lo, hi) of their candidate row (elapsed seconds); empty ones dropped."""
    a = np.maximum(found.a, lo[found.row])
    b = np.minimum(found.b, hi[found.row])
    keep = b > a
    return Intervals(row=found.row[keep], a=a[keep], b=b[keep])


def bin_intervals(found: Intervals, n_rows: int) -> np.ndarray:
    """Seconds of each row's intervals inside each elapsed half-hour slot.

    Each interval is a +1 step at ``a`` and a -1 step at ``b``; a step at ``p`` adds
    ``slot_end - p`` to its own slot and a full 1,800 s to every later one.

    Returns
    -------
    numpy.ndarray of int32
        Shape (n_rows, MAX_SLOTS).
    """
    width = MAX_SLOTS + 2
    pos = np.concatenate([found.a, found.b])
    sign = np.concatenate([np.ones(len(found.a)), -np.ones(len(found.b))])
    cell = np.concatenate([found.row, found.row]) * width + pos // SLOT_S
    partial = np.bincount(cell, weights=sign * ((pos // SLOT_S + 1) * SLOT_S - pos), minlength=n_rows * width)
    full = np.bincount(cell + 1, weights=sign * SLOT_S, minlength=n_rows * width + 1)[: n_rows * width]
    total = partial.reshape(n_rows, width) + np.cumsum(full.reshape(n_rows, width), axis=1)
    return np.rint(total[:, :MAX_SLOTS]).astype(np.int32)


def _union(found: Intervals, vehicle_day: np.ndarray, n_vehicle_days: int) -> np.ndarray:
    """Seconds when at least one interval of each vehicle-day is on (int64)."""
    group = vehicle_day[found.row]
    order = np.lexsort((found.a, group))
    offset = group[order] << 17  # 2**17 s > the longest day: groups never touch
    a, b = offset + found.a[order], offset + found.b[order]
    reach = np.concatenate([[0], np.maximum.accumulate(b)[:-1]])
    gain = np.maximum(0, b - np.maximum(a, reach))
    return np.rint(np.bincount(group[order], weights=gain, minlength=n_vehicle_days)).astype(np.int64)

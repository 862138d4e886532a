"""Boxes that stopped talking: the setting that names them, and what it does to the data.

A :class:`SilentBox` is in the ``noncommunicant/list`` answer, and its vehicle has no
data outside the time its box recorded: none before its installation, none after its
last communication, none at all when it never communicated. The duree answer cuts
its intervals of use at those instants, so a day is cut at the very second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from .clock import DayGrid

__all__ = ["SilentBox", "Silence", "resolve_silence", "silences_of", "recording_bounds", "DAY_TIME"]

DAY_TIME = dt.time(12, 0)
"""A day given instead of an instant stands for noon of that day on the simulator's clock."""

Moment = dt.date | dt.datetime


@dataclass(frozen=True)
class SilentBox:
    """One non-communicating box (a setting: ``SimulatorConfig.silent_boxes``).

    Parameters
    ----------
    vehicle_id : int
        The vehicle whose box it is.
    last_communication : datetime.date, datetime.datetime or None
        When it last talked: an aware instant, or a day (noon of that day on the
        simulator's clock). None: it never communicated.
    installed : datetime.date, datetime.datetime or None
        When it was installed (same forms); None: the box's own installation, during 2018.
    reason : str or None
        The qualification a user recorded on the platform (``qualificationNCDTO.libelle``);
        None: not qualified.
    """

    vehicle_id: int
    last_communication: Moment | None = None
    installed: Moment | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        """Raise ``TypeError`` or ``ValueError`` naming the field that is wrong."""
        if isinstance(self.vehicle_id, bool) or not isinstance(self.vehicle_id, int):
            raise TypeError(f"SilentBox.vehicle_id must be an int, got {self.vehicle_id!r}")
        for name in ("last_communication", "installed"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dt.date):
                raise TypeError(f"SilentBox.{name} must be a date, an aware datetime or None, got {value!r}")
            if isinstance(value, dt.datetime) and value.utcoffset() is None:
                raise ValueError(f"SilentBox.{name} must be an aware datetime (tzinfo set), got {value!r}")
        if self.reason is not None and not (isinstance(self.reason, str) and self.reason.strip()):
            raise ValueError(f"SilentBox.reason must be a non-empty string or None, got {self.reason!r}")


@dataclass(frozen=True)
class Silence:
    """A silent box with its instants resolved, aware in UTC.

    Parameters
    ----------
    installed : datetime.datetime
        Installation.
    last : datetime.datetime or None
        Last communication; None when it never communicated.
    reason : str or None
        The qualification's label.
    """

    installed: dt.datetime
    last: dt.datetime | None
    reason: str | None

    @property
    def never(self) -> bool:
        """True when the box never communicated."""
        return self.last is None


def resolve_silence(box: SilentBox, own_installation: dt.datetime, clock: str) -> Silence:
    """The instants of a silent box on the simulator's clock.

    Parameters
    ----------
    box : SilentBox
        The setting.
    own_installation : datetime.datetime
        The box's installation when the setting gives none (aware).
    clock : str
        IANA zone on which a bare day stands for its noon.

    Raises
    ------
    ValueError
        When the last communication comes before the installation.
    """
    installed = _instant(box.installed, clock) if box.installed is not None else own_installation
    last = _instant(box.last_communication, clock) if box.last_communication is not None else None
    if last is not None and last < installed:
        raise ValueError(
            f"SilentBox of vehicle {box.vehicle_id}: last_communication {last.isoformat()} comes before "
            f"the installation {installed.isoformat()}: give an earlier installed= or a later one"
        )
    return Silence(
        installed=installed.astimezone(dt.UTC),
        last=None if last is None else last.astimezone(dt.UTC),
        reason=box.reason,
    )


def silences_of(
    boxes: Sequence[SilentBox], installations: Mapping[int, dt.datetime], clock: str
) -> dict[int, Silence]:
    """The silent boxes of some vehicles, resolved, by vehicle id (boxes of others are skipped).

    Parameters
    ----------
    boxes : sequence of SilentBox
        The setting.
    installations : mapping of int to datetime.datetime
        The vehicles concerned, and when their box was installed (aware).
    clock : str
        IANA zone on which a bare day stands for its noon.

    Raises
    ------
    ValueError
        When a box's last communication comes before its installation.
    """
    return {
        box.vehicle_id: resolve_silence(box, installations[box.vehicle_id], clock)
        for box in boxes
        if box.vehicle_id in installations
    }


def _instant(moment: Moment, clock: str) -> dt.datetime:
    """An aware instant: itself, or noon of a bare day on ``clock``."""
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime.combine(moment, DAY_TIME, ZoneInfo(clock))


def recording_bounds(
    silences: Mapping[int, Silence], vehicle_ids: Sequence[int], grids: Sequence[DayGrid]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Elapsed seconds of each vehicle-day between which its box recorded.

    Parameters
    ----------
    silences : mapping of int to Silence
        The silent boxes by vehicle id.
    vehicle_ids : sequence of int
        The vehicles, in answer order.
    grids : sequence of DayGrid
        The days, on the answer's clock.

    Returns
    -------
    (lo, hi) : tuple of numpy.ndarray of int64, or None
        Shape (vehicles, days): use is kept in [lo, hi) elapsed seconds since the
        day's midnight; ``lo == hi`` on a day without data. None when no vehicle
        asked has a silent box (every second recorded).
    """
    if not any(v in silences for v in vehicle_ids):
        return None
    midnights = np.array([g.midnight_s for g in grids], dtype=np.int64)
    lengths = np.array([g.length_s for g in grids], dtype=np.int64)
    lo = np.zeros((len(vehicle_ids), len(grids)), dtype=np.int64)
    hi = np.broadcast_to(lengths, lo.shape).copy()
    for row, vehicle_id in enumerate(vehicle_ids):
        silence = silences.get(vehicle_id)
        if silence is None:
            continue
        start = round(silence.installed.timestamp())
        end = start if silence.last is None else round(silence.last.timestamp())
        lo[row] = np.clip(start - midnights, 0, lengths)
        hi[row] = np.clip(end - midnights, lo[row], lengths)
    return lo, hi

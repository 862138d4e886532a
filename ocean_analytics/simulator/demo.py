"""The demo fleet's scenes: things worth finding, placed relative to a demo period.

:func:`demo_scenes` turns plain settings into the demo's: on the first customer's
fleet (the demo account's), chosen by rule so that they follow the fleet:

- **a site with more machines than it uses**: the entity with the most vehicles
  (ties: the lowest entity id) keeps its last two vehicles (by id) at work; all
  its others are ``idle_vehicles`` (their equipment listed, never used);
- **a stuck input**: the first equipment of the first of those two kept vehicles
  that has equipment, on for every second from four to two days before the
  period's end (``end - 4`` to ``end - 2``: three days);
- **a box going silent mid-period**: the first vehicle with equipment outside that
  site last communicated on the period's fifteenth day (noon on the clock), the
  reason :data:`SILENT_REASON` recorded on the platform;
- **a box that never communicated**: the last vehicle with equipment outside that
  site, installed :data:`NEVER_INSTALLED_DAYS` days before the period;
- **holidays**: the real French public holidays (the ``holidays`` package) from a
  year before the period's end to ``today``, on which ``holiday_rest_share`` of the
  fleet rests.

So a report of the period, of its last seven days, of a quarter or of a year ending
on its last day shows each scene that its days hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .config import SimulatorConfig
from .fleet import Vehicle, build_fleet
from .scenarios import StuckInput
from .silence import SilentBox

__all__ = ["SILENT_REASON", "NEVER_INSTALLED_DAYS", "HOLIDAY_COUNTRY", "demo_scenes"]

SILENT_REASON = "Véhicule au garage"
"""The reason recorded on the platform for the box that went silent (``libelle``)."""

NEVER_INSTALLED_DAYS = 31
"""Days before the period's first day that the never-communicating box was installed."""

HOLIDAY_COUNTRY = "FR"
"""Whose public holidays the demo fleet rests on."""

SILENT_DAY = 14
"""Days after the period's first day of the silent box's last communication (the 15th)."""

STUCK_DAYS = (4, 2)
"""The stuck input's first and last day, in days before the period's end."""

KEPT_AT_WORK = 2
"""Vehicles of the over-equipped site that still work."""


def demo_scenes(config: SimulatorConfig, start: dt.date, end: dt.date, today: dt.date) -> SimulatorConfig:
    """``config`` with the demo's scenes placed in the period ``[start, end]``.

    Parameters
    ----------
    config : SimulatorConfig
        The settings to start from (its fleet settings choose the vehicles).
    start, end : datetime.date
        The demo period, both days included, days on ``config.clock``.
    today : datetime.date
        The last day whose holidays are played.

    Returns
    -------
    SimulatorConfig
        ``config`` with ``silent_boxes``, ``stuck_inputs``, ``holidays`` and
        ``idle_vehicles`` set as the module's docstring says.

    Raises
    ------
    ValueError
        When ``start`` is after ``end``, or the first customer has too few vehicles
        (at least four with equipment, two of them outside its largest site).
    """
    if start > end:
        raise ValueError(f"the demo period's start {start} is after its end {end}")
    site, others = _site_and_others(build_fleet(config).customers[0].vehicles)
    kept = site[-KEPT_AT_WORK:]
    stuck = next(v for v in kept if v.equipment)
    silent, never = others[0], others[-1]
    boxes = (
        SilentBox(
            silent.id,
            last_communication=min(start + dt.timedelta(days=SILENT_DAY), end),
            reason=SILENT_REASON,
        ),
        SilentBox(never.id, installed=start - dt.timedelta(days=NEVER_INSTALLED_DAYS)),
    )
    first, last = (max(end - dt.timedelta(days=n), start) for n in STUCK_DAYS)
    return dataclasses.replace(
        config,
        silent_boxes=boxes,
        stuck_inputs=(StuckInput(stuck.id, stuck.equipment[0], first, last),),
        holidays=_holidays(end - dt.timedelta(days=365), today),
        idle_vehicles=tuple(v.id for v in site[:-KEPT_AT_WORK]),
    )


def _site_and_others(vehicles: tuple[Vehicle, ...]) -> tuple[list[Vehicle], list[Vehicle]]:
    """The vehicles of the largest site (by id), and those with equipment elsewhere."""
    sizes: dict[int, int] = {}
    for vehicle in vehicles:
        sizes[vehicle.entity_id] = sizes.get(vehicle.entity_id, 0) + 1
    entity = min(sizes, key=lambda e: (-sizes[e], e))
    site = sorted((v for v in vehicles if v.entity_id == entity), key=lambda v: v.id)
    others = sorted((v for v in vehicles if v.entity_id != entity and v.equipment), key=lambda v: v.id)
    if len(site) <= KEPT_AT_WORK or len(others) < 2 or not any(v.equipment for v in site[-KEPT_AT_WORK:]):
        raise ValueError(
            "the demo scenes need a first customer with a site of more than two vehicles and two "
            "vehicles with equipment elsewhere: give more vehicles_per_customer"
        )
    return site, others


def _holidays(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The French public holidays from ``first`` to ``last`` (both included), in order."""
    import holidays  # the package's own dependency, loaded only for the demo

    found = holidays.country_holidays(HOLIDAY_COUNTRY, years=range(first.year, last.year + 1))
    return tuple(sorted(day for day in found if first <= day <= last))

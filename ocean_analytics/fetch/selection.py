"""What a fetch reads before its usage requests: the vehicles, the fleet listing and the silent boxes.

The fleet listing is read on every fetch (for the whole fleet it is the
vehicles; for ids and plates it gives their site, fleet number, make, model and
missing plates), ``noncommunicant/list`` once per fetch; with a store, both are
kept :data:`~ocean_analytics.store.cache.LISTING_LIFETIME` (12 hours) with the
plate look-ups, so that a repeated fetch makes no request at all.

A listing refused (403 or 404) fails a whole-fleet fetch, which has no vehicles
without it; a fetch of ids or plates goes on without the listing's columns
(missing values), and says so in one warning.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import msgspec

from ..api.client import OceanClient
from ..api.fleet import VEHICLES_PATH, FleetVehicle, read_fleet, resolve_plates
from ..api.noncommunicant import SILENT_BOXES, Coverage, read_noncommunicant
from ..errors import NotFoundError, PermissionDeniedError
from ..store.cache import UsageStore

__all__ = ["Selection", "select", "warn_of_gaps"]

_FLEET_FIELDS = msgspec.structs.fields(FleetVehicle)


@dataclass(frozen=True)
class Selection:
    """The vehicles of a fetch and what is known of them.

    Attributes
    ----------
    vehicles : dict
        ``{vehicle_id: plate or None}`` of every vehicle to fetch, in a stable order: the
        listing's plates for the whole fleet, the plates as given for ``plates=``, None for
        ``vehicle_ids=``.
    fleet : list of FleetVehicle
        The whole fleet listing (empty when it was refused).
    coverage : Coverage
        The silent boxes.
    fleet_refusal : str or None
        Why the listing is missing (a 403 or 404 to a fetch of ids or plates), else None.
    """

    vehicles: dict[int, str | None]
    fleet: list[FleetVehicle]
    coverage: Coverage
    fleet_refusal: str | None = None


def select(
    client: OceanClient, ids: list[int] | None, plates: list[str] | None, store: UsageStore | None
) -> Selection:
    """Read the listing, resolve ``plates``, read the silent boxes; from ``store`` while recent.

    Raises
    ------
    NotFoundError
        For a plate the customer does not have.
    OceanError
        The subclass that fits a failed request (a 403/404 of ``noncommunicant/list`` is
        not one: coverage is then unknown).
    """
    try:
        fleet, refusal = _fleet(client, store), None
    except (PermissionDeniedError, NotFoundError) as exc:
        if ids is None and plates is None:
            raise
        fleet, refusal = (
            [],
            (
                f"GET {VEHICLES_PATH} answered {exc.status}"
                f"{f' ({exc.server_message})' if exc.server_message else ''}: the vehicles' site, "
                "fleet number, make and model are missing from the frames."
            ),
        )
    if ids is None and plates is None:
        vehicles = {vehicle.vehicle_id: vehicle.plate for vehicle in fleet}
    else:
        vehicles = dict.fromkeys(ids or [])
        if plates:
            found = store.plates(plates) if store is not None else None
            if found is None:
                found = resolve_plates(client, plates, fleet=fleet)
                if store is not None:
                    store.save_plates(found)
            vehicles.update(found)
    return Selection(vehicles, fleet, _coverage(client, store), refusal)


def warn_of_gaps(selection: Selection) -> None:
    """One ``UserWarning`` when coverage is unknown, with the refusal's sentence; one when the
    listing was refused."""
    if not selection.coverage.known:
        warnings.warn(
            f"{selection.coverage.refusal} The frames say so: attrs['coverage'] is 'unknown' and "
            "has_data is <NA>.",
            UserWarning,
            stacklevel=4,  # the caller of fetch_usage
        )
    if selection.fleet_refusal:
        warnings.warn(selection.fleet_refusal, UserWarning, stacklevel=4)


def _fleet(client: OceanClient, store: UsageStore | None) -> list[FleetVehicle]:
    rows = store.fleet() if store is not None else None
    if rows is not None:
        return [FleetVehicle(**{f.name: row[f.name] for f in _FLEET_FIELDS}) for row in rows]
    fleet = read_fleet(client)
    if store is not None:
        store.save_fleet([msgspec.structs.asdict(vehicle) for vehicle in fleet])
    return fleet


def _coverage(client: OceanClient, store: UsageStore | None) -> Coverage:
    stored = store.silent() if store is not None else None
    if stored is not None:
        boxes, facts = stored
        return Coverage(
            known=facts["known"],
            boxes=boxes.astype(SILENT_BOXES),
            boxes_without_vehicle=facts["boxes_without_vehicle"],
            refusal=facts["refusal"],
        )
    coverage = read_noncommunicant(client)
    if store is not None:
        facts = {
            "known": coverage.known,
            "refusal": coverage.refusal,
            "boxes_without_vehicle": coverage.boxes_without_vehicle,
        }
        store.save_silent(coverage.boxes, facts)
    return coverage

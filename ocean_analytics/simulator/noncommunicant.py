"""The non-communicating boxes (``noncommunicant/list``), as the documentation shows them.

One element per silent box of the customer (``SimulatorConfig.silent_boxes``): its
installation and last communication (UTC instants), the box and its vehicle, the
qualification a user recorded (or none), the last known position. A box that never
communicated has no last communication and no position.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .config import SimulatorConfig
from .fleet import Customer, Vehicle, installations
from .listing import box_object, listed_vehicle
from .payload import vehicle_object
from .shapes import iso_instant, optional
from .silence import Silence, silences_of

__all__ = ["noncommunicant_list", "qualification_id"]


def noncommunicant_list(config: SimulatorConfig, customer: Customer, today: dt.date) -> list[dict[str, Any]]:
    """The answer of ``GET /restapi/noncommunicant/list`` for a customer.

    Parameters
    ----------
    config : SimulatorConfig
        The silent boxes, the clock (the customer's ``fuseauHoraire``) and how absent
        values are written.
    customer : Customer
        Whose boxes.
    today : datetime.date
        The day of the request (UTC), for ``nbDaysInNC``.
    """
    vehicles = {v.id: v for v in customer.vehicles}
    silences = silences_of(config.silent_boxes, installations(customer.vehicles), config.clock)
    return [
        _element(config, customer, vehicles[vehicle_id], silence, today)
        for vehicle_id, silence in silences.items()
    ]


def qualification_id(config: SimulatorConfig, reason: str) -> int:
    """The id of a qualification: its rank among the distinct reasons of the settings, from 1."""
    reasons = sorted({box.reason for box in config.silent_boxes if box.reason is not None})
    return reasons.index(reason) + 1


def _element(
    config: SimulatorConfig, customer: Customer, vehicle: Vehicle, silence: Silence, today: dt.date
) -> dict[str, Any]:
    """One non-communicating box."""
    box = vehicle.card.box
    position = None if silence.never else _position(vehicle, silence, today)
    return {
        "boxInstallationInfo": {
            "hasCommunicatedAtLeastOnce": not silence.never,
            "hasNeverCommunicated": silence.never,
            "installationDate": iso_instant(silence.installed),
            **optional(config, "lastCommunicatingDate", iso_instant(silence.last)),
        },
        "detailedBoxDTO": {
            "box": box_object(box),
            "client": {
                "fuseauHoraire": config.clock,
                "id": customer.id,
                "nom": customer.name,
                "suppressionLogique": False,
            },
            "currentVehicule": listed_vehicle(vehicle),
            "id": box.id,
            "phoneSim": box.sim_number,
            "sim": {"iccid": box.iccid, "simHs": False},
        },
        **optional(config, "ongletPositionVehicleDTO", position),
        **optional(config, "qualificationNCVehiculeDTO", _qualification(config, vehicle, silence)),
    }


def _position(vehicle: Vehicle, silence: Silence, today: dt.date) -> dict[str, Any]:
    """The last known position: the vehicle's agency, at its last communication."""
    town = vehicle.entity_name.removeprefix("Agence ")
    return {
        "address": {"address": f"Dépôt de {town}", "town": town},
        "entiteVehicle": {"id": vehicle.entity_id, "nom": vehicle.entity_name, "suppressionLogique": False},
        "heure": iso_instant(silence.last),
        "nbDaysInNC": max(0, (today - silence.last.date()).days),
        "vehicle": vehicle_object(vehicle),
    }


def _qualification(config: SimulatorConfig, vehicle: Vehicle, silence: Silence) -> dict[str, Any] | None:
    """The reason recorded on the platform, a day after the box went silent; None when none was."""
    if silence.reason is None:
        return None
    qualified = (silence.last or silence.installed) + dt.timedelta(days=1)
    return {
        "qualificationNCDTO": {
            "dateNcEnabled": True,
            "id": qualification_id(config, silence.reason),
            "libelle": silence.reason,
            "mailGroupNC": "NO_MAIL",
        },
        "qualificationNCVehiculeEnginLightDTO": {
            "commentaire": "",
            **optional(config, "dateFin", None),
            "dateQualification": iso_instant(qualified),
            "id": vehicle.id,
        },
        "vehicle": vehicle_object(vehicle),
    }

"""The routes around duree: plates to ids, the fleet listing, the entities, the silent boxes."""

from __future__ import annotations

from typing import Any

from . import params
from .context import Context, request_customer
from .listing import entities_answer, fleet_listing
from .noncommunicant import noncommunicant_list
from .responses import RequestRejected

__all__ = ["FLEET_ROUTES", "IDS_PATH", "VEHICLES_PATH", "ENTITIES_PATH", "NONCOMMUNICANT_PATH"]

IDS_PATH = "/restapi/vehicule_engin/ids-from-immats"
VEHICLES_PATH = "/restapi/vehicule_engin/vehicles"
ENTITIES_PATH = "/restapi/mobility/v1/entities"
NONCOMMUNICANT_PATH = "/restapi/noncommunicant/list"


def ids_from_plates(context: Context) -> dict[str, int]:
    """``GET /restapi/vehicule_engin/ids-from-immats``: ``{plate: id}`` for the plates found.

    Raises
    ------
    RequestRejected
        400 without ``immatriculations``; 404 when none is the customer's and
        ``unknown_plates`` is ``"404"``.
    """
    customer = request_customer(context)
    plates = params.strings(context.request.query, "immatriculations")
    if plates is None:
        raise RequestRejected(400, "Parameter 'immatriculations' is required (plates such as AB-123-CD)")
    known = {v.plate: v.id for v in customer.vehicles}
    found = {plate: known[plate] for plate in plates if plate in known}
    if not found and context.config.unknown_plates == "404":
        raise RequestRejected(404, f"No vehicle of customer {customer.id} has these plates")
    return found


def vehicles_listing(context: Context) -> list[dict[str, Any]]:
    """``GET /restapi/vehicule_engin/vehicles``: the customer's vehicles, or the one of
    ``immatriculation`` (written exactly as the platform has it).

    Raises
    ------
    RequestRejected
        400 for ``immatriculation`` given twice; 404 for an unknown plate when
        ``unknown_plates`` is ``"404"``.
    """
    customer = request_customer(context)
    listing = fleet_listing(context.config, customer, context.today)
    plates = params.strings(context.request.query, "immatriculation")
    if plates is None:
        return listing
    if len(plates) != 1:
        raise RequestRejected(400, f"Parameter 'immatriculation' takes one plate, got {len(plates)}")
    chosen = [element for element in listing if element["vehicle"]["immatriculation"] == plates[0]]
    if not chosen and context.config.unknown_plates == "404":
        raise RequestRejected(404, f"No vehicle of customer {customer.id} has the plate {plates[0]}")
    return chosen


def entities(context: Context) -> dict[str, Any]:
    """``GET /restapi/mobility/v1/entities``: the customer's entities (agencies, sites)."""
    return entities_answer(request_customer(context))


def noncommunicant(context: Context) -> list[dict[str, Any]]:
    """``GET /restapi/noncommunicant/list``: the customer's silent boxes.

    Raises
    ------
    RequestRejected
        403 or 404 when ``noncommunicant_status`` says the contract lacks the service.
    """
    customer = request_customer(context)
    status = context.config.noncommunicant_status
    if status != 200:
        raise RequestRejected(status, "The non-communicating boxes are not part of this customer's contract")
    return noncommunicant_list(context.config, customer, context.today)


FLEET_ROUTES = {
    ("GET", IDS_PATH): ids_from_plates,
    ("GET", VEHICLES_PATH): vehicles_listing,
    ("GET", ENTITIES_PATH): entities,
    ("GET", NONCOMMUNICANT_PATH): noncommunicant,
}
"""The handlers of these routes, by (method, path below the base)."""

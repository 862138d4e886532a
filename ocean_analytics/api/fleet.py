"""Which vehicles to ask for: the whole fleet, or the vehicles behind some plates; and the
fleet's vehicles with their site, fleet number, make and model.

Analysts know their trucks by plate; the usage service wants vehicle ids. The fleet
listing (``GET /restapi/vehicule_engin/vehicles``) nests each vehicle beside its box,
driver and entity, as the platform's documentation shows it (``api/schema/fleet.py``).
Only the vehicle's id, plate, fleet number, make and model and its entity are read:
never the driver's personal data.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
import orjson

from ..errors import InvalidArgumentError, MalformedResponseError, NotFoundError
from .client import OceanClient
from .decoding import decode_answer
from .responses import json_list_complete, not_a_list_error
from .schema.fleet import EntityList, ListingElement, element_vehicle_id

__all__ = [
    "VEHICLES_PATH",
    "IDS_FROM_PLATES_PATH",
    "ENTITIES_PATH",
    "FleetVehicle",
    "read_fleet",
    "fleet_from_listing",
    "list_fleet",
    "read_entities",
    "entities_from_answer",
    "resolve_plates",
    "check_vehicle_ids",
    "check_plates",
]

VEHICLES_PATH = "/restapi/vehicule_engin/vehicles"
IDS_FROM_PLATES_PATH = "/restapi/vehicule_engin/ids-from-immats"
ENTITIES_PATH = "/restapi/mobility/v1/entities"
_PLATES_PER_REQUEST = 100


class FleetVehicle(msgspec.Struct, frozen=True):
    """One vehicle of the fleet listing, as the toolkit keeps it.

    Attributes
    ----------
    vehicle_id : int
        The vehicle id the usage service takes.
    plate : str or None
        Its plate (None when the listing has none).
    entity_id : int or None
        The entity (agency, depot, site) it belongs to, None when it has none.
    entity_name : str or None
        That entity's name.
    fleet_number : str or None
        The customer's own number for it (``numeroParc``).
    make, model : str or None
        Its make and model.
    """

    vehicle_id: int
    plate: str | None
    entity_id: int | None
    entity_name: str | None
    fleet_number: str | None
    make: str | None
    model: str | None


MAX_VEHICLE_ID = 2**31 - 1
"""The largest vehicle id: the API's ids are 32-bit signed integers."""


def check_vehicle_ids(vehicle_ids: Iterable[int] | None) -> list[int] | None:
    """Check vehicle ids before any request: integers, no duplicates kept, order kept.

    Raises
    ------
    InvalidArgumentError
        When ``vehicle_ids`` is a string, empty, or holds something that is not an integer
        from 1 to :data:`MAX_VEHICLE_ID`.
    """
    if vehicle_ids is None:
        return None
    if isinstance(vehicle_ids, (str, bytes)) or not isinstance(vehicle_ids, Iterable):
        raise InvalidArgumentError(
            f"vehicle_ids must be a list of integers such as [1201, 1202], not {vehicle_ids!r}."
        )
    ids = list(vehicle_ids)
    if not ids:
        raise InvalidArgumentError("vehicle_ids is empty: give at least one id, or None for the whole fleet.")
    bad = [v for v in ids if isinstance(v, bool) or not _is_integer(v)]
    if bad:
        raise InvalidArgumentError(
            f"vehicle_ids must be integers; these are not: {bad[:5]!r}. Use plates= to give plates."
        )
    ids = [int(v) for v in ids]
    outside = [v for v in ids if not 1 <= v <= MAX_VEHICLE_ID]
    if outside:
        raise InvalidArgumentError(
            f"vehicle_ids must be between 1 and {MAX_VEHICLE_ID} (the API's ids are 32-bit integers); "
            f"these are not: {outside[:5]!r}. Check the ids, or give plates= instead."
        )
    return list(dict.fromkeys(ids))


def _is_integer(value: object) -> bool:
    return hasattr(value, "__index__")


def check_plates(plates: Iterable[str] | None) -> list[str] | None:
    """Check plates before any request: a non-empty list of non-empty strings.

    Raises
    ------
    InvalidArgumentError
        When ``plates`` is a bare string, empty, or holds something that is not a plate.
    """
    if plates is None:
        return None
    if isinstance(plates, str):
        raise InvalidArgumentError(f"plates must be a list, e.g. [{plates!r}], not a bare string.")
    values = list(plates)
    if not values:
        raise InvalidArgumentError("plates is empty: give at least one plate, or None for the whole fleet.")
    bad = [p for p in values if not isinstance(p, str) or not p.strip()]
    if bad:
        raise InvalidArgumentError(f"plates must be non-empty strings such as 'AB-123-CD'; not {bad[:5]!r}.")
    return list(dict.fromkeys(p.strip() for p in values))


def read_fleet(client: OceanClient) -> list[FleetVehicle]:
    """Every vehicle of the client's customer, in the server's order.

    Raises
    ------
    MalformedResponseError
        When the answer is not the documented listing, naming the element, its vehicle
        and the field; or when it lists a vehicle twice.
    """
    body = client.get(VEHICLES_PATH, complete=json_list_complete)
    error = not_a_list_error(body, VEHICLES_PATH, client.redact)
    if error:
        raise error
    return fleet_from_listing(body)


def fleet_from_listing(body: bytes) -> list[FleetVehicle]:
    """The vehicles of a fleet listing's body (no request): see :func:`read_fleet`.

    Empty texts (a plate, a fleet number written ``""``) read as None.
    """
    listing = decode_answer(body, list[ListingElement], VEHICLES_PATH, element_vehicle_id)
    vehicles, seen = [], {}
    for position, element in enumerate(listing):
        vehicle, entity = element.vehicle, element.entity
        if vehicle.id in seen:
            raise MalformedResponseError(
                f"GET {VEHICLES_PATH}: elements [{seen[vehicle.id]}] and [{position}] both list vehicle "
                f"{vehicle.id} (at [{position}].vehicle.id). Send this answer to your Ocean contact.",
                field=f"[{position}].vehicle.id",
                vehicle_id=vehicle.id,
                endpoint=VEHICLES_PATH,
            )
        seen[vehicle.id] = position
        vehicles.append(
            FleetVehicle(
                vehicle_id=vehicle.id,
                plate=vehicle.plate or None,
                entity_id=entity.id if entity else None,
                entity_name=(entity.name or None) if entity else None,
                fleet_number=vehicle.fleet_number or None,
                make=vehicle.make or None,
                model=vehicle.model or None,
            )
        )
    return vehicles


def list_fleet(client: OceanClient) -> dict[int, str | None]:
    """Every vehicle of the client's customer: ``{vehicle_id: plate}``, in the server's order.

    Raises
    ------
    MalformedResponseError
        As :func:`read_fleet`.
    """
    return {vehicle.vehicle_id: vehicle.plate for vehicle in read_fleet(client)}


def read_entities(client: OceanClient) -> dict[int, str | None]:
    """The customer's entities (agencies, depots, sites): ``{entity_id: name}``.

    Raises
    ------
    MalformedResponseError
        When the answer is not ``{"entities": [{"id", "nom"}]}``, naming the field.
    """
    return entities_from_answer(client.get(ENTITIES_PATH))


def entities_from_answer(body: bytes) -> dict[int, str | None]:
    """The entities of a ``mobility/v1/entities`` body (no request): see :func:`read_entities`."""
    return {
        entity.id: entity.name or None for entity in decode_answer(body, EntityList, ENTITIES_PATH).entities
    }


def resolve_plates(
    client: OceanClient, plates: list[str], *, fleet: list[FleetVehicle] | None = None
) -> dict[int, str]:
    """The vehicle id of each plate: ``{vehicle_id: plate}`` in the order of ``plates``.

    Plates are compared without case, spaces or dashes: a plate the server does not
    know as written is looked for in the fleet's listing before it is called unknown.

    Parameters
    ----------
    client : OceanClient
        The connection.
    plates : list of str
        Checked plates (:func:`check_plates`).
    fleet : list of FleetVehicle, optional
        The fleet listing already read (:func:`read_fleet`); read here only when needed
        and not given.

    Raises
    ------
    NotFoundError
        Naming every plate the customer does not have.
    """
    found: dict[str, int] = {}
    for k in range(0, len(plates), _PLATES_PER_REQUEST):
        found.update(_plate_ids(_ids_answer(client, plates[k : k + _PLATES_PER_REQUEST])))
    unknown = [p for p in plates if _normal(p) not in found]
    if unknown:  # written another way ('ab 123 cd')? match them against the fleet's own plates
        listing = read_fleet(client) if fleet is None else fleet
        found.update({_normal(v.plate): v.vehicle_id for v in listing if v.plate})
        unknown = [p for p in plates if _normal(p) not in found]
    if unknown:
        raise NotFoundError(
            f"Unknown plate(s) for this customer: {', '.join(unknown)}. Check the spelling "
            "(e.g. 'AB-123-CD') and customer_id.",
            endpoint=IDS_FROM_PLATES_PATH,
        )
    return {found[_normal(p)]: p for p in plates}


def _ids_answer(client: OceanClient, plates: list[str]) -> dict:
    """``{plate: id}`` for those of ``plates`` the server knows; a 404 (none known) is ``{}``."""
    try:
        body = client.get(IDS_FROM_PLATES_PATH, {"immatriculations": plates})
    except NotFoundError:
        return {}
    answer = _decode(body, IDS_FROM_PLATES_PATH)
    if not isinstance(answer, dict):
        raise MalformedResponseError(
            f"{IDS_FROM_PLATES_PATH} answered {type(answer).__name__}, not {{plate: id}}.", field="{}"
        )
    return answer


def _plate_ids(answer: dict) -> dict[str, int]:
    ids = {}
    for plate, vid in answer.items():
        if isinstance(vid, bool) or not isinstance(vid, int):
            raise MalformedResponseError(
                f"{IDS_FROM_PLATES_PATH}: plate {plate!r} maps to {vid!r}, not an integer id.", field=plate
            )
        ids[_normal(plate)] = vid
    return ids


def _normal(plate: str) -> str:
    """Plates compared without case, spaces or dashes: 'ab 123 cd' is 'AB-123-CD'."""
    return "".join(ch for ch in plate.upper() if ch.isalnum())


def _decode(body: bytes, path: str):
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedResponseError(
            f"{path} answered something that is not JSON ({exc}).", endpoint=path
        ) from exc

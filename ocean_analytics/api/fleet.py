"""Which vehicles to ask for: the whole fleet, or the vehicles behind some plates.

Analysts know their trucks by plate; the usage service wants vehicle ids.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from .client import OceanClient
from ..errors import InvalidArgumentError, MalformedResponseError, NotFoundError
from .responses import json_list_complete, not_a_list_error

__all__ = ["VEHICLES_PATH", "IDS_FROM_PLATES_PATH", "list_fleet", "resolve_plates", "check_vehicle_ids",
           "check_plates"]

VEHICLES_PATH = "/restapi/vehicule_engin/vehicles"
IDS_FROM_PLATES_PATH = "/restapi/vehicule_engin/ids-from-immats"
_PLATES_PER_REQUEST = 100


def check_vehicle_ids(vehicle_ids: Iterable[int] | None) -> list[int] | None:
    """Check vehicle ids before any request: integers, no duplicates kept, order kept.

    Raises
    ------
    InvalidArgumentError
        When ``vehicle_ids`` is a string, empty, or holds something that is not an integer.
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
    return list(dict.fromkeys(int(v) for v in ids))


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


def list_fleet(client: OceanClient) -> dict[int, str | None]:
    """Every vehicle of the client's customer: ``{vehicle_id: plate}``, in the server's order.

    Raises
    ------
    MalformedResponseError
        When the answer is not a list of vehicles with an integer ``id``.
    """
    body = client.get(VEHICLES_PATH, complete=json_list_complete)
    error = not_a_list_error(body, VEHICLES_PATH, client.redact)
    if error:
        raise error
    listing = _decode(body, VEHICLES_PATH)
    fleet: dict[int, str | None] = {}
    for position, item in enumerate(listing):
        vid = item.get("id") if isinstance(item, dict) else None
        if isinstance(vid, bool) or not isinstance(vid, int):
            raise MalformedResponseError(
                f"{VEHICLES_PATH}: element [{position}] has no integer 'id' ({item!r:.120}).",
                field=f"[{position}].id")
        plate = item.get("immatriculation")
        fleet[vid] = plate if isinstance(plate, str) and plate else None
    return fleet


def resolve_plates(client: OceanClient, plates: list[str]) -> dict[int, str]:
    """The vehicle id of each plate: ``{vehicle_id: plate}`` in the order of ``plates``.

    Plates are compared without case, spaces or dashes: a plate the server does not
    know as written is looked for in the fleet's listing before it is called unknown.

    Raises
    ------
    NotFoundError
        Naming every plate the customer does not have.
    """
    found: dict[str, int] = {}
    for k in range(0, len(plates), _PLATES_PER_REQUEST):
        chunk = plates[k:k + _PLATES_PER_REQUEST]
        answer = _decode(client.get(IDS_FROM_PLATES_PATH, {"immatriculations": chunk}), IDS_FROM_PLATES_PATH)
        if not isinstance(answer, dict):
            raise MalformedResponseError(
                f"{IDS_FROM_PLATES_PATH} answered {type(answer).__name__}, not {{plate: id}}.", field="{}")
        found.update(_plate_ids(answer))
    unknown = [p for p in plates if _normal(p) not in found]
    if unknown:  # written another way ('ab 123 cd')? match them against the fleet's own plates
        found.update({_normal(plate): vid for vid, plate in list_fleet(client).items() if plate})
        unknown = [p for p in plates if _normal(p) not in found]
    if unknown:
        raise NotFoundError(
            f"Unknown plate(s) for this customer: {', '.join(unknown)}. Check the spelling "
            "(e.g. 'AB-123-CD') and customer_id.", endpoint=IDS_FROM_PLATES_PATH)
    return {found[_normal(p)]: p for p in plates}


def _plate_ids(answer: dict) -> dict[str, int]:
    ids = {}
    for plate, vid in answer.items():
        if isinstance(vid, bool) or not isinstance(vid, int):
            raise MalformedResponseError(
                f"{IDS_FROM_PLATES_PATH}: plate {plate!r} maps to {vid!r}, not an integer id.", field=plate)
        ids[_normal(plate)] = vid
    return ids


def _normal(plate: str) -> str:
    """Plates compared without case, spaces or dashes: 'ab 123 cd' is 'AB-123-CD'."""
    return "".join(ch for ch in plate.upper() if ch.isalnum())


def _decode(body: bytes, path: str):
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedResponseError(f"{path} answered something that is not JSON ({exc}).",
                                     endpoint=path) from exc

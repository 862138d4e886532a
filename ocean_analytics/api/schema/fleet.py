"""The fleet listing (``GET /restapi/vehicule_engin/vehicles``) and the entities
(``GET /restapi/mobility/v1/entities``) as msgspec Structs.

The only module of the package that spells these answers' keys. As the platform's
documentation shows them, each listing element nests the vehicle: ``{boitier,
chauffeur, entite: {id, nom}, releve, vehicle: {id, immatriculation, numeroParc,
marque, modele, ...}}``, with no ``id`` or ``immatriculation`` at the top. Only what
the toolkit reads is declared: every other key is ignored, so the driver
(``chauffeur``, personal data) is never even decoded.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct, field

from .lookup import integer_at, json_key

__all__ = ["Entity", "EntityList", "ListedVehicle", "ListingElement", "element_vehicle_id"]

INT32_MAX = 2**31 - 1

VehicleId = Annotated[int, Meta(ge=0, le=INT32_MAX, description="an integer vehicle id")]
EntityId = Annotated[int, Meta(description="an integer entity id")]


class ListedVehicle(Struct, frozen=True, gc=False):
    """The ``vehicle`` of a listing element: the fields the toolkit keeps.

    ``fleet_number`` is the customer's own number for the vehicle (``numeroParc``).
    """

    id: VehicleId
    plate: str | None = field(name="immatriculation", default=None)
    fleet_number: str | None = field(name="numeroParc", default=None)
    make: str | None = field(name="marque", default=None)
    model: str | None = field(name="modele", default=None)


class Entity(Struct, frozen=True, gc=False):
    """An entity of the customer (agency, depot, site): ``entite`` of a listing element,
    and each of the ``entities`` of ``mobility/v1/entities``."""

    id: EntityId
    name: str | None = field(name="nom", default=None)


class ListingElement(Struct, frozen=True, gc=False):
    """One element of the fleet listing: a vehicle and the entity it belongs to."""

    vehicle: ListedVehicle
    entity: Entity | None = field(name="entite", default=None)


class EntityList(Struct, frozen=True, gc=False):
    """The answer of ``mobility/v1/entities``: ``{"entities": [{"id", "nom"}]}``."""

    entities: list[Entity]


def element_vehicle_id(element: object) -> int | None:
    """The vehicle id of a listing element decoded without a type, for naming it in an
    error; None when there is none to read."""
    return integer_at(element, (json_key(ListingElement, "vehicle"), json_key(ListedVehicle, "id")))

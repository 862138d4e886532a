"""The non-communicating boxes (``GET /restapi/noncommunicant/list``) as msgspec Structs.

The only module of the package that spells this answer's keys. The answer is a list,
one element per box that stopped talking, as the platform's documentation shows it:
``boxInstallationInfo`` (whether it ever communicated, its installation and last
communication as ISO 8601 instants in UTC, ``...Z``), ``detailedBoxDTO`` (the box and
its ``currentVehicule``), ``qualificationNCVehiculeDTO`` (the reason a user recorded,
``qualificationNCDTO.libelle``) and more that the toolkit does not read (positions,
SIM, the user who qualified it: ignored, never decoded).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta, Struct, field

from .lookup import integer_at, json_key

__all__ = [
    "BoxInstallation",
    "BoxVehicle",
    "DetailedBox",
    "NonCommunicatingBox",
    "Qualification",
    "VehicleQualification",
    "box_vehicle_id",
]

INT32_MAX = 2**31 - 1

VehicleId = Annotated[int, Meta(ge=0, le=INT32_MAX, description="an integer vehicle id")]
Instant = Annotated[dt.datetime, Meta(tz=True, description="an ISO 8601 instant with its offset ('...Z')")]


class BoxInstallation(Struct, frozen=True, gc=False):
    """``boxInstallationInfo``: when the box was installed and last talked (UTC instants)."""

    never_communicated: bool = field(name="hasNeverCommunicated")
    communicated_once: bool | None = field(name="hasCommunicatedAtLeastOnce", default=None)
    installed_at: Instant | None = field(name="installationDate", default=None)
    last_communication_at: Instant | None = field(name="lastCommunicatingDate", default=None)


class BoxVehicle(Struct, frozen=True, gc=False):
    """The vehicle a box is in (``currentVehicule``, or the qualification's ``vehicle``)."""

    id: VehicleId
    plate: str | None = field(name="immatriculation", default=None)


class DetailedBox(Struct, frozen=True, gc=False):
    """``detailedBoxDTO``: the box and the vehicle it is in (none for a box in stock)."""

    vehicle: BoxVehicle | None = field(name="currentVehicule", default=None)


class Qualification(Struct, frozen=True, gc=False):
    """``qualificationNCDTO``: a reason users record on the platform for silent boxes."""

    label: str | None = field(name="libelle", default=None)


class VehicleQualification(Struct, frozen=True, gc=False):
    """``qualificationNCVehiculeDTO``: the reason recorded for this box's vehicle."""

    qualification: Qualification | None = field(name="qualificationNCDTO", default=None)
    vehicle: BoxVehicle | None = None


class NonCommunicatingBox(Struct, frozen=True, gc=False):
    """One element of the list: a box that stopped talking, or never did."""

    installation: BoxInstallation = field(name="boxInstallationInfo")
    box: DetailedBox | None = field(name="detailedBoxDTO", default=None)
    qualified: VehicleQualification | None = field(name="qualificationNCVehiculeDTO", default=None)


def box_vehicle_id(element: object) -> int | None:
    """The vehicle id of an element decoded without a type (``detailedBoxDTO.currentVehicule.id``),
    for naming it in an error; None when there is none to read."""
    keys = (
        json_key(NonCommunicatingBox, "box"),
        json_key(DetailedBox, "vehicle"),
        json_key(BoxVehicle, "id"),
    )
    return integer_at(element, keys)

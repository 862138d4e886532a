"""The fleet listing (``vehicule_engin/vehicles``) and the entities (``mobility/v1/entities``).

Shapes as the platform's documentation shows them: each listing element nests the
vehicle beside its box, driver, entity, meter readings and visits; there is no ``id``
or ``immatriculation`` at the top of an element. Keys in alphabetical order, as
Swagger shows them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .cards import Box, Card, Driver, box_warranty_end
from .config import SimulatorConfig
from .fleet import Customer, Vehicle
from .payload import vehicle_object
from .shapes import iso_instant, optional

__all__ = ["fleet_listing", "listed_vehicle", "box_object", "entities_answer", "READING_DAY"]

READING_DAY = dt.date(2024, 1, 1)
"""The day of each vehicle's ``odometer_km``; the latest reading adds ``km_per_day`` since."""


def fleet_listing(config: SimulatorConfig, customer: Customer, today: dt.date) -> list[dict[str, Any]]:
    """The answer of ``GET /restapi/vehicule_engin/vehicles``: one element per vehicle.

    Parameters
    ----------
    config : SimulatorConfig
        Chooses how an absent driver is written (``missing_values``).
    customer : Customer
        Whose vehicles.
    today : datetime.date
        The day of the request (UTC): the latest meter reading is at its midnight.
    """
    return [listing_element(config, vehicle, today) for vehicle in customer.vehicles]


def listing_element(config: SimulatorConfig, vehicle: Vehicle, today: dt.date) -> dict[str, Any]:
    """One element of the fleet listing."""
    card = vehicle.card
    reading = _reading(vehicle, card, today)
    return {
        "boitier": box_object(card.box),
        **optional(config, "chauffeur", _driver_object(card.driver) if card.driver else None),
        "emissionCo2": card.co2_g_km,
        "entite": {"id": vehicle.entity_id, "nom": vehicle.entity_name, "suppressionLogique": False},
        "releve": reading,
        "releveAjuste": dict(reading, id=reading["id"] + 1),
        "vehicle": listed_vehicle(vehicle),
        "visites": [],
    }


def listed_vehicle(vehicle: Vehicle) -> dict[str, Any]:
    """The ``vehicle`` of a listing element: the duree answer's vehicle and its registration card."""
    card = vehicle.card
    full = {
        **vehicle_object(vehicle),
        "apcMode": "GPS",
        "boitierAvantCoupeCircuit": False,
        "buzzerSurvitesseEnabled": False,
        "categorieVehiculeEcoConduite": "UL",
        "couleur": card.colour,
        "coupeBatterie": False,
        "date1ereMec": iso_instant(card.first_registration),
        "emissionCo2": card.co2_g_km,
        "etatEcoConduite": "ACTIF",
        "geomissionEnabled": False,
        "idEnergie": 1,
        "idModeDeplacement": 1,
        "idUniteConsommation": 1,
        "immatriculation": vehicle.plate,
        "marque": vehicle.make,
        "modele": vehicle.model,
        "nombreCvFiscaux": card.fiscal_hp,
        "numeroEmbarque": vehicle.id % 100_000,
        "numeroParc": vehicle.fleet_number,
        "numeroSerie": card.vin[-8:],
        "prk": 0,
        "signesDistinctifs": "",
        "valeurConsommation": 0,
        "vin": card.vin,
    }
    return dict(sorted(full.items()))


def box_object(box: Box) -> dict[str, Any]:
    """A tracking box (``boitier``, and ``detailedBoxDTO.box`` of the non-communicating list)."""
    return {
        "adBoi": "",
        "commentaireBoi": "",
        "coreGsmBoi": box.sim_number,
        "debutGarantie": iso_instant(box.installed),
        "finGarantie": iso_instant(box_warranty_end(box)),
        "id": box.id,
        "idEtatBoitier": 1,
        "imeiBoi": box.imei,
        "numeroSerieBoi": box.serial,
        "sn": box.serial,
    }


def _driver_object(driver: Driver) -> dict[str, Any]:
    """The ``chauffeur`` of a listing element: an obviously fake person."""
    return {
        "email": driver.email,
        "gsm": driver.gsm,
        "id": driver.id,
        "idCivilite": 1,
        "initialesInd": driver.first_name[0] + driver.last_name[0],
        "matriculeInd": driver.staff_number,
        "nomInd": driver.last_name,
        "prenomInd": driver.first_name,
        "suppressionLogique": False,
    }


def _reading(vehicle: Vehicle, card: Card, today: dt.date) -> dict[str, Any]:
    """The latest meter reading: at midnight (UTC) of ``today``, in kilometres."""
    days = max(0, (today - READING_DAY).days)
    midnight = dt.datetime.combine(today, dt.time(), dt.UTC)
    value = card.odometer_km + days * card.km_per_day
    return {"dateReleve": iso_instant(midnight), "id": vehicle.id * 10, "value": value}


def entities_answer(customer: Customer) -> dict[str, Any]:
    """The answer of ``GET /restapi/mobility/v1/entities``: ``{"entities": [{"id", "nom"}]}``."""
    return {"entities": [{"id": entity_id, "nom": name} for entity_id, name in customer.entities]}

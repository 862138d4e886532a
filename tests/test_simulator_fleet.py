"""Simulator: the fleet listing, the entities, plates to ids and error bodies, in the documented shapes.

The documented keys are copied here from the platform's pages (``fr/web-services/flotte.md``),
not from the simulator, so that a key the simulator invents or forgets fails a test.
"""

from __future__ import annotations

import re

import pytest
from test_simulator_support import DUREE, ENTITIES, IDS, VEHICLES, Api

pytestmark = pytest.mark.live

ELEMENT_KEYS = {
    "boitier",
    "chauffeur",
    "emissionCo2",
    "entite",
    "releve",
    "releveAjuste",
    "vehicle",
    "visites",
}
LISTED_VEHICLE_KEYS = {
    "apcMode",
    "boitierAvantCoupeCircuit",
    "buzzerSurvitesseEnabled",
    "categorie",
    "categorieVehiculeEcoConduite",
    "couleur",
    "coupeBatterie",
    "date1ereMec",
    "description",
    "detectionPorteEnabled",
    "dioEnabled",
    "dispositifIdentifiant",
    "emissionCo2",
    "etatEcoConduite",
    "geolocalise",
    "geomissionEnabled",
    "geosecuriteEnabled",
    "id",
    "idEnergie",
    "idModeDeplacement",
    "idUniteConsommation",
    "immatriculation",
    "immobilisationCablee",
    "libelleTypeAsset",
    "marque",
    "modele",
    "nomImage",
    "nombreCvFiscaux",
    "numeroEmbarque",
    "numeroParc",
    "numeroSerie",
    "odirectMode",
    "privacyEnabled",
    "prk",
    "signesDistinctifs",
    "suppressionLogique",
    "typeMotorisation",
    "valeurConsommation",
    "vin",
}
BOX_KEYS = {
    "adBoi",
    "commentaireBoi",
    "coreGsmBoi",
    "debutGarantie",
    "finGarantie",
    "id",
    "idEtatBoitier",
    "imeiBoi",
    "numeroSerieBoi",
    "sn",
}
DRIVER_KEYS = {
    "email",
    "gsm",
    "id",
    "idCivilite",
    "initialesInd",
    "matriculeInd",
    "nomInd",
    "prenomInd",
    "suppressionLogique",
}
READING_KEYS = {"dateReleve", "id", "value"}
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def listing(sim, customer=0, **params):
    return Api(sim).get(VEHICLES, {"customerId": sim.customers[customer].id, **params})


def test_each_element_nests_the_vehicle_beside_its_box_driver_and_entity(simulator):
    customer = simulator.customers[1]
    answer = listing(simulator, 1).json()
    assert [e["vehicle"]["id"] for e in answer] == [v.id for v in customer.vehicles]
    for element, vehicle in zip(answer, customer.vehicles, strict=True):
        assert set(element) == ELEMENT_KEYS  # no id or immatriculation at the top
        assert set(element["vehicle"]) == LISTED_VEHICLE_KEYS
        assert set(element["boitier"]) == BOX_KEYS
        assert set(element["releve"]) == set(element["releveAjuste"]) == READING_KEYS
        assert element["entite"] == {
            "id": vehicle.entity_id,
            "nom": vehicle.entity_name,
            "suppressionLogique": False,
        }
        assert element["vehicle"]["immatriculation"] == vehicle.plate
        assert (
            element["vehicle"]["numeroParc"],
            element["vehicle"]["marque"],
            element["vehicle"]["modele"],
        ) == (vehicle.fleet_number, vehicle.make, vehicle.model)
        assert ISO_UTC.fullmatch(element["vehicle"]["date1ereMec"]) and ISO_UTC.fullmatch(
            element["releve"]["dateReleve"]
        )
        assert element["visites"] == []
    assert all(
        re.fullmatch(r"[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}", e["vehicle"]["immatriculation"])
        for e in answer
    )


def test_fleet_numbers_makes_and_models_read_like_a_fleet(simulator):
    vehicles = [e["vehicle"] for e in listing(simulator).json()]
    numbers = [v["numeroParc"] for v in vehicles]
    assert len(set(numbers)) == len(numbers) == 12
    assert [int(n[-3:]) for n in numbers] == list(range(1, 13))  # rank in the fleet, by id
    for vehicle in vehicles:
        assert re.fullmatch(r"[A-Z]{3}-\d{3}", vehicle["numeroParc"])
        assert vehicle["marque"] and vehicle["modele"]
        # the description opens with the make or its short name ("Mercedes" for Mercedes-Benz)
        assert vehicle["description"].split()[0] == vehicle["marque"].split("-")[0]


def test_drivers_are_obviously_fake_and_some_vehicles_have_none(simulator_factory):
    sim = simulator_factory(n_customers=1, vehicles_per_customer=40)
    drivers = [e["chauffeur"] for e in listing(sim).json()]
    assert None in drivers, "some vehicles should have no driver assigned"
    people = [d for d in drivers if d is not None]
    assert len(people) > 20
    for driver in people:
        assert set(driver) == DRIVER_KEYS
        assert driver["prenomInd"] == "Chauffeur" and driver["nomInd"].startswith("FICTIF-")
        assert driver["email"].endswith("@example.invalid")
        assert driver["gsm"].startswith("+33 6 39 98 ")  # the range reserved for fiction


def test_an_absent_driver_is_null_or_left_out(simulator_factory):
    null, omitted = (
        simulator_factory(n_customers=1, vehicles_per_customer=40),
        simulator_factory(n_customers=1, vehicles_per_customer=40, missing_values="omitted"),
    )
    with_null, without = listing(null).json(), listing(omitted).json()
    driverless = [i for i, e in enumerate(with_null) if e["chauffeur"] is None]
    assert driverless
    assert all("chauffeur" not in without[i] for i in driverless)
    assert all(without[i] == with_null[i] for i in range(len(with_null)) if i not in driverless)


def test_the_immatriculation_parameter_lists_one_vehicle(simulator_factory):
    sim, strict = simulator_factory(), simulator_factory(unknown_plates="404")
    vehicle = sim.customers[0].vehicles[4]
    one = listing(sim, immatriculation=vehicle.plate).json()
    assert [e["vehicle"]["id"] for e in one] == [vehicle.id]
    assert listing(sim, immatriculation="ZZ-999-ZZ").json() == []
    assert listing(strict, immatriculation="ZZ-999-ZZ").status_code == 404
    assert listing(sim, immatriculation=[vehicle.plate, vehicle.plate]).status_code == 400


def test_entities_answer_every_entity_of_the_customer(simulator):
    customer = simulator.customers[2]
    answer = Api(simulator).get(ENTITIES, {"customerId": customer.id}).json()
    assert answer == {"entities": [{"id": i, "nom": name} for i, name in customer.entities]}
    assert len(answer["entities"]) == 3 and all(e["nom"].startswith("Agence ") for e in answer["entities"])
    used = {e["entite"]["id"] for e in listing(simulator, 2).json()}
    assert used <= {e["id"] for e in answer["entities"]}


def test_ids_from_plates_of_none_known_answer_empty_or_404(simulator_factory):
    sim, strict = simulator_factory(), simulator_factory(unknown_plates="404")
    params = {"customerId": sim.customers[0].id, "immatriculations": ["ZZ-999-ZZ"]}
    assert Api(sim).get(IDS, params).json() == {}
    missing = Api(strict).get(IDS, params)
    assert missing.status_code == 404 and missing.json()["oceanStatus"] == "notFound"
    plate = strict.customers[0].vehicles[0].plate
    assert Api(strict).get(IDS, {**params, "immatriculations": [plate, "ZZ-999-ZZ"]}).json() == {
        plate: strict.customers[0].vehicles[0].id
    }


@pytest.mark.parametrize("shape", ["object", "list"])
def test_error_bodies_are_the_documented_object_alone_or_in_a_list(simulator_factory, shape):
    sim = simulator_factory(error_body=shape)
    api = Api(sim)
    bad = api.duree(None, "2024-03-01", "01/03/2024")
    expected = {
        "oceanStatus": "badParameters",
        "message": "Parameter 'startDate' must be one date as dd/MM/yyyy (the only format accepted), "
        "got ['2024-03-01']",
    }
    assert bad.status_code == 400
    assert bad.json() == (expected if shape == "object" else [expected])
    refused = api.get(DUREE, {"startDate": "01/03/2024", "endDate": "01/03/2024"}, token=None)
    body = refused.json() if shape == "object" else refused.json()[0]
    assert refused.status_code == 401 and set(body) == {"oceanStatus", "message"}
    assert body["oceanStatus"] == "unauthorized"

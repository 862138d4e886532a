"""The services around duree, held against the platform's documentation.

First part, apart from the simulator: examples transcribed from the documentation's
pages (``fr/web-services/flotte.md``, ``fr/web-services/boitiers-non-communicants.md``,
gathered in ``reference/ocean-neighbour-services.md``), every documented key in its
place, the values made up, read by the client's readers. Each expected value is
written out by hand from the JSON above it. Second part: the same readers over HTTP
against the simulator, the expected values taken from the simulator's own fleet and
settings.
"""

from __future__ import annotations

import datetime as dt
import json

import msgspec
import pandas as pd
import pytest
import requests
from reliability_support import client_for

import ocean_analytics as oa
from ocean_analytics.api.fleet import (
    ENTITIES_PATH,
    IDS_FROM_PLATES_PATH,
    VEHICLES_PATH,
    FleetVehicle,
    entities_from_answer,
    fleet_from_listing,
    list_fleet,
    read_entities,
    read_fleet,
    resolve_plates,
)
from ocean_analytics.api.noncommunicant import (
    NONCOMMUNICANT_PATH,
    SILENT_BOXES,
    coverage_from_answer,
    read_noncommunicant,
    silent_days,
)
from ocean_analytics.simulator import SilentBox

UTC = dt.UTC

# -- examples transcribed from the documentation ---------------------------------------------
DRIVER = {
    "email": "marie.dupont@transports.example",
    "gsm": "+33 6 12 34 56 78",
    "id": 90117,
    "idCivilite": 2,
    "initialesInd": "MD",
    "matriculeInd": "MAT-0042",
    "nomInd": "DUPONT",
    "prenomInd": "Marie",
    "suppressionLogique": False,
}


def listed_vehicle(vehicle_id, plate, fleet_number, make, model, *, description):
    """A documented ``vehicle`` of the listing (every key of the page), values made up."""
    return {
        "apcMode": "GPS",
        "boitierAvantCoupeCircuit": False,
        "buzzerSurvitesseEnabled": False,
        "categorie": "POIDS_LOURD",
        "categorieVehiculeEcoConduite": "UL",
        "couleur": "Blanc",
        "coupeBatterie": False,
        "date1ereMec": "2019-05-14T00:00:00.000Z",
        "description": description,
        "detectionPorteEnabled": False,
        "dioEnabled": True,
        "dispositifIdentifiant": True,
        "emissionCo2": 0,
        "etatEcoConduite": "ACTIF",
        "geolocalise": True,
        "geomissionEnabled": False,
        "geosecuriteEnabled": False,
        "id": vehicle_id,
        "idEnergie": 1,
        "idModeDeplacement": 1,
        "idUniteConsommation": 1,
        "immatriculation": plate,
        "immobilisationCablee": False,
        "libelleTypeAsset": {
            "categorie": "POIDS_LOURD",
            "id": 11,
            "libelle": "Camion grue",
            "nomIcone": "grue",
            "ordre": 1,
        },
        "marque": make,
        "modele": model,
        "nomImage": "grue.png",
        "nombreCvFiscaux": 40,
        "numeroEmbarque": 7,
        "numeroParc": fleet_number,
        "numeroSerie": "SN-000117",
        "odirectMode": "ODIRECT_UNIVERSEL",
        "privacyEnabled": False,
        "prk": 0,
        "signesDistinctifs": "",
        "suppressionLogique": False,
        "typeMotorisation": "MONO",
        "valeurConsommation": 0,
        "vin": "VF1AB000000000117",
    }


def box():
    return {
        "adBoi": "",
        "commentaireBoi": "",
        "coreGsmBoi": "+33 7 00 11 22 33",
        "debutGarantie": "2021-03-02T09:00:00.000Z",
        "finGarantie": "2024-03-02T09:00:00.000Z",
        "id": 5501,
        "idEtatBoitier": 1,
        "imeiBoi": "356000000000117",
        "numeroSerieBoi": "OC00000117",
        "sn": "OC00000117",
    }


def reading(value):
    return {"dateReleve": "2024-10-31T00:00:00.000Z", "id": 77, "value": value}


LISTING = [
    {
        "boitier": box(),
        "chauffeur": DRIVER,
        "emissionCo2": 0,
        "entite": {"id": 12, "nom": "Dépôt Lyon Sud", "suppressionLogique": False},
        "releve": reading(152300),
        "releveAjuste": reading(152310),
        "vehicle": listed_vehicle(
            4711, "AB-123-CD", "PARC-17", "Renault", "C 430", description="Grue 23 t.m - Lyon"
        ),
        "visites": [
            {
                "compteurPrevu": 160000,
                "datePrevue": "2024-12-02T08:00:00.000Z",
                "description": "Révision",
                "idVisiteEntretien": 3,
            }
        ],
    },
    {
        "boitier": box(),
        "chauffeur": None,
        "emissionCo2": 0,
        "entite": {"id": 13, "nom": "Agence Grenoble", "suppressionLogique": False},
        "releve": reading(98000),
        "releveAjuste": reading(98000),
        "vehicle": listed_vehicle(4712, "EF-456-GH", "", "Volvo", "FMX", description="Benne TP"),
        "visites": [],
    },
]
# by hand from LISTING: vehicle.id, immatriculation, entite, numeroParc ("" is none), marque, modele
EXPECTED_FLEET = [
    FleetVehicle(4711, "AB-123-CD", 12, "Dépôt Lyon Sud", "PARC-17", "Renault", "C 430"),
    FleetVehicle(4712, "EF-456-GH", 13, "Agence Grenoble", None, "Volvo", "FMX"),
]
ENTITIES = {
    "entities": [
        {"id": 12, "nom": "Dépôt Lyon Sud"},
        {"id": 13, "nom": "Agence Grenoble"},
        {"id": 14, "nom": "Agence Valence"},
    ]
}


def silent_element(vehicle, installed, last, never, reason=None):
    """A documented element of ``noncommunicant/list`` (its main keys), values made up."""
    qualification = (
        None
        if reason is None
        else {
            "qualificationNCDTO": {
                "dateNcEnabled": True,
                "id": 3,
                "libelle": reason,
                "mailGroupNC": "NO_MAIL",
            },
            "qualificationNCVehiculeEnginLightDTO": {
                "commentaire": "vu avec l'atelier",
                "dateFin": None,
                "dateQualification": "2024-10-16T08:00:00.000Z",
                "id": 8,
            },
            "utilisateurLightDTO": {
                "emailUti": "chef.parc@transports.example",
                "id": 4,
                "individu": DRIVER,
                "loginUti": "chef.parc",
                "nomUti": "MARTIN",
                "prenomUti": "Paul",
            },
            "vehicle": None if vehicle is None else {"id": vehicle["id"], "description": "Grue"},
        }
    )
    return {
        "boxInstallationInfo": {
            "hasCommunicatedAtLeastOnce": not never,
            "hasNeverCommunicated": never,
            "installationDate": installed,
            "lastCommunicatingDate": last,
        },
        "detailedBoxDTO": {
            "box": box(),
            "client": {
                "codeExploitant": "X",
                "fuseauHoraire": "Europe/Paris",
                "id": 31865,
                "nom": "Transports Exemple",
                "suppressionLogique": False,
            },
            "currentVehicule": vehicle,
            "id": 5501,
            "operateurSim": "Orange",
            "phoneSim": "+33 7 00 11 22 33",
            "sim": {"iccid": "8933000000000000117", "simHs": False},
        },
        "ongletPositionVehicleDTO": None
        if never
        else {"address": {"town": "Lyon"}, "heure": last, "individu": {"individu": DRIVER}, "nbDaysInNC": 17},
        "qualificationNCVehiculeDTO": qualification,
    }


NONCOMMUNICANT = [
    silent_element(
        listed_vehicle(4711, "AB-123-CD", "PARC-17", "Renault", "C 430", description="Grue"),
        "2021-03-02T09:00:00.000Z",
        "2024-10-14T22:30:00.000Z",
        False,
        reason="Véhicule au garage",
    ),
    silent_element(
        listed_vehicle(4712, "EF-456-GH", "", "Volvo", "FMX", description="Benne"),
        "2024-09-30T07:00:00.000Z",
        None,
        True,
    ),
    silent_element(None, "2023-01-10T10:00:00.000Z", "2023-06-01T12:00:00.000Z", False),  # a box in stock
]


def body(value) -> bytes:
    return json.dumps(value).encode()


def strings_in(value):
    """Every string and integer inside a JSON value."""
    if isinstance(value, dict):
        return [x for v in value.values() for x in strings_in(v)]
    if isinstance(value, list):
        return [x for v in value for x in strings_in(v)]
    return [value] if isinstance(value, str | int) and not isinstance(value, bool) else []


class PaperClient:
    """Stands for OceanClient without HTTP: each path answers a body, or raises an error."""

    def __init__(self, answers):
        self.answers, self.asked = answers, []

    def get(self, path, params=None, *, complete=None):
        self.asked.append((path, params))
        answer = self.answers[path]
        if isinstance(answer, Exception):
            raise answer
        return answer(params) if callable(answer) else answer

    def redact(self, text):
        return text


# -- the documented listing, entities and silent boxes, read -------------------------------------
def test_the_documented_listing_gives_id_plate_site_fleet_number_make_and_model():
    assert fleet_from_listing(body(LISTING)) == EXPECTED_FLEET
    client = PaperClient({VEHICLES_PATH: body(LISTING)})
    assert read_fleet(client) == EXPECTED_FLEET
    assert list_fleet(client) == {4711: "AB-123-CD", 4712: "EF-456-GH"}


def test_no_driver_value_reaches_the_result():
    personal = [v for v in strings_in(DRIVER) if v not in ("", 2)]
    assert "marie.dupont@transports.example" in personal and "DUPONT" in personal
    result = fleet_from_listing(body(LISTING))
    kept = [value for vehicle in result for value in msgspec.structs.astuple(vehicle)]
    assert not [value for value in personal if value in kept or str(value) in repr(result)]


def test_plates_written_another_way_are_found_in_the_nested_listing():
    client = PaperClient({IDS_FROM_PLATES_PATH: lambda params: body({}), VEHICLES_PATH: body(LISTING)})
    assert resolve_plates(client, ["ab 123 cd", "EF456GH"]) == {4711: "ab 123 cd", 4712: "EF456GH"}
    assert [path for path, _ in client.asked] == [IDS_FROM_PLATES_PATH, VEHICLES_PATH]
    with pytest.raises(oa.NotFoundError, match=r"Unknown plate.*ZZ-999-ZZ"):
        resolve_plates(client, ["AB-123-CD", "ZZ-999-ZZ"])


def test_ids_from_immats_answering_404_for_no_known_plate_falls_back_to_the_listing():
    refused = oa.NotFoundError("GET ids-from-immats answered 404", status=404)
    client = PaperClient({IDS_FROM_PLATES_PATH: refused, VEHICLES_PATH: body(LISTING)})
    assert resolve_plates(client, ["ab-123-cd"]) == {4711: "ab-123-cd"}


def test_the_documented_entities():
    assert entities_from_answer(body(ENTITIES)) == {
        12: "Dépôt Lyon Sud",
        13: "Agence Grenoble",
        14: "Agence Valence",
    }
    assert read_entities(PaperClient({ENTITIES_PATH: body(ENTITIES)})) == {
        12: "Dépôt Lyon Sud",
        13: "Agence Grenoble",
        14: "Agence Valence",
    }


def test_the_documented_silent_boxes_per_vehicle():
    coverage = coverage_from_answer(body(NONCOMMUNICANT))
    assert coverage.known is True and coverage.boxes_without_vehicle == 1  # the box in stock
    boxes = coverage.boxes
    assert list(boxes.columns) == list(SILENT_BOXES) and dict(boxes.dtypes.astype(str)) == SILENT_BOXES
    assert boxes["vehicle_id"].tolist() == [4711, 4712]
    assert boxes["plate"].tolist() == ["AB-123-CD", "EF-456-GH"]
    assert boxes["never_communicated"].tolist() == [False, True]
    assert boxes["installed_at"].tolist() == [
        pd.Timestamp("2021-03-02 09:00", tz="UTC"),
        pd.Timestamp("2024-09-30 07:00", tz="UTC"),
    ]
    assert boxes["last_communication_at"].iloc[0] == pd.Timestamp("2024-10-14 22:30", tz="UTC")
    assert pd.isna(boxes["last_communication_at"].iloc[1])
    assert boxes["reason"].iloc[0] == "Véhicule au garage" and pd.isna(boxes["reason"].iloc[1])
    text = repr(coverage) + boxes.to_csv()
    assert "DUPONT" not in text and "chef.parc" not in text and "vu avec" not in text


@pytest.mark.parametrize(
    "api_tz,last_day,installation_days",
    [
        ("UTC", "2024-10-14", ["2021-03-02", "2024-09-30"]),
        (
            "Europe/Paris",
            "2024-10-15",
            ["2021-03-02", "2024-09-30"],
        ),  # 22:30 UTC is 00:30 on the 15th in Paris
        ("America/New_York", "2024-10-14", ["2021-03-02", "2024-09-30"]),  # 18:30 on the 14th; 03:00 on 30/09
    ],
)
def test_last_day_and_installation_day_on_the_api_clock(api_tz, last_day, installation_days):
    days = silent_days(coverage_from_answer(body(NONCOMMUNICANT)).boxes, api_tz)
    assert days["last_day"].iloc[0] == pd.Timestamp(last_day) and pd.isna(days["last_day"].iloc[1])
    assert days["installation_day"].tolist() == [pd.Timestamp(d) for d in installation_days]
    assert str(days["last_day"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize("status,error", [(403, oa.PermissionDeniedError), (404, oa.NotFoundError)])
def test_a_contract_without_the_service_gives_unknown_not_every_box_talks(status, error):
    refusal = error("refused", status=status, server_message="Accès refusé")
    coverage = read_noncommunicant(PaperClient({NONCOMMUNICANT_PATH: refusal}))
    assert coverage.known is False and coverage.boxes.empty
    assert f"answered {status} (Accès refusé)" in coverage.refusal and "unknown" in coverage.refusal
    every_box_talks = read_noncommunicant(PaperClient({NONCOMMUNICANT_PATH: b"[]"}))
    assert every_box_talks.known is True and every_box_talks.boxes.empty and every_box_talks.refusal is None


def test_a_documented_error_object_answered_200_is_named_not_read_as_no_box():
    error_body = body({"oceanStatus": "badParameters", "message": "Utilisateur n'a pas d'Individu !"})
    with pytest.raises(oa.MalformedResponseError, match="no list but a JSON object"):
        read_noncommunicant(PaperClient({NONCOMMUNICANT_PATH: error_body}))


# -- malformed answers name the element, the vehicle and the field -----------------------------
def changed(value, path, new):
    """A deep copy of ``value`` with the item at ``path`` set to ``new`` (deleted when new is ...)."""
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    if new is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return copy


@pytest.mark.parametrize(
    "answer,field,vehicle_id,words",
    [
        (
            [{"id": 4711, "immatriculation": "AB-123-CD", "description": "x"}],
            "[0].vehicle",
            None,
            "missing required field `vehicle`",
        ),  # the flat shape the simulator used to invent
        (changed(LISTING, [1, "vehicle", "id"], "4712"), "[1].vehicle.id", None, "expected `int`, got `str`"),
        (changed(LISTING, [1, "vehicle", "numeroParc"], 17), "[1].vehicle.numeroParc", 4712, "got `int`"),
        (changed(LISTING, [0, "entite", "id"], None), "[0].entite.id", 4711, "got `null`"),
        (changed(LISTING, [1, "vehicle"], ...), "[1].vehicle", None, "missing required field"),
        (changed(LISTING, [1, "vehicle", "id"], 4711), "[1].vehicle.id", 4711, "both list vehicle 4711"),
    ],
)
def test_a_malformed_listing_names_the_element_and_field(answer, field, vehicle_id, words):
    with pytest.raises(oa.MalformedResponseError) as raised:
        fleet_from_listing(body(answer))
    error = raised.value
    assert (error.field, error.vehicle_id, error.endpoint) == (field, vehicle_id, VEHICLES_PATH)
    assert words in str(error) and field in str(error)
    assert (f"vehicle {vehicle_id}" in str(error)) == (vehicle_id is not None)


@pytest.mark.parametrize(
    "answer,field,vehicle_id,words",
    [
        (
            changed(
                NONCOMMUNICANT, [0, "boxInstallationInfo", "lastCommunicatingDate"], "2024-10-14T22:30:00"
            ),
            "[0].boxInstallationInfo.lastCommunicatingDate",
            4711,
            "timezone",
        ),
        (
            changed(NONCOMMUNICANT, [1, "boxInstallationInfo", "hasNeverCommunicated"], "yes"),
            "[1].boxInstallationInfo.hasNeverCommunicated",
            4712,
            "expected `bool`",
        ),
        (
            changed(NONCOMMUNICANT, [0, "boxInstallationInfo", "lastCommunicatingDate"], None),
            "[0].boxInstallationInfo.lastCommunicatingDate",
            4711,
            "missing for a box that communicated",
        ),
        (
            changed(
                NONCOMMUNICANT, [1, "boxInstallationInfo", "lastCommunicatingDate"], "2024-10-01T00:00:00Z"
            ),
            "[1].boxInstallationInfo.lastCommunicatingDate",
            4712,
            "set for a box that never communicated",
        ),
        (
            changed(NONCOMMUNICANT, [0, "boxInstallationInfo", "installationDate"], "2025-01-01T00:00:00Z"),
            "[0].boxInstallationInfo.lastCommunicatingDate",
            4711,
            "before installationDate",
        ),
        (
            changed(NONCOMMUNICANT, [1, "boxInstallationInfo", "hasCommunicatedAtLeastOnce"], True),
            "[1].boxInstallationInfo.hasNeverCommunicated",
            4712,
            "says the same",
        ),
        (
            changed(NONCOMMUNICANT, [0, "boxInstallationInfo"], ...),
            "[0].boxInstallationInfo",
            4711,
            "missing",
        ),
    ],
)
def test_a_malformed_silent_box_names_the_element_vehicle_and_field(answer, field, vehicle_id, words):
    with pytest.raises(oa.MalformedResponseError) as raised:
        coverage_from_answer(body(answer))
    error = raised.value
    assert (error.field, error.vehicle_id) == (field, vehicle_id)
    assert words in str(error) and f"vehicle {vehicle_id}" in str(error)


def test_malformed_entities_and_bodies_that_are_not_json_are_named():
    with pytest.raises(oa.MalformedResponseError) as raised:
        entities_from_answer(body({"entities": [{"id": "12", "nom": "Lyon"}]}))
    assert raised.value.field == "entities[0].id"
    with pytest.raises(oa.MalformedResponseError, match="not JSON"):
        fleet_from_listing(b'[{"vehicle": ')


# -- the same readers, over HTTP, against the simulator -------------------------------------------
def test_the_simulator_listing_read_over_http(simulator):
    customer = simulator.customers[0]
    fleet = read_fleet(client_for(simulator))
    assert fleet == [
        FleetVehicle(v.id, v.plate, v.entity_id, v.entity_name, v.fleet_number, v.make, v.model)
        for v in customer.vehicles
    ]
    assert read_entities(client_for(simulator)) == dict(customer.entities)
    raw = raw_listing(simulator)
    drivers = [x for e in raw if e["chauffeur"] for x in strings_in(e["chauffeur"]) if isinstance(x, str)]
    assert drivers and not [x for x in drivers if x in repr(fleet)]


def raw_listing(sim):
    account = sim.accounts["single"]
    token = requests.post(
        sim.base_url + "/restapi/auth/authenticate2",
        timeout=10,
        json={"login": account.login, "password": account.password},
    ).json()["token"]
    return requests.get(sim.base_url + VEHICLES_PATH, headers={"X-AUTH-TOKEN": token}, timeout=10).json()


@pytest.mark.parametrize("unknown_plates", ["empty", "404"])
def test_plates_over_http_whatever_ids_from_immats_answers_for_unknown_ones(
    simulator_factory, unknown_plates
):
    sim = simulator_factory(unknown_plates=unknown_plates)
    vehicles = sim.customers[0].vehicles
    odd = vehicles[3].plate.lower().replace("-", " ")
    assert resolve_plates(client_for(sim), [odd]) == {vehicles[3].id: odd}
    assert resolve_plates(client_for(sim), [vehicles[0].plate, odd]) == {
        vehicles[0].id: vehicles[0].plate,
        vehicles[3].id: odd,
    }
    with pytest.raises(oa.NotFoundError, match="ZZ-999-ZZ"):
        resolve_plates(client_for(sim), ["ZZ-999-ZZ"])


def test_the_simulator_silent_boxes_read_over_http(simulator_factory):
    vehicles = simulator_factory().customers[0].vehicles
    last = dt.datetime(2024, 10, 14, 22, 30, 5, tzinfo=UTC)
    sim = simulator_factory(
        silent_boxes=(
            SilentBox(
                vehicles[2].id,
                last_communication=last,
                installed=dt.date(2022, 5, 3),
                reason="Boîtier débranché",
            ),
            SilentBox(vehicles[6].id),
        )
    )
    coverage = read_noncommunicant(client_for(sim))
    boxes = coverage.boxes
    assert coverage.known and boxes["vehicle_id"].tolist() == [vehicles[2].id, vehicles[6].id]
    assert boxes["plate"].tolist() == [vehicles[2].plate, vehicles[6].plate]
    assert boxes["never_communicated"].tolist() == [False, True]
    assert boxes["last_communication_at"].iloc[0] == pd.Timestamp(last)
    assert boxes["installed_at"].iloc[0] == pd.Timestamp("2022-05-03 12:00", tz="UTC")  # a bare day: noon
    assert boxes["installed_at"].iloc[1] == pd.Timestamp(vehicles[6].card.box.installed)
    assert boxes["reason"].iloc[0] == "Boîtier débranché" and pd.isna(boxes["reason"].iloc[1])
    assert silent_days(boxes, "Europe/Paris")["last_day"].iloc[0] == pd.Timestamp("2024-10-15")


@pytest.mark.parametrize("status", [403, 404])
@pytest.mark.parametrize("error_body", ["object", "list"])
def test_the_simulator_refusing_the_service_gives_unknown(simulator_factory, status, error_body):
    sim = simulator_factory(noncommunicant_status=status, error_body=error_body)
    coverage = read_noncommunicant(client_for(sim))
    assert coverage.known is False and f"answered {status}" in coverage.refusal


@pytest.mark.parametrize("error_body", ["object", "list"])
def test_documented_error_bodies_alone_or_in_a_list_raise_by_status(simulator_factory, error_body):
    sim = simulator_factory(error_body=error_body)
    other = sim.customers[1].id
    with pytest.raises(oa.PermissionDeniedError) as raised:
        read_fleet(client_for(sim, customer_id=other))
    assert raised.value.status == 403

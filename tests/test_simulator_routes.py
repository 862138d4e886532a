"""Simulator: the duree route's parameters and rules, and plates to ids.

The listing is tested in test_simulator_fleet.
"""

from __future__ import annotations

import datetime as dt
import re

import orjson
import pytest
from test_simulator_support import DUREE, IDS, Api, vehicle_with_equipment

pytestmark = pytest.mark.live

VEHICLE_KEYS = {
    "categorie",
    "description",
    "detectionPorteEnabled",
    "dioEnabled",
    "dispositifIdentifiant",
    "geolocalise",
    "geosecuriteEnabled",
    "id",
    "immobilisationCablee",
    "libelleTypeAsset",
    "nomImage",
    "odirectMode",
    "privacyEnabled",
    "suppressionLogique",
    "typeMotorisation",
}


def ids(sim, n, customer=0):
    return [v.id for v in sim.customers[customer].vehicles[:n]]


def test_multi_customer_login_must_send_customer_id(simulator):
    api = Api(simulator, "multi")
    answer = api.get(DUREE, {"startDate": "01/03/2024", "endDate": "01/03/2024"})
    assert answer.status_code == 400
    assert "customerId" in answer.json()["message"]


def test_single_customer_login_may_omit_customer_id_but_not_reach_another(simulator):
    api = Api(simulator, "single")
    days = {"startDate": "01/03/2024", "endDate": "01/03/2024"}
    own = api.get(DUREE, days)
    assert own.status_code == 200
    assert [e["vehicle"]["id"] for e in own.json()] == [v.id for v in simulator.customers[0].vehicles]
    assert api.get(DUREE, {**days, "customerId": simulator.customers[1].id}).status_code == 403
    assert api.get(DUREE, {**days, "customerId": 1}).status_code == 404


def test_veh_ids_repeated_comma_separated_and_mixed_give_the_same_answer(simulator):
    api = Api(simulator)
    a, b, c = ids(simulator, 3)
    repeated = api.duree([a, b, c], "01/03/2024", "02/03/2024")
    commas = api.duree(f"{a},{b},{c}", "01/03/2024", "02/03/2024")
    mixed = api.duree([f"{a},{b}", c], "01/03/2024", "02/03/2024")
    assert repeated.status_code == commas.status_code == mixed.status_code == 200
    assert [e["vehicle"]["id"] for e in repeated.json()] == [a, b, c]
    assert orjson.loads(repeated.content) == orjson.loads(commas.content) == orjson.loads(mixed.content)


def test_without_veh_ids_every_vehicle_of_the_customer_is_answered(simulator):
    answer = Api(simulator).duree(None, "01/03/2024", "01/03/2024").json()
    assert len(answer) == 12  # vehicles_per_customer default
    assert sorted(e["vehicle"]["id"] for e in answer) == sorted(v.id for v in simulator.customers[0].vehicles)


def test_end_date_is_inclusive(simulator):
    vehicle = vehicle_with_equipment(simulator)
    one = Api(simulator).duree([vehicle.id], "29/02/2024", "29/02/2024").json()[0]
    three = Api(simulator).duree([vehicle.id], "28/02/2024", "01/03/2024").json()[0]
    assert [d["day"] for d in one["dailyDioUtilisation"]] == ["29/02/2024"]
    assert [d["day"] for d in three["dailyDioUtilisation"]] == ["28/02/2024", "29/02/2024", "01/03/2024"]


@pytest.mark.parametrize(
    "start,end,culprit",
    [
        ("2024-03-01", "02/03/2024", "startDate"),
        ("01/03/2024", "2/3/2024", "endDate"),
        ("01/03/2024", "31/02/2024", "endDate"),
        ("01/03/2024T00:00", "02/03/2024", "startDate"),
    ],
)
def test_dates_not_as_dd_mm_yyyy_answer_400_naming_the_parameter(simulator, start, end, culprit):
    answer = Api(simulator).duree(ids(simulator, 1), start, end)
    assert answer.status_code == 400
    assert culprit in answer.json()["message"]


def test_missing_date_and_reversed_period_answer_400(simulator):
    api = Api(simulator)
    missing = api.get(DUREE, {"customerId": simulator.customers[0].id, "startDate": "01/03/2024"})
    reversed_ = api.duree(ids(simulator, 1), "05/03/2024", "04/03/2024")
    assert missing.status_code == reversed_.status_code == 400
    assert "endDate" in missing.json()["message"]
    assert "after" in reversed_.json()["message"]


def test_bad_veh_ids_answer_400_and_foreign_or_unknown_vehicles_403_and_404(simulator):
    api = Api(simulator)
    assert api.duree(["12a"], "01/03/2024", "01/03/2024").status_code == 400
    assert api.duree(ids(simulator, 1, customer=1), "01/03/2024", "01/03/2024").status_code == 403
    unknown = api.duree([ids(simulator, 1)[0], 999], "01/03/2024", "01/03/2024")
    assert unknown.status_code == 404
    assert "999" in unknown.json()["message"]


def test_period_and_vehicle_limits_answer_400_with_a_message(simulator_factory):
    sim = simulator_factory(max_days=5, max_vehicles=2)
    api = Api(sim)
    five = api.duree(ids(sim, 2), "01/03/2024", "05/03/2024")
    six = api.duree(ids(sim, 1), "01/03/2024", "06/03/2024")
    three = api.duree(ids(sim, 3), "01/03/2024", "01/03/2024")
    assert five.status_code == 200
    assert six.status_code == 400 and "6 days" in six.json()["message"]
    assert three.status_code == 400 and "3 vehicles" in three.json()["message"]


def test_too_many_cells_answer_413(simulator_factory):
    sim = simulator_factory(max_cells=10)
    api = Api(sim)
    assert api.duree(ids(sim, 2), "01/03/2024", "05/03/2024").status_code == 200  # 2 x 5 = 10
    too_big = api.duree(ids(sim, 2), "01/03/2024", "06/03/2024")  # 2 x 6 = 12
    assert too_big.status_code == 413
    assert "12" in too_big.json()["message"]


def test_default_limits_are_31_days_and_50_vehicles(simulator_factory):
    sim = simulator_factory(n_customers=1, vehicles_per_customer=51)
    api = Api(sim)
    assert api.duree(ids(sim, 50), "01/01/2024", "31/01/2024").status_code == 200
    assert api.duree(ids(sim, 1), "01/01/2024", "01/02/2024").status_code == 400
    assert api.duree(None, "01/01/2024", "01/01/2024").status_code == 400  # all 51 vehicles


@pytest.mark.parametrize("fields", [["vehicle", "durationSecForAllDio"], ["vehicle,durationSecForAllDio"]])
def test_include_fields_keeps_only_the_named_top_level_keys(simulator, fields):
    api = Api(simulator)
    full = api.duree(ids(simulator, 2), "01/03/2024", "03/03/2024").json()
    some = api.duree(ids(simulator, 2), "01/03/2024", "03/03/2024", includeFields=fields).json()
    assert [set(e) for e in some] == [{"vehicle", "durationSecForAllDio"}] * 2
    assert [e["durationSecForAllDio"] for e in some] == [e["durationSecForAllDio"] for e in full]


def test_the_answer_has_the_documented_shape(simulator):
    vehicle = vehicle_with_equipment(simulator)
    element = Api(simulator).duree([vehicle.id], "04/03/2024", "04/03/2024").json()[0]
    assert list(element) == [
        "dailyDioUtilisation",
        "durationSecForAllDio",
        "totalUsePerEquipementForPeriod",
        "vehicle",
    ]
    assert set(element["vehicle"]) == VEHICLE_KEYS
    assert set(element["vehicle"]["libelleTypeAsset"]) == {"categorie", "id", "libelle", "nomIcone", "ordre"}
    assert element["vehicle"]["libelleTypeAsset"]["libelle"] == vehicle.asset_type
    day = element["dailyDioUtilisation"][0]
    assert list(day) == ["dailyDurationSecForAllDio", "day", "dayTotalUsePerEquipement", "usePerHalfHour"]
    assert set(day["dayTotalUsePerEquipement"]) == set(vehicle.equipment)
    for half in day["usePerHalfHour"]:
        assert list(half) == ["end", "libelleEquipement", "start", "useDuration"]
        assert re.fullmatch(r"\d\d:[03]0", half["start"]) and re.fullmatch(r"\d\d:[03]0", half["end"])


def test_dio_disabled_vehicles_are_answered_without_any_usage(simulator_factory):
    sim = simulator_factory(n_customers=1, vehicles_per_customer=40)
    disabled = [v for v in sim.customers[0].vehicles if not v.dio_enabled]
    assert disabled, "the fleet should hold a few vehicles with dioEnabled false"
    element = Api(sim).duree([disabled[0].id], "01/03/2024", "31/03/2024").json()[0]
    assert element["vehicle"]["dioEnabled"] is False
    assert element["dailyDioUtilisation"] == []
    assert element["durationSecForAllDio"] == 0
    assert element["totalUsePerEquipementForPeriod"] == {}


def test_ids_from_plates_answers_the_customer_plates_only(simulator):
    api = Api(simulator)
    own, other = simulator.customers[0].vehicles[:2], simulator.customers[1].vehicles[0]
    params = {
        "customerId": simulator.customers[0].id,
        "immatriculations": [own[0].plate, f"{own[1].plate},{other.plate}", "ZZ-999-ZZ"],
    }
    answer = api.get(IDS, params)
    assert answer.status_code == 200
    assert answer.json() == {own[0].plate: own[0].id, own[1].plate: own[1].id}
    assert api.get(IDS, {"customerId": simulator.customers[0].id}).status_code == 400


def test_unknown_routes_and_methods_answer_404_json(simulator):
    api = Api(simulator)
    for answer in (
        api.get("/restapi/nothing"),
        api.session.get(f"http://127.0.0.1:{simulator.port}/other"),
        api.session.post(simulator.base_url + DUREE),
    ):
        assert answer.status_code == 404
        assert answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["oceanStatus"] == "notFound" and "No route for" in answer.json()["message"]


def test_answer_is_exactly_what_the_route_sends(simulator):
    vehicle_ids = ids(simulator, 3)
    sent = Api(simulator).duree(vehicle_ids, "01/03/2024", "10/03/2024")
    expected = simulator.answer(
        simulator.customers[0].id, vehicle_ids, dt.date(2024, 3, 1), dt.date(2024, 3, 10)
    )
    assert orjson.loads(sent.content) == expected
    assert int(sent.headers["Content-Length"]) == len(sent.content)

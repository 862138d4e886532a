"""Simulator: every fault kind, fault matching and counting, rate limit, latency, request recording."""

from __future__ import annotations

import time

import orjson
import pytest
import requests
from test_simulator_support import AUTH, DUREE, VEHICLES, Api, vehicle_with_equipment

from ocean_analytics.simulator import Fault

pytestmark = pytest.mark.live

WEEK = ("04/03/2024", "08/03/2024")


def busy_week(api):
    return api.duree([vehicle_with_equipment(api.sim).id], *WEEK)


def test_status_fault_answers_the_documented_error_body_with_retry_after_once(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=503, retry_after=2))
    failed, fine = busy_week(api), busy_week(api)
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "2"
    assert failed.json() == {"oceanStatus": "serviceUnavailable", "message": "Simulated failure (status 503)"}
    assert fine.status_code == 200


def test_every_third_request_forever(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=429, retry_after=1, every=3, count=None))
    assert [busy_week(api).status_code for _ in range(7)] == [200, 200, 429, 200, 200, 429, 200]


def test_count_limits_how_often_a_fault_fires_and_clear_faults_disarms(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=500, count=2))
    assert [busy_week(api).status_code for _ in range(3)] == [500, 500, 200]
    simulator.add_fault(Fault("status", status=500, count=None))
    simulator.clear_faults()
    assert busy_week(api).status_code == 200


def test_faults_match_their_path_only(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=500, path=VEHICLES))
    assert busy_week(api).status_code == 200
    assert api.get(VEHICLES, {"customerId": simulator.customers[0].id}).status_code == 500


def test_faults_come_after_the_token_check(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=500))
    assert api.get(DUREE, {"customerId": simulator.customers[0].id}, token=None).status_code == 401
    assert busy_week(api).status_code == 500  # still armed: the 401 did not consume it


def test_html_fault_is_a_proxy_page(simulator):
    simulator.add_fault(Fault("html"))
    answer = busy_week(Api(simulator))
    assert answer.status_code == 502
    assert answer.headers["Content-Type"] == "text/html"
    assert answer.text.startswith("<html>") and "502 Bad Gateway" in answer.text


def test_slow_fault_delays_the_answer(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("slow", delay_s=0.3, count=2))
    began = time.monotonic()
    assert busy_week(api).status_code == 200
    assert time.monotonic() - began >= 0.3
    with pytest.raises(requests.Timeout):
        api.get(
            DUREE,
            {"customerId": simulator.customers[0].id, "startDate": WEEK[0], "endDate": WEEK[1]},
            timeout=0.1,
        )


def test_drop_fault_closes_the_connection_mid_body(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("drop"))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        busy_week(api)
    assert busy_week(api).status_code == 200
    assert [r.status for r in simulator.requests if r.path == DUREE] == [200, 200]


def test_truncate_fault_sends_half_a_body_with_a_matching_length(simulator):
    api = Api(simulator)
    whole = busy_week(api).content
    simulator.add_fault(Fault("truncate"))
    cut = busy_week(api)
    assert cut.status_code == 200
    assert cut.content == whole[: len(whole) // 2]
    assert int(cut.headers["Content-Length"]) == len(cut.content)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(cut.content)


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("day", None, "string"),
        ("useDuration", None, 2500),
        ("useDuration", -5, -5),
        ("start", None, "25:00"),
    ],
)
def test_malformed_fault_corrupts_the_first_such_field(simulator, field, value, expected):
    api = Api(simulator)
    clean = busy_week(api).json()
    simulator.add_fault(Fault("malformed", field=field, value=value))
    broken = busy_week(api).json()
    first_day = broken[0]["dailyDioUtilisation"][0]
    got = (
        first_day["day"]
        if field == "day"
        else next(
            d["usePerHalfHour"][0][field] for d in broken[0]["dailyDioUtilisation"] if d["usePerHalfHour"]
        )
    )
    assert got == expected
    assert broken != clean


def test_malformed_missing_key_drops_daily_dio_utilisation(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("malformed", field="missing_key"))
    element = busy_week(api).json()[0]
    assert "dailyDioUtilisation" not in element and "vehicle" in element


def test_expire_token_fault_expires_the_token_of_that_request(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("expire_token", every=2))
    assert [busy_week(api).status_code for _ in range(3)] == [200, 401, 401]
    api.token = api.login().json()["token"]
    assert busy_week(api).status_code == 200


def test_rate_limit_answers_429_with_retry_after(simulator_factory):
    sim = simulator_factory(rate_limit_per_s=2)
    api = Api(sim)
    statuses = [busy_week(api) for _ in range(4)]
    assert [a.status_code for a in statuses[:2]] == [200, 200]
    limited = [a for a in statuses if a.status_code == 429]
    assert limited and int(limited[0].headers["Retry-After"]) >= 1


def test_latency_delays_every_answer(simulator_factory):
    sim = simulator_factory(latency_s=0.15)
    began = time.monotonic()
    api = Api(sim)
    busy_week(api)
    assert time.monotonic() - began >= 0.3


def test_every_request_is_recorded_with_what_was_sent(simulator):
    api = Api(simulator)
    simulator.add_fault(Fault("status", status=504))
    vehicle = vehicle_with_equipment(simulator)
    api.get(
        DUREE,
        {
            "customerId": simulator.customers[0].id,
            "vehIds": [vehicle.id, vehicle.id],
            "startDate": WEEK[0],
            "endDate": WEEK[1],
        },
    )
    login, usage = simulator.requests
    assert (login.method, login.path, login.status) == ("POST", AUTH, 200)
    assert orjson.loads(login.body)["login"] == api.account.login
    assert (usage.method, usage.path, usage.status) == ("GET", DUREE, 504)
    assert usage.query["vehIds"] == [str(vehicle.id)] * 2
    assert usage.headers["X-AUTH-TOKEN"] == api.token
    assert login.started <= login.ended <= usage.started <= usage.ended
    assert api.token not in repr(usage) and api.account.password not in repr(login)
    simulator.requests.clear()  # a copy: the record stays
    assert len(simulator.requests) == 2
    simulator.clear_requests()
    assert simulator.requests == []


@pytest.mark.parametrize(
    "settings,culprit",
    [
        ({"kind": "explode"}, "kind"),
        ({"kind": "status", "status": 200}, "status"),
        ({"kind": "malformed", "field": "vehicle"}, "field"),
        ({"kind": "slow", "every": 0}, "every"),
    ],
)
def test_bad_faults_are_refused(settings, culprit):
    with pytest.raises(ValueError, match=culprit):
        Fault(**settings)


def test_malformed_fault_waits_for_an_answer_it_can_corrupt(simulator):
    api = Api(simulator)
    vehicle = vehicle_with_equipment(simulator)
    simulator.add_fault(Fault("malformed", field="useDuration"))
    vehicle_only = api.duree([vehicle.id], *WEEK, includeFields="vehicle").json()
    assert vehicle_only == [{"vehicle": vehicle_only[0]["vehicle"]}]  # nothing to corrupt: not fired
    days = busy_week(api).json()[0]["dailyDioUtilisation"]
    assert next(d["usePerHalfHour"][0]["useDuration"] for d in days if d["usePerHalfHour"]) == 2500

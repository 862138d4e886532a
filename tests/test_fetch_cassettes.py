"""fetch_usage replayed from cassettes recorded against the simulator (offline, no server).

vcrpy does not record requests sent from several threads reliably (vcrpy issues 295
and 849), so these tests fetch with one worker; concurrency is tested live in
test_fetch.py.

Re-record with ``pytest tests/test_fetch_cassettes.py --record-mode=rewrite``. The
expected numbers are summed here from the raw JSON bodies stored in the cassette.
"""

import json
from collections import defaultdict

import pytest
from cassette_scrub import PLACEHOLDER_PERSON

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy

USAGE = "/restapi/dioUtilisation/duree"


def stored_bodies(cassette, path_end):
    """The decoded JSON bodies the cassette holds for requests whose path ends with ``path_end``."""
    return [
        json.loads(response["body"]["string"])
        for request, response in cassette.data
        if request.path.endswith(path_end)
    ]


def check_all_played(cassette, recording, count):
    """Replaying, every stored interaction was used exactly once; recording, ``count`` were stored."""
    if recording:
        assert len(cassette.data) == count
    else:
        assert cassette.all_played and cassette.play_count == len(cassette.data) == count


def client(cassette_account):
    base_url, login, password, _ = cassette_account
    return OceanClient(base_url, login, password, retry=RetryPolicy(backoff_s=0.01))


@pytest.mark.vcr
def test_whole_fleet_over_a_multi_request_plan(cassette_account, vcr, recording):
    # 42 days in windows of 31 + 11, 12 vehicles in batches of 5, 5, 2: 6 usage requests
    usage = oa.fetch_usage(
        client(cassette_account),
        "2024-09-20",
        "2024-10-31",
        max_vehicles_per_request=5,
        max_workers=1,
        progress=False,
    )
    check_all_played(vcr, recording, 1 + 1 + 1 + 6)  # login, fleet listing, silent boxes, usage

    answers = stored_bodies(vcr, USAGE)
    fleet = stored_bodies(vcr, "/vehicles")[0]
    assert len(answers) == 6
    seconds, half_hours, days = defaultdict(int), 0, defaultdict(set)
    for answer in answers:
        for element in answer:
            vid = element["vehicle"]["id"]
            for day in element["dailyDioUtilisation"]:
                days[vid].add(day["day"])
                for label, value in day["dayTotalUsePerEquipement"].items():
                    seconds[vid, label] += value
                half_hours += sum(slot["useDuration"] > 0 for slot in day["usePerHalfHour"])

    got = usage.daily.groupby(["vehicle_id", "equipment"], observed=True)["use_s"].sum()
    assert dict(got.items()) == dict(seconds)
    assert len(usage.half_hours) == half_hours
    # the listing as documented: the vehicle nested in each element
    assert sorted(usage.vehicles["vehicle_id"]) == sorted(e["vehicle"]["id"] for e in fleet)
    assert dict(zip(usage.vehicles["vehicle_id"], usage.vehicles["plate"], strict=True)) == {
        e["vehicle"]["id"]: e["vehicle"]["immatriculation"] for e in fleet
    }
    assert all("id" not in e and "immatriculation" not in e for e in fleet)
    # the site, fleet number, make and model of each vehicle, as the listing holds them
    listed = {
        e["vehicle"]["id"]: (
            e["entite"]["id"],
            e["entite"]["nom"],
            e["vehicle"]["numeroParc"],
            e["vehicle"]["marque"],
            e["vehicle"]["modele"],
        )
        for e in fleet
    }
    columns = ["vehicle_id", "entity_id", "entity_name", "fleet_number", "make", "model"]
    assert {row[0]: tuple(row[1:]) for row in usage.vehicles[columns].itertuples(index=False)} == listed
    assert "chauffeur" not in " ".join(usage.vehicles.columns) and "driver" not in " ".join(
        usage.vehicles.columns
    )
    # no box is silent (the list is empty): every vehicle-day has data
    assert stored_bodies(vcr, "/noncommunicant/list") == [[]]
    assert usage.daily.attrs["coverage"] == "known"
    assert usage.vehicle_days["has_data"].all() and usage.daily["has_data"].all()
    assert not usage.vehicles["never_communicated"].any()
    drivers = [e["chauffeur"] for e in fleet if e["chauffeur"]]  # recorded without their names
    assert drivers and {v for d in drivers for v in d.values() if isinstance(v, str)} == {PLACEHOLDER_PERSON}
    assert all(len(d) == 42 for d in days.values())  # the simulator lists idle days: 20/09 to 31/10
    assert usage.daily["date"].nunique() == 42


@pytest.mark.vcr
def test_plates_resolved_then_fetched(cassette_account, vcr, recording):
    usage = oa.fetch_usage(
        client(cassette_account),
        "2024-10-07",
        "2024-10-13",
        plates=["LC-407-WY", "SY-236-MM"],
        max_workers=1,
        progress=False,
    )
    check_all_played(vcr, recording, 1 + 1 + 1 + 1 + 1)  # login, listing, plates, silent boxes, usage
    ids = stored_bodies(vcr, "/ids-from-immats")[0]
    assert dict(zip(usage.vehicles["plate"], usage.vehicles["vehicle_id"], strict=True)) == ids
    answer = stored_bodies(vcr, USAGE)[0]
    expected = sum(
        v for e in answer for d in e["dailyDioUtilisation"] for v in d["dayTotalUsePerEquipement"].values()
    )
    assert usage.daily["use_s"].sum() == expected > 0

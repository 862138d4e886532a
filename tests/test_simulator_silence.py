"""Simulator: silent boxes in ``noncommunicant/list``, and the duree answer agreeing with them.

Each expected number is read from the answer of a simulator with the same seed and no
silent box: a silent box's vehicle keeps exactly the half hours its box recorded.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_simulator_support import NONCOMMUNICANT, Api

from ocean_analytics.simulator import SilentBox, SimulatorConfig

pytestmark = pytest.mark.live

UTC = dt.UTC
OCTOBER = ("01/10/2024", "31/10/2024")


def element(sim, vehicle_id, start="01/10/2024", end="31/10/2024"):
    return Api(sim).duree([vehicle_id], start, end).json()[0]


def by_day(answer_element):
    return {d["day"]: d for d in answer_element["dailyDioUtilisation"]}


def busy_both_sides(reference, day, hhmm):
    """A vehicle of the first customer with use on ``day`` both before and from ``hhmm``."""
    for vehicle in reference.customers[0].vehicles:
        halves = by_day(element(reference, vehicle.id)).get(day, {}).get("usePerHalfHour", [])
        if any(h["start"] < hhmm for h in halves) and any(h["start"] >= hhmm for h in halves):
            return vehicle
    raise AssertionError(f"no vehicle works on both sides of {hhmm} on {day}")


def noncommunicant(sim, customer=0):
    return Api(sim).get(NONCOMMUNICANT, {"customerId": sim.customers[customer].id})


def test_no_data_after_the_last_communication(simulator, simulator_factory):
    vehicle = busy_both_sides(simulator, "14/10/2024", "10:30")
    last = dt.datetime(2024, 10, 14, 10, 30, tzinfo=UTC)
    silent = simulator_factory(silent_boxes=(SilentBox(vehicle.id, last_communication=last),))
    full, cut = by_day(element(simulator, vehicle.id)), by_day(element(silent, vehicle.id))
    assert list(cut) == list(full)  # idle days listed: every day still there
    for day in (f"{d:02d}/10/2024" for d in range(1, 14)):
        assert cut[day] == full[day]
    kept = [h for h in full["14/10/2024"]["usePerHalfHour"] if h["start"] < "10:30"]
    assert cut["14/10/2024"]["usePerHalfHour"] == kept
    for label, seconds in cut["14/10/2024"]["dayTotalUsePerEquipement"].items():
        assert seconds == sum(h["useDuration"] for h in kept if h["libelleEquipement"] == label)
    for day in (f"{d:02d}/10/2024" for d in range(15, 32)):
        assert cut[day]["usePerHalfHour"] == [] and cut[day]["dailyDurationSecForAllDio"] == 0
    answer = element(silent, vehicle.id)
    assert answer["durationSecForAllDio"] == sum(d["dailyDurationSecForAllDio"] for d in cut.values())
    assert answer["durationSecForAllDio"] < element(simulator, vehicle.id)["durationSecForAllDio"]


def test_days_without_data_can_be_left_out(simulator_factory):
    reference = simulator_factory()
    vehicle = busy_both_sides(reference, "14/10/2024", "10:30")
    box = SilentBox(vehicle.id, last_communication=dt.datetime(2024, 10, 14, 10, 30, tzinfo=UTC))
    idle, omitted = (
        simulator_factory(silent_boxes=(box,)),
        simulator_factory(silent_boxes=(box,), silent_days="omitted"),
    )
    assert list(by_day(element(omitted, vehicle.id))) == [f"{d:02d}/10/2024" for d in range(1, 15)]
    assert (
        by_day(element(omitted, vehicle.id))["14/10/2024"] == by_day(element(idle, vehicle.id))["14/10/2024"]
    )


def test_no_data_before_the_installation_and_a_bare_day_is_noon(simulator, simulator_factory):
    vehicle = busy_both_sides(simulator, "08/10/2024", "13:00")
    box = SilentBox(
        vehicle.id,
        installed=dt.datetime(2024, 10, 8, 13, 0, tzinfo=UTC),
        last_communication=dt.date(2024, 10, 22),
    )  # noon on the simulator's clock (UTC)
    silent = simulator_factory(silent_boxes=(box,))
    full, cut = by_day(element(simulator, vehicle.id)), by_day(element(silent, vehicle.id))
    for day in (f"{d:02d}/10/2024" for d in (*range(1, 8), *range(23, 32))):
        assert cut[day]["usePerHalfHour"] == [] and set(cut[day]["dayTotalUsePerEquipement"].values()) <= {0}
    assert cut["08/10/2024"]["usePerHalfHour"] == [
        h for h in full["08/10/2024"]["usePerHalfHour"] if h["start"] >= "13:00"
    ]
    assert cut["22/10/2024"]["usePerHalfHour"] == [
        h for h in full["22/10/2024"]["usePerHalfHour"] if h["start"] < "12:00"
    ]
    for day in (f"{d:02d}/10/2024" for d in range(9, 22)):
        assert cut[day] == full[day]


def test_a_box_that_never_communicated_gives_no_data_at_all(simulator, simulator_factory):
    vehicle = busy_both_sides(simulator, "14/10/2024", "10:30")
    other = next(v for v in simulator.customers[0].vehicles if v.id != vehicle.id)
    silent = simulator_factory(silent_boxes=(SilentBox(vehicle.id),))
    answer = element(silent, vehicle.id)
    assert answer["durationSecForAllDio"] == 0
    assert all(d["usePerHalfHour"] == [] for d in answer["dailyDioUtilisation"])
    assert element(silent, other.id) == element(simulator, other.id)  # the others keep their data


def test_the_list_says_what_the_settings_say(simulator_factory):
    reference = simulator_factory()
    quiet, never, elsewhere = (
        reference.customers[0].vehicles[2],
        reference.customers[0].vehicles[5],
        reference.customers[1].vehicles[0],
    )
    boxes = (
        SilentBox(
            quiet.id,
            last_communication=dt.datetime(2024, 10, 14, 10, 30, 5, 250000, tzinfo=UTC),
            installed=dt.datetime(2021, 3, 2, 9, 0, tzinfo=UTC),
            reason="Véhicule immobilisé",
        ),
        SilentBox(never.id),
        SilentBox(elsewhere.id, reason="Boîtier débranché"),
    )
    sim = simulator_factory(silent_boxes=boxes)
    listed = noncommunicant(sim).json()
    assert [e["detailedBoxDTO"]["currentVehicule"]["id"] for e in listed] == [quiet.id, never.id]
    first, second = listed
    assert first["boxInstallationInfo"] == {
        "hasCommunicatedAtLeastOnce": True,
        "hasNeverCommunicated": False,
        "installationDate": "2021-03-02T09:00:00.000Z",
        "lastCommunicatingDate": "2024-10-14T10:30:05.250Z",
    }
    assert first["detailedBoxDTO"]["currentVehicule"]["immatriculation"] == quiet.plate
    assert first["detailedBoxDTO"]["client"]["id"] == sim.customers[0].id
    assert first["detailedBoxDTO"]["client"]["fuseauHoraire"] == "UTC"
    qualification = first["qualificationNCVehiculeDTO"]
    assert qualification["qualificationNCDTO"]["libelle"] == "Véhicule immobilisé"
    assert qualification["qualificationNCDTO"]["id"] == 2  # "Boîtier ..." < "Véhicule ...": second
    assert (
        qualification["qualificationNCVehiculeEnginLightDTO"]["dateQualification"]
        == "2024-10-15T10:30:05.250Z"
    )
    assert first["ongletPositionVehicleDTO"]["heure"] == "2024-10-14T10:30:05.250Z"
    info = second["boxInstallationInfo"]
    assert info["hasNeverCommunicated"] is True and info["hasCommunicatedAtLeastOnce"] is False
    assert info["lastCommunicatingDate"] is None and info["installationDate"].startswith("2018-")
    assert second["qualificationNCVehiculeDTO"] is None and second["ongletPositionVehicleDTO"] is None
    assert [e["detailedBoxDTO"]["currentVehicule"]["id"] for e in noncommunicant(sim, 1).json()] == [
        elsewhere.id
    ]


def test_absent_values_can_be_left_out(simulator_factory):
    vehicle_id = simulator_factory().customers[0].vehicles[5].id
    sim = simulator_factory(silent_boxes=(SilentBox(vehicle_id),), missing_values="omitted")
    (listed,) = noncommunicant(sim).json()
    assert "lastCommunicatingDate" not in listed["boxInstallationInfo"]
    assert "qualificationNCVehiculeDTO" not in listed and "ongletPositionVehicleDTO" not in listed


def test_a_bare_day_is_noon_on_the_simulator_clock(simulator_factory):
    vehicle_id = simulator_factory().customers[0].vehicles[0].id
    sim = simulator_factory(
        clock="Europe/Paris",
        silent_boxes=(
            SilentBox(vehicle_id, last_communication=dt.date(2024, 10, 14), installed=dt.date(2024, 1, 15)),
        ),
    )
    (listed,) = noncommunicant(sim).json()
    assert listed["boxInstallationInfo"]["lastCommunicatingDate"] == "2024-10-14T10:00:00.000Z"  # CEST, UTC+2
    assert listed["boxInstallationInfo"]["installationDate"] == "2024-01-15T11:00:00.000Z"  # CET, UTC+1
    assert listed["detailedBoxDTO"]["client"]["fuseauHoraire"] == "Europe/Paris"


@pytest.mark.parametrize("status,word", [(403, "forbidden"), (404, "notFound")])
def test_a_contract_without_the_service_answers_403_or_404(simulator_factory, status, word):
    sim = simulator_factory(noncommunicant_status=status)
    refused = noncommunicant(sim)
    assert refused.status_code == status and refused.json()["oceanStatus"] == word
    assert noncommunicant(simulator_factory()).json() == []  # allowed, nothing silent by default


def test_multi_customer_logins_must_say_which_customer(simulator):
    answer = Api(simulator).get(NONCOMMUNICANT)
    assert answer.status_code == 400 and "customerId" in answer.json()["message"]


@pytest.mark.parametrize(
    "make,culprit",
    [
        (lambda: SilentBox("12"), "vehicle_id"),
        (lambda: SilentBox(1, last_communication="2024-10-14"), "last_communication"),
        (lambda: SilentBox(1, installed=dt.datetime(2024, 10, 14)), "aware"),
        (lambda: SilentBox(1, reason=" "), "reason"),
        (lambda: SimulatorConfig(silent_boxes=(SilentBox(1), SilentBox(1))), "more than once"),
        (lambda: SimulatorConfig(silent_boxes=("box",)), "SilentBox"),
    ],
)
def test_bad_silent_boxes_are_refused_by_name(make, culprit):
    with pytest.raises((TypeError, ValueError), match=culprit):
        make()


def test_silent_boxes_must_be_vehicles_of_the_fleet_and_talk_after_installation(simulator):
    from ocean_analytics.simulator import Simulator

    with pytest.raises(ValueError, match="does not have"):
        Simulator(silent_boxes=(SilentBox(7),))
    vehicle_id = simulator.customers[0].vehicles[0].id
    with pytest.raises(ValueError, match="comes before the installation"):
        simulator.configure(silent_boxes=(SilentBox(vehicle_id, last_communication=dt.date(2017, 6, 1)),))
    assert simulator.config.silent_boxes == ()  # refused: nothing changed

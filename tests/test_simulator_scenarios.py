"""Simulator: stuck inputs, holidays and idle vehicles, each changing only what it names.

The expected values come from a simulator with the same seed and none of these
settings: every other vehicle-day must be byte for byte the same.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_simulator_support import Api, vehicle_with_equipment

from ocean_analytics.simulator import SilentBox, Simulator, SimulatorConfig, StuckInput

pytestmark = pytest.mark.live


def days_of(sim, vehicle_id, start="21/10/2024", end="31/10/2024"):
    element = Api(sim).duree([vehicle_id], start, end).json()[0]
    return {d["day"]: d for d in element["dailyDioUtilisation"]}


def fleet_days(sim, start, end):
    """Days by vehicle, of the vehicles with DIO inputs (the others list no day)."""
    return {
        e["vehicle"]["id"]: {d["day"]: d for d in e["dailyDioUtilisation"]}
        for e in Api(sim).duree(None, start, end).json()
        if e["vehicle"]["dioEnabled"]
    }


def test_a_stuck_input_is_on_every_second_of_its_days_and_nothing_else_changes(simulator_factory):
    reference = simulator_factory(clock="Europe/Paris")
    vehicle = vehicle_with_equipment(reference, count=2)
    stuck_label, other_label = vehicle.equipment[:2]
    sim = simulator_factory(
        clock="Europe/Paris",
        stuck_inputs=(StuckInput(vehicle.id, stuck_label, dt.date(2024, 10, 26), dt.date(2024, 10, 28)),),
    )
    before, after = days_of(reference, vehicle.id), days_of(sim, vehicle.id)
    lengths = {"26/10/2024": 86_400, "27/10/2024": 90_000, "28/10/2024": 86_400}  # 27/10: back to winter time
    for day, day_before in before.items():
        if day not in lengths:
            assert after[day] == day_before
            continue
        totals = after[day]["dayTotalUsePerEquipement"]
        assert totals[stuck_label] == lengths[day]
        assert totals[other_label] == day_before["dayTotalUsePerEquipement"][other_label]
        stuck = [h for h in after[day]["usePerHalfHour"] if h["libelleEquipement"] == stuck_label]
        assert [h["useDuration"] for h in stuck] == [1800] * (lengths[day] // 1800)
        others = [h for h in after[day]["usePerHalfHour"] if h["libelleEquipement"] != stuck_label]
        assert others == [h for h in day_before["usePerHalfHour"] if h["libelleEquipement"] != stuck_label]
        assert after[day]["dailyDurationSecForAllDio"] == sum(totals.values())


def test_a_stuck_input_counts_once_in_the_union_and_stops_with_its_box(simulator_factory):
    vehicle = vehicle_with_equipment(simulator_factory(), count=2)
    stuck = StuckInput(vehicle.id, vehicle.equipment[0], dt.date(2024, 10, 21), dt.date(2024, 10, 25))
    last = dt.datetime(2024, 10, 23, 10, 30, tzinfo=dt.UTC)
    sim = simulator_factory(
        all_dio="union", stuck_inputs=(stuck,), silent_boxes=(SilentBox(vehicle.id, last_communication=last),)
    )
    after = days_of(sim, vehicle.id)
    assert [after[f"{d}/10/2024"]["dailyDurationSecForAllDio"] for d in (21, 22, 23, 24, 25)] == [
        86_400,
        86_400,
        10 * 3600 + 1800,
        0,
        0,
    ]
    assert after["23/10/2024"]["dayTotalUsePerEquipement"][vehicle.equipment[0]] == 37_800


@pytest.mark.parametrize("share", [0.0, 0.9, 1.0])
def test_on_holidays_a_share_of_the_fleet_rests(simulator_factory, share):
    reference = simulator_factory(n_customers=1, vehicles_per_customer=40)
    holidays = (dt.date(2024, 11, 1), dt.date(2024, 11, 11))  # a Friday and a Monday
    sim = simulator_factory(
        n_customers=1, vehicles_per_customer=40, holidays=holidays, holiday_rest_share=share
    )
    before, after = (
        fleet_days(reference, "28/10/2024", "12/11/2024"),
        fleet_days(sim, "28/10/2024", "12/11/2024"),
    )
    resting = {}
    for vehicle_id, days in before.items():
        for day, day_before in days.items():
            if day not in ("01/11/2024", "11/11/2024"):
                assert after[vehicle_id][day] == day_before
            elif after[vehicle_id][day] != day_before:
                assert after[vehicle_id][day]["dailyDurationSecForAllDio"] == 0
                resting.setdefault(day, set()).add(vehicle_id)
    worked = {
        day: {v for v, days in before.items() if days[day]["dailyDurationSecForAllDio"] > 0}
        for day in ("01/11/2024", "11/11/2024")
    }
    assert all(len(w) > 20 for w in worked.values())  # ordinary weekdays in the reference
    for day, working in worked.items():
        rested = resting.get(day, set())
        if share == 0.0:
            assert rested == set()
        elif share == 1.0:
            assert rested == working and all(after[v][day]["usePerHalfHour"] == [] for v in after)
        else:
            assert len(rested) > len(working) / 2  # most of the fleet
    if share == 0.9:  # the same vehicles rest on every holiday
        assert resting["01/11/2024"] & worked["11/11/2024"] == resting["11/11/2024"] & worked["01/11/2024"]


def test_idle_vehicles_never_use_their_equipment(simulator_factory):
    reference = simulator_factory()
    idle, busy = vehicle_with_equipment(reference, count=2), reference.customers[0].vehicles[0]
    sim = simulator_factory(idle_vehicles=(idle.id,))
    days = days_of(sim, idle.id, "01/10/2024", "31/10/2024")
    assert len(days) == 31
    assert all(d["dayTotalUsePerEquipement"] == dict.fromkeys(idle.equipment, 0) for d in days.values())
    assert all(d["usePerHalfHour"] == [] for d in days.values())
    if busy.id != idle.id:
        assert days_of(sim, busy.id) == days_of(reference, busy.id)


@pytest.mark.parametrize(
    "make,culprit",
    [
        (lambda: StuckInput(1, "Grue", dt.date(2024, 10, 5), dt.date(2024, 10, 4)), "before first"),
        (lambda: StuckInput(1, "", dt.date(2024, 10, 5), dt.date(2024, 10, 5)), "equipment"),
        (lambda: StuckInput(1, "Grue", "2024-10-05", dt.date(2024, 10, 5)), "first"),
        (lambda: SimulatorConfig(holidays=("2024-11-01",)), "holidays"),
        (lambda: SimulatorConfig(idle_vehicles=(True,)), "idle_vehicles"),
        (lambda: SimulatorConfig(holiday_rest_share=1.5), "holiday_rest_share"),
        (lambda: SimulatorConfig(stuck_inputs=("Grue",)), "stuck_inputs"),
    ],
)
def test_bad_scenario_settings_are_refused_by_name(make, culprit):
    with pytest.raises((TypeError, ValueError), match=culprit):
        make()


def test_scenarios_must_name_vehicles_and_equipment_of_the_fleet(simulator):
    vehicle = vehicle_with_equipment(simulator)
    with pytest.raises(ValueError, match="does not have"):
        Simulator(idle_vehicles=(7,))
    with pytest.raises(ValueError, match="has no equipment 'Lance-flammes'"):
        simulator.configure(
            stuck_inputs=(StuckInput(vehicle.id, "Lance-flammes", dt.date(2024, 1, 1), dt.date(2024, 1, 2)),)
        )
    assert simulator.config.stuck_inputs == ()

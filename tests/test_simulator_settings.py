"""Simulator: each answer setting (clock, idle days, zero slots, key spelling, all-DIO, day format)."""

from __future__ import annotations

import pytest
from test_simulator_support import Api, vehicle_with_equipment

pytestmark = pytest.mark.live

HALF_HOURS = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
SPRING_2024 = HALF_HOURS[:4] + HALF_HOURS[6:]  # 02:00 and 02:30 do not exist
AUTUMN_2024 = [*HALF_HOURS[:6], "02:00", "02:30", *HALF_HOURS[6:]]  # summer 02:xx, then winter 02:xx


def slot_starts(day, equipment):
    return [h["start"] for h in day["usePerHalfHour"] if h["libelleEquipement"] == equipment]


@pytest.mark.parametrize(
    "date,expected",
    [
        ("31/03/2024", SPRING_2024),
        ("27/10/2024", AUTUMN_2024),
        ("28/10/2024", HALF_HOURS),
    ],
)
def test_paris_clock_has_46_and_50_slot_days_at_the_changes(simulator_factory, date, expected):
    sim = simulator_factory(clock="Europe/Paris", list_zero_slots=True)
    vehicle = vehicle_with_equipment(sim)
    day = Api(sim).duree([vehicle.id], date, date).json()[0]["dailyDioUtilisation"][0]
    starts = slot_starts(day, vehicle.equipment[0])
    assert len(starts) == len(expected)
    assert starts == expected
    assert len(SPRING_2024) == 46 and len(AUTUMN_2024) == 50


def test_utc_clock_always_has_48_slots(simulator_factory):
    sim = simulator_factory(list_zero_slots=True)
    vehicle = vehicle_with_equipment(sim)
    days = Api(sim).duree([vehicle.id], "31/03/2024", "31/03/2024").json()[0]["dailyDioUtilisation"]
    assert slot_starts(days[0], vehicle.equipment[0]) == HALF_HOURS


def test_the_autumn_change_day_can_hold_up_to_90000_seconds(simulator_factory):
    sim = simulator_factory(clock="Europe/Paris", list_zero_slots=True)
    vehicle = vehicle_with_equipment(sim)
    day = Api(sim).duree([vehicle.id], "27/10/2024", "27/10/2024").json()[0]["dailyDioUtilisation"][0]
    ends = [h["end"] for h in day["usePerHalfHour"] if h["libelleEquipement"] == vehicle.equipment[0]]
    assert ends[-1] == "00:00" and ends[0] == "00:30"
    assert day["dailyDurationSecForAllDio"] <= 50 * 1800 * len(vehicle.equipment)


def test_zero_slots_are_listed_for_every_equipment_only_when_asked(simulator_factory):
    listed = simulator_factory(list_zero_slots=True)
    vehicle = vehicle_with_equipment(listed, count=2)
    day = Api(listed).duree([vehicle.id], "02/03/2024", "02/03/2024").json()[0]["dailyDioUtilisation"][0]
    assert len(day["usePerHalfHour"]) == 48 * len(vehicle.equipment)
    sparse = simulator_factory()
    same = Api(sparse).duree([vehicle.id], "02/03/2024", "02/03/2024").json()[0]["dailyDioUtilisation"][0]
    assert same["usePerHalfHour"] == [h for h in day["usePerHalfHour"] if h["useDuration"] > 0]


def test_idle_days_are_listed_with_zeros_or_left_out(simulator_factory):
    listed, left_out = simulator_factory(), simulator_factory(list_idle_days=False)
    vehicle = vehicle_with_equipment(listed)
    every = Api(listed).duree([vehicle.id], "01/03/2024", "31/03/2024").json()[0]
    some = Api(left_out).duree([vehicle.id], "01/03/2024", "31/03/2024").json()[0]
    assert len(every["dailyDioUtilisation"]) == 31
    idle = [d for d in every["dailyDioUtilisation"] if d["dailyDurationSecForAllDio"] == 0]
    assert idle, "a month should hold days without use (weekends at least)"
    for day in idle:
        assert day["usePerHalfHour"] == [] and set(day["dayTotalUsePerEquipement"].values()) == {0}
    assert some["dailyDioUtilisation"] == [d for d in every["dailyDioUtilisation"] if d not in idle]
    assert some["durationSecForAllDio"] == every["durationSecForAllDio"]


def test_period_key_takes_the_english_spelling(simulator_factory):
    sim = simulator_factory(period_key="totalUserPerEquipementForPeriod")
    element = Api(sim).duree([vehicle_with_equipment(sim).id], "01/03/2024", "02/03/2024").json()[0]
    assert "totalUserPerEquipementForPeriod" in element
    assert "totalUsePerEquipementForPeriod" not in element


def test_day_format_can_be_iso(simulator_factory):
    sim = simulator_factory(day_format="yyyy-MM-dd")
    element = Api(sim).duree([vehicle_with_equipment(sim).id], "31/12/2024", "01/01/2025").json()[0]
    assert [d["day"] for d in element["dailyDioUtilisation"]] == ["2024-12-31", "2025-01-01"]


def test_all_dio_union_counts_overlaps_once(simulator_factory):
    summed, union = simulator_factory(), simulator_factory(all_dio="union")
    vehicle = vehicle_with_equipment(summed, count=2)
    by_sum = Api(summed).duree([vehicle.id], "01/03/2024", "31/03/2024").json()[0]["dailyDioUtilisation"]
    by_union = Api(union).duree([vehicle.id], "01/03/2024", "31/03/2024").json()[0]["dailyDioUtilisation"]
    overlapping_days = 0
    for plain, merged in zip(by_sum, by_union, strict=True):
        total = sum(plain["dayTotalUsePerEquipement"].values())
        assert plain["dailyDurationSecForAllDio"] == total
        assert merged["usePerHalfHour"] == plain["usePerHalfHour"]
        lower, upper = union_bounds(merged["usePerHalfHour"])
        assert lower <= merged["dailyDurationSecForAllDio"] <= upper
        assert merged["dailyDurationSecForAllDio"] <= total
        overlapping_days += merged["dailyDurationSecForAllDio"] < total
    assert overlapping_days > 0


def union_bounds(halves):
    """Bounds of the union from the half hours alone: per slot, at least the longest
    equipment and at most the sum capped at 1,800 s."""
    slots = {}
    for half in halves:
        slots.setdefault(half["start"], []).append(half["useDuration"])
    return sum(max(v) for v in slots.values()), sum(min(1800, sum(v)) for v in slots.values())


def test_configure_changes_settings_live_and_rejects_bad_ones(simulator):
    api = Api(simulator)
    vehicle = vehicle_with_equipment(simulator)
    assert "totalUsePerEquipementForPeriod" in api.duree([vehicle.id], "01/03/2024", "01/03/2024").json()[0]
    simulator.configure(period_key="totalUserPerEquipementForPeriod")
    assert "totalUserPerEquipementForPeriod" in api.duree([vehicle.id], "01/03/2024", "01/03/2024").json()[0]
    with pytest.raises(ValueError, match="all_dio"):
        simulator.configure(all_dio="max")
    with pytest.raises(TypeError, match="unknown simulator setting"):
        simulator.configure(colour="blue")
    with pytest.raises(ValueError, match="port"):
        simulator.configure(port=1)
    assert simulator.config.all_dio == "sum"


def test_configure_can_rebuild_the_fleet(simulator):
    api = Api(simulator)
    simulator.configure(n_customers=1, vehicles_per_customer=5)
    assert len(simulator.customers) == 1 and len(simulator.vehicles(simulator.customers[0].id)) == 5
    answer = api.duree(None, "01/03/2024", "01/03/2024").json()  # same seed: same login, token still valid
    assert [e["vehicle"]["id"] for e in answer] == [v.id for v in simulator.customers[0].vehicles]


@pytest.mark.parametrize(
    "settings,culprit",
    [
        ({"clock": "Mars/Olympus"}, "clock"),
        ({"period_key": "total"}, "period_key"),
        ({"vehicles_per_customer": (3, 4)}, "vehicles_per_customer"),
        ({"max_days": 0}, "max_days"),
        ({"list_idle_days": "yes"}, "list_idle_days"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(settings, culprit):
    from ocean_analytics.simulator import SimulatorConfig

    with pytest.raises((TypeError, ValueError), match=culprit):
        SimulatorConfig(**settings)

"""Simulator: usage numbers are consistent, deterministic, split-independent and look like work."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import orjson
import pytest
from test_simulator_support import Api

from ocean_analytics.simulator.clock import day_grid
from ocean_analytics.simulator.usage import Intervals, bin_intervals, to_elapsed

pytestmark = pytest.mark.live


def fleet_answer(sim, start="01/03/2024", end="31/03/2024", customer=0):
    api = Api(sim)
    return api.duree(None, start, end, customerId=sim.customers[customer].id).json()


def test_half_hours_days_and_period_are_consistent(simulator_factory):
    sim = simulator_factory(n_customers=1, vehicles_per_customer=30)
    checked_halves = 0
    for element in fleet_answer(sim):
        period = Counter()
        for day in element["dailyDioUtilisation"]:
            per_equipment = Counter()
            for half in day["usePerHalfHour"]:
                assert 0 < half["useDuration"] <= 1800
                per_equipment[half["libelleEquipement"]] += half["useDuration"]
            assert {k: v for k, v in day["dayTotalUsePerEquipement"].items() if v} == dict(per_equipment)
            assert day["dailyDurationSecForAllDio"] == sum(day["dayTotalUsePerEquipement"].values())
            period.update(day["dayTotalUsePerEquipement"])
            checked_halves += len(day["usePerHalfHour"])
        assert element["totalUsePerEquipementForPeriod"] == dict(period)
        assert element["durationSecForAllDio"] == sum(
            d["dailyDurationSecForAllDio"] for d in element["dailyDioUtilisation"]
        )
    assert checked_halves > 3000


def test_same_seed_same_bytes_other_seed_other_numbers(simulator_factory):
    one, two, other = simulator_factory(seed=11), simulator_factory(seed=11), simulator_factory(seed=12)
    first = Api(one).duree(None, "01/03/2024", "15/03/2024").content
    assert Api(two).duree(None, "01/03/2024", "15/03/2024").content == first
    totals = [e["durationSecForAllDio"] for e in orjson.loads(first)]
    other_totals = [e["durationSecForAllDio"] for e in fleet_answer(other, "01/03/2024", "15/03/2024")]
    assert totals != other_totals


def test_any_split_of_a_request_gives_the_same_numbers(simulator):
    api = Api(simulator)
    vehicle_ids = [v.id for v in simulator.customers[0].vehicles]
    whole = api.duree(vehicle_ids, "01/03/2024", "20/03/2024").json()
    by_vehicles = (
        api.duree(vehicle_ids[7:], "01/03/2024", "20/03/2024").json()
        + api.duree(vehicle_ids[:7], "01/03/2024", "20/03/2024").json()
    )
    assert sorted(by_vehicles, key=lambda e: vehicle_ids.index(e["vehicle"]["id"])) == whole
    early = api.duree(vehicle_ids, "01/03/2024", "09/03/2024").json()
    late = api.duree(vehicle_ids, "10/03/2024", "20/03/2024").json()
    for full, first, second in zip(whole, early, late, strict=True):
        assert first["dailyDioUtilisation"] + second["dailyDioUtilisation"] == full["dailyDioUtilisation"]
        assert first["durationSecForAllDio"] + second["durationSecForAllDio"] == full["durationSecForAllDio"]
        summed = Counter(first["totalUsePerEquipementForPeriod"]) + Counter(
            second["totalUsePerEquipementForPeriod"]
        )
        assert {k: v for k, v in full["totalUsePerEquipementForPeriod"].items() if v} == dict(summed)


def test_usage_looks_like_work(simulator_factory):
    sim = simulator_factory(n_customers=1, vehicles_per_customer=40)
    by_weekday, by_slot, quiet = Counter(), Counter(), 0
    for start, end in (
        ("01/04/2024", "30/04/2024"),
        ("01/05/2024", "31/05/2024"),
        ("01/06/2024", "30/06/2024"),
    ):
        for element in fleet_answer(sim, start, end):
            quiet += element["vehicle"]["dioEnabled"] and element["durationSecForAllDio"] == 0
            for day in element["dailyDioUtilisation"]:
                weekday = dt.datetime.strptime(day["day"], "%d/%m/%Y").weekday()
                by_weekday[weekday] += day["dailyDurationSecForAllDio"]
                for half in day["usePerHalfHour"]:
                    by_slot[half["start"]] += half["useDuration"]
    assert min(by_weekday[d] for d in range(5)) > 3 * max(by_weekday[5], by_weekday[6])
    assert by_slot["10:00"] > 2 * by_slot["12:30"]  # lunch break
    assert by_slot["10:00"] > 10 * by_slot["03:00"] > 0  # occasional nights
    assert quiet >= 1  # some vehicles never use their equipment


def test_fleet_has_zero_to_three_equipment_with_french_labels(simulator_factory):
    sim = simulator_factory(n_customers=2, vehicles_per_customer=60)
    vehicles = [v for c in sim.customers for v in c.vehicles]
    counts = Counter(len(v.equipment) for v in vehicles)
    assert set(counts) == {0, 1, 2, 3}
    labels = {label for v in vehicles for label in v.equipment}
    assert labels & {"Grue", "GRUE", "Grue auxiliaire"} and labels & {"Toupie", "TOUPIE", "Toupie béton"}
    assert len({v.asset_type for v in vehicles}) >= 6


def test_binning_by_hand():
    # 07:10:00-08:05:00 is 1200 s in slot 14 (07:00), 1800 s in slot 15 and 300 s in slot 16;
    # 23:50:00-24:00:00 is 600 s in slot 47
    found = Intervals(row=np.array([0, 1]), a=np.array([25800, 85800]), b=np.array([29100, 86400]))
    binned = bin_intervals(found, 2)
    assert binned[0, 14:17].tolist() == [1200, 1800, 300] and binned[0].sum() == 3300
    assert binned[1, 47] == 600 and binned[1].sum() == 600


def test_wall_times_move_to_elapsed_slots_on_the_change_days():
    spring, autumn = (
        day_grid(dt.date(2024, 3, 31), "Europe/Paris"),
        day_grid(dt.date(2024, 10, 27), "Europe/Paris"),
    )
    # spring: 01:00-04:00 wall is 01:00-02:00 CET then 03:00-04:00 CEST: 2 h, elapsed 3600..10800
    # autumn: 01:00-04:00 wall is 01:00-03:00 CEST, 02:00-03:00 CET, 03:00-04:00 CET: 4 h, elapsed 3600..18000
    wall = Intervals(row=np.array([0, 1]), a=np.array([3600, 3600]), b=np.array([14400, 14400]))
    moved = to_elapsed(wall, [spring, autumn], np.array([0, 1]))
    assert moved.a.tolist() == [3600, 3600] and moved.b.tolist() == [10800, 18000]
    assert (spring.n_slots, autumn.n_slots) == (46, 50)

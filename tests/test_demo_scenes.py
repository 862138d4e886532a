"""The demo fleet has something to find: its scenes, fetched from the demo and found by oa.findings.

The demo is played as on 2 December 2024 (its period: November 2024), so that every
day below is written out; the truth is the settings and the French calendar.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import ocean_analytics as oa
from ocean_analytics.api.connect import demo_config, demo_period, demo_simulator
from ocean_analytics.simulator import Simulator, SimulatorConfig
from ocean_analytics.simulator.demo import demo_scenes

D = dt.date
TODAY = D(2024, 12, 2)
START, END = D(2024, 11, 1), D(2024, 11, 30)
# The French public holidays from 30 Nov 2023 (a year before the period's end) to 2 Dec 2024.
FRENCH_HOLIDAYS = (
    D(2023, 12, 25),  # Noël
    D(2024, 1, 1),  # Jour de l'an
    D(2024, 4, 1),  # Lundi de Pâques
    D(2024, 5, 1),  # Fête du travail
    D(2024, 5, 8),  # Victoire 1945
    D(2024, 5, 9),  # Ascension
    D(2024, 5, 20),  # Lundi de Pentecôte
    D(2024, 7, 14),  # Fête nationale
    D(2024, 8, 15),  # Assomption
    D(2024, 11, 1),  # Toussaint
    D(2024, 11, 11),  # Armistice
)


@pytest.fixture(scope="module")
def demo():
    """The demo simulator as played on TODAY, with a client of its demo account."""
    with Simulator(demo_config(today=TODAY)) as sim:
        account = sim.accounts["single"]
        client = oa.OceanClient(sim.base_url, account.login, account.password, api_tz="UTC")
        yield sim, client


@pytest.fixture(scope="module")
def november(demo):
    _sim, client = demo
    return oa.fetch_usage(client, START, END, progress=False)


def scenes(sim: Simulator) -> dict:
    """The scene vehicles named by the settings."""
    config = sim.config
    (silent,) = [b for b in config.silent_boxes if b.last_communication is not None]
    (never,) = [b for b in config.silent_boxes if b.last_communication is None]
    (stuck,) = config.stuck_inputs
    vehicles = {v.id: v for v in sim.vehicles(sim.accounts["single"].customer_ids[0])}
    return {"silent": silent, "never": never, "stuck": stuck, "vehicles": vehicles}


def use_by(daily: pd.DataFrame, *keys: str) -> pd.Series:
    return daily.astype({"equipment": "str"}).groupby(list(keys))["use_s"].sum()


def test_the_scenes_sit_in_the_demo_period():
    config = demo_config(today=TODAY)
    assert demo_period(TODAY) == (START, END)
    silent = [b for b in config.silent_boxes if b.last_communication is not None]
    never = [b for b in config.silent_boxes if b.last_communication is None]
    assert [(b.last_communication, b.reason) for b in silent] == [(D(2024, 11, 15), "Véhicule au garage")]
    assert [(b.installed, b.reason) for b in never] == [(D(2024, 10, 1), None)]  # 31 days before the 1st
    assert [(s.first, s.last) for s in config.stuck_inputs] == [(D(2024, 11, 26), D(2024, 11, 28))]
    assert config.holidays == FRENCH_HOLIDAYS
    assert config.holiday_rest_share == 0.9 and config.seed == 2024 and config.clock == "UTC"
    # played a month later, the holidays run to that day: Christmas and New Year's Day 2025 join
    later = demo_config(today=D(2025, 1, 1))
    assert later.holidays[-2:] == (D(2024, 12, 25), D(2025, 1, 1)) and D(2023, 12, 25) not in later.holidays


def test_the_site_has_more_machines_than_it_uses(demo, november):
    sim, _client = demo
    vehicles = scenes(sim)["vehicles"]
    idle = set(sim.config.idle_vehicles)
    (site,) = {vehicles[v].entity_id for v in idle}  # the idle machines stand in one site
    members = {v for v in vehicles if vehicles[v].entity_id == site}
    assert idle < members and len(members - idle) == 2  # all its machines but two stand idle
    used = use_by(november.daily, "vehicle_id")
    assert {v for v in members if used[v] > 0} == members - idle  # November: 2 of its machines work
    entity = november.vehicles.set_index("vehicle_id").loc[sorted(members), "entity_name"]
    assert entity.nunique() == 1 and entity.iloc[0] == vehicles[min(members)].entity_name


def test_a_box_goes_silent_on_the_15th_and_one_never_spoke(demo, november):
    sim, _client = demo
    found = scenes(sim)
    daily, vehicles = november.daily, november.vehicles.set_index("vehicle_id")
    silent = daily[daily["vehicle_id"] == found["silent"].vehicle_id]
    after = silent["date"] > pd.Timestamp("2024-11-15")
    assert (~silent.loc[after, "has_data"]).all() and silent.loc[~after, "has_data"].all()
    assert silent.loc[after, "use_s"].sum() == 0 and silent.loc[~after, "use_s"].sum() > 0
    row = vehicles.loc[found["silent"].vehicle_id]
    assert (row["last_data_day"], row["silence_reason"]) == (pd.Timestamp("2024-11-15"), "Véhicule au garage")
    never = daily[daily["vehicle_id"] == found["never"].vehicle_id]
    assert len(never) == 30 * len(found["vehicles"][found["never"].vehicle_id].equipment)
    assert (~never["has_data"]).all() and never["use_s"].sum() == 0
    assert bool(vehicles.loc[found["never"].vehicle_id, "never_communicated"]) is True


def test_the_stuck_input_is_on_all_day_for_three_days(demo, november):
    stuck = scenes(demo[0])["stuck"]
    pair = november.daily[
        (november.daily["vehicle_id"] == stuck.vehicle_id) & (november.daily["equipment"] == stuck.equipment)
    ].set_index("date")["use_s"]
    on = [pd.Timestamp(f"2024-11-{d}") for d in (26, 27, 28)]
    assert pair[on].tolist() == [86_400] * 3  # every second of a UTC day
    assert pair.drop(on).max() < 84_600  # no other day reaches 23.5 h


def test_most_of_the_fleet_rests_on_the_holidays(demo):
    _sim, client = demo
    year = oa.fetch_usage(client, D(2023, 12, 1), END, progress=False)
    daily = year.daily
    working = daily[daily["use_s"] > 0].groupby("date")["vehicle_id"].nunique()
    for holiday in FRENCH_HOLIDAYS:  # all inside the year fetched
        same_weekdays = [holiday + dt.timedelta(days=7 * k) for k in (-2, -1, 1, 2)]
        usual = max(working.get(pd.Timestamp(d), 0) for d in same_weekdays if d not in FRENCH_HOLIDAYS)
        if holiday.weekday() < 5:
            assert usual >= 4, holiday  # an ordinary weekday puts at least 4 of the 12 to work
        # 90 % of the fleet rests: at most a quarter of an ordinary day's machines work
        assert working.get(pd.Timestamp(holiday), 0) <= usual // 4, holiday


def test_findings_find_each_scene_of_the_demo(demo, november):
    sim, _client = demo
    found = scenes(sim)
    stuck = found["stuck"]
    result = oa.findings(november)
    rows = result[result["kind"] == "stuck_input"]
    assert rows[["vehicle_id", "equipment", "first_day", "last_day", "days", "hours"]].values.tolist() == [
        [stuck.vehicle_id, stuck.equipment, pd.Timestamp("2024-11-26"), pd.Timestamp("2024-11-28"), 3, 72.0]
    ]
    never = result[result["kind"] == "never_used"]
    resting = set(sim.config.idle_vehicles) | {
        v for v, vehicle in found["vehicles"].items() if vehicle.dormant
    }
    expected = {(v, e) for v in resting for e in found["vehicles"][v].equipment}
    assert set(zip(never["vehicle_id"], never["equipment"], strict=True)) == expected
    assert set(never["days"]) == {30}  # every day of November had data for them
    assert found["never"].vehicle_id not in set(result["vehicle_id"])  # no data is not no use
    assert not (result["kind"] == "use_without_data").any()  # the simulator cuts use where data stop


@pytest.mark.parametrize(
    ("start", "stuck_days", "never_days"),
    [(D(2024, 11, 24), 3, 7), (D(2024, 9, 1), 3, 91), (D(2023, 12, 1), 3, 366)],
)
def test_the_last_week_a_quarter_and_a_year_show_the_scenes(demo, start, stuck_days, never_days):
    sim, client = demo
    usage = oa.fetch_usage(client, start, END, progress=False)
    result = oa.findings(usage)
    assert result.loc[result["kind"] == "stuck_input", "days"].tolist() == [stuck_days]
    never = result[result["kind"] == "never_used"]
    assert set(never["vehicle_id"]) >= set(sim.config.idle_vehicles)
    assert set(never["days"]) == {never_days}
    silent = scenes(sim)["silent"].vehicle_id
    quiet = usage.daily[
        (usage.daily["vehicle_id"] == silent) & (usage.daily["date"] > pd.Timestamp("2024-11-15"))
    ]
    assert len(quiet) and (~quiet["has_data"]).all() and quiet["use_s"].sum() == 0


def test_connect_without_an_account_plays_todays_scenes(monkeypatch):
    for name in ("OCEAN_LOGIN", "OCEAN_PASSWORD", "OCEAN_CUSTOMER_ID", "OCEAN_BASE_URL", "OCEAN_API_TZ"):
        monkeypatch.delenv(name, raising=False)
    client = oa.connect()
    sim = demo_simulator("UTC")
    assert client.base_url == sim.base_url
    assert sim.config == demo_config("UTC")  # the scenes of today's demo period
    _start, end = demo_period()
    (stuck,) = sim.config.stuck_inputs
    usage = oa.fetch_usage(client, end - dt.timedelta(days=6), end, progress=False)
    rows = oa.findings(usage).query("kind == 'stuck_input'")
    assert rows[["vehicle_id", "first_day", "last_day"]].values.tolist() == [
        [stuck.vehicle_id, pd.Timestamp(end - dt.timedelta(days=4)), pd.Timestamp(end - dt.timedelta(days=2))]
    ]


def test_the_scenes_follow_the_clock_of_the_demo():
    with Simulator(demo_config("Europe/Paris", today=TODAY)) as sim:
        account = sim.accounts["single"]
        client = oa.OceanClient(sim.base_url, account.login, account.password, api_tz="Europe/Paris")
        usage = oa.fetch_usage(client, D(2024, 11, 25), D(2024, 11, 29), progress=False)
    (stuck,) = sim.config.stuck_inputs
    use = use_by(usage.daily, "vehicle_id", "equipment", "date")[stuck.vehicle_id, stuck.equipment]
    # 26 to 28 Nov on Paris time (no clock change): 24 h each; the 25th and 29th below 23.5 h
    assert use.iloc[1:4].tolist() == [86_400] * 3
    assert use.iloc[0] < 84_600 and use.iloc[-1] < 84_600


def test_the_scenes_need_a_period_and_a_fleet_big_enough():
    with pytest.raises(ValueError, match="start 2024-11-30 is after its end 2024-11-01"):
        demo_scenes(SimulatorConfig(), END, START, TODAY)
    with pytest.raises(ValueError, match="give more vehicles_per_customer"):
        demo_scenes(SimulatorConfig(vehicles_per_customer=2), START, END, TODAY)
    plain = SimulatorConfig()  # the simulator's own defaults stay without scenes
    assert (plain.silent_boxes, plain.stuck_inputs, plain.holidays, plain.idle_vehicles) == ((), (), (), ())

"""fetch_usage against the live simulator: plans, concurrency, splitting, vehicle selection.

Expected numbers come from the simulator's raw JSON answer (``sim.answer``), summed
here by hand, never from the parser under test.
"""

import datetime as dt
from collections import Counter, defaultdict

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics.api.client import OceanClient, RetryPolicy

pytestmark = pytest.mark.live
USAGE = "/restapi/dioUtilisation/duree"
FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")


def client_for(sim, **options):
    acc = sim.accounts["single"]
    return OceanClient(
        sim.base_url,
        acc.login,
        acc.password,
        retry=RetryPolicy(backoff_s=0.01, max_backoff_s=0.05),
        **options,
    )


def customer(sim):
    return sim.accounts["single"].customer_ids[0]


def raw_totals(answer):
    """Per (vehicle, equipment): seconds from the day totals, and half hours with use, from raw JSON."""
    seconds, slots, period = defaultdict(int), Counter(), defaultdict(int)
    for element in answer:
        vid = element["vehicle"]["id"]
        for day in element["dailyDioUtilisation"]:
            for label, value in day["dayTotalUsePerEquipement"].items():
                seconds[vid, label] += value
            for slot in day["usePerHalfHour"]:
                slots[vid, slot["libelleEquipement"]] += slot["useDuration"] > 0
        for label, value in element["totalUsePerEquipementForPeriod"].items():
            period[vid, label] += value
    return dict(seconds), dict(slots), dict(period)


def asked_cells(sim):
    cells = []
    for r in sim.requests:
        if r.path == USAGE and r.status == 200:
            first = dt.datetime.strptime(r.query["startDate"][0], "%d/%m/%Y").date()
            last = dt.datetime.strptime(r.query["endDate"][0], "%d/%m/%Y").date()
            ids = [int(v) for value in r.query["vehIds"] for v in value.split(",")]
            cells += [(v, first + dt.timedelta(days=k)) for v in ids for k in range((last - first).days + 1)]
    return cells


def frames_equal(a, b):
    for name in FRAMES:
        assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def test_multi_request_plan_gives_the_numbers_of_the_raw_answer(simulator):
    ids = [v.id for v in simulator.vehicles(customer(simulator))[:5]]
    start, end = dt.date(2024, 9, 25), dt.date(2024, 10, 20)  # 26 days -> windows of 10, 10, 6
    usage = oa.fetch_usage(
        client_for(simulator),
        start,
        end,
        ids,
        max_days_per_request=10,
        max_vehicles_per_request=2,
        progress=False,
    )

    seconds, slots, period = raw_totals(simulator.answer(customer(simulator), ids, start, end))
    got = usage.daily.groupby(["vehicle_id", "equipment"], observed=True)["use_s"].sum()
    assert {k: v for k, v in got.items()} == {k: v for k, v in seconds.items()}
    assert sum(seconds.values()) > 100 * 3600  # a fleet that really works
    got_slots = usage.half_hours.groupby(["vehicle_id", "equipment"], observed=True).size()
    assert {k: v for k, v in got_slots.items() if v} == {k: v for k, v in slots.items() if v}
    assert {(r.vehicle_id, r.equipment): r.use_s for r in usage.period.itertuples()} == period
    # 3 vehicle batches x 3 day windows; every vehicle-day asked exactly once
    assert len([r for r in simulator.requests if r.path == USAGE]) == 9
    cells = asked_cells(simulator)
    assert len(cells) == len(set(cells)) == 5 * 26
    # the full grid: every vehicle x day x its equipment
    per_vehicle = usage.daily.groupby("vehicle_id", observed=True)["equipment"].nunique()
    assert len(usage.daily) == 26 * per_vehicle.sum()


def test_results_do_not_depend_on_concurrency_or_batch_sizes(simulator):
    ids = [v.id for v in simulator.vehicles(customer(simulator))[:6]]
    client = client_for(simulator)
    one = oa.fetch_usage(client, "2024-10-01", "2024-10-15", ids, max_workers=1, progress=False)
    many = oa.fetch_usage(
        client,
        "2024-10-01",
        "2024-10-15",
        ids,
        max_workers=4,
        max_vehicles_per_request=1,
        max_days_per_request=4,
        progress=False,
    )
    frames_equal(one, many)
    assert len([r for r in simulator.requests if r.path == USAGE]) == 1 + 6 * 4


def test_too_large_requests_are_split_until_accepted(simulator_factory):
    sim = simulator_factory(max_cells=20)  # 4 vehicles x 10 days = 40 cells -> 413
    ids = [v.id for v in sim.vehicles(customer(sim))[:4]]
    usage = oa.fetch_usage(client_for(sim), "2024-10-01", "2024-10-10", ids, progress=False)
    statuses = [r.status for r in sim.requests if r.path == USAGE]
    assert statuses.count(413) == 1 and statuses.count(200) == 2
    seconds, _, _ = raw_totals(sim.answer(customer(sim), ids, dt.date(2024, 10, 1), dt.date(2024, 10, 10)))
    assert usage.daily["use_s"].sum() == sum(seconds.values())
    cells = asked_cells(sim)
    assert len(cells) == len(set(cells)) == 40


def test_whole_fleet_and_plates(simulator):
    fleet = simulator.vehicles(customer(simulator))
    client = client_for(simulator)
    usage = oa.fetch_usage(client, "2024-10-01", "2024-10-02", progress=False)
    assert dict(zip(usage.vehicles["vehicle_id"], usage.vehicles["plate"], strict=True)) == {
        v.id: v.plate for v in fleet
    }

    chosen = [fleet[3].plate, fleet[0].plate.lower().replace("-", " ")]
    usage = oa.fetch_usage(client, "2024-10-01", "2024-10-02", plates=chosen, progress=False)
    assert sorted(usage.vehicles["vehicle_id"]) == sorted([fleet[3].id, fleet[0].id])
    assert set(usage.vehicles["plate"]) == set(chosen)


def test_unknown_plate_is_named(simulator):
    plate = simulator.vehicles(customer(simulator))[0].plate
    with pytest.raises(oa.NotFoundError, match="ZZ-999-ZZ"):
        oa.fetch_usage(client_for(simulator), "2024-10-01", "2024-10-02", plates=[plate, "ZZ-999-ZZ"])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"start": "01/10/2024"}, oa.InvalidArgumentError, "start='01/10/2024'.*YYYY-MM-DD"),
        ({"start": "2024-10-05", "end": "2024-10-01"}, oa.InvalidArgumentError, "after end"),
        ({"end": "2999-01-01"}, oa.InvalidArgumentError, "future"),
        ({"vehicle_ids": ["12"]}, oa.InvalidArgumentError, "integers"),
        ({"vehicle_ids": 12}, oa.InvalidArgumentError, "list of integers"),
        ({"plates": []}, oa.InvalidArgumentError, "plates is empty"),
        ({"plates": "AB-123-CD"}, oa.InvalidArgumentError, "not a bare string"),
        ({"max_workers": 0}, oa.InvalidArgumentError, "max_workers"),
    ],
)
def test_bad_arguments_fail_before_any_request(simulator, kwargs, error, match):
    arguments = {"start": "2024-10-01", "end": "2024-10-02", **kwargs}
    with pytest.raises(error, match=match):
        oa.fetch_usage(client_for(simulator), **arguments)
    assert simulator.requests == []


def test_progress_bar_only_when_several_requests(simulator, capsys):
    ids = [v.id for v in simulator.vehicles(customer(simulator))[:2]]
    client = client_for(simulator)
    oa.fetch_usage(client, "2024-10-01", "2024-10-02", ids)
    assert "Ocean usage" not in capsys.readouterr().err
    oa.fetch_usage(client, "2024-10-01", "2024-10-02", ids, max_vehicles_per_request=1)
    assert "Ocean usage: 100%" in capsys.readouterr().err


def test_daily_and_half_hour_shortcuts_are_the_frames_of_fetch_usage(simulator):
    ids = [simulator.vehicles(customer(simulator))[1].id]
    client = client_for(simulator)
    usage = oa.fetch_usage(client, "2024-10-07", "2024-10-08", ids)
    assert_frame_equal(oa.fetch_daily_usage(client, "2024-10-07", "2024-10-08", ids), usage.daily)
    assert_frame_equal(oa.fetch_half_hour_usage(client, "2024-10-07", "2024-10-08", ids), usage.half_hours)


def test_paris_clock_through_the_autumn_change(simulator_factory):
    sim = simulator_factory(clock="Europe/Paris")
    ids = [v.id for v in sim.vehicles(customer(sim))]
    usage = oa.fetch_usage(client_for(sim, api_tz="Europe/Paris"), "2024-10-26", "2024-10-28", ids)
    half = usage.half_hours
    assert str(half["start"].dt.tz) == "Europe/Paris"
    assert ((half["end"] - half["start"]) == pd.Timedelta(minutes=30)).all()
    sunday = half[half["date"] == "2024-10-27"]
    # every listed slot of the 25-hour Sunday starts inside it
    day_start, day_end = (
        pd.Timestamp("2024-10-27", tz="Europe/Paris"),
        pd.Timestamp("2024-10-28", tz="Europe/Paris"),
    )
    assert (day_end - day_start) == pd.Timedelta(hours=25)
    assert sunday["start"].between(day_start, day_end, inclusive="left").all()
    seconds, _, _ = raw_totals(sim.answer(customer(sim), ids, dt.date(2024, 10, 26), dt.date(2024, 10, 28)))
    assert half["use_s"].sum() == sum(seconds.values())


def test_frames_carry_provenance(simulator):
    ids = [simulator.vehicles(customer(simulator))[0].id]
    usage = oa.fetch_usage(client_for(simulator), "2024-10-01", "2024-10-01", ids)
    attrs = usage.daily.attrs
    assert attrs["base_url"] == simulator.base_url and attrs["api_tz"] == "UTC"
    assert attrs["customer_id"] is None and pd.Timestamp(attrs["fetched_at"]).tz is not None

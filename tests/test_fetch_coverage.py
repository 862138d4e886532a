"""fetch_usage against the live simulator: each vehicle's site and fleet number from the listing, the
silent boxes of ``noncommunicant/list``, and ``has_data`` on every vehicle-day.

The truth is worked out by hand from the simulator's settings (which box fell silent when, which
never talked), never read back from the code under test: a box silent after 5 November gives its
vehicle 25 days without data in a November fetch, times its equipment in ``daily``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.simulator import Fault, SilentBox

pytestmark = pytest.mark.live

UTC = dt.UTC
D = dt.date
FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
NOVEMBER = ("2024-11-01", "2024-11-30")
FAST = RetryPolicy(max_retries=1, backoff_s=0.01, max_backoff_s=0.02)
NONCOMMUNICANT = "/restapi/noncommunicant/list"
LISTING = "/restapi/vehicule_engin/vehicles"
REASON = "Boîtier débranché"


def client_of(sim, **options):
    account = sim.accounts["single"]
    return oa.OceanClient(sim.base_url, account.login, account.password, retry=FAST, **options)


def fleet_of(sim):
    return sim.vehicles(sim.accounts["single"].customer_ids[0])


def november_days(*days):
    return {pd.Timestamp(2024, 11, d) for d in days}


def boxes(a, b, c):
    """A silent after 5 Nov (installed 2020), B never talked (installed 1 Oct), C recorded from
    10 Nov 06:00 to 20 Nov 18:00 (UTC)."""
    return (
        SilentBox(a, last_communication=D(2024, 11, 5), installed=D(2020, 3, 1), reason=REASON),
        SilentBox(b, installed=D(2024, 10, 1)),
        SilentBox(
            c,
            installed=dt.datetime(2024, 11, 10, 6, tzinfo=UTC),
            last_communication=dt.datetime(2024, 11, 20, 18, tzinfo=UTC),
        ),
    )


@pytest.fixture
def silent(simulator_factory):
    """A simulator whose first three vehicles have silent boxes (see :func:`boxes`); the fourth talks."""
    reference = simulator_factory()
    a, b, c, d = (v.id for v in fleet_of(reference)[:4])
    return simulator_factory(silent_boxes=boxes(a, b, c)), (a, b, c, d)


def no_data_days(frame):
    """{vehicle: dates where has_data is False}."""
    rows = frame[~frame["has_data"].astype(bool)]
    return {v: set(group["date"]) for v, group in rows.groupby("vehicle_id")}


def test_no_data_days_follow_the_silent_boxes(silent):
    sim, (a, b, c, d) = silent
    usage = oa.fetch_usage(client_of(sim), *NOVEMBER, [a, b, c, d], progress=False)
    expected = {a: november_days(*range(6, 31)), b: november_days(*range(1, 31))}
    expected[c] = november_days(*range(1, 10), *range(21, 31))  # 9 + 10 days
    assert no_data_days(usage.vehicle_days) == expected
    assert usage.vehicle_days["has_data"].sum() == 4 * 30 - (25 + 30 + 19)
    equipment = {v.id: len(v.equipment) for v in fleet_of(sim)}
    got = usage.daily.groupby("vehicle_id")["has_data"].apply(lambda s: int((~s).sum())).to_dict()
    assert got == {a: 25 * equipment[a], b: 30 * equipment[b], c: 19 * equipment[c], d: 0}
    assert equipment[a] >= 1 and equipment[b] >= 1
    # the simulator records nothing on those days: no use there
    silent_rows = usage.daily[~usage.daily["has_data"].astype(bool)]
    assert silent_rows["use_s"].sum() == 0
    assert str(usage.daily["has_data"].dtype) == str(usage.vehicle_days["has_data"].dtype) == "boolean"
    assert all(getattr(usage, name).attrs["coverage"] == "known" for name in FRAMES)
    assert "coverage_note" not in usage.daily.attrs


def test_vehicles_carry_the_silence_and_the_listing(silent):
    sim, (a, b, c, d) = silent
    usage = oa.fetch_usage(client_of(sim), *NOVEMBER, [a, b, c, d], progress=False)
    vehicles = usage.vehicles.set_index("vehicle_id")
    T, NaT = pd.Timestamp, pd.NaT
    expected = {
        a: (False, T(2020, 3, 1), T(2024, 11, 5), REASON),
        b: (True, T(2024, 10, 1), NaT, None),
        c: (False, T(2024, 11, 10), T(2024, 11, 20), None),
        d: (False, NaT, NaT, None),
    }
    columns = ["never_communicated", "installed_on", "last_data_day", "silence_reason"]
    got = {
        v: tuple(None if pd.isna(x) and not isinstance(x, type(NaT)) else x for x in row)
        for v, row in zip(vehicles.index, vehicles[columns].itertuples(index=False), strict=True)
    }
    assert got == expected
    assert [str(vehicles[c].dtype) for c in columns] == ["boolean", "datetime64[ns]", "datetime64[ns]", "str"]
    by_id = {v.id: v for v in fleet_of(sim)}
    listed = ["plate", "entity_id", "entity_name", "fleet_number", "make", "model"]
    assert {
        v: tuple(row) for v, row in zip(vehicles.index, vehicles[listed].itertuples(index=False), strict=True)
    } == {
        v: (
            by_id[v].plate,
            by_id[v].entity_id,
            by_id[v].entity_name,
            by_id[v].fleet_number,
            by_id[v].make,
            by_id[v].model,
        )
        for v in (a, b, c, d)
    }
    assert str(vehicles["entity_id"].dtype) == "Int64"
    # the listing's and the silence's columns come after the answer's own, in the contract's order
    assert list(usage.vehicles.columns[-9:]) == [*listed[1:], *columns]


def test_days_are_cut_on_the_clock_of_the_api(simulator_factory):
    reference = simulator_factory(clock="Europe/Paris")
    a = fleet_of(reference)[0].id
    # 23:30 UTC is 00:30 the next day in Paris (UTC+1 in November)
    box = SilentBox(
        a,
        installed=dt.datetime(2024, 11, 2, 23, 30, tzinfo=UTC),
        last_communication=dt.datetime(2024, 11, 5, 23, 30, tzinfo=UTC),
    )
    sim = simulator_factory(clock="Europe/Paris", silent_boxes=(box,))
    usage = oa.fetch_usage(client_of(sim, api_tz="Europe/Paris"), *NOVEMBER, [a], progress=False)
    row = usage.vehicles.iloc[0]
    assert (row["installed_on"], row["last_data_day"]) == (
        pd.Timestamp(2024, 11, 3),
        pd.Timestamp(2024, 11, 6),
    )
    assert no_data_days(usage.vehicle_days) == {a: november_days(1, 2, *range(7, 31))}


def test_fetched_stored_and_repeated_frames_are_the_same_and_a_repeat_asks_nothing(silent, tmp_path):
    sim, ids = silent
    fresh = oa.fetch_usage(client_of(sim), *NOVEMBER, list(ids), progress=False)
    cached = oa.fetch_usage(client_of(sim), *NOVEMBER, list(ids), progress=False, cache=tmp_path)
    sim.clear_requests()
    repeated = oa.fetch_usage(client_of(sim), *NOVEMBER, list(ids), progress=False, cache=tmp_path)
    assert sim.requests == []  # not the login, the listing or the silent boxes either
    for repeat in Path(tmp_path).glob("repeats/api=*/customer=*/api_tz=*/*"):
        shutil.rmtree(repeat)
    stored = oa.fetch_usage(client_of(sim), *NOVEMBER, list(ids), progress=False, cache=tmp_path)
    assert sim.requests == []  # built from the stored months, listing and silent boxes
    for usage in (cached, repeated, stored):
        for name in FRAMES:
            assert_frame_equal(getattr(usage, name), getattr(fresh, name), obj=name)
            assert getattr(usage, name).attrs["coverage"] == "known"
    # the month files keep their own columns: no has_data, no listing column in the store
    (daily,) = Path(tmp_path).glob("daily/api=*/customer=*/api_tz=*/month=2024-11/part-0.parquet")
    (vehicles,) = Path(tmp_path).glob("vehicles/api=*/customer=*/api_tz=*/month=2024-11/part-0.parquet")
    assert pq.read_schema(daily).names == ["vehicle_id", "date", "equipment", "use_s"]
    assert not {"has_data", "entity_name", "never_communicated"} & set(pq.read_schema(vehicles).names)


def test_the_stored_listing_keeps_every_field_but_the_driver(simulator, tmp_path):
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", progress=False, cache=tmp_path)
    (listing,) = Path(tmp_path).glob("fleet/api=*/customer=*/part-0.parquet")
    table = pq.read_table(listing)
    assert table.column_names == [
        "vehicle_id",
        "plate",
        "entity_id",
        "entity_name",
        "fleet_number",
        "make",
        "model",
        "fetched_at",
    ]
    fleet = fleet_of(simulator)
    assert table.drop(["fetched_at"]).to_pylist() == [
        {
            "vehicle_id": v.id,
            "plate": v.plate,
            "entity_id": v.entity_id,
            "entity_name": v.entity_name,
            "fleet_number": v.fleet_number,
            "make": v.make,
            "model": v.model,
        }
        for v in fleet
    ]


@pytest.mark.parametrize("status", [403, 404])
def test_a_refused_silent_box_list_gives_one_warning_and_unknown_coverage(
    simulator_factory, tmp_path, status
):
    sim = simulator_factory(noncommunicant_status=status)
    ids = [v.id for v in fleet_of(sim)[:2]]
    runs = []
    for _ in range(2):  # fetched, then repeated from the store: the same warning and frames
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            runs.append(oa.fetch_usage(client_of(sim), *NOVEMBER, ids, progress=False, cache=tmp_path))
        assert len(caught) == 1 and caught[0].category is UserWarning
        assert caught[0].filename == __file__  # it points at the call of fetch_usage
        assert f"{NONCOMMUNICANT} answered {status}" in str(caught[0].message)
        sim.clear_requests()
    usage = runs[0]
    for name in FRAMES:
        assert usage.daily.attrs["coverage"] == getattr(usage, name).attrs["coverage"] == "unknown"
        assert f"answered {status}" in getattr(usage, name).attrs["coverage_note"]
        assert_frame_equal(getattr(runs[1], name), getattr(usage, name), obj=name)
    assert usage.vehicle_days["has_data"].isna().all() and len(usage.vehicle_days) == 2 * 30
    assert usage.daily["has_data"].isna().all() and str(usage.daily["has_data"].dtype) == "boolean"
    assert usage.vehicles["never_communicated"].isna().all()
    assert usage.vehicles["installed_on"].isna().all() and usage.vehicles["last_data_day"].isna().all()


@pytest.mark.parametrize(
    "settings",
    [{"silent_days": "omitted"}, {"missing_values": "omitted"}],
    ids=["omitted days", "omitted keys"],
)
def test_the_answer_s_ways_of_writing_silence_give_the_same_frames(simulator_factory, settings):
    reference = simulator_factory()
    a, b, c, d = (v.id for v in fleet_of(reference)[:4])
    plain = simulator_factory(silent_boxes=boxes(a, b, c))
    other = simulator_factory(silent_boxes=boxes(a, b, c), **settings)
    one = oa.fetch_usage(client_of(plain), *NOVEMBER, [a, b, c, d], progress=False)
    two = oa.fetch_usage(client_of(other), *NOVEMBER, [a, b, c, d], progress=False)
    for name in FRAMES:
        assert_frame_equal(getattr(two, name), getattr(one, name), obj=name)
    assert no_data_days(two.vehicle_days)[a] == november_days(*range(6, 31))


def test_a_refused_listing_leaves_the_sites_missing_for_ids_and_fails_the_whole_fleet(simulator):
    simulator.add_fault(Fault("status", status=403, path=LISTING, count=None))
    vehicle = fleet_of(simulator)[0]
    with pytest.warns(UserWarning, match=f"{LISTING} answered 403") as caught:
        usage = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", [vehicle.id], progress=False)
    assert len(caught) == 1
    row = usage.vehicles.iloc[0]
    assert all(
        pd.isna(row[c]) for c in ("plate", "entity_id", "entity_name", "fleet_number", "make", "model")
    )
    assert usage.vehicle_days["has_data"].all()  # the silent boxes were read all the same
    with pytest.raises(oa.PermissionDeniedError, match="403"):
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", progress=False)


def test_a_damaged_silent_box_file_is_reported_and_asked_again(silent, tmp_path):
    sim, ids = silent
    first = oa.fetch_usage(
        client_of(sim), "2024-11-01", "2024-11-02", list(ids), progress=False, cache=tmp_path
    )
    (stored,) = Path(tmp_path).glob("silent/api=*/customer=*/part-0.parquet")
    stored.write_bytes(b"PAR1 not really")
    sim.clear_requests()
    with pytest.warns(UserWarning, match="cannot be used"):
        again = oa.fetch_usage(
            client_of(sim), "2024-11-01", "2024-11-02", list(ids), progress=False, cache=tmp_path
        )
    assert [r.path for r in sim.requests] == ["/restapi/auth/authenticate2", NONCOMMUNICANT]
    for name in FRAMES:
        assert_frame_equal(getattr(again, name), getattr(first, name), obj=name)


def test_the_new_columns_survive_to_parquet_with_their_dtypes(silent, tmp_path):
    sim, ids = silent
    usage = oa.fetch_usage(client_of(sim), *NOVEMBER, list(ids), progress=False)
    back = oa.Usage.read_parquet(usage.to_parquet(tmp_path / "usage"))
    for name in FRAMES:
        assert_frame_equal(getattr(back, name), getattr(usage, name), obj=name)
        assert getattr(back, name).attrs == getattr(usage, name).attrs
    assert back.vehicles["last_data_day"].isna().sum() == 2 and not back.vehicle_days["has_data"].all()


def test_plates_written_another_way_are_found_in_the_one_listing_the_fetch_reads(simulator):
    vehicle = fleet_of(simulator)[2]
    written = vehicle.plate.lower().replace("-", " ")  # not found as written by ids-from-immats
    usage = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", plates=[written], progress=False)
    assert [r.path for r in simulator.requests].count(LISTING) == 1
    row = usage.vehicles.iloc[0]
    assert (row["vehicle_id"], row["plate"], row["fleet_number"]) == (
        vehicle.id,
        written,
        vehicle.fleet_number,
    )

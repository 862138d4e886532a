"""Snapshots: a repeated fetch reads the first run's finished frames back, asking nothing."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import ocean_analytics as oa
from ocean_analytics.store.snapshots import snapshot_key
from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.usage import FRAMES

pytestmark = pytest.mark.live
FAST = RetryPolicy(max_retries=1, backoff_s=0.01)


def client_of(sim):
    account = sim.accounts["single"]
    return oa.OceanClient(sim.base_url, account.login, account.password, retry=FAST)


def snapshot_folders(folder):
    return sorted(p for p in Path(folder).rglob("snapshot.json"))


def test_a_repeated_fetch_reads_the_snapshot_and_asks_nothing(simulator, tmp_path):
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-09", cache=tmp_path, progress=False)
    assert len(snapshot_folders(tmp_path)) == 1
    simulator.clear_requests()
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-09", cache=tmp_path, progress=False)
    assert simulator.requests == []  # not even the login
    for name in FRAMES:  # the very frames of the first run, attrs (fetched_at too) included
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
        assert getattr(again, name).attrs == getattr(first, name).attrs


def test_another_period_or_other_vehicles_make_their_own_snapshot(simulator, tmp_path):
    ids = [v.id for v in simulator.vehicles(simulator.accounts["single"].customer_ids[0])[:3]]
    for period, vehicles in ((("2024-10-01", "2024-10-03"), ids), (("2024-10-01", "2024-10-04"), ids),
                             (("2024-10-01", "2024-10-03"), ids[:2])):
        oa.fetch_usage(client_of(simulator), *period, vehicle_ids=vehicles, cache=tmp_path)
    assert len(snapshot_folders(tmp_path)) == 3
    # the key is the vehicles (with the plates they were asked by) and the days, not their order
    d1, d2 = dt.date(2024, 10, 1), dt.date(2024, 10, 3)
    assert snapshot_key({1: None, 2: "AB"}, d1, d2) == snapshot_key({2: "AB", 1: None}, d1, d2)
    assert snapshot_key({1: None, 2: "AB"}, d1, d2) != snapshot_key({1: None, 2: None}, d1, d2)


def test_no_snapshot_of_a_period_that_is_not_over(simulator, tmp_path):
    today = dt.datetime.now(dt.timezone.utc).date()
    ids = [simulator.vehicles(simulator.accounts["single"].customer_ids[0])[0].id]
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=1), today, vehicle_ids=ids, cache=tmp_path)
    assert snapshot_folders(tmp_path) == []


def test_a_damaged_snapshot_is_reported_and_rebuilt_from_the_day_store(simulator, tmp_path):
    ids = [simulator.vehicles(simulator.accounts["single"].customer_ids[0])[0].id]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    (provenance,) = snapshot_folders(tmp_path)
    (provenance.parent / "daily.arrow").write_bytes(b"ARROW1 damaged")
    simulator.clear_requests()
    with pytest.warns(UserWarning, match="snapshot .* cannot be read"):
        again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert [r.path for r in simulator.requests if "duree" in r.path] == []  # the days were stored
    pd.testing.assert_frame_equal(again.daily, first.daily)
    assert len(snapshot_folders(tmp_path)) == 1  # taken again


def test_refresh_fetches_everything_and_replaces_the_snapshot(simulator, tmp_path):
    ids = [simulator.vehicles(simulator.accounts["single"].customer_ids[0])[0].id]
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path,
                   refresh=True)
    assert len([r for r in simulator.requests if "duree" in r.path]) == 1
    assert len(snapshot_folders(tmp_path)) == 1


def test_an_old_format_snapshot_is_not_read_but_rebuilt_and_replaced(simulator, tmp_path):
    ids = [simulator.vehicles(simulator.accounts["single"].customer_ids[0])[0].id]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    (header,) = snapshot_folders(tmp_path)
    folder = header.parent
    for path in folder.iterdir():  # the folder a version 1 wrote: Usage.to_parquet, no snapshot.json
        path.unlink()
    oa.Usage(first.daily.iloc[:0], first.half_hours, first.vehicles, first.vehicle_days, first.period,
             first.start, first.end).to_parquet(folder)
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    pd.testing.assert_frame_equal(again.daily, first.daily)  # not the (emptied) old snapshot
    assert (folder / "snapshot.json").is_file() and not (folder / "daily.parquet").exists()

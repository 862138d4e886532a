"""The local cache of fetch_usage, against the live simulator: stored days give the frames a fresh
fetch gives, only missing vehicle-days are asked, a re-run asks nothing, today is never stored,
refresh, clear_cache, concurrent writers, crashes mid-write and damaged files."""

import datetime as dt
import multiprocessing
import re
import shutil
import warnings
import zoneinfo
from pathlib import Path

import orjson
import pandas as pd
import pyarrow.parquet as pq
import pytest

import ocean_analytics as oa
from ocean_analytics.store import cache as cache_module
from ocean_analytics.store import files as cache_files
from ocean_analytics.store.cache import UsageCache
from ocean_analytics.store.records import DayRecord, missing_runs, rebuild_answer, records_from_answer
from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.api.plan import UsageRequest
from ocean_analytics.usage import FRAMES

pytestmark = pytest.mark.live

D = dt.date
USAGE = "/restapi/dioUtilisation/duree"
FAST = RetryPolicy(max_retries=1, backoff_s=0.01, max_backoff_s=0.02)
UTC = dt.timezone.utc


# -- helpers ------------------------------------------------------------------------------------
def client_of(sim, **options):
    """A new client (not yet logged in) on the simulator's single-customer account."""
    account = sim.accounts["single"]
    return oa.OceanClient(sim.base_url, account.login, account.password, retry=FAST, **options)


def fleet_of(sim):
    return sim.vehicles(sim.accounts["single"].customer_ids[0])


def duree_requests(sim):
    """``(vehicle ids, startDate, endDate)`` of every usage request, in arrival order."""
    return [(tuple(int(v) for raw in r.query["vehIds"] for v in raw.split(",")),
             r.query["startDate"][0], r.query["endDate"][0]) for r in sim.requests if r.path == USAGE]


def asked_cells(sim):
    """Every (vehicle, day) the usage requests asked, repeats kept."""
    cells = []
    for ids, start, end in duree_requests(sim):
        first, last = (dt.datetime.strptime(s, "%d/%m/%Y").date() for s in (start, end))
        cells += [(v, first + dt.timedelta(days=k)) for v in ids for k in range((last - first).days + 1)]
    return cells


def assert_same_usage(got, expected):
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))
        stamp = {k: v for k, v in getattr(got, name).attrs.items() if k != "fetched_at"}
        assert stamp == {k: v for k, v in getattr(expected, name).attrs.items() if k != "fetched_at"}
    assert (got.start, got.end, got.api_tz, got.ambiguous_slots) == (
        expected.start, expected.end, expected.api_tz, expected.ambiguous_slots)


def month_files(folder):
    return sorted(p for p in Path(folder).rglob("*.parquet") if p.parent.parent.name == "usage")


def forget_snapshots(folder):
    """Remove the finished-frame snapshots, so that a repeated fetch reads the vehicle-day store."""
    for path in Path(folder).rglob("snapshots"):
        shutil.rmtree(path)


# -- records: hand-written answers ------------------------------------------------------------
def hand_day(day, totals, halves=()):
    return {"day": day, "dailyDurationSecForAllDio": sum(totals.values()),
            "dayTotalUsePerEquipement": totals, "usePerHalfHour": list(halves)}


def test_records_of_an_answer_cover_every_asked_vehicle_day_before_today():
    vehicle = {"id": 7, "description": "Grue n°1"}
    answer = [{"vehicle": vehicle, "totalUserPerEquipementForPeriod": {"Grue": 300, "Benne": 0},
               "dailyDioUtilisation": [hand_day("01/10/2024", {"Grue": 100}), hand_day("03/10/2024", {"Grue": 200})]}]
    stamp = dt.datetime(2024, 10, 5, tzinfo=UTC)
    records = records_from_answer(UsageRequest((7, 8), D(2024, 10, 1), D(2024, 10, 4)), answer, D(2024, 10, 4), stamp)
    # 2 vehicles x 3 days (the 4th is "today": never a record)
    assert [(r.vehicle_id, r.day.day) for r in records] == [(7, 1), (7, 2), (7, 3), (8, 1), (8, 2), (8, 3)]
    seven = records[:3]
    assert [orjson.loads(r.element)["day"] if r.element else None for r in seven] == ["01/10/2024", None, "03/10/2024"]
    assert [r.totals for r in seven] == [{"Grue": 100}, {}, {"Grue": 200}]
    assert [r.all_dio_s for r in seven] == [100, 0, 200]
    assert {orjson.loads(r.vehicle)["description"] for r in seven} == {"Grue n°1"}
    assert {r.labels for r in seven} == {("Grue", "Benne")}
    assert all(r.vehicle is None and r.element is None for r in records[3:])  # vehicle 8 left out of the answer


def test_rebuilt_answer_sums_day_totals_into_period_totals():
    old, new = dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 2, 1, tzinfo=UTC)
    day1 = hand_day("01/10/2024", {"Grue": 100, "Benne": 50})
    day3 = hand_day("03/10/2024", {"Grue": 200})
    records = [
        DayRecord(7, D(2024, 10, 3), orjson.dumps(day3), {"Grue": 200}, 200, b'{"id":7,"v":"new"}', ("Grue",), new),
        DayRecord(7, D(2024, 10, 1), orjson.dumps(day1), {"Grue": 100, "Benne": 50}, 150, b'{"id":7,"v":"old"}',
                  ("Grue", "Tapis"), old),
        DayRecord(7, D(2024, 10, 2), None, {}, 0, b'{"id":7,"v":"old"}', ("Grue", "Tapis"), old),
        DayRecord(8, D(2024, 10, 1), None, {}, 0, None, (), old),  # left out of its answer: left out again
    ]
    answer = orjson.loads(rebuild_answer(records))
    assert len(answer) == 1
    element = answer[0]
    assert element["vehicle"] == {"id": 7, "v": "new"}  # the most recent fetch's
    assert [d["day"] for d in element["dailyDioUtilisation"]] == ["01/10/2024", "03/10/2024"]
    # Grue 100 + 200; Benne 50; Tapis was only in a period total: 0
    assert element["totalUsePerEquipementForPeriod"] == {"Grue": 300, "Tapis": 0, "Benne": 50}
    assert element["durationSecForAllDio"] == 350


def test_missing_runs_are_the_gaps_between_stored_days():
    have = [D(2024, 10, 1), D(2024, 10, 2), D(2024, 10, 3), D(2024, 10, 7), D(2024, 10, 8), D(2024, 10, 9)]
    assert missing_runs(have, D(2024, 10, 1), D(2024, 10, 10)) == [
        (D(2024, 10, 4), D(2024, 10, 6)), (D(2024, 10, 10), D(2024, 10, 10))]
    assert missing_runs([], D(2024, 10, 1), D(2024, 10, 2)) == [(D(2024, 10, 1), D(2024, 10, 2))]
    assert missing_runs(have[:3], D(2024, 10, 1), D(2024, 10, 3)) == []


# -- cached frames are the fresh frames --------------------------------------------------------
@pytest.mark.parametrize("settings", [
    {},
    # days without use left out, English key spelling, a dio-disabled vehicle, dormant ones, the autumn change
    {"vehicles_per_customer": 30, "list_idle_days": False, "clock": "Europe/Paris",
     "period_key": "totalUserPerEquipementForPeriod"},
], ids=["default", "idle-days-left-out-paris"])
@pytest.mark.filterwarnings("ignore:.*half hour\\(s\\) of an autumn clock change")  # the same in both fetches
def test_cached_frames_equal_fresh_ones_and_a_rerun_asks_nothing(simulator_factory, tmp_path, settings):
    sim = simulator_factory(**settings)
    tz = settings.get("clock", "UTC")
    fresh = oa.fetch_usage(client_of(sim, api_tz=tz), "2024-10-20", "2024-11-05")
    first = oa.fetch_usage(client_of(sim, api_tz=tz), "2024-10-20", "2024-11-05", cache=tmp_path)
    assert_same_usage(first, fresh)
    sim.clear_requests()
    again = oa.fetch_usage(client_of(sim, api_tz=tz), "2024-10-20", "2024-11-05", cache=tmp_path)
    assert sim.requests == []
    assert_same_usage(again, fresh)
    if settings:  # the cases the rebuild must get right are really there
        totals = fresh.daily.groupby("vehicle_id")["use_s"].sum()
        assert (totals == 0).sum() >= 2  # dormant vehicles: rows from period-total labels only
        assert len(fresh.vehicles) == 30 and fresh.vehicles["vehicle_id"].nunique() > totals.index.nunique()


def test_a_mixed_fetch_equals_a_fresh_one_and_asks_only_the_missing_vehicle_days(simulator, tmp_path):
    a, b, c = (v.id for v in fleet_of(simulator)[:3])
    fresh = oa.fetch_usage(client_of(simulator), "2024-10-05", "2024-10-20", vehicle_ids=[a, b, c])
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-10", vehicle_ids=[a, b], cache=tmp_path)
    simulator.clear_requests()
    mixed = oa.fetch_usage(client_of(simulator), "2024-10-05", "2024-10-20", vehicle_ids=[a, b, c],
                           cache=tmp_path, max_days_per_request=7)
    assert_same_usage(mixed, fresh)
    # a and b lack 11..20 October, c all of 5..20; each run cut in windows of at most 7 days
    assert sorted(duree_requests(simulator)) == sorted([
        ((a, b), "11/10/2024", "17/10/2024"), ((a, b), "18/10/2024", "20/10/2024"),
        ((c,), "05/10/2024", "11/10/2024"), ((c,), "12/10/2024", "18/10/2024"), ((c,), "19/10/2024", "20/10/2024")])
    cells = asked_cells(simulator)
    assert len(cells) == len(set(cells)) == 2 * 10 + 16


def test_a_gap_in_the_middle_is_asked_alone(simulator, tmp_path):
    a = fleet_of(simulator)[0].id
    for start, end in (("2024-10-01", "2024-10-03"), ("2024-10-07", "2024-10-09")):
        oa.fetch_usage(client_of(simulator), start, end, vehicle_ids=[a], cache=tmp_path)
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-10", vehicle_ids=[a], cache=tmp_path)
    assert sorted(duree_requests(simulator)) == [((a,), "04/10/2024", "06/10/2024"), ((a,), "10/10/2024", "10/10/2024")]


@pytest.mark.parametrize("selection", ["fleet", "plates", "ids"])
def test_a_rerun_makes_no_request_at_all(simulator, tmp_path, selection):
    vehicles = fleet_of(simulator)[:2]
    chosen = {"fleet": {}, "plates": {"plates": [v.plate for v in vehicles]},
              "ids": {"vehicle_ids": [v.id for v in vehicles]}}[selection]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path, **chosen)
    simulator.clear_requests()
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path, **chosen)
    assert simulator.requests == []  # not even the login
    assert_same_usage(again, first)


def test_each_customer_has_its_own_fleet_listing(simulator, tmp_path):
    account = simulator.accounts["multi"]
    first, second = account.customer_ids[:2]
    for customer in (first, second):
        client = oa.OceanClient(simulator.base_url, account.login, account.password, customer_id=customer, retry=FAST)
        usage = oa.fetch_usage(client, "2024-10-01", "2024-10-01", cache=tmp_path)
        assert sorted(usage.vehicles["vehicle_id"]) == sorted(v.id for v in simulator.vehicles(customer))
    assert [r.query["customerId"] for r in simulator.requests if r.path.endswith("/vehicles")] == [
        [str(first)], [str(second)]]


def test_an_old_fleet_listing_is_asked_again(simulator, tmp_path, monkeypatch):
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path)
    simulator.clear_requests()
    monkeypatch.setattr(cache_module, "LISTING_LIFETIME", dt.timedelta(0))
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path)
    assert [r.path for r in simulator.requests] == ["/restapi/auth/authenticate2", "/restapi/vehicule_engin/vehicles"]


def test_today_is_never_stored(simulator, tmp_path):
    today = dt.datetime.now(zoneinfo.ZoneInfo("UTC")).date()
    ids = [v.id for v in fleet_of(simulator)[:2]]
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=2), today, vehicle_ids=ids, cache=tmp_path)
    stored_days = {day for path in month_files(tmp_path) for day in pq.read_table(path)["day"].to_pylist()}
    assert stored_days == {today - dt.timedelta(days=2), today - dt.timedelta(days=1)}
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=2), today, vehicle_ids=ids, cache=tmp_path)
    assert duree_requests(simulator) == [(tuple(ids), f"{today:%d/%m/%Y}", f"{today:%d/%m/%Y}")]


def test_refresh_asks_everything_again_and_replaces_what_is_stored(simulator, tmp_path):
    vehicle = next(v for v in fleet_of(simulator) if len(v.equipment) == 3)
    customer = simulator.accounts["single"].customer_ids[0]
    period = (D(2024, 10, 1), D(2024, 10, 11))
    fetch = lambda **kw: oa.fetch_usage(client_of(simulator), *period, vehicle_ids=[vehicle.id], cache=tmp_path, **kw)
    all_dio = lambda answer: [d["dailyDurationSecForAllDio"] for d in answer[0]["dailyDioUtilisation"]]
    summed = all_dio(simulator.answer(customer, [vehicle.id], *period))
    fetch()
    simulator.configure(all_dio="union")  # the server now counts time with any equipment on
    union = all_dio(simulator.answer(customer, [vehicle.id], *period))
    assert union != summed  # the change is visible on these days
    assert fetch().vehicle_days["all_dio_s"].tolist() == summed  # stored days are reused
    simulator.clear_requests()
    assert fetch(refresh=True).vehicle_days["all_dio_s"].tolist() == union
    assert duree_requests(simulator) == [((vehicle.id,), "01/10/2024", "11/10/2024")]
    simulator.clear_requests()
    assert fetch().vehicle_days["all_dio_s"].tolist() == union  # refresh replaced what was stored
    assert simulator.requests == []


def test_clear_cache_empties_the_folder_and_the_next_fetch_asks_again(simulator, tmp_path):
    ids = [fleet_of(simulator)[0].id]
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert month_files(tmp_path)
    assert oa.clear_cache(tmp_path) == tmp_path
    assert [p.name for p in tmp_path.iterdir()] == ["CACHEDIR.TAG"]
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert duree_requests(simulator) == [(tuple(ids), "01/10/2024", "02/10/2024")]


def test_cache_true_is_the_user_cache_folder_and_clear_cache_defaults_to_it(simulator, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[fleet_of(simulator)[0].id],
                   cache=True)
    assert len(month_files(tmp_path / "ocean-analytics")) == 1
    oa.clear_cache()
    assert month_files(tmp_path / "ocean-analytics") == []


def test_clear_cache_refuses_a_folder_that_is_not_a_cache(tmp_path):
    (tmp_path / "thesis.docx").write_text("years of work")
    with pytest.raises(oa.InvalidArgumentError, match="not an ocean-analytics cache"):
        oa.clear_cache(tmp_path)
    assert (tmp_path / "thesis.docx").read_text() == "years of work"
    assert oa.clear_cache(tmp_path / "missing") == tmp_path / "missing"


@pytest.mark.parametrize(("options", "message"), [
    ({"cache": 42}, "cache must be True"),
    ({"cache": ""}, "cache must be True"),
    ({"cache": True, "refresh": "yes"}, "refresh must be True or False"),
    ({"refresh": True}, "refresh=True renews the cache, but cache=False"),
])
def test_bad_cache_arguments_fail_before_any_request(simulator, options, message):
    with pytest.raises(oa.InvalidArgumentError, match=message):
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[1], **options)
    assert simulator.requests == []


def test_a_cache_folder_that_cannot_be_created_fails_before_any_request(simulator, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(oa.InvalidArgumentError, match="cannot be used"):
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[1], cache=tmp_path / "file" / "c")
    assert simulator.requests == []


# -- files: damage, crashes and concurrent writers ----------------------------------------------
def test_a_damaged_month_file_is_reported_and_its_days_fetched_again(simulator, tmp_path):
    ids = [v.id for v in fleet_of(simulator)[:2]]
    fresh = oa.fetch_usage(client_of(simulator), "2024-09-29", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    september, october = month_files(tmp_path)
    october.write_bytes(october.read_bytes()[:-200] + b"\0" * 200)  # a damaged tail
    forget_snapshots(tmp_path)
    simulator.clear_requests()
    with pytest.warns(UserWarning, match=re.escape(str(october))):
        again = oa.fetch_usage(client_of(simulator), "2024-09-29", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert_same_usage(again, fresh)
    assert duree_requests(simulator) == [(tuple(ids), "01/10/2024", "02/10/2024")]
    simulator.clear_requests()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rewritten: no warning any more
        oa.fetch_usage(client_of(simulator), "2024-09-29", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert simulator.requests == []


def test_a_file_of_other_columns_and_a_damaged_listing_are_reported_too(simulator, tmp_path):
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", cache=tmp_path)
    (month,) = month_files(tmp_path)
    listing = next(tmp_path.rglob("fleet.parquet"))
    pd.DataFrame({"something": [1]}).to_parquet(month)
    listing.write_bytes(b"PAR1 not really")
    forget_snapshots(tmp_path)
    simulator.clear_requests()
    with pytest.warns(UserWarning) as caught:
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", cache=tmp_path)
    reported = " ".join(str(w.message) for w in caught)
    assert str(month) in reported and str(listing) in reported
    assert [r.path for r in simulator.requests] == [
        "/restapi/auth/authenticate2", "/restapi/vehicule_engin/vehicles", USAGE]


def test_a_crash_mid_write_leaves_the_old_file_whole(simulator, tmp_path, monkeypatch):
    ids = [fleet_of(simulator)[0].id]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    (path,) = month_files(tmp_path)
    before = path.read_bytes()

    def crash(table, where, **options):
        if isinstance(where, (str, Path)):  # a cache file (a snapshot writes through a handle)
            Path(where).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_files.pq, "write_table", crash)
    with pytest.warns(UserWarning, match="(Could not write the cache file|Cache snapshot) .*No space left"):
        wider = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-03", vehicle_ids=ids, cache=tmp_path)
    assert len(wider.vehicle_days) == 3  # the frames are complete all the same
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    monkeypatch.undo()
    (path.parent / ".2024-10.parquet.killed.tmp").write_bytes(b"what a killed writer leaves")
    forget_snapshots(tmp_path)
    simulator.clear_requests()
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert simulator.requests == []
    assert_same_usage(again, first)


def _store_many(folder: str, writer: int, rounds: int) -> None:
    """Store all October days of vehicle ``writer`` ``rounds`` times, each record marked with its round."""
    store = UsageCache(Path(folder), "http://api", "1", "UTC")
    stamp = dt.datetime(2024, 11, 1, tzinfo=UTC)
    for round_ in range(rounds):
        records = [DayRecord(writer, D(2024, 10, day), orjson.dumps({"round": round_}), {"Grue": day}, day,
                             b'{"id":1}', ("Grue",), stamp) for day in range(1, 32)]
        store.save(records, before=D(2024, 11, 1))


def test_two_processes_writing_the_same_file_never_corrupt_it(tmp_path):
    context = multiprocessing.get_context("spawn")
    rounds = 40
    writers = [context.Process(target=_store_many, args=(str(tmp_path), w, rounds)) for w in (1, 2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
    assert [p.exitcode for p in writers] == [0, 0]
    (path,) = month_files(tmp_path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    store = UsageCache(tmp_path, "http://api", "1", "UTC")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # whole and readable
        records = store.load([1, 2], D(2024, 10, 1), D(2024, 10, 31), before=D(2024, 11, 1))
    by_vehicle = {}
    for record in records:
        by_vehicle.setdefault(record.vehicle_id, []).append(record)
    # a save replaces a vehicle's 31 days at once: a vehicle is there whole, from one round; the
    # other writer's save may have been overwritten (it is fetched again), but the last save is there
    assert by_vehicle
    for kept in by_vehicle.values():
        assert [r.day.day for r in kept] == list(range(1, 32))
        assert [r.totals for r in kept] == [{"Grue": day} for day in range(1, 32)]
        assert len({orjson.loads(r.element)["round"] for r in kept}) == 1
    assert rounds - 1 in {orjson.loads(kept[0].element)["round"] for kept in by_vehicle.values()}

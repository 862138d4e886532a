"""The local cache of fetch_usage, against the live simulator: stored days give the frames a fresh
fetch gives, only missing vehicle-days are asked, a re-run asks nothing, today is never stored,
refresh (never a stale figure after it), clear_cache, concurrent writers, crashes mid-write, and
damaged or unreadable files and rows."""

import datetime as dt
import multiprocessing
import re
import shutil
import warnings
import zoneinfo
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ocean_analytics as oa
from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.store import cache as cache_module
from ocean_analytics.store import files as cache_files
from ocean_analytics.store.cache import UsageStore
from ocean_analytics.store.combine import combine_usage
from ocean_analytics.store.held import Stored
from ocean_analytics.usage import FRAMES

pytestmark = pytest.mark.live

D = dt.date
USAGE = "/restapi/dioUtilisation/duree"
FAST = RetryPolicy(max_retries=1, backoff_s=0.01, max_backoff_s=0.02)
UTC = dt.UTC


# -- helpers ------------------------------------------------------------------------------------
def client_of(sim, **options):
    """A new client (not yet logged in) on the simulator's single-customer account."""
    account = sim.accounts["single"]
    return oa.OceanClient(sim.base_url, account.login, account.password, retry=FAST, **options)


def fleet_of(sim):
    return sim.vehicles(sim.accounts["single"].customer_ids[0])


def duree_requests(sim):
    """``(vehicle ids, startDate, endDate)`` of every usage request, in arrival order."""
    return [
        (
            tuple(int(v) for raw in r.query["vehIds"] for v in raw.split(",")),
            r.query["startDate"][0],
            r.query["endDate"][0],
        )
        for r in sim.requests
        if r.path == USAGE
    ]


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
        expected.start,
        expected.end,
        expected.api_tz,
        expected.ambiguous_slots,
    )


def month_files(folder, dataset="asked"):
    """The files of one dataset of the store, by month."""
    return sorted(Path(folder).glob(f"{dataset}/api=*/customer=*/api_tz=*/month=*/part-0.parquet"))


def stored_days(folder):
    """Every (vehicle, day) the store holds, from its ``asked`` dataset."""
    days = set()
    for path in month_files(folder):
        table = pq.read_table(path)
        days.update(zip(table["vehicle_id"].to_pylist(), table["date"].to_pylist(), strict=True))
    return days


def missing_runs(have, first, last, vehicle=7):
    """The runs ``Stored.missing`` gives one vehicle that holds the days ``have``."""
    stored = Stored.nothing([vehicle], first, last)
    for day in have:
        stored.held[0, (day - first).days] = True
    return sorted(run for run, vehicles in stored.missing().items() if vehicles == [vehicle])


def test_missing_runs_are_the_gaps_between_stored_days():
    have = [D(2024, 10, 1), D(2024, 10, 2), D(2024, 10, 3), D(2024, 10, 7), D(2024, 10, 8), D(2024, 10, 9)]
    assert missing_runs(have, D(2024, 10, 1), D(2024, 10, 10)) == [
        (D(2024, 10, 4), D(2024, 10, 6)),
        (D(2024, 10, 10), D(2024, 10, 10)),
    ]
    assert missing_runs([], D(2024, 10, 1), D(2024, 10, 2)) == [(D(2024, 10, 1), D(2024, 10, 2))]
    assert missing_runs(have[:3], D(2024, 10, 1), D(2024, 10, 3)) == []


def test_vehicles_sharing_a_run_are_listed_together_in_order():
    stored = Stored.nothing([9, 7, 8], D(2024, 10, 1), D(2024, 10, 4))
    stored.held[0, :2] = True  # 9 holds 1-2 October
    stored.held[2, :] = True  # 8 holds them all
    assert stored.missing() == {(D(2024, 10, 3), D(2024, 10, 4)): [9], (D(2024, 10, 1), D(2024, 10, 4)): [7]}


# -- cached frames are the fresh frames --------------------------------------------------------
@pytest.mark.parametrize(
    "settings",
    [
        {},
        # days without use left out, English key spelling, a dio-disabled vehicle, dormant ones,
        # the autumn change
        {
            "vehicles_per_customer": 30,
            "list_idle_days": False,
            "clock": "Europe/Paris",
            "period_key": "totalUserPerEquipementForPeriod",
        },
    ],
    ids=["default", "idle-days-left-out-paris"],
)
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
    mixed = oa.fetch_usage(
        client_of(simulator),
        "2024-10-05",
        "2024-10-20",
        vehicle_ids=[a, b, c],
        cache=tmp_path,
        max_days_per_request=7,
    )
    assert_same_usage(mixed, fresh)
    # a and b lack 11..20 October, c all of 5..20; each run cut in windows of at most 7 days
    assert sorted(duree_requests(simulator)) == sorted(
        [
            ((a, b), "11/10/2024", "17/10/2024"),
            ((a, b), "18/10/2024", "20/10/2024"),
            ((c,), "05/10/2024", "11/10/2024"),
            ((c,), "12/10/2024", "18/10/2024"),
            ((c,), "19/10/2024", "20/10/2024"),
        ]
    )
    cells = asked_cells(simulator)
    assert len(cells) == len(set(cells)) == 2 * 10 + 16


def test_a_gap_in_the_middle_is_asked_alone(simulator, tmp_path):
    a = fleet_of(simulator)[0].id
    for start, end in (("2024-10-01", "2024-10-03"), ("2024-10-07", "2024-10-09")):
        oa.fetch_usage(client_of(simulator), start, end, vehicle_ids=[a], cache=tmp_path)
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-10", vehicle_ids=[a], cache=tmp_path)
    assert sorted(duree_requests(simulator)) == [
        ((a,), "04/10/2024", "06/10/2024"),
        ((a,), "10/10/2024", "10/10/2024"),
    ]


@pytest.mark.parametrize("selection", ["fleet", "plates", "ids"])
def test_a_rerun_makes_no_request_at_all(simulator, tmp_path, selection):
    vehicles = fleet_of(simulator)[:2]
    chosen = {
        "fleet": {},
        "plates": {"plates": [v.plate for v in vehicles]},
        "ids": {"vehicle_ids": [v.id for v in vehicles]},
    }[selection]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path, **chosen)
    simulator.clear_requests()
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path, **chosen)
    assert simulator.requests == []  # not even the login
    assert_same_usage(again, first)


def test_each_customer_has_its_own_fleet_listing(simulator, tmp_path):
    account = simulator.accounts["multi"]
    first, second = account.customer_ids[:2]
    for customer in (first, second):
        client = oa.OceanClient(
            simulator.base_url, account.login, account.password, customer_id=customer, retry=FAST
        )
        usage = oa.fetch_usage(client, "2024-10-01", "2024-10-01", cache=tmp_path)
        assert sorted(usage.vehicles["vehicle_id"]) == sorted(v.id for v in simulator.vehicles(customer))
    assert [r.query["customerId"] for r in simulator.requests if r.path.endswith("/vehicles")] == [
        [str(first)],
        [str(second)],
    ]


def test_an_old_fleet_listing_is_asked_again(simulator, tmp_path, monkeypatch):
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path)
    simulator.clear_requests()
    monkeypatch.setattr(cache_module, "LISTING_LIFETIME", dt.timedelta(0))
    oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", cache=tmp_path)
    assert [r.path for r in simulator.requests] == [  # the silent boxes are kept as long as the listing
        "/restapi/auth/authenticate2",
        "/restapi/vehicule_engin/vehicles",
        "/restapi/noncommunicant/list",
    ]


def test_today_is_never_stored(simulator, tmp_path):
    today = dt.datetime.now(zoneinfo.ZoneInfo("UTC")).date()
    ids = [v.id for v in fleet_of(simulator)[:2]]
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=2), today, vehicle_ids=ids, cache=tmp_path)
    assert {day for _, day in stored_days(tmp_path)} == {
        today - dt.timedelta(days=2),
        today - dt.timedelta(days=1),
    }
    simulator.clear_requests()
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=2), today, vehicle_ids=ids, cache=tmp_path)
    assert duree_requests(simulator) == [(tuple(ids), f"{today:%d/%m/%Y}", f"{today:%d/%m/%Y}")]


def test_refresh_asks_everything_again_and_replaces_what_is_stored(simulator, tmp_path):
    vehicle = next(v for v in fleet_of(simulator) if len(v.equipment) == 3)
    customer = simulator.accounts["single"].customer_ids[0]
    period = (D(2024, 10, 1), D(2024, 10, 11))

    def fetch(**kw):
        return oa.fetch_usage(client_of(simulator), *period, vehicle_ids=[vehicle.id], cache=tmp_path, **kw)

    def all_dio(answer):
        return [d["dailyDurationSecForAllDio"] for d in answer[0]["dailyDioUtilisation"]]

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
    oa.fetch_usage(
        client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[fleet_of(simulator)[0].id], cache=True
    )
    assert len(month_files(tmp_path / "ocean-analytics")) == 1
    oa.clear_cache()
    assert month_files(tmp_path / "ocean-analytics") == []


def test_clear_cache_refuses_a_folder_that_is_not_a_cache(tmp_path):
    (tmp_path / "thesis.docx").write_text("years of work")
    with pytest.raises(oa.InvalidArgumentError, match="not an ocean-analytics cache"):
        oa.clear_cache(tmp_path)
    assert (tmp_path / "thesis.docx").read_text() == "years of work"
    assert oa.clear_cache(tmp_path / "missing") == tmp_path / "missing"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cache": 42}, "cache must be True"),
        ({"cache": ""}, "cache must be True"),
        ({"cache": True, "refresh": "yes"}, "refresh must be True or False"),
        ({"refresh": True}, "refresh=True renews the cache, but cache=False"),
    ],
)
def test_bad_cache_arguments_fail_before_any_request(simulator, options, message):
    with pytest.raises(oa.InvalidArgumentError, match=message):
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[1], **options)
    assert simulator.requests == []


def test_a_cache_folder_that_cannot_be_created_fails_before_any_request(simulator, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(oa.InvalidArgumentError, match="cannot be used"):
        oa.fetch_usage(
            client_of(simulator), "2024-10-01", "2024-10-01", vehicle_ids=[1], cache=tmp_path / "file" / "c"
        )
    assert simulator.requests == []


# -- files: damage, crashes and concurrent writers ----------------------------------------------
def test_a_damaged_month_file_is_reported_and_its_days_fetched_again(simulator, tmp_path):
    ids = [v.id for v in fleet_of(simulator)[:2]]
    fresh = oa.fetch_usage(client_of(simulator), "2024-09-29", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    _, october = month_files(tmp_path)
    october.write_bytes(october.read_bytes()[:-200] + b"\0" * 200)  # a damaged tail
    simulator.clear_requests()
    with pytest.warns(UserWarning, match=re.escape(str(october))):
        again = oa.fetch_usage(
            client_of(simulator), "2024-09-29", "2024-10-02", vehicle_ids=ids, cache=tmp_path
        )
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
    (listing,) = tmp_path.glob("fleet/api=*/customer=*/part-0.parquet")
    pd.DataFrame({"something": [1]}).to_parquet(month)
    listing.write_bytes(b"PAR1 not really")
    simulator.clear_requests()
    with pytest.warns(UserWarning) as caught:
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-01", cache=tmp_path)
    reported = " ".join(str(w.message) for w in caught)
    assert str(month) in reported and str(listing) in reported
    assert [r.path for r in simulator.requests] == [
        "/restapi/auth/authenticate2",
        "/restapi/vehicule_engin/vehicles",
        USAGE,
    ]


def test_a_crash_mid_write_leaves_the_old_file_whole(simulator, tmp_path, monkeypatch):
    ids = [fleet_of(simulator)[0].id]
    first = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    (path,) = month_files(tmp_path)
    before = path.read_bytes()

    def crash(table, where, **options):
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_files.pq, "write_table", crash)
    with pytest.warns(UserWarning, match="Could not write the cache file .*No space left"):
        wider = oa.fetch_usage(
            client_of(simulator), "2024-10-01", "2024-10-03", vehicle_ids=ids, cache=tmp_path
        )
    assert len(wider.vehicle_days) == 3  # the frames are complete all the same
    assert path.read_bytes() == before
    (kept,) = repeat_folders(tmp_path)  # the first fetch's: the wider one's was staged, then dropped
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    monkeypatch.undo()
    (path.parent / ".part-0.parquet.killed.tmp").write_bytes(b"what a killed writer leaves")
    simulator.clear_requests()
    again = oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert simulator.requests == []
    assert_same_usage(again, first)


def test_a_save_interrupted_by_ctrl_c_leaves_no_staged_repeat(simulator, tmp_path, monkeypatch):
    def interrupted(self, job):
        raise KeyboardInterrupt

    monkeypatch.setattr(UsageStore, "_save_month", interrupted)  # while the months are written
    ids = [fleet_of(simulator)[0].id]
    with pytest.raises(KeyboardInterrupt):
        oa.fetch_usage(client_of(simulator), "2024-10-01", "2024-10-02", vehicle_ids=ids, cache=tmp_path)
    assert list(tmp_path.glob("repeats/api=*/customer=*/api_tz=*/*")) == []  # nor a hidden one
    assert month_files(tmp_path) == []


def test_refresh_over_a_wider_period_leaves_no_stale_figure(simulator, tmp_path):
    """Issue 13, point 8: 1-10 Sep stored, the server's figures change, 1-20 Sep with refresh=True,
    then 1-10 Sep again gives the new figures (from the store, asking nothing)."""
    ids = [v.id for v in fleet_of(simulator)[:3]]
    customer = simulator.accounts["single"].customer_ids[0]

    def fetch(start, end, **kw):
        return oa.fetch_usage(client_of(simulator), start, end, vehicle_ids=ids, cache=tmp_path, **kw)

    def all_dio(start, end):
        answer = simulator.answer(customer, ids, start, end)
        return sum(
            day["dailyDurationSecForAllDio"] for element in answer for day in element["dailyDioUtilisation"]
        )

    before = all_dio(D(2024, 9, 1), D(2024, 9, 10))
    assert fetch("2024-09-01", "2024-09-10").vehicle_days["all_dio_s"].sum() == before
    simulator.configure(all_dio="union")
    after = all_dio(D(2024, 9, 1), D(2024, 9, 10))
    assert after != before
    fetch("2024-09-01", "2024-09-20", refresh=True)
    simulator.clear_requests()
    again = fetch("2024-09-01", "2024-09-10")
    assert simulator.requests == []
    assert again.vehicle_days["all_dio_s"].sum() == after


def rewrite_keeping_generation(path, change):
    """Write ``change(table)`` over a store file, keeping its schema metadata (its save's generation)."""
    table = pq.read_table(path)
    pq.write_table(change(table).replace_schema_metadata(table.schema.metadata), path)


def first_replaced(table, name, value):
    """``table`` with the first value of column ``name`` replaced by ``value``."""
    values = [value, *table[name].to_pylist()[1:]]
    return table.set_column(
        table.column_names.index(name), name, pa.array(values, table.schema.field(name).type)
    )


@pytest.mark.parametrize(
    ("dataset", "change"),
    [
        ("daily", lambda t: first_replaced(t, "use_s", -5)),
        ("half_hours", lambda t: first_replaced(t, "use_s", 1801)),
        ("half_hours", lambda t: pa.concat_tables([t.slice(0, 1), t])),  # a repeated half hour
        ("half_hours", lambda t: first_replaced(t, "date", t["date"][0].as_py() + dt.timedelta(days=1))),
        ("vehicle_days", lambda t: t.slice(1)),  # an answered vehicle-day without its row
        ("vehicle_days", lambda t: first_replaced(t, "all_dio_s", None)),
        ("asked", lambda t: first_replaced(t, "date", D(2024, 9, 30))),  # another month
        ("vehicles", lambda t: t.slice(1)),
    ],
    ids=[
        "negative-use",
        "half-hour-over-1800",
        "repeated-row",
        "day-of-start",
        "missing-row",
        "null",
        "day-outside-month",
        "vehicle-without-row",
    ],
)
def test_a_readable_file_with_a_damaged_row_is_reported_and_its_days_fetched_again(
    simulator, tmp_path, dataset, change
):
    """Issue 13, point 10: a warning naming the file, the month fetched again and rewritten; never an
    error blaming the server."""
    ids = [v.id for v in fleet_of(simulator)[:3]]
    fresh = oa.fetch_usage(client_of(simulator), "2024-10-07", "2024-10-09", vehicle_ids=ids, cache=tmp_path)
    (path,) = month_files(tmp_path, dataset)
    rewrite_keeping_generation(path, change)
    simulator.clear_requests()
    with pytest.warns(UserWarning, match=re.escape(str(path)) + ".*damaged"):
        again = oa.fetch_usage(
            client_of(simulator), "2024-10-07", "2024-10-09", vehicle_ids=ids, cache=tmp_path
        )
    assert_same_usage(again, fresh)
    assert duree_requests(simulator) == [(tuple(ids), "07/10/2024", "09/10/2024")]
    simulator.clear_requests()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rewritten whole
        assert_same_usage(
            oa.fetch_usage(client_of(simulator), "2024-10-07", "2024-10-09", vehicle_ids=ids, cache=tmp_path),
            fresh,
        )
    assert simulator.requests == []


def test_files_of_two_saves_side_by_side_make_their_month_fetched_again(simulator, tmp_path):
    """A crash between the renames of one month's files leaves files of two generations."""
    ids = [fleet_of(simulator)[0].id]
    fresh = oa.fetch_usage(client_of(simulator), "2024-10-07", "2024-10-08", vehicle_ids=ids, cache=tmp_path)
    (path,) = month_files(tmp_path, "daily")
    table = pq.read_table(path)
    pq.write_table(
        table.replace_schema_metadata({**table.schema.metadata, cache_files.GENERATION_KEY: b"another save"}),
        path,
    )
    simulator.clear_requests()
    with pytest.warns(UserWarning, match="different saves"):
        again = oa.fetch_usage(
            client_of(simulator), "2024-10-07", "2024-10-08", vehicle_ids=ids, cache=tmp_path
        )
    assert_same_usage(again, fresh)
    assert len(duree_requests(simulator)) == 1


def hand_usage(vehicle, round_, last=31, period=496):
    """October 1 to ``last`` of one vehicle, parsed from a hand-written answer: ``Grue`` ``day`` seconds
    on each day, ``dailyDurationSecForAllDio`` ``round_`` (which save wrote a day), ``Tapis`` only in
    the period totals."""
    days = [
        {
            "day": f"{day:02d}/10/2024",
            "dailyDurationSecForAllDio": round_,
            "dayTotalUsePerEquipement": {"Grue": day},
            "usePerHalfHour": [],
        }
        for day in range(1, last + 1)
    ]
    answer = [
        {
            "vehicle": {"id": vehicle, "description": "Grue n°1"},
            "dailyDioUtilisation": days,
            "durationSecForAllDio": last * round_,
            "totalUsePerEquipementForPeriod": {"Grue": period, "Tapis": 0},
        }
    ]
    return oa.parse_usage(answer, start="2024-10-01", end=f"2024-10-{last:02d}")


def _store_many(folder: str, writer: int, rounds: int) -> None:
    """Store all October days of vehicle ``writer`` ``rounds`` times, each save marked with its round."""
    store = UsageStore(Path(folder), "http://api", "1", "UTC")
    for round_ in range(rounds):
        store.save(
            hand_usage(writer, round_), [((writer,), D(2024, 10, 1), D(2024, 10, 31))], before=D(2024, 11, 1)
        )


def test_two_processes_writing_the_same_month_never_corrupt_it(tmp_path):
    context = multiprocessing.get_context("spawn")
    rounds = 40
    writers = [context.Process(target=_store_many, args=(str(tmp_path), w, rounds)) for w in (1, 2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
    assert [p.exitcode for p in writers] == [0, 0]
    (path,) = month_files(tmp_path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    store = UsageStore(tmp_path, "http://api", "1", "UTC")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # whole and readable
        stored = store.load([1, 2], D(2024, 10, 1), D(2024, 10, 31), before=D(2024, 11, 1))
    assert stored.held.all()  # saves hold the folder's lock: neither writer's days were lost
    days, daily = stored.frames.vehicle_days, stored.frames.daily
    for vehicle in (1, 2):
        kept = days[days["vehicle_id"] == vehicle]
        assert kept["date"].dt.day.tolist() == list(range(1, 32))
        assert set(kept["all_dio_s"]) == {rounds - 1}  # whole, from the last save
        grue = daily[(daily["vehicle_id"] == vehicle) & (daily["equipment"] == "Grue")]
        assert grue["use_s"].tolist() == list(range(1, 32))


def test_a_store_of_hand_made_usage_gives_its_rows_back_and_a_vehicle_left_out_stays_out(tmp_path):
    store = UsageStore(tmp_path, "http://api", "1", "UTC")
    store.save(
        hand_usage(7, 3), [((7, 8), D(2024, 10, 1), D(2024, 10, 31))], before=D(2024, 10, 20)
    )  # 20th: today
    stored = store.load([7, 8], D(2024, 10, 1), D(2024, 10, 31), before=D(2024, 10, 20))
    assert stored.held[:, :19].all() and not stored.held[:, 19:].any()
    assert stored.frames.days["vehicle_id"].unique().tolist() == [7]  # 8 was not in the answer
    assert stored.frames.daily[stored.frames.daily["equipment"] == "Grue"]["use_s"].tolist() == list(
        range(1, 20)
    )
    assert stored.missing() == {(D(2024, 10, 20), D(2024, 10, 31)): [7, 8]}
    # 1-19 October again, from the store only: the frames of a fresh parse of those days, but for
    # period, where the stored days count with their day totals (1 + ... + 19 = 190, Tapis 0)
    stored = store.load([7, 8], D(2024, 10, 1), D(2024, 10, 19), before=D(2024, 10, 20))
    assert stored.missing() == {}
    empty = oa.parse_usage([], start="2024-10-01", end="2024-10-19")
    again = combine_usage(empty, stored.frames, {7: "AB-123-CD"})
    fresh = hand_usage(7, 3, last=19, period=190)
    for name in ("daily", "half_hours", "vehicle_days", "period"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name))
    assert again.period["use_s"].tolist() == [190, 0]
    assert again.vehicles[["vehicle_id", "plate", "description"]].values.tolist() == [
        [7, "AB-123-CD", "Grue n°1"]
    ]


def repeat_folders(folder):
    return sorted(p.parent for p in Path(folder).glob("repeats/api=*/customer=*/api_tz=*/*/repeat.json"))


def test_the_same_fetch_again_reads_its_repeat_and_the_store_path_gives_the_same_frames(simulator, tmp_path):
    ids = [v.id for v in fleet_of(simulator)[:3]]

    def fetch():
        return oa.fetch_usage(
            client_of(simulator),
            "2024-10-01",
            "2024-10-09",
            vehicle_ids=ids,
            cache=tmp_path,
        )

    fresh = fetch()
    (repeat,) = repeat_folders(tmp_path)
    simulator.clear_requests()
    again = fetch()
    assert simulator.requests == []
    assert_same_usage(again, fresh)
    shutil.rmtree(repeat)  # the same fetch through the day store: the same frames, and a new repeat
    assert_same_usage(fetch(), again)
    assert repeat_folders(tmp_path) == [repeat]


def test_a_repeat_is_retired_by_any_save_to_its_months_and_a_damaged_one_is_rebuilt(simulator, tmp_path):
    a, b = (v.id for v in fleet_of(simulator)[:2])

    def fetch(ids, **kw):
        return oa.fetch_usage(
            client_of(simulator),
            "2024-10-01",
            "2024-10-03",
            vehicle_ids=ids,
            cache=tmp_path,
            **kw,
        )

    fetch([a])
    (repeat,) = repeat_folders(tmp_path)
    fetch([b])  # another save to October: the files of [a]'s repeat are replaced
    simulator.configure(all_dio="union")
    fetch([a], refresh=True)
    simulator.clear_requests()
    union = fetch([a]).vehicle_days["all_dio_s"].tolist()
    assert simulator.requests == []
    customer = simulator.accounts["single"].customer_ids[0]
    answer = simulator.answer(customer, [a], D(2024, 10, 1), D(2024, 10, 3))
    assert union == [d["dailyDurationSecForAllDio"] for d in answer[0]["dailyDioUtilisation"]]
    (repeat / "daily.arrow").write_bytes(b"ARROW1 damaged")
    assert fetch([a]).vehicle_days["all_dio_s"].tolist() == union  # rebuilt from the day store
    assert simulator.requests == []


def test_no_repeat_of_a_period_that_is_not_over(simulator, tmp_path):
    today = dt.datetime.now(dt.UTC).date()
    ids = [fleet_of(simulator)[0].id]
    oa.fetch_usage(client_of(simulator), today - dt.timedelta(days=1), today, vehicle_ids=ids, cache=tmp_path)
    assert repeat_folders(tmp_path) == []

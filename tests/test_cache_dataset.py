"""The store is a dataset: DuckDB, Polars and pyarrow (Dask's reader) read it as it is, with
partition values they all accept; Spark too where it is installed. Expected sums come from the
simulator's raw JSON answer, never from the frames."""

import re
import shutil
import zoneinfo
from collections import defaultdict

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

import ocean_analytics as oa
from ocean_analytics.api.client import RetryPolicy
from ocean_analytics.store.layout import api_slug, customer_slug, zone_slug
from ocean_analytics.store.tables import lone_slots

FAST = RetryPolicy(max_retries=1, backoff_s=0.01, max_backoff_s=0.02)
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # what Spark, Hive, DuckDB and Polars all take
START, END = "2024-10-25", "2024-11-02"  # two months, the autumn change on Paris


def raw_sums(answer):
    """Per vehicle, from the raw JSON: day-total seconds, half hours with use and their seconds, all-DIO."""
    sums = defaultdict(lambda: [0, 0, 0, 0])
    for element in answer:
        totals = sums[element["vehicle"]["id"]]
        for day in element["dailyDioUtilisation"]:
            totals[0] += sum(day["dayTotalUsePerEquipement"].values())
            used = [h["useDuration"] for h in day["usePerHalfHour"] if h["useDuration"] > 0]
            totals[1] += len(used)
            totals[2] += sum(used)
            totals[3] += day["dailyDurationSecForAllDio"]
    return {vehicle: tuple(values) for vehicle, values in sums.items()}


@pytest.fixture
def store_of(simulator_factory, tmp_path):
    """A store filled by one fetch of 4 vehicles on Paris, and the raw sums of the same days."""
    sim = simulator_factory(clock="Europe/Paris")
    account = sim.accounts["single"]
    client = oa.OceanClient(sim.base_url, account.login, account.password, api_tz="Europe/Paris", retry=FAST)
    ids = [v.id for v in sim.vehicles(account.customer_ids[0])[:4]]
    oa.fetch_usage(client, START, END, vehicle_ids=ids, cache=tmp_path)
    answer = sim.answer(account.customer_ids[0], ids, pd.Timestamp(START).date(), pd.Timestamp(END).date())
    return tmp_path, raw_sums(answer)


def test_duckdb_reads_the_store_with_hive_partitions_and_finds_the_raw_sums(store_of):
    duckdb = pytest.importorskip("duckdb")
    folder, expected = store_of

    def query(dataset, select):
        source = f"read_parquet('{folder}/{dataset}/**/*.parquet', hive_partitioning=true)"
        return duckdb.sql(f"select vehicle_id, {select} from {source} group by vehicle_id").fetchall()

    daily = {v: s for v, s in query("daily", "sum(use_s)")}
    halves = {v: (n, s) for v, n, s in query("half_hours", "count(*), sum(use_s)")}
    all_dio = {v: s for v, s in query("vehicle_days", "sum(all_dio_s)")}
    assert daily == {v: e[0] for v, e in expected.items()}
    assert halves == {v: (e[1], e[2]) for v, e in expected.items() if e[1]}
    assert all_dio == {v: e[3] for v, e in expected.items()}
    assert sum(e[2] for e in expected.values()) > 20 * 3600  # vehicles that really work
    source = f"read_parquet('{folder}/half_hours/**/*.parquet', hive_partitioning=true)"
    partitions = duckdb.sql(
        f"select distinct customer, api_tz, month from {source} order by month"
    ).fetchall()
    assert [(tz, month) for _, tz, month in partitions] == [
        ("Europe.Paris", "2024-10"),
        ("Europe.Paris", "2024-11"),
    ]
    types = dict(
        duckdb.sql(f"select column_name, column_type from (describe select * from {source})").fetchall()
    )
    assert (types["date"], types["start"], types["use_s"]) == ("DATE", "TIMESTAMP WITH TIME ZONE", "INTEGER")
    days = duckdb.sql(
        f"select count(*), count(distinct (vehicle_id, date)) from read_parquet("
        f"'{folder}/vehicle_days/**/*.parquet', hive_partitioning=true)"
    ).fetchall()[0]
    assert days == (4 * 9, 4 * 9)  # one row per vehicle-day of 25 October .. 2 November


def test_polars_and_pyarrow_datasets_read_it_as_it_is(store_of):
    polars = pytest.importorskip("polars")
    folder, expected = store_of
    frame = polars.scan_parquet(f"{folder}/daily/**/*.parquet", hive_partitioning=True)
    sums = frame.group_by("vehicle_id").agg(polars.col("use_s").sum()).collect()
    assert dict(zip(sums["vehicle_id"].to_list(), sums["use_s"].to_list(), strict=True)) == {
        v: e[0] for v, e in expected.items()
    }
    table = ds.dataset(folder / "half_hours", format="parquet", partitioning="hive").to_table()
    assert set(table.column_names) >= {"api", "customer", "api_tz", "month", "start", "use_s"}
    assert table["use_s"].to_numpy().sum() == sum(e[2] for e in expected.values())


def test_spark_reads_it_where_it_is_installed(store_of):
    pyspark = pytest.importorskip("pyspark.sql")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime")
    folder, expected = store_of
    spark = pyspark.SparkSession.builder.master("local[1]").appName("store").getOrCreate()
    try:
        rows = spark.read.parquet(str(folder / "half_hours")).groupBy("vehicle_id").sum("use_s").collect()
        assert {r["vehicle_id"]: r["sum(use_s)"] for r in rows} == {
            v: e[2] for v, e in expected.items() if e[1]
        }
    finally:
        spark.stop()


def test_partition_values_are_safe_for_every_engine_and_keep_apart_what_differs():
    zones = sorted(zoneinfo.available_timezones())
    slugs = [zone_slug(zone) for zone in zones]
    assert all(SAFE.match(slug) for slug in slugs)
    assert len(set(slugs)) == len(zones)  # one folder per zone
    assert (zone_slug("Europe/Paris"), zone_slug("Etc/GMT+5"), zone_slug("Etc/GMT-5")) == (
        "Europe.Paris",
        "Etc.GMTplus5",
        "Etc.GMT-5",
    )
    urls = [
        "https://v3.oceansystem.com/ocean-3.0.0",
        "http://v3.oceansystem.com/ocean-3.0.0",
        "http://127.0.0.1:8080/ocean-3.0.0",
        "http://[::1]:8080/a b/%20é",
        "https://_x.example/",
    ]
    apis = [api_slug(url) for url in urls]
    assert all(SAFE.match(slug) for slug in apis) and len(set(apis)) == len(urls)
    assert apis[0].startswith("v3.oceansystem.com_ocean-3.0.0-") and apis[2].startswith(
        "127.0.0.1_8080_ocean"
    )
    assert customer_slug(1201, "alice") == "1201"
    assert SAFE.match(customer_slug(None, "alice@example.com"))
    assert "alice" not in customer_slug(None, "alice@example.com")  # the login is never written


def half_hours_of(rows, tz="Europe/Paris"):
    """A half_hours frame of ``(vehicle, equipment, local start, utc offset)`` rows."""
    starts = pd.to_datetime([f"{start}{offset}" for _, _, start, offset in rows], utc=True).tz_convert(tz)
    return pd.DataFrame(
        {
            "vehicle_id": np.array([v for v, *_ in rows], dtype=np.int32),
            "date": starts.tz_localize(None).normalize(),
            "equipment": pd.Categorical([e for _, e, *_ in rows]),
            "start": starts,
            "end": starts + pd.Timedelta(minutes=30),
            "use_s": np.full(len(rows), 600, dtype=np.int32),
        }
    )


def test_lone_autumn_slots_are_found_per_vehicle_day_or_said_unknown():
    rows = [
        (7, "Grue", "2024-10-27 02:00", "+02:00"),  # summer 02:00 without its winter twin: lone
        (7, "Grue", "2024-10-27 02:30", "+02:00"),
        (7, "Grue", "2024-10-27 02:30", "+01:00"),  # both kept
        (8, "Benne", "2024-10-27 02:30", "+02:00"),  # lone
        (8, "Benne", "2024-10-26 02:30", "+02:00"),  # an ordinary day
    ]
    found = lone_slots(half_hours_of(rows), 2)
    assert found.values.tolist() == [[7, pd.Timestamp("2024-10-27"), 1], [8, pd.Timestamp("2024-10-27"), 1]]
    assert lone_slots(half_hours_of(rows), 0).empty  # the parse counted none: its twins had no use
    assert lone_slots(half_hours_of(rows), 1) is None  # one of two candidates: which one is unknown

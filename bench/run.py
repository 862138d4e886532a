"""The performance benchmark of issue 6: ``python bench/run.py [--vehicles N --days D] [--quick]``.

It prints the machine, the payload, and one table: the time of ``orjson.loads``
(the floor), of ``json.loads`` + ``pandas.json_normalize`` (the peer) and of
``oa.parse_usage`` on the same bytes, their peak memory in fresh processes,
the bytes of a ``half_hours`` row, then ``oa.fetch_usage`` against the
simulator with latency, concurrent vs serial, and a cached re-run; and the time of
``import ocean_analytics`` and ``ocean-analytics --help`` against ``import pandas``. Every
ratio comes from one run; see ``bench/README.md`` for the method.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

import endtoend
from contenders import best_times
from imports import import_rows
from memory import bytes_per_row, peak_rises_mb
from payload import FIRST_DAY, Payload, make_payload
from table import Row, machine, render

import ocean_analytics as oa

QUICK = {
    "vehicles": 20,
    "days": 10,
    "rounds": 2,
    "peer_rounds": 1,
    "e2e_vehicles": 20,
    "e2e_days": 10,
    "batch_vehicles": 5,
    "batch_days": 5,
    "latency": 0.01,
    "e2e_rounds": 1,
    "import_rounds": 1,
}


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options; ``--quick`` shrinks every size for a smoke run of a few seconds."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    add = parser.add_argument
    add("--vehicles", type=int, default=200, help="vehicles of the parsed answer")
    add("--days", type=int, default=92, help="days of the parsed answer")
    add("--rounds", type=int, default=7, help="timed rounds of orjson and parse_usage (best kept)")
    add("--peer-rounds", type=int, default=2, help="timed rounds of the json_normalize peer")
    add("--e2e-vehicles", type=int, default=1000, help="vehicles fetched end to end")
    add("--e2e-days", type=int, default=92, help="days fetched end to end")
    add("--batch-vehicles", type=int, default=50, help="most vehicles per request")
    add("--batch-days", type=int, default=31, help="most days per request")
    add("--workers", type=int, default=4, help="max_workers of the concurrent fetch")
    add("--latency", type=float, default=0.05, help="simulator latency per request, seconds")
    add("--e2e-rounds", type=int, default=5, help="timed rounds of each end-to-end fetch")
    add("--quick", action="store_true", help="a smoke run: small sizes, one or two rounds")
    add("--import-rounds", type=int, default=7, help="fresh processes timed per import row (best kept)")
    add("--parse-only", action="store_true", help="only the parsing rows (no imports, no fetch)")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    return args


def parsing_rows(payload: Payload, args: argparse.Namespace) -> list[Row]:
    """Times, peak memory and bytes per row of the three contenders on the same bytes."""
    rounds = {"floor": args.rounds, "ours": args.rounds, "peer": args.peer_rounds}
    best = best_times(payload.text, payload.start, payload.end, rounds)
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "answer.json"
        saved.write_bytes(payload.text)
        peaks = peak_rises_mb(["floor", "peer", "ours"], saved, payload.start, payload.end)
    usage = oa.parse_usage(payload.text, start=payload.start, end=payload.end)
    per_row = bytes_per_row(usage.half_hours)
    ours_vs_floor, peer_vs_ours = best["ours"] / best["floor"], best["peer"] / best["ours"]
    memory_ratio = peaks["ours"] / max(peaks["floor"], 1)
    return [
        Row("orjson.loads (the floor)", f"{best['floor']:.3f} s"),
        Row("json.loads + json_normalize + to_datetime (the peer)", f"{best['peer']:.3f} s"),
        Row(
            "oa.parse_usage, five frames",
            f"{best['ours']:.3f} s",
            f"{ours_vs_floor:.2f} x orjson",
            "<= 2.0 x orjson",
            ours_vs_floor <= 2.0,
        ),
        Row("peer / parse_usage", "", f"{peer_vs_ours:.1f} x faster", ">= 15 x", peer_vs_ours >= 15),
        Row("peak memory rise, orjson.loads", f"{peaks['floor']:.1f} MB"),
        Row("peak memory rise, peer", f"{peaks['peer']:.1f} MB"),
        Row(
            "peak memory rise, parse_usage",
            f"{peaks['ours']:.1f} MB",
            f"{memory_ratio:.2f} x orjson",
            "<= 0.7 x orjson",
            memory_ratio <= 0.7,
        ),
        Row(
            f"half_hours bytes per row ({len(usage.half_hours):,} rows)",
            f"{per_row:.1f} B",
            "",
            "<= 33 B (use_s int32)",
            round(per_row, 1) <= 33,
        ),
    ]


def fetching_rows(args: argparse.Namespace) -> list[Row]:
    """End to end against the simulator, at 200 ms of latency per answer (the floors) and at
    ``--latency`` beside it (``--quick``: that one only): serial against the concurrent fetch, the
    first fetch into an empty cache against the same fetch without one, and the re-run."""
    latencies = [args.latency] if args.quick else list(dict.fromkeys([0.2, args.latency]))
    rows = []
    for latency in latencies:
        plan = endtoend.Plan(
            args.e2e_vehicles,
            args.e2e_days,
            args.batch_vehicles,
            args.batch_days,
            args.workers,
            latency,
            FIRST_DAY,
        )
        got = endtoend.run(plan, args.e2e_rounds)
        speedup = got.serial_s / got.concurrent_s
        first = got.cached_first_s / got.concurrent_s
        rerun = got.concurrent_s / got.cached_rerun_s
        what = f"{plan.requests} requests of <= {plan.batch_vehicles} x {plan.batch_days}"
        ms = f"{latency * 1000:.0f} ms"
        floor = latency == latencies[0]
        rows += [
            Row(f"fetch_usage {plan.vehicles} x {plan.days}, serial ({what}), {ms}", f"{got.serial_s:.2f} s"),
            Row(
                f"fetch_usage, {plan.workers} workers, {ms} latency",
                f"{got.concurrent_s:.2f} s",
                f"{speedup:.1f} x faster",
                ">= 3 x" if floor else "",
                (speedup >= 3) if floor else None,
            ),
            Row(
                f"fetch_usage with cache=, first run (fills it), {ms}",
                f"{got.cached_first_s:.2f} s",
                f"{first:.2f} x without cache",
                "<= 1.3 x",
                first <= 1.3,
            ),
            Row(
                f"fetch_usage with cache=, re-run (vs the {plan.workers}-worker fetch), {ms}",
                f"{got.cached_rerun_s:.3f} s",
                f"{rerun:.0f} x faster, {got.rerun_requests} requests",
                ">= 20 x, 0 requests",
                rerun >= 20 and got.rerun_requests == 0,
            ),
        ]
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Build the payload, measure, print the table."""
    args = parse_arguments(argv)
    payload = make_payload(args.vehicles, args.days)
    print(f"Machine: {machine()}")
    print(
        f"Payload: {payload.vehicles} vehicles x {payload.days} days, {payload.megabytes:.1f} MB "
        f"of JSON, {payload.half_hours:,} half hours"
    )
    print()
    rows = parsing_rows(payload, args)
    if not args.parse_only:
        rows += import_rows(args.import_rounds) + fetching_rows(args)
    print(render(rows))


if __name__ == "__main__":
    main()

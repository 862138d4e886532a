"""End to end: ``oa.fetch_usage`` against the simulator, concurrent vs serial, then from the cache.

The simulator serves from a child process, so that its Python work does not
share the benchmark's interpreter lock, and it answers every request after
``latency_s`` seconds. It builds an answer in Python (about 35 ms for 50
vehicles x 31 days on the reference machine) under its own lock, which would
make it the bottleneck of a concurrent fetch: the child therefore memoizes the
answers it builds, and a first, untimed fetch fills that memo. The latency, the
HTTP transfer, the client and the parsing are all in the timed runs. The child
also keeps each answer's encoded body, so that it spends its core on sending
bytes, not on encoding the same JSON again (about 5 ms of a 2.6 MB answer).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import ocean_analytics as oa
from ocean_analytics.simulator import Simulator, SimulatorConfig


@dataclass(frozen=True)
class Plan:
    """What is fetched end to end.

    Attributes
    ----------
    vehicles, days : int
        The fleet (one customer) and the period's length.
    batch_vehicles, batch_days : int
        The largest request: ``max_vehicles_per_request`` and ``max_days_per_request``.
    workers : int
        ``max_workers`` of the concurrent fetch (the serial one uses 1).
    latency_s : float
        Seconds the simulator waits before each answer.
    start : datetime.date
        The period's first day.
    """

    vehicles: int
    days: int
    batch_vehicles: int
    batch_days: int
    workers: int
    latency_s: float
    start: dt.date

    @property
    def end(self) -> dt.date:
        """The period's last day (inclusive)."""
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def requests(self) -> int:
        """Usage requests in the plan."""
        return -(-self.vehicles // self.batch_vehicles) * -(-self.days // self.batch_days)


@dataclass(frozen=True)
class EndToEnd:
    """Wall-clock seconds of each way of fetching, and the requests the cached re-run sent.

    Each is the best of the timed rounds: ``serial_s`` (one worker) and
    ``concurrent_s`` (``plan.workers``) without a cache; ``cached_first_s`` the
    concurrent fetch filling an empty cache folder (a new one each round), to be
    held against ``concurrent_s``; ``cached_rerun_s`` the same fetch again, read
    from the store; ``rerun_requests`` counts the requests of all the re-runs.
    """

    serial_s: float
    concurrent_s: float
    cached_first_s: float
    cached_rerun_s: float
    rerun_requests: int


class _SimulatorProcess:
    """The simulator in a child process; ``requests()`` counts what it has answered."""

    def __init__(self, plan: Plan) -> None:
        config = SimulatorConfig(
            n_customers=1,
            vehicles_per_customer=plan.vehicles,
            latency_s=plan.latency_s,
            max_vehicles=plan.batch_vehicles,
            max_days=plan.batch_days,
        )
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(config, child_end), daemon=True)

    def __enter__(self) -> oa.OceanClient:
        self._process.start()
        base_url, login, password = self._connection.recv()
        # No client-side rate limit: the floors measure concurrency against the server's latency,
        # not the politeness setting (max_requests_per_s, 10 by default, caps 60 requests at 6 s).
        return oa.OceanClient(base_url, login, password, max_requests_per_s=None)

    def __exit__(self, *exc: object) -> None:
        self._connection.send("stop")
        self._process.join(timeout=10)

    def requests(self) -> int:
        """Requests the simulator has received so far."""
        self._connection.send("requests")
        return self._connection.recv()


def _serve(config: SimulatorConfig, connection: Connection) -> None:
    """The child: serve with memoized answers, count requests when asked, until told to stop."""
    _memoize_answers()
    with Simulator(config) as simulator:
        account = simulator.accounts["single"]
        connection.send((simulator.base_url, account.login, account.password))
        while connection.recv() != "stop":
            connection.send(len(simulator.requests))


def _memoize_answers() -> None:
    """Make the duree route build and encode each distinct answer once (this process only)."""
    from ocean_analytics.simulator import routes

    build, built = routes.duree_answer, {}
    reply, encoded = routes.json_reply, {}

    def memoized(config: SimulatorConfig, vehicles: list, start: dt.date, end: dt.date) -> list:
        key = (tuple(vehicle.id for vehicle in vehicles), start, end)
        if key not in built:
            built[key] = build(config, vehicles, start, end)
            encoded[id(built[key])] = (built[key], reply(built[key]))
        return built[key]

    def memoized_reply(payload: object, status: int = 200) -> object:
        known = encoded.get(id(payload))
        if status == 200 and known is not None and known[0] is payload:
            return known[1]
        return reply(payload, status)

    routes.duree_answer = memoized
    routes.json_reply = memoized_reply


def run(plan: Plan, rounds: int) -> EndToEnd:
    """Fetch the plan serially, concurrently and concurrently into an empty cache folder (best
    of ``rounds`` each, interleaved), then ``rounds`` re-runs that read the last folder (the
    best kept; ``rerun_requests`` counts what all of them sent)."""
    simulator = _SimulatorProcess(plan)
    with simulator as client, tempfile.TemporaryDirectory() as parent:

        def seconds(workers: int, **options: object) -> float:
            began = time.perf_counter()
            oa.fetch_usage(
                client,
                plan.start,
                plan.end,
                max_workers=workers,
                progress=False,
                max_vehicles_per_request=plan.batch_vehicles,
                max_days_per_request=plan.batch_days,
                **options,
            )
            return time.perf_counter() - began

        seconds(plan.workers)  # fills the simulator's memo, untimed
        serial = concurrent = first = float("inf")
        for round_ in range(rounds):
            serial = min(serial, seconds(1))
            concurrent = min(concurrent, seconds(plan.workers))
            folder = Path(parent) / f"cache-{round_}"
            first = min(first, seconds(plan.workers, cache=folder))
        before = simulator.requests()
        rerun = min(seconds(plan.workers, cache=folder) for _ in range(rounds))
        return EndToEnd(serial, concurrent, first, rerun, simulator.requests() - before)

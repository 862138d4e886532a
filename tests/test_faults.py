"""Faults against the live simulator: each fetch either gives the frames of a fault-free
fetch of the same plan, or a clear error naming what failed and no frame at all.

The fault-free frames are first checked against the simulator's raw JSON (summed
here), so "identical to the fault-free fetch" also means "nothing lost". Every
request is counted on the simulator's side: retries stay within the policy, and a
(vehIds, startDate, endDate) answered 200 is never asked again, except where the
fault itself spoiled that 200 on its way (slow, dropped, truncated answers).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import orjson
import pytest
from pandas.testing import assert_frame_equal
from reliability_support import (
    AUTH,
    FAST,
    USAGE,
    VEHICLES,
    CannedOcean,
    asked_cells,
    assert_no_secret,
    client_for,
    request_key,
    simulator_secrets,
)

import ocean_analytics as oa
from ocean_analytics.simulator import Fault, Simulator

pytestmark = pytest.mark.live

SEED = 31
FIRST, LAST = dt.date(2024, 9, 1), dt.date(2024, 10, 31)  # 61 days
N_VEHICLES = 12  # the single account's customer, default simulator settings
PLAN = {"max_days_per_request": 10, "max_vehicles_per_request": 4, "max_workers": 4, "progress": False}
N_REQUESTS = 3 * 7  # 12 vehicles in batches of 4, x windows of 10, 10, 10, 10, 10, 10 and 1 day
FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
SLOW_S, TIMEOUT_S = 1.0, 0.4


@dataclass(frozen=True)
class Reference:
    """The fault-free fetch of the plan and the sums of the simulator's raw answer."""

    usage: oa.Usage
    sums: dict[str, int]


def raw_sums(answer: list) -> dict[str, int]:
    """Totals of a raw duree answer, summed from the JSON alone."""
    sums = Counter()
    for element in answer:
        sums["vehicles"] += 1
        sums["period_s"] += sum(element["totalUsePerEquipementForPeriod"].values())
        for day in element["dailyDioUtilisation"]:
            sums["vehicle_days"] += 1
            sums["day_s"] += sum(day["dayTotalUsePerEquipement"].values())
            sums["all_dio_s"] += day["dailyDurationSecForAllDio"]
            for slot in day["usePerHalfHour"]:
                sums["half_hour_s"] += slot["useDuration"]
                sums["half_hours"] += slot["useDuration"] > 0
    return dict(sums)


def frame_sums(usage: oa.Usage) -> dict[str, int]:
    """The same totals, read from the frames."""
    return {
        "vehicles": len(usage.vehicles),
        "period_s": int(usage.period["use_s"].sum()),
        "vehicle_days": len(usage.vehicle_days),
        "day_s": int(usage.daily["use_s"].sum()),
        "all_dio_s": int(usage.vehicle_days["all_dio_s"].sum()),
        "half_hour_s": int(usage.half_hours["use_s"].sum()),
        "half_hours": len(usage.half_hours),
    }


@pytest.fixture(scope="module")
def reference() -> Reference:
    with Simulator(seed=SEED) as sim:
        usage = oa.fetch_usage(client_for(sim), FIRST, LAST, **PLAN)
        customer = sim.accounts["single"].customer_ids[0]
        sums = raw_sums(sim.answer(customer, None, FIRST, LAST))
    return Reference(usage, sums)


def test_the_fault_free_fetch_holds_every_second_of_the_raw_answer(reference):
    sums = reference.sums
    assert sums["vehicles"] == N_VEHICLES and sums["vehicle_days"] == N_VEHICLES * 61  # idle days listed
    assert sums["half_hour_s"] == sums["day_s"] == sums["period_s"] > 1_000 * 3600  # a fleet that works
    assert frame_sums(reference.usage) == sums


# -- faults the fetch must survive with identical frames ------------------------------------
@dataclass(frozen=True)
class Survived:
    """A fault the fetch recovers from.

    ``statuses``: how many usage requests may get each non-200 status. ``spoiled``:
    answers the simulator sent as 200 that never reached the client whole.
    """

    name: str
    faults: tuple[Fault, ...] = ()
    settings: dict = field(default_factory=dict)
    statuses: dict[int, range] = field(default_factory=dict)
    spoiled: int = 0
    logins: range = range(1, 2)
    plan: dict = field(default_factory=dict)
    keys_as_planned: bool = True


def _exactly(n: int) -> range:
    return range(n, n + 1)


SURVIVED = [
    # one token expiry while 4 requests are in flight: each in-flight request gets one 401
    Survived(
        "token expiry mid-fetch",
        (Fault("expire_token", every=8, count=1),),
        statuses={401: range(1, 5)},
        logins=_exactly(2),
    ),
    # tokens live 0.2 s while the fetch takes >= 7 rounds x 50 ms: renewed on each 401
    Survived(
        "tokens shorter-lived than the fetch",
        settings={"token_ttl_s": 0.2, "latency_s": 0.05},
        statuses={401: range(1, 22)},
        logins=range(2, 22),
    ),
    # every 3rd request refused: 21 successes + n refusals = 3n + r  ->  n = 10
    Survived(
        "429 every third request",
        (Fault("status", status=429, retry_after=0, every=3, count=None),),
        statuses={429: _exactly(10)},
    ),
    Survived(
        "429 with Retry-After 1 s",
        (Fault("status", status=429, retry_after=1, every=10, count=2),),
        statuses={429: _exactly(2)},
    ),
    Survived("500 burst", (Fault("status", status=500, count=3),), statuses={500: _exactly(3)}),
    Survived(
        "503 burst with Retry-After",
        (Fault("status", status=503, retry_after=0, count=4),),
        statuses={503: _exactly(4)},
    ),
    Survived("502 HTML pages from a proxy", (Fault("html", count=3),), statuses={502: _exactly(3)}),
    Survived(
        "answers slower than the timeout", (Fault("slow", delay_s=SLOW_S, every=5, count=2),), spoiled=2
    ),
    Survived("connections dropped mid-body", (Fault("drop", every=4, count=2),), spoiled=2),
    Survived("truncated JSON bodies", (Fault("truncate", every=4, count=3),), spoiled=3),
    # 4 vehicles x 10 days = 40 cells > 20: 18 requests refused, each split into 2 x 10 days
    Survived(
        "413 for large batches",
        settings={"max_cells": 20},
        statuses={413: _exactly(18)},
        keys_as_planned=False,
    ),
    Survived("fleet listing failing twice", (Fault("status", status=503, path=VEHICLES, count=2),)),
    Survived(
        "a bit of everything",
        (
            Fault("status", status=503, count=1),
            Fault("html", count=1),
            Fault("drop", count=1),
            Fault("truncate", count=1),
            Fault("slow", delay_s=SLOW_S, count=1),
            Fault("status", status=500, count=1),
            Fault("status", status=429, retry_after=0, count=1),
        ),
        statuses={503: _exactly(1), 502: _exactly(1), 500: _exactly(1), 429: _exactly(1)},
        spoiled=3,
    ),
]


@pytest.mark.parametrize("case", SURVIVED, ids=lambda case: case.name)
def test_a_fetch_through_faults_gives_the_fault_free_frames(case, reference, simulator_factory):
    sim = simulator_factory(seed=SEED, **case.settings)
    for fault in case.faults:
        sim.add_fault(fault)
    client = client_for(sim, timeout=(2.0, TIMEOUT_S))
    started = time.monotonic()
    usage = oa.fetch_usage(client, FIRST, LAST, **PLAN)
    assert time.monotonic() - started < 10

    for name in FRAMES:
        assert_frame_equal(getattr(usage, name), getattr(reference.usage, name), obj=name)
        assert _provenance(getattr(usage, name)) == _provenance(getattr(reference.usage, name))
    assert frame_sums(usage) == reference.sums
    assert logins_answered(sim) in case.logins
    _check_requests(sim, case)


def logins_answered(sim) -> int:
    """Logins the simulator answered with a token (no fault here touches the login route)."""
    return sum(1 for r in sim.requests if r.path == AUTH and r.status == 200)


def _provenance(frame) -> dict:
    return {k: v for k, v in frame.attrs.items() if k not in ("base_url", "fetched_at")}


def _check_requests(sim, case: Survived) -> None:
    usage = [r for r in sim.requests if r.path == USAGE]
    statuses = Counter(r.status for r in usage)
    assert set(statuses) <= {200, *case.statuses}
    for status, allowed in case.statuses.items():
        assert statuses[status] in allowed, (status, statuses)
    answered = Counter(request_key(r) for r in usage if r.status == 200)
    # a 200 is asked again only when the fault spoiled it on the way
    assert sum(answered.values()) - len(answered) == case.spoiled
    if case.keys_as_planned:
        assert len(answered) == N_REQUESTS
    first_answers = {request_key(r): r for r in reversed(usage) if r.status == 200}
    cells = asked_cells(first_answers.values())
    assert len(cells) == len(set(cells)) == N_VEHICLES * 61  # every vehicle-day answered, none twice
    by_key = defaultdict(list)
    for request in usage:
        by_key[request_key(request)].append(request)
    for key, tries in by_key.items():
        assert len(tries) <= FAST.max_retries + 2, key  # the policy's attempts, plus one after a 401
        if tries[-1].status in (413, 414):
            continue  # answered by its halves
        assert max(tries, key=lambda r: r.started).status == 200, key  # nothing asked after the success


# -- faults that must end in a clear error, and no frame ----------------------------------
@dataclass(frozen=True)
class Failed:
    """A fault the fetch cannot get round: the error, words its message must hold, and the
    most requests any one (vehIds, startDate, endDate) may get."""

    name: str
    faults: tuple[Fault, ...]
    error: type[oa.OceanError]
    words: tuple[str, ...]
    attempts: int = FAST.max_retries + 1
    path: str = USAGE
    endpoint: str | None = USAGE


SMALL = {"max_days_per_request": 5, "max_vehicles_per_request": 2, "max_workers": 2, "progress": False}
FAILED = [
    Failed(
        "503 forever",
        (Fault("status", status=503, count=None),),
        oa.ServerError,
        ("GET /restapi/dioUtilisation/duree", "503", "after 6 attempts", "try again later"),
    ),
    Failed(
        "429 forever",
        (Fault("status", status=429, retry_after=0, count=None),),
        oa.RateLimitError,
        ("429", "after 6 attempts", "max_workers"),
    ),
    Failed(
        "429 asking to wait an hour",
        (Fault("status", status=429, retry_after=3600, count=None),),
        oa.RateLimitError,
        ("429", "max_workers"),
        attempts=1,
    ),
    Failed(
        "502 proxy page forever", (Fault("html", count=None),), oa.ServerError, ("502", "HTML page", "proxy")
    ),
    Failed(
        "no answer within the timeout",
        (Fault("slow", delay_s=SLOW_S, count=None),),
        oa.OceanTimeoutError,
        ("GET /restapi/dioUtilisation/duree", "timeout", "after 6 attempts"),
    ),
    Failed(
        "connection dropped every time",
        (Fault("drop", count=None),),
        oa.OceanConnectionError,
        ("/restapi/dioUtilisation/duree", "cut", "after 6 attempts"),
    ),
    Failed(
        "body truncated every time",
        (Fault("truncate", count=None),),
        oa.MalformedResponseError,
        ("/restapi/dioUtilisation/duree", "incomplete body", "after 6 attempts"),
    ),
    Failed(
        "token refused even after a fresh login",
        (Fault("expire_token", count=None),),
        oa.AuthenticationError,
        ("401", "fresh login"),
        attempts=2,
    ),
    Failed(
        "413 down to one vehicle-day",
        (Fault("status", status=413, count=None),),
        oa.RequestTooLargeError,
        ("smallest request", "vehicle ", "Ocean support"),
        attempts=1,
        endpoint=None,
    ),  # plan.split_request names the request in the message, not the path
    Failed(
        "fleet listing truncated every time",
        (Fault("truncate", path=VEHICLES, count=None),),
        oa.MalformedResponseError,
        ("/restapi/vehicule_engin/vehicles", "incomplete body", "after 6 attempts"),
        path=VEHICLES,
        endpoint=VEHICLES,
    ),
]


@pytest.mark.parametrize("case", FAILED, ids=lambda case: case.name)
def test_an_unrecoverable_fault_is_a_clear_error_and_no_frame(case, simulator_factory):
    sim = simulator_factory(seed=SEED)
    for fault in case.faults:
        sim.add_fault(fault)
    client = client_for(sim, timeout=(2.0, TIMEOUT_S))
    vehicle_ids = None if case.path == VEHICLES else [v.id for v in sim.customers[0].vehicles[:4]]
    started = time.monotonic()
    result = None
    with pytest.raises(case.error) as info:
        result = oa.fetch_usage(client, "2024-10-01", "2024-10-10", vehicle_ids, **SMALL)
    elapsed = time.monotonic() - started
    assert result is None
    for word in case.words:
        assert word in str(info.value), word
    assert info.value.endpoint == case.endpoint
    sent = len(sim.requests)
    time.sleep(0.1)
    assert len(sim.requests) == sent  # nothing keeps fetching behind the error
    tries = Counter(
        request_key(r) if r.path == USAGE else r.path for r in sim.requests if r.path == case.path
    )
    assert max(tries.values()) == case.attempts
    # 2 workers: at most two chains of attempts, each a timeout or answer plus <= 50 ms of backoff
    assert elapsed < 2 * case.attempts * (TIMEOUT_S + FAST.max_backoff_s) + 1
    assert_no_secret(info.value, simulator_secrets(sim))


# -- a body cut just after an element ---------------------------------------------------------
def test_a_body_cut_after_a_whole_element_is_asked_again(simulator):
    """The simulator cuts at half the body; here the cut falls right after a vehicle's ``}``,
    where a check of the last byte alone would take the answer for whole."""
    vehicle = simulator.customers[0].vehicles[0]
    day = dt.date(2024, 10, 1)
    body = _raw_body(simulator, vehicle.id, day)
    cut = body[: body.rindex(b"}") + 1]
    assert cut.startswith(b"[{") and not cut.endswith(b"]")
    # the reference comes from the same stand-in (no fleet listing, no silent boxes), answering whole
    with (
        CannedOcean(lambda query, token: (200, "application/json", body)) as canned,
        pytest.warns(UserWarning, match="noncommunicant/list answered 404"),
    ):
        whole = oa.fetch_usage(canned.client(), day, day, [vehicle.id], progress=False)
        assert [s.path for s in canned.seen].count(USAGE) == 1
    assert int(whole.half_hours["use_s"].sum()) == _raw_half_hour_s(body) > 0
    replies = iter([(200, "application/json", cut), (200, "application/json", body)])
    with (
        CannedOcean(lambda query, token: next(replies)) as canned,
        pytest.warns(UserWarning, match="noncommunicant/list answered 404"),
    ):
        usage = oa.fetch_usage(canned.client(), day, day, [vehicle.id], progress=False)
    assert [s.path for s in canned.seen].count(USAGE) == 2
    for name in FRAMES:
        assert_frame_equal(getattr(usage, name), getattr(whole, name), obj=name)


def _raw_half_hour_s(body: bytes) -> int:
    """The seconds of every half hour of a raw duree answer, summed from the JSON alone."""
    return raw_sums(orjson.loads(body))["half_hour_s"]


def _raw_body(sim, vehicle_id: int, day: dt.date) -> bytes:
    return orjson.dumps(sim.answer(sim.customers[0].id, [vehicle_id], day, day))

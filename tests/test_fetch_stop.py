"""How a fetch stops: on Ctrl-C (within about a second, keeping what was answered), after a
request failed for good (nothing more sent), and naming the request that failed.

Every server is on 127.0.0.1 and counts the requests it read.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections import Counter

import orjson
import pytest
from fixtures.ocean_payloads import day, element, half
from hostile_servers import USAGE, Exchange, HostileServer, ocean
from reliability_support import CannedOcean

import ocean_analytics as oa
from ocean_analytics.api.client import RetryPolicy

VEHICLE = 5
ANSWERED = ("01/10/2024", "02/10/2024")
"""The days the hanging server answers at once; it never answers the others."""


def one_day_answer(exchange: Exchange) -> None:
    """Vehicle 5 on the asked day: crane 1800 s at 08:00 and skip 600 s at 08:30 (2400 s)."""
    text = exchange.seen.query["startDate"][0]
    body = [element(VEHICLE, [day(text, [half("08:00", "Grue", 1800), half("08:30", "Benne", 600)])])]
    exchange.send(200, orjson.dumps(body))


def answer_two_days_then_hang(exchange: Exchange) -> None:
    if exchange.seen.query["startDate"][0] in ANSWERED:
        one_day_answer(exchange)
    else:
        exchange.hang(20)


def usage_days(server: HostileServer) -> list[str]:
    return [seen.query["startDate"][0] for seen in server.seen if seen.path == USAGE]


@pytest.fixture
def sigint_raises():
    """SIGINT raises KeyboardInterrupt in the main thread during the test (whatever the runner set)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_surfaces_within_a_second_and_a_cached_rerun_asks_only_the_rest(tmp_path, sigint_raises):
    # 6 one-day requests, 2 workers: 01/10 and 02/10 answered, 03/10 and 04/10 hang (3 s timeouts,
    # 3 retries: 4 x 3 s + backoff = about 13 s each before the fix); 05/10, 06/10 queued
    arguments = dict(
        start="2024-10-01",
        end="2024-10-06",
        vehicle_ids=[VEHICLE],
        max_days_per_request=1,
        max_workers=2,
        progress=False,
        cache=tmp_path,
    )
    main = threading.main_thread().ident
    with HostileServer(ocean(duree=answer_two_days_then_hang)) as server:
        client = server.client(timeout=(3, 3), retry=RetryPolicy(max_retries=3), max_requests_per_s=None)
        sent_at: list[float] = []

        def interrupt() -> None:
            for _ in range(200):  # both hanging requests read by the server, the answers fed
                if len(usage_days(server)) >= 4:
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            sent_at.append(time.monotonic())
            signal.pthread_kill(main, signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            oa.fetch_usage(client, **arguments)
        surfaced = time.monotonic() - sent_at[0]
        assert surfaced < 2.0
        assert sorted(usage_days(server)) == ["01/10/2024", "02/10/2024", "03/10/2024", "04/10/2024"]

        server.script = ocean(duree=one_day_answer)
        server.seen.clear()
        usage = oa.fetch_usage(server.client(max_requests_per_s=None), **arguments)
    # the re-run asks exactly the four vehicle-days not answered before the interrupt
    assert sorted(usage_days(server)) == ["03/10/2024", "04/10/2024", "05/10/2024", "06/10/2024"]
    per_day = usage.daily.groupby("date")["use_s"].sum()
    assert per_day.tolist() == [2400] * 6  # 1800 + 600 every day, the two stored ones included


def test_nothing_new_is_sent_after_a_request_failed_for_good():
    # always 500, 10 one-day windows, 2 workers, 3 retries: the two first windows are in flight
    # at once, each sends at most 1 + 3 attempts; before the fix a third window started (12)
    retry = RetryPolicy(max_retries=3, backoff_s=0.01, max_backoff_s=0.02)
    with CannedOcean(lambda query, token: (500, "application/json", b'{"status": 500}')) as canned:
        with pytest.raises(oa.ServerError):
            oa.fetch_usage(
                canned.client(retry=retry),
                "2024-10-01",
                "2024-10-10",
                [VEHICLE],
                max_days_per_request=1,
                max_workers=2,
                progress=False,
            )
        time.sleep(0.2)  # nothing keeps going behind the error
        tries = Counter(seen.query["startDate"][0] for seen in canned.seen if seen.path == USAGE)
    assert len(tries) == 2
    assert max(tries.values()) == 4 and sum(tries.values()) <= 8


def test_a_token_refused_after_every_login_sends_two_requests_per_worker():
    # each request: 401, a fresh login, 401 again -> AuthenticationError; 2 workers -> 2 x 2 = 4
    with CannedOcean(lambda query, token: (401, "application/json", b'{"status": 401}')) as canned:
        with pytest.raises(oa.AuthenticationError):
            oa.fetch_usage(
                canned.client(),
                "2024-10-01",
                "2024-10-10",
                [VEHICLE],
                max_days_per_request=1,
                max_workers=2,
                progress=False,
            )
        time.sleep(0.2)
        tries = Counter(seen.query["startDate"][0] for seen in canned.seen if seen.path == USAGE)
    assert len(tries) == 2 and sum(tries.values()) <= 4 and max(tries.values()) == 2


def test_a_refused_batch_is_named_by_its_vehicles_and_days():
    ids = list(range(1001, 1121))  # 120 vehicles in one batch
    body = b'{"status": 403, "error": "Forbidden", "message": "Access denied"}'
    with (
        CannedOcean(lambda query, token: (403, "application/json", body)) as canned,
        pytest.raises(oa.PermissionDeniedError) as info,
    ):
        oa.fetch_usage(
            canned.client(), "2024-10-01", "2024-10-03", ids, max_vehicles_per_request=120, progress=False
        )
    message = str(info.value)
    assert "120 vehicle(s) (1001, 1002, 1003, 1004, 1005, ...)" in message
    assert "2024-10-01 to 2024-10-03" in message
    assert "403" in message and info.value.status == 403


def test_a_refused_one_day_request_names_its_day():
    with (
        CannedOcean(lambda query, token: (403, "application/json", b'{"status": 403}')) as canned,
        pytest.raises(oa.PermissionDeniedError) as info,
    ):
        oa.fetch_usage(canned.client(), "2024-10-02", "2024-10-02", [7, 8], progress=False)
    assert "2 vehicle(s) (7, 8) over 2024-10-02" in str(info.value)
    assert dt.date(2024, 10, 2).isoformat() in str(info.value)

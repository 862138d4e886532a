"""What is timed on the same bytes: the JSON parser alone, what users write today, and ours.

Each contender takes the answer's JSON bytes and the period, and returns what
it built (kept alive until the timer stops, so that freeing it is not timed).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from collections.abc import Callable

import orjson
import pandas as pd

import ocean_analytics as oa

Contender = Callable[[bytes, dt.date, dt.date], object]


def floor(text: bytes, start: dt.date, end: dt.date) -> object:
    """``orjson.loads`` alone: decoding the JSON, nothing more."""
    return orjson.loads(text)


def peer(text: bytes, start: dt.date, end: dt.date) -> object:
    """What analysts write today: ``json.loads``, ``pandas.json_normalize`` of the half
    hours and of the days, then ``to_datetime`` on the days and on the slots."""
    answer = json.loads(text)
    for element in answer:
        element["vehicle_id"] = element["vehicle"]["id"]
    halves = pd.json_normalize(
        answer,
        record_path=["dailyDioUtilisation", "usePerHalfHour"],
        meta=["vehicle_id", ["dailyDioUtilisation", "day"]],
    )
    days = pd.json_normalize(answer, record_path="dailyDioUtilisation", meta=["vehicle_id"])
    halves["start"] = pd.to_datetime(
        halves["dailyDioUtilisation.day"] + " " + halves["start"], format="%d/%m/%Y %H:%M"
    )
    days["day"] = pd.to_datetime(days["day"], format="%d/%m/%Y")
    return halves, days


def ours(text: bytes, start: dt.date, end: dt.date) -> object:
    """``oa.parse_usage``: the five frames of :class:`ocean_analytics.Usage`, from the bytes."""
    return oa.parse_usage(text, start=start, end=end)


CONTENDERS: dict[str, Contender] = {"floor": floor, "peer": peer, "ours": ours}


def best_times(text: bytes, start: dt.date, end: dt.date, rounds: dict[str, int]) -> dict[str, float]:
    """The best wall-clock time, in seconds, of each contender over interleaved rounds.

    Parameters
    ----------
    rounds : dict
        ``{contender name: rounds}``; in each round every contender still due
        runs once, one after the other, so that a slow spell of a shared
        machine falls on all of them alike.
    """
    best = dict.fromkeys(rounds, float("inf"))
    for round_ in range(max(rounds.values())):
        for name, due in rounds.items():
            if round_ < due:
                best[name] = min(best[name], _timed(CONTENDERS[name], text, start, end))
    return best


def _timed(contender: Contender, text: bytes, start: dt.date, end: dt.date) -> float:
    """Seconds one call takes, after collecting the previous call's garbage."""
    gc.collect()
    began = time.perf_counter()
    built = contender(text, start, end)
    elapsed = time.perf_counter() - began
    del built
    return elapsed

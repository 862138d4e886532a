"""Bad arguments and malformed answers, end to end through ``fetch_usage``: one table.

Each case names the exception class and the words by which its message must name
the culprit. Bad arguments are refused before any request: the server sees nothing,
not even a login. Malformed answers come from the simulator (``Fault(kind="malformed")``)
or from a canned server on 127.0.0.1 serving a crafted body.

The value-by-value malformed answers of ``parse_usage`` (101 of them) are in
``test_parse_malformed.py``; the hypothesis fuzz of mutated answers (frames or an
``OceanError``, never anything else) is ``test_parse_properties.py::
test_a_mutated_answer_gives_frames_or_an_ocean_error``; it checks the dtypes of the
frames it accepts. The fuzz at the end of this file reuses its mutations, also among
several answers, and checks that accepted frames hold together.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pytest
from fixtures.ocean_payloads import PERIOD_KEY, day, element, half
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_support import (
    CANNED_PASSWORD,
    CANNED_TOKEN,
    USAGE,
    CannedOcean,
    Reply,
    assert_no_secret,
    client_for,
    simulator_secrets,
)
from test_parse_properties import mutated_payloads

import ocean_analytics as oa
from ocean_analytics.simulator import Fault

pytestmark = pytest.mark.live

START, END = "2024-10-01", "2024-10-03"  # Tuesday to Thursday: working days
CANNED_IDS = [5, 12]
TOMORROW = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date()
BAD_INPUT_CACHE = Path(tempfile.gettempdir()) / "ocean-analytics-bad-input-cache"
"""A cache folder for the bad-argument cases: refused before the store is ever opened."""


@dataclass(frozen=True)
class Bad:
    """One bad input.

    ``args`` override the arguments of the fetch (a bad argument); ``fault`` makes the
    simulator's answer malformed; ``reply`` builds the canned server's answer to a
    usage query. ``culprit`` words are formatted with ``vehicle`` (the simulator's
    vehicle id) before being looked for in the message.
    """

    name: str
    error: type[oa.OceanError]
    culprit: tuple[str, ...]
    args: dict = field(default_factory=dict)
    fault: Fault | None = None
    reply: Callable[[dict[str, list[str]]], Reply] | None = None

    @property
    def is_argument(self) -> bool:
        return self.fault is None and self.reply is None


def arg(name: str, culprit: tuple[str, ...], **args) -> Bad:
    """A bad argument: refused as ``InvalidArgumentError`` before any request."""
    return Bad(name, oa.InvalidArgumentError, culprit, args=args)


# -- crafted answers for the canned server ----------------------------------------------------
def good_answer(vehicle_id: int = 12) -> list:
    """One vehicle, three days with use (01/10 to 03/10/2024), totals summed from the half hours."""
    days = [
        day(f"0{n}/10/2024", [half("08:00", "Grue", 1800), half("08:30", "Benne", 600)]) for n in (1, 2, 3)
    ]
    return [element(vehicle_id, days, description="Grue 1")]


def json_reply(answer: object) -> Callable[[dict], Reply]:
    body = orjson.dumps(answer)
    return lambda query: (200, "application/json", body)


def changed(path: list, value: object) -> Callable[[dict], Reply]:
    """The good answer with the value at ``path`` replaced."""
    answer = copy.deepcopy(good_answer())
    node = answer
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json_reply(answer)


def same_vehicle_in_every_batch(query: dict) -> Reply:
    """Whatever vehicle is asked, answer vehicle 12: it comes back in two batches."""
    return 200, "application/json", orjson.dumps(good_answer(12))


def raw(status: int, kind: str, body: bytes) -> Callable[[dict], Reply]:
    return lambda query: (status, kind, body)


PROXY_PAGE = (
    b"<!DOCTYPE html><html><head><title>Portail Wi-Fi - connexion</title></head>"
    b"<body>Acceptez les conditions</body></html>"
)
DAY0 = [0, "dailyDioUtilisation", 0]

CASES = [
    # -- dates in every wrong form
    arg("French day", ("start='01/10/2024'", "YYYY-MM-DD"), start="01/10/2024"),
    arg("American day", ("end='10/03/2024'", "YYYY-MM-DD"), end="10/03/2024"),
    arg("slashes", ("start='2024/10/01'",), start="2024/10/01"),
    arg("no separators", ("start='20241001'",), start="20241001"),
    arg("no zero padding", ("start='2024-10-1'",), start="2024-10-1"),
    arg("month 13", ("start='2024-13-01'",), start="2024-13-01"),
    arg("30 February", ("end='2024-02-30'",), start="2024-02-01", end="2024-02-30"),
    arg("empty string", ("start=''",), start=""),
    arg("time of day in the string", ("end='2024-10-03T08:00'",), end="2024-10-03T08:00"),
    arg("word", ("end='yesterday'",), end="yesterday"),
    arg("None", ("start must be", "NoneType"), start=None),
    arg("int", ("start must be", "int (20241001)"), start=20241001),
    arg("numpy datetime64", ("end must be", "datetime64"), end=np.datetime64("2024-10-03")),
    arg("NaT", ("start is NaT",), start=pd.NaT),
    arg("reversed period", ("start (2024-10-03) is after end (2024-10-01)",), start=END, end=START),
    arg("end in the future", (f"end ({TOMORROW.isoformat()}) is in the future",), end=TOMORROW),
    # -- vehicle ids of the wrong type
    arg("ids as a string", ("vehicle_ids must be a list of integers", "'1201'"), vehicle_ids="1201"),
    arg("one id as an int", ("vehicle_ids must be a list of integers", "1201"), vehicle_ids=1201),
    arg("a string among ids", ("these are not: ['1202']",), vehicle_ids=[1201, "1202"]),
    arg("float id", ("these are not: [1201.0]",), vehicle_ids=[1201.0]),
    arg("bool id", ("these are not: [True]",), vehicle_ids=[True]),
    arg("null id", ("these are not: [None]",), vehicle_ids=[None]),
    arg("no id at all", ("vehicle_ids is empty",), vehicle_ids=[]),
    arg("plates as a string", ("plates must be a list", "'AB-123-CD'"), plates="AB-123-CD"),
    arg("blank plate", ("plates must be non-empty strings", "['  ']"), plates=["  "]),
    arg("plate as a number", ("plates must be non-empty strings", "[123]"), plates=[123]),
    arg("negative id", ("vehicle_ids must be between 1 and 2147483647", "[-1]"), vehicle_ids=[-1]),
    arg("id past the API's int32", ("between 1 and 2147483647", "[2147483648]"), vehicle_ids=[2**31]),
    arg(
        "id past int64, with a cache",
        ("between 1 and 2147483647", "[9223372036854775808]"),
        vehicle_ids=[2**63],
        cache=BAD_INPUT_CACHE,
    ),
    # -- the client and the progress bar
    arg("no client", ("client must be an OceanClient", "NoneType"), client=None),
    arg("a URL as the client", ("client must be an OceanClient", "not str"), client="https://api.example"),
    arg("a dict as the client", ("client must be an OceanClient", "not dict"), client={"login": "x"}),
    arg("progress as a word", ("progress must be True, False or None", "'no'"), progress="no"),
    # -- request sizes
    arg(
        "ten million days per request",
        ("max_days_per_request must be at most 366", "10000000"),
        max_days_per_request=10**7,
    ),
    arg("zero days per request", ("max_days_per_request", "0"), max_days_per_request=0),
    arg("negative batch", ("max_vehicles_per_request", "-1"), max_vehicles_per_request=-1),
    arg("fractional days per request", ("max_days_per_request", "1.5"), max_days_per_request=1.5),
    arg("workers as a string", ("max_workers", "'4'"), max_workers="4"),
    # -- malformed answers from the simulator
    Bad(
        "day as in the documentation's example",
        oa.MalformedResponseError,
        (".day", "vehicle {vehicle}", '"string"'),
        fault=Fault("malformed", field="day"),
    ),
    Bad(
        "negative duration",
        oa.MalformedResponseError,
        (".useDuration", "vehicle {vehicle}", "0..1800", "-1"),
        fault=Fault("malformed", field="useDuration", value=-1),
    ),
    Bad(
        "duration over 1800",
        oa.MalformedResponseError,
        (".useDuration", "vehicle {vehicle}", "1801"),
        fault=Fault("malformed", field="useDuration", value=1801),
    ),
    Bad(
        "hour 25",
        oa.MalformedResponseError,
        (".start", "vehicle {vehicle}", "25:00"),
        fault=Fault("malformed", field="start"),
    ),
    Bad(
        "missing day list",
        oa.MalformedResponseError,
        ("dailyDioUtilisation", "vehicle {vehicle}"),
        fault=Fault("malformed", field="missing_key"),
    ),
    # -- malformed answers served by the canned server
    Bad(
        "null day list",
        oa.MalformedResponseError,
        ("[0].dailyDioUtilisation", "vehicle 12", "null"),
        reply=changed([0, "dailyDioUtilisation"], None),
    ),
    Bad(
        "null half-hour list",
        oa.MalformedResponseError,
        ("[0].dailyDioUtilisation[0].usePerHalfHour", "vehicle 12", '"01/10/2024"', "null"),
        reply=changed([*DAY0, "usePerHalfHour"], None),
    ),
    Bad(
        "null answer",
        oa.MalformedResponseError,
        ("the JSON value null",),
        reply=raw(200, "application/json", b"null"),
    ),
    Bad(
        "unknown (blank) equipment key of a day",
        oa.MalformedResponseError,
        ('dayTotalUsePerEquipement[""]', "vehicle 12", "equipment label"),
        reply=changed([*DAY0, "dayTotalUsePerEquipement"], {"Grue": 1800, "Benne": 600, "": 60}),
    ),
    Bad(
        "unknown (blank) equipment key of the period",
        oa.MalformedResponseError,
        (f'{PERIOD_KEY}[" "]', "vehicle 12", "equipment label"),
        reply=changed([0, PERIOD_KEY], {"Grue": 5400, "Benne": 1800, " ": 60}),
    ),
    Bad(
        "duplicate day",
        oa.MalformedResponseError,
        ("01/10/2024 is listed twice for vehicle 12",),
        reply=changed([0, "dailyDioUtilisation", 1, "day"], "01/10/2024"),
    ),
    Bad(
        "same day in both forms",
        oa.MalformedResponseError,
        ("listed twice for vehicle 12",),
        reply=changed([0, "dailyDioUtilisation", 1, "day"], "2024-10-01"),
    ),
    Bad(
        "duplicate vehicle across batches",
        oa.MalformedResponseError,
        ("listed twice for vehicle 12", "in answer 2 of 2"),
        args={"max_vehicles_per_request": 1},
        reply=same_vehicle_in_every_batch,
    ),
    Bad(
        "vehicle id as a string",
        oa.MalformedResponseError,
        ("[0].vehicle.id", '"12"'),
        reply=changed([0, "vehicle", "id"], "12"),
    ),
    Bad(
        "day outside the asked period",
        oa.MalformedResponseError,
        ("2024-10-09 is outside the asked period 2024-10-01..2024-10-03", "vehicle 12"),
        reply=changed([*DAY0, "day"], "09/10/2024"),
    ),
    # two labels (Grue, Benne) on 01/10/2024: at most 2 x 86,400 = 172,800 s (a sum over equipment)
    Bad(
        "all-DIO seconds over a day per label",
        oa.MalformedResponseError,
        ("dailyDurationSecForAllDio", "vehicle 12", "172801"),
        reply=changed([*DAY0, "dailyDurationSecForAllDio"], 172_801),
    ),
    Bad(
        "plain-text body",
        oa.MalformedResponseError,
        ("not JSON", "Internal error"),
        reply=raw(200, "text/plain", b"Internal error, please retry later"),
    ),
    Bad(
        "HTML page from a proxy answered 200",
        oa.MalformedResponseError,
        ("HTML error page", "Portail Wi-Fi - connexion"),
        reply=raw(200, "text/html", PROXY_PAGE),
    ),
    Bad(
        "HTML page from a proxy answered 404",
        oa.NotFoundError,
        ("404", "HTML page", "Portail Wi-Fi - connexion", "base_url"),
        reply=raw(404, "text/html", PROXY_PAGE),
    ),
    Bad(
        "Spring error object answered 200",
        oa.MalformedResponseError,
        ("status 500", "Internal Server Error", "database down"),
        reply=json_reply({"status": 500, "error": "Internal Server Error", "message": "database down"}),
    ),
]


@pytest.mark.parametrize("case", [pytest.param(case, id=case.name) for case in CASES])
def test_bad_input_is_refused_with_its_culprit_named(case, simulator):
    if case.reply is not None:
        with CannedOcean(lambda query, token: case.reply(query)) as canned:
            error = _fetch_error(case, canned.client(), CANNED_IDS)
            asked = [s for s in canned.seen if s.path == USAGE]
        secrets = [CANNED_PASSWORD, CANNED_TOKEN]
        vehicle = None
    else:
        vehicle = next(
            v for v in simulator.customers[0].vehicles if v.dio_enabled and v.equipment and not v.dormant
        )
        if case.fault is not None:
            simulator.add_fault(case.fault)
        error = _fetch_error(case, client_for(simulator), [vehicle.id])
        asked = [r for r in simulator.requests if r.path == USAGE]
        secrets = simulator_secrets(simulator)
        if case.is_argument:
            assert simulator.requests == []  # not even a login
    message = str(error)
    for word in case.culprit:
        assert word.format(vehicle=vehicle.id if vehicle else None) in message, word
    assert asked or case.is_argument
    assert_no_secret(error, secrets)


def _fetch_error(case: Bad, client: oa.OceanClient, vehicle_ids: list[int]) -> oa.OceanError:
    arguments = {"start": START, "end": END, "vehicle_ids": vehicle_ids, "progress": False, **case.args}
    if "plates" in case.args:
        arguments["vehicle_ids"] = None
    client = arguments.pop("client", client)
    with pytest.raises(case.error) as info:
        oa.fetch_usage(client, **arguments)
    return info.value


@pytest.mark.parametrize("by", [123, 1.5, [1, 2], ["vehicle_id", None]], ids=repr)
def test_a_by_that_is_not_column_names_is_refused_by_name(by):
    daily = pd.DataFrame(
        {
            "vehicle_id": pd.array([5], dtype="int32"),
            "date": pd.to_datetime(["2024-10-01"]),
            "equipment": pd.Categorical(["Grue"]),
            "use_s": pd.array([1800], dtype="int64"),
        }
    )
    with pytest.raises(oa.InvalidArgumentError, match=r"^by must be a column name, a list of column names"):
        oa.utilisation(daily, by=by)


def test_the_table_is_at_least_thirty_cases_of_each_kind_together():
    arguments = [case for case in CASES if case.is_argument]
    answers = [case for case in CASES if not case.is_argument]
    assert len(CASES) >= 30 and len(arguments) >= 20 and len(answers) >= 15
    assert len({case.name for case in CASES}) == len(CASES)


def test_an_equipment_key_unknown_to_the_half_hours_is_kept_and_reported(simulator):
    """Labels are the customer's free text: one only in the day totals is no error, and it
    is not dropped either: ``daily`` holds its seconds and ``reconcile`` lists the gap."""
    answer = good_answer()
    answer[0]["dailyDioUtilisation"][0]["dayTotalUsePerEquipement"]["Toupie"] = 900
    with CannedOcean(lambda query, token: (200, "application/json", orjson.dumps(answer))) as canned:
        usage = oa.fetch_usage(canned.client(), START, END, [12], progress=False)
    toupie = usage.daily[usage.daily["equipment"] == "Toupie"]
    assert toupie["use_s"].tolist() == [900, 0, 0]  # 01/10, then two days of no use on the full grid
    assert usage.daily["use_s"].sum() == 3 * (1800 + 600) + 900
    gaps = oa.reconcile(usage)
    gap = gaps[(gaps["level"] == "half_hours_vs_day") & (gaps["equipment"] == "Toupie")]
    assert gap[["expected", "found"]].values.tolist() == [[900, 0]]


# -- fuzz: mutated answers, alone or among several, give consistent frames or an OceanError ---
@given(mutated_payloads(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_mutated_answers_give_consistent_frames_or_an_ocean_error(case, among_several):
    """Stronger than the dtype check of ``test_parse_properties``: accepted frames must
    also hold together (keys unique, every vehicle known, values in range, the full
    grid, half hours of 30 minutes inside the period, our day sums equal to ``daily``)."""
    payload, period = case
    if among_several:
        payload = [b"[]", payload]  # as fetch gives it: one answer per request
    try:
        usage = oa.parse_usage(payload, **period)
    except oa.OceanError:
        return
    _check_consistent(usage, pd.date_range(period["start"], period["end"], freq="D"))


def _check_consistent(usage: oa.Usage, days: pd.DatetimeIndex) -> None:
    known = set(usage.vehicles["vehicle_id"])
    assert usage.vehicles["vehicle_id"].is_unique
    for name, key in (
        ("daily", ["vehicle_id", "date", "equipment"]),
        ("vehicle_days", ["vehicle_id", "date"]),
        ("period", ["vehicle_id", "equipment"]),
        ("half_hours", ["vehicle_id", "equipment", "start"]),
    ):
        frame = getattr(usage, name)
        assert not frame.duplicated(key).any(), name
        assert set(frame["vehicle_id"]) <= known, name
    daily, halves, vdays = usage.daily, usage.half_hours, usage.vehicle_days
    assert daily["use_s"].between(0, 86_400).all() and vdays["all_dio_s"].between(0, 86_400).all()
    assert halves["use_s"].between(1, 1800).all() and (usage.period["use_s"] >= 0).all()
    assert (daily.groupby(["vehicle_id", "equipment"], observed=True).size() == len(days)).all()
    assert set(daily["date"]) <= set(days) and set(halves["date"]) <= set(days)
    assert len(vdays) == len(days) * len(known)
    assert ((halves["end"] - halves["start"]) == pd.Timedelta(minutes=30)).all()
    assert (halves["start"].dt.tz_localize(None).dt.normalize() == halves["date"]).all()
    sums = daily.groupby(["vehicle_id", "date"], observed=True)["use_s"].sum()
    ours = vdays.set_index(["vehicle_id", "date"])["equipment_sum_s"]
    assert (sums.reindex(ours.index, fill_value=0) == ours).all()

"""The fast path of ``parse_usage`` (JSON text read without a Python object per half hour).

Each test checks that the fast path was taken (or declined), and that the frames
hold the numbers worked out from the raw answer in the test, and are the frames
the exact walk of the decoded answer gives.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from importlib.util import find_spec

import orjson
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from fixtures.mutations import mutate
from fixtures.ocean_payloads import day, element, half
from ocean_analytics.parse import fast as parse_fast, halves as parse_halves, scan as parse_scan
from ocean_analytics.clock import Calendar
from ocean_analytics.parse.fast import fast_columns
from ocean_analytics.simulator import Simulator, SimulatorConfig

FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
PERIOD = {"start": "2024-10-01", "end": "2024-10-02"}
HALF_KEYS = ("end", "libelleEquipement", "start", "useDuration")


READERS = [
    "arrays",
    pytest.param("compiled", marks=pytest.mark.skipif(find_spec("numba") is None, reason="no numba")),
]


@pytest.fixture(params=READERS)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with each way the fast path reads: by array operations with the
    days decoded and walked (without numba), and compiled (numba, where installed)."""
    if request.param == "arrays":
        read_lists, read_days = parse_scan.scan_lists, None
    else:
        from ocean_analytics.parse.days_jit import read_day_lists as read_days
        from ocean_analytics.parse.scan_jit import scan_lists as read_lists
    monkeypatch.setattr(parse_fast, "half_hour_reader", lambda: read_lists)
    monkeypatch.setattr(parse_fast, "day_reader", lambda: read_days)
    return request.param


def fast(texts: list[bytes], start: str, end: str, api_tz: str = "UTC") -> bool:
    """Whether the fast path reads these answers (rather than leaving them to the exact walk)."""
    calendar = Calendar.build(dt.date.fromisoformat(start), dt.date.fromisoformat(end), api_tz)
    return fast_columns(texts, calendar) is not None


def same_as_exact(text: bytes, **period: str) -> oa.Usage:
    """``parse_usage`` of the text, checked equal to the exact walk of the decoded answer."""
    usage = oa.parse_usage(text, **period)
    walked = oa.parse_usage(orjson.loads(text), **period)
    for name in FRAMES:
        assert_frame_equal(getattr(usage, name), getattr(walked, name))
    return usage


def raw_halves(answer: list) -> list[tuple[int, str, str, int]]:
    """(vehicle, day, start, seconds) of every half hour with use in a decoded answer."""
    return [
        (element["vehicle"]["id"], d["day"], h["start"], h["useDuration"])
        for element in answer
        for d in element["dailyDioUtilisation"]
        for h in d["usePerHalfHour"]
        if h["useDuration"] > 0
    ]


def hand_answer() -> list:
    """Two vehicles over 01-02/10/2024: 1 to 4 digits, a zero, both ends of midnight."""
    grue = "Grue bétonnière"
    first = day(
        "01/10/2024",
        [
            half("00:00", grue, 5),
            half("08:00", grue, 60),
            half("08:00", "PTO 1", 600),
            half("08:30", "PTO 1", 0),
            half("23:30", grue, 1800, end="24:00"),
        ],
    )
    second = day("02/10/2024", [half("23:30", "PTO 1", 1799)])
    return [element(12, [first, second], description="Porteur"), element(5, [], period={})]


def with_key_order(answer: list, order: tuple[str, ...]) -> list:
    """The answer with the keys of every half hour in ``order``."""
    for element_ in answer:
        for d in element_["dailyDioUtilisation"]:
            d["usePerHalfHour"] = [{key: h[key] for key in order} for h in d["usePerHalfHour"]]
    return answer


@pytest.mark.parametrize("order", list(itertools.permutations(HALF_KEYS)), ids="-".join)
def test_every_key_order_of_the_half_hours_is_read_fast(order, reader):
    text = orjson.dumps(with_key_order(hand_answer(), order))
    assert fast([text], **PERIOD)
    halves = same_as_exact(text, **PERIOD).half_hours
    assert halves["use_s"].tolist() == [5, 60, 600, 1800, 1799]
    assert halves["equipment"].astype(str).tolist() == [
        "Grue bétonnière", "Grue bétonnière", "PTO 1", "Grue bétonnière", "PTO 1",
    ]
    assert halves["start"].dt.strftime("%d %H:%M").tolist() == [
        "01 00:00", "01 08:00", "01 08:00", "01 23:30", "02 23:30",
    ]
    assert halves["end"].iloc[3] == pd.Timestamp("2024-10-02 00:00", tz="UTC")


SETTINGS = [
    {},
    {"list_zero_slots": True, "day_format": "yyyy-MM-dd"},
    {"list_idle_days": False, "period_key": "totalUserPerEquipementForPeriod"},
    {"clock": "Europe/Paris"},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(s) or "defaults")
@pytest.mark.parametrize("start, end", [("2024-03-28", "2024-04-02"), ("2024-10-24", "2024-10-29")])
def test_simulator_answers_are_read_fast_also_across_clock_changes(settings, start, end, reader):
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=8, **settings))
    customer = simulator.customers[0].id
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    answer = simulator.answer(customer, None, first, last)
    text = orjson.dumps(answer)
    api_tz = settings.get("clock", "UTC")
    assert fast([text], start, end, api_tz)
    usage = same_as_exact(text, start=start, end=end, api_tz=api_tz)
    raw = raw_halves(answer)
    assert len(raw) > 100
    assert len(usage.half_hours) == len(raw)
    assert usage.half_hours["use_s"].sum() == sum(seconds for *_, seconds in raw)


def test_answers_split_in_several_texts_are_read_fast_together():
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=6))
    customer, ids = simulator.customers[0].id, [v.id for v in simulator.customers[0].vehicles]
    days = [dt.date(2024, 10, 1), dt.date(2024, 10, 4), dt.date(2024, 10, 5), dt.date(2024, 10, 9)]
    parts = [
        simulator.answer(customer, batch, first, last)
        for batch in (ids[:4], ids[4:])
        for first, last in ((days[0], days[1]), (days[2], days[3]))
    ]
    texts = [orjson.dumps(part) for part in parts]
    assert fast(texts, "2024-10-01", "2024-10-09")
    usage = oa.parse_usage(texts, start="2024-10-01", end="2024-10-09")
    whole = oa.parse_usage(
        simulator.answer(customer, ids, days[0], days[3]), start="2024-10-01", end="2024-10-09"
    )
    for name in ("daily", "half_hours", "vehicles", "vehicle_days"):
        assert_frame_equal(getattr(usage, name), getattr(whole, name))
    raw = [h for part in parts for h in raw_halves(part)]
    assert usage.half_hours["use_s"].sum() == sum(seconds for *_, seconds in raw)


def test_empty_answers_and_empty_lists_are_read_fast():
    idle = element(5, [day("01/10/2024", [], totals={}, all_s=0)], period={})
    texts = [b"[]", orjson.dumps([idle])]
    assert fast(texts, **PERIOD)
    usage = oa.parse_usage(texts, **PERIOD)
    assert usage.half_hours.empty and usage.vehicles["vehicle_id"].tolist() == [5]
    assert usage.vehicle_days["all_dio_s"].tolist() == [0, 0]


def relabelled(label: str) -> list:
    answer = hand_answer()
    answer[0]["dailyDioUtilisation"][1] = day("02/10/2024", [half("23:30", label, 1799)])
    return answer


ODD = [
    ("escaped quote", relabelled('PTO "1"')),
    ("bracket", relabelled("PTO [1]")),
    ("brace", relabelled("PTO {1}")),
    ("marker character", relabelled("PTO\x011")),
    ("tab", relabelled("PTO\t1")),
]


@pytest.mark.parametrize("indent", [None, 2], ids=["spaces", "indented"])
def test_other_layouts_are_walked_exactly_with_the_same_result(indent):
    text = json.dumps(hand_answer(), indent=indent)
    assert not fast([text.encode()], **PERIOD)
    usage = oa.parse_usage(text, **PERIOD)
    assert usage.half_hours["use_s"].tolist() == [5, 60, 600, 1800, 1799]


@pytest.mark.parametrize("name, answer", ODD, ids=[name for name, _ in ODD])
def test_labels_with_escapes_or_brackets_are_walked_exactly(name, answer, reader):
    text = orjson.dumps(answer)
    assert not fast([text], **PERIOD)
    usage = same_as_exact(text, **PERIOD)
    assert usage.half_hours["use_s"].tolist() == [5, 60, 600, 1800, 1799]
    label = answer[0]["dailyDioUtilisation"][1]["usePerHalfHour"][0]["libelleEquipement"]
    assert usage.half_hours["equipment"].astype(str).iloc[-1] == label


def test_an_extra_key_in_a_half_hour_is_walked_exactly():
    answer = hand_answer()
    answer[0]["dailyDioUtilisation"][1]["usePerHalfHour"][0]["source"] = "DIO 2"
    text = orjson.dumps(answer)
    assert not fast([text], **PERIOD)
    assert same_as_exact(text, **PERIOD).half_hours["use_s"].sum() == 5 + 60 + 600 + 1800 + 1799


def test_a_half_hour_list_outside_a_day_makes_the_fast_path_step_aside():
    # The cut replaces every compact "usePerHalfHour":[...] by the same marker and
    # pairs the k-th day met with the k-th list: one more list, in the vehicle
    # object, must make the fast path step aside, not shift the days' lists.
    answer = hand_answer()
    stray = [half("12:00", "PTO 1", 900)]
    answer[0]["vehicle"] = {"usePerHalfHour": stray, **answer[0]["vehicle"]}
    text = orjson.dumps(answer)
    assert text.index(b'"usePerHalfHour"') < text.index(b'"dailyDioUtilisation"')
    assert not fast([text], **PERIOD)
    usage = same_as_exact(text, **PERIOD)
    assert usage.half_hours["use_s"].tolist() == [5, 60, 600, 1800, 1799]
    # a list is not a scalar field, so the vehicles frame leaves it out (a marker
    # string would have been kept as a column)
    assert "use_per_half_hour" not in usage.vehicles.columns


H = "[0].dailyDioUtilisation[1].usePerHalfHour[0]"
LAST = b'{"start":"23:30","end":"00:00","libelleEquipement":"PTO 1","useDuration":1799}'


@pytest.mark.parametrize(
    "written, field, culprit",
    [
        (b'"useDuration":0600', "$", "not JSON"),
        (b'"useDuration":1e3', f"{H}.useDuration", "1000.0"),
        (b'"useDuration":12345', f"{H}.useDuration", "12345"),
        (b'"useDuration":-5', f"{H}.useDuration", "-5"),
        (b'"useDuration":1801', f"{H}.useDuration", "1801"),
        (b'"start":"3:30"', f"{H}.start", '"3:30"'),
        (b'"start":"23:15"', f"{H}.start", '"23:15"'),
        (b'"end":"23:30"', f"{H}.end", '"23:30"'),
    ],
)
def test_values_the_scanner_refuses_are_named_by_the_exact_walk(written, field, culprit):
    key = written.split(b":")[0]
    fields = {part.split(b":")[0]: part for part in LAST[1:-1].split(b",")}
    bad = b"{" + b",".join(written if k == key else part for k, part in fields.items()) + b"}"
    text = orjson.dumps(hand_answer())
    assert LAST in text
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(text.replace(LAST, bad), **PERIOD)
    assert caught.value.field == field
    assert culprit in str(caught.value)


def test_a_slot_listed_twice_is_named_also_when_the_flags_table_would_be_too_big(monkeypatch):
    answer = hand_answer()
    answer[0]["dailyDioUtilisation"][1]["usePerHalfHour"].append(half("23:30", "PTO 1", 1))
    text = orjson.dumps(answer)
    for limit in (parse_halves._MAX_FLAGS, 0):
        monkeypatch.setattr(parse_halves, "_MAX_FLAGS", limit)
        with pytest.raises(oa.MalformedResponseError, match="listed more often") as caught:
            oa.parse_usage(text, **PERIOD)
        assert caught.value.field == "[0].dailyDioUtilisation[1].usePerHalfHour[1]"


def two_autumn_days(second_vehicle_totals: tuple[int, int]) -> bytes:
    """Vehicles 1 and 2 on 26/10/2024 (24 h) and 27/10/2024 (25 h on Europe/Paris)."""
    first, second = second_vehicle_totals
    days = [("26/10/2024", 60, first), ("27/10/2024", 0, second)]
    return orjson.dumps([
        element(1, [day(text, [], {"Grue": one}) for text, one, _ in days]),
        element(2, [day(text, [], {"Grue": two}) for text, _, two in days]),
    ])


AUTUMN = {"start": "2024-10-26", "end": "2024-10-27", "api_tz": "Europe/Paris"}


def test_a_day_total_may_reach_the_length_of_its_own_day():
    text = two_autumn_days((1800, 88_000))
    assert fast([text], **AUTUMN)
    assert same_as_exact(text, **AUTUMN).daily["use_s"].tolist() == [60, 0, 1800, 88_000]
    with pytest.raises(oa.MalformedResponseError, match=r"in 0\.\.86400, got 88000") as caught:
        oa.parse_usage(two_autumn_days((88_000, 1800)), **AUTUMN)
    assert caught.value.field == "[1].dailyDioUtilisation[0].dailyDurationSecForAllDio"


SMALL = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=3, seed=7))
SMALL_PERIOD = {"start": "2024-10-01", "end": "2024-10-03"}
SMALL_TEXT = orjson.dumps(
    SMALL.answer(SMALL.customers[0].id, None, dt.date(2024, 10, 1), dt.date(2024, 10, 3))
)


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """The small answer with one to three bytes replaced, inserted or deleted."""
    return mutate(draw, SMALL_TEXT, [(0, len(SMALL_TEXT))])


def outcome(payload: object) -> tuple:
    """The frames of a parse, or the class and place of the error it raised."""
    try:
        usage = oa.parse_usage(payload, **SMALL_PERIOD)
    except oa.OceanError as error:
        return type(error), getattr(error, "field", None), getattr(error, "day", None)
    return tuple(getattr(usage, name) for name in FRAMES)


@given(mutated_texts())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_mutated_text_parses_as_its_decoded_answer_does(reader, text):
    assert len(raw_halves(orjson.loads(SMALL_TEXT))) > 20
    from_text = outcome(text)
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError:
        assert from_text[0] is oa.MalformedResponseError and from_text[1] == "$"
        return
    from_decoded = outcome(decoded)
    if isinstance(from_decoded[0], pd.DataFrame):
        for got, want in zip(from_text, from_decoded):
            assert_frame_equal(got, want)
    else:
        assert from_text == from_decoded

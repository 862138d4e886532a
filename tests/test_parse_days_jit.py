"""The compiled reader of day elements (numba): its table against hand-worked values,
and ``parse_usage`` through it against the exact walk of the decoded answer.

The reader checks only the shape of the days; whether they are days of the
period, listed once, within their length, is checked when they are added
(:mod:`ocean_analytics.parse.fast_days`). Either way the frames, or the error,
must be those of the exact walk.
"""

from __future__ import annotations

import datetime as dt
import itertools

import orjson
import pytest
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from fixtures.ocean_payloads import day, element, half
from ocean_analytics.parse.spans import cut_half_hours
from ocean_analytics.simulator import Simulator, SimulatorConfig

pytest.importorskip("numba")
from ocean_analytics.parse.days_jit import read_day_lists  # noqa: E402  (needs numba)

FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
PERIOD = {"start": "2024-10-01", "end": "2024-10-03"}
DAY_KEYS = ("dailyDurationSecForAllDio", "day", "dayTotalUsePerEquipement", "usePerHalfHour")


def day_table(text: bytes):
    """What the compiled reader reads of the days of an answer's text (None: declined)."""
    read = read_day_lists(cut_half_hours([text]).rests[0])
    return None if read is None else read[1]


def outcome(payload: object, **period: str) -> tuple:
    """The frames of a parse, or the class, field and day of the error it raised."""
    try:
        usage = oa.parse_usage(payload, **period)
    except oa.OceanError as error:
        return type(error), getattr(error, "field", None), getattr(error, "day", None)
    return tuple(getattr(usage, name) for name in FRAMES)


def assert_as_exact(text: bytes, **period: str) -> tuple:
    """``parse_usage`` of the text gives what it gives of the decoded answer (or, for
    text that is not JSON, says so at the root)."""
    from_text = outcome(text, **period)
    try:
        from_decoded = outcome(orjson.loads(text), **period)
    except orjson.JSONDecodeError:
        assert from_text[:2] == (oa.MalformedResponseError, "$")
        return from_text
    if isinstance(from_decoded[0], type):
        assert from_text == from_decoded
    else:
        for got, want in zip(from_text, from_decoded):
            assert_frame_equal(got, want)
    return from_text


def hand_answer() -> list:
    """Vehicle 7 over three days (two labels on the first, none on the idle third); vehicle 9 with no day."""
    first = day("01/10/2024", [half("08:00", "Grue", 600), half("09:00", "PTO 2", 30)], all_s=600)
    second = day("02/10/2024", [half("23:30", "Grue", 1800, end="24:00")])
    idle = day("03/10/2024", [], totals={}, all_s=0)
    return [element(7, [first, second, idle]), element(9, [], period={})]


def test_a_hand_answer_is_read_as_written():
    table = day_table(orjson.dumps(hand_answer()))
    assert table.counts.tolist() == [3, 0]
    assert [table.texts[code] for code in table.text_codes] == [b"01/10/2024", b"02/10/2024", b"03/10/2024"]
    assert table.all_s.tolist() == [600, 1800, 0]
    assert table.entry_counts.tolist() == [2, 1, 0]
    assert [table.distinct[code] for code in table.labels] == ["Grue", "PTO 2", "Grue"]
    assert table.seconds.tolist() == [600, 30, 1800]
    usage = assert_as_exact(orjson.dumps(hand_answer()), **PERIOD)
    vehicle_days = usage[3]
    assert vehicle_days["all_dio_s"].tolist() == [600, 1800, 0, 0, 0, 0]
    assert vehicle_days["equipment_sum_s"].tolist() == [630, 1800, 0, 0, 0, 0]


@pytest.mark.parametrize("order", list(itertools.permutations(DAY_KEYS)), ids=lambda o: "-".join(k[:4] for k in o))
def test_every_key_order_of_the_days_is_read(order):
    answer = hand_answer()
    for element_ in answer:
        element_["dailyDioUtilisation"] = [{key: d[key] for key in order} for d in element_["dailyDioUtilisation"]]
    text = orjson.dumps(answer)
    assert day_table(text) is not None
    assert assert_as_exact(text, **PERIOD)[0]["use_s"].sum() == 600 + 30 + 1800


SETTINGS = [
    {},
    {"day_format": "yyyy-MM-dd", "list_zero_slots": True},
    {"list_idle_days": False, "period_key": "totalUserPerEquipementForPeriod"},
    {"clock": "Europe/Paris"},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(s) or "defaults")
def test_simulator_answers_are_read_and_parse_as_the_exact_walk(settings):
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=10, **settings))
    first, last = dt.date(2024, 10, 24), dt.date(2024, 10, 29)
    answer = simulator.answer(simulator.customers[0].id, None, first, last)
    text = orjson.dumps(answer)
    table = day_table(text)
    days = [d for e in answer for d in e["dailyDioUtilisation"]]
    assert len(table.all_s) == len(days) > 10
    assert table.all_s.tolist() == [d["dailyDurationSecForAllDio"] for d in days]
    period = {"start": first.isoformat(), "end": last.isoformat(), "api_tz": settings.get("clock", "UTC")}
    assert_as_exact(text, **period)


ONE = orjson.dumps(hand_answer())
VARIANTS = {
    "a space": (b'"day":"01/10/2024"', b'"day": "01/10/2024"'),
    "a fraction": (b'"dailyDurationSecForAllDio":600', b'"dailyDurationSecForAllDio":600.0'),
    "six digits": (b'"dailyDurationSecForAllDio":600', b'"dailyDurationSecForAllDio":600000'),
    "a leading zero": (b'"dailyDurationSecForAllDio":600', b'"dailyDurationSecForAllDio":0600'),
    "a negative total": (b'{"Grue":600', b'{"Grue":-600'),
    "a brace in a label": (b'{"Grue":600', b'{"Gr}ue":600'),
    "an escape in a label": (b'{"Grue":600,"PTO 2":30}', b'{"Grue":600,"PTO\\u00202":30}'),
    "a fifth key": (b'"day":"01/10/2024"', b'"day":"01/10/2024","x":1'),
    "a missing key": (b',"dailyDurationSecForAllDio":600', b""),
    "a short day": (b'"day":"01/10/2024"', b'"day":"1/10/2024"'),
    "a day outside the period": (b'"day":"02/10/2024"', b'"day":"05/10/2024"'),
    "a day listed twice": (b'"day":"02/10/2024"', b'"day":"01/10/2024"'),
    "a total longer than its day": (b'"dailyDurationSecForAllDio":600', b'"dailyDurationSecForAllDio":86401'),
    "a label out of place": (b'{"Grue":600', b'{"":600'),
    "a day of another type": (b'"day":"01/10/2024"', b'"day":20241001'),
}


@pytest.mark.parametrize("old, new", VARIANTS.values(), ids=VARIANTS.keys())
def test_odd_days_give_the_exact_walks_frames_or_error(old, new):
    assert old in ONE and ONE.index(old) > ONE.index(b'"dailyDioUtilisation"')  # a day's bytes
    assert_as_exact(ONE.replace(old, new, 1), **PERIOD)


@pytest.mark.parametrize("name", ["a day outside the period", "a day listed twice", "a label out of place"])
def test_days_read_but_not_acceptable_are_left_to_the_exact_walk(name):
    old, new = VARIANTS[name]
    text = ONE.replace(old, new, 1)
    assert day_table(text) is not None  # the shape fits; the values are checked when added
    assert outcome(text, **PERIOD)[0] is oa.MalformedResponseError


def test_a_day_listed_again_in_another_answer_gives_the_exact_walks_error():
    again = orjson.dumps([element(7, [day("02/10/2024", [half("10:00", "Grue", 60)])])])
    from_text = outcome([ONE, again], **PERIOD)
    assert from_text == outcome([orjson.loads(ONE), orjson.loads(again)], **PERIOD)
    assert from_text[0] is oa.MalformedResponseError

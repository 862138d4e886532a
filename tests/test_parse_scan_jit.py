"""The compiled reader of half-hour lists (numba) against the hand-worked values and
against the array reader it stands in for.

Both readers must give the same table for any text, or both decline it (None):
the fast path of ``parse_usage`` is then the same whichever is installed.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.mutations import mutate
from fixtures.ocean_payloads import day, element, half
from ocean_analytics.parse import scan as parse_scan
from ocean_analytics.parse.spans import cut_half_hours
from ocean_analytics.simulator import Simulator, SimulatorConfig

pytest.importorskip("numba")
from ocean_analytics.parse import scan_jit as parse_scan_jit  # noqa: E402  (needs numba)

KEYS = ("end", "libelleEquipement", "start", "useDuration")


def tables(text: bytes) -> tuple:
    """The tables both readers give of the text's half-hour lists."""
    lists = cut_half_hours([text]).lists[0]
    return tuple(
        reader.scan_lists(lists.text, lists.opening, lists.closing)
        for reader in (parse_scan, parse_scan_jit)
    )


def assert_same(array_table, compiled_table) -> None:
    if array_table is None or compiled_table is None:
        assert array_table is compiled_table is None
        return
    assert compiled_table.distinct == array_table.distinct
    for name in ("offsets", "labels", "slots", "closes", "use"):
        np.testing.assert_array_equal(getattr(compiled_table, name), getattr(array_table, name))


def test_a_hand_answer_is_read_as_written():
    first = day("01/10/2024", [half("00:00", "Grue", 5), half("23:30", "PTO 1", 1800, end="24:00")])
    second = day("02/10/2024", [half("12:30", "Grue", 0), half("13:00", "Grue", 961)])
    idle = day("03/10/2024", [], totals={}, all_s=0)
    text = orjson.dumps([element(12, [first, second, idle])])
    array_table, table = tables(text)
    assert table.offsets.tolist() == [0, 2, 4, 4]
    assert table.distinct == ["Grue", "PTO 1"]
    assert table.labels.tolist() == [0, 1, 0, 0]
    assert table.slots.tolist() == [0, 47, 25, 26]
    assert table.closes.tolist() == [0, 47, 25, 26]
    assert table.use.tolist() == [5, 1800, 0, 961]
    assert_same(array_table, table)


@pytest.mark.parametrize("order", list(itertools.permutations(KEYS)), ids="-".join)
def test_every_key_order_reads_the_same(order):
    answer = [element(3, [day("01/10/2024", [half("08:00", "Bras de grue", 1234), half("08:30", "PTO", 7)])])]
    for d in answer[0]["dailyDioUtilisation"]:
        d["usePerHalfHour"] = [{key: h[key] for key in order} for h in d["usePerHalfHour"]]
    array_table, table = tables(orjson.dumps(answer))
    assert table.use.tolist() == [1234, 7] and table.distinct == ["Bras de grue", "PTO"]
    assert_same(array_table, table)


@pytest.mark.parametrize("settings_", [{}, {"list_zero_slots": True}, {"clock": "Europe/Paris"}],
                         ids=["defaults", "zero slots", "Paris"])
def test_simulator_answers_read_the_same(settings_):
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=12, **settings_))
    answer = simulator.answer(simulator.customers[0].id, None, dt.date(2024, 10, 20), dt.date(2024, 11, 2))
    array_table, table = tables(orjson.dumps(answer))
    halves = [h for e in answer for d in e["dailyDioUtilisation"] for h in d["usePerHalfHour"]]
    assert len(table.use) == len(halves) > 100
    assert table.use.tolist() == [h["useDuration"] for h in halves]
    assert [table.distinct[k] for k in table.labels] == [h["libelleEquipement"] for h in halves]
    assert_same(array_table, table)


_SIMULATOR = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=3, seed=11))
SMALL = orjson.dumps(
    _SIMULATOR.answer(_SIMULATOR.customers[0].id, None, dt.date(2024, 10, 1), dt.date(2024, 10, 2))
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The small answer with one to three bytes of its half-hour lists replaced, inserted or deleted."""
    lists = cut_half_hours([SMALL]).lists[0]
    spans = [(a + 1, b) for a, b in zip(lists.opening.tolist(), lists.closing.tolist()) if b - a > 2]
    return mutate(draw, SMALL, spans)


@given(mutated())
@settings(max_examples=300, deadline=None)
def test_a_mutated_list_is_read_the_same_or_declined_by_both(text):
    cut = cut_half_hours([text])
    if cut is None:
        return
    assert_same(*tables(text))


GRUE, PTO = b'"libelleEquipement":"Grue"', b'"libelleEquipement":"PTO"'
BASE = orjson.dumps([element(4, [day("01/10/2024", [half("08:00", "Grue", 600), half("08:30", "PTO", 75)])])])
VARIANTS = {
    "brace closing a label": (GRUE, GRUE.replace(b"Grue", b"Gr}ue")),
    "brace opening a label": (GRUE, GRUE.replace(b"Grue", b"Gr{ue")),
    "comma and colon in a label": (PTO, PTO.replace(b"PTO", b"P,T:O")),
    "empty label": (PTO, PTO.replace(b"PTO", b"")),
    "label not UTF-8": (PTO, PTO.replace(b"PTO", b"PT\xff")),
    "control byte in a label": (PTO, PTO.replace(b"PTO", b"PT\x1f")),
    "leading zero": (b'"useDuration":75', b'"useDuration":075'),
    "five digits": (b'"useDuration":75', b'"useDuration":12345'),
    "a zero": (b'"useDuration":75', b'"useDuration":0'),
    "fraction": (b'"useDuration":75', b'"useDuration":75.0'),
    "space after a comma": (b'},{', b'}, {'),
    "trailing comma": (b'}]', b'},]'),
    "24:00 as a start": (b'"start":"08:30"', b'"start":"24:00"'),
    "a time of another shape": (b'"start":"08:30"', b'"start":"8:30 "'),
    "a brace in a time": (b'"start":"08:30"', b'"start":"}8:30"'),
    "a fifth key": (b'"useDuration":75', b'"useDuration":75,"x":1'),
    "a missing key": (b',"useDuration":75', b''),
}


@pytest.mark.parametrize("old, new", VARIANTS.values(), ids=VARIANTS.keys())
def test_odd_bytes_are_read_the_same_or_declined_by_both(old, new):
    assert old in BASE
    array_table, table = tables(BASE.replace(old, new, 1))
    assert_same(array_table, table)


def test_a_label_holding_a_closing_brace_is_declined_by_both():
    assert tables(BASE.replace(PTO, PTO.replace(b"PTO", b"P}"), 1)) == (None, None)

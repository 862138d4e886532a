"""Properties of ``parse_usage`` on random answers (hypothesis).

(a) Day totals built from the half hours come back as the sums of ``half_hours``,
``daily`` is the full grid, no half hour is lost, and a request split into
vehicle batches and day windows parses to the same frames as one answer.
(b) Mutated answers either parse to frames with the schemas' dtypes or raise an
``OceanError``: never a bare ``KeyError``, ``TypeError`` or ``ValueError``.
(c) A text with a few bytes changed gives exactly what its decoded answer gives
(the same frames, or the same error), or, when it is no longer JSON, an error at
the root.
"""

from __future__ import annotations

import datetime as dt

import orjson
import pandas as pd
from fixtures.mutations import mutate
from fixtures.ocean_payloads import day, element, half
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics import frames
from ocean_analytics.simulator import Simulator, SimulatorConfig

LABELS = ["Grue", "Benne", "Toupie", "PTO 1", "Hayon"]
FIRST = dt.date(2024, 10, 1)
SLOTS = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
SETTINGS = settings(max_examples=120, deadline=None)

# A fleet: (n_days, [(vehicle id, {day number: [(slot, label, seconds), ...]}), ...])
Fleet = tuple[int, list[tuple[int, dict[int, list[tuple[int, str, int]]]]]]


@st.composite
def fleets(draw: st.DrawFn) -> Fleet:
    n_days = draw(st.integers(1, 5))
    ids = draw(st.lists(st.integers(0, 2**31 - 1), max_size=4, unique=True))
    vehicles = []
    for vid in ids:
        labels = draw(st.lists(st.sampled_from(LABELS), unique=True, max_size=3))
        listed = draw(st.lists(st.integers(0, n_days - 1), unique=True))  # other days omitted
        days = {}
        for number in listed:
            halves = [
                (slot, label, draw(st.integers(0, 1800)))
                for label in labels
                for slot in draw(st.lists(st.integers(0, 47), unique=True, max_size=4))
            ]
            days[number] = draw(st.permutations(halves))
        vehicles.append((vid, days))
    return n_days, vehicles


def day_text(number: int) -> str:
    date = FIRST + dt.timedelta(days=number)
    return date.strftime("%d/%m/%Y") if number % 2 else date.isoformat()  # both accepted forms


def answer_of(fleet: Fleet, vehicle_ids: set[int] | None = None, numbers: range | None = None) -> list:
    """The answer for some vehicles and days (all by default); totals from the half hours."""
    n_days, vehicles = fleet
    numbers = range(n_days) if numbers is None else numbers
    answer = []
    for vid, days in vehicles:
        if vehicle_ids is None or vid in vehicle_ids:
            listed = [
                day(day_text(n), [half(SLOTS[s], label, use) for s, label, use in days[n]])
                for n in sorted(days)
                if n in numbers
            ]
            answer.append(element(vid, listed))
    return answer


def period_of(fleet: Fleet) -> dict[str, dt.date]:
    return {"start": FIRST, "end": FIRST + dt.timedelta(days=fleet[0] - 1)}


@given(fleets())
@SETTINGS
def test_daily_totals_are_the_sums_of_the_half_hours_on_the_full_grid(fleet):
    n_days, vehicles = fleet
    usage = oa.parse_usage(orjson.dumps(answer_of(fleet)), **period_of(fleet))
    halves = [h for _, days in vehicles for listed in days.values() for h in listed]
    reported = {vid: {label for listed in days.values() for _, label, _ in listed} for vid, days in vehicles}
    assert len(usage.daily) == n_days * sum(len(labels) for labels in reported.values())
    assert len(usage.vehicle_days) == n_days * len(vehicles)
    assert len(usage.half_hours) == sum(1 for _, _, use in halves if use > 0)
    assert usage.half_hours["use_s"].sum() == sum(use for _, _, use in halves)
    keys = ["vehicle_id", "date", "equipment"]
    sums = usage.half_hours.groupby(keys, observed=True)["use_s"].sum()
    daily = usage.daily.set_index(keys)["use_s"]
    assert daily.index.is_unique and daily.index.is_monotonic_increasing
    assert (sums.reindex(daily.index, fill_value=0) == daily).all()
    assert usage.period["use_s"].sum() == daily.sum()


@st.composite
def split_fleets(draw: st.DrawFn) -> tuple[Fleet, list[list]]:
    """A fleet and its answers split into vehicle batches x day windows, in random order."""
    fleet = draw(fleets())
    n_days, vehicles = fleet
    batch, window = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ids = [vid for vid, _ in vehicles]
    answers = [
        answer_of(fleet, set(ids[b : b + batch]), range(w, min(w + window, n_days)))
        for b in range(0, len(ids), batch)
        for w in range(0, n_days, window)
    ]
    return fleet, draw(st.permutations(answers))


@given(split_fleets())
@SETTINGS
def test_a_split_request_parses_like_one_answer(case):
    fleet, answers = case
    whole = oa.parse_usage(answer_of(fleet), **period_of(fleet))
    split = oa.parse_usage([orjson.dumps(a) for a in answers], **period_of(fleet))
    for name in FRAMES:
        assert_frame_equal(getattr(split, name), getattr(whole, name))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["08:00", "24:00", "23:30", "01/10/2024", "2024-10-02", "Grue", "", 1800, -1]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def places(node: object) -> list[tuple[object, object]]:
    """Every (container, key) of a decoded JSON value, depth first."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        found.append((node, key))
        found.extend(places(child))
    return found


@st.composite
def mutated_payloads(draw: st.DrawFn) -> tuple[object, dict]:
    fleet = draw(fleets())
    answer = answer_of(fleet)
    for _ in range(draw(st.integers(1, 3))):
        spots = places(answer)
        if not spots:
            break
        container, key = draw(st.sampled_from(spots))
        action = draw(st.sampled_from(["delete", "replace", "rename"]))
        value = container.pop(key) if action != "replace" else None
        if action == "replace":
            container[key] = draw(JSON_VALUES)
        elif action == "rename" and isinstance(container, dict):
            container[draw(st.text(max_size=6))] = value
    try:
        body = orjson.dumps(answer)
    except (TypeError, orjson.JSONEncodeError):  # an int beyond 64 bits: give it decoded
        return answer, period_of(fleet)
    cut = draw(st.integers(0, len(body)))
    return draw(st.sampled_from([answer, body, body[:cut]])), period_of(fleet)


@given(mutated_payloads())
@settings(max_examples=200, deadline=None)
def test_a_mutated_answer_gives_frames_or_an_ocean_error(case):
    payload, period = case
    try:
        usage = oa.parse_usage(payload, **period)
    except oa.OceanError:
        return
    n_days = (period["end"] - period["start"]).days + 1
    schemas = {
        "daily": frames.DAILY,
        "half_hours": frames.half_hours_schema("UTC"),
        "vehicle_days": frames.VEHICLE_DAYS,
        "period": frames.PERIOD,
    }
    for name, schema in schemas.items():
        frame = getattr(usage, name)
        assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == schema
    assert list(usage.vehicles.columns[: len(frames.VEHICLES)]) == list(frames.VEHICLES)
    assert len(usage.daily) % n_days == 0
    assert len(usage.vehicle_days) == n_days * len(usage.vehicles)
    assert isinstance(usage.half_hours["start"].dtype, pd.DatetimeTZDtype)


SMALL = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=3, seed=7))
SMALL_PERIOD = {"start": "2024-10-01", "end": "2024-10-03"}
SMALL_TEXT = orjson.dumps(
    SMALL.answer(SMALL.customers[0].id, None, dt.date(2024, 10, 1), dt.date(2024, 10, 3))
)


def outcome(payload: object) -> tuple:
    """The frames of a parse, or the class, field, vehicle and day of the error it raised."""
    try:
        usage = oa.parse_usage(payload, **SMALL_PERIOD)
    except oa.OceanError as error:
        return type(error), error.field, error.vehicle_id, error.day
    return tuple(getattr(usage, name) for name in FRAMES)


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """The small answer with one to three bytes replaced, inserted or deleted."""
    return mutate(draw, SMALL_TEXT, [(0, len(SMALL_TEXT))])


@given(mutated_texts())
@settings(max_examples=150, deadline=None)
def test_a_mutated_text_parses_as_its_decoded_answer_does(text):
    from_text = outcome(text)
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError:  # not JSON: named at the root, whatever the bytes
        assert from_text[:2] == (oa.MalformedResponseError, "$")
        return
    from_decoded = outcome(decoded)
    if isinstance(from_decoded[0], pd.DataFrame):
        for got, want in zip(from_text, from_decoded, strict=True):
            assert_frame_equal(got, want)
    else:
        assert from_text == from_decoded

"""``parse_usage`` on hand-written answers: every expected frame is written out by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import orjson
import pandas as pd
import pytest
from fixtures.ocean_payloads import day, doc_example, element, expected, half
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics import frames
from ocean_analytics.parse.collect import half_hour_numbers
from ocean_analytics.parse.parser import UsageParser
from ocean_analytics.simulator import Simulator, SimulatorConfig

FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
LABELS = ["Grue", "Benne"]
PERIOD = {"start": "2024-10-01", "end": "2024-10-03"}


def crane_truck(key: str = "totalUsePerEquipementForPeriod") -> dict:
    """Vehicle 12: two pieces of equipment, 02/10 left out of the answer."""
    first = day(
        "01/10/2024",
        [half("08:00", "Grue", 1800), half("08:30", "Grue", 900), half("23:30", "Benne", 600)],
        all_s=3000,  # the API's all-equipment total, not the 3300 s sum
    )
    third = day("03/10/2024", [half("10:00", "Benne", 1200), half("10:00", "Grue", 0)])
    return element(
        12,
        [first, third],
        key=key,
        description="Porteur grue",
        categorie="TRUCK",
        dioEnabled=True,
        typeMotorisation="MONO",
        libelleTypeAsset={"libelle": "Porteur", "id": 3},
        detectionPorteEnabled=False,
        nomImage="grue.png",
    )


def idle_truck() -> dict:
    """Vehicle 5: one day listed with nothing used, no equipment anywhere."""
    return element(5, [day("01/10/2024", [], totals={}, all_s=0)], period={}, description="Tracteur")


def two_trucks() -> list:
    return [crane_truck(), idle_truck()]


def test_daily_is_the_full_grid_with_zeros():
    usage = oa.parse_usage(orjson.dumps(two_trucks()), **PERIOD)
    # vehicle 5 reported no equipment: no daily row; vehicle 12: 3 days x {Benne, Grue}
    want = expected(
        frames.DAILY,
        LABELS,
        vehicle_id=[12] * 6,
        date=["2024-10-01"] * 2 + ["2024-10-02"] * 2 + ["2024-10-03"] * 2,
        equipment=["Benne", "Grue"] * 3,
        use_s=[600, 2700, 0, 0, 1200, 0],
    )
    assert_frame_equal(usage.daily, want)


def test_half_hours_are_tz_aware_and_the_last_slot_ends_next_midnight():
    usage = oa.parse_usage(orjson.dumps(two_trucks()), **PERIOD)
    want = expected(
        frames.half_hours_schema("UTC"),
        LABELS,
        vehicle_id=[12, 12, 12, 12],
        date=["2024-10-01", "2024-10-01", "2024-10-01", "2024-10-03"],
        equipment=["Grue", "Grue", "Benne", "Benne"],
        start=["2024-10-01T08:00Z", "2024-10-01T08:30Z", "2024-10-01T23:30Z", "2024-10-03T10:00Z"],
        end=["2024-10-01T08:30Z", "2024-10-01T09:00Z", "2024-10-02T00:00Z", "2024-10-03T10:30Z"],
        use_s=[1800, 900, 600, 1200],
    )
    assert_frame_equal(usage.half_hours, want)


def test_vehicle_days_are_the_full_grid_from_both_api_totals():
    usage = oa.parse_usage(orjson.dumps(two_trucks()), **PERIOD)
    want = expected(
        frames.VEHICLE_DAYS,
        [],
        vehicle_id=[5, 5, 5, 12, 12, 12],
        date=["2024-10-01", "2024-10-02", "2024-10-03"] * 2,
        all_dio_s=[0, 0, 0, 3000, 0, 1200],
        equipment_sum_s=[0, 0, 0, 3300, 0, 1200],
    )
    assert_frame_equal(usage.vehicle_days, want)


def test_period_holds_the_api_period_totals():
    trucks = two_trucks()
    trucks[0]["totalUsePerEquipementForPeriod"] = {
        "Grue": 2701,
        "Benne": 1800,
    }  # API's own, not a sum
    usage = oa.parse_usage(trucks, **PERIOD)
    want = expected(
        frames.PERIOD, LABELS, vehicle_id=[12, 12], equipment=["Benne", "Grue"], use_s=[1800, 2701]
    )
    assert_frame_equal(usage.period, want)


def test_vehicles_rename_the_object_keep_extras_and_take_plates():
    usage = oa.parse_usage(two_trucks(), **PERIOD, plates={12: "AB-123-CD", 99: "ZZ-999-ZZ"})
    want = expected(
        frames.VEHICLES,
        [],
        vehicle_id=[5, 12],
        plate=[None, "AB-123-CD"],
        description=["Tracteur", "Porteur grue"],
        category=[None, "TRUCK"],
        asset_type=[None, "Porteur"],
        motorisation=[None, "MONO"],
        dio_enabled=[None, True],
    )
    want["detection_porte_enabled"] = pd.array([None, False], dtype="boolean")
    want["nom_image"] = pd.Series([None, "grue.png"], dtype="str")
    assert_frame_equal(usage.vehicles, want)


def test_equipment_categories_are_one_sorted_set_in_every_frame():
    usage = oa.parse_usage(two_trucks(), **PERIOD)
    for name in ("daily", "half_hours", "period"):
        assert list(getattr(usage, name)["equipment"].cat.categories) == ["Benne", "Grue"]


def test_frames_carry_the_provenance():
    usage = oa.parse_usage(two_trucks(), start=dt.date(2024, 10, 1), end="2024-10-03", api_tz="Europe/Paris")
    for name in FRAMES:
        assert getattr(usage, name).attrs == {
            "start": "2024-10-01",
            "end": "2024-10-03",
            "api_tz": "Europe/Paris",
        }
    assert (usage.start, usage.end, usage.api_tz) == (
        dt.date(2024, 10, 1),
        dt.date(2024, 10, 3),
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    "payload",
    [
        orjson.dumps(two_trucks()),
        orjson.dumps(two_trucks()).decode(),
        two_trucks(),
        (orjson.dumps(two_trucks()),),
        [orjson.dumps(two_trucks()).decode()],
    ],
    ids=["bytes", "str", "decoded", "tuple-of-one", "list-of-one-text"],
)
def test_every_payload_form_gives_the_same_frames(payload):
    reference = oa.parse_usage(two_trucks(), **PERIOD)
    usage = oa.parse_usage(payload, **PERIOD)
    for name in FRAMES:
        assert_frame_equal(getattr(usage, name), getattr(reference, name))


def test_the_english_key_spelling_gives_the_same_period():
    usage = oa.parse_usage([crane_truck("totalUserPerEquipementForPeriod")], **PERIOD)
    assert usage.period["use_s"].tolist() == [1800, 2700]  # Benne, Grue


def test_several_answers_of_a_split_request_equal_one_answer():
    whole = crane_truck()
    window_1 = element(12, whole["dailyDioUtilisation"][:1], period={"Grue": 2700, "Benne": 600})
    window_1["vehicle"] = whole["vehicle"]
    window_2 = element(12, whole["dailyDioUtilisation"][1:], period={"Benne": 1200, "Grue": 0})
    window_2["vehicle"] = {"id": 12, "description": "other metadata: the first answer's is kept"}
    answers = [orjson.dumps([window_1]), [idle_truck()], orjson.dumps([window_2]).decode()]
    usage = oa.parse_usage(answers, **PERIOD)
    reference = oa.parse_usage(two_trucks(), **PERIOD)
    for name in FRAMES:
        assert_frame_equal(getattr(usage, name), getattr(reference, name))
    assert usage.period["use_s"].tolist() == [1800, 2700]  # Benne 600 + 1200, Grue 2700 + 0


def test_the_order_of_answers_does_not_matter():
    answers = [[crane_truck()], [idle_truck()]]
    forward = oa.parse_usage(answers, **PERIOD)
    backward = oa.parse_usage(answers[::-1], **PERIOD)
    for name in ("daily", "half_hours", "vehicle_days", "period"):
        assert_frame_equal(getattr(forward, name), getattr(backward, name))


def test_an_iso_day_is_read_like_the_documented_one():
    truck = crane_truck()
    truck["dailyDioUtilisation"][0]["day"] = "2024-10-01"
    usage = oa.parse_usage([truck, idle_truck()], **PERIOD)
    assert usage.daily["use_s"].tolist() == [600, 2700, 0, 0, 1200, 0]


def test_unknown_extra_fields_are_ignored():
    truck = crane_truck()
    truck["somethingNew"] = {"nested": [1, 2]}
    truck["dailyDioUtilisation"][0]["usePerHalfHour"][0]["quality"] = "good"
    usage = oa.parse_usage([truck], **PERIOD)
    assert usage.half_hours["use_s"].tolist() == [1800, 900, 600, 1200]


def test_the_documentation_example_with_a_real_day():
    answer = doc_example()
    answer[0]["dailyDioUtilisation"][0]["day"] = "01/10/2024"
    answer[0]["dailyDioUtilisation"][0]["usePerHalfHour"][0].update(start="08:00", end="08:30")
    usage = oa.parse_usage(answer, start="2024-10-01", end="2024-10-01")
    labels = ["additionalProp1", "additionalProp2", "additionalProp3", "string"]
    zeros = expected(
        frames.DAILY,
        labels,
        vehicle_id=[0] * 4,
        date=["2024-10-01"] * 4,
        equipment=labels,
        use_s=[0] * 4,
    )
    assert_frame_equal(usage.daily, zeros)
    assert usage.half_hours.empty  # its one half hour has useDuration 0
    assert usage.period["use_s"].tolist() == [0, 0, 0, 0]
    assert usage.vehicle_days[["all_dio_s", "equipment_sum_s"]].values.tolist() == [[0, 0]]
    vehicle = usage.vehicles.iloc[0]
    assert (vehicle["category"], vehicle["asset_type"], vehicle["motorisation"]) == (
        "UNDEFINED",
        "string",
        "MONO",
    )
    assert list(usage.vehicles.columns[len(frames.VEHICLES) :]) == [
        "detection_porte_enabled",
        "dispositif_identifiant",
        "geolocalise",
        "geosecurite_enabled",
        "immobilisation_cablee",
        "nom_image",
        "odirect_mode",
        "privacy_enabled",
        "suppression_logique",
    ]


def test_the_documentation_example_as_written_names_its_day():
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(orjson.dumps(doc_example()), start="2024-10-01", end="2024-10-01")
    assert caught.value.field == "[0].dailyDioUtilisation[0].day"
    assert (caught.value.vehicle_id, caught.value.day) == (0, "string")
    assert "[0].dailyDioUtilisation[0].day" in str(caught.value) and '"string"' in str(caught.value)


@pytest.mark.parametrize("payload", [b"[]", "[]", [], ([], []), [b"[]", b"[]"]], ids=repr)
def test_empty_answers_give_empty_frames_with_the_schemas(payload):
    usage = oa.parse_usage(payload, **PERIOD, api_tz="Europe/Paris")
    schemas = {
        "daily": frames.DAILY,
        "half_hours": frames.half_hours_schema("Europe/Paris"),
        "vehicles": frames.VEHICLES,
        "vehicle_days": frames.VEHICLE_DAYS,
        "period": frames.PERIOD,
    }
    for name, schema in schemas.items():
        frame = getattr(usage, name)
        assert frame.empty
        assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == schema


@pytest.mark.parametrize(
    "arguments",
    [
        {"start": "2024-10-03", "end": "2024-10-01"},
        {"start": "01/10/2024", "end": "2024-10-03"},
        {**PERIOD, "api_tz": "Europe/Pariss"},
        {**PERIOD, "api_tz": ""},
        {**PERIOD, "api_tz": 2},
        {**PERIOD, "plates": ["AB-123-CD"]},
        {**PERIOD, "plates": {"12": "AB-123-CD"}},
        {**PERIOD, "plates": {12: 123}},
    ],
    ids=repr,
)
def test_bad_arguments_are_refused_before_parsing(arguments):
    with pytest.raises(oa.InvalidArgumentError):
        oa.parse_usage(two_trucks(), **arguments)


def test_a_payload_of_no_answer_type_is_a_bad_argument():
    with pytest.raises(oa.InvalidArgumentError, match="set"):
        oa.parse_usage({1, 2}, **PERIOD)


HALF_KEYS = ("end", "libelleEquipement", "start", "useDuration")
DAY_KEYS = ("dailyDurationSecForAllDio", "day", "dayTotalUsePerEquipement", "usePerHalfHour")
TWO_DAYS = {"start": "2024-10-01", "end": "2024-10-02"}
GRUE = "Grue bétonnière"


def midnight_answer() -> list:
    """Vehicle 12 over 01-02/10/2024: 1 to 4 digits, a zero, both ends of midnight; vehicle 5 idle."""
    first = day(
        "01/10/2024",
        [
            half("00:00", GRUE, 5),
            half("08:00", GRUE, 60),
            half("08:00", "PTO 1", 600),
            half("08:30", "PTO 1", 0),
            half("23:30", GRUE, 1800, end="24:00"),
        ],
    )
    second = day("02/10/2024", [half("23:30", "PTO 1", 1799)])
    return [element(12, [first, second], description="Porteur"), element(5, [], period={})]


def assert_midnight_frames(usage: oa.Usage) -> None:
    """The frames of :func:`midnight_answer`, worked out from it by hand."""
    halves = usage.half_hours
    assert halves["use_s"].tolist() == [5, 60, 600, 1800, 1799]
    assert halves["equipment"].astype(str).tolist() == [GRUE, GRUE, "PTO 1", GRUE, "PTO 1"]
    assert halves["start"].dt.strftime("%d %H:%M").tolist() == [
        "01 00:00",
        "01 08:00",
        "01 08:00",
        "01 23:30",
        "02 23:30",
    ]
    assert halves["end"].iloc[3] == pd.Timestamp("2024-10-02 00:00", tz="UTC")
    # day totals default to the sums of the half hours: 01/10 Grue 5 + 60 + 1800, PTO 600 + 0
    assert usage.vehicle_days["all_dio_s"].tolist() == [0, 0, 2465, 1799]
    assert usage.vehicle_days["equipment_sum_s"].tolist() == [0, 0, 2465, 1799]
    assert usage.daily["use_s"].tolist() == [1865, 600, 0, 1799]  # 01/10 Grue, PTO 1; 02/10 both


@pytest.mark.parametrize("order", list(itertools.permutations(HALF_KEYS)), ids="-".join)
def test_every_key_order_of_the_half_hours_reads_the_same(order):
    answer = midnight_answer()
    for one_day in answer[0]["dailyDioUtilisation"]:
        one_day["usePerHalfHour"] = [{key: h[key] for key in order} for h in one_day["usePerHalfHour"]]
    assert_midnight_frames(oa.parse_usage(orjson.dumps(answer), **TWO_DAYS))


@pytest.mark.parametrize(
    "order", list(itertools.permutations(DAY_KEYS)), ids=lambda o: "-".join(k[:4] for k in o)
)
def test_every_key_order_of_the_days_reads_the_same(order):
    answer = midnight_answer()
    days = answer[0]["dailyDioUtilisation"]
    answer[0]["dailyDioUtilisation"] = [{key: d[key] for key in order} for d in days]
    assert_midnight_frames(oa.parse_usage(orjson.dumps(answer), **TWO_DAYS))


@pytest.mark.parametrize("indent", [None, 2], ids=["spaces", "indented"])
def test_json_with_spaces_or_indented_reads_the_same(indent):
    assert_midnight_frames(oa.parse_usage(json.dumps(midnight_answer(), indent=indent), **TWO_DAYS))


@pytest.mark.parametrize(
    "label", ['PTO "1"', "PTO [1]", "PTO {1}", "PTO}", "PTO\x011", "PTO\t1", "P,T:O"], ids=repr
)
def test_labels_with_escapes_brackets_and_separators_are_kept_as_written(label):
    answer = midnight_answer()
    answer[0]["dailyDioUtilisation"][1] = day("02/10/2024", [half("23:30", label, 1799)])
    usage = oa.parse_usage(orjson.dumps(answer), **TWO_DAYS)
    assert usage.half_hours["equipment"].astype(str).iloc[-1] == label
    assert usage.half_hours["use_s"].tolist() == [5, 60, 600, 1800, 1799]


def test_an_escaped_label_is_the_same_label():
    text = orjson.dumps(midnight_answer())
    spelled = b'"libelleEquipement":"PTO 1","useDuration":1799'
    assert spelled in text
    usage = oa.parse_usage(text.replace(spelled, spelled.replace(b" ", b"\\u0020", 1)), **TWO_DAYS)
    assert list(usage.daily["equipment"].cat.categories) == [GRUE, "PTO 1"]
    assert_midnight_frames(usage)


def test_a_half_hour_list_in_the_vehicle_object_is_not_taken_for_a_days():
    answer = midnight_answer()
    answer[0]["vehicle"] = {"usePerHalfHour": [half("12:00", "PTO 1", 900)], **answer[0]["vehicle"]}
    usage = oa.parse_usage(orjson.dumps(answer), **TWO_DAYS)
    assert_midnight_frames(usage)
    assert "use_per_half_hour" not in usage.vehicles.columns  # a list is no scalar field


def test_empty_answers_among_others_add_nothing():
    idle = element(5, [day("01/10/2024", [], totals={}, all_s=0)], period={})
    usage = oa.parse_usage([b"[]", orjson.dumps([idle]), []], **TWO_DAYS)
    assert usage.half_hours.empty and usage.daily.empty
    assert usage.vehicles["vehicle_id"].tolist() == [5]
    assert usage.vehicle_days["all_dio_s"].tolist() == [0, 0]


def repeated_key_text() -> bytes:
    text = orjson.dumps([element(12, [day("01/10/2024", [], totals={"Grue": 1}, all_s=600)])])
    assert text.count(b'{"Grue":1}') == 2  # the day totals and the period totals
    return text.replace(b'{"Grue":1}', b'{"Grue":100,"Grue":600}')


@pytest.mark.parametrize("form", ["bytes", "decoded"])
def test_a_key_repeated_in_day_totals_reads_the_last_one(form):
    text = repeated_key_text()
    payload = text if form == "bytes" else orjson.loads(text)
    usage = oa.parse_usage(payload, start="2024-10-01", end="2024-10-01")
    assert usage.daily["use_s"].tolist() == [600]
    assert usage.vehicle_days["equipment_sum_s"].tolist() == [600]
    assert usage.period["use_s"].tolist() == [600]


SETTINGS = [
    {},
    {"list_zero_slots": True, "day_format": "yyyy-MM-dd"},
    {"list_idle_days": False, "period_key": "totalUserPerEquipementForPeriod"},
    {"clock": "Europe/Paris"},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(s) or "defaults")
@pytest.mark.parametrize("start, end", [("2024-03-28", "2024-04-02"), ("2024-10-24", "2024-10-29")])
def test_bytes_and_decoded_lists_give_identical_frames(settings, start, end):
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=8, **settings))
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    answer = simulator.answer(simulator.customers[0].id, None, first, last)
    period = {"start": start, "end": end, "api_tz": settings.get("clock", "UTC")}
    from_bytes = oa.parse_usage(orjson.dumps(answer), **period)
    from_lists = oa.parse_usage(answer, **period)
    for name in FRAMES:
        assert_frame_equal(getattr(from_bytes, name), getattr(from_lists, name))
    raw = [
        h["useDuration"]
        for e in answer
        for d in e["dailyDioUtilisation"]
        for h in d["usePerHalfHour"]
        if h["useDuration"] > 0
    ]
    assert len(raw) > 100
    assert len(from_bytes.half_hours) == len(raw)
    assert from_bytes.half_hours["use_s"].sum() == sum(raw)


def test_the_parser_fed_answer_by_answer_gives_what_parse_usage_gives():
    texts = [orjson.dumps([crane_truck()]), orjson.dumps([idle_truck()])]
    parser = UsageParser(**PERIOD)
    for text in texts:
        parser.feed(text)
    fed = parser.finish(plates={12: "AB-123-CD"})
    whole = oa.parse_usage(two_trucks(), **PERIOD, plates={12: "AB-123-CD"})
    for name in FRAMES:
        assert_frame_equal(getattr(fed, name), getattr(whole, name))


def test_a_malformed_answer_fed_is_raised_by_finish_with_its_rank():
    parser = UsageParser(**PERIOD)
    for text in (orjson.dumps([crane_truck()]), b"<html>gateway</html>", b"[]"):
        parser.feed(text)
    with pytest.raises(oa.MalformedResponseError, match="HTML error page") as caught:
        parser.finish()
    assert "answer 2 of 3" in str(caught.value)


def test_half_hour_use_takes_ordinary_arithmetic_without_wrapping():
    # a full half hour (1800 s) and a third of one (600 s): in int16, 1800 * 1000 wrapped to
    # -32,752 and 1800 * 100 / 1800 came out as -18.2
    answer = [element(12, [day("01/10/2024", [half("08:00", "Grue", 1800), half("08:30", "Grue", 600)])])]
    hours = oa.parse_usage(orjson.dumps(answer), **PERIOD).half_hours
    assert str(hours["use_s"].dtype) == "int32"
    assert (hours["use_s"] * 1000).max() == 1_800_000
    assert (hours["use_s"] * 1000).tolist() == [1_800_000, 600_000]
    assert (hours["use_s"] * 100 / 1800).tolist() == [100.0, 600 * 100 / 1800]


def test_half_hour_texts_are_numbered_by_their_place_in_the_schema():
    # "00:00" is 0, "00:30" 1, ... "23:30" 47, "24:00" 48: the position in the schema's table
    texts = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)] + ["24:00"]
    assert half_hour_numbers("".join(texts)).tolist() == list(range(49))
    assert half_hour_numbers("08:3024:0000:00").tolist() == [17, 48, 0]
    assert half_hour_numbers("").tolist() == []

"""``parse_usage`` on hand-written answers: every expected frame is written out by hand."""

from __future__ import annotations

import datetime as dt

import orjson
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from fixtures.ocean_payloads import day, doc_example, element, expected, half
from ocean_analytics import frames

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
    return element(
        5, [day("01/10/2024", [], totals={}, all_s=0)], period={}, description="Tracteur"
    )


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
    usage = oa.parse_usage(
        two_trucks(), start=dt.date(2024, 10, 1), end="2024-10-03", api_tz="Europe/Paris"
    )
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

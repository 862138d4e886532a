"""Malformed answers: each raises ``MalformedResponseError`` naming the field, vehicle and day."""

from __future__ import annotations

import copy

import orjson
import pytest
from fixtures.ocean_payloads import PERIOD_KEY, day, element, half

import ocean_analytics as oa

PERIOD = {"start": "2024-10-01", "end": "2024-10-03"}
MISSING = object()  # "delete this key"

H = "[1].dailyDioUtilisation[1].usePerHalfHour[0]"
D = "[1].dailyDioUtilisation[1]"
HALF = [1, "dailyDioUtilisation", 1, "usePerHalfHour", 0]
DAY = [1, "dailyDioUtilisation", 1]
VEHICLE = [1, "vehicle"]


def base() -> list:
    """Vehicle 5 with nothing, then vehicle 12 with two days (01/10 and 02/10)."""
    first = day("01/10/2024", [half("08:00", "Grue", 1800), half("08:30", "Benne", 600)])
    second = day("02/10/2024", [half("10:00", "Grue", 900)])
    return [element(5, [], period={}), element(12, [first, second], description="Grue 1")]


def mutated(path: list, value: object) -> list:
    """The base answer with the value at ``path`` replaced (or its key deleted)."""
    answer = copy.deepcopy(base())
    node = answer
    for key in path[:-1]:
        node = node[key]
    if value is MISSING:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return answer


# (path, new value, expected field, vehicle id, day)
CASES = [
    # useDuration: an int in 0..1800, nothing else (900.0 is refused too)
    *[
        ([*HALF, "useDuration"], value, f"{H}.useDuration", 12, "02/10/2024")
        for value in (1801, -1, 900.5, 900.0, True, "900", None, MISSING)
    ],
    *[([*HALF, key], MISSING, f"{H}.{key}", 12, "02/10/2024") for key in ("start", "end")],
    ([*HALF, "libelleEquipement"], MISSING, f"{H}.libelleEquipement", 12, "02/10/2024"),
    *[
        ([*HALF, "start"], value, f"{H}.start", 12, "02/10/2024")
        for value in ("08:15", "8:00", "24:00", "10:00:00", 1000, None)
    ],
    *[([*HALF, "end"], value, f"{H}.end", 12, "02/10/2024") for value in ("11:00", "10:00", None)],
    *[
        ([*HALF, "libelleEquipement"], value, f"{H}.libelleEquipement", 12, "02/10/2024")
        for value in ("", "   ", None, 5, ["Grue"])
    ],
    (HALF, "10:00", H, 12, "02/10/2024"),
    (
        HALF[:-1],
        [half("10:00", "Grue", 900), half("10:00", "Grue", 1)],
        f"{D}.usePerHalfHour[1]",
        12,
        "02/10/2024",
    ),
    *[
        ([*DAY, "usePerHalfHour"], value, f"{D}.usePerHalfHour", 12, "02/10/2024")
        for value in (None, MISSING, {})
    ],
    # day totals: an object of label -> int seconds in 0..86400
    *[
        (
            [*DAY, "dayTotalUsePerEquipement"],
            value,
            f"{D}.dayTotalUsePerEquipement",
            12,
            "02/10/2024",
        )
        for value in (None, MISSING, [])
    ],
    *[
        (
            [*DAY, "dayTotalUsePerEquipement"],
            {"Grue": value},
            f'{D}.dayTotalUsePerEquipement["Grue"]',
            12,
            "02/10/2024",
        )
        for value in ("3600", -5, 86_401, 3600.0, None, False)
    ],
    (
        [*DAY, "dayTotalUsePerEquipement"],
        {"": 60},
        f'{D}.dayTotalUsePerEquipement[""]',
        12,
        "02/10/2024",
    ),
    *[
        (
            [*DAY, "dailyDurationSecForAllDio"],
            value,
            f"{D}.dailyDurationSecForAllDio",
            12,
            "02/10/2024",
        )
        for value in (MISSING, -1, 86_401, None, "0")
    ],
    # the day: dd/MM/yyyy or ISO, inside the period, once per vehicle
    *[
        ([*DAY, "day"], value, f"{D}.day", 12, shown)
        for value, shown in [
            ("string", "string"),
            ("2024/10/02", "2024/10/02"),
            ("2/10/2024", "2/10/2024"),
            ("31/02/2024", "31/02/2024"),
            ("02/10/2024 00:00", "02/10/2024 00:00"),
            (20241002, "20241002"),
            (None, "null"),
            ("05/10/2024", "05/10/2024"),
            ("30/09/2024", "30/09/2024"),
            ("01/10/2024", "01/10/2024"),
        ]
    ],
    ([*DAY, "day"], MISSING, f"{D}.day", 12, None),
    (DAY, 5, D, 12, None),
    *[
        ([1, "dailyDioUtilisation"], value, "[1].dailyDioUtilisation", 12, None)
        for value in (None, MISSING, {}, "[]")
    ],
    # the vehicle object
    *[(VEHICLE, value, "[1].vehicle", None, None) for value in (MISSING, None, [12])],
    *[
        ([*VEHICLE, "id"], value, "[1].vehicle.id", None, None)
        for value in (MISSING, "12", -1, 2**31, True, 12.0, None)
    ],
    ([*VEHICLE, "description"], 5, "[1].vehicle.description", 12, None),
    ([*VEHICLE, "dioEnabled"], "yes", "[1].vehicle.dioEnabled", 12, None),
    ([*VEHICLE, "libelleTypeAsset"], "Porteur", "[1].vehicle.libelleTypeAsset", 12, None),
    (
        [*VEHICLE, "libelleTypeAsset"],
        {"libelle": 3},
        "[1].vehicle.libelleTypeAsset.libelle",
        12,
        None,
    ),
    ([0, "vehicle", "id"], 12, "[1].vehicle.id", 12, None),  # one vehicle twice in one answer
    ([1], [], "[1]", None, None),
    # period totals: one of the two spellings, an object of label -> seconds
    ([1, PERIOD_KEY], MISSING, f"[1].{PERIOD_KEY}", 12, None),
    ([1, "totalUserPerEquipementForPeriod"], {"Grue": 1}, f"[1].{PERIOD_KEY}", 12, None),
    ([1, PERIOD_KEY], None, f"[1].{PERIOD_KEY}", 12, None),
    *[
        ([1, PERIOD_KEY], {"Grue": value}, f'[1].{PERIOD_KEY}["Grue"]', 12, None)
        for value in (-1, "2700", 2700.5, 3 * 86_400 + 1)
    ],
]


def _id(case: tuple) -> str:
    path, value = case[0], case[1]
    shown = "MISSING" if value is MISSING else repr(value)
    return f"{'.'.join(map(str, path))}={shown}"[:80]


@pytest.mark.parametrize("path, value, field, vehicle_id, day_text", CASES, ids=map(_id, CASES))
def test_a_malformed_value_is_named(path, value, field, vehicle_id, day_text):
    payload = orjson.dumps(mutated(path, value))
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(payload, **PERIOD)
    error = caught.value
    assert (error.field, error.vehicle_id, error.day) == (field, vehicle_id, day_text)
    message = str(error)
    assert field in message
    assert (f"vehicle {vehicle_id}" if vehicle_id is not None else "no vehicle") in message
    assert (day_text if day_text is not None else "no day") in message


def test_the_base_answer_itself_is_well_formed():
    usage = oa.parse_usage(base(), **PERIOD)
    assert usage.daily["use_s"].sum() == 1800 + 600 + 900


def test_a_day_repeated_in_another_answer_names_the_answer():
    again = element(12, [day("02/10/2024", [half("11:00", "Grue", 60)])])
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage([orjson.dumps(base()), orjson.dumps([again])], **PERIOD)
    error = caught.value
    assert (error.field, error.vehicle_id, error.day) == (
        "[0].dailyDioUtilisation[0].day",
        12,
        "02/10/2024",
    )
    assert "answer 2 of 2" in str(error) and "listed twice" in str(error)


BODIES = [
    (orjson.dumps(base())[:-17], "truncated at byte"),
    (
        b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        "HTML error page",
    ),
    (b"\n<!DOCTYPE html><html><body>Service Unavailable</body></html>", "HTML error page"),
    (
        b'{"timestamp":"2024-10-01T08:00:00","status":500,"error":"Internal Server Error",'
        b'"message":"NullPointerException","path":"/restapi/dioUtilisation/duree"}',
        "status 500",
    ),
    (b"", "empty"),
    (b"   \n", "empty"),
    (b'{"vehicles": []}', "a JSON object, not a list"),
    (b"42", "the JSON value 42"),
    (b"null", "the JSON value null"),
    (b"[1,]", "not JSON"),
    (b"[1] trailing", "not JSON"),
    (b"[\xff]", "not JSON"),
    (b'[{"vehicle":{"id":1,"x":1e400}}]', "number out of range"),
]


@pytest.mark.parametrize("body, culprit", BODIES, ids=[c for _, c in BODIES])
def test_a_body_that_is_no_answer_is_named_for_what_it_is(body, culprit):
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(body, **PERIOD)
    assert culprit in str(caught.value)
    assert caught.value.field == "$"
    assert (caught.value.vehicle_id, caught.value.day) == (None, None)


def test_a_truncated_body_says_where_it_stops():
    body = orjson.dumps(base())
    with pytest.raises(oa.MalformedResponseError, match=f"truncated at byte {len(body) - 5}"):
        oa.parse_usage(body[:-5], **PERIOD)


# a fault in the first element, found by msgspec or by the parser, then a body cut short
FIRST_THEN_CUT = {
    "a negative use": (b'"useDuration":1800', b'"useDuration":-5'),
    "an empty label": (b'"libelleEquipement":"Grue"', b'"libelleEquipement":""'),
    "both period keys": (b'"durationSec', b'"totalUserPerEquipementForPeriod":{},"durationSec'),
}


@pytest.mark.parametrize("old, new", FIRST_THEN_CUT.values(), ids=FIRST_THEN_CUT.keys())
def test_a_truncated_body_is_named_truncated_whatever_its_first_element_holds(old, new):
    answer = base()
    answer[0], answer[1] = answer[1], answer[0]  # vehicle 12 first, with its half hours
    body = orjson.dumps(answer)
    assert old in body
    body = body.replace(old, new, 1)[:-5]
    with pytest.raises(oa.MalformedResponseError, match=f"truncated at byte {len(body)}") as caught:
        oa.parse_usage(body, **PERIOD)
    assert caught.value.field == "$"


def test_the_element_that_is_not_an_object_in_a_decoded_answer():
    with pytest.raises(oa.MalformedResponseError, match=r"at \[0\]"):
        oa.parse_usage([5], **PERIOD)


def test_a_bad_answer_among_several_names_its_rank():
    with pytest.raises(oa.MalformedResponseError, match="answer 3 of 3"):
        oa.parse_usage([b"[]", "[]", b"<html>gateway</html>"], **PERIOD)


TWO_HALVES = orjson.dumps(
    [element(4, [day("01/10/2024", [half("08:00", "Grue", 600), half("08:30", "PTO", 75)])])]
)
GRUE, PTO = b'"libelleEquipement":"Grue"', b'"libelleEquipement":"PTO"'
SECOND = "[0].dailyDioUtilisation[0].usePerHalfHour[1]"
# (old bytes, new bytes, the field named or None when the answer reads, a text of the message or
# the label of the second half hour read)
BYTES = {
    "brace closing a label": (PTO, PTO.replace(b"PTO", b"P}"), None, "P}"),
    "brace opening a label": (PTO, PTO.replace(b"PTO", b"P{"), None, "P{"),
    "comma and colon in a label": (PTO, PTO.replace(b"PTO", b"P,T:O"), None, "P,T:O"),
    "a space after a comma": (b"},{", b"}, {", None, "PTO"),
    "a fifth key": (b'"useDuration":75', b'"useDuration":75,"x":[1]', None, "PTO"),
    "empty label": (PTO, PTO.replace(b"PTO", b""), f"{SECOND}.libelleEquipement", "equipment label"),
    "label not UTF-8": (PTO, PTO.replace(b"PTO", b"PT\xff"), "$", "not JSON"),
    "control byte in a label": (PTO, PTO.replace(b"PTO", b"PT\x1f"), "$", "not JSON"),
    "not UTF-8 in an ignored key": (b'"vehicle"', b'"v\xffhicle":1,"vehicle"', "$", "not UTF-8"),
    "leading zero": (b'"useDuration":75', b'"useDuration":075', "$", "not JSON"),
    "trailing comma": (b"}]}", b"},]}", "$", "not JSON"),
    "five digits": (b'"useDuration":75', b'"useDuration":12345', f"{SECOND}.useDuration", "12345"),
    "an exponent": (b'"useDuration":75', b'"useDuration":1e3', f"{SECOND}.useDuration", "1000.0"),
    "a fraction": (b'"useDuration":75', b'"useDuration":75.0', f"{SECOND}.useDuration", "75.0"),
    "-5 seconds": (b'"useDuration":75', b'"useDuration":-5', f"{SECOND}.useDuration", "-5"),
    "a missing key": (b',"useDuration":75', b"", f"{SECOND}.useDuration", "required key"),
    "24:00 as a start": (b'"start":"08:30"', b'"start":"24:00"', f"{SECOND}.start", '"24:00"'),
    "a start of another shape": (b'"start":"08:30"', b'"start":"8:30"', f"{SECOND}.start", '"8:30"'),
    "a quarter hour": (b'"start":"08:30"', b'"start":"08:15"', f"{SECOND}.start", '"08:15"'),
    "a brace in a time": (b'"start":"08:30"', b'"start":"}8:30"', f"{SECOND}.start", '"}8:30"'),
    "an end of the wrong slot": (b'"end":"09:00"', b'"end":"08:30"', f"{SECOND}.end", "must end 09:00"),
}


@pytest.mark.parametrize("old, new, field, text", BYTES.values(), ids=BYTES.keys())
def test_odd_bytes_read_as_json_reads_them(old, new, field, text):
    assert old in TWO_HALVES
    body = TWO_HALVES.replace(old, new, 1)
    if field is None:
        usage = oa.parse_usage(body, **PERIOD)
        assert usage.half_hours["equipment"].astype(str).tolist() == ["Grue", text]
        assert usage.half_hours["use_s"].tolist() == [600, 75]
        return
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(body, **PERIOD)
    assert caught.value.field == field
    assert text in str(caught.value)


DAYS = orjson.dumps([element(7, [day("01/10/2024", [half("08:00", "Grue", 600)], all_s=600)])])
ALL = b'"dailyDurationSecForAllDio":600'
DAY_0 = "[0].dailyDioUtilisation[0]"
TOTALS_KEY = "dayTotalUsePerEquipement"
TOTALS = b'"dayTotalUsePerEquipement":{"Grue":600}'
DAY_BYTES = {
    "a fraction": (ALL, ALL.replace(b"600", b"600.0"), f"{DAY_0}.dailyDurationSecForAllDio"),
    "six digits": (ALL, ALL.replace(b"600", b"600000"), f"{DAY_0}.dailyDurationSecForAllDio"),
    "a leading zero": (ALL, ALL.replace(b"600", b"0600"), "$"),
    "a negative total": (TOTALS, TOTALS.replace(b"600", b"-600"), f'{DAY_0}.{TOTALS_KEY}["Grue"]'),
    "a blank label": (TOTALS, TOTALS.replace(b"600", b'600," ":0'), f'{DAY_0}.{TOTALS_KEY}[" "]'),
    "a short day": (b'"01/10/2024"', b'"1/10/2024"', f"{DAY_0}.day"),
    "a day of another type": (b'"01/10/2024"', b"20241001", f"{DAY_0}.day"),
}


@pytest.mark.parametrize("old, new, field", DAY_BYTES.values(), ids=DAY_BYTES.keys())
def test_odd_day_bytes_are_named(old, new, field):
    assert old in DAYS and DAYS.index(old) > DAYS.index(b'"dailyDioUtilisation"')
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(DAYS.replace(old, new, 1), **PERIOD)
    assert caught.value.field == field
    assert caught.value.vehicle_id == (None if field == "$" else 7)


def two_autumn_days(second_vehicle: tuple[int, int]) -> bytes:
    """Vehicles 1 and 2 on 26/10/2024 (24 h) and 27/10/2024 (25 h on Europe/Paris)."""
    days = [("26/10/2024", 60, second_vehicle[0]), ("27/10/2024", 0, second_vehicle[1])]
    return orjson.dumps(
        [
            element(1, [day(text, [], {"Grue": one}) for text, one, _ in days]),
            element(2, [day(text, [], {"Grue": two}) for text, _, two in days]),
        ]
    )


AUTUMN = {"start": "2024-10-26", "end": "2024-10-27", "api_tz": "Europe/Paris"}


def test_a_day_total_may_reach_the_length_of_its_own_day():
    usage = oa.parse_usage(two_autumn_days((1800, 88_000)), **AUTUMN)
    assert usage.daily["use_s"].tolist() == [60, 0, 1800, 88_000]
    with pytest.raises(oa.MalformedResponseError, match=r"in 0\.\.86400, got 88000") as caught:
        oa.parse_usage(two_autumn_days((88_000, 1800)), **AUTUMN)
    assert caught.value.field == "[1].dailyDioUtilisation[0].dailyDurationSecForAllDio"
    assert (caught.value.vehicle_id, caught.value.day) == (2, "26/10/2024")


def one_day_of(totals: dict, all_s: int, text: str = "01/10/2024") -> bytes:
    """Vehicle 3 on one day with these day totals and this dailyDurationSecForAllDio."""
    return orjson.dumps([element(3, [day(text, [], totals, all_s=all_s)])])


ONE_DAY = {"start": "2024-10-01", "end": "2024-10-01"}


def test_an_all_equipment_total_summed_over_two_machines_may_pass_a_day():
    # two machines on for 14 h each: 2 x 50,400 = 100,800 s on a 24-hour day
    usage = oa.parse_usage(one_day_of({"Grue": 50_400, "Benne": 50_400}, 100_800), **ONE_DAY)
    assert usage.vehicle_days[["all_dio_s", "equipment_sum_s"]].values.tolist() == [[100_800, 100_800]]
    # at most 86,400 s per label: 2 x 86,400 = 172,800
    usage = oa.parse_usage(one_day_of({"Grue": 86_400, "Benne": 86_400}, 172_800), **ONE_DAY)
    assert usage.vehicle_days["all_dio_s"].tolist() == [172_800]
    with pytest.raises(oa.MalformedResponseError, match=r"in 0\.\.172800, got 172801") as caught:
        oa.parse_usage(one_day_of({"Grue": 86_400, "Benne": 86_400}, 172_801), **ONE_DAY)
    assert caught.value.field == "[0].dailyDioUtilisation[0].dailyDurationSecForAllDio"
    assert (caught.value.vehicle_id, caught.value.day) == (3, "01/10/2024")
    assert "2 label(s) in dayTotalUsePerEquipement" in str(caught.value)


def test_an_all_equipment_total_without_labels_is_within_one_day():
    assert oa.parse_usage(one_day_of({}, 86_400), **ONE_DAY).vehicle_days["all_dio_s"].tolist() == [86_400]
    with pytest.raises(oa.MalformedResponseError, match=r"in 0\.\.86400, got 86401"):
        oa.parse_usage(one_day_of({}, 86_401), **ONE_DAY)


def test_an_all_equipment_total_counts_the_real_length_of_a_clock_change_day():
    # 27/10/2024 lasts 25 h on Europe/Paris: 2 labels x 90,000 s = 180,000 s
    autumn = {"start": "2024-10-27", "end": "2024-10-27", "api_tz": "Europe/Paris"}
    totals = {"Grue": 90_000, "Benne": 90_000}
    usage = oa.parse_usage(one_day_of(totals, 180_000, "27/10/2024"), **autumn)
    assert usage.vehicle_days["all_dio_s"].tolist() == [180_000]
    with pytest.raises(oa.MalformedResponseError, match=r"in 0\.\.180000, got 180001"):
        oa.parse_usage(one_day_of(totals, 180_001, "27/10/2024"), **autumn)

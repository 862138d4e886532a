"""Malformed answers: each raises ``MalformedResponseError`` naming the field, vehicle and day."""

from __future__ import annotations

import copy

import orjson
import pytest

import ocean_analytics as oa
from fixtures.ocean_payloads import PERIOD_KEY, day, element, half

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
        (HALF + ["useDuration"], value, f"{H}.useDuration", 12, "02/10/2024")
        for value in (1801, -1, 900.5, 900.0, True, "900", None, MISSING)
    ],
    *[(HALF + [key], MISSING, f"{H}.{key}", 12, "02/10/2024") for key in ("start", "end")],
    (HALF + ["libelleEquipement"], MISSING, f"{H}.libelleEquipement", 12, "02/10/2024"),
    *[
        (HALF + ["start"], value, f"{H}.start", 12, "02/10/2024")
        for value in ("08:15", "8:00", "24:00", "10:00:00", 1000, None)
    ],
    *[(HALF + ["end"], value, f"{H}.end", 12, "02/10/2024") for value in ("11:00", "10:00", None)],
    *[
        (HALF + ["libelleEquipement"], value, f"{H}.libelleEquipement", 12, "02/10/2024")
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
        (DAY + ["usePerHalfHour"], value, f"{D}.usePerHalfHour", 12, "02/10/2024")
        for value in (None, MISSING, {})
    ],
    # day totals: an object of label -> int seconds in 0..86400
    *[
        (
            DAY + ["dayTotalUsePerEquipement"],
            value,
            f"{D}.dayTotalUsePerEquipement",
            12,
            "02/10/2024",
        )
        for value in (None, MISSING, [])
    ],
    *[
        (
            DAY + ["dayTotalUsePerEquipement"],
            {"Grue": value},
            f'{D}.dayTotalUsePerEquipement["Grue"]',
            12,
            "02/10/2024",
        )
        for value in ("3600", -5, 86_401, 3600.0, None, False)
    ],
    (
        DAY + ["dayTotalUsePerEquipement"],
        {"": 60},
        f'{D}.dayTotalUsePerEquipement[""]',
        12,
        "02/10/2024",
    ),
    *[
        (
            DAY + ["dailyDurationSecForAllDio"],
            value,
            f"{D}.dailyDurationSecForAllDio",
            12,
            "02/10/2024",
        )
        for value in (MISSING, -1, 86_401, None, "0")
    ],
    # the day: dd/MM/yyyy or ISO, inside the period, once per vehicle
    *[
        (DAY + ["day"], value, f"{D}.day", 12, shown)
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
    (DAY + ["day"], MISSING, f"{D}.day", 12, None),
    (DAY, 5, D, 12, None),
    *[
        ([1, "dailyDioUtilisation"], value, "[1].dailyDioUtilisation", 12, None)
        for value in (None, MISSING, {}, "[]")
    ],
    # the vehicle object
    *[(VEHICLE, value, "[1].vehicle", None, None) for value in (MISSING, None, [12])],
    *[
        (VEHICLE + ["id"], value, "[1].vehicle.id", None, None)
        for value in (MISSING, "12", -1, 2**31, True, 12.0, None)
    ],
    (VEHICLE + ["description"], 5, "[1].vehicle.description", 12, None),
    (VEHICLE + ["dioEnabled"], "yes", "[1].vehicle.dioEnabled", 12, None),
    (VEHICLE + ["libelleTypeAsset"], "Porteur", "[1].vehicle.libelleTypeAsset", 12, None),
    (
        VEHICLE + ["libelleTypeAsset"],
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


def test_the_element_that_is_not_an_object_in_a_decoded_answer():
    with pytest.raises(oa.MalformedResponseError, match=r"at \[0\]"):
        oa.parse_usage([5], **PERIOD)


def test_a_bad_answer_among_several_names_its_rank():
    with pytest.raises(oa.MalformedResponseError, match="answer 3 of 3"):
        oa.parse_usage([b"[]", "[]", b"<html>gateway</html>"], **PERIOD)

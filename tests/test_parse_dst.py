"""Half hours on the daylight-saving days of Europe/Paris, and the same answers on UTC."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from fixtures.ocean_payloads import day, element, expected, half, slot_end
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics import frames

SPRING = {"start": "2024-03-31", "end": "2024-03-31", "api_tz": "Europe/Paris"}
AUTUMN = {"start": "2024-10-27", "end": "2024-10-27", "api_tz": "Europe/Paris"}
ALL_SLOTS = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]


def one_day(text: str, halves: list[dict], totals: dict | None = None) -> list:
    return [element(7, [day(text, halves, totals)])]


def utc(stamps: list[str]) -> pd.Series:
    return pd.Series(pd.to_datetime(stamps, utc=True)).dt.tz_convert("Europe/Paris")


def test_the_spring_day_has_46_slots_placed_on_the_real_clock():
    slots = [s for s in ALL_SLOTS if s not in ("02:00", "02:30")]
    usage = oa.parse_usage(one_day("31/03/2024", [half(s, "Grue", 1800) for s in slots]), **SPRING)
    hours = usage.half_hours
    assert len(hours) == 46
    assert usage.daily["use_s"].tolist() == [82_800]  # 46 x 1800 s: a 23-hour day
    # 00:00 CET = 23:00Z the day before; 01:30 CET = 00:30Z, ending at 03:00 CEST = 01:00Z
    picked = hours.iloc[[0, 3, 4, 45]]
    want_starts = [
        "2024-03-30T23:00Z",
        "2024-03-31T00:30Z",
        "2024-03-31T01:00Z",
        "2024-03-31T21:30Z",
    ]
    want_ends = ["2024-03-30T23:30Z", "2024-03-31T01:00Z", "2024-03-31T01:30Z", "2024-03-31T22:00Z"]
    assert picked["start"].tolist() == utc(want_starts).tolist()
    assert picked["end"].tolist() == utc(want_ends).tolist()
    assert str(hours["start"].dtype) == "datetime64[ns, Europe/Paris]"


@pytest.mark.parametrize("end", ["02:00", "03:00"])
def test_the_slot_before_the_spring_jump_may_end_on_either_wall_clock(end):
    usage = oa.parse_usage(one_day("31/03/2024", [half("01:30", "Grue", 600, end=end)]), **SPRING)
    assert usage.half_hours["end"].tolist() == utc(["2024-03-31T01:00Z"]).tolist()


@pytest.mark.parametrize("slot", ["02:00", "02:30"])
def test_a_slot_that_does_not_exist_in_spring_is_malformed(slot):
    answer = one_day("31/03/2024", [half("01:30", "Grue", 600), half(slot, "Grue", 600)])
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(answer, **SPRING)
    field = "[0].dailyDioUtilisation[0].usePerHalfHour[1].start"
    assert (caught.value.field, caught.value.vehicle_id, caught.value.day) == (
        field,
        7,
        "31/03/2024",
    )
    for part in (field, "vehicle 7", "31/03/2024", slot, "api_tz"):
        assert part in str(caught.value)


def test_a_spring_day_total_longer_than_23_hours_is_malformed():
    answer = one_day("31/03/2024", [], totals={"Grue": 84_600})
    with pytest.raises(oa.MalformedResponseError, match=r"0\.\.82800"):
        oa.parse_usage(answer, **SPRING)


def test_autumn_repeated_slots_first_is_summer_time_and_a_lone_one_is_counted():
    halves = [
        half("01:30", "Grue", 300),
        half("02:00", "Grue", 600),  # first 02:00: CEST, 00:00Z
        half("02:00", "Grue", 900),  # second 02:00: CET, 01:00Z
        half("02:30", "Grue", 1200),  # listed once: placed on CEST, 00:30Z
        half("03:00", "Grue", 60),
    ]
    with pytest.warns(UserWarning, match=r"1 half hour\(s\).*first \(summer-time\) occurrence"):
        usage = oa.parse_usage(one_day("27/10/2024", halves), **AUTUMN)
    assert usage.ambiguous_slots == 1
    want = expected(
        frames.half_hours_schema("Europe/Paris"),
        ["Grue"],
        vehicle_id=[7] * 5,
        date=["2024-10-27"] * 5,
        equipment=["Grue"] * 5,
        start=[
            "2024-10-26T23:30Z",
            "2024-10-27T00:00Z",
            "2024-10-27T00:30Z",
            "2024-10-27T01:00Z",
            "2024-10-27T02:00Z",
        ],
        end=[
            "2024-10-27T00:00Z",
            "2024-10-27T00:30Z",
            "2024-10-27T01:00Z",
            "2024-10-27T01:30Z",
            "2024-10-27T02:30Z",
        ],
        use_s=[300, 600, 1200, 900, 60],
    )
    assert_frame_equal(usage.half_hours, want)
    assert "1 repeated autumn slot(s)" in repr(usage)


def test_autumn_zero_first_occurrence_still_makes_the_second_winter_time():
    halves = [half("02:00", "Grue", 0), half("02:00", "Grue", 900)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        usage = oa.parse_usage(one_day("27/10/2024", halves), **AUTUMN)
    assert usage.ambiguous_slots == 0
    assert usage.half_hours["start"].tolist() == utc(["2024-10-27T01:00Z"]).tolist()


def test_the_autumn_day_has_50_slots_and_25_hours():
    slots = ALL_SLOTS[:6] + ALL_SLOTS[4:]  # 00:00 .. 02:30, then 02:00 .. 23:30
    usage = oa.parse_usage(one_day("27/10/2024", [half(s, "Grue", 1800) for s in slots]), **AUTUMN)
    assert usage.ambiguous_slots == 0
    assert len(usage.half_hours) == 50
    assert usage.daily["use_s"].tolist() == [90_000]
    starts = usage.half_hours["start"]
    assert starts.is_monotonic_increasing and starts.is_unique
    assert (starts.iloc[-1] - starts.iloc[0]) == pd.Timedelta(hours=24, minutes=30)


def test_an_autumn_slot_listed_three_times_is_malformed():
    halves = [half("02:00", "Grue", 100), half("02:00", "Grue", 200), half("02:00", "Grue", 300)]
    with pytest.raises(oa.MalformedResponseError) as caught:
        oa.parse_usage(one_day("27/10/2024", halves), **AUTUMN)
    assert caught.value.field == "[0].dailyDioUtilisation[0].usePerHalfHour[2]"


def test_on_utc_the_same_days_have_48_plain_slots():
    answer = [
        element(
            7,
            [
                day("31/03/2024", [half("02:00", "Grue", 600), half("23:30", "Grue", 30)]),
                day("27/10/2024", [half("02:00", "Grue", 900)]),
            ],
        )
    ]
    usage = oa.parse_usage(answer, start="2024-03-31", end="2024-10-27")
    starts = ["2024-03-31T02:00Z", "2024-03-31T23:30Z", "2024-10-27T02:00Z"]
    assert usage.half_hours["start"].tolist() == pd.to_datetime(starts, utc=True).tolist()
    assert usage.half_hours["end"].iloc[1] == pd.Timestamp("2024-04-01T00:00Z")
    assert len(usage.daily) == 211  # every day from 31 March to 27 October, one equipment


def test_on_utc_a_slot_listed_twice_is_malformed():
    halves = [half("02:00", "Grue", 600), half("02:00", "Grue", 900)]
    with pytest.raises(oa.MalformedResponseError, match="listed more often") as caught:
        oa.parse_usage(one_day("27/10/2024", halves), start="2024-10-27", end="2024-10-27")
    assert (caught.value.vehicle_id, caught.value.day) == (7, "27/10/2024")


def test_slot_end_helper_matches_the_documented_pairs():
    assert [slot_end(s) for s in ("00:00", "09:30", "23:30")] == ["00:30", "10:00", "00:00"]

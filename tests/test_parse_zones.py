"""Half hours on zones whose clocks change at midnight or by thirty minutes.

Every instant below is worked out by hand from the zone's change (checked with
zoneinfo): America/Santiago goes from -04 to -03 at 00:00 on 08/09/2024 (the
clock jumps to 01:00) and back at 00:00 on 07/04/2024 (the hour 23:00-24:00 of
06/04 happens twice; midnight once); Asia/Beirut goes from +02 to +03 at 00:00
on 31/03/2024 and back at 00:00 on 27/10/2024; America/Havana goes back from -04
to -05 at 01:00 on 03/11/2024 (midnight happens twice); Australia/Lord_Howe
moves by thirty minutes, from +11 to +10:30 at 02:00 on 07/04/2024 and back at
02:00 on 06/10/2024.
"""

from __future__ import annotations

import orjson
import pandas as pd
import pytest
from fixtures.ocean_payloads import day, element, half

import ocean_analytics as oa


def parse(zone: str, first: str, last: str, days: list[dict]):
    """The usage of vehicle 7 on ``days``, asked ``first..last`` (ISO) on ``zone``."""
    return oa.parse_usage(orjson.dumps([element(7, days)]), start=first, end=last, api_tz=zone)


def day_total(zone: str, iso: str, text: str, seconds: int) -> list[int]:
    """``daily.use_s`` of one day on which one equipment was used ``seconds``."""
    return parse(zone, iso, iso, [day(text, [], {"Grue": seconds})]).daily["use_s"].tolist()


def instants(stamps: list[str], zone: str) -> list[pd.Timestamp]:
    return pd.Series(pd.to_datetime(stamps, utc=True)).dt.tz_convert(zone).tolist()


SANTIAGO = "America/Santiago"


@pytest.mark.parametrize("end", ["01:00", "24:00", "00:00"])
def test_santiago_the_half_hour_before_a_skipped_midnight_ends_at_one(end):
    # 07/09 23:30 -04 = 08/09 03:30Z, ending at 04:00Z, which the wall clock shows as 01:00 -03;
    # then 08/09 starts at 01:00 -03 = 04:00Z
    days = [
        day("07/09/2024", [half("23:00", "Grue", 1800), half("23:30", "Grue", 1800, end=end)]),
        day("08/09/2024", [half("01:00", "Grue", 600)]),
    ]
    hours = parse(SANTIAGO, "2024-09-07", "2024-09-08", days).half_hours
    assert hours["start"].tolist() == instants(
        ["2024-09-08T03:00Z", "2024-09-08T03:30Z", "2024-09-08T04:00Z"], SANTIAGO
    )
    assert hours["end"].tolist() == instants(
        ["2024-09-08T03:30Z", "2024-09-08T04:00Z", "2024-09-08T04:30Z"], SANTIAGO
    )
    assert hours["date"].dt.day.tolist() == [7, 7, 8]


def test_santiago_a_wrong_end_before_the_skipped_midnight_is_named_with_the_real_ones():
    days = [day("07/09/2024", [half("23:30", "Grue", 1800, end="00:30")])]
    with pytest.raises(oa.MalformedResponseError) as caught:
        parse(SANTIAGO, "2024-09-07", "2024-09-07", days)
    assert caught.value.field == "[0].dailyDioUtilisation[0].usePerHalfHour[0].end"
    assert (caught.value.vehicle_id, caught.value.day) == (7, "07/09/2024")
    assert 'must end 00:00 or 01:00 or 24:00, got "00:30"' in str(caught.value)


@pytest.mark.parametrize("slot", ["00:00", "00:30"])
def test_santiago_the_day_of_the_skipped_midnight_has_no_first_hour(slot):
    with pytest.raises(oa.MalformedResponseError, match="does not exist") as caught:
        parse(SANTIAGO, "2024-09-08", "2024-09-08", [day("08/09/2024", [half(slot, "Grue", 60)])])
    assert caught.value.field == "[0].dailyDioUtilisation[0].usePerHalfHour[0].start"
    # 23 hours: 82,800 s at most for one equipment
    assert day_total(SANTIAGO, "2024-09-08", "08/09/2024", 82_800) == [82_800]
    with pytest.raises(oa.MalformedResponseError, match=r"0\.\.82800, got 82801"):
        day_total(SANTIAGO, "2024-09-08", "08/09/2024", 82_801)


def test_santiago_autumn_shows_the_last_hour_of_06_04_twice():
    halves = [
        half("22:30", "Grue", 300),  # -03: 01:30Z
        half("23:00", "Grue", 600),  # first, -03: 02:00Z
        half("23:30", "Grue", 900, end="23:00"),  # first, -03: 02:30Z, ending 03:00Z = 23:00 -04
        half("23:00", "Grue", 1200),  # second, -04: 03:00Z
        half("23:30", "Grue", 1500),  # second, -04: 03:30Z, ending 04:00Z = 00:00 -04
    ]
    days = [day("06/04/2024", halves), day("07/04/2024", [half("00:00", "Grue", 1800)])]
    usage = parse(SANTIAGO, "2024-04-06", "2024-04-07", days)
    hours = usage.half_hours
    starts = ["01:30", "02:00", "02:30", "03:00", "03:30", "04:00"]
    assert hours["start"].tolist() == instants([f"2024-04-07T{s}Z" for s in starts], SANTIAGO)
    assert hours["use_s"].tolist() == [300, 600, 900, 1200, 1500, 1800]
    assert hours["date"].dt.day.tolist() == [6, 6, 6, 6, 6, 7]
    assert usage.ambiguous_slots == 0
    # 06/04 lasts 25 hours: 90,000 s
    assert day_total(SANTIAGO, "2024-04-06", "06/04/2024", 90_000) == [90_000]
    with pytest.raises(oa.MalformedResponseError, match=r"0\.\.90000, got 90001"):
        day_total(SANTIAGO, "2024-04-06", "06/04/2024", 90_001)


BEIRUT = "Asia/Beirut"


def test_beirut_the_half_hour_before_a_skipped_midnight_ends_at_one():
    # 30/03 23:30 +02 = 21:30Z, ending 22:00Z = 01:00 +03 on 31/03, which starts at 01:00
    days = [
        day("30/03/2024", [half("23:30", "Grue", 1800, end="01:00")]),
        day("31/03/2024", [half("01:00", "Grue", 900)]),
    ]
    hours = parse(BEIRUT, "2024-03-30", "2024-03-31", days).half_hours
    assert hours["start"].tolist() == instants(["2024-03-30T21:30Z", "2024-03-30T22:00Z"], BEIRUT)
    assert hours["end"].tolist() == instants(["2024-03-30T22:00Z", "2024-03-30T22:30Z"], BEIRUT)


def test_beirut_autumn_the_first_last_half_hour_ends_at_eleven():
    # 27/10 00:00 +03 becomes 26/10 23:00 +02: 23:30 first (+03) = 20:30Z ends 21:00Z = 23:00 +02
    halves = [half("23:30", "Grue", 1800, end="23:00"), half("23:30", "Grue", 600, end="24:00")]
    hours = parse(BEIRUT, "2024-10-26", "2024-10-26", [day("26/10/2024", halves)]).half_hours
    assert hours["start"].tolist() == instants(["2024-10-26T20:30Z", "2024-10-26T21:30Z"], BEIRUT)
    assert hours["end"].tolist() == instants(["2024-10-26T21:00Z", "2024-10-26T22:00Z"], BEIRUT)


HAVANA = "America/Havana"


def test_havana_autumn_midnight_happens_twice():
    halves = [
        half("00:00", "Grue", 100),  # first, -04: 04:00Z
        half("00:30", "Grue", 200, end="00:00"),  # first, -04: 04:30Z, ending 05:00Z = 00:00 -05
        half("00:00", "Grue", 300),  # second, -05: 05:00Z
        half("00:30", "Grue", 400),  # second, -05: 05:30Z
        half("01:00", "Grue", 500),  # -05: 06:00Z
    ]
    days = [day("02/11/2024", [half("23:30", "Grue", 1800)]), day("03/11/2024", halves)]
    hours = parse(HAVANA, "2024-11-02", "2024-11-03", days).half_hours
    starts = ["03:30", "04:00", "04:30", "05:00", "05:30", "06:00"]
    assert hours["start"].tolist() == instants([f"2024-11-03T{s}Z" for s in starts], HAVANA)
    assert hours["use_s"].tolist() == [1800, 100, 200, 300, 400, 500]
    assert hours["date"].dt.day.tolist() == [2, 3, 3, 3, 3, 3]


LORD_HOWE = "Australia/Lord_Howe"


def test_lord_howe_autumn_repeats_one_half_hour():
    # 07/04 02:00 +11 becomes 01:30 +10:30: only the slot 01:30 happens twice
    halves = [
        half("01:00", "Grue", 1800),  # +11: 06/04 14:00Z
        half("01:30", "Grue", 1800, end="01:30"),  # first, +11: 14:30Z, ending 15:00Z = 01:30 +10:30
        half("01:30", "Grue", 1800),  # second, +10:30: 15:00Z
        half("02:00", "Grue", 1800),  # +10:30: 15:30Z
    ]
    usage = parse(LORD_HOWE, "2024-04-07", "2024-04-07", [day("07/04/2024", halves)])
    starts = ["14:00", "14:30", "15:00", "15:30"]
    assert usage.half_hours["start"].tolist() == instants([f"2024-04-06T{s}Z" for s in starts], LORD_HOWE)
    # 24 h 30 min: 88,200 s
    assert day_total(LORD_HOWE, "2024-04-07", "07/04/2024", 88_200) == [88_200]
    with pytest.raises(oa.MalformedResponseError, match=r"0\.\.88200, got 88201"):
        day_total(LORD_HOWE, "2024-04-07", "07/04/2024", 88_201)


def test_lord_howe_spring_skips_one_half_hour():
    # 06/10 02:00 +10:30 becomes 02:30 +11: 01:30 (+10:30) = 05/10 15:00Z ends 15:30Z = 02:30 +11
    halves = [half("01:30", "Grue", 1800, end="02:30"), half("02:30", "Grue", 600)]
    hours = parse(LORD_HOWE, "2024-10-06", "2024-10-06", [day("06/10/2024", halves)]).half_hours
    assert hours["start"].tolist() == instants(["2024-10-05T15:00Z", "2024-10-05T15:30Z"], LORD_HOWE)
    assert hours["end"].tolist() == instants(["2024-10-05T15:30Z", "2024-10-05T16:00Z"], LORD_HOWE)
    with pytest.raises(oa.MalformedResponseError, match="the slot 02:00 does not exist"):
        parse(LORD_HOWE, "2024-10-06", "2024-10-06", [day("06/10/2024", [half("02:00", "Grue", 60)])])


@pytest.mark.parametrize("zone", ["Europe", "Europe/Pariss", "", 1])
def test_a_zone_that_is_none_is_refused_by_name(zone):
    # "Europe" names a folder of zones: zoneinfo raises IsADirectoryError, never shown raw
    with pytest.raises(oa.InvalidArgumentError, match=f"api_tz={zone!r} is not a known IANA time zone"):
        oa.parse_usage(b"[]", start="2024-10-01", end="2024-10-01", api_tz=zone)

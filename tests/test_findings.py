"""oa.findings on hand-built Usage objects: every number below is worked out in the comments."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hand_usage import VEHICLES, HalfHour, empty_usage, make_usage

import ocean_analytics as oa
from ocean_analytics import frames
from ocean_analytics.analysis.findings import FINDINGS

D = pd.Timestamp
PAIRS = [(7, "Grue"), (7, "Benne"), (8, "Grue")]


def whole_day(vehicle: int, equipment: str, first: str, slots: int) -> list[HalfHour]:
    """``slots`` full half hours (1,800 s each) from the instant ``first`` on."""
    start = pd.Timestamp(first)
    return [
        (vehicle, equipment, (start + pd.Timedelta(minutes=30 * k)).strftime("%Y-%m-%dT%H:%MZ"), 1800)
        for k in range(slots)
    ]


def with_no_data(usage: oa.Usage, days: dict[int, list[str]], frame: str = "daily") -> oa.Usage:
    """``usage`` whose ``frame`` gains ``has_data``: False on the listed days of each vehicle."""
    table = (
        getattr(usage, frame) if frame == "daily" else usage.daily[["vehicle_id", "date"]].drop_duplicates()
    )
    off = {(v, D(day)) for v, listed in days.items() for day in listed}
    flags = [(v, d) not in off for v, d in zip(table["vehicle_id"], table["date"], strict=True)]
    table = table.assign(has_data=pd.array(flags, dtype="boolean")).reset_index(drop=True)
    return dataclasses.replace(usage, **{frame: table})


def of_kind(found: pd.DataFrame, kind: str) -> pd.DataFrame:
    return found[found["kind"] == kind].reset_index(drop=True)


# Monday 4 to Friday 8 November 2024 on UTC: vehicle 7's crane on
#  - Mon 4 and Tue 5: 48 half hours = 86,400 s (24 h) each;
#  - Wed 6: 47 half hours = 84,600 s = 23.5 h exactly (the bar itself: stuck);
#  - Thu 7: 46 half hours = 82,800 s = 23 h (below the bar: not stuck, ends the run);
#  - Fri 8: 48 half hours again, a run of its own.
STUCK_ROWS = (
    whole_day(7, "Grue", "2024-11-04T00:00Z", 48)
    + whole_day(7, "Grue", "2024-11-05T00:00Z", 48)
    + whole_day(7, "Grue", "2024-11-06T00:00Z", 47)
    + whole_day(7, "Grue", "2024-11-07T00:00Z", 46)
    + whole_day(7, "Grue", "2024-11-08T00:00Z", 48)
    + [(7, "Benne", "2024-11-05T10:00Z", 900), (8, "Grue", "2024-11-04T10:00Z", 60)]
)


def test_a_stuck_input_is_one_row_per_run_of_days():
    usage = make_usage(STUCK_ROWS, PAIRS, "2024-11-04", "2024-11-08")
    stuck = of_kind(oa.findings(usage), "stuck_input")
    assert list(stuck["first_day"]) == [D("2024-11-04"), D("2024-11-08")]
    assert list(stuck["last_day"]) == [D("2024-11-06"), D("2024-11-08")]
    assert list(stuck["days"]) == [3, 1]
    # (86,400 + 86,400 + 84,600) s / 3600 = 71.5 h; then 24 h
    assert list(stuck["hours"]) == [71.5, 24.0]
    assert stuck["plate"].tolist() == ["AA-007-AA", "AA-007-AA"]
    assert stuck["sentence"][0] == (
        "Grue of AA-007-AA was on for 23.8 h a day from 4 to 6 Nov 2024 (3 days): "
        "the input is probably stuck; check the wiring."
    )  # 71.5 / 3 = 23.83 h a day
    assert stuck["sentence"][1].startswith("Grue of AA-007-AA was on for 24 h a day on 8 Nov 2024 (1 day)")
    # a bar of 23 h makes Thursday's 23 h stuck too: one run of five days, 71.5 + 23 + 24 = 118.5 h
    lower = of_kind(oa.findings(usage, stuck_hours=23), "stuck_input")
    assert lower[["days", "hours"]].values.tolist() == [[5, 118.5]]


def test_the_stuck_bar_moves_with_a_daylight_saving_day():
    # Europe/Paris, Sunday 31 March 2024 has 23 h (46 half hours from 2024-03-30T23:00Z):
    # on all day is 82,800 s, over the moved bar 23.5 h - 1 h = 22.5 h (81,000 s).
    # Monday 1 April (24 h): 47 half hours = 84,600 s = 23.5 h, stuck as well; a run of two days.
    # Saturday 30 March: 45 half hours = 81,000 s = 22.5 h on a 24 h day: not stuck.
    rows = (
        whole_day(7, "Grue", "2024-03-29T23:00Z", 45)
        + whole_day(7, "Grue", "2024-03-30T23:00Z", 46)
        + whole_day(7, "Grue", "2024-03-31T22:00Z", 47)
    )
    usage = make_usage(rows, [(7, "Grue")], "2024-03-30", "2024-04-01", api_tz="Europe/Paris")
    stuck = of_kind(oa.findings(usage), "stuck_input")
    assert stuck[["first_day", "last_day", "days"]].values.tolist() == [[D("2024-03-31"), D("2024-04-01"), 2]]
    assert stuck["hours"].tolist() == [(82_800 + 84_600) / 3600]  # 46.5 h


def test_never_used_counts_only_days_with_data():
    # vehicle 8's crane: 0 s on Fri 1 to Sun 3 Nov 2024; vehicle 7 uses both its equipment.
    rows = [(7, "Grue", "2024-11-01T08:00Z", 1800), (7, "Benne", "2024-11-02T08:00Z", 600)]
    usage = make_usage(rows, PAIRS, "2024-11-01", "2024-11-03")
    never = of_kind(oa.findings(usage), "never_used")
    assert never[["vehicle_id", "equipment", "first_day", "last_day", "days", "hours"]].values.tolist() == [
        [8, "Grue", D("2024-11-01"), D("2024-11-03"), 3, 0.0]
    ]
    assert never["sentence"][0] == (
        "Grue of AA-008-AA was never used from 1 to 3 Nov 2024 (3 days with data): check whether "
        "the machine is needed, or whether the equipment's input is wired."
    )
    # its box could not report on Sunday 3: two days with data, the last one Saturday 2
    quiet = of_kind(oa.findings(with_no_data(usage, {8: ["2024-11-03"]})), "never_used")
    assert quiet[["first_day", "last_day", "days"]].values.tolist() == [[D("2024-11-01"), D("2024-11-02"), 2]]
    # a box that never reported says nothing about use: no finding at all for vehicle 8
    silent = oa.findings(with_no_data(usage, {8: ["2024-11-01", "2024-11-02", "2024-11-03"]}))
    assert silent.empty and list(silent.columns) == list(FINDINGS)


def test_use_on_a_day_without_data_is_a_contradiction():
    # vehicle 7's tipper: 600 s on Sat 2 and 1,200 s on Sun 3, days its box could not report;
    # its crane's 1,800 s on Fri 1 are on a day with data.
    rows = [
        (7, "Grue", "2024-11-01T08:00Z", 1800),
        (7, "Benne", "2024-11-02T08:00Z", 600),
        (7, "Benne", "2024-11-03T08:00Z", 1200),
    ]
    usage = make_usage(rows, PAIRS[:2], "2024-11-01", "2024-11-03")
    assert oa.findings(usage).empty  # without has_data every day has data
    found = oa.findings(with_no_data(usage, {7: ["2024-11-02", "2024-11-03"]}))
    # the crane was not used on the two days without data, but was on Friday: not never-used either
    assert found[["equipment", "kind", "first_day", "last_day", "days"]].values.tolist() == [
        ["Benne", "use_without_data", D("2024-11-02"), D("2024-11-03"), 2]
    ]
    assert found["hours"].tolist() == [0.5]  # (600 + 1,200) s / 3600
    assert found["sentence"][0] == (
        "Benne of AA-007-AA shows 0.5 h of use from 2 to 3 Nov 2024 (2 days), when its box could not "
        "report: the platform's data contradict each other; ask Ocean's support."
    )
    # has_data given in vehicle_days only is read the same way
    by_day = oa.findings(with_no_data(usage, {7: ["2024-11-02", "2024-11-03"]}, frame="vehicle_days"))
    pd.testing.assert_frame_equal(by_day, found)


# Monday 4 to Friday 8 November 2024; Paris is UTC+1 (winter time).
NIGHT_ROWS = [
    (7, "Grue", "2024-11-04T22:00Z", 1800),  # Mon 23:00 Paris: Monday's night, 30 min
    (7, "Grue", "2024-11-05T22:00Z", 1800),  # Tue 23:00 Paris: Tuesday's night
    (7, "Grue", "2024-11-07T02:00Z", 1800),  # Thu 03:00 Paris: Wednesday's night (past midnight)
    (7, "Grue", "2024-11-07T23:00Z", 600),  # Fri 00:00 Paris: Thursday's night, only 10 min
    (7, "Grue", "2024-11-08T20:00Z", 1800),  # Fri 21:00 Paris (20:00 UTC): night in Paris only
    (7, "Benne", "2024-11-05T09:00Z", 1800),  # day work
]


def test_regular_night_use_counts_nights_of_enough_use():
    usage = make_usage(NIGHT_ROWS, PAIRS[:2], "2024-11-04", "2024-11-08")
    night = of_kind(oa.findings(usage), "night_use")
    # Paris nights of >= 30 min: Mon 4, Tue 5, Wed 6, Fri 8 -> 4 nights, 4 x 1,800 s = 2 h
    assert night[["equipment", "first_day", "last_day", "days", "hours"]].values.tolist() == [
        ["Grue", D("2024-11-04"), D("2024-11-08"), 4, 2.0]
    ]
    assert night["sentence"][0] == (
        "Grue of AA-007-AA was used at night (21:00-05:00 Europe/Paris) on 4 nights from 4 to 8 Nov "
        "2024, 2 h in all: check that this night work is planned."
    )
    # on UTC Friday's 20:00 is evening: Mon, Tue, Wed remain, 1.5 h
    utc = of_kind(oa.findings(usage, tz="UTC"), "night_use")
    assert utc[["first_day", "last_day", "days", "hours"]].values.tolist() == [
        [D("2024-11-04"), D("2024-11-06"), 3, 1.5]
    ]
    # with 10 minutes enough, Thursday's night counts: 5 nights, 2 h + 600 s = 2.1667 h
    short = of_kind(oa.findings(usage, min_night_minutes=10), "night_use")
    assert short["days"].tolist() == [5] and short["hours"].tolist() == [pytest.approx(7800 / 3600)]
    assert of_kind(oa.findings(usage, tz="UTC", min_nights=4), "night_use").empty
    # a night from 22:00 to 23:00 Paris holds only Monday's and Tuesday's 23:00 half hours
    narrow = of_kind(oa.findings(usage, night=("22:00", "23:30"), min_nights=2), "night_use")
    assert narrow[["first_day", "last_day", "days"]].values.tolist() == [
        [D("2024-11-04"), D("2024-11-05"), 2]
    ]


def test_a_night_begun_before_the_period_is_dated_by_its_first_day():
    rows = [
        (7, "Grue", "2024-11-05T01:00Z", 1800),  # Tue 02:00 Paris: Monday's night, begun before the period
        (7, "Grue", "2024-11-05T22:00Z", 1800),  # Tue 23:00 Paris: Tuesday's night
        (7, "Grue", "2024-11-06T22:00Z", 1800),  # Wed 23:00 Paris: Wednesday's night
    ]
    night = of_kind(oa.findings(make_usage(rows, PAIRS[:1], "2024-11-05", "2024-11-08")), "night_use")
    # three nights (Mon, Tue, Wed evenings), the first dated 5 Nov, the period's first day, not 4 Nov
    assert night[["first_day", "last_day", "days", "hours"]].values.tolist() == [
        [D("2024-11-05"), D("2024-11-06"), 3, 1.5]
    ]
    assert "on 3 nights from 5 to 6 Nov 2024" in night["sentence"][0]


def test_one_tidy_frame_sorted_by_kind_then_vehicle():
    rows = [
        *STUCK_ROWS[:48],
        (7, "Grue", "2024-11-05T22:00Z", 1800),
        (7, "Benne", "2024-11-06T08:00Z", 600),
    ]
    usage = make_usage(rows, PAIRS, "2024-11-04", "2024-11-06")
    usage = with_no_data(usage, {7: ["2024-11-06"]})
    found = oa.findings(usage, min_nights=1)
    # Mon 4: the crane on all day (stuck, 24 h); Wed 6: the tipper's 600 s without data; vehicle 8's
    # crane never used on its 3 days. At night (21:00-05:00 Paris = 20:00-04:00 UTC) only Tuesday's
    # 22:00 UTC half hour counts (0.5 h): the stuck Monday's night hours (8 + 8 half hours, Sunday's
    # and Monday's nights) belong to the stuck input, not to night work.
    assert found[["vehicle_id", "equipment", "kind", "first_day", "days", "hours"]].values.tolist() == [
        [7, "Grue", "stuck_input", D("2024-11-04"), 1, 24.0],
        [8, "Grue", "never_used", D("2024-11-04"), 3, 0.0],
        [7, "Benne", "use_without_data", D("2024-11-06"), 1, pytest.approx(600 / 3600)],
        [7, "Grue", "night_use", D("2024-11-05"), 1, 0.5],
    ]
    assert isinstance(found.index, pd.RangeIndex)
    assert dict(found.dtypes.astype(str)) == FINDINGS
    assert found.attrs == usage.daily.attrs


def test_frames_without_plates_name_the_vehicle():
    rows = [(7, "Grue", "2024-11-01T08:00Z", 1800)]
    usage = make_usage(rows, PAIRS, "2024-11-01", "2024-11-01")
    usage = dataclasses.replace(usage, vehicles=VEHICLES.drop(columns="plate"))
    found = oa.findings(usage)
    assert found["plate"].isna().all()
    assert found["sentence"][0].startswith(
        "Benne of vehicle 7 was never used on 1 Nov 2024 (1 day with data)"
    )
    assert found["sentence"][1].startswith("Grue of vehicle 8 was never used on 1 Nov 2024")


def test_nothing_found_is_an_empty_frame_of_the_same_columns():
    found = oa.findings(empty_usage())
    assert found.empty and isinstance(found.index, pd.RangeIndex)
    assert dict(found.dtypes.astype(str)) == FINDINGS


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"stuck_hours": 0}, "stuck_hours=0: give a number above 0 and at most 24"),
        ({"stuck_hours": 25}, "stuck_hours=25"),
        ({"stuck_hours": "23.5"}, "stuck_hours='23.5'"),
        ({"night": "21:00"}, "night='21:00'"),
        ({"night": ("21:15", "05:00")}, "'21:15' is not a time on a half hour"),
        ({"night": ("24:00", "05:00")}, "'24:00' is not a time on a half hour"),
        ({"night": ("21:00", "21:00")}, "is empty"),
        ({"tz": "Mars/Olympus"}, "tz='Mars/Olympus' is not a time zone"),
        ({"min_nights": 0}, "min_nights=0"),
        ({"min_nights": True}, "min_nights=True"),
        ({"min_nights": 2.5}, "min_nights=2.5"),
        ({"min_night_minutes": -1}, "min_night_minutes=-1: give a number from 0 to 1440"),
    ],
)
def test_bad_arguments_are_refused_by_name(options, says):
    usage = make_usage([], PAIRS, "2024-11-01", "2024-11-01")
    with pytest.raises(oa.InvalidArgumentError, match=says.replace("(", r"\(").replace(".", r"\.")):
        oa.findings(usage, **options)


def test_a_frame_instead_of_a_usage_is_refused():
    with pytest.raises(oa.InvalidArgumentError, match=r"usage must be an oa\.Usage"):
        oa.findings(frames.empty_frame(frames.DAILY))


def test_the_sentence_names_the_site_when_the_listing_gave_it():
    rows = [(7, "Grue", "2024-11-01T08:00Z", 1800)]
    usage = make_usage(rows, PAIRS, "2024-11-01", "2024-11-01")
    sites = VEHICLES.assign(entity_name=pd.Series(["Agence Lyon", None], dtype="str"))
    found = oa.findings(dataclasses.replace(usage, vehicles=sites))
    # vehicle 7's tipper (site Agence Lyon) and vehicle 8's crane (no site known) were never used
    assert found["sentence"][0].startswith("Benne of AA-007-AA (Agence Lyon) was never used on 1 Nov 2024")
    assert found["sentence"][1].startswith("Grue of AA-008-AA was never used on 1 Nov 2024")


def test_days_that_are_not_dates_are_refused():
    usage = make_usage([], PAIRS, "2024-11-01", "2024-11-01")
    text = usage.daily.assign(date=usage.daily["date"].dt.strftime("%d/%m/%Y"))
    with pytest.raises(oa.InvalidArgumentError, match=r"usage\.daily\['date'\] is .*not naive datetime64"):
        oa.findings(dataclasses.replace(usage, daily=text))

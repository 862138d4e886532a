"""No data is not no use: the days a box could not report leave every denominator.

On the Usage of tests/no_data_usage.py (read its table first): ten days on UTC,
Mon 4 to Wed 13 November 2024, five vehicle x equipment pairs; DAY = 86,400 s.
Days with data per pair: 1/Grue 10, 2/Grue 4, 2/Benne 4, 3/Toupie 0, 4/Grue 5.
Every number below is worked out from that table, by hand.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from hand_usage import weekend_usage
from no_data_usage import no_data_usage

import ocean_analytics as oa

DAY = 86_400
HALF = 1800
NAT = pd.NaT


def by_pair(frame: pd.DataFrame, column: str) -> dict[tuple[int, str], object]:
    """``column`` of a frame per (vehicle_id, equipment)."""
    keys = zip(frame["vehicle_id"], frame["equipment"].astype(str), strict=True)
    return dict(zip(keys, frame[column], strict=True))


# -- utilisation and period_totals ------------------------------------------------------------
def test_utilisation_offers_only_the_days_with_data() -> None:
    rates = oa.utilisation(no_data_usage().daily)
    assert by_pair(rates, "available_s") == {
        (1, "Grue"): 10 * DAY,  # 864,000
        (2, "Benne"): 4 * DAY,  # 345,600: Mon 4 .. Thu 7
        (2, "Grue"): 4 * DAY,
        (3, "Toupie"): 0,  # never communicated
        (4, "Grue"): 5 * DAY,  # 432,000: Sat 9 .. Wed 13
    }
    rate = by_pair(rates, "utilisation")
    assert rate[(1, "Grue")] == pytest.approx(9000 / 864_000)
    assert rate[(2, "Grue")] == pytest.approx(7200 / 345_600)
    assert rate[(2, "Benne")] == 0
    assert rate[(4, "Grue")] == pytest.approx(1800 / 432_000)
    # 900 s recorded on a day without data: counted as use, but nothing is offered: NaN, not inf
    assert by_pair(rates, "use_s")[(3, "Toupie")] == 900
    assert math.isnan(rate[(3, "Toupie")])


def test_the_fleet_rate_over_its_days_with_data() -> None:
    fleet = oa.utilisation(no_data_usage().daily, by=None)
    # 864,000 + 2 x 345,600 + 0 + 432,000 = 1,987,200 s, not 50 cells x 86,400 = 4,320,000
    assert fleet["available_s"].tolist() == [1_987_200]
    assert fleet["use_s"].tolist() == [9000 + 7200 + 900 + 1800]
    assert fleet["utilisation"].tolist() == pytest.approx([18_900 / 1_987_200])


@pytest.mark.parametrize("coverage", ["unknown", "absent"])
def test_unknown_coverage_and_old_frames_count_every_day(coverage: str) -> None:
    fleet = oa.utilisation(no_data_usage(coverage=coverage).daily, by=None)
    assert fleet["available_s"].tolist() == [50 * DAY]  # 4,320,000: every cell offers its day


def test_weekly_totals_leave_out_the_days_without_data() -> None:
    weekly = oa.period_totals(no_data_usage().daily, "W", by=None)
    assert weekly["period_start"].tolist() == [pd.Timestamp("2024-11-04"), pd.Timestamp("2024-11-11")]
    # week of Mon 4: 1/Grue 7 days, 2/Grue and 2/Benne 4 each, 3/Toupie 0, 4/Grue Sat 9 + Sun 10
    #   = (7 + 8 + 2) x 86,400 = 1,468,800; week of Mon 11 (3 days): 1/Grue 3 + 4/Grue 3 = 518,400
    assert weekly["available_s"].tolist() == [1_468_800, 518_400]
    assert weekly["use_s"].tolist() == [9000 + 7200 + 900, 1800]
    assert weekly["utilisation"].tolist() == pytest.approx([17_100 / 1_468_800, 1800 / 518_400])
    assert weekly.attrs["freq"] == "W"


def test_period_totals_records_its_freq() -> None:
    daily = no_data_usage().daily
    assert oa.period_totals(daily, "MS").attrs["freq"] == "MS"
    assert oa.period_totals(daily, None).attrs["freq"] is None
    assert oa.period_totals(daily, "D").attrs["api_tz"] == "UTC"  # the frame's own attrs kept


def test_a_pair_without_data_in_a_period_has_no_rate() -> None:
    daily = oa.period_totals(no_data_usage().daily, "D", by=["vehicle_id", "equipment"])
    grue_2 = daily[(daily["vehicle_id"] == 2) & (daily["equipment"] == "Grue")]
    assert grue_2["available_s"].tolist() == [DAY] * 4 + [0] * 6
    assert grue_2["utilisation"].iloc[1] == pytest.approx(7200 / DAY)
    assert grue_2["utilisation"].iloc[4:].isna().all()


# -- underused: silent machines apart ---------------------------------------------------------
UNDERUSED_COLUMNS = [
    "vehicle_id",
    "equipment",
    "plate",
    "description",
    "asset_type",
    "fleet_number",
    "entity_name",
    "use_s",
    "available_s",
    "utilisation",
    "active_days",
    "status",
    "rank",
    "last_data_day",
    "silence_reason",
]


def test_underused_lists_silent_machines_apart_and_last() -> None:
    low = oa.underused(no_data_usage())
    assert list(low.columns) == UNDERUSED_COLUMNS
    # under-used (< 5 %), least used first: 4/Grue 1,800 / 432,000 = 0.42 % (installed on
    # Sat 9 and reporting since: not silent), 1/Grue 9,000 / 864,000 = 1.04 %. Then the
    # silent, by vehicle and equipment: 2/Benne, 2/Grue (no data on Wed 13), 3/Toupie (never).
    assert list(zip(low["vehicle_id"], low["equipment"].astype(str), strict=True)) == [
        (4, "Grue"),
        (1, "Grue"),
        (2, "Benne"),
        (2, "Grue"),
        (3, "Toupie"),
    ]
    assert low["status"].tolist() == ["under-used"] * 2 + ["silent"] * 3
    assert low["rank"].tolist() == [1, 2, pd.NA, pd.NA, pd.NA]
    assert low["rank"].dtype == "Int64"
    assert low["last_data_day"].tolist() == [
        NAT,
        NAT,
        pd.Timestamp("2024-11-07"),
        pd.Timestamp("2024-11-07"),
        NAT,
    ]
    reasons = low["silence_reason"].tolist()
    assert reasons[2:4] == ["Boîtier débranché"] * 2
    assert all(pd.isna(r) for r in (reasons[0], reasons[1], reasons[4]))
    # a silent row shows its rate over its days with data: 2/Grue 7,200 / 345,600; 3/Toupie none
    assert low["utilisation"].tolist()[:4] == pytest.approx(
        [1800 / 432_000, 9000 / 864_000, 0, 7200 / 345_600]
    )
    assert math.isnan(low["utilisation"].iloc[4])
    assert low["plate"].tolist() == ["AA-004-AA", "AA-001-AA", "AA-002-AA", "AA-002-AA", "AA-003-AA"]
    assert low["entity_name"].tolist() == ["Nantes", "Lyon", "Lyon", "Lyon", "Nantes"]
    assert isinstance(low.index, pd.RangeIndex)


def test_a_silent_machine_is_listed_whatever_the_threshold() -> None:
    low = oa.underused(no_data_usage(), threshold=0, by="vehicle_id")
    # no row under 0; vehicles 2 (silent after Thu 7) and 3 (never communicated) apart
    assert low["vehicle_id"].tolist() == [2, 3]
    assert low["status"].tolist() == ["silent", "silent"]
    assert low["available_s"].tolist() == [8 * DAY, 0]


def test_underused_of_a_site_silent_only_when_all_its_machines_are() -> None:
    low = oa.underused(no_data_usage(), by="entity_name")
    # Lyon: (9,000 + 7,200) / (864,000 + 691,200) = 1.04 %; Nantes: (900 + 1,800) / 432,000
    # = 0.625 %. Each site keeps a reporting machine (1 and 4): neither is silent.
    assert low["entity_name"].tolist() == ["Nantes", "Lyon"]
    assert low["utilisation"].tolist() == pytest.approx([2700 / 432_000, 16_200 / 1_555_200])
    assert low["status"].tolist() == ["under-used", "under-used"]
    assert low["last_data_day"].isna().all()
    silent_site = oa.underused(no_data_usage(), by="asset_type")
    # asset type "Toupie" is vehicle 3 alone: silent, shown last; "Porteur" 18,000 / 1,987,200
    assert silent_site["asset_type"].tolist() == ["Porteur", "Toupie"]
    assert silent_site["status"].tolist() == ["under-used", "silent"]


def test_underused_per_equipment_gives_the_group_why_it_is_silent() -> None:
    low = oa.underused(no_data_usage(), by="equipment")
    # Grue: 1/, 2/ and 4/Grue, (9,000 + 7,200 + 1,800) / (864,000 + 345,600 + 432,000)
    # = 18,000 / 1,641,600 = 1.10 %: under-used. Benne is 2/Benne alone, Toupie 3/Toupie
    # alone: both silent, with their box's last day and reason.
    assert low["equipment"].astype(str).tolist() == ["Grue", "Benne", "Toupie"]
    assert low["utilisation"].iloc[0] == pytest.approx(18_000 / 1_641_600)
    assert low["status"].tolist() == ["under-used", "silent", "silent"]
    assert low["last_data_day"].tolist() == [NAT, pd.Timestamp("2024-11-07"), NAT]
    assert low["silence_reason"].iloc[1] == "Boîtier débranché"
    assert low["available_s"].tolist() == [1_641_600, 4 * DAY, 0]


@pytest.mark.parametrize("coverage", ["unknown", "absent"])
def test_without_known_coverage_nothing_is_silent(coverage: str) -> None:
    low = oa.underused(no_data_usage(coverage=coverage), by="vehicle_id")
    # every day counts: 3: 900 / 864,000 = 0.10 %; 4: 1,800 / 864,000 = 0.21 %;
    # 2: 7,200 / 1,728,000 = 0.42 %; 1: 9,000 / 864,000 = 1.04 %
    assert low["vehicle_id"].tolist() == [3, 4, 2, 1]
    assert low["status"].tolist() == ["under-used"] * 4
    assert low["rank"].tolist() == [1, 2, 3, 4]


def test_underused_of_a_usage_without_silence_columns() -> None:
    low = oa.underused(no_data_usage(listing=False))
    assert "last_data_day" not in low.columns and "silence_reason" not in low.columns
    assert low["status"].tolist() == ["under-used"] * 2 + ["silent"] * 3  # has_data still read


def test_underused_of_a_rates_frame_has_no_silent_rows() -> None:
    rates = oa.utilisation(no_data_usage().daily, by="vehicle_id")
    low = oa.underused(rates, by="vehicle_id")
    # a frame says nothing of silence: 2 is ranked with the others. 4: 1,800 / 432,000 =
    # 0.42 %; 1: 9,000 / 864,000 and 2: 7,200 / 691,200, both 1/96 (tie: vehicle order);
    # 3 offers nothing (NaN): not under-used
    assert low["vehicle_id"].tolist() == [4, 1, 2]
    assert low["status"].tolist() == ["under-used"] * 3
    assert low.columns[-1] == "rank"


def test_underused_of_its_own_result_keeps_the_silent_apart() -> None:
    low = oa.underused(no_data_usage())
    again = oa.underused(low, threshold=0.005)
    # under 0.5 %: 4/Grue (0.42 %) only; 1/Grue (1.04 %) goes; the three silent stay apart
    assert again["vehicle_id"].tolist() == [4, 2, 2, 3]
    assert again["status"].tolist() == ["under-used"] + ["silent"] * 3
    assert again["rank"].tolist() == [1, pd.NA, pd.NA, pd.NA]


def test_has_data_from_vehicle_days_when_daily_lacks_it() -> None:
    usage = no_data_usage()
    usage = dataclasses.replace(usage, daily=usage.daily.drop(columns="has_data"))
    assert oa.underused(usage, by="vehicle_id")["status"].tolist() == [
        "under-used",
        "under-used",
        "silent",
        "silent",
    ]
    shifts = oa.shift_utilisation(usage, tz="UTC", by=None)
    assert shifts["shift_available_s"].tolist() == [820_800]  # as in the test below


# -- shift_utilisation -------------------------------------------------------------------------
def test_shift_hours_of_days_without_data_are_not_offered() -> None:
    shifts = oa.shift_utilisation(no_data_usage(), tz="UTC")
    # 07:00-19:00 Mon-Fri: 24 half hours on each of the 8 weekdays (4-8, 11-13).
    # 1/Grue: 8 days x 24 x 1800 = 345,600; 2/*: Mon 4 .. Thu 7, 4 days = 172,800;
    # 3/Toupie: none; 4/Grue: Mon 11 .. Wed 13, 3 days = 129,600.
    assert by_pair(shifts, "shift_available_s") == {
        (1, "Grue"): 345_600,
        (2, "Benne"): 172_800,
        (2, "Grue"): 172_800,
        (3, "Toupie"): 0,
        (4, "Grue"): 129_600,
    }
    rate = by_pair(shifts, "shift_utilisation")
    assert rate[(1, "Grue")] == pytest.approx(9000 / 345_600)
    assert rate[(2, "Grue")] == pytest.approx(7200 / 172_800)
    assert rate[(4, "Grue")] == pytest.approx(1800 / 129_600)
    assert math.isnan(rate[(3, "Toupie")])
    assert by_pair(shifts, "in_shift_s")[(3, "Toupie")] == 900  # Wed 6 12:00, still counted


def test_shift_utilisation_of_the_fleet_and_per_site() -> None:
    fleet = oa.shift_utilisation(no_data_usage(), tz="UTC", by=None)
    # 345,600 + 2 x 172,800 + 0 + 129,600 = 820,800 (every day: 5 x 345,600 = 1,728,000)
    assert fleet["shift_available_s"].tolist() == [820_800]
    assert fleet["shift_utilisation"].tolist() == pytest.approx([18_900 / 820_800])
    sites = oa.shift_utilisation(no_data_usage(), tz="UTC", by="entity_name")
    assert sites["entity_name"].tolist() == ["Lyon", "Nantes"]
    assert sites["shift_available_s"].tolist() == [691_200, 129_600]
    old = oa.shift_utilisation(no_data_usage(coverage="absent"), tz="UTC", by=None)
    assert old["shift_available_s"].tolist() == [1_728_000]


# -- occupancy_profile -------------------------------------------------------------------------
def share(profile: pd.DataFrame, weekday: str, time: str) -> float:
    """The one share of ``weekday`` at ``time``."""
    (found,) = profile.loc[(profile["weekday"] == weekday) & (profile["time"] == time), "share"]
    return found


def test_profile_offers_only_the_half_hours_with_data() -> None:
    profile = oa.occupancy_profile(no_data_usage(), tz="UTC")
    # Monday 08:00 occurs twice (4 and 11 Nov) x 5 pairs = 10 half hours; without data on
    # Mon 4: 3/Toupie, 4/Grue; on Mon 11: 2/Grue, 2/Benne, 3/Toupie: 10 - 5 = 5 offered.
    assert share(profile, "Monday", "08:00") == pytest.approx(1800 / (5 * HALF))
    assert share(profile, "Monday", "10:00") == pytest.approx(1800 / (5 * HALF))  # 4/Grue on Mon 11
    assert share(profile, "Tuesday", "09:00") == pytest.approx(1800 / (5 * HALF))  # 2/Grue on Tue 5
    assert share(profile, "Wednesday", "12:00") == pytest.approx(900 / (5 * HALF))  # 3/Toupie on Wed 6
    # Saturday 10:00 occurs once (9 Nov); 2/Grue, 2/Benne and 3/Toupie have no data: 2 offered
    assert share(profile, "Saturday", "10:00") == 0.0
    every_day = oa.occupancy_profile(no_data_usage(coverage="absent"), tz="UTC")
    assert share(every_day, "Monday", "08:00") == pytest.approx(1800 / (10 * HALF))


def test_profile_per_site_and_of_a_box_that_never_reported() -> None:
    sites = oa.occupancy_profile(no_data_usage(), tz="UTC", by="entity_name")
    nantes = sites[sites["entity_name"] == "Nantes"]
    # Nantes: 3/Toupie and 4/Grue; Monday 10:00 x 2 dates x 2 pairs = 4, without data 3
    # (Mon 4: both; Mon 11: 3/Toupie): 1 offered, used 1800 s by 4/Grue on Mon 11.
    assert share(nantes, "Monday", "10:00") == 1.0
    silent = oa.occupancy_profile(no_data_usage(), tz="UTC", by="vehicle_id")
    assert silent.loc[silent["vehicle_id"] == 3, "share"].isna().all()  # nothing offered: NaN
    assert silent.loc[silent["vehicle_id"] == 1, "share"].notna().sum() == 7 * 48


# -- by= takes the columns of the fleet listing ------------------------------------------------
@pytest.mark.parametrize(
    ("column", "groups"),
    [
        ("entity_name", ["Lyon", "Nantes"]),
        ("entity_id", [10, 20]),
        ("fleet_number", ["P001", "P002", "P003", "P004"]),
        ("make", ["Renault", "Volvo"]),
        ("model", ["C", "FM", "FMX", "K"]),
        ("plate", ["AA-001-AA", "AA-002-AA", "AA-003-AA", "AA-004-AA"]),
    ],
)
def test_every_helper_groups_by_the_listing_columns(column: str, groups: list[object]) -> None:
    usage = no_data_usage()
    shifts = oa.shift_utilisation(usage, tz="UTC", by=column)
    assert shifts[column].tolist() == groups
    profile = oa.occupancy_profile(usage, tz="UTC", by=column)
    assert profile[column].drop_duplicates().tolist() == groups
    assert len(profile) == 7 * 48 * len(groups)
    low = oa.underused(usage, threshold=1, by=column)
    assert sorted(low[column].tolist()) == sorted(groups)
    daily = oa.join_vehicles(usage.daily, usage.vehicles, column)
    assert oa.utilisation(daily, by=column)[column].tolist() == groups
    # all groups together offer the fleet's 1,987,200 s
    assert oa.period_totals(daily, None, by=column)["available_s"].sum() == 1_987_200


def test_make_groups_add_up_by_hand() -> None:
    low = oa.underused(no_data_usage(), threshold=1, by="make")
    # Renault: 1/Grue + 4/Grue = (9,000 + 1,800) / (864,000 + 432,000);
    # Volvo: 2/* + 3/Toupie = (7,200 + 900) / 691,200; no make is silent as a whole
    assert low["make"].tolist() == ["Renault", "Volvo"]
    assert low["utilisation"].tolist() == pytest.approx([10_800 / 1_296_000, 8100 / 691_200])


def test_a_listing_column_missing_from_an_old_usage_says_to_fetch_again() -> None:
    old = weekend_usage()  # its vehicles have no entity_name
    for call in (
        lambda: oa.shift_utilisation(old, by="entity_name"),
        lambda: oa.occupancy_profile(old, by="entity_name"),
        lambda: oa.underused(old, by="entity_name"),
    ):
        with pytest.raises(oa.InvalidArgumentError, match=r"'entity_name'.*fetch the usage again"):
            call()
    with pytest.raises(oa.InvalidArgumentError, match=r"'fleet_number'.*fetch the usage again"):
        oa.join_vehicles(old.daily, old.vehicles, "fleet_number")


def test_a_listing_column_on_the_daily_grid_says_to_join_it_in() -> None:
    with pytest.raises(
        oa.InvalidArgumentError, match=r"'entity_name'.*oa.join_vehicles\(frame, usage.vehicles"
    ):
        oa.utilisation(no_data_usage().daily, by="entity_name")

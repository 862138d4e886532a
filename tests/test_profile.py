"""occupancy_profile on hand-made usage; every share worked out below.

The weekend fleet (tests/hand_usage.py): api_tz UTC, Friday 2024-11-01 to Sunday
2024-11-03, 3 vehicle x equipment pairs. On tz="UTC" each half hour of Friday,
Saturday and Sunday occurs once, so the fleet-wide denominator is 1800 x 1 x 3 = 5400 s;
Monday to Thursday never occur (NaN).
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hand_usage import empty_usage, make_usage, weekend_usage

import ocean_analytics as oa
from ocean_analytics.analysis.profile import occupancy_profile

TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
# issue 14: the profile names its weekdays (an ordered category), 0 = Monday here
NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def share(profile: pd.DataFrame, weekday: int, time: str, **group) -> float:
    """The one share of ``weekday`` at ``time`` (in the group given as column=value)."""
    mask = (profile["weekday"] == NAMES[weekday]) & (profile["time"] == time)
    for column, value in group.items():
        mask &= profile[column] == value
    (found,) = profile.loc[mask, "share"].tolist()
    return found


def test_fleet_profile_on_utc():
    profile = occupancy_profile(weekend_usage(), tz="UTC")
    assert list(profile.columns) == ["weekday", "time", "share"]
    assert profile.dtypes.astype(str).tolist() == ["category", "str", "float64"]
    assert profile["weekday"].cat.categories.tolist() == NAMES
    assert profile["weekday"].cat.ordered
    assert isinstance(profile.index, pd.RangeIndex)
    # 7 weekdays x 48 times, Monday 00:00 first, Sunday 23:30 last.
    assert profile["weekday"].tolist() == [d for d in NAMES for _ in range(48)]
    assert profile["time"].tolist() == TIMES * 7
    assert share(profile, 4, "06:30") == pytest.approx(1500 / 5400)
    assert share(profile, 4, "07:00") == pytest.approx((900 + 1800) / 5400)  # Grue + Benne
    assert share(profile, 4, "18:30") == pytest.approx(1800 / 5400)
    assert share(profile, 4, "23:30") == pytest.approx(300 / 5400)
    assert share(profile, 5, "03:00") == pytest.approx(600 / 5400)
    assert share(profile, 5, "10:00") == pytest.approx(1200 / 5400)
    assert share(profile, 4, "08:00") == 0.0  # occurs, unused
    # Monday to Thursday never occur in the period; Sunday occurs, unused.
    assert profile.loc[profile["weekday"] < "Friday", "share"].isna().all()
    assert len(profile.loc[profile["weekday"] < "Friday"]) == 4 * 48
    assert (profile.loc[profile["weekday"] == "Sunday", "share"] == 0).all()
    # All the use comes back: 8700 s over denominators of 5400 s each.
    assert (profile["share"].sum() * 5400) == pytest.approx(8700)


def test_by_equipment_divides_by_the_pairs_of_each_group():
    profile = occupancy_profile(weekend_usage(), tz="UTC", by="equipment")
    assert list(profile.columns) == ["equipment", "weekday", "time", "share"]
    assert profile["equipment"].astype(str).tolist() == ["Benne"] * 336 + ["Grue"] * 336
    # Benne: one pair (1800 s); Grue: vehicles 7 and 8 (3600 s).
    assert share(profile, 4, "07:00", equipment="Benne") == 1.0
    assert share(profile, 5, "03:00", equipment="Benne") == pytest.approx(600 / 1800)
    assert share(profile, 4, "07:00", equipment="Grue") == pytest.approx(900 / 3600)
    assert share(profile, 4, "06:30", equipment="Grue") == pytest.approx(1500 / 3600)


def test_by_a_vehicle_column():
    profile = occupancy_profile(weekend_usage(), tz="UTC", by="asset_type")
    # Porteur is vehicle 7 with 2 pairs: Friday 07:00 = (900 + 1800) / 3600.
    assert share(profile, 4, "07:00", asset_type="Porteur") == pytest.approx(0.75)
    assert share(profile, 4, "07:00", asset_type="Tracteur") == 0.0


def test_europe_paris_shifts_the_clock_and_the_edges():
    # The period [Fri 00:00Z, Mon 00:00Z) is [Fri 01:00, Mon 01:00) in Paris (UTC+1).
    profile = occupancy_profile(weekend_usage(), tz="Europe/Paris")
    assert math.isnan(share(profile, 4, "00:00"))  # never occurs
    assert math.isnan(share(profile, 4, "00:30"))
    assert share(profile, 4, "01:00") == 0.0
    assert share(profile, 0, "00:30") == 0.0  # Monday 00:30 occurs once
    assert math.isnan(share(profile, 0, "01:00"))
    assert share(profile, 4, "07:30") == pytest.approx(1500 / 5400)  # 06:30Z
    assert share(profile, 5, "00:30") == pytest.approx(300 / 5400)  # Friday 23:30Z
    assert profile.attrs == {"api_tz": "UTC", "customer_id": 42, "profile_tz": "Europe/Paris"}


def test_dst_autumn_counts_the_repeated_two_o_clock_twice():
    # Europe/Paris, Mon 2024-10-21 to Sun 2024-10-27, one pair. Sunday's 02:00 happens
    # twice (summer then winter time): 1800 + 900 over 2 x 1800.
    usage = make_usage(
        [
            (1, "Toupie", "2024-10-27T02:00+02:00", 1800),
            (1, "Toupie", "2024-10-27T02:00+01:00", 900),
            (1, "Toupie", "2024-10-21T08:00+02:00", 1800),
        ],
        [(1, "Toupie")],
        "2024-10-21",
        "2024-10-27",
        api_tz="Europe/Paris",
    )
    profile = occupancy_profile(usage, tz="Europe/Paris")
    assert share(profile, 6, "02:00") == pytest.approx(2700 / 3600)
    assert share(profile, 6, "02:30") == 0.0
    assert share(profile, 0, "08:00") == 1.0
    assert not profile["share"].isna().any()  # every weekday x time occurs


def test_dst_spring_has_no_two_o_clock_on_sunday():
    usage = make_usage(
        [(1, "Toupie", "2024-03-31T03:00+02:00", 1800)],
        [(1, "Toupie")],
        "2024-03-25",
        "2024-03-31",
        api_tz="Europe/Paris",
    )
    profile = occupancy_profile(usage, tz="Europe/Paris")
    missing = profile.loc[profile["share"].isna(), ["weekday", "time"]]
    assert missing.values.tolist() == [["Sunday", "02:00"], ["Sunday", "02:30"]]
    assert share(profile, 6, "03:00") == 1.0


def test_empty_usage_gives_an_empty_profile():
    profile = occupancy_profile(empty_usage(), tz="UTC", by="equipment")
    assert profile.empty
    assert list(profile.columns) == ["equipment", "weekday", "time", "share"]


def test_inputs_are_not_mutated():
    usage = weekend_usage()
    before = [usage.daily.copy(), usage.half_hours.copy()]
    occupancy_profile(usage, tz="Europe/Paris", by="asset_type")
    pd.testing.assert_frame_equal(before[0], usage.daily)
    pd.testing.assert_frame_equal(before[1], usage.half_hours)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tz": "Europe/Pariss"}, "tz='Europe/Pariss' is not a time zone"),
        ({"tz": "Europe"}, "tz='Europe' is not a time zone"),  # a folder of zones
        ({"tz": "Asia/Kathmandu"}, "off the half hour"),
        ({"by": "date"}, "no column ['date']"),
        ({"by": "colour"}, "no column ['colour']"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(oa.InvalidArgumentError, match=re.escape(message)):
        occupancy_profile(weekend_usage(), **kwargs)


def test_a_frame_instead_of_a_usage_is_refused():
    with pytest.raises(oa.InvalidArgumentError, match=r"usage must be an oa.Usage"):
        occupancy_profile(weekend_usage().half_hours)


def test_exported_at_top_level():
    assert oa.occupancy_profile is occupancy_profile

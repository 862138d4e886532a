"""shift_utilisation and off_hours on hand-made usage; every number worked out below.

The weekend fleet (tests/hand_usage.py), api_tz UTC, Friday 2024-11-01 to Sunday
2024-11-03: the period is 3 days x 48 = 144 half hours. Default shift 07:00-19:00,
Monday to Friday: only Friday 07:00 ... 18:30 is in shift, 24 half hours, so each
vehicle x equipment pair offers 24 x 1800 = 43,200 s.

On tz="UTC":
- 7/Grue: 06:30 (1500) night, 07:00 (900) in, 18:30 (1800) in, 19:00 (600) night,
  23:30 (300) night, Sat 10:00 (1200) weekend -> in 2700, night 2400, weekend 1200.
- 7/Benne: Fri 07:00 (1800) in, Sat 03:00 (600) weekend.
- 8/Grue: never used.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from hand_usage import empty_usage, make_usage, weekend_usage

import ocean_analytics as oa
from ocean_analytics.analysis.shifts import off_hours, shift_utilisation

SHIFT_COLUMNS = [
    "vehicle_id",
    "equipment",
    "in_shift_s",
    "off_shift_s",
    "shift_available_s",
    "shift_utilisation",
    "off_shift_share",
]
OFF_COLUMNS = ["vehicle_id", "equipment", "night_s", "weekend_s", "off_shift_s", "off_shift_share"]


def rows(frame: pd.DataFrame) -> list[tuple]:
    """The rows of ``frame`` as plain tuples (equipment as str)."""
    if "equipment" in frame.columns:
        frame = frame.astype({"equipment": "str"})
    return [tuple(r) for r in frame.itertuples(index=False)]


def same(got: object, want: object) -> bool:
    """Floats equal to 1e-12 (NaN equal to NaN), anything else exactly equal."""
    if isinstance(want, float):
        return got == pytest.approx(want, rel=1e-12, abs=1e-15, nan_ok=True)
    return got == want


def assert_rows(frame: pd.DataFrame, expected: list[tuple]) -> None:
    """``frame`` holds exactly the ``expected`` rows, in order."""
    found = rows(frame)
    assert len(found) == len(expected), found
    for got, want in zip(found, expected, strict=True):
        assert len(got) == len(want) and all(map(same, got, want)), (got, want)


def test_default_shift_on_utc_per_vehicle_and_equipment():
    result = shift_utilisation(weekend_usage(), tz="UTC")
    assert list(result.columns) == SHIFT_COLUMNS
    assert_rows(
        result,
        [
            # Benne: 1800 / 43200 = 1/24; off share 600 / 2400
            (7, "Benne", 1800, 600, 43200, 1 / 24, 0.25),
            # Grue: 2700 / 43200 = 0.0625; off share 3600 / 6300 = 4/7
            (7, "Grue", 2700, 3600, 43200, 0.0625, 4 / 7),
            # never used: utilisation 0, off share NaN (no use, no share)
            (8, "Grue", 0, 0, 43200, 0.0, np.nan),
        ],
    )
    assert result.dtypes.astype(str).tolist() == [
        "int32",
        "category",
        "int64",
        "int64",
        "int64",
        "float64",
        "float64",
    ]
    assert isinstance(result.index, pd.RangeIndex)
    assert result.attrs == {"api_tz": "UTC", "customer_id": 42}


def test_europe_paris_reads_the_half_hours_one_hour_later():
    # In November Paris is UTC+1. The period [Fri 00:00Z, Mon 00:00Z) is
    # [Fri 01:00, Mon 01:00) local and still holds Friday 07:00-19:00 whole: 24 half hours.
    # Grue: 06:30Z = 07:30 in (1500), 07:00Z = 08:00 in (900), 18:30Z = 19:30 night,
    # 19:00Z = 20:00 night, 23:30Z = Sat 00:30 weekend, Sat 11:00 weekend.
    # in 2400, off 1800 + 600 + 300 + 1200 = 3900.
    result = shift_utilisation(weekend_usage(), tz="Europe/Paris")
    assert_rows(
        result,
        [
            (7, "Benne", 1800, 600, 43200, 1 / 24, 0.25),
            (7, "Grue", 2400, 3900, 43200, 2400 / 43200, 3900 / 6300),
            (8, "Grue", 0, 0, 43200, 0.0, np.nan),
        ],
    )


@pytest.mark.parametrize(
    "holidays",
    ["FR", ["2024-11-01"], [dt.date(2024, 11, 1)], (pd.Timestamp("2024-11-01"),)],
)
def test_toussaint_is_a_holiday_so_nothing_is_in_shift(holidays):
    # Friday 2024-11-01 is All Saints' Day: no working day is left in the period,
    # so no shift half hour (available 0, utilisation NaN) and all use is off shift.
    result = shift_utilisation(weekend_usage(), tz="UTC", holidays=holidays)
    assert_rows(
        result,
        [
            (7, "Benne", 0, 2400, 0, np.nan, 1.0),
            (7, "Grue", 0, 6300, 0, np.nan, 1.0),
            (8, "Grue", 0, 0, 0, np.nan, np.nan),
        ],
    )


def test_a_holiday_outside_the_period_changes_nothing():
    plain = shift_utilisation(weekend_usage(), tz="UTC")
    later = shift_utilisation(weekend_usage(), tz="UTC", holidays=["2024-11-04", "2024-12-25"])
    assert_rows(later, rows(plain))
    assert later["in_shift_s"].tolist() == [1800, 2700, 0]


def test_a_country_and_subdivision_pair_uses_the_regional_calendar():
    # Thursday 2024-12-26 (St Stephen's Day) is a holiday in Alsace-Moselle (FR, 57)
    # only. One half hour at 08:00Z, 1800 s; the period is that day: 24 shift half hours.
    usage = make_usage([(7, "Grue", "2024-12-26T08:00Z", 1800)], [(7, "Grue")], "2024-12-26", "2024-12-26")
    national = shift_utilisation(usage, tz="UTC", holidays="FR")
    regional = shift_utilisation(usage, tz="UTC", holidays=("FR", "57"))
    assert_rows(national, [(7, "Grue", 1800, 0, 43200, 1 / 24, 0.0)])
    assert_rows(regional, [(7, "Grue", 0, 1800, 0, np.nan, 1.0)])


def test_grouped_by_equipment_counts_every_pair_in_the_denominator():
    # Grue is held by vehicles 7 and 8: 2 pairs x 43200 = 86400 s offered.
    result = shift_utilisation(weekend_usage(), tz="UTC", by="equipment")
    assert_rows(
        result,
        [
            ("Benne", 1800, 600, 43200, 1 / 24, 0.25),
            ("Grue", 2700, 3600, 86400, 2700 / 86400, 4 / 7),
        ],
    )


def test_grouped_by_a_vehicle_column_joins_it_in():
    result = shift_utilisation(weekend_usage(), tz="UTC", by="asset_type")
    assert result["asset_type"].tolist() == ["Porteur", "Tracteur"]
    # Porteur = vehicle 7, two pairs: in 1800 + 2700, off 600 + 3600, 86400 offered.
    assert result["in_shift_s"].tolist() == [4500, 0]
    assert result["off_shift_s"].tolist() == [4200, 0]
    assert result["shift_available_s"].tolist() == [86400, 43200]
    assert result["shift_utilisation"].tolist() == pytest.approx([4500 / 86400, 0.0])


def test_by_none_gives_one_fleet_row():
    # 3 pairs x 43200 = 129600 s; in 4500, off 4200 of 8700 used.
    result = shift_utilisation(weekend_usage(), tz="UTC", by=None)
    assert list(result.columns) == SHIFT_COLUMNS[2:]
    assert result[["in_shift_s", "off_shift_s", "shift_available_s"]].values.tolist() == [
        [4500, 4200, 129600]
    ]
    assert result.loc[0, "shift_utilisation"] == pytest.approx(4500 / 129600)
    assert result.loc[0, "off_shift_share"] == pytest.approx(4200 / 8700)


def test_an_overnight_shift_wraps_past_midnight():
    # 22:00-06:00, Monday to Friday, UTC. Shift half hours of the period:
    # Fri 00:00-05:30 (Thursday's shift, 12) + Fri 22:00-23:30 and Sat 00:00-05:30
    # (Friday's shift, 4 + 12); Saturday's and Sunday's shifts are not worked: 28.
    # Grue: only Fri 23:30 (300) is in shift; Benne: Sat 03:00 (600), Friday's shift.
    result = shift_utilisation(weekend_usage(), shift=("22:00", "06:00"), tz="UTC")
    assert_rows(
        result,
        [
            (7, "Benne", 600, 1800, 28 * 1800, 600 / 50400, 0.75),
            (7, "Grue", 300, 6000, 28 * 1800, 300 / 50400, 6000 / 6300),
            (8, "Grue", 0, 0, 28 * 1800, 0.0, np.nan),
        ],
    )


def test_a_whole_day_shift_every_day_counts_every_half_hour():
    result = shift_utilisation(weekend_usage(), shift=("00:00", "24:00"), weekdays=range(7), tz="UTC")
    # 144 half hours x 1800 = 259200 s; all use is in shift.
    assert result["shift_available_s"].tolist() == [259200] * 3
    assert result["in_shift_s"].tolist() == [2400, 6300, 0]
    assert result["off_shift_s"].tolist() == [0, 0, 0]


def autumn_week():
    """Europe/Paris api_tz, Mon 2024-10-21 to Sun 2024-10-27 (clocks go back on Sunday)."""
    return make_usage(
        [
            (1, "Toupie", "2024-10-27T02:00+02:00", 1800),  # first 02:00 (summer time)
            (1, "Toupie", "2024-10-27T02:00+01:00", 900),  # second 02:00 (winter time)
            (1, "Toupie", "2024-10-21T08:00+02:00", 1800),  # Monday
        ],
        [(1, "Toupie")],
        "2024-10-21",
        "2024-10-27",
        api_tz="Europe/Paris",
    )


def test_dst_autumn_sunday_counts_its_fifty_real_half_hours():
    usage = autumn_week()
    # Sunday 01:00-04:00 local holds 01:00, 01:30, 02:00, 02:30, 02:00, 02:30, 03:00,
    # 03:30: 8 real half hours = 14400 s. Monday is not a working day here: weekend.
    night = shift_utilisation(usage, shift=("01:00", "04:00"), weekdays=(6,))
    assert_rows(night, [(1, "Toupie", 2700, 1800, 14400, 2700 / 14400, 1800 / 4500)])
    # The whole week: 6 x 48 + 50 = 338 half hours.
    week = shift_utilisation(usage, shift=("00:00", "24:00"), weekdays=range(7))
    assert week["shift_available_s"].tolist() == [338 * 1800]


def test_dst_spring_sunday_has_no_two_o_clock():
    usage = make_usage(
        [(1, "Toupie", "2024-03-31T03:00+02:00", 1800)],
        [(1, "Toupie")],
        "2024-03-25",
        "2024-03-31",
        api_tz="Europe/Paris",
    )
    # Sunday 01:00-04:00 local: 01:00, 01:30, 03:00, 03:30 (02:00 and 02:30 never happen).
    night = shift_utilisation(usage, shift=("01:00", "04:00"), weekdays=(6,))
    assert_rows(night, [(1, "Toupie", 1800, 0, 4 * 1800, 0.25, 0.0)])
    week = shift_utilisation(usage, shift=("00:00", "24:00"), weekdays=range(7))
    assert week["shift_available_s"].tolist() == [(6 * 48 + 46) * 1800]


def test_off_hours_ranks_groups_with_off_shift_use():
    result = off_hours(weekend_usage(), tz="UTC")
    assert list(result.columns) == OFF_COLUMNS
    assert_rows(
        result,
        [
            (7, "Grue", 2400, 1200, 3600, 4 / 7),  # 06:30 + 19:00 + 23:30; Saturday 10:00
            (7, "Benne", 0, 600, 600, 0.25),  # Saturday 03:00
        ],
    )  # vehicle 8 never ran: left out
    assert isinstance(result.index, pd.RangeIndex)
    assert result.attrs == {"api_tz": "UTC", "customer_id": 42}


def test_off_hours_counts_holidays_as_weekend():
    result = off_hours(weekend_usage(), tz="UTC", holidays="FR")
    assert_rows(result, [(7, "Grue", 0, 6300, 6300, 1.0), (7, "Benne", 0, 2400, 2400, 1.0)])


def test_off_hours_of_an_overnight_shift():
    # Friday daytime is outside the 22:00-06:00 shift of a working day: night_s.
    result = off_hours(weekend_usage(), shift=("22:00", "06:00"), tz="UTC")
    assert_rows(
        result,
        [
            (7, "Grue", 1500 + 900 + 1800 + 600, 1200, 6000, 6000 / 6300),
            (7, "Benne", 1800, 0, 1800, 0.75),
        ],
    )


def test_off_hours_fleet_wide():
    result = off_hours(weekend_usage(), tz="UTC", by=None)
    assert result[["night_s", "weekend_s", "off_shift_s"]].values.tolist() == [[2400, 1800, 4200]]


def test_empty_usage_gives_empty_frames_with_the_columns():
    assert list(shift_utilisation(empty_usage(), tz="UTC").columns) == SHIFT_COLUMNS
    assert shift_utilisation(empty_usage(), tz="UTC").empty
    assert list(off_hours(empty_usage(), tz="UTC").columns) == OFF_COLUMNS
    assert off_hours(empty_usage(), tz="UTC", by=None).empty


def test_inputs_are_not_mutated():
    usage = weekend_usage()
    before = [usage.daily.copy(), usage.half_hours.copy(), usage.vehicles.copy()]
    shift_utilisation(usage, tz="UTC", by="asset_type", holidays="FR")
    off_hours(usage, tz="UTC", by="asset_type")
    for old, new in zip(before, [usage.daily, usage.half_hours, usage.vehicles], strict=True):
        pd.testing.assert_frame_equal(old, new)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"shift": ("07:15", "19:00")}, "shift start"),
        ({"shift": ("7:00", "19:00")}, "shift start"),
        ({"shift": ("07:00", "24:30")}, "shift end"),
        ({"shift": ("24:00", "06:00")}, "shift start"),
        ({"shift": ("07:00", "07:00")}, "empty"),
        ({"shift": "07:00-19:00"}, "shift="),
        ({"shift": ("07:00",)}, "shift="),
        ({"weekdays": (0, 7)}, "weekdays"),
        ({"weekdays": ("mon",)}, "weekdays"),
        ({"weekdays": ()}, "weekdays"),
        ({"tz": "Mars/Olympus"}, "tz="),
        ({"tz": 1}, "tz="),
        ({"holidays": "XX"}, "holidays='XX'"),
        ({"holidays": ("FR", "99")}, "holidays=('FR', '99')"),
        ({"holidays": 2024}, "holidays=2024"),
        ({"holidays": ["01/11/2024"]}, "holidays[...]"),
        ({"by": "date"}, "by="),
        ({"by": ["equipment", "colour"]}, "colour"),
    ],
)
def test_bad_arguments_are_named(kwargs, named):
    for helper in (shift_utilisation, off_hours):
        with pytest.raises(oa.InvalidArgumentError, match=re.escape(named)):
            helper(weekend_usage(), **{"tz": "UTC", **kwargs})


def test_a_frame_instead_of_a_usage_is_refused():
    with pytest.raises(oa.InvalidArgumentError, match=r"usage must be an oa.Usage"):
        shift_utilisation(weekend_usage().daily)


def test_half_hours_of_a_pair_missing_from_daily_are_refused():
    usage = make_usage([(9, "Grue", "2024-11-01T08:00Z", 600)], [(7, "Grue")], "2024-11-01", "2024-11-01")
    with pytest.raises(oa.InvalidArgumentError, match=r"pairs that usage.daily lacks"):
        off_hours(usage, tz="UTC")


def test_exported_at_top_level():
    assert oa.shift_utilisation is shift_utilisation
    assert oa.off_hours is off_hours

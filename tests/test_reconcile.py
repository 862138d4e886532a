"""reconcile on a hand-made Usage whose levels agree, then broken one level at a time.

The consistent Usage (UTC, 1 and 2 October 2024), half hours as (start, seconds):
- vehicle 11 "Grue", 1 Oct: 08:00 1800, 08:30 900 -> day 2,700; 2 Oct: nothing -> 0
- vehicle 11 "Benne", 1 Oct: 08:30 600 -> day 600; 2 Oct: 14:00 1200 -> day 1,200
- vehicle 22 "Toupie", 1 Oct: nothing -> 0; 2 Oct: 10:00 1800 -> day 1,800
Period totals: 11 Grue 2,700, 11 Benne 1,800, 22 Toupie 1,800. All-DIO per vehicle-day
equals the sum: 11 -> 3,300 and 1,200; 22 -> 0 and 1,800.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

import ocean_analytics as oa
from ocean_analytics import frames
from ocean_analytics.analysis.reconcile import OVERLAP_NOTE, RECONCILE
from ocean_analytics.usage import Usage

EQUIPMENT = pd.CategoricalDtype(["Benne", "Grue", "Toupie"])
D1, D2 = pd.Timestamp("2024-10-01"), pd.Timestamp("2024-10-02")
NAT = None  # how records() shows NaT and missing values

HALF_HOURS = [
    (11, "2024-10-01", "Grue", "08:00", 1800),
    (11, "2024-10-01", "Grue", "08:30", 900),
    (11, "2024-10-01", "Benne", "08:30", 600),
    (11, "2024-10-02", "Benne", "14:00", 1200),
    (22, "2024-10-02", "Toupie", "10:00", 1800),
]
DAILY = [
    (11, "2024-10-01", "Grue", 2700),
    (11, "2024-10-02", "Grue", 0),
    (11, "2024-10-01", "Benne", 600),
    (11, "2024-10-02", "Benne", 1200),
    (22, "2024-10-01", "Toupie", 0),
    (22, "2024-10-02", "Toupie", 1800),
]
VEHICLE_DAYS = [
    (11, "2024-10-01", 3300, 3300),
    (11, "2024-10-02", 1200, 1200),
    (22, "2024-10-01", 0, 0),
    (22, "2024-10-02", 1800, 1800),
]
PERIOD = [(11, "Grue", 2700), (11, "Benne", 1800), (22, "Toupie", 1800)]


def half_hours(rows: list[tuple], tz: str = "UTC") -> pd.DataFrame:
    """Half hours from (vehicle, day, equipment, "HH:MM", seconds)."""
    frame = pd.DataFrame(rows, columns=["vehicle_id", "date", "equipment", "slot", "use_s"])
    start = pd.to_datetime(frame["date"] + " " + frame.pop("slot")).dt.tz_localize(tz)
    frame = frame.assign(start=start, end=start + pd.Timedelta(minutes=30))
    return frame.astype({**frames.half_hours_schema(tz), "equipment": EQUIPMENT})


def table(rows: list[tuple], schema: dict[str, str]) -> pd.DataFrame:
    """A frame of ``schema`` from rows, equipment with the test's categories."""
    frame = pd.DataFrame(rows, columns=list(schema))
    if "equipment" in schema:
        schema = {**schema, "equipment": EQUIPMENT}
    return frame.astype(schema)


def make_usage(**changes: list[tuple]) -> Usage:
    """The consistent Usage, with some frames' rows replaced."""
    rows = {
        "half_hours": HALF_HOURS,
        "daily": DAILY,
        "vehicle_days": VEHICLE_DAYS,
        "period": PERIOD,
        **changes,
    }
    daily = table(rows["daily"], frames.DAILY)
    daily.attrs = {"api_tz": "UTC"}
    return Usage(
        daily=daily,
        half_hours=half_hours(rows["half_hours"]),
        vehicles=frames.empty_frame(frames.VEHICLES),
        vehicle_days=table(rows["vehicle_days"], frames.VEHICLE_DAYS),
        period=table(rows["period"], frames.PERIOD),
        start=dt.date(2024, 10, 1),
        end=dt.date(2024, 10, 2),
    )


def records(findings: pd.DataFrame) -> list[tuple]:
    """The findings as tuples, missing values (NaT, NA) as None."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in findings.itertuples(index=False)]


def replaced(rows: list[tuple], index: int, row: tuple) -> list[tuple]:
    """``rows`` with the row at ``index`` replaced."""
    return [row if k == index else old for k, old in enumerate(rows)]


def test_levels_that_agree_give_an_empty_frame() -> None:
    usage = make_usage()
    findings = oa.reconcile(usage)
    assert findings.empty
    assert findings.dtypes.astype(str).to_dict() == RECONCILE
    assert findings.attrs == {"api_tz": "UTC"}


def test_a_day_total_off_its_half_hours_and_its_period() -> None:
    usage = make_usage(daily=replaced(DAILY, 0, (11, "2024-10-01", "Grue", 3000)))
    before = usage.daily.copy()
    findings = oa.reconcile(usage)
    assert records(findings) == [
        # the day says 3,000, its half hours add up to 1,800 + 900 = 2,700
        (11, D1, "Grue", "half_hours_vs_day", 3000, 2700, NAT),
        # the period says 2,700, the days add up to 3,000 + 0
        (11, NAT, "Grue", "day_vs_period", 2700, 3000, NAT),
    ]
    assert findings.dtypes.astype(str).to_dict() == RECONCILE
    assert isinstance(findings.index, pd.RangeIndex)
    pd.testing.assert_frame_equal(usage.daily, before)


def test_half_hours_of_an_equipment_missing_from_daily() -> None:
    extra = (22, "2024-10-02", "Grue", "11:00", 300)
    findings = oa.reconcile(make_usage(half_hours=[*HALF_HOURS, extra]))
    # no daily cell for 22 Grue: the day counts 0, its half hours 300
    assert records(findings) == [(22, D2, "Grue", "half_hours_vs_day", 0, 300, NAT)]


def test_a_period_total_without_days() -> None:
    findings = oa.reconcile(make_usage(period=[*PERIOD, (22, "Grue", 500)]))
    assert records(findings) == [(22, NAT, "Grue", "day_vs_period", 500, 0, NAT)]


@pytest.mark.parametrize(
    ("all_dio", "note"),
    [
        (3000, OVERLAP_NOTE),  # shortfall 300 <= overlap 600
        (2700, OVERLAP_NOTE),  # shortfall 600 == overlap 600
        (2600, NAT),  # shortfall 700 > overlap 600: no reading explains it
    ],
)
def test_all_dio_short_of_the_sum(all_dio: int, note: str | None) -> None:
    # 1 Oct, slot 08:30: Grue 900 + Benne 600; the most they can share is
    # 900 + 600 - 900 = 600 s (the 08:00 slot has one equipment: 0)
    days = replaced(VEHICLE_DAYS, 0, (11, "2024-10-01", all_dio, 3300))
    findings = oa.reconcile(make_usage(vehicle_days=days))
    assert records(findings) == [(11, D1, NAT, "all_dio_vs_equipment_sum", all_dio, 3300, note)]


def test_all_dio_above_the_sum_or_short_without_overlap() -> None:
    days = replaced(VEHICLE_DAYS, 1, (11, "2024-10-02", 1000, 1200))
    days = replaced(days, 3, (22, "2024-10-02", 2000, 1800))
    findings = oa.reconcile(make_usage(vehicle_days=days))
    assert records(findings) == [
        # 2 Oct, vehicle 11: only Benne ran, nothing overlapped
        (11, D2, NAT, "all_dio_vs_equipment_sum", 1000, 1200, NAT),
        # above the sum: never explained
        (22, D2, NAT, "all_dio_vs_equipment_sum", 2000, 1800, NAT),
    ]


def test_a_half_hour_above_1800() -> None:
    # 22 Toupie, 2 Oct, 10:00 holds 2,000 s; every total agrees with it
    usage = make_usage(
        half_hours=replaced(HALF_HOURS, 4, (22, "2024-10-02", "Toupie", "10:00", 2000)),
        daily=replaced(DAILY, 5, (22, "2024-10-02", "Toupie", 2000)),
        vehicle_days=replaced(VEHICLE_DAYS, 3, (22, "2024-10-02", 2000, 2000)),
        period=replaced(PERIOD, 2, (22, "Toupie", 2000)),
    )
    findings = oa.reconcile(usage)
    assert records(findings) == [(22, D2, "Toupie", "half_hour_over_1800", 1800, 2000, NAT)]


def test_a_day_above_86400_sorted_by_vehicle_date_level() -> None:
    usage = make_usage(
        daily=replaced(DAILY, 4, (22, "2024-10-01", "Toupie", 90_000)),
        vehicle_days=replaced(VEHICLE_DAYS, 0, (11, "2024-10-01", 3300, 3000)),
    )
    findings = oa.reconcile(usage)
    assert records(findings) == [
        (11, D1, NAT, "all_dio_vs_equipment_sum", 3300, 3000, NAT),
        (22, D1, "Toupie", "day_over_86400", 86_400, 90_000, NAT),
        (22, D1, "Toupie", "half_hours_vs_day", 90_000, 0, NAT),
        # period 1,800 against the days: 90,000 + 1,800 = 91,800
        (22, NAT, "Toupie", "day_vs_period", 1800, 91_800, NAT),
    ]


def test_day_length_follows_the_api_clock() -> None:
    # Europe/Paris: 31 Mar 2024 has 23 h (82,800 s), 27 Oct 2024 25 h (90,000 s)
    days = [
        (11, "2024-03-31", "Grue", 84_000),  # above 82,800
        (11, "2024-10-27", "Grue", 88_200),  # below 90,000: possible
        (11, "2024-10-28", "Grue", 88_200),  # above 86,400
    ]
    usage = dataclasses.replace(
        make_usage(daily=days, half_hours=[], vehicle_days=[], period=[]),
        api_tz="Europe/Paris",
    )
    findings = oa.reconcile(usage)
    over = findings[findings["level"] == "day_over_86400"]
    assert records(over) == [
        (11, pd.Timestamp("2024-03-31"), "Grue", "day_over_86400", 82_800, 84_000, NAT),
        (11, pd.Timestamp("2024-10-28"), "Grue", "day_over_86400", 86_400, 88_200, NAT),
    ]


def test_reconcile_refuses_what_is_not_a_usage() -> None:
    with pytest.raises(oa.InvalidArgumentError, match=r"oa.Usage"):
        oa.reconcile(make_usage().daily)
    broken = dataclasses.replace(make_usage(), half_hours=make_usage().half_hours.drop(columns="use_s"))
    missing = r"usage.half_hours has no column \['use_s'\]"
    with pytest.raises(oa.InvalidArgumentError, match=missing):
        oa.reconcile(broken)


def test_an_empty_usage_has_nothing_to_reconcile() -> None:
    findings = oa.reconcile(make_usage(daily=[], half_hours=[], vehicle_days=[], period=[]))
    assert findings.empty
    assert findings.dtypes.astype(str).to_dict() == RECONCILE

"""utilisation, period_totals and underused on hand-made daily grids, numbers worked out by hand.

The grid: vehicle 11 with "Grue" and "Benne", vehicle 22 with "Toupie", over 9 days
from Saturday 28 September to Sunday 6 October 2024: it crosses a week boundary
(Monday 30 September) and a month and quarter boundary (1 October).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import ocean_analytics as oa
from ocean_analytics import frames
from ocean_analytics.analysis.grouping import join_vehicles
from ocean_analytics.usage import Usage

DAY = 86_400
DAYS = pd.date_range("2024-09-28", "2024-10-06").astype("datetime64[ns]")
#            Sat 28  Sun 29  Mon 30  Tue 1  Wed 2  Thu 3  Fri 4  Sat 5  Sun 6
USE = {
    (11, "Grue"): [0, 0, 3600, 7200, 0, 1800, 0, 0, 0],  # 12,600 s on 3 days
    (11, "Benne"): [0, 0, 0, 3600, 0, 0, 0, 0, 900],  # 4,500 s on 2 days
    (22, "Toupie"): [43200, 0, 0, 0, 0, 0, 43200, 0, 0],  # 86,400 s on 2 days
}
# "Pompe" is a category with no row: it must not give an empty group.
EQUIPMENT = pd.CategoricalDtype(["Benne", "Grue", "Pompe", "PTO 1", "Toupie"])


def make_daily(use: dict[tuple[int, str], list[int]] = USE) -> pd.DataFrame:
    """The full daily grid of ``use``: one row per vehicle x day x equipment."""
    rows = [
        (vehicle, day, equipment, seconds)
        for (vehicle, equipment), values in use.items()
        for day, seconds in zip(DAYS, values, strict=True)
    ]
    daily = pd.DataFrame(rows, columns=list(frames.DAILY))
    daily = daily.astype({**frames.DAILY, "equipment": EQUIPMENT})
    daily.attrs = {"api_tz": "UTC", "customer": 7}
    return daily


def make_vehicles(plates: dict[int, str]) -> pd.DataFrame:
    """A vehicles frame with these plates, asset type "Porteur"."""
    return pd.DataFrame(
        {
            "vehicle_id": list(plates),
            "plate": list(plates.values()),
            "description": [f"Camion {v}" for v in plates],
            "category": "UNDEFINED",
            "asset_type": "Porteur",
            "motorisation": "MONO",
            "dio_enabled": True,
        }
    ).astype(frames.VEHICLES)


def make_usage(daily: pd.DataFrame, vehicles: pd.DataFrame) -> Usage:
    """A Usage holding ``daily`` and ``vehicles``, the other frames empty."""
    return Usage(
        daily=daily,
        half_hours=frames.empty_frame(frames.half_hours_schema("UTC")),
        vehicles=vehicles,
        vehicle_days=frames.empty_frame(frames.VEHICLE_DAYS),
        period=frames.empty_frame(frames.PERIOD),
        start=dt.date(2024, 9, 28),
        end=dt.date(2024, 10, 6),
    )


def test_utilisation_per_vehicle_and_equipment() -> None:
    daily = make_daily()
    before = daily.copy()
    rates = oa.utilisation(daily)
    # each pair: 9 cells x 86,400 = 777,600 s; sorted by vehicle then category order
    assert rates["vehicle_id"].tolist() == [11, 11, 22]
    assert rates["equipment"].tolist() == ["Benne", "Grue", "Toupie"]
    assert rates["use_s"].tolist() == [4500, 12600, 86400]
    assert rates["available_s"].tolist() == [777_600] * 3
    assert rates["utilisation"].tolist() == pytest.approx([4500 / 777_600, 12600 / 777_600, 1 / 9])
    assert rates["active_days"].tolist() == [2, 3, 2]
    assert rates.dtypes.astype(str).to_dict() == {
        "vehicle_id": "int32",
        "equipment": "category",
        "use_s": "int64",
        "available_s": "int64",
        "utilisation": "float64",
        "active_days": "int64",
    }
    assert isinstance(rates.index, pd.RangeIndex)
    assert rates.attrs == {"api_tz": "UTC", "customer": 7}
    pd.testing.assert_frame_equal(daily, before)


def test_utilisation_of_the_whole_fleet() -> None:
    rates = oa.utilisation(make_daily(), by=None)
    # 4,500 + 12,600 + 86,400 = 103,500 s over 27 cells x 86,400 = 2,332,800 s
    assert list(rates.columns) == ["use_s", "available_s", "utilisation", "active_days"]
    assert rates["use_s"].tolist() == [103_500]
    assert rates["available_s"].tolist() == [2_332_800]
    assert rates["utilisation"].tolist() == pytest.approx([103_500 / 2_332_800])
    # vehicle 11 used something on 30 Sep, 1, 3, 6 Oct (4); vehicle 22 on 28 Sep, 4 Oct (2)
    assert rates["active_days"].tolist() == [6]


def test_utilisation_per_vehicle_counts_a_day_once() -> None:
    rates = oa.utilisation(make_daily(), by="vehicle_id")
    # vehicle 11: 17,100 s over 2 pieces x 9 days = 18 cells = 1,555,200 s
    assert rates["vehicle_id"].tolist() == [11, 22]
    assert rates["use_s"].tolist() == [17_100, 86_400]
    assert rates["available_s"].tolist() == [1_555_200, 777_600]
    assert rates["utilisation"].tolist() == pytest.approx([17_100 / 1_555_200, 1 / 9])
    # 1 October used both pieces of vehicle 11: one active day, not two
    assert rates["active_days"].tolist() == [4, 2]


def test_utilisation_per_equipment_has_no_empty_category() -> None:
    rates = oa.utilisation(make_daily(), by=["equipment"])
    assert rates["equipment"].tolist() == ["Benne", "Grue", "Toupie"]
    assert rates["use_s"].tolist() == [4500, 12600, 86400]


def test_utilisation_by_a_vehicle_column_keeps_unknown_vehicles() -> None:
    # vehicle 22 is missing from vehicles: its asset_type is missing, its row is kept
    typed = join_vehicles(make_daily(), make_vehicles({11: "AB-123-CD"}), "asset_type")
    rates = oa.utilisation(typed, by="asset_type")
    assert rates["asset_type"].iloc[0] == "Porteur"
    assert pd.isna(rates["asset_type"].iloc[1])
    assert rates["use_s"].tolist() == [17_100, 86_400]
    assert rates["available_s"].tolist() == [18 * DAY, 9 * DAY]


def test_utilisation_of_an_empty_grid() -> None:
    rates = oa.utilisation(make_daily().iloc[:0])
    assert rates.empty
    assert list(rates.columns) == [
        "vehicle_id",
        "equipment",
        "use_s",
        "available_s",
        "utilisation",
        "active_days",
    ]


def test_weekly_totals_count_only_fetched_days() -> None:
    totals = oa.period_totals(make_daily())
    assert totals["period_start"].dtype == "datetime64[ns]"
    # weeks labelled by their Monday: 23 Sep (only Sat 28 and Sun 29 fetched) and 30 Sep
    mondays = pd.to_datetime(["2024-09-23", "2024-09-30"] * 3)
    assert totals["period_start"].tolist() == list(mondays)
    assert totals["equipment"].tolist() == ["Benne", "Benne", "Grue", "Grue", "Toupie", "Toupie"]
    assert totals["use_s"].tolist() == [0, 4500, 0, 12600, 43200, 43200]
    assert totals["use_h"].tolist() == pytest.approx([0, 1.25, 0, 3.5, 12, 12])
    # partial week: 2 days x 86,400 = 172,800 s; full week: 7 x 86,400 = 604,800 s
    assert totals["available_s"].tolist() == [172_800, 604_800] * 3
    assert totals["utilisation"].tolist() == pytest.approx(
        [0, 4500 / 604_800, 0, 12600 / 604_800, 0.25, 43200 / 604_800]
    )
    assert totals["active_days"].tolist() == [0, 2, 0, 3, 1, 1]
    assert totals.attrs == {"api_tz": "UTC", "customer": 7, "freq": "W"}  # issue 14: the freq recorded


@pytest.mark.parametrize(
    ("freq", "starts"),
    [("MS", ["2024-09-01", "2024-10-01"]), ("QS", ["2024-07-01", "2024-10-01"])],
)
def test_monthly_and_quarterly_totals_of_the_fleet(freq: str, starts: list[str]) -> None:
    totals = oa.period_totals(make_daily(), freq, by=None)
    assert totals["period_start"].tolist() == list(pd.to_datetime(starts))
    # September (28-30): Grue 3,600 + Toupie 43,200 = 46,800 s over 3 pairs x 3 days = 9 cells
    # October (1-6): Grue 9,000 + Benne 4,500 + Toupie 43,200 = 56,700 s over 18 cells
    assert totals["use_s"].tolist() == [46_800, 56_700]
    assert totals["available_s"].tolist() == [9 * DAY, 18 * DAY]
    assert totals["utilisation"].tolist() == pytest.approx([46_800 / 777_600, 56_700 / 1_555_200])
    assert totals["use_h"].tolist() == pytest.approx([13, 15.75])


def test_yearly_and_whole_period_totals() -> None:
    yearly = oa.period_totals(make_daily(), "YS", by=None)
    assert yearly["period_start"].tolist() == [pd.Timestamp("2024-01-01")]
    assert yearly["available_s"].tolist() == [2_332_800]
    whole = oa.period_totals(make_daily(), None, by="equipment")
    # one period starting on the first fetched day
    assert whole["period_start"].tolist() == [pd.Timestamp("2024-09-28")] * 3
    assert whole["use_s"].tolist() == [4500, 12600, 86400]
    assert whole["available_s"].tolist() == [777_600] * 3


def test_daily_totals_are_the_cells() -> None:
    totals = oa.period_totals(make_daily(), "D")
    assert len(totals) == 27
    row = totals[(totals["vehicle_id"] == 22) & (totals["period_start"] == "2024-10-04")]
    assert row[["use_s", "available_s", "active_days"]].values.tolist() == [[43200, DAY, 1]]
    assert row["utilisation"].tolist() == [0.5]


@pytest.mark.parametrize("freq", ["W-MON", "W-SUN", "M", "ME", "h", 7])
def test_period_totals_refuses_other_aliases(freq: object) -> None:
    with pytest.raises(oa.InvalidArgumentError, match=r"'MS'.*None"):
        oa.period_totals(make_daily(), freq)


def test_period_totals_of_an_empty_grid() -> None:
    totals = oa.period_totals(make_daily().iloc[:0], "W", by=None)
    assert totals.empty
    assert list(totals.columns) == [
        "period_start",
        "use_s",
        "use_h",
        "available_s",
        "utilisation",
        "active_days",
    ]


def _half_hours_lookalike() -> pd.DataFrame:
    half = make_daily().iloc[:3].copy()
    half["start"] = pd.Timestamp("2024-09-28 08:00", tz="UTC")
    return half


@pytest.mark.parametrize(
    ("daily", "match"),
    [
        (make_daily().drop(columns="use_s"), r"no column \['use_s'\]"),
        (_half_hours_lookalike(), "half_hours"),
        (pd.concat([make_daily(), make_daily().iloc[:2]]), "2 repeated"),
        (make_daily().astype({"date": "str"}), r"daily\['date'\]"),
        (make_daily().astype({"use_s": "float64"}), r"daily\['use_s'\]"),
        (make_daily()["use_s"], "must be a pandas DataFrame"),
    ],
)
def test_bad_daily_frames_are_refused(daily: object, match: str) -> None:
    with pytest.raises(oa.InvalidArgumentError, match=match):
        oa.utilisation(daily)
    with pytest.raises(oa.InvalidArgumentError, match=match):
        oa.period_totals(daily)


def test_unknown_by_column_is_refused() -> None:
    with pytest.raises(oa.InvalidArgumentError, match="asset_type"):
        oa.utilisation(make_daily(), by="asset_type")


PLATES = {11: "AB-123-CD", 22: "EF-456-GH", 33: "IJ-789-KL", 44: "MN-012-OP"}
# vehicles 33 and 44 never use their equipment
FLEET = {**USE, (33, "PTO 1"): [0] * 9, (44, "Grue"): [0] * 9}


def test_underused_from_a_usage_ranks_least_used_first() -> None:
    usage = make_usage(make_daily(FLEET), make_vehicles(PLATES))
    low = oa.underused(usage)
    # below 5%: 33 PTO 1 and 44 Grue (0, tie kept in vehicle order), 11 Benne (4,500 /
    # 777,600 = 0.58%), 11 Grue (12,600 / 777,600 = 1.62%); 22 Toupie (11.1%) is not
    assert low["vehicle_id"].tolist() == [33, 44, 11, 11]
    assert low["equipment"].tolist() == ["PTO 1", "Grue", "Benne", "Grue"]
    assert low["plate"].tolist() == ["IJ-789-KL", "MN-012-OP", "AB-123-CD", "AB-123-CD"]
    assert low["utilisation"].tolist() == pytest.approx([0, 0, 4500 / 777_600, 12600 / 777_600])
    assert low["rank"].tolist() == [1, 2, 3, 4]
    assert list(low.columns) == [
        "vehicle_id",
        "equipment",
        "plate",
        "description",
        "asset_type",
        "use_s",
        "available_s",
        "utilisation",
        "active_days",
        "status",  # issue 12: under-used rows apart from the silent ones (none here)
        "rank",
    ]
    assert low["status"].tolist() == ["under-used"] * 4


def test_underused_per_vehicle_and_from_a_frame() -> None:
    usage = make_usage(make_daily(FLEET), make_vehicles(PLATES))
    per_vehicle = oa.underused(usage, threshold=0.05, by="vehicle_id")
    # 11: 17,100 / 1,555,200 = 1.1%; 22: 11.1% is above
    assert per_vehicle["vehicle_id"].tolist() == [33, 44, 11]
    assert per_vehicle["description"].tolist() == ["Camion 33", "Camion 44", "Camion 11"]
    rates = oa.utilisation(usage.daily, by="equipment")
    # Benne 0.58%, Grue 12,600 / (2 x 777,600) = 0.81%, PTO 1 0%, Toupie 11.1%
    low = oa.underused(rates, threshold=0.006, by="equipment")
    assert low["equipment"].tolist() == ["PTO 1", "Benne"]
    assert "plate" not in low.columns


def test_underused_threshold_zero_keeps_nothing() -> None:
    low = oa.underused(oa.utilisation(make_daily(FLEET)), threshold=0)
    assert low.empty
    assert low.columns[-1] == "rank"


@pytest.mark.parametrize("threshold", [-0.1, 1.5, "5%", True, float("nan"), None])
def test_underused_refuses_bad_thresholds(threshold: object) -> None:
    with pytest.raises(oa.InvalidArgumentError, match="threshold"):
        oa.underused(oa.utilisation(make_daily()), threshold=threshold)


def test_underused_refuses_frames_without_rates() -> None:
    with pytest.raises(oa.InvalidArgumentError, match="utilisation"):
        oa.underused(make_daily())
    with pytest.raises(oa.InvalidArgumentError, match="vehicle_id"):
        oa.underused(oa.utilisation(make_daily(), by="equipment"))


def test_underused_numpy_threshold() -> None:
    low = oa.underused(oa.utilisation(make_daily()), threshold=np.float64(0.01))
    assert low["equipment"].tolist() == ["Benne"]


# -- days whose clock changes: a cell offers the real length of its day on api_tz --------------
def clock_change_grid(days: list[str], use: list[int], api_tz: str) -> pd.DataFrame:
    """Vehicle 11's "Grue" over ``days`` with ``use`` seconds, the frame on ``api_tz``."""
    daily = pd.DataFrame({"vehicle_id": 11, "date": pd.to_datetime(days), "equipment": "Grue", "use_s": use})
    daily = daily.astype({**frames.DAILY, "equipment": EQUIPMENT})
    daily.attrs = {"api_tz": api_tz}
    return daily


@pytest.mark.parametrize(
    ("day", "hours"),
    [("2024-10-27", 25), ("2024-03-31", 23)],  # Paris: 03:00 back to 02:00; 02:00 on to 03:00
)
def test_a_machine_on_all_of_a_clock_change_day_is_used_all_of_it(day: str, hours: int) -> None:
    daily = clock_change_grid([day], [hours * 3600], "Europe/Paris")
    rates = oa.utilisation(daily)
    assert rates["use_s"].tolist() == [hours * 3600]  # 90,000 or 82,800
    assert rates["available_s"].tolist() == [hours * 3600]
    assert rates["utilisation"].tolist() == [1.0]  # 1.042 and 0.958 with 86,400 s a day


def test_the_days_around_a_clock_change_offer_their_own_lengths() -> None:
    # Sat 26, Sun 27 (25 h), Mon 28 October 2024 on Paris, half of each day used:
    # use 43,200 + 45,000 + 43,200 = 131,400 s over 86,400 + 90,000 + 86,400 = 262,800 s = 0.5
    days = ["2024-10-26", "2024-10-27", "2024-10-28"]
    daily = clock_change_grid(days, [43_200, 45_000, 43_200], "Europe/Paris")
    whole = oa.utilisation(daily, by=None)
    assert whole[["use_s", "available_s", "active_days"]].values.tolist() == [[131_400, 262_800, 3]]
    assert whole["utilisation"].tolist() == [0.5]
    per_day = oa.period_totals(daily, "D", by=None)
    assert per_day["available_s"].tolist() == [86_400, 90_000, 86_400]
    assert per_day["utilisation"].tolist() == [0.5, 0.5, 0.5]
    # weeks: Mon 21-Sun 27 holds the 26th and the 27th (176,400 s), Mon 28 its own week
    weekly = oa.period_totals(daily, "W", by=None)
    assert weekly["available_s"].tolist() == [176_400, 86_400]


def test_the_same_day_on_utc_offers_86400_seconds() -> None:
    daily = clock_change_grid(["2024-10-27"], [43_200], "UTC")
    assert oa.utilisation(daily)["available_s"].tolist() == [86_400]
    assert oa.utilisation(daily)["utilisation"].tolist() == [0.5]

"""combine_usage on hand-made frames: stored vehicle-days and fresh ones make the frames of one parse.

Frames are made by parsing small hand-written answers (so that they have the parser's exact
columns and dtypes); every expected number is written out by hand.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import ocean_analytics as oa
from ocean_analytics.store.combine import StoredFrames, combine_usage

START, END = "2024-10-01", "2024-10-04"


def day(text, totals, halves=(), all_dio=None):
    return {
        "day": text,
        "dailyDurationSecForAllDio": sum(totals.values()) if all_dio is None else all_dio,
        "dayTotalUsePerEquipement": totals,
        "usePerHalfHour": list(halves),
    }


def half(start, end, label, use):
    return {"start": start, "end": end, "libelleEquipement": label, "useDuration": use}


def element(vehicle, days, period, **fields):
    return {
        "vehicle": {"id": vehicle, "description": f"Camion {vehicle}", **fields},
        "dailyDioUtilisation": days,
        "durationSecForAllDio": 0,
        "totalUsePerEquipementForPeriod": period,
    }


def stored_from(answer, days, *, start=START, end=END, api_tz="UTC", lone=None):
    """The StoredFrames of ``days`` ``{vehicle: [day of October]}`` of a parse of ``answer``."""
    usage = oa.parse_usage(answer, start=start, end=end, api_tz=api_tz)
    pairs = [(v, pd.Timestamp(2024, 10, d)) for v, ds in days.items() for d in ds]
    keys = pd.DataFrame(
        {
            "vehicle_id": np.array([v for v, _ in pairs], dtype=np.int32),
            "date": np.array([d for _, d in pairs], dtype="datetime64[ns]"),
        }
    )

    def rows(frame):
        picked = frame.merge(keys, on=["vehicle_id", "date"], how="left", indicator=True)["_merge"] == "both"
        return frame[picked.to_numpy()].reset_index(drop=True)

    keys["ambiguous_slots"] = [
        (lone or {}).get((v, d.day), 0) for v, d in zip(keys["vehicle_id"], keys["date"], strict=True)
    ]
    vehicles = usage.vehicles[usage.vehicles["vehicle_id"].isin(days)].reset_index(drop=True)
    return StoredFrames(keys, rows(usage.daily), rows(usage.half_hours), rows(usage.vehicle_days), vehicles)


def test_stored_and_fresh_days_of_one_vehicle_make_one_grid_with_the_period_rule():
    stored = stored_from(
        [
            element(
                7,
                [
                    day("01/10/2024", {"Grue": 600}, [half("08:00", "08:30", "Grue", 600)]),
                    day("02/10/2024", {"Grue": 100, "Benne": 50}),
                ],
                {"Grue": 9999, "Benne": 9999},
            )
        ],
        {7: [1, 2]},
    )
    # the fresh answer asked 3-4 October; its period totals (1000) are not the sums of its days (300)
    fresh = oa.parse_usage(
        [
            element(
                7, [day("03/10/2024", {"Grue": 300}, [half("09:00", "09:30", "Grue", 300)])], {"Grue": 1000}
            )
        ],
        start=START,
        end=END,
    )
    usage = combine_usage(fresh, stored, {7: "AB-123-CD"})
    daily = usage.daily
    assert list(daily["equipment"].cat.categories) == ["Benne", "Grue"]
    assert daily[["date", "equipment", "use_s"]].astype({"equipment": str}).values.tolist() == [
        [pd.Timestamp(2024, 10, 1), "Benne", 0],
        [pd.Timestamp(2024, 10, 1), "Grue", 600],
        [pd.Timestamp(2024, 10, 2), "Benne", 50],
        [pd.Timestamp(2024, 10, 2), "Grue", 100],
        [pd.Timestamp(2024, 10, 3), "Benne", 0],
        [pd.Timestamp(2024, 10, 3), "Grue", 300],
        [pd.Timestamp(2024, 10, 4), "Benne", 0],
        [pd.Timestamp(2024, 10, 4), "Grue", 0],
    ]
    # period: stored days by their day totals (Grue 600 + 100, Benne 50), fresh by the API's (1000)
    assert usage.period.astype({"equipment": str}).values.tolist() == [[7, "Benne", 50], [7, "Grue", 1700]]
    assert usage.vehicle_days["all_dio_s"].tolist() == [600, 150, 300, 0]
    assert usage.vehicle_days["equipment_sum_s"].tolist() == [600, 150, 300, 0]
    assert usage.half_hours["start"].tolist() == [
        pd.Timestamp("2024-10-01 08:00", tz="UTC"),
        pd.Timestamp("2024-10-03 09:00", tz="UTC"),
    ]
    assert usage.vehicles[["vehicle_id", "plate"]].values.tolist() == [[7, "AB-123-CD"]]
    for name in ("daily", "half_hours", "vehicles", "vehicle_days", "period"):
        names = lambda frame: [(column, dtype.name) for column, dtype in frame.dtypes.items()]  # noqa: E731
        assert names(getattr(usage, name)) == names(getattr(fresh, name))
        assert getattr(usage, name).attrs == getattr(fresh, name).attrs


def test_the_result_is_a_parse_of_the_whole_answer_when_period_totals_are_day_sums():
    days = {
        7: [
            day("01/10/2024", {"Grue": 600}, [half("08:00", "08:30", "Grue", 600)]),
            day("02/10/2024", {"Tapis": 1800}, [half("23:30", "24:00", "Tapis", 1800)]),
        ],
        8: [
            day("01/10/2024", {"PTO": 60}, [half("00:00", "00:30", "PTO", 60)]),
            day("03/10/2024", {"PTO": 30}, [half("12:00", "12:30", "PTO", 30)]),
        ],
    }
    period = {7: {"Grue": 600, "Tapis": 1800}, 8: {"PTO": 90}}
    whole = oa.parse_usage([element(v, ds, period[v]) for v, ds in days.items()], start=START, end=END)
    # stored: vehicle 7 on the 2nd and vehicle 8 on the 1st; fresh: the rest
    stored = stored_from(
        [element(7, days[7][1:], {"Tapis": 1800}), element(8, days[8][:1], {"PTO": 60})], {7: [2], 8: [1]}
    )
    fresh = oa.parse_usage(
        [element(7, days[7][:1], {"Grue": 600}), element(8, days[8][1:], {"PTO": 30})], start=START, end=END
    )
    usage = combine_usage(fresh, stored, {})
    for name in ("daily", "half_hours", "vehicles", "vehicle_days", "period"):
        pd.testing.assert_frame_equal(getattr(usage, name), getattr(whole, name), obj=name)
    assert usage.half_hours["vehicle_id"].tolist() == [7, 7, 8, 8]  # sorted by vehicle, then start


def test_a_vehicle_only_stored_and_a_vehicle_only_fresh_both_get_full_grids_and_their_rows():
    stored = stored_from(
        [element(5, [day("02/10/2024", {"Grue": 40})], {"Grue": 40}, couleur="rouge")], {5: [1, 2]}
    )
    fresh = oa.parse_usage(
        [element(9, [day("04/10/2024", {"Benne": 70})], {"Benne": 70}, tonnage=19)], start=START, end=END
    )
    usage = combine_usage(fresh, stored, {5: "AA-555-AA"})
    assert usage.vehicle_days["vehicle_id"].tolist() == [5] * 4 + [9] * 4
    assert usage.vehicle_days["all_dio_s"].tolist() == [0, 40, 0, 0, 0, 0, 0, 70]
    assert usage.daily.astype({"equipment": str})[["vehicle_id", "equipment", "use_s"]].values.tolist() == [
        [5, "Grue", 0],
        [5, "Grue", 40],
        [5, "Grue", 0],
        [5, "Grue", 0],
        [9, "Benne", 0],
        [9, "Benne", 0],
        [9, "Benne", 0],
        [9, "Benne", 70],
    ]
    vehicles = usage.vehicles
    assert vehicles["vehicle_id"].tolist() == [5, 9]
    assert vehicles["plate"].tolist()[0] == "AA-555-AA" and pd.isna(vehicles["plate"].tolist()[1])
    # the extra fields of both, in the order of the first vehicle that has each
    assert list(vehicles.columns[-2:]) == ["couleur", "tonnage"]
    assert vehicles["couleur"].tolist()[0] == "rouge" and pd.isna(vehicles["couleur"].tolist()[1])
    assert str(vehicles["tonnage"].dtype) == "Int64" and vehicles["tonnage"].tolist()[1] == 19


def test_fresh_rows_on_a_stored_vehicle_day_give_way_to_the_stored_ones():
    stored = stored_from([element(7, [day("02/10/2024", {"Grue": 40}, all_dio=55)], {"Grue": 40})], {7: [2]})
    # a server that answered the 2nd although it was not asked: the stored day stands
    fresh = oa.parse_usage(
        [element(7, [day("02/10/2024", {"Grue": 999}, all_dio=999)], {"Grue": 999})], start=START, end=END
    )
    usage = combine_usage(fresh, stored, {})
    assert usage.daily["use_s"].tolist() == [0, 40, 0, 0]
    assert usage.vehicle_days["all_dio_s"].tolist() == [0, 55, 0, 0]


def test_lone_autumn_slots_of_stored_days_are_added_and_reported():
    paris = dict(start="2024-10-26", end="2024-10-28")
    sunday = day("27/10/2024", {"Grue": 600}, [half("02:00", "02:30", "Grue", 600)])  # listed once
    with pytest.warns(UserWarning, match="autumn clock change"):
        whole = oa.parse_usage([element(7, [sunday], {"Grue": 600})], **paris, api_tz="Europe/Paris")
    assert whole.ambiguous_slots == 1
    with pytest.warns(UserWarning, match="autumn clock change"):
        stored = stored_from(
            [element(7, [sunday], {"Grue": 600})],
            {7: [26, 27, 28]},
            **paris,
            api_tz="Europe/Paris",
            lone={(7, 27): 1},
        )
    # the stored frames of a Paris parse, day 27 holding the lone slot
    empty = oa.parse_usage([], **paris, api_tz="Europe/Paris")
    with pytest.warns(UserWarning, match="1 half hour.* of an autumn clock change on Europe/Paris"):
        usage = combine_usage(empty, stored, {})
    assert usage.ambiguous_slots == 1
    for name in ("daily", "half_hours", "vehicles", "vehicle_days", "period"):
        pd.testing.assert_frame_equal(getattr(usage, name), getattr(whole, name), obj=name)
    assert usage.half_hours["start"].tolist() == [pd.Timestamp("2024-10-27 02:00+02:00")]


def test_nothing_stored_and_nothing_fresh_gives_the_empty_frames():
    empty = oa.parse_usage([], start=START, end=END)
    stored = stored_from([], {})
    usage = combine_usage(empty, stored, {})
    for name in ("daily", "half_hours", "vehicles", "vehicle_days", "period"):
        pd.testing.assert_frame_equal(getattr(usage, name), getattr(empty, name), obj=name)
    assert (usage.start, usage.end) == (dt.date(2024, 10, 1), dt.date(2024, 10, 4))
    assert np.asarray(usage.daily["use_s"]).dtype == np.int64

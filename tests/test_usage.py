"""``Usage``: its short repr and its Parquet folder (a round trip keeps frames, dtypes, attrs)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from fixtures.ocean_payloads import day, element, half
from pandas.testing import assert_frame_equal

import ocean_analytics as oa
from ocean_analytics.api.fleet import FleetVehicle
from ocean_analytics.api.noncommunicant import SILENT_BOXES, Coverage
from ocean_analytics.fetch.facts import with_facts

FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")


def small_usage() -> oa.Usage:
    """Vehicle 12: Grue 3 x 1800 s on 01/10, Benne 1800 s on 02/10; vehicle 5 idle."""
    grue = [half(s, "Grue", 1800) for s in ("08:00", "08:30", "09:00")]
    answer = [
        element(12, [day("01/10/2024", grue), day("02/10/2024", [half("14:00", "Benne", 1800)])]),
        element(5, [], period={}),
    ]
    return oa.parse_usage(answer, start="2024-10-01", end="2024-10-03")


def autumn_usage() -> oa.Usage:
    """Europe/Paris over the autumn change, a lone repeated slot, extras and plates."""
    halves = [
        half("02:00", "Grue", 600),
        half("02:30", "Toupie", 900),  # listed once: the lone repeated slot
        half("02:00", "Grue", 300),  # the second 02:00
        half("23:30", "Grue", 30),
    ]
    vehicle = {"description": "Toupie 8m3", "dioEnabled": True, "geolocalise": False, "ordre": 3}
    answer = [element(40, [day("27/10/2024", halves)], **vehicle), element(41, [], period={})]
    with pytest.warns(UserWarning, match="1 half hour"):
        usage = oa.parse_usage(
            answer,
            start="2024-10-26",
            end="2024-10-28",
            api_tz="Europe/Paris",
            plates={40: "AB-123-CD"},
        )
    return usage


def test_repr_says_period_vehicles_equipment_rows_and_hours():
    assert repr(small_usage()) == (
        "Usage 2024-10-01..2024-10-03 (3 days, api_tz='UTC'), 2 vehicles\n"
        "  equipment: 2 label(s): Benne, Grue\n"
        "  rows: daily 6, half_hours 4, vehicles 2, vehicle_days 6, period 2\n"
        "  use: 2.0 h in the daily totals"  # 4 x 1800 s
    )


def test_repr_names_a_few_labels_and_the_ambiguous_slots():
    usage = autumn_usage()
    text = repr(usage)
    assert "api_tz='Europe/Paris'" in text and "2 label(s): Grue, Toupie" in text
    assert "1 repeated autumn slot(s) listed once, placed on summer time" in text
    assert len(text.splitlines()) == 5
    many = [element(1, [day("01/10/2024", [half("08:00", f"E{k}", 60) for k in range(7)])])]
    assert "7 label(s): E0, E1, E2, E3, E4, ..." in repr(
        oa.parse_usage(many, start="2024-10-01", end="2024-10-01")
    )


def test_repr_of_a_usage_built_by_hand_with_plain_string_equipment():
    usage = small_usage()
    plain = oa.Usage(**{name: getattr(usage, name) for name in FRAMES}, start=usage.start, end=usage.end)
    plain.daily["equipment"] = plain.daily["equipment"].astype("str")
    assert "2 label(s): Benne, Grue" in repr(plain)


def test_html_repr_is_a_table_of_the_same_figures():
    text = small_usage()._repr_html_()
    rows = dict(re.findall(r"<tr><th[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td></tr>", text))
    assert rows == {
        "period": "2024-10-01 to 2024-10-03 (3 days)",
        "clock of the days (api_tz)": "UTC",
        "vehicles": "2",
        "equipment": "2 label(s): Benne, Grue",
        "use in the daily totals": "2.0 h",  # 4 x 1800 s
        "rows of daily": "6",  # 12: Benne, Grue x 3 days; 5: no equipment
        "rows of half_hours": "4",
        "rows of vehicles": "2",
        "rows of vehicle_days": "6",
        "rows of period": "2",
    }


def test_html_repr_escapes_labels_and_names_the_ambiguous_slots():
    answer = [element(3, [day("01/10/2024", [half("08:00", "<b>Grue</b> & co", 60)])])]
    text = oa.parse_usage(answer, start="2024-10-01", end="2024-10-01")._repr_html_()
    assert "<b>Grue</b>" not in text and "1 label(s): &lt;b&gt;Grue&lt;/b&gt; &amp; co" in text
    assert "repeated autumn slots listed once</th><td style='text-align:left'>1 (on summer time)" in (
        autumn_usage()._repr_html_()
    )


@pytest.mark.parametrize("build", [small_usage, autumn_usage], ids=["utc", "paris-autumn"])
def test_a_parquet_round_trip_gives_identical_frames(build, tmp_path):
    usage = build()
    usage.daily.attrs.update(customer=42, fetched_at=pd.Timestamp("2024-10-28 07:15:00.123456789", tz="UTC"))
    usage.period.attrs.update(asked_on=dt.date(2024, 10, 28), note=None)
    folder = usage.to_parquet(tmp_path / "store")
    back = oa.Usage.read_parquet(folder)
    for name in FRAMES:
        assert_frame_equal(getattr(back, name), getattr(usage, name))
        assert getattr(back, name).attrs == getattr(usage, name).attrs
    assert (back.start, back.end, back.api_tz, back.ambiguous_slots) == (
        usage.start,
        usage.end,
        usage.api_tz,
        usage.ambiguous_slots,
    )


def test_the_autumn_round_trip_keeps_the_zone_and_the_instants(tmp_path):
    back = oa.Usage.read_parquet(autumn_usage().to_parquet(tmp_path))
    assert str(back.half_hours["start"].dtype) == "datetime64[ns, Europe/Paris]"
    # 02:00 CEST = 00:00Z; lone 02:30 on CEST = 00:30Z; 02:00 CET = 01:00Z; 23:30 CET = 22:30Z
    starts = back.half_hours["start"].dt.tz_convert("UTC").dt.strftime("%H:%M").tolist()
    assert starts == ["00:00", "00:30", "01:00", "22:30"]
    assert back.ambiguous_slots == 1
    assert back.vehicles.set_index("vehicle_id").loc[40, "plate"] == "AB-123-CD"
    assert back.vehicles["ordre"].dtype == "Int64"


def test_an_empty_usage_round_trips_with_its_dtypes(tmp_path):
    usage = oa.parse_usage(b"[]", start="2024-10-01", end="2024-10-02", api_tz="Europe/Paris")
    back = oa.Usage.read_parquet(usage.to_parquet(tmp_path))
    for name in FRAMES:
        assert_frame_equal(getattr(back, name), getattr(usage, name))


def test_reading_a_folder_without_a_usage_is_a_clear_error(tmp_path):
    with pytest.raises(oa.InvalidArgumentError, match="to_parquet"):
        oa.Usage.read_parquet(tmp_path / "nothing here")
    folder = small_usage().to_parquet(tmp_path / "store")
    (folder / "usage.json").write_text("{}")
    with pytest.raises(oa.InvalidArgumentError, match="KeyError"):
        oa.Usage.read_parquet(folder)


def test_attrs_that_cannot_be_stored_are_refused_by_name(tmp_path):
    usage = small_usage()
    usage.daily.attrs["vehicles"] = {5, 12}
    with pytest.raises(oa.InvalidArgumentError, match="set"):
        usage.to_parquet(tmp_path / "store")
    assert not (tmp_path / "store").exists()  # nothing half-written


# -- the listing's and the silent boxes' columns (fetch's last step), by hand ---------------------
def silent_boxes(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(SILENT_BOXES)).astype(SILENT_BOXES)


LISTED = [FleetVehicle(12, "AB-123-CD", 7, "Dépôt Lyon Sud", "PARC-12", "Renault", "C 430")]
"""The listing holds vehicle 12 only: vehicle 5's site, fleet number, make and model are missing."""


def with_silence(usage: oa.Usage, known: bool = True) -> oa.Usage:
    """Vehicle 12's box installed 2024-10-01 05:00Z, silent from 2024-10-01 14:00Z (qualified)."""
    box = {
        "vehicle_id": 12,
        "plate": "AB-123-CD",
        "never_communicated": False,
        "installed_at": pd.Timestamp("2024-10-01 05:00", tz="UTC"),
        "last_communication_at": pd.Timestamp("2024-10-01 14:00", tz="UTC"),
        "reason": "Véhicule vendu",
    }
    coverage = (
        Coverage(known=True, boxes=silent_boxes([box])) if known else Coverage(False, refusal="403 no.")
    )
    return with_facts(usage, LISTED, coverage)


def test_the_facts_follow_the_rule_worked_out_by_hand():
    usage = with_silence(small_usage())
    # vehicle 12: data on 01/10 only (installation and last day); vehicle 5: not listed, every day
    days = usage.vehicle_days.set_index(["vehicle_id", "date"])["has_data"]
    assert days.to_dict() == {(5, pd.Timestamp(f"2024-10-0{d}")): True for d in (1, 2, 3)} | {
        (12, pd.Timestamp("2024-10-01")): True,
        (12, pd.Timestamp("2024-10-02")): False,
        (12, pd.Timestamp("2024-10-03")): False,
    }
    # vehicle 12: Benne and Grue on 3 days, with data on 01/10 only; vehicle 5 has no equipment (no rows)
    assert usage.daily.groupby("vehicle_id")["has_data"].agg(["sum", "size"]).to_dict("index") == {
        12: {"sum": 2, "size": 6}
    }
    v = usage.vehicles.set_index("vehicle_id")
    assert v.loc[12, "plate"] == "AB-123-CD" and pd.isna(v.loc[5, "plate"])
    assert (v.loc[12, "entity_id"], v.loc[12, "entity_name"], v.loc[12, "fleet_number"]) == (
        7,
        "Dépôt Lyon Sud",
        "PARC-12",
    )
    assert v.loc[5, ["entity_id", "entity_name", "make", "model"]].isna().all()
    assert (v.loc[12, "installed_on"], v.loc[12, "last_data_day"]) == (pd.Timestamp("2024-10-01"),) * 2
    assert v.loc[12, "silence_reason"] == "Véhicule vendu" and pd.isna(v.loc[5, "silence_reason"])
    assert list(v["never_communicated"]) == [False, False]
    assert all(getattr(usage, name).attrs["coverage"] == "known" for name in FRAMES)


@pytest.mark.parametrize("known", [True, False], ids=["known", "unknown"])
def test_the_new_columns_round_trip_with_their_dtypes(tmp_path, known):
    usage = with_silence(small_usage(), known)
    back = oa.Usage.read_parquet(usage.to_parquet(tmp_path / "store"))
    for name in FRAMES:
        assert_frame_equal(getattr(back, name), getattr(usage, name))
        assert getattr(back, name).attrs == getattr(usage, name).attrs
    assert str(back.vehicles["entity_id"].dtype) == "Int64"
    assert str(back.vehicle_days["has_data"].dtype) == "boolean"
    assert back.vehicle_days["has_data"].isna().all() != known


def test_an_empty_usage_with_facts_round_trips_with_its_dtypes(tmp_path):
    usage = with_silence(oa.parse_usage(b"[]", start="2024-10-01", end="2024-10-02"))
    back = oa.Usage.read_parquet(usage.to_parquet(tmp_path))
    for name in FRAMES:
        assert_frame_equal(getattr(back, name), getattr(usage, name))
    assert dict(back.vehicles.dtypes.astype(str).tail(4)) == {
        "never_communicated": "boolean",
        "installed_on": "datetime64[ns]",
        "last_data_day": "datetime64[ns]",
        "silence_reason": "str",
    }

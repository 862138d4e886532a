"""Snapshot frames: every kind of column comes back with its values, dtype and writability."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ocean_analytics.store.frames import frame_columns, read_frame, write_frame
from ocean_analytics.store.snapshots import SNAPSHOT_FORMAT, Snapshots
from ocean_analytics.usage import FRAMES, Usage


def every_kind() -> pd.DataFrame:
    paris = pd.DatetimeTZDtype("ns", "Europe/Paris")
    return pd.DataFrame({
        "vehicle_id": np.array([7, -2, 2**31 - 1], dtype="int32"),
        "use_s": np.array([0, 1800, -1], dtype="int16"),
        "share": [0.5, np.nan, -0.0],
        "flag": [True, False, True],
        "date": pd.to_datetime(["2024-10-27", "NaT", "1969-12-31"]),
        # 02:30 summer time then 02:30 winter time: only their UTC values tell them apart
        "start": pd.Series(pd.to_datetime(["2024-10-27T00:30Z", "2024-10-27T01:30Z", None], utc=True)).astype(paris),
        "equipment": pd.Categorical(["pump", None, "crane"], categories=["crane", "pump", "unused"]),
        "plate": pd.Series(["AB-123-CD", None, "é"], dtype="str"),
        "enabled": pd.array([True, None, False], dtype="boolean"),
    })


def test_every_kind_of_column_comes_back_exactly_and_writable(tmp_path):
    frame = every_kind()
    write_frame(tmp_path / "f.arrow", frame)
    back = read_frame(tmp_path / "f.arrow", frame_columns(frame), {"equipment": ["crane", "pump", "unused"]})
    pd.testing.assert_frame_equal(back, frame)
    assert back["start"].iloc[0] == pd.Timestamp("2024-10-27T02:30+02:00")
    assert back["start"].iloc[1] == pd.Timestamp("2024-10-27T02:30+01:00")
    assert list(back["equipment"].cat.categories) == ["crane", "pump", "unused"]
    back.loc[0, "use_s"] = 5  # the frame owns writable memory
    back.loc[0, "start"] = pd.Timestamp("2024-01-01", tz="Europe/Paris")
    assert back.loc[0, "use_s"] == 5 and frame.loc[0, "use_s"] == 0


def test_an_empty_frame_keeps_its_dtypes_and_categories(tmp_path):
    frame = every_kind().iloc[:0].reset_index(drop=True)
    write_frame(tmp_path / "f.arrow", frame)
    back = read_frame(tmp_path / "f.arrow", frame_columns(frame), {"equipment": ["crane", "pump", "unused"]})
    pd.testing.assert_frame_equal(back, frame)


def test_a_file_of_other_columns_is_refused(tmp_path):
    frame = every_kind()
    write_frame(tmp_path / "f.arrow", frame[["vehicle_id", "use_s"]])
    with pytest.raises(ValueError, match="columns"):
        read_frame(tmp_path / "f.arrow", frame_columns(frame), {})
    columns = {"vehicle_id": "int64", "use_s": "int16"}  # int32 values are not read as int64
    with pytest.raises(ValueError, match="cannot be read"):
        read_frame(tmp_path / "f.arrow", columns, {})


def test_a_snapshot_keeps_the_usage_and_its_attrs(tmp_path):
    frame = every_kind()
    frame.attrs = {"start": dt.date(2024, 10, 1), "fetched_at": pd.Timestamp("2024-10-03T08:00", tz="UTC"),
                   "customer_id": None}
    usage = Usage(*(frame.copy() for _ in FRAMES), start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 27),
                  api_tz="Europe/Paris", ambiguous_slots=2)
    snapshots = Snapshots(tmp_path)
    snapshots.save("k", usage)
    back = snapshots.load("k")
    assert (back.start, back.end, back.api_tz, back.ambiguous_slots) == (
        dt.date(2024, 10, 1), dt.date(2024, 10, 27), "Europe/Paris", 2)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(back, name), frame)
        assert getattr(back, name).attrs == frame.attrs


def test_a_snapshot_of_another_format_is_ignored(tmp_path):
    snapshots = Snapshots(tmp_path)
    snapshots.save("k", Usage(*(every_kind() for _ in FRAMES), start=dt.date(2024, 10, 1),
                              end=dt.date(2024, 10, 2)))
    header = tmp_path / "k" / "snapshot.json"
    header.write_text(header.read_text("utf-8").replace(f'"format": {SNAPSHOT_FORMAT}', '"format": 99'), "utf-8")
    assert snapshots.load("k") is None

"""A vehicle the server answers but was not asked: named in a warning and left out of the frames,
so that a fresh fetch and a re-run from the store give the same frames."""

from __future__ import annotations

import orjson
import pytest
from fixtures.ocean_payloads import day, element, half
from pandas.testing import assert_frame_equal
from reliability_support import USAGE, CannedOcean

import ocean_analytics as oa

ASKED, EXTRA = 5, 99
FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")


USE = {"01/10/2024": ("08:00", 1800), "02/10/2024": ("09:00", 900)}
"""Vehicle 5's crane: 1800 s on 01/10/2024 at 08:00, 900 s on 02/10/2024 at 09:00."""


def asked_only(query, token):
    """Vehicle 5 on the asked days (one or both of :data:`USE`)."""
    asked = [text for text in USE if text in (query["startDate"][0], query["endDate"][0])]
    days = [day(text, [half(USE[text][0], "Grue", USE[text][1])]) for text in asked]
    return [element(ASKED, days, description="Grue 5")]


def honest(query, token):
    return 200, "application/json", orjson.dumps(asked_only(query, token))


def with_extra(query, token):
    """The asked vehicle and vehicle 99, never asked (a shovel, 1200 s on 01/10/2024)."""
    extra = element(EXTRA, [day("01/10/2024", [half("10:00", "Pelle", 1200)])], description="Pelle 99")
    return 200, "application/json", orjson.dumps([*asked_only(query, token), extra])


def fetch(server, start, end, **options):
    return oa.fetch_usage(server.client(), start, end, [ASKED], progress=False, **options)


def test_an_unasked_vehicle_is_named_and_left_out_so_stored_and_fresh_frames_agree(tmp_path):
    with CannedOcean(honest) as server:
        expected = fetch(server, "2024-10-01", "2024-10-02")
        expected_first_day = fetch(server, "2024-10-01", "2024-10-01")
    with CannedOcean(with_extra) as server:
        with pytest.warns(UserWarning, match=r"answered 1 vehicle\(s\) that were not asked \(\[99\]\)"):
            fresh = fetch(server, "2024-10-01", "2024-10-02")
        with pytest.warns(UserWarning, match=r"\[99\]"):
            fetch(server, "2024-10-01", "2024-10-02", cache=tmp_path)
        sent = len([seen for seen in server.seen if seen.path == USAGE])
        stored = fetch(server, "2024-10-01", "2024-10-01", cache=tmp_path)  # from the store, no request
        assert len([seen for seen in server.seen if seen.path == USAGE]) == sent
    assert fresh.daily["use_s"].tolist() == [1800, 900]
    assert fresh.daily["vehicle_id"].tolist() == [ASKED, ASKED]
    assert fresh.vehicles["vehicle_id"].tolist() == [ASKED]
    assert fresh.half_hours["use_s"].sum() == 2700
    for name in FRAMES:
        assert_frame_equal(getattr(fresh, name), getattr(expected, name))
        assert_frame_equal(getattr(stored, name), getattr(expected_first_day, name))

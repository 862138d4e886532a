"""plot_profile and plot_timeline: what is drawn, against numbers worked out by hand.

The weekend fleet of tests/hand_usage.py: api_tz UTC, Friday 2024-11-01 to Sunday
2024-11-03. Matplotlib dates count days since 1970-01-01 UTC; 2024-11-01 is day
20028 (54 years x 365 + 13 leap days + 305 days of 2024 before November).
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import ocean_analytics as oa  # noqa: E402
from hand_usage import weekend_usage  # noqa: E402
from ocean_analytics.plots.time import plot_profile, plot_timeline  # noqa: E402
from ocean_analytics.analysis.profile import occupancy_profile  # noqa: E402

NOV_1 = 20028.0  # 2024-11-01 00:00 UTC in matplotlib days


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_profile_heatmap_shows_the_shares_in_percent():
    profile = occupancy_profile(weekend_usage(), tz="UTC")
    figure, ax = plt.subplots()
    assert plot_profile(profile, ax=ax) is ax
    image = ax.images[0].get_array()
    assert image.shape == (7, 48)  # Monday..Sunday x 00:00..23:30
    # Friday (row 4) 07:00 (column 14): (900 + 1800) / 5400 = 50 %.
    assert image[4, 14] == pytest.approx(50.0)
    assert image[4, 13] == pytest.approx(1500 / 5400 * 100)  # Friday 06:30
    assert image[5, 20] == pytest.approx(1200 / 5400 * 100)  # Saturday 10:00
    assert image[6].tolist() == [0.0] * 48  # Sunday occurs, unused
    assert image.mask[:4].all() and not image.mask[4:].any()  # Mon..Thu never occur
    assert image.sum() == pytest.approx(8700 / 5400 * 100)


def test_profile_heatmap_labels_and_colorbar():
    profile = occupancy_profile(weekend_usage(), tz="Europe/Paris")
    figure, ax = plt.subplots()
    plot_profile(profile, ax=ax, cmap="magma")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                            "Sat", "Sun"]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["00:00", "02:00", "04:00", "06:00", "08:00", "10:00", "12:00", "14:00",
                     "16:00", "18:00", "20:00", "22:00"]
    # A tick sits on the left edge of its half hour's column: column 4 (02:00) spans 3.5..4.5.
    assert ax.get_xticks().tolist() == [4 * k - 0.5 for k in range(12)]
    assert ax.get_xlabel() == "time of day (Europe/Paris)"
    assert ax.get_title()
    assert ax.images[0].get_cmap().name == "magma"
    assert ax.images[0].get_clim()[0] == 0
    assert len(figure.axes) == 2  # the heatmap and its colorbar, on the same figure
    assert figure.axes[1].get_ylabel() == "time in use (%)"


def test_profile_heatmap_without_an_axes_makes_its_own_figure():
    ax = plot_profile(occupancy_profile(weekend_usage(), tz="UTC"))
    assert ax.figure is not None and len(ax.images) == 1


def test_a_grouped_profile_must_be_filtered_first():
    profile = occupancy_profile(weekend_usage(), tz="UTC", by="equipment")
    with pytest.raises(oa.InvalidArgumentError, match="several groups"):
        plot_profile(profile)
    ax = plot_profile(profile[profile["equipment"] == "Benne"])
    assert ax.images[0].get_array()[4, 14] == pytest.approx(100.0)  # 1800 / 1800


def test_profile_heatmap_refuses_another_frame():
    with pytest.raises(oa.InvalidArgumentError, match=re.escape("['weekday', 'time', 'share']")):
        plot_profile(weekend_usage().daily)


def bars(ax) -> list[tuple[float, float, float]]:
    """(left, width, row centre) of every bar, left to right within rows."""
    found = [(p.get_x(), p.get_width(), p.get_y() + p.get_height() / 2) for p in ax.patches]
    return sorted(found, key=lambda bar: (bar[2], bar[0]))


def test_timeline_bars_start_at_the_half_hour_and_last_the_seconds_used():
    half_hours = weekend_usage().half_hours
    figure, ax = plt.subplots()
    assert plot_timeline(half_hours, 7, start="2024-11-01", end="2024-11-01", ax=ax) is ax
    # Friday only. Rows: Benne (0), Grue (1); x in days, width = use_s / 86400.
    expected = [
        (NOV_1 + 7 / 24, 1800 / 86400, 0),  # Benne 07:00
        (NOV_1 + 6.5 / 24, 1500 / 86400, 1),  # Grue 06:30
        (NOV_1 + 7 / 24, 900 / 86400, 1),
        (NOV_1 + 18.5 / 24, 1800 / 86400, 1),
        (NOV_1 + 19 / 24, 600 / 86400, 1),
        (NOV_1 + 23.5 / 24, 300 / 86400, 1),
    ]
    np.testing.assert_allclose(bars(ax), expected, rtol=0, atol=1e-9)  # 1e-9 days < 0.1 ms
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Benne", "Grue"]
    assert ax.get_xlim() == pytest.approx((NOV_1, NOV_1 + 1))
    assert ax.get_xlabel().startswith("time (UTC)")


def test_timeline_defaults_to_the_vehicle_days_and_reads_another_zone():
    half_hours = weekend_usage().half_hours
    ax = plot_timeline(half_hours, 7, tz="Europe/Paris", alpha=0.5)
    # All 8 half hours of vehicle 7; days Friday and Saturday in Paris (UTC+1), so the
    # axis runs from Friday 00:00 local (Thursday 23:00 UTC) to Sunday 00:00 local.
    assert len(ax.patches) == 8
    assert ax.get_xlim() == pytest.approx((NOV_1 - 1 / 24, NOV_1 + 2 - 1 / 24))
    assert bars(ax)[1] == pytest.approx((NOV_1 + 1 + 3 / 24, 600 / 86400, 0))  # Benne Sat 03:00Z
    assert {p.get_alpha() for p in ax.patches} == {0.5}
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(NOV_1 + 6.5 / 24) == "Fri 01 Nov 07:30"  # 06:30 UTC shown on Paris time


def test_timeline_refuses_unknown_vehicles_and_bad_windows():
    half_hours = weekend_usage().half_hours
    with pytest.raises(oa.InvalidArgumentError, match=re.escape("vehicle_id=8 has no half hour")):
        plot_timeline(half_hours, 8)
    with pytest.raises(oa.InvalidArgumentError, match="after end"):
        plot_timeline(half_hours, 7, start="2024-11-03", end="2024-11-01")
    with pytest.raises(oa.InvalidArgumentError, match="start='01/11/2024'"):
        plot_timeline(half_hours, 7, start="01/11/2024")
    with pytest.raises(oa.InvalidArgumentError, match="tz="):
        plot_timeline(half_hours, 7, tz="Paris")
    with pytest.raises(oa.InvalidArgumentError, match=re.escape("no column ['start']")):
        plot_timeline(weekend_usage().daily, 7)


def test_plots_leave_their_input_alone():
    usage = weekend_usage()
    half_hours = usage.half_hours.copy()
    profile = occupancy_profile(usage, tz="UTC")
    kept = profile.copy()
    plot_timeline(usage.half_hours, 7)
    plot_profile(profile)
    pd.testing.assert_frame_equal(half_hours, usage.half_hours)
    pd.testing.assert_frame_equal(kept, profile)
    assert np.isfinite(kept["share"]).sum() == 3 * 48


def test_exported_at_top_level():
    assert oa.plot_profile is plot_profile
    assert oa.plot_timeline is plot_timeline

"""plot_profile and plot_timeline: what is drawn, against numbers worked out by hand.

The weekend fleet of tests/hand_usage.py: api_tz UTC, Friday 2024-11-01 to Sunday
2024-11-03. Matplotlib dates count days since 1970-01-01 UTC; 2024-11-01 is day
20028 (54 years x 365 + 13 leap days + 305 days of 2024 before November).
"""

from __future__ import annotations

import itertools
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hand_usage import weekend_usage

import ocean_analytics as oa
from ocean_analytics.analysis.profile import occupancy_profile
from ocean_analytics.plots.time import plot_profile, plot_timeline

NOV_1 = 20028.0  # 2024-11-01 00:00 UTC in matplotlib days


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_profile_heatmap_shows_the_shares_in_percent():
    profile = occupancy_profile(weekend_usage(), tz="UTC")
    _, ax = plt.subplots()
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
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [
        "00:00",
        "02:00",
        "04:00",
        "06:00",
        "08:00",
        "10:00",
        "12:00",
        "14:00",
        "16:00",
        "18:00",
        "20:00",
        "22:00",
    ]
    # A tick sits on the left edge of its half hour's column: column 4 (02:00) spans 3.5..4.5.
    assert ax.get_xticks().tolist() == [4 * k - 0.5 for k in range(12)]
    assert ax.get_xlabel() == "time of day (Europe/Paris)"
    # what, which period (the attrs a fetch sets) and the customer
    assert ax.get_title() == "Share of time in use (%) per half hour of the week, customer 42"
    profile.attrs.update(start="2024-11-01", end="2024-11-03")
    again = plot_profile(profile)
    assert again.get_title() == (
        "Share of time in use (%) per half hour of the week, 1\N{EN DASH}3 Nov 2024, customer 42"
    )
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


def bars(ax) -> list[tuple[float, float, float, float]]:
    """(left, width, bottom edge, height) of every bar, by row then left to right.

    The y axis is inverted (row 0 on top), so a bar's bottom edge on screen is its
    largest y: ``get_y() + get_height()``.
    """
    found = [(p.get_x(), p.get_width(), p.get_y() + p.get_height(), p.get_height()) for p in ax.patches]
    return sorted(found, key=lambda bar: (round(bar[2], 6), bar[0]))


def tick_texts(ax) -> list[str]:
    """The x tick labels drawn inside the Axes (after a draw)."""
    ax.figure.canvas.draw()
    low, high = sorted(ax.get_xlim())
    return [
        t.get_text() for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True) if low <= x <= high
    ]


def test_timeline_bars_fill_their_half_hour_to_the_share_used():
    # Before issue 14 each bar was `use_s` long from the half hour's start: 300 s drew
    # 0.9 px over 3 days (a hairline). Now a bar covers its whole half hour and its
    # height says how much of it was used.
    half_hours = weekend_usage().half_hours
    _, ax = plt.subplots()
    assert plot_timeline(half_hours, 7, start="2024-11-01", end="2024-11-01", ax=ax) is ax
    # Friday only. Rows: Benne (0), Grue (1), each bar's bottom edge at row + 0.4;
    # x in days, 30 minutes wide; height 0.8 row x use_s / 1800.
    half = 1800 / 86400
    expected = [
        (NOV_1 + 7 / 24, half, 0.4, 0.8),  # Benne 07:00, 1800 s
        (NOV_1 + 6.5 / 24, half, 1.4, 0.8 * 1500 / 1800),  # Grue 06:30
        (NOV_1 + 7 / 24, half, 1.4, 0.8 * 900 / 1800),
        (NOV_1 + 18.5 / 24, half, 1.4, 0.8),
        (NOV_1 + 19 / 24, half, 1.4, 0.8 * 600 / 1800),
        (NOV_1 + 23.5 / 24, half, 1.4, 0.8 * 300 / 1800),
    ]
    np.testing.assert_allclose(bars(ax), expected, rtol=0, atol=1e-9)  # 1e-9 days < 0.1 ms
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Benne", "Grue"]
    assert ax.get_xlim() == pytest.approx((NOV_1, NOV_1 + 1))
    assert ax.get_xlabel().startswith("time (UTC)")
    # One day on a 5-inch Axes: a tick every 6 hours, midnight naming its day.
    assert tick_texts(ax) == ["00:00\nFri 01 Nov", "06:00", "12:00", "18:00", "00:00\nSat 02 Nov"]
    assert ax.xaxis.get_offset_text().get_text() == ""


def test_timeline_defaults_to_the_vehicle_days_and_reads_another_zone():
    half_hours = weekend_usage().half_hours
    ax = plot_timeline(half_hours, 7, tz="Europe/Paris", alpha=0.5)
    # All 8 half hours of vehicle 7; days Friday and Saturday in Paris (UTC+1), so the
    # axis runs from Friday 00:00 local (Thursday 23:00 UTC) to Sunday 00:00 local.
    assert len(ax.patches) == 8
    assert ax.get_xlim() == pytest.approx((NOV_1 - 1 / 24, NOV_1 + 2 - 1 / 24))
    # Benne Sat 03:00Z, 600 s: the second Benne bar (row 0)
    assert bars(ax)[1] == pytest.approx((NOV_1 + 1 + 3 / 24, 1800 / 86400, 0.4, 0.8 * 600 / 1800))
    assert {p.get_alpha() for p in ax.patches} == {0.5}
    texts = tick_texts(ax)
    assert texts[0] == "00:00\nFri 01 Nov"  # Thursday 23:00 UTC read on Paris time
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(NOV_1 + 6.5 / 24) == "07:30"  # 06:30 UTC shown on Paris time


def test_timeline_bars_stay_visible_over_long_windows():
    half_hours = weekend_usage().half_hours
    for end, least in (("2024-11-03", 3.0), ("2024-11-30", 3.0)):
        figure, ax = plt.subplots()
        plot_timeline(half_hours, 7, start="2024-11-01", end=end, ax=ax)
        figure.canvas.draw()
        extents = [p.get_window_extent() for p in ax.patches]
        # 30 minutes over 3 days on a 496 px Axes is 3.4 px; over 30 days 0.34 px,
        # drawn 3 px wide. The 300 s half hour (0.13 row) stays at least 2 px high.
        assert min(e.width for e in extents) >= least - 1e-6
        assert min(e.height for e in extents) >= 2.0 - 1e-6
        assert no_overlap(ax)


def no_overlap(ax) -> bool:
    """Whether the x tick labels drawn inside the Axes are apart from each other."""
    ax.figure.canvas.draw()
    low, high = sorted(ax.get_xlim())
    boxes = sorted(
        (
            t.get_window_extent()
            for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
            if low <= x <= high and t.get_text()
        ),
        key=lambda box: box.x0,
    )
    return len(boxes) > 1 and all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))


def test_timeline_names_the_plate_and_the_days():
    usage = weekend_usage()
    ax = plot_timeline(usage.half_hours, 7, start="2024-11-01", end="2024-11-03", vehicles=usage.vehicles)
    assert ax.get_title() == "AA-007-AA (vehicle 7): use per half hour, 1\N{EN DASH}3 Nov 2024"
    bare = plot_timeline(usage.half_hours, 7, start="2024-11-02", end="2024-11-02")
    assert bare.get_title() == "Vehicle 7: use per half hour, 2 Nov 2024"


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


def test_profile_weekdays_may_be_named():
    profile = occupancy_profile(weekend_usage(), tz="UTC")
    codes = profile["weekday"].cat.codes  # 0 for Monday .. 6 for Sunday
    numbers = plot_profile(profile.assign(weekday=codes)).images[0].get_array()
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for spelled in (names, [name[:3] for name in names]):
        named = profile.assign(weekday=codes.map(dict(enumerate(spelled))))
        image = plot_profile(named).images[0].get_array()
        assert image[4, 14] == pytest.approx(50.0)  # Friday 07:00, as with numbers
        np.testing.assert_array_equal(image.mask, numbers.mask)
    with pytest.raises(oa.InvalidArgumentError, match=re.escape("Monday..Sunday")):
        plot_profile(profile.assign(weekday="Lundi"))


@pytest.mark.parametrize("helper", ["profile", "timeline"])
def test_clock_plots_draw_on_the_given_axes_only(helper):
    usage = weekend_usage()
    figure, given = plt.subplots()
    if helper == "profile":
        drawn = plot_profile(occupancy_profile(usage, tz="UTC"), ax=given)
    else:
        drawn = plot_timeline(usage.half_hours, 7, ax=given, vehicles=usage.vehicles)
    assert drawn is given
    assert plt.get_fignums() == [figure.number]
    assert tuple(figure.get_size_inches()) == (6.4, 4.8)
    # the profile's colorbar is the only other Axes, on the same figure
    assert len(figure.axes) == (2 if helper == "profile" else 1)

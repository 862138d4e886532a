"""What plot_daily_usage, plot_utilisation and plot_period_totals draw, read back from the Axes.

The grid is test_utilisation's: vehicle 11 "Grue" and "Benne", vehicle 22 "Toupie",
9 days from Saturday 28 September to Sunday 6 October 2024.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_utilisation import DAYS, FLEET, make_daily, make_usage, make_vehicles  # noqa: E402

import ocean_analytics as oa  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def heights(ax: plt.Axes) -> list[list[float]]:
    """Bar heights (or widths for horizontal bars) of each bar container."""
    return [[bar.get_height() for bar in bars] for bars in ax.containers]


def test_daily_usage_stacks_hours_by_equipment() -> None:
    ax = oa.plot_daily_usage(make_daily())
    assert [bars.get_label() for bars in ax.containers] == ["Benne", "Grue", "Toupie"]
    #             28 29 30  1    2  3    4   5  6
    benne = [0, 0, 0, 1, 0, 0, 0, 0, 0.25]  # 3,600 s and 900 s
    grue = [0, 0, 1, 2, 0, 0.5, 0, 0, 0]  # 3,600, 7,200 and 1,800 s
    toupie = [12, 0, 0, 0, 0, 0, 12, 0, 0]  # 43,200 s twice
    assert heights(ax) == [pytest.approx(benne), pytest.approx(grue), pytest.approx(toupie)]
    bottoms = [[bar.get_y() for bar in bars] for bars in ax.containers]
    assert bottoms[1] == pytest.approx(benne)
    assert bottoms[2] == pytest.approx([b + g for b, g in zip(benne, grue, strict=True)])
    centres = [bar.get_x() + bar.get_width() / 2 for bar in ax.containers[0]]
    assert centres == pytest.approx(list(mdates.date2num(DAYS)))
    assert ax.get_ylabel() == "Use (hours)"
    assert ax.get_legend().get_title().get_text() == "equipment"


def test_daily_usage_of_the_whole_fleet_on_a_given_axes() -> None:
    figure, given = plt.subplots()
    ax = oa.plot_daily_usage(make_daily(), ax=given, by=None, color="k")
    assert ax is given
    assert plt.get_fignums() == [figure.number]
    # per day: 43,200 | 0 | 3,600 | 3,600 + 7,200 | 0 | 1,800 | 43,200 | 0 | 900 s
    assert heights(ax) == [pytest.approx([12, 0, 1, 3, 0, 0.5, 12, 0, 0.25])]
    assert ax.get_legend() is None


def test_daily_usage_of_an_empty_grid_draws_no_bar() -> None:
    ax = oa.plot_daily_usage(make_daily().iloc[:0])
    assert ax.containers == []
    assert ax.get_ylabel() == "Use (hours)"


def test_utilisation_ranking_puts_the_most_used_on_top() -> None:
    ax = oa.plot_utilisation(oa.utilisation(make_daily()))
    widths = [bar.get_width() for bar in ax.containers[0]]
    # bottom to top: 4,500 / 777,600, 12,600 / 777,600, 86,400 / 777,600, in %
    assert widths == pytest.approx([0.5787037, 1.6203704, 11.1111111])
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["11 · Benne", "11 · Grue", "22 · Toupie"]
    assert "%" in ax.get_xlabel()


def test_utilisation_ranking_top_and_plates() -> None:
    # vehicle 44 has no plate: its id names it
    vehicles = make_vehicles({11: "AB-123-CD", 22: "EF-456-GH", 33: "IJ-789-KL", 44: ""})
    low = oa.underused(make_usage(make_daily(FLEET), vehicles))
    ax = oa.plot_utilisation(low, top=3)
    # the 3 most used of 0 (33 PTO 1), 0 (44 Grue), 0.58% (11 Benne), 1.62% (11 Grue)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "44 · Grue", "AB-123-CD · Benne", "AB-123-CD · Grue"
    ]
    assert [bar.get_width() for bar in ax.containers[0]] == pytest.approx([0, 0.5787037, 1.6203704])


def test_utilisation_ranking_labels() -> None:
    by_type = oa.utilisation(make_daily(), by="equipment")
    ax = oa.plot_utilisation(by_type, label="equipment")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Benne", "Grue", "Toupie"]
    fleet = oa.plot_utilisation(oa.utilisation(make_daily(), by=None))
    assert [t.get_text() for t in fleet.get_yticklabels()] == ["all vehicles"]
    # 103,500 / 2,332,800
    assert fleet.containers[0][0].get_width() == pytest.approx(4.4367284)


@pytest.mark.parametrize("top", [0, -1, 2.5, True, "3"])
def test_utilisation_ranking_refuses_bad_top(top: object) -> None:
    with pytest.raises(oa.InvalidArgumentError, match="top"):
        oa.plot_utilisation(oa.utilisation(make_daily()), top=top)


def test_period_totals_lines_in_hours_per_equipment() -> None:
    ax = oa.plot_period_totals(oa.period_totals(make_daily(), "W"))
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Benne", "Grue", "Toupie"]
    # weeks of 23 and 30 September: 0 then 4,500 s; 0 then 12,600 s; 43,200 s each
    assert [list(line.get_ydata()) for line in lines] == [
        pytest.approx([0, 1.25]), pytest.approx([0, 3.5]), pytest.approx([12, 12])
    ]
    assert list(pd.to_datetime(lines[0].get_xdata())) == list(
        pd.to_datetime(["2024-09-23", "2024-09-30"])
    )
    assert ax.get_ylabel() == "Use (hours)"


def test_period_totals_fleet_utilisation_is_pooled() -> None:
    ax = oa.plot_period_totals(oa.period_totals(make_daily(), "W"), by=None, value="utilisation")
    # week of 23 Sep: 43,200 / (3 pairs x 172,800) = 8.333%;
    # week of 30 Sep: (4,500 + 12,600 + 43,200) / (3 x 604,800) = 3.3234%
    assert list(ax.get_lines()[0].get_ydata()) == pytest.approx([8.3333333, 3.3234127])
    assert ax.get_ylabel() == "Utilisation (% of calendar time)"
    # unequal denominators: 3,600 s over 1 day and 0 s over 3 days pool to
    # 3,600 / 345,600 = 1.0417%, not the mean of 4.1667% and 0%
    totals = pd.DataFrame(
        {
            "equipment": ["Grue", "Grue"],
            "period_start": pd.to_datetime(["2024-09-30", "2024-09-30"]),
            "use_s": [3600, 0],
            "available_s": [86_400, 3 * 86_400],
        }
    )
    pooled = oa.plot_period_totals(totals, value="utilisation")
    assert list(pooled.get_lines()[0].get_ydata()) == pytest.approx([1.0416667])


def test_period_totals_refuses_bad_arguments() -> None:
    weekly = oa.period_totals(make_daily(), "W")
    with pytest.raises(oa.InvalidArgumentError, match="value='use_s'"):
        oa.plot_period_totals(weekly, value="use_s")
    with pytest.raises(oa.InvalidArgumentError, match="period_start"):
        oa.plot_period_totals(oa.utilisation(make_daily()))
    with pytest.raises(oa.InvalidArgumentError, match="asset_type"):
        oa.plot_period_totals(weekly, by="asset_type")


def test_plots_refuse_frames_without_their_columns() -> None:
    with pytest.raises(oa.InvalidArgumentError, match="utilisation"):
        oa.plot_utilisation(make_daily())
    with pytest.raises(oa.InvalidArgumentError, match="date"):
        oa.plot_daily_usage(oa.utilisation(make_daily()))

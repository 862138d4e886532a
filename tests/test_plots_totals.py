"""What plot_daily_usage, plot_utilisation and plot_period_totals draw, read back from the Axes.

The grid is test_utilisation's: vehicle 11 "Grue" and "Benne", vehicle 22 "Toupie",
9 days from Saturday 28 September to Sunday 6 October 2024.
"""

from __future__ import annotations

import datetime as dt
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.ticker import PercentFormatter
from test_utilisation import DAYS, FLEET, make_daily, make_usage, make_vehicles

import ocean_analytics as oa
from ocean_analytics.plots.layout import Percent
from ocean_analytics.plots.periods import partial_periods, period_kind


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


def test_daily_usage_beyond_92_days_stacks_one_step_patch_per_group() -> None:
    days = pd.date_range("2024-01-01", periods=100, freq="D")  # 100 days: the long form
    daily = pd.DataFrame(
        {
            "vehicle_id": [1] * 100 + [2] * 100,
            "date": list(days) * 2,
            "equipment": pd.Categorical(["Grue"] * 100 + ["Benne"] * 100),
            "use_s": [3600] * 100 + [7200] + [0] * 99,  # Grue 1 h every day, Benne 2 h on day 1
        }
    )
    ax = oa.plot_daily_usage(daily)
    assert ax.containers == [] and [p.get_label() for p in ax.patches] == ["Benne", "Grue"]
    benne, grue = (patch.get_data() for patch in ax.patches)
    assert list(benne.values[:3]) == [2, 0, 0] and list(benne.baseline[:3]) == [0, 0, 0]
    assert list(grue.values[:3]) == [3, 1, 1] and list(grue.baseline[:3]) == [2, 0, 0]
    first = mdates.date2num(days[0])
    assert grue.edges[0] == pytest.approx(first - 0.5) and grue.edges[-1] == pytest.approx(first + 99.5)
    assert len(grue.edges) == 101  # one step per day, touching
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Grue", "Benne"]  # the top segment first


@pytest.mark.parametrize("days", [2, 100])  # bars, and the step patches of a long period
def test_daily_usage_leaves_room_above_the_busiest_day(days: int) -> None:
    # "A" 2 h on the first day and "B" stacked on it with 0 h: B's empty segment sits at 2 h.
    dates = list(pd.date_range("2024-01-01", periods=days, freq="D"))
    daily = pd.DataFrame(
        {
            "vehicle_id": [1] * days + [2] * days,
            "date": dates * 2,
            "equipment": pd.Categorical(["A"] * days + ["B"] * days),
            "use_s": [7200] + [0] * (days - 1) + [0, 3600] + [0] * (days - 2),
        }
    )
    ax = oa.plot_daily_usage(daily)
    assert ax.get_ylim() == pytest.approx((0, 2 * 1.05))  # matplotlib's 5 % margin, from 0


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
        "44 · Grue",
        "AB-123-CD · Benne",
        "AB-123-CD · Grue",
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


def test_utilisation_ranking_puts_a_machine_without_data_at_the_bottom_saying_so() -> None:
    rates = oa.utilisation(make_daily())  # 11 Benne 0.58 %, 11 Grue 1.62 %, 22 Toupie 11.11 %
    rates.loc[rates["equipment"] == "Toupie", ["available_s", "utilisation"]] = [0, float("nan")]
    ax = oa.plot_utilisation(rates)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["22 · Toupie", "11 · Benne", "11 · Grue"]
    assert [bar.get_width() for bar in ax.containers[0]] == pytest.approx([0, 0.5787037, 1.6203704])
    assert [t.get_text() for t in ax.texts] == ["no data", "0.6%", "1.6%"]
    assert ax.get_xlim()[1] == pytest.approx(1.6203704 * 1.15)
    top = oa.plot_utilisation(rates, top=1)
    assert [t.get_text() for t in top.get_yticklabels()] == ["11 · Grue"]


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
        pytest.approx([0, 1.25]),
        pytest.approx([0, 3.5]),
        pytest.approx([12, 12]),
    ]
    assert list(pd.to_datetime(lines[0].get_xdata())) == list(pd.to_datetime(["2024-09-23", "2024-09-30"]))
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


# --- issue 14: defaults a fleet manager can read without restyling -------------------------


def drawn_ticks(ax: plt.Axes, axis: str = "x") -> list:
    """The tick labels drawn inside the view (after a draw), left to right or bottom to top."""
    ax.figure.canvas.draw()
    which = ax.xaxis if axis == "x" else ax.yaxis
    low, high = sorted(which.get_view_interval())
    return [
        t
        for t, v in zip(which.get_ticklabels(), which.get_ticklocs(), strict=True)
        if low <= v <= high and t.get_text()
    ]


def overlapping(labels: list) -> list[tuple[str, str]]:
    """Pairs of neighbouring x tick labels whose drawn boxes touch or overlap."""
    boxes = sorted(((t.get_window_extent(), t.get_text()) for t in labels), key=lambda b: b[0].x0)
    return [(a[1], b[1]) for a, b in itertools.pairwise(boxes) if a[0].x1 >= b[0].x0]


MONTHS = ["Jan\n2024", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def grid(first: str, last: str, attrs: dict | None = None) -> pd.DataFrame:
    """One vehicle (11) with a "Grue" used 3,600 s every day from ``first`` to ``last``."""
    days = pd.date_range(first, last).astype("datetime64[ns]")
    daily = pd.DataFrame({"vehicle_id": 11, "date": days, "equipment": "Grue", "use_s": 3600})
    daily = daily.astype({"vehicle_id": "int32", "equipment": "category", "use_s": "int32"})
    daily.attrs = {"api_tz": "Europe/Paris", **(attrs or {})}
    return daily


def outside(ax: plt.Axes) -> bool:
    """Whether the legend's drawn box lies wholly right of, or below, the Axes' box."""
    ax.figure.canvas.draw()
    legend, box = ax.get_legend().get_window_extent(), ax.get_window_extent()
    return legend.x0 >= box.x1 or legend.y1 <= box.y0


def test_legends_sit_outside_the_data() -> None:
    # Before: matplotlib's "best" place, over the last days and the line ends.
    assert outside(oa.plot_daily_usage(make_daily()))
    _, given = plt.subplots()
    assert outside(oa.plot_daily_usage(make_daily(), ax=given))
    assert outside(oa.plot_period_totals(oa.period_totals(make_daily(), "W")))
    # stacked bars list the top segment first: Toupie sits on Grue, on Benne
    texts = [t.get_text() for t in oa.plot_daily_usage(make_daily()).get_legend().get_texts()]
    assert texts == ["Toupie", "Grue", "Benne"]


def test_utilisation_lines_start_at_zero_in_percent() -> None:
    ax = oa.plot_period_totals(oa.period_totals(make_daily(), "W"), by=None, value="utilisation")
    # the rates are 8.33 % and 3.32 %: autoscaled, the axis would start near 3 %
    assert ax.get_ylim()[0] == 0
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    labels = [t.get_text() for t in drawn_ticks(ax, "y")]
    assert labels[0] == "0%" and all(text.endswith("%") for text in labels)
    hours = oa.plot_period_totals(oa.period_totals(make_daily(), "W"))
    assert hours.get_ylim()[0] == 0  # hours too start at 0


def test_percent_ticks_use_the_fewest_decimals_that_tell_them_apart() -> None:
    assert Percent().format_ticks([0, 5, 10]) == ["0%", "5%", "10%"]
    assert Percent().format_ticks([0, 0.5, 1.0]) == ["0.0%", "0.5%", "1.0%"]
    assert Percent().format_ticks([0, 0.25, 0.5]) == ["0.00%", "0.25%", "0.50%"]


def test_utilisation_ranking_reads_in_percent_from_zero() -> None:
    ax = oa.plot_utilisation(oa.utilisation(make_daily()))
    assert ax.get_xlim()[0] == 0
    assert isinstance(ax.xaxis.get_major_formatter(), PercentFormatter)
    # 4,500 / 777,600, 12,600 / 777,600 and 86,400 / 777,600 written at the bars' ends
    assert [t.get_text() for t in ax.texts] == ["0.6%", "1.6%", "11.1%"]


def test_plates_name_the_vehicles() -> None:
    plates = make_vehicles({11: "AB-123-CD", 22: " "})  # 22's plate is blank: its id names it
    daily = oa.plot_daily_usage(make_daily(), by="vehicle_id", vehicles=plates)
    assert [bars.get_label() for bars in daily.containers] == ["AB-123-CD", "22"]
    assert daily.get_legend().get_title().get_text() == "vehicle"
    joined = oa.join_vehicles(make_daily(), plates, "plate")  # a plate column serves as well
    assert [b.get_label() for b in oa.plot_daily_usage(joined, by="vehicle_id").containers] == [
        "AB-123-CD",
        "22",
    ]
    weekly = oa.period_totals(make_daily(), "W", by=["vehicle_id", "equipment"])
    lines = oa.plot_period_totals(weekly, by=["vehicle_id", "equipment"], vehicles=plates)
    assert [line.get_label() for line in lines.get_lines()] == [
        "AB-123-CD · Benne",
        "AB-123-CD · Grue",
        "22 · Toupie",
    ]
    ranking = oa.plot_utilisation(oa.utilisation(make_daily()), vehicles=plates)
    assert [t.get_text() for t in ranking.get_yticklabels()] == [
        "AB-123-CD · Benne",
        "AB-123-CD · Grue",
        "22 · Toupie",
    ]


def test_a_plate_shared_by_two_vehicles_keeps_them_apart() -> None:
    plates = make_vehicles({11: "AB-123-CD", 22: "AB-123-CD"})
    ax = oa.plot_daily_usage(make_daily(), by="vehicle_id", vehicles=plates)
    assert [bars.get_label() for bars in ax.containers] == ["AB-123-CD (11)", "AB-123-CD (22)"]


def test_day_axis_names_its_clock_and_no_stray_month() -> None:
    # October 2024 (Tuesday 1st to Thursday 31st): matplotlib's defaults put a
    # "Nov" tick and a "2024-Nov" offset under October's bars.
    ax = oa.plot_daily_usage(grid("2024-10-01", "2024-10-31"), by=None)
    assert ax.get_xlabel() == "Day (Europe/Paris)"
    # a month on a 9-inch figure: ticks on its Mondays, the days between unlabelled
    assert [t.get_text() for t in drawn_ticks(ax)] == [
        "Mon\n07 Oct",
        "Mon\n14 Oct",
        "Mon\n21 Oct",
        "Mon\n28 Oct",
    ]
    assert ax.xaxis.get_offset_text().get_text() == ""
    weekly = oa.plot_period_totals(oa.period_totals(grid("2024-10-01", "2024-10-31"), "W"))
    assert weekly.get_xlabel() == "Week starting Monday (Europe/Paris)"
    assert weekly.xaxis.get_offset_text().get_text() == ""


@pytest.mark.parametrize("size", [(6.4, 4.8), (9, 4.5)])
def test_tick_labels_stay_apart_from_a_week_to_a_year(size: tuple[float, float]) -> None:
    _, ax = plt.subplots(figsize=size, layout="constrained")
    week = oa.plot_daily_usage(grid("2024-09-30", "2024-10-06"), ax=ax)
    labels = drawn_ticks(week)
    assert [t.get_text() for t in labels] == [
        "Mon\n30 Sep",
        "Tue\n01 Oct",
        "Wed\n02 Oct",
        "Thu\n03 Oct",
        "Fri\n04 Oct",
        "Sat\n05 Oct",
        "Sun\n06 Oct",
    ]  # every day of a 7-day period
    assert overlapping(labels) == []
    year = grid("2024-01-01", "2024-12-31")
    # months on 9 inches, every other month on 6.4; the year named on the first tick
    months = MONTHS if size[0] == 9 else MONTHS[::2]
    daily = oa.plot_daily_usage(year, ax=plt.subplots(figsize=size, layout="constrained")[1])
    weekly = oa.plot_period_totals(
        oa.period_totals(year, "W"), ax=plt.subplots(figsize=size, layout="constrained")[1]
    )
    # the last week starts Monday 30 Dec 2024: its half-week margin reaches 2025
    for drawn, expected in ((daily, months), (weekly, [*months, "Jan\n2025"])):
        labels = drawn_ticks(drawn)
        assert [t.get_text() for t in labels] == expected  # not 53 labels
        assert overlapping(labels) == []
        assert drawn.xaxis.get_offset_text().get_text() == ""


def test_titles_name_what_the_period_and_the_customer() -> None:
    attrs = {"start": "2024-09-28", "end": "2024-10-06", "customer_id": 42}
    daily = make_daily()
    daily.attrs = {"api_tz": "UTC", **attrs}
    assert oa.plot_daily_usage(daily).get_title() == (
        "Daily use by equipment, 28 Sep \N{EN DASH} 6 Oct 2024, customer 42"
    )
    assert oa.plot_daily_usage(daily, by=None).get_title() == (
        "Daily use of all vehicles, 28 Sep \N{EN DASH} 6 Oct 2024, customer 42"
    )
    weekly = oa.period_totals(daily, "W")
    assert oa.plot_period_totals(weekly, value="utilisation").get_title() == (
        "Weekly utilisation by equipment, 28 Sep \N{EN DASH} 6 Oct 2024, customer 42"
    )
    assert oa.plot_utilisation(oa.utilisation(daily), top=2).get_title() == (
        "Utilisation by vehicle and equipment, 28 Sep \N{EN DASH} 6 Oct 2024, customer 42 "
        "(the 2 most used of 3)"
    )
    # no attrs: the days drawn name the period
    assert oa.plot_daily_usage(grid("2024-10-01", "2024-10-31")).get_title() == (
        "Daily use by equipment, 1\N{EN DASH}31 Oct 2024"
    )


def test_partial_weeks_are_marked_not_drawn_as_full() -> None:
    daily = make_daily()
    daily.attrs = {"api_tz": "UTC", "start": "2024-09-28", "end": "2024-10-06"}
    ax = oa.plot_period_totals(oa.period_totals(daily, "W"))
    # The week of 23 Sep holds only the fetched 28 and 29 Sep: out of the labelled
    # lines, drawn dotted with an open marker; the week of 30 Sep is whole.
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in labelled] == ["Benne", "Grue", "Toupie"]
    assert [list(pd.to_datetime(line.get_xdata())) for line in labelled] == [[pd.Timestamp("2024-09-30")]] * 3
    assert [list(line.get_ydata()) for line in labelled] == [
        pytest.approx([1.25]),
        pytest.approx([3.5]),
        pytest.approx([12]),
    ]
    partial = [line for line in ax.get_lines() if line.get_label().startswith("_partial")]
    assert [line.get_label() for line in partial] == ["_partial Benne", "_partial Grue", "_partial Toupie"]
    assert {line.get_linestyle() for line in partial} == {":"}
    assert [line.get_markevery() for line in partial] == [[0]] * 3
    assert [list(line.get_ydata()) for line in partial][2] == pytest.approx([12, 12])
    notes = [t.get_text() for t in ax.get_legend().get_texts()]
    assert notes[-1].startswith("partial week")


def test_period_kinds_and_partial_periods() -> None:
    mondays = pd.DatetimeIndex(["2024-09-23", "2024-09-30", "2024-10-14"])
    assert period_kind(mondays) == "week"
    assert period_kind(pd.DatetimeIndex(["2024-09-01", "2024-10-01"])) == "month"
    assert period_kind(pd.DatetimeIndex(["2024-07-01", "2024-10-01"])) == "quarter"
    assert period_kind(pd.DatetimeIndex(["2023-01-01", "2024-01-01"])) == "year"
    assert period_kind(pd.DatetimeIndex(["2024-09-28", "2024-09-29"])) == "day"
    assert period_kind(pd.DatetimeIndex(["2024-09-30"])) is None  # one period: unknown
    # 1 Jan and 1 Apr 2024 are both Mondays, 13 weeks apart: quarters, not weeks
    assert period_kind(pd.DatetimeIndex(["2024-01-01", "2024-04-01"])) == "quarter"
    fetched = (dt.date(2024, 9, 28), dt.date(2024, 10, 6))
    assert list(partial_periods(mondays, "week", fetched)) == [
        pd.Timestamp("2024-09-23"),
        pd.Timestamp("2024-10-14"),
    ]  # 23-29 Sep starts before the 28th; 14-20 Oct ends after the 6th
    months = pd.DatetimeIndex(["2024-09-01", "2024-10-01"])
    assert list(partial_periods(months, "month", (dt.date(2024, 9, 1), dt.date(2024, 10, 30)))) == [
        pd.Timestamp("2024-10-01")
    ]
    assert list(partial_periods(mondays, None, fetched)) == []


@pytest.mark.parametrize("helper", ["daily", "totals", "ranking"])
def test_helpers_draw_on_the_given_axes_only(helper: str) -> None:
    figure, given = plt.subplots()
    draw = {
        "daily": lambda ax: oa.plot_daily_usage(make_daily(), ax=ax),
        "totals": lambda ax: oa.plot_period_totals(oa.period_totals(make_daily(), "W"), ax=ax),
        "ranking": lambda ax: oa.plot_utilisation(oa.utilisation(make_daily()), ax=ax),
    }[helper]
    assert draw(given) is given
    assert plt.get_fignums() == [figure.number]
    assert figure.axes == [given]
    assert tuple(figure.get_size_inches()) == (6.4, 4.8)  # the caller's figure keeps its size


def test_empty_frames_say_so() -> None:
    ax = oa.plot_daily_usage(make_daily().iloc[:0])
    assert [t.get_text() for t in ax.texts] == ["No day to draw: the frame is empty."]
    low = oa.plot_utilisation(oa.utilisation(make_daily()).iloc[:0])
    assert [t.get_text() for t in low.texts] == ["No row to rank: the frame is empty."]

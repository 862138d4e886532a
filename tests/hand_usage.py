"""Hand-made :class:`Usage` objects for the shift, profile and clock-plot tests.

Every half hour is written out with its instant (an explicit UTC offset), so each
expected number in the tests can be worked out from this page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ocean_analytics import frames
from ocean_analytics.dates import days_between
from ocean_analytics.usage import Usage

# (vehicle_id, equipment, start instant, use_s)
HalfHour = tuple[int, str, str, int]

VEHICLES = pd.DataFrame(
    {
        "vehicle_id": [7, 8],
        "plate": ["AA-007-AA", "AA-008-AA"],
        "description": ["Porteur grue", "Tracteur"],
        "category": ["TRUCK", "TRUCK"],
        "asset_type": ["Porteur", "Tracteur"],
        "motorisation": ["MONO", "MONO"],
        "dio_enabled": [True, True],
    }
).astype(frames.VEHICLES)

# Friday 2024-11-01 (Toussaint) to Sunday 2024-11-03, api_tz UTC.
# Vehicle 7 has a crane (Grue) and a tipper (Benne); vehicle 8 a crane it never used.
WEEKEND_HALF_HOURS: list[HalfHour] = [
    (7, "Grue", "2024-11-01T06:30Z", 1500),
    (7, "Grue", "2024-11-01T07:00Z", 900),
    (7, "Grue", "2024-11-01T18:30Z", 1800),
    (7, "Grue", "2024-11-01T19:00Z", 600),
    (7, "Grue", "2024-11-01T23:30Z", 300),
    (7, "Grue", "2024-11-02T10:00Z", 1200),
    (7, "Benne", "2024-11-01T07:00Z", 1800),
    (7, "Benne", "2024-11-02T03:00Z", 600),
]
WEEKEND_PAIRS = [(7, "Grue"), (7, "Benne"), (8, "Grue")]
ATTRS = {"api_tz": "UTC", "customer_id": 42}


def half_hours_frame(rows: list[HalfHour], api_tz: str) -> pd.DataFrame:
    """The ``half_hours`` frame of ``rows``, starts on ``api_tz``."""
    frame = pd.DataFrame(rows, columns=["vehicle_id", "equipment", "start", "use_s"])
    start = pd.to_datetime(frame["start"], utc=True).dt.tz_convert(api_tz)
    frame = frame.assign(
        start=start,
        end=start + pd.Timedelta(minutes=30),
        date=start.dt.tz_localize(None).dt.normalize(),
    )
    return frame[list(frames.HALF_HOURS)].astype(frames.half_hours_schema(api_tz))


def daily_frame(
    half_hours: pd.DataFrame, pairs: list[tuple[int, str]], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The full daily grid: every pair on every day, use summed from ``half_hours``."""
    grid = pd.DataFrame(
        [(v, pd.Timestamp(day), e) for v, e in pairs for day in days_between(start, end)],
        columns=["vehicle_id", "date", "equipment"],
    )
    sums = half_hours.astype({"equipment": "str", "use_s": "int64"})
    sums = sums.groupby(["vehicle_id", "date", "equipment"])["use_s"].sum()
    grid = grid.astype({"vehicle_id": "int32", "date": "datetime64[ns]"})
    grid = grid.join(sums, on=["vehicle_id", "date", "equipment"])
    return grid.fillna({"use_s": 0}).astype(frames.DAILY)


def make_usage(
    rows: list[HalfHour],
    pairs: list[tuple[int, str]],
    start: str,
    end: str,
    api_tz: str = "UTC",
) -> Usage:
    """A Usage of ``rows`` whose daily grid covers ``pairs`` over ``[start, end]``."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    half_hours = half_hours_frame(rows, api_tz)
    daily = daily_frame(half_hours, pairs, first, last)
    daily.attrs = dict(ATTRS)
    return Usage(
        daily=daily,
        half_hours=half_hours,
        vehicles=VEHICLES,
        vehicle_days=frames.empty_frame(frames.VEHICLE_DAYS),
        period=frames.empty_frame(frames.PERIOD),
        start=first,
        end=last,
        api_tz=api_tz,
    )


def weekend_usage() -> Usage:
    """Friday 2024-11-01 to Sunday 2024-11-03 on UTC: see WEEKEND_HALF_HOURS."""
    return make_usage(WEEKEND_HALF_HOURS, WEEKEND_PAIRS, "2024-11-01", "2024-11-03")


def empty_usage() -> Usage:
    """A Usage with no vehicle at all."""
    return Usage(
        daily=frames.empty_frame(frames.DAILY),
        half_hours=frames.empty_frame(frames.half_hours_schema("UTC")),
        vehicles=frames.empty_frame(frames.VEHICLES),
        vehicle_days=frames.empty_frame(frames.VEHICLE_DAYS),
        period=frames.empty_frame(frames.PERIOD),
        start=dt.date(2024, 11, 1),
        end=dt.date(2024, 11, 3),
    )

"""A hand-made Usage with days without data, for the no-data tests (tests/test_no_data.py).

Ten days on UTC, Monday 2024-11-04 to Wednesday 2024-11-13; every half hour written out.

==========  ==============  ======  =============================================
vehicle     equipment       site    box
==========  ==============  ======  =============================================
1           Grue            Lyon    reports every day
2           Grue, Benne     Lyon    last communication Thu 7 Nov: no data 8..13
3           Toupie          Nantes  never communicated: no data on any day
4           Grue            Nantes  installed Sat 9 Nov: no data 4..8
==========  ==============  ======  =============================================

Use (UTC):
- 1/Grue: 1800 s at 08:00 on Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 (9000 s);
- 2/Grue: 1800 s at 09:00, 09:30, 10:00, 10:30 on Tue 5 (7200 s); 2/Benne: never;
- 3/Toupie: 900 s at 12:00 on Wed 6, a day without data (a contradiction);
- 4/Grue: 1800 s at 10:00 on Mon 11.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from hand_usage import HalfHour, make_usage

from ocean_analytics import frames
from ocean_analytics.dates import days_between
from ocean_analytics.usage import Usage

START, END = "2024-11-04", "2024-11-13"
PAIRS = [(1, "Grue"), (2, "Grue"), (2, "Benne"), (3, "Toupie"), (4, "Grue")]
HALF_HOURS: list[HalfHour] = [
    *[(1, "Grue", f"2024-11-0{day}T08:00Z", 1800) for day in (4, 5, 6, 7, 8)],
    *[(2, "Grue", f"2024-11-05T{time}Z", 1800) for time in ("09:00", "09:30", "10:00", "10:30")],
    (3, "Toupie", "2024-11-06T12:00Z", 900),
    (4, "Grue", "2024-11-11T10:00Z", 1800),
]
# The days each box could report (has_data True), from the list above.
DATA_DAYS = {
    1: range(4, 14),
    2: range(4, 8),
    3: range(0),
    4: range(9, 14),
}
SILENCE = {
    # vehicle: (never_communicated, installed_on, last_data_day, silence_reason)
    1: (False, None, None, None),
    2: (False, "2023-05-02", "2024-11-07", "Boîtier débranché"),
    3: (True, None, None, None),
    4: (False, "2024-11-09", None, None),
}


def vehicles_frame(listing: bool = True) -> pd.DataFrame:
    """The four vehicles; with ``listing``, the fleet-listing and non-communicating columns."""
    ids = [1, 2, 3, 4]
    frame = pd.DataFrame(
        {
            "vehicle_id": ids,
            "plate": [f"AA-00{v}-AA" for v in ids],
            "description": [f"Camion {v}" for v in ids],
            "category": "TRUCK",
            "asset_type": ["Porteur", "Porteur", "Toupie", "Porteur"],
            "motorisation": "MONO",
            "dio_enabled": True,
        }
    ).astype(frames.VEHICLES)
    if not listing:
        return frame
    return frame.assign(
        entity_id=pd.array([10, 10, 20, 20], dtype="Int64"),
        entity_name=pd.Series(["Lyon", "Lyon", "Nantes", "Nantes"], dtype="str"),
        fleet_number=pd.Series([f"P{v:03d}" for v in ids], dtype="str"),
        make=pd.Series(["Renault", "Volvo", "Volvo", "Renault"], dtype="str"),
        model=pd.Series(["C", "FM", "FMX", "K"], dtype="str"),
        never_communicated=pd.array([SILENCE[v][0] for v in ids], dtype="boolean"),
        installed_on=pd.to_datetime([SILENCE[v][1] for v in ids]).astype("datetime64[ns]"),
        last_data_day=pd.to_datetime([SILENCE[v][2] for v in ids]).astype("datetime64[ns]"),
        silence_reason=pd.Series([SILENCE[v][3] for v in ids], dtype="str"),
    )


def _has_data(frame: pd.DataFrame) -> pd.Series:
    """``has_data`` of each vehicle x date row of ``frame``, from :data:`DATA_DAYS`."""
    known = [day in DATA_DAYS[v] for v, day in zip(frame["vehicle_id"], frame["date"].dt.day, strict=True)]
    return pd.Series(known, index=frame.index, dtype="boolean")


def no_data_usage(*, coverage: str = "known", listing: bool = True) -> Usage:
    """The Usage described above.

    ``coverage``: ``"known"`` (has_data from :data:`DATA_DAYS`), ``"unknown"``
    (has_data <NA> on every row) or ``"absent"`` (no has_data column: an old file).
    """
    usage = make_usage(HALF_HOURS, PAIRS, START, END)
    days = pd.DataFrame(
        [(v, pd.Timestamp(day)) for v in DATA_DAYS for day in days_between(usage.start, usage.end)],
        columns=["vehicle_id", "date"],
    ).astype({"vehicle_id": "int32", "date": "datetime64[ns]"})
    sums = usage.daily.groupby(["vehicle_id", "date"])["use_s"].sum()
    vehicle_days = days.join(sums.rename("all_dio_s"), on=["vehicle_id", "date"]).fillna({"all_dio_s": 0})
    vehicle_days = vehicle_days.assign(equipment_sum_s=vehicle_days["all_dio_s"]).astype(frames.VEHICLE_DAYS)
    daily = usage.daily
    if coverage != "absent":
        flags = {"known": _has_data, "unknown": lambda f: pd.Series(pd.NA, index=f.index, dtype="boolean")}
        daily = daily.assign(has_data=flags[coverage](daily))
        vehicle_days = vehicle_days.assign(has_data=flags[coverage](vehicle_days))
    daily.attrs = dict(usage.daily.attrs)
    return dataclasses.replace(
        usage, daily=daily, vehicle_days=vehicle_days, vehicles=vehicles_frame(listing)
    )

"""The last step of every fetch: the fleet listing's and the silent boxes' columns put on the frames.

Applied to the frames a fetch gives, whether fetched now, combined with stored
rows or read from a repeat, so that all three are the same and the store's
month files keep their own columns. The columns and the no-data rule are
described in :mod:`ocean_analytics.frames`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ..api.fleet import FleetVehicle
from ..api.noncommunicant import Coverage, silent_days
from ..frames import COVERAGE_COLUMNS, FLEET_COLUMNS, HAS_DATA
from ..usage import FRAMES, Usage

__all__ = ["with_facts"]


def with_facts(usage: Usage, fleet: Sequence[FleetVehicle], coverage: Coverage) -> Usage:
    """``usage`` with the listing's and the silent boxes' columns, and ``attrs["coverage"]``.

    Parameters
    ----------
    usage : Usage
        The frames of a fetch, without these columns.
    fleet : sequence of FleetVehicle
        The fleet listing (vehicles of ``usage`` it does not list get missing values).
    coverage : Coverage
        What ``noncommunicant/list`` said.

    Returns
    -------
    Usage
        New frames: ``vehicles`` with :data:`~ocean_analytics.frames.FLEET_COLUMNS` and
        :data:`~ocean_analytics.frames.COVERAGE_COLUMNS` after its own columns (an answer's
        column of the same name is replaced) and ``plate`` filled from the listing where
        missing; ``daily`` and ``vehicle_days`` with ``has_data`` last; every frame's
        ``attrs["coverage"]`` ("known" or "unknown"), and ``attrs["coverage_note"]`` when
        unknown.
    """
    vehicles = _with_coverage(_with_listing(usage.vehicles, fleet), coverage, usage.api_tz)
    frames = {
        "vehicles": vehicles,
        "daily": _with_has_data(usage.daily, vehicles, coverage.known),
        "vehicle_days": _with_has_data(usage.vehicle_days, vehicles, coverage.known),
    }
    attrs = (
        {"coverage": "known"}
        if coverage.known
        else {"coverage": "unknown", "coverage_note": coverage.refusal}
    )
    for name in FRAMES:
        frame = frames.get(name, getattr(usage, name).copy(deep=False))
        frame.attrs = {**getattr(usage, name).attrs, **attrs}
        frames[name] = frame
    return replace(usage, **frames)


def _with_listing(vehicles: pd.DataFrame, fleet: Sequence[FleetVehicle]) -> pd.DataFrame:
    """``vehicles`` with :data:`FLEET_COLUMNS` from the listing and its plates where missing."""
    listed = pd.DataFrame(
        {
            "vehicle_id": pd.Series([v.vehicle_id for v in fleet], dtype="int64"),
            "plate": pd.Series([v.plate for v in fleet], dtype="str"),
            **{
                name: pd.Series([getattr(v, name) for v in fleet], dtype=dtype)
                for name, dtype in FLEET_COLUMNS.items()
            },
        }
    ).set_index("vehicle_id")
    found = listed.reindex(vehicles["vehicle_id"].to_numpy(np.int64))
    frame = vehicles.drop(columns=[c for c in (*FLEET_COLUMNS, *COVERAGE_COLUMNS) if c in vehicles.columns])
    plate = frame["plate"]
    frame["plate"] = plate.where(plate.notna(), found["plate"].to_numpy()).astype(plate.dtype)
    for name, dtype in FLEET_COLUMNS.items():
        frame[name] = pd.array(found[name].to_numpy(), dtype=dtype)
    return frame


def _with_coverage(vehicles: pd.DataFrame, coverage: Coverage, api_tz: str) -> pd.DataFrame:
    """``vehicles`` with :data:`COVERAGE_COLUMNS` (see :mod:`ocean_analytics.frames`)."""
    n = len(vehicles)
    frame = vehicles.copy()
    if not coverage.known:
        frame["never_communicated"] = pd.array([pd.NA] * n, dtype="boolean")
        frame["installed_on"] = pd.Series(
            np.full(n, np.datetime64("NaT"), "datetime64[ns]"), index=frame.index
        )
        frame["last_data_day"] = frame["installed_on"].copy()
        frame["silence_reason"] = pd.Series([None] * n, dtype="str", index=frame.index)
        return frame
    boxes = silent_days(coverage.boxes, api_tz).set_index("vehicle_id")
    found = boxes.reindex(vehicles["vehicle_id"].to_numpy())
    listed = found["never_communicated"].notna().to_numpy()
    never = np.where(listed, found["never_communicated"].fillna(False).to_numpy(bool), False)
    frame["never_communicated"] = pd.array(never, dtype="boolean")
    frame["installed_on"] = found["installation_day"].to_numpy("datetime64[ns]")
    frame["last_data_day"] = found["last_day"].to_numpy("datetime64[ns]")
    frame["silence_reason"] = pd.array(found["reason"].to_numpy(object), dtype="str")
    return frame.astype(COVERAGE_COLUMNS)


def _with_has_data(frame: pd.DataFrame, vehicles: pd.DataFrame, known: bool) -> pd.DataFrame:
    """``frame`` (rows of vehicle x day) with ``has_data`` last (see :mod:`ocean_analytics.frames`)."""
    out = frame.drop(columns=[c for c in HAS_DATA if c in frame.columns])
    if not known:
        out["has_data"] = pd.array([pd.NA] * len(out), dtype="boolean")
        return out
    # the three columns read, not the whole vehicles frame, repeated to the frame's length
    columns = ["vehicle_id", "never_communicated", "installed_on", "last_data_day"]
    facts = vehicles[columns].set_index("vehicle_id").reindex(out["vehicle_id"].to_numpy())
    dates = out["date"].to_numpy("datetime64[ns]")
    never = facts["never_communicated"].fillna(False).to_numpy(bool)
    before = dates < facts["installed_on"].to_numpy("datetime64[ns]")  # NaT compares False
    after = dates > facts["last_data_day"].to_numpy("datetime64[ns]")
    out["has_data"] = pd.array(~(never | before | after), dtype="boolean")
    return out

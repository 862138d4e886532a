"""Which days a box could report: the ``has_data`` rule shared by the analysis helpers.

``usage.daily`` and ``usage.vehicle_days`` carry ``has_data`` (pandas "boolean"):
False on a day the vehicle's box could not report (before its installation day,
after its last communication, every day when it never communicated). Such a day
is *no data*, not *no use*: the helpers leave it out of their denominators.
``<NA>`` (coverage unknown) counts as data, and a frame without the column (an
old file, a hand-made frame) has data on every day.

A vehicle is **silent** in a period when its box has no data on the period's
last day (its ``daily`` rows of its latest date have ``has_data`` False): it
stopped communicating inside or before the period, never communicated, or was
installed after it. A box installed during the period and reporting since is
not silent: its days before installation simply offer nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..usage import Usage

__all__ = ["SILENCE_COLUMNS", "daily_with_coverage", "has_data", "silent_groups"]

SILENCE_COLUMNS = ("last_data_day", "silence_reason")
"""The columns of ``usage.vehicles`` that say when and why a box went silent."""

_VEHICLE_DAY = ["vehicle_id", "date"]


def has_data(daily: pd.DataFrame) -> np.ndarray:
    """True for each row of ``daily`` whose day has data (``has_data`` not False), as bool.

    Every row is True when ``daily`` has no ``has_data`` column; ``<NA>`` is True.
    """
    if "has_data" not in daily.columns:
        return np.ones(len(daily), dtype=bool)
    return ~daily["has_data"].astype("boolean").eq(False).fillna(False).to_numpy(dtype=bool)


def daily_with_coverage(usage: Usage) -> pd.DataFrame:
    """``usage.daily``, with ``has_data`` taken from ``usage.vehicle_days`` when only that has it.

    Returns ``usage.daily`` itself when it has ``has_data`` or neither frame does.
    """
    daily, days = usage.daily, usage.vehicle_days
    if "has_data" in daily.columns or "has_data" not in days.columns:
        return daily
    table = days.drop_duplicates(_VEHICLE_DAY).set_index(_VEHICLE_DAY)["has_data"]
    joined = daily.join(table.astype("boolean"), on=_VEHICLE_DAY)
    joined.attrs = dict(daily.attrs)
    return joined


def _silent_vehicles(daily: pd.DataFrame) -> pd.Series:
    """Per row of ``daily``: whether its vehicle has no data on its latest date (bool)."""
    last = daily.groupby("vehicle_id", observed=True)["date"].transform("max")
    quiet = pd.Series(~has_data(daily) & (daily["date"] == last).to_numpy(), index=daily.index)
    return quiet.groupby(daily["vehicle_id"]).transform("any").astype(bool)


def _join_reasons(reasons: pd.Series) -> object:
    """The distinct reasons of a group, sorted and joined by "; " (<NA> when none)."""
    found = sorted(set(reasons.dropna().astype(str)))
    return "; ".join(found) if found else pd.NA


def silent_groups(daily: pd.DataFrame, keys: list[str], vehicles: pd.DataFrame) -> pd.DataFrame:
    """Per group of ``keys`` of ``daily``: ``silent`` and, when ``vehicles`` has them, why.

    Parameters
    ----------
    daily : pandas.DataFrame
        The daily grid, holding the ``keys`` columns.
    keys : list of str
        The grouping columns (none: one group of every row).
    vehicles : pandas.DataFrame
        ``usage.vehicles``; its ``last_data_day`` and ``silence_reason`` are read
        when present.

    Returns
    -------
    pandas.DataFrame
        One row per observed group (sorted by ``keys``, missing keys kept), with the
        ``keys``, ``silent`` (bool: every vehicle of the group is silent), and, when
        ``vehicles`` has them, ``last_data_day`` (datetime64[ns]: the latest of the
        group's vehicles, NaT when they never communicated) and ``silence_reason``
        (str: their distinct reasons joined by "; ", <NA> when none); both NaT and
        <NA> on a group that is not silent.
    """
    shown = [c for c in SILENCE_COLUMNS if c in vehicles.columns]
    frame = daily[[*dict.fromkeys([*keys, "vehicle_id"])]].assign(silent=_silent_vehicles(daily))
    if shown:
        table = vehicles.drop_duplicates("vehicle_id").set_index("vehicle_id")[shown]
        frame = frame.join(table, on="vehicle_id")
        frame[shown] = frame[shown].where(frame["silent"], None)
    group = keys or [np.zeros(len(frame), dtype=np.int8)]
    grouped = frame.groupby(group, observed=True, dropna=False, sort=True)
    result = grouped[["silent"]].all()
    if "last_data_day" in shown:
        result["last_data_day"] = grouped["last_data_day"].max().astype("datetime64[ns]")
    if "silence_reason" in shown:
        result["silence_reason"] = grouped["silence_reason"].agg(_join_reasons).astype("str")
    # a group that still reports is not silent: none of its members' silence is shown
    if shown:
        result[shown] = result[shown].where(result["silent"])
    return result.reset_index(drop=not keys)

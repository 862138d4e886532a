"""The weekday x time-of-day occupancy profile: when in the week equipment is in use."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..usage import Usage
from .grouping import group_columns
from .slots import (
    HALF_HOUR_S,
    SLOT_LABELS,
    WEEKDAYS,
    api_days,
    as_tz,
    check_usage,
    local_clock,
    no_data_rows,
    pairs_per_group,
    period_starts,
    sum_by,
    used_half_hours,
    with_counts,
)

__all__ = ["occupancy_profile"]

_WHEN = ["weekday", "slot"]


def _clock_of_period(usage: Usage, tz: str) -> pd.DataFrame:
    """Every real half hour of the period: its API ``date``, ``weekday`` and ``slot`` on ``tz``."""
    starts = period_starts(usage)
    return local_clock(starts, tz).assign(date=api_days(starts), occurrences=1)


def _occurrences(clock: pd.DataFrame) -> pd.DataFrame:
    """Every weekday x slot of the week with ``occurrences``: its real half hours in the period."""
    week = pd.MultiIndex.from_product([range(7), range(48)], names=_WHEN).to_frame(index=False)
    return with_counts(week, sum_by(clock, _WHEN, ["occurrences"]), _WHEN, ["occurrences"])


def _lost(usage: Usage, clock: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group x weekday x slot, ``lost``: the half hours its pairs do not offer, for lack of data."""
    per_day = sum_by(clock, ["date", *_WHEN], ["occurrences"])
    lost = no_data_rows(usage, keys)[[*keys, "date"]].merge(per_day, on="date")
    return sum_by(lost, [*keys, *_WHEN], ["occurrences"]).rename(columns={"occurrences": "lost"})


def occupancy_profile(
    usage: Usage, tz: str = "Europe/Paris", by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """The mean share of each half hour of the week in use, weekday x time of day.

    Each half hour is placed by its start read on ``tz``. For one group, weekday
    ``w`` and wall time ``t``::

        share = sum of use_s of the half hours starting on weekday w at time t
                / (1800 s x occurrences x pairs)

    where *occurrences* is the number of real half hours of the period starting on
    weekday ``w`` at wall time ``t`` on ``tz`` (the period is ``[usage.start 00:00,
    usage.end + 1 day 00:00)`` on ``usage.api_tz``), and *pairs* the number of
    vehicle x equipment pairs of the group with rows in ``usage.daily``. So the
    average runs over every pair and every date of that weekday. Daylight saving is
    counted in instants: on Europe/Paris the autumn Sunday's 02:00 occurs twice
    (counted twice), the spring Sunday's 02:00 not at all.

    No data is not no use: a pair offers none of the half hours of an API day on
    which its ``usage.daily`` row has ``has_data`` False (the box could not
    report), so the denominator is ``1800 s x (occurrences x pairs - lost)``,
    *lost* counting those half hours of the group at weekday ``w``, time ``t``.
    ``<NA>`` and a ``daily`` without ``has_data`` count as data; use recorded on a
    day without data still counts in the numerator.

    Parameters
    ----------
    usage : Usage
        What :func:`oa.fetch_usage` returns; ``daily`` must be the full grid.
    tz : str
        The IANA time zone on which weekdays and times of day are read.
    by : str, sequence of str or None
        ``vehicle_id``, ``equipment`` or any column of ``usage.vehicles`` (such as
        ``asset_type`` and, from the fleet listing, ``entity_name``, ``entity_id``,
        ``fleet_number``, ``make``, ``model``, ``plate``); None for the whole fleet.

    Returns
    -------
    pandas.DataFrame
        Long frame, 7 x 48 rows per group, sorted by ``by``, ``weekday``, ``time``;
        RangeIndex; ``attrs`` of ``usage.daily`` plus ``profile_tz`` (``tz``):

        - the ``by`` columns;
        - ``weekday`` (ordered category ``"Monday"`` < ... < ``"Sunday"``, on ``tz``;
          ``.cat.codes`` gives 0 = Monday ... 6 = Sunday);
        - ``time`` (str): wall time of the half hour's start, ``"00:00"`` ... ``"23:30"``;
        - ``share`` (float64): 0..1 as defined above; 0 where nothing was used; NaN
          where that weekday and time never occur in the period (a period shorter
          than a week, the spring daylight-saving gap) or only on days without data.

    Examples
    --------
    >>> profile = oa.occupancy_profile(usage, tz="Europe/Paris", by="equipment")
    >>> profile.pivot_table(index="weekday", columns="time", values="share", observed=True)
    """
    check_usage(usage)
    keys = group_columns(by, usage)
    tz = as_tz(tz)
    used = used_half_hours(usage, keys)
    clock = local_clock(used["start"], tz)
    used = used.assign(weekday=clock["weekday"].to_numpy(), slot=clock["slot"].to_numpy())
    clock = _clock_of_period(usage, tz)
    grid = pairs_per_group(usage, keys).merge(_occurrences(clock), how="cross")
    grid = with_counts(grid, sum_by(used, [*keys, *_WHEN], ["use_s"]), [*keys, *_WHEN], ["use_s"])
    grid = with_counts(grid, _lost(usage, clock, keys), [*keys, *_WHEN], ["lost"])
    offered = HALF_HOUR_S * (grid["occurrences"] * grid["pairs"] - grid["lost"])
    result = grid[keys].assign(
        weekday=pd.Categorical.from_codes(grid["weekday"], categories=WEEKDAYS, ordered=True),
        time=pd.Series(np.asarray(SLOT_LABELS)[grid["slot"]], index=grid.index, dtype="str"),
        share=(grid["use_s"] / offered.where(offered > 0)).astype("float64"),
    )
    result.attrs = {**usage.daily.attrs, "profile_tz": tz}
    return result

"""`Usage`: the five tidy frames of one fetch, with where they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Usage"]


@dataclass(frozen=True, repr=False)
class Usage:
    """Auxiliary-equipment usage of some vehicles over an inclusive period.

    Attributes
    ----------
    daily : pandas.DataFrame
        One row per vehicle x day x equipment, every day of ``[start, end]``,
        ``use_s`` seconds (0 where nothing was used). See
        :mod:`ocean_analytics.frames` for columns and dtypes.
    half_hours : pandas.DataFrame
        One row per half hour with use > 0, ``start``/``end`` tz-aware on ``api_tz``.
    vehicles : pandas.DataFrame
        One row per vehicle of the answer, with or without usage.
    vehicle_days : pandas.DataFrame
        One row per vehicle x day: the API's all-equipment daily total and the
        sum of its per-equipment totals, in seconds.
    period : pandas.DataFrame
        One row per vehicle x equipment: the API's own period totals, in seconds.
    start, end : datetime.date
        The period, both days inclusive, on ``api_tz``.
    api_tz : str
        The clock of the API's days and half-hour slots (an IANA name).
    ambiguous_slots : int
        Half hours of an autumn daylight-saving change that the answer listed
        once where the clock shows them twice: each was placed on the first
        (summer-time) occurrence.
    """

    daily: pd.DataFrame
    half_hours: pd.DataFrame
    vehicles: pd.DataFrame
    vehicle_days: pd.DataFrame
    period: pd.DataFrame
    start: dt.date
    end: dt.date
    api_tz: str = "UTC"
    ambiguous_slots: int = field(default=0)

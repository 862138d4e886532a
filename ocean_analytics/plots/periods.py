"""Which periods a ``period_totals`` frame holds (weeks, months...) and which the fetch cut."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["PERIOD_WORDS", "period_kind", "partial_periods"]

PERIOD_WORDS = {
    "day": ("Daily", "Day"),
    "week": ("Weekly", "Week starting Monday"),
    "month": ("Monthly", "Month"),
    "quarter": ("Quarterly", "Quarter"),
    "year": ("Yearly", "Year"),
}
"""kind -> (the adverb of a title, the name of the x axis)."""

LENGTHS = {
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def period_kind(starts: pd.DatetimeIndex) -> str | None:
    """The kind of period whose first days are ``starts`` (sorted, distinct), or None when unsure.

    Months, quarters and years start on the 1st (of January for years; of January,
    April, July or October for quarters) and lie whole months apart (at least 28
    days); weeks start on Mondays, whole weeks apart; days lie whole days apart.
    Fewer than two periods leave the kind unknown.
    """
    if len(starts) < 2 or (starts != starts.normalize()).any():
        return None
    gaps = (starts[1:] - starts[:-1]).days.to_numpy()
    if (starts.day == 1).all() and gaps.min() >= 28:
        months = np.diff(starts.year * 12 + starts.month)
        if (months % 12 == 0).all() and (starts.month == 1).all():
            return "year"
        if (months % 3 == 0).all() and starts.month.isin([1, 4, 7, 10]).all():
            return "quarter"
        return "month"
    if (starts.day_of_week == 0).all() and (gaps % 7 == 0).all():
        return "week"
    return "day"


def partial_periods(
    starts: pd.DatetimeIndex, kind: str | None, fetched: tuple[dt.date, dt.date] | None
) -> pd.DatetimeIndex:
    """The ``starts`` of the periods that reach outside the fetched days.

    Parameters
    ----------
    starts : pandas.DatetimeIndex
        First days of the periods.
    kind : str or None
        What :func:`period_kind` says; days and unknown kinds are never partial.
    fetched : (date, date) or None
        The fetched period, both days inclusive; None: none is known partial.
    """
    if kind not in LENGTHS or fetched is None:
        return starts[:0]
    first, last = (pd.Timestamp(day) for day in fetched)
    ends = starts + LENGTHS[kind] - pd.Timedelta(days=1)
    return starts[(starts < first) | (ends > last)]

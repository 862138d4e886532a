"""Turning the days an analyst writes into ``datetime.date``, with clear errors.

Days are the API's days: calendar days on the client's ``api_tz``. A datetime
given for a day counts for its calendar date as written (its time of day and
time zone are not converted).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .errors import InvalidArgumentError

__all__ = ["DayLike", "as_day", "as_period", "api_date", "days_between"]

DayLike = str | dt.date | dt.datetime | pd.Timestamp

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_day(value: DayLike, name: str) -> dt.date:
    """Read one day given as an ISO string, a date, a datetime or a Timestamp.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or pandas.Timestamp
        The day. Strings must be ISO ``YYYY-MM-DD``: ``01/10/2024`` is refused
        rather than guessed (it is the 1st of October in France, the 10th of
        January in the United States).
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    datetime.date

    Raises
    ------
    InvalidArgumentError
        When the value is not a day.
    """
    if value is pd.NaT:
        raise InvalidArgumentError(f"{name} is NaT (a missing date): give a day such as '2024-10-01'.")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DAY.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        raise InvalidArgumentError(
            f"{name}={value!r} is not a day: write it as ISO 'YYYY-MM-DD', e.g. '2024-10-01'."
        )
    raise InvalidArgumentError(
        f"{name} must be an ISO string 'YYYY-MM-DD', a date, a datetime or a pandas "
        f"Timestamp, not {type(value).__name__} ({value!r})."
    )


def as_period(start: DayLike, end: DayLike) -> tuple[dt.date, dt.date]:
    """Read an inclusive period ``[start, end]`` and check that it is in order.

    Raises
    ------
    InvalidArgumentError
        When either bound is not a day, or ``start`` is after ``end``.
    """
    first = as_day(start, "start")
    last = as_day(end, "end")
    if first > last:
        raise InvalidArgumentError(
            f"start ({first.isoformat()}) is after end ({last.isoformat()}): "
            "both days are inclusive, so give start <= end."
        )
    return first, last


def api_date(day: dt.date) -> str:
    """Write a day as the API's ``dd/MM/yyyy``."""
    return day.strftime("%d/%m/%Y")


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]

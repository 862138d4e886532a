"""The day elements of one vehicle read in one go, when nothing in them needs a closer look.

Most day elements of an answer are plain: their ``day`` was met before (on an
earlier vehicle), their labels too (in the period totals), and every number is
a whole number of seconds within the day. :func:`plain_days` checks all the
days of a vehicle with a few list comprehensions instead of a walk value by
value; anything else (a new day or label, a wrong type, a value out of range, a
day listed twice) gives None and the walk checks those days one by one, which
names the first problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter

__all__ = ["ALL_DIO", "DAY_TOTALS", "PlainDays", "plain_days"]

ALL_DIO = "dailyDurationSecForAllDio"
DAY_TOTALS = "dayTotalUsePerEquipement"


@dataclass(frozen=True)
class PlainDays:
    """What the plain day elements of one vehicle hold.

    Attributes
    ----------
    numbers, texts : list
        Each day's number (0 = the period's first day) and its ``day`` text.
    all_s : list of int
        Each day's ``dailyDurationSecForAllDio``, seconds.
    labels, seconds, days : list of int
        One entry per day total: its label number, its seconds and its day number.
    sums : list of int
        Each day's sum of its totals, seconds.
    """

    numbers: list[int]
    texts: list[str]
    all_s: list[int]
    labels: list[int]
    seconds: list[int]
    days: list[int]
    sums: list[int]


def plain_days(
    days: list,
    vid: int,
    day_numbers: dict[str, int],
    seen: dict[int, set[int]],
    labels: dict[str, int],
    day_seconds: list[int],
) -> PlainDays | None:
    """The day elements of vehicle ``vid`` when every one is plain, else None.

    Parameters
    ----------
    days : list
        The vehicle's ``dailyDioUtilisation``.
    day_numbers : dict
        ``{day text: day number}`` of the days met so far.
    seen : dict
        ``{vehicle: day numbers}`` already read.
    labels : dict
        ``{label: label number}`` of the labels met so far.
    day_seconds : list of int
        The length of each day of the period, seconds.
    """
    if not days:
        return PlainDays([], [], [], [], [], [], [])
    try:
        if set(map(type, days)) != {dict}:
            return None
        texts = list(map(itemgetter("day"), days))
        all_s = list(map(itemgetter(ALL_DIO), days))
        totals = list(map(itemgetter(DAY_TOTALS), days))
    except KeyError:
        return None
    if set(map(type, texts)) != {str} or set(map(type, totals)) != {dict}:
        return None
    numbers = list(map(day_numbers.get, texts))
    done = seen.get(vid, frozenset())
    if None in numbers or len(set(numbers)) < len(numbers) or not done.isdisjoint(numbers):
        return None
    highs = [day_seconds[number] for number in numbers]
    counts = list(map(len, totals))
    labels_of = list(map(labels.get, chain.from_iterable(totals)))
    seconds = list(chain.from_iterable(map(dict.values, totals)))
    if None in labels_of or not (
        _seconds_ok(all_s, highs, [1] * len(days)) and _seconds_ok(seconds, highs, counts)
    ):
        return None
    return PlainDays(
        numbers,
        texts,
        all_s,
        labels_of,
        seconds,
        list(chain.from_iterable(map(repeat, numbers, counts))),
        list(map(sum, map(dict.values, totals))),
    )


def _seconds_ok(values: list, highs: list[int], counts: list[int]) -> bool:
    """Whether every value is an int in ``0..high`` of its day (``counts`` values a day)."""
    if not values:
        return True
    if set(map(type, values)) != {int} or min(values) < 0:
        return False
    if max(values) <= min(highs):
        return True
    per_day = chain.from_iterable(map(repeat, highs, counts))
    return all(value <= high for value, high in zip(values, per_day))

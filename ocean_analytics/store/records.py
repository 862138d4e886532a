"""Vehicle-day records: what the cache keeps of an answer, and answers rebuilt from them.

A record is one vehicle on one asked day, as one request's answer gave it: the
JSON of the vehicle's day element (None when the answer did not list that day)
with the day's totals beside it, the JSON of the vehicle object (None when the
answer left the vehicle out) and the equipment labels of the element's period
totals. The JSON is kept as the answer held it (re-encoded, or the answer's own
text for the half-hour lists, see :mod:`.cache_answers`; never interpreted or
rounded): the parser reads a rebuilt answer exactly as it read the original.

A rebuilt element cannot carry the API's period totals (a cached day holds no
share of a period total), so its period totals are the sums of its days'
``dayTotalUsePerEquipement``, over every label the original elements listed in
their period totals or days (0 for a label no cached day used). When the API is
consistent (period totals are the sums of the day totals), this is what the API
itself answers for the same days.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
import pyarrow as pa

from ..dates import days_between
from ..clock import read_day
from ..parse.walk import PERIOD_KEYS
from ..api.plan import UsageRequest

__all__ = ["USAGE_SCHEMA", "DayRecord", "records_from_answer", "records_table", "asked_days", "listed_days",
           "period_labels", "rebuild_answer", "missing_runs"]

DAY_TOTALS = "dayTotalUsePerEquipement"
DAY_ALL_DIO = "dailyDurationSecForAllDio"
USAGE_SCHEMA = pa.schema([("vehicle_id", pa.int64()), ("day", pa.date32()), ("element", pa.binary()),
                          ("totals", pa.binary()), ("all_dio_s", pa.int64()), ("vehicle", pa.binary()),
                          ("labels", pa.list_(pa.string())), ("fetched_at", pa.timestamp("us", tz="UTC"))])
"""The stored vehicle-days: a record's fields, its day totals as JSON."""


@dataclass(frozen=True)
class DayRecord:
    """One vehicle on one day, as an answer gave it.

    Attributes
    ----------
    vehicle_id : int
        The vehicle asked.
    day : datetime.date
        The day asked, a calendar day on the client's ``api_tz``.
    element : bytes or None
        The JSON of the element of ``dailyDioUtilisation`` for that day; None
        when the answer did not list the day.
    totals : dict of str to int
        That element's ``dayTotalUsePerEquipement`` (seconds); empty when not listed.
    all_dio_s : int
        That element's ``dailyDurationSecForAllDio`` (seconds); 0 when not listed.
    vehicle : bytes or None
        The JSON of the ``vehicle`` object; None when the answer left the vehicle out.
    labels : tuple of str
        The equipment labels of the vehicle's period totals in that answer.
    fetched_at : datetime.datetime
        When the answer arrived (UTC, tz-aware).
    """

    vehicle_id: int
    day: dt.date
    element: bytes | None
    totals: dict[str, int]
    all_dio_s: int
    vehicle: bytes | None
    labels: tuple[str, ...]
    fetched_at: dt.datetime


def records_from_answer(request: UsageRequest, answer: list, before: dt.date,
                        fetched_at: dt.datetime) -> list[DayRecord]:
    """The records of every vehicle-day a request asked, for the days before ``before``.

    Parameters
    ----------
    request : UsageRequest
        The request that was answered.
    answer : list
        Its decoded answer, already checked by :func:`~ocean_analytics.parse_usage`.
    before : datetime.date
        The first day not yet over on ``api_tz`` (today): it and later days are
        left out, so that they are never kept as final.
    fetched_at : datetime.datetime
        When the answer arrived (UTC, tz-aware).

    Returns
    -------
    list of DayRecord
        One per asked vehicle and asked day before ``before``, listed or not.
    """
    elements = {element["vehicle"]["id"]: element for element in answer}
    days = asked_days(request, before)
    records = []
    for vehicle_id in request.vehicle_ids:
        element = elements.get(vehicle_id)
        if element is None:
            records.extend(DayRecord(vehicle_id, day, None, {}, 0, None, (), fetched_at) for day in days)
            continue
        listed = listed_days(element)
        vehicle, labels = orjson.dumps(element["vehicle"]), period_labels(element)
        for day in days:
            found = listed.get(day)
            records.append(DayRecord(
                vehicle_id, day, None if found is None else orjson.dumps(found),
                {} if found is None else found[DAY_TOTALS], 0 if found is None else found[DAY_ALL_DIO],
                vehicle, labels, fetched_at))
    return records


def records_table(records: list[DayRecord]) -> pa.Table:
    """Records as a table of :data:`USAGE_SCHEMA`, one row each, in their order."""
    columns = {name: [getattr(r, name) for r in records] for name in USAGE_SCHEMA.names}
    columns["totals"] = [orjson.dumps(totals) for totals in columns["totals"]]
    return pa.table(columns, schema=USAGE_SCHEMA)


def asked_days(request: UsageRequest, before: dt.date) -> list[dt.date]:
    """The days ``request`` asked that are before ``before``, in order."""
    last = min(request.last, before - dt.timedelta(days=1))
    return days_between(request.first, last) if request.first <= last else []


def listed_days(element: dict) -> dict[dt.date | None, dict]:
    """``{day: day element}`` of an answer's element (a later element of the same day wins)."""
    return {_day_of(found["day"]): found for found in element["dailyDioUtilisation"]}


_read_day_text = functools.lru_cache(maxsize=4096)(read_day)


def _day_of(text: object) -> dt.date | None:
    """:func:`read_day`, remembering the few day texts of a fetch."""
    return _read_day_text(text) if type(text) is str else None


def period_labels(element: dict) -> tuple[str, ...]:
    """The labels of an element's period totals, under whichever spelling the answer used."""
    for key in PERIOD_KEYS:
        if key in element:
            return tuple(element[key])
    return ()


def rebuild_answer(records: Iterable[DayRecord]) -> bytes:
    """The JSON of one answer holding every vehicle of ``records``, as the API gives it for those days.

    Each vehicle gets the vehicle object of its most recently fetched record,
    its listed days in day order, period totals that are the sums of those
    days' totals (see the module's docstring) and ``durationSecForAllDio`` the
    sum of their ``dailyDurationSecForAllDio``. A vehicle whose records all say
    the answer left it out is left out too.
    """
    by_vehicle: dict[int, list[DayRecord]] = {}
    for record in records:
        if record.vehicle is not None:
            by_vehicle.setdefault(record.vehicle_id, []).append(record)
    elements = [_element(sorted(kept, key=lambda r: r.day)) for kept in by_vehicle.values()]
    return b"[" + b",".join(elements) + b"]"


def _element(records: list[DayRecord]) -> bytes:
    """The compact JSON of one vehicle's element, from its records in day order, keys in the
    API's order."""
    latest = max(records, key=lambda r: r.fetched_at)
    totals = dict.fromkeys((label for r in records for label in r.labels), 0)
    for record in records:
        for label, seconds in record.totals.items():
            totals[label] = totals.get(label, 0) + seconds
    days = b",".join(r.element for r in records if r.element is not None)
    tail = orjson.dumps({"durationSecForAllDio": sum(r.all_dio_s for r in records), PERIOD_KEYS[0]: totals})
    return b'{"dailyDioUtilisation":[' + days + b"]," + tail[1:-1] + b',"vehicle":' + latest.vehicle + b"}"


def missing_runs(have: Iterable[dt.date], first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The days of ``[first, last]`` not in ``have``, as runs of consecutive days.

    Returns
    -------
    list of (datetime.date, datetime.date)
        Inclusive ``(first, last)`` of each run, in day order.
    """
    present = set(have)
    if not present:  # nothing stored: the whole period, without walking its days
        return [(first, last)]
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days_between(first, last):
        if day in present:
            continue
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs

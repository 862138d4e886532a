"""Fresh answers as stored vehicle-days, built from the answers' JSON text with one copy of it.

Nearly all the bytes of an answer are its ``usePerHalfHour`` lists, which the
cache keeps as they are, inside each day element's JSON. Decoding them into
Python objects only to encode them again was most of the cost of storing an
answer, so each list is cut out of the text instead (byte searches), the small
*rest* is decoded, and the JSON of a day element is its re-encoded rest with
its list's original text put back. It parses to exactly what the day element
of the whole decoded answer parses to (what
:func:`~ocean_analytics.store.records.records_from_answer` keeps, and what a
text that cannot be cut safely still goes through).

A list is cut only where that is certain: the text holds no backslash (so no
string holds a quote, and no string can hold U+0001), and the cut list, from
its ``[`` to the first ``]``, holds no ``[`` and an even number of quotes (so
that ``]`` ends no string). In the rest, list ``n`` becomes the marker string
``"\\u0001<n>"``.

The rows are laid out in the order the cache files keep them (month, vehicle,
day), and the element column is copied once from the pieces of the answers'
texts into one buffer, so that the hundreds of megabytes of half hours are
copied only once between the answers and the Parquet writer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import orjson
import pyarrow as pa

from .records import (DAY_ALL_DIO, DAY_TOTALS, USAGE_SCHEMA, DayRecord, asked_days, listed_days,
                            period_labels, records_from_answer)
from ..parse.spans import find_lists, kept_between
from ..api.plan import UsageRequest

__all__ = ["answers_table"]

_KEY = b'"usePerHalfHour":['
_MARKER = re.compile(rb'"\\u0001(\d+)"')
_EPOCH = dt.date(1970, 1, 1)
_NO_TOTALS = b"{}"
_MAX_CHUNK = 2**31 - 1
"""The most bytes of one binary array (its offsets are 32-bit)."""


def answers_table(pairs: list[tuple[UsageRequest, bytes]], before: dt.date,
                  fetched_at: dt.datetime) -> pa.Table:
    """The stored rows of fresh answers: one per asked vehicle and asked day before ``before``.

    Parameters
    ----------
    pairs : list of (UsageRequest, bytes)
        Each request with the JSON text of its answer, already checked by the parser.
    before : datetime.date
        The first day not yet over on ``api_tz`` (today).
    fetched_at : datetime.datetime
        When the answers arrived (UTC, tz-aware).

    Returns
    -------
    pyarrow.Table
        Of :data:`~ocean_analytics.store.records.USAGE_SCHEMA`: the rows
        :func:`~ocean_analytics.store.records.records_from_answer` gives, sorted by
        month, vehicle and day.
    """
    rows = _Rows()
    for request, body in pairs:
        cut = _cut(body)
        if cut is None:
            rows.add_records(records_from_answer(request, orjson.loads(body), before, fetched_at))
        else:
            rows.add_answer(request, orjson.loads(cut[0]), body, cut[1], before)
    return rows.table(fetched_at)


def _cut(text: bytes) -> tuple[bytes, list[tuple[int, int]]] | None:
    """The text with every ``usePerHalfHour`` list replaced by a marker, and where the lists are
    (``[`` to just after ``]``); None when the text holds a backslash or a list whose end is not
    certain."""
    if b"\\" in text:
        return None
    opening, closing = find_lists(text, _KEY)  # a list holding lists stays in the rest
    if any(text.count(b'"', begin, end) % 2 for begin, end in zip(opening, closing)):
        return None
    pieces = kept_between(text, opening, closing)
    markers = [b'"\\u0001%d"' % n for n in range(len(opening))]
    joined = [piece for pair in zip(pieces, markers) for piece in pair]
    return b"".join([*joined, pieces[-1]]), list(zip(opening, closing))


@dataclass
class _Rows:
    """Stored rows gathered from answers, one flat list per column.

    The JSON of row ``k``'s element is ``parts[part_ends[k]:part_ends[k + 1]]``
    joined, where an int ``g`` stands for list ``g``, the bytes
    ``texts[list_text[g]][list_begin[g]:list_end[g]]``. A vehicle and its labels
    are kept once per answer's vehicle (``owners`` numbers them). Per row, only
    flat lists of bytes and ints grow, so that the cyclic garbage collector has
    nothing new to scan.
    """

    ids: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    listed: list[bool] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    parts: list[bytes | int] = field(default_factory=list)
    part_ends: list[int] = field(default_factory=lambda: [0])
    totals: list[bytes] = field(default_factory=list)
    all_dio: list[int] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    vehicles: list[bytes | None] = field(default_factory=list)
    labels: list[tuple[str, ...]] = field(default_factory=list)
    texts: list[memoryview] = field(default_factory=list)
    list_text: list[int] = field(default_factory=list)
    list_begin: list[int] = field(default_factory=list)
    list_end: list[int] = field(default_factory=list)

    def add_answer(self, request: UsageRequest, rest: list, text: bytes, spans: list[tuple[int, int]],
                   before: dt.date) -> None:
        """Add the rows of one answer from its decoded rest, its lists' texts kept in ``text``."""
        first_list = len(self.list_begin)
        self.list_text += [len(self.texts)] * len(spans)
        self.list_begin += [begin for begin, _ in spans]
        self.list_end += [end for _, end in spans]
        self.texts.append(memoryview(text))

        def encode(value: object) -> bytes:
            dumped = orjson.dumps(value)
            return dumped if b"\\u0001" not in dumped else self._joined(self._split(dumped, first_list)[0])

        elements = {element["vehicle"]["id"]: element for element in rest}
        days = asked_days(request, before)
        for vehicle_id in request.vehicle_ids:
            element = elements.get(vehicle_id)
            listed = {} if element is None else listed_days(element)
            self._vehicle(vehicle_id, (request.first - _EPOCH).days, len(days),
                          None if element is None else encode(element["vehicle"]),
                          () if element is None else period_labels(element))
            for found in (listed.get(day) for day in days):
                self._day(None if found is None else self._split(orjson.dumps(found), first_list),
                          _NO_TOTALS if found is None else encode(found[DAY_TOTALS]),
                          0 if found is None else found[DAY_ALL_DIO])

    def add_records(self, records: list[DayRecord]) -> None:
        """Add records, each with its own vehicle entry."""
        for record in records:
            self._vehicle(record.vehicle_id, (record.day - _EPOCH).days, 1, record.vehicle, record.labels)
            element = record.element
            self._day(None if element is None else ([element], len(element)), orjson.dumps(record.totals),
                      record.all_dio_s)

    def _split(self, dumped: bytes, first_list: int) -> tuple[list[bytes | int], int]:
        """The parts of JSON with markers (each marker the number of its list), and their size."""
        parts = _MARKER.split(dumped)
        size = 0
        for k in range(1, len(parts), 2):
            parts[k] = number = first_list + int(parts[k])
            size += self.list_end[number] - self.list_begin[number]
        return parts, size + sum(len(parts[k]) for k in range(0, len(parts), 2))

    def _joined(self, parts: list[bytes | int]) -> bytes:
        """The JSON of parts, their lists put back."""
        return b"".join(self._text(part) if type(part) is int else part for part in parts)

    def _text(self, number: int) -> memoryview:
        """The text of list ``number``."""
        return self.texts[self.list_text[number]][self.list_begin[number]:self.list_end[number]]

    def _vehicle(self, vehicle_id: int, first: int, count: int, vehicle: bytes | None,
                 labels: tuple[str, ...]) -> None:
        """The per-vehicle columns of ``count`` days from day number ``first``."""
        self.ids += [vehicle_id] * count
        self.days += range(first, first + count)
        self.owners += [len(self.vehicles)] * count
        self.vehicles.append(vehicle)
        self.labels.append(labels)

    def _day(self, element: tuple[list[bytes | int], int] | None, totals: bytes, all_dio: int) -> None:
        """The per-day columns of one row; ``element`` is its JSON's parts and size (None: not listed)."""
        self.listed.append(element is not None)
        if element is not None:
            self.parts += element[0]
        self.part_ends.append(len(self.parts))
        self.sizes.append(0 if element is None else element[1])
        self.totals.append(totals)
        self.all_dio.append(all_dio)

    def table(self, fetched_at: dt.datetime) -> pa.Table:
        """The rows as a table, sorted by month, vehicle and day."""
        ids, days = np.array(self.ids, dtype=np.int64), np.array(self.days, dtype=np.int32)
        order = np.lexsort((days, ids, days.astype("datetime64[D]").astype("datetime64[M]")))
        owners = pa.array(np.array(self.owners, dtype=np.int64)[order])
        columns = [
            pa.array(ids[order]),
            pa.array(days[order], pa.date32()),
            self._element_column(order),
            pa.array([self.totals[k] for k in order], pa.binary()),
            pa.array(np.array(self.all_dio, dtype=np.int64)[order]),
            pa.array(self.vehicles, pa.binary()).take(owners),
            pa.array(self.labels, pa.list_(pa.string())).take(owners),
            pa.repeat(pa.scalar(fetched_at, USAGE_SCHEMA.field("fetched_at").type), len(order)),
        ]
        return pa.Table.from_arrays(columns, schema=USAGE_SCHEMA)

    def _element_column(self, order: np.ndarray) -> pa.ChunkedArray:
        """The element JSON in ``order``, copied once from the parts into one buffer."""
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(np.array(self.sizes, dtype=np.int64)[order], out=offsets[1:])
        data = pa.allocate_buffer(int(offsets[-1]))  # Arrow's pool: memory it has used before
        out, at, parts, ends = memoryview(data).cast("B"), 0, self.parts, self.part_ends
        for k in order.tolist():
            for part in parts[ends[k]:ends[k + 1]]:
                piece = self._text(part) if type(part) is int else part
                out[at:at + len(piece)] = piece
                at += len(piece)
        listed = np.array(self.listed, dtype=bool)[order]
        return pa.chunked_array([_binary(data, offsets[a:b + 1], listed[a:b])
                                 for a, b in _chunks(offsets)], pa.binary())


def _chunks(offsets: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges ``(first, stop)`` whose bytes fit the 32-bit offsets of a binary array."""
    ranges, first = [], 0
    while True:
        stop = int(np.searchsorted(offsets, offsets[first] + _MAX_CHUNK, side="right")) - 1
        if stop >= len(offsets) - 1:
            return [*ranges, (first, len(offsets) - 1)]
        ranges.append((first, max(stop, first + 1)))
        first = ranges[-1][1]


def _binary(data: pa.Buffer, offsets: np.ndarray, listed: np.ndarray) -> pa.Array:
    """A binary array of the rows at ``data[offsets[k]:offsets[k + 1]]``, null where not ``listed``."""
    start = int(offsets[0])
    return pa.Array.from_buffers(
        pa.binary(), len(listed),
        [pa.py_buffer(np.packbits(listed, bitorder="little")), pa.py_buffer((offsets - start).astype(np.int32)),
         data.slice(start, int(offsets[-1]) - start)],
        null_count=int(len(listed) - np.count_nonzero(listed)))

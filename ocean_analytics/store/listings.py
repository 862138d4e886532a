"""The store's listings: the fleet listing, plate look-ups and the silent boxes, kept for a while.

Per API and customer, one Parquet file each (:meth:`Partition.listing`):

* ``fleet``: the whole-fleet listing, one row per vehicle in the server's order
  (:data:`FLEET`): its id, plate, entity (id and name), fleet number, make and
  model, never the driver;
* ``plates``: plate look-ups (:data:`PLATES`), a plate's newest id kept;
* ``silent``: the boxes of ``noncommunicant/list`` (:data:`SILENT`), one row per
  vehicle, with what the service said in the file's metadata
  (:data:`COVERAGE_KEY`: whether it answered, its refusal, the boxes in no
  vehicle, when it was asked), so that a refusal (403/404) is kept as well as an
  empty list.

Each is trusted for a lifetime the caller gives (vehicles join fleets, plates
move, boxes fall silent): older, it counts as absent. A file that is unreadable
or of other columns is reported and counts as absent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .files import read_table, write_group
from .layout import Partition

__all__ = ["FLEET", "PLATES", "SILENT", "COVERAGE_KEY", "Listings"]

_STAMP = pa.timestamp("us", tz="UTC")
FLEET = pa.schema(
    [
        ("vehicle_id", pa.int64()),
        ("plate", pa.string()),
        ("entity_id", pa.int64()),
        ("entity_name", pa.string()),
        ("fleet_number", pa.string()),
        ("make", pa.string()),
        ("model", pa.string()),
        ("fetched_at", _STAMP),
    ]
)
"""The fleet listing as stored: one row per vehicle; ``vehicle_id`` and ``fetched_at`` never null."""
PLATES = pa.schema([("vehicle_id", pa.int64()), ("plate", pa.string()), ("fetched_at", _STAMP)])
"""Plate look-ups as stored: no null."""
SILENT = pa.schema(
    [
        ("vehicle_id", pa.int64()),
        ("plate", pa.string()),
        ("never_communicated", pa.bool_()),
        ("installed_at", _STAMP),
        ("last_communication_at", _STAMP),
        ("reason", pa.string()),
    ]
)
"""The silent boxes as stored: UTC instants; ``vehicle_id`` and ``never_communicated`` never null."""
COVERAGE_KEY = b"ocean_analytics.coverage"
"""The metadata key of the ``silent`` file: JSON ``{"known", "refusal", "boxes_without_vehicle",
"fetched_at"}``."""

_REQUIRED = {"fleet": ("vehicle_id", "fetched_at"), "plates": ("vehicle_id", "plate", "fetched_at")}
_SCHEMAS = {"fleet": FLEET, "plates": PLATES, "silent": SILENT}


class Listings:
    """The listings of one API and customer.

    Parameters
    ----------
    partition : Partition
        Where they live.
    report : callable
        ``report(path, reason)`` warns of a file that cannot be used.
    unwritten : callable
        ``unwritten(error)`` warns of a file that cannot be written (an ``OSError``).
    """

    def __init__(
        self,
        partition: Partition,
        report: Callable[[Path, str], None],
        unwritten: Callable[[OSError], None],
    ) -> None:
        self.partition, self.report, self.unwritten = partition, report, unwritten

    def fleet(self, lifetime: dt.timedelta) -> list[dict] | None:
        """The stored fleet listing's rows (the columns of :data:`FLEET` but ``fetched_at``), in
        the server's order; None when absent or older than ``lifetime``."""
        rows = self._rows("fleet")
        if not rows or not all(_recent(row["fetched_at"], lifetime) for row in rows):
            return None
        return [{k: v for k, v in row.items() if k != "fetched_at"} for row in rows]

    def save_fleet(self, rows: list[dict]) -> None:
        """Store the fleet listing: rows of the columns of :data:`FLEET` but ``fetched_at`` (an
        empty fleet is not stored)."""
        now = _now()
        self._save("fleet", [{**row, "fetched_at": now} for row in rows])

    def plates(self, plates: list[str], lifetime: dt.timedelta) -> dict[int, str] | None:
        """``{vehicle_id: plate}`` for these plates, written exactly so, when every one was looked
        up less than ``lifetime`` ago; None otherwise."""
        rows = self._rows("plates")
        known = {row["plate"]: row["vehicle_id"] for row in rows if _recent(row["fetched_at"], lifetime)}
        if not all(plate in known for plate in plates):
            return None
        return {known[plate]: plate for plate in plates}

    def save_plates(self, resolved: dict[int, str]) -> None:
        """Add plate look-ups ``{vehicle_id: plate}`` to the stored ones (a plate's new id wins)."""
        now = _now()
        stored = {row["plate"]: row for row in self._rows("plates", warn=False)}
        stored.update({p: {"vehicle_id": v, "plate": p, "fetched_at": now} for v, p in resolved.items()})
        self._save("plates", list(stored.values()))

    def silent(self, lifetime: dt.timedelta) -> tuple[pd.DataFrame, dict] | None:
        """The stored silent boxes (the columns of :data:`SILENT`, instants in UTC) and what the
        service said (:data:`COVERAGE_KEY` but ``fetched_at``); None when absent or older than
        ``lifetime``."""
        table = self._table("silent")
        if table is None:
            return None
        facts = json.loads(table.schema.metadata[COVERAGE_KEY])
        if not _recent(dt.datetime.fromisoformat(facts.pop("fetched_at")), lifetime):
            return None
        return table.to_pandas(), facts

    def save_silent(self, boxes: pd.DataFrame, facts: dict) -> None:
        """Store the silent boxes (a frame of the columns of :data:`SILENT`, instants tz-aware) and
        what the service said: ``known`` (bool), ``refusal`` (str or None) and
        ``boxes_without_vehicle`` (int)."""
        table = pa.Table.from_pandas(boxes[SILENT.names], preserve_index=False).cast(SILENT)
        stamp = {**facts, "fetched_at": _now().isoformat()}
        self._write("silent", table.replace_schema_metadata({COVERAGE_KEY: json.dumps(stamp)}))

    def _rows(self, name: str, *, warn: bool = True) -> list[dict]:
        table = self._table(name, warn=warn)
        return [] if table is None else table.to_pylist()

    def _table(self, name: str, *, warn: bool = True) -> pa.Table | None:
        """A listing's table, checked; None when it is missing, or unusable (reported when ``warn``)."""
        path = self.partition.listing(name)
        try:
            table = read_table(path)
            expected = _SCHEMAS[name]
            if not pa.schema(list(table.schema)).equals(expected):
                raise ValueError(f"its columns are {table.schema.names}, not {expected.names}")
            if any(table[column].null_count for column in _REQUIRED.get(name, ())):
                raise ValueError("it holds a missing value")
            if name == "silent":
                _check_facts(table)
            return table
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as err:
            if warn:
                self.report(path, f"unreadable, {type(err).__name__}: {err}")
            return None

    def _save(self, name: str, rows: list[dict]) -> None:
        if rows:
            self._write(name, pa.Table.from_pylist(rows, schema=_SCHEMAS[name]))

    def _write(self, name: str, table: pa.Table) -> None:
        path = self.partition.listing(name)
        try:
            write_group({path: table})
        except OSError as err:
            self.unwritten(err)


def _check_facts(table: pa.Table) -> None:
    """Raise ValueError when the ``silent`` file's metadata is not what :meth:`Listings.save_silent`
    writes, or a row misses a required value."""
    facts = json.loads((table.schema.metadata or {})[COVERAGE_KEY])
    if not (
        isinstance(facts.get("known"), bool)
        and isinstance(facts.get("refusal"), (str, type(None)))
        and type(facts.get("boxes_without_vehicle")) is int
        and isinstance(facts.get("fetched_at"), str)
    ):
        raise ValueError(f"its metadata {facts!r} is not a coverage record")
    if table["vehicle_id"].null_count or table["never_communicated"].null_count:
        raise ValueError("it holds a missing value")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _recent(fetched_at: dt.datetime | None, lifetime: dt.timedelta) -> bool:
    return fetched_at is not None and _now() - fetched_at < lifetime

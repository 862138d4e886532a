"""The local cache: what was fetched, per API, customer, clock, vehicle and day, in Parquet.

Layout under the cache folder (``platformdirs.user_cache_dir("ocean-analytics")``
by default)::

    CACHEDIR.TAG                         marks the folder as a cache (backup tools skip it)
    <api>/<customer>/fleet.parquet       the whole-fleet listing
    <api>/<customer>/plates.parquet      plate -> vehicle id look-ups
    <api>/<customer>/usage/<api_tz>/<YYYY-MM>.parquet
                                         one row per stored vehicle-day of that month

``<api>`` is the base URL and ``<customer>`` the client's ``customer_id`` (or, for
a login without one, a hash of the login, so that two accounts never share a
fleet listing), each made safe for a file name and followed by a short hash. A
usage row keeps the JSON of that vehicle's day element and vehicle object (see
:mod:`.cache_records`); days not yet over on ``api_tz`` are never stored. The
listings are trusted for :data:`LISTING_LIFETIME` only: vehicles join fleets
and plates move.

Files are replaced whole (:mod:`.cache_files`): when two processes store days
of the same month at once, the last one wins and the other's days are simply
fetched again later. A file that cannot be read is reported by a warning naming
it; its days are fetched again and it is rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import platformdirs
import pyarrow as pa
import pyarrow.compute as pc

from .snapshots import Snapshots
from .files import empty_folder, is_marked, mark_folder, read_table, write_table
from .records import USAGE_SCHEMA as _USAGE
from .records import DayRecord, records_table
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ..api.client import OceanClient

__all__ = ["LISTING_LIFETIME", "UsageCache", "cache_folder", "clear_cache"]

LISTING_LIFETIME = dt.timedelta(hours=12)
"""How long a cached fleet listing or plate look-up is used before it is asked again."""

APP_NAME = "ocean-analytics"
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
_UTC = pa.timestamp("us", tz="UTC")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_DAY_BITS = 2**20  # a vehicle-day's key: vehicle_id * 2**20 + days since 1970 (ids are int32)
_LISTING = pa.schema([("vehicle_id", pa.int64()), ("plate", pa.string()), ("fetched_at", _UTC)])


def cache_folder(cache: bool | str | os.PathLike) -> Path | None:
    """The cache folder a ``cache=`` argument names; None for ``cache=False``.

    Raises
    ------
    InvalidArgumentError
        When ``cache`` is neither a bool nor a non-empty path.
    """
    if cache is False:
        return None
    if cache is True:
        return Path(platformdirs.user_cache_dir(APP_NAME))
    if isinstance(cache, (str, os.PathLike)) and str(cache).strip():
        return Path(cache).expanduser()
    raise InvalidArgumentError(
        f"cache must be True (the user's cache folder), False, or a folder path, not {cache!r}.")


def clear_cache(path: str | os.PathLike | None = None) -> Path:
    """Empty the cache: every stored day, fleet listing and plate look-up.

    Parameters
    ----------
    path : str or path-like, optional
        The cache folder, as given to ``fetch_usage(cache=...)``; the user's
        cache folder by default.

    Returns
    -------
    pathlib.Path
        The folder, now empty but for its ``CACHEDIR.TAG``.

    Raises
    ------
    InvalidArgumentError
        When the folder holds files but is not an ocean-analytics cache (it has
        no ``CACHEDIR.TAG`` written by this package): nothing is deleted.
    """
    folder = cache_folder(True if path is None else path)
    if not folder.is_dir():
        return folder
    if not is_marked(folder) and any(folder.iterdir()):
        raise InvalidArgumentError(
            f"{str(folder)!r} is not an ocean-analytics cache (it has no CACHEDIR.TAG of ours): nothing "
            "was deleted. Give the folder you passed as cache=.")
    empty_folder(folder)
    return folder


class UsageCache:
    """The stored vehicle-days and listings of one API, customer and clock.

    Parameters
    ----------
    folder : pathlib.Path
        The cache folder; created (with its ``CACHEDIR.TAG``) if missing.
    base_url : str
        The API's base URL.
    customer : str
        The customer: its id, or a stand-in for a login without one.
    api_tz : str
        The clock of the API's days.
    reuse : bool
        False (``refresh=True``): nothing stored is read back, and what is
        fetched replaces it.

    Raises
    ------
    InvalidArgumentError
        When the folder cannot be created or written.
    """

    def __init__(self, folder: Path, base_url: str, customer: str, api_tz: str, *,
                 reuse: bool = True) -> None:
        try:
            mark_folder(folder)
        except OSError as err:
            raise InvalidArgumentError(
                f"The cache folder {str(folder)!r} cannot be used ({err.strerror or err}): give cache= a "
                "folder you can write, or cache=False.") from err
        self.folder = folder
        self.reuse = reuse
        self.customer_folder = folder / _safe(base_url) / _safe(customer)
        self.usage_folder = self.customer_folder / "usage" / _safe(api_tz)
        self.snapshots = Snapshots(self.customer_folder / "snapshots" / _safe(api_tz), reuse=reuse)
        self._reported: set[Path] = set()

    @classmethod
    def for_client(cls, cache: bool | str | os.PathLike, client: OceanClient, *,
                   refresh: bool = False) -> UsageCache | None:
        """The cache of an :class:`OceanClient`'s API, customer and clock; None for ``cache=False``.

        Raises
        ------
        InvalidArgumentError
            For a bad ``cache``, a ``refresh`` that is not a bool, ``refresh=True``
            without a cache, or a folder that cannot be written.
        """
        if not isinstance(refresh, bool):
            raise InvalidArgumentError(f"refresh must be True or False, not {refresh!r}.")
        folder = cache_folder(cache)
        if folder is None:
            if refresh:
                raise InvalidArgumentError("refresh=True renews the cache, but cache=False: pass cache=True "
                                           "(or a cache folder) with it, or drop refresh.")
            return None
        customer = (str(client.customer_id) if client.customer_id is not None
                    else "login-" + hashlib.sha256(str(client.login).encode()).hexdigest()[:16])
        return cls(folder, client.base_url, customer, client.api_tz, reuse=not refresh)

    # -- vehicle-days -----------------------------------------------------------------------
    def load(self, vehicle_ids: Iterable[int], first: dt.date, last: dt.date,
             before: dt.date) -> list[DayRecord]:
        """The stored records of these vehicles from ``first`` to ``last``, for the days before
        ``before`` only ([] when not ``reuse``)."""
        last = min(last, before - dt.timedelta(days=1))
        if not self.reuse or last < first:
            return []
        ids = pa.array(list(vehicle_ids), pa.int64())

        def wanted(table: pa.Table) -> list[DayRecord]:
            day = table["day"]
            mask = pc.and_(pc.is_in(table["vehicle_id"], ids),
                           pc.and_(pc.greater_equal(day, first), pc.less_equal(day, last)))
            return _records(table.filter(mask))

        records: list[DayRecord] = []
        for month in _months(first, last):
            records.extend(self._read(self._month_file(month), _USAGE, warn=True, convert=wanted) or [])
        return records

    def save(self, records: Iterable[DayRecord], before: dt.date) -> None:
        """Store records (days before ``before`` only), replacing stored ones of the same vehicle-day.

        A failure to write is reported by a warning: the fetch's frames are
        complete all the same, and the days are fetched again next time.
        """
        self.save_table(records_table(list(records)), before)

    def save_table(self, table: pa.Table, before: dt.date) -> None:
        """:meth:`save` of rows already in a table of the stored columns
        (:data:`~ocean_analytics.store.records.USAGE_SCHEMA`); rows already sorted by month,
        vehicle and day (as :func:`~ocean_analytics.store.answers.answers_table` gives them)
        are written without a copy. The month files are written at once, on threads."""
        table, months = _by_month(table, before)
        jobs = [(self._month_file(months[first].astype(dt.date)), table.slice(first, stop - first))
                for first, stop in _runs(months)]
        if not jobs:
            return
        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1),
                                thread_name_prefix="ocean-cache") as pool:
            failures = [failure for failure in pool.map(self._save_month, jobs) if failure is not None]
        if failures:
            _warn_unwritten(*failures[0])

    def _save_month(self, job: tuple[Path, pa.Table]) -> tuple[Path, OSError] | None:
        """Write one month's rows over the stored ones of other vehicle-days; the path and the
        error when it cannot be written."""
        path, fresh = job
        stored = self._read(path, _USAGE, warn=False)
        if stored is not None:
            others = pc.invert(pc.is_in(_keys(stored), _keys(fresh)))
            fresh = pa.concat_tables([stored.filter(others), fresh]).sort_by(
                [("vehicle_id", "ascending"), ("day", "ascending")])
        try:
            write_table(path, fresh)
        except OSError as err:
            return path, err
        return None

    def _month_file(self, month: dt.date) -> Path:
        return self.usage_folder / f"{month:%Y-%m}.parquet"

    # -- listings ---------------------------------------------------------------------------
    def fleet(self) -> dict[int, str | None] | None:
        """The cached whole-fleet listing ``{vehicle_id: plate}``, in the server's order; None
        when absent, older than :data:`LISTING_LIFETIME` or not ``reuse``."""
        table = self._read(self.customer_folder / "fleet.parquet", _LISTING, warn=True) if self.reuse else None
        if table is None or not table.num_rows or not _all_recent(table["fetched_at"]):
            return None
        return dict(zip(table["vehicle_id"].to_pylist(), table["plate"].to_pylist()))

    def save_fleet(self, fleet: dict[int, str | None]) -> None:
        """Store the whole-fleet listing ``{vehicle_id: plate}`` (an empty fleet is not stored)."""
        now = _now()
        self._save_listing("fleet.parquet", [{"vehicle_id": v, "plate": p, "fetched_at": now}
                                             for v, p in fleet.items()])

    def plates(self, plates: list[str]) -> dict[int, str] | None:
        """``{vehicle_id: plate}`` for these plates, written exactly so, when every one was looked
        up less than :data:`LISTING_LIFETIME` ago (and ``reuse``); None otherwise."""
        rows = self._listing("plates.parquet", warn=True) if self.reuse else []
        known = {row["plate"]: row["vehicle_id"] for row in rows if _recent(row)}
        if not all(plate in known for plate in plates):
            return None
        return {known[plate]: plate for plate in plates}

    def save_plates(self, resolved: dict[int, str]) -> None:
        """Add plate look-ups ``{vehicle_id: plate}`` to the stored ones (a plate's new id wins)."""
        now = _now()
        stored = {row["plate"]: row for row in self._listing("plates.parquet", warn=False)}
        stored.update({p: {"vehicle_id": v, "plate": p, "fetched_at": now} for v, p in resolved.items()})
        self._save_listing("plates.parquet", list(stored.values()))

    def _listing(self, name: str, *, warn: bool) -> list[dict]:
        return self._read(self.customer_folder / name, _LISTING, warn=warn, convert=pa.Table.to_pylist) or []

    def _save_listing(self, name: str, rows: list[dict]) -> None:
        path = self.customer_folder / name
        try:
            if rows:
                write_table(path, pa.Table.from_pylist(rows, schema=_LISTING))
        except OSError as err:
            _warn_unwritten(path, err)

    # -- reading ----------------------------------------------------------------------------
    def _read(self, path: Path, schema: pa.Schema, *, warn: bool,
              convert: Callable[[pa.Table], Any] | None = None) -> Any:
        """``convert`` of a cache file's table; None when the file is missing or unreadable (or
        ``convert`` finds it damaged), which is reported once per file when ``warn``."""
        try:
            table = read_table(path, schema)
            return table if convert is None else convert(table)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, pa.ArrowException) as err:
            if warn and path not in self._reported:
                self._reported.add(path)
                warnings.warn(f"The cache file {path} is unreadable ({type(err).__name__}: {err}); its "
                              "content is fetched again and the file rewritten.", stacklevel=4)
            return None


def _records(table: pa.Table) -> list[DayRecord]:
    """The rows of a usage table as records; ValueError when a row's day totals are not
    ``{label: seconds}``."""
    columns = [table[name].to_pylist() for name in _USAGE.names[:-1]]
    micros = table["fetched_at"].cast(pa.int64()).to_pylist()  # far faster than tz-aware to_pylist
    stamps = {us: _EPOCH + dt.timedelta(microseconds=us) for us in set(micros)}
    columns.append([stamps[us] for us in micros])
    records = []
    for vehicle_id, day, element, totals, all_dio_s, vehicle, labels, fetched_at in zip(*columns):
        totals = orjson.loads(totals)
        if not (isinstance(totals, dict) and all(type(s) is int for s in totals.values())):
            raise ValueError(f"vehicle {vehicle_id} on {day}: the stored day totals are not {{label: seconds}}")
        records.append(DayRecord(vehicle_id, day, element, totals, all_dio_s, vehicle, tuple(labels), fetched_at))
    return records


def _by_month(table: pa.Table, before: dt.date) -> tuple[pa.Table, np.ndarray]:
    """The rows of days before ``before``, sorted by month, vehicle and day (stably), and the
    month of each (numpy ``datetime64[M]``)."""
    days = table["day"].to_numpy().astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    order = np.lexsort((days, table["vehicle_id"].to_numpy(), months))
    order = order[days[order] < np.datetime64(before, "D")]
    if len(order) == len(days) and np.array_equal(order, np.arange(len(order))):
        return table, months
    return table.take(order), months[order]


def _runs(months: np.ndarray) -> list[tuple[int, int]]:
    """``(first, stop)`` of each run of equal months."""
    starts = (np.flatnonzero(months[1:] != months[:-1]) + 1).tolist()
    return list(zip([0, *starts], [*starts, len(months)])) if len(months) else []


def _keys(table: pa.Table) -> pa.Array:
    """One int64 per row naming its vehicle-day."""
    days = pc.cast(table["day"], pa.int32()).cast(pa.int64())
    return pc.add(pc.multiply(table["vehicle_id"], _DAY_BITS), days)



def _warn_unwritten(path: Path, err: OSError) -> None:
    warnings.warn(f"Could not write the cache file {path} ({err}): the frames are complete, but what it "
                  "would hold is asked from the server again next time.", stacklevel=4)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _safe(text: str) -> str:
    """A folder name for ``text``: its safe characters, then a short hash against collisions."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', text).strip('_.')[:60]}-{digest}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _all_recent(fetched_at: pa.ChunkedArray) -> bool:
    """True when every listing row was fetched less than :data:`LISTING_LIFETIME` ago (none unknown)."""
    oldest = pc.min(fetched_at).as_py()
    return not fetched_at.null_count and oldest is not None and _now() - oldest < LISTING_LIFETIME


def _recent(row: dict) -> bool:
    return _now() - row["fetched_at"] < LISTING_LIFETIME

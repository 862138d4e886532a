"""The local cache: the parsed tidy rows of every vehicle-day fetched, as a Parquet dataset.

The cache folder (``platformdirs.user_cache_dir("ocean-analytics")`` by default)
is a hive-partitioned dataset that DuckDB, Polars, Dask and Spark read as it
is (layout in :mod:`.layout`): per API, customer, ``api_tz`` and month, the rows
of ``daily``, ``half_hours``, ``vehicle_days`` and ``vehicles`` exactly as the
frames hold them, and ``asked``, the store's record of each vehicle-day it
holds (:data:`~ocean_analytics.store.tables.ASKED`); per API and customer the
whole-fleet listing, plate look-ups and the silent boxes (:mod:`.listings`),
trusted for :data:`LISTING_LIFETIME` only (vehicles join fleets, plates move,
boxes fall silent).

A fetch asks :meth:`UsageStore.load` what is stored (every vehicle-day of the
period's months, checked by :mod:`.checks`; a file that is unreadable or fails
is named in a warning and its month counts as not stored), fetches the rest,
and gives the fresh parse to :meth:`UsageStore.save`, which merges it into the
months it touches, never a day not yet over on ``api_tz``. Nothing is ever
parsed again: the stored rows are the frames' rows.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import pandas as pd
import platformdirs
import pyarrow as pa

from ..errors import InvalidArgumentError
from ..usage import Usage
from .combine import with_day_total_period
from .files import empty_folder, is_marked, locked, mark_folder, write_group
from .held import Stored, stored_frames
from .layout import MONTHLY, Partition, api_slug, customer_slug, months_between, zone_slug
from .listings import Listings
from .months import MonthUnreadable, merge_month, read_month
from .repeats import Repeats, repeat_key
from .rows import fresh_months
from .tables import schemas

__all__ = ["LISTING_LIFETIME", "Account", "UsageStore", "cache_folder", "clear_cache"]

LISTING_LIFETIME = dt.timedelta(hours=12)
"""How long a cached fleet listing, plate look-up or list of silent boxes is used before it is
asked again."""

APP_NAME = "ocean-analytics"


class Account(Protocol):
    """What the store needs of a client: which API, customer and clock its rows belong to."""

    base_url: str
    customer_id: int | None
    login: str | None
    api_tz: str


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
        f"cache must be True (the user's cache folder), False, or a folder path, not {cache!r}."
    )


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
            "was deleted. Give the folder you passed as cache=."
        )
    empty_folder(folder)
    return folder


class UsageStore:
    """The stored vehicle-days and listings of one API, customer and clock.

    Parameters
    ----------
    folder : pathlib.Path
        The cache folder; created (with its ``CACHEDIR.TAG``) if missing.
    base_url : str
        The API's base URL.
    customer : str
        The ``customer=`` partition value (:func:`~ocean_analytics.store.layout.customer_slug`).
    api_tz : str
        The clock of the API's days (an IANA name).
    reuse : bool
        False (``refresh=True``): nothing stored is read back, and what is
        fetched replaces it.

    Raises
    ------
    InvalidArgumentError
        When the folder cannot be created or written.
    """

    def __init__(
        self, folder: Path, base_url: str, customer: str, api_tz: str, *, reuse: bool = True
    ) -> None:
        try:
            mark_folder(folder)
        except OSError as err:
            raise InvalidArgumentError(
                f"The cache folder {str(folder)!r} cannot be used ({err.strerror or err}): give cache= a "
                "folder you can write, or cache=False."
            ) from err
        self.folder, self.api_tz, self.reuse = folder, api_tz, reuse
        self.partition = Partition(folder, api_slug(base_url), customer, zone_slug(api_tz))
        self.repeats = Repeats(self.partition)
        self.listings = Listings(self.partition, self._report, _warn_unwritten)
        self.schemas = schemas(api_tz)
        self._reported: set[str] = set()

    @classmethod
    def for_client(
        cls, cache: bool | str | os.PathLike, client: Account, *, refresh: bool = False
    ) -> UsageStore | None:
        """The store of a client's API, customer and clock; None for ``cache=False``.

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
                raise InvalidArgumentError(
                    "refresh=True renews the cache, but cache=False: pass cache=True "
                    "(or a cache folder) with it, or drop refresh."
                )
            return None
        return cls(
            folder,
            client.base_url,
            customer_slug(client.customer_id, client.login),
            client.api_tz,
            reuse=not refresh,
        )

    # -- vehicle-days -----------------------------------------------------------------------
    def load(self, vehicle_ids: Sequence[int], first: dt.date, last: dt.date, *, before: dt.date) -> Stored:
        """What is stored of these vehicles from ``first`` to ``last``, days before ``before`` only.

        Nothing when not ``reuse``. An unreadable or damaged file is named in a
        warning (once per file) and its month counts as not stored.
        """
        stop = min(last, before - dt.timedelta(days=1))
        ids = [int(v) for v in vehicle_ids]
        if not self.reuse or stop < first:
            return Stored.nothing(ids, first, last)
        tables = []
        with locked(self.folder, shared=True):
            for month in months_between(first, stop):
                try:
                    found = read_month(self.partition.month_files(month), self.schemas, month)
                except MonthUnreadable as err:
                    self._report(err.path, err.reason)
                    continue
                if found is not None:
                    tables.append(found)
        return stored_frames(tables, ids, first, last, stop=stop, api_tz=self.api_tz)

    def save(
        self,
        fresh: Usage,
        asked: Iterable[tuple[Sequence[int], dt.date, dt.date]],
        *,
        before: dt.date,
        repeat: tuple[dict[int, str | None], Usage] | None = None,
    ) -> None:
        """Store the vehicle-days the fetch asked (days before ``before`` only) from its fresh parse.

        Each month touched keeps its stored rows of other vehicle-days and is
        written anew; the months are written at once, on threads. A month that
        cannot be written is reported by a warning: the fetch's frames are
        complete all the same, and its days are fetched again next time.

        Parameters
        ----------
        fresh : Usage
            The parse of the answers to ``asked`` (over any period holding them).
        asked : iterable of (vehicle ids, first day, last day)
            Each request answered, both days inclusive.
        before : datetime.date
            The first day not yet over on ``api_tz`` (today).
        repeat : (vehicles, usage), optional
            The fetch's finished frames and the vehicles (with the plates they were
            asked by) it was for: kept as by :meth:`keep_repeat` when every asked day
            is now stored, their files written on a thread while the months are.
        """
        with (
            locked(self.folder),
            ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="ocean-cache") as pool,
        ):
            staged = pool.submit(self._stage, repeat[1]) if repeat is not None else None
            kept = False
            try:
                months, complete = self._fresh_months(fresh, list(asked), before)
                failures = [failure for failure in pool.map(self._save_month, months.items()) if failure]
                kept = complete and not failures
            finally:  # also on Ctrl-C: a staged repeat is kept or removed, never left behind
                if staged is not None:
                    self._keep_staged(staged.result(), repeat, kept)
        if failures:
            _warn_unwritten(failures[0])

    def _fresh_months(
        self, fresh: Usage, asked: list[tuple[Sequence[int], dt.date, dt.date]], before: dt.date
    ) -> tuple[dict[dt.date, dict[str, pa.Table]], bool]:
        """:func:`~.rows.fresh_months` of a save; none, with a warning, when they cannot be stored."""
        try:
            return fresh_months(fresh, asked, before, dt.datetime.now(dt.UTC))
        except (pa.ArrowException, TypeError, ValueError) as err:
            warnings.warn(
                f"The fetched days cannot be kept in the cache ({type(err).__name__}: {err}); the "
                "frames are complete, but these days are asked again next time.",
                stacklevel=4,
            )
            return {}, False

    def _keep_staged(
        self, staging: Path | None, repeat: tuple[dict[int, str | None], Usage], complete: bool
    ) -> None:
        """Make a staged repeat the repeat of its fetch when every asked day is stored; else drop it."""
        vehicles, usage = repeat
        if complete:
            self.repeats.commit(staging, repeat_key(vehicles, usage.start, usage.end), usage)
        else:
            self.repeats.discard(staging)

    def repeat(self, vehicles: dict[int, str | None], first: dt.date, last: dt.date) -> Usage | None:
        """The frames the same fetch gave last time (see :mod:`.repeats`), while every file they
        came from is unchanged; None otherwise, or when not ``reuse``."""
        if not self.reuse:
            return None
        with locked(self.folder, shared=True):
            return self.repeats.load(repeat_key(vehicles, first, last), first, last)

    def keep_repeat(self, vehicles: dict[int, str | None], usage: Usage) -> None:
        """Keep a fetch's frames for the same fetch again, as the store would give them back
        (``period`` from the day totals)."""
        with locked(self.folder, shared=True):
            self.repeats.commit(self._stage(usage), repeat_key(vehicles, usage.start, usage.end), usage)

    def _stage(self, usage: Usage) -> Path | None:
        """A repeat of ``usage`` written but not yet kept (see :meth:`.repeats.Repeats.stage`)."""
        return self.repeats.stage(with_day_total_period(usage))

    def _save_month(self, job: tuple[dt.date, dict[str, pa.Table]]) -> OSError | None:
        """Merge one month's fresh rows into its stored ones and write it; the error when it cannot."""
        month, fresh = job
        files = self.partition.month_files(month)
        try:
            stored = read_month(files, self.schemas, month)
        except MonthUnreadable:  # reported when it was read, or refresh=True: replaced
            stored = None
        merged = merge_month(stored, fresh)
        try:
            write_group({files[dataset]: merged[dataset] for dataset in MONTHLY})
        except OSError as err:
            return err
        return None

    # -- listings (kept LISTING_LIFETIME: see .listings) ------------------------------------------
    def fleet(self) -> list[dict] | None:
        """The cached whole-fleet listing, one dict per vehicle in the server's order (the columns
        of :data:`~.listings.FLEET` but ``fetched_at``); None when absent, older than
        :data:`LISTING_LIFETIME` or not ``reuse``."""
        return self.listings.fleet(LISTING_LIFETIME) if self.reuse else None

    def save_fleet(self, rows: list[dict]) -> None:
        """Store the whole-fleet listing (rows as :meth:`fleet` gives them; an empty fleet is not stored)."""
        self.listings.save_fleet(rows)

    def plates(self, plates: list[str]) -> dict[int, str] | None:
        """``{vehicle_id: plate}`` for these plates, written exactly so, when every one was looked
        up less than :data:`LISTING_LIFETIME` ago (and ``reuse``); None otherwise."""
        return self.listings.plates(plates, LISTING_LIFETIME) if self.reuse else None

    def save_plates(self, resolved: dict[int, str]) -> None:
        """Add plate look-ups ``{vehicle_id: plate}`` to the stored ones (a plate's new id wins)."""
        self.listings.save_plates(resolved)

    def silent(self) -> tuple[pd.DataFrame, dict] | None:
        """The cached silent boxes and what ``noncommunicant/list`` said (see
        :meth:`.listings.Listings.silent`); None when absent, older than :data:`LISTING_LIFETIME`
        or not ``reuse``."""
        return self.listings.silent(LISTING_LIFETIME) if self.reuse else None

    def save_silent(self, boxes: pd.DataFrame, facts: dict) -> None:
        """Store the silent boxes and what the service said (see :meth:`.listings.Listings.save_silent`)."""
        self.listings.save_silent(boxes, facts)

    def _report(self, path: object, reason: str) -> None:
        """Warn once of a file that cannot be used."""
        if str(path) not in self._reported:
            self._reported.add(str(path))
            warnings.warn(
                f"The cache file {path} cannot be used ({reason}); its content is fetched again "
                "and the file rewritten.",
                stacklevel=4,
            )


def _warn_unwritten(err: OSError) -> None:
    warnings.warn(
        f"Could not write the cache file {err.filename} ({err.strerror or err}): the frames are "
        "complete, but what it would hold is asked from the server again next time.",
        stacklevel=4,
    )

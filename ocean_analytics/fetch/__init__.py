"""The public fetch functions: usage of vehicles over a period, as tidy frames.

:func:`fetch_usage` is the one conductor of a fetch: it checks its arguments,
reads the fleet listing and the silent boxes and finds the vehicles (the whole
fleet, or the vehicles behind some plates: :mod:`.selection`), asks the store
(with ``cache=``) which vehicle-days it already holds, plans requests for the
others no larger than the server's limits (per vehicle, its missing days in
runs of consecutive days, the vehicles sharing a run batched together), sends
them concurrently on one shared client (halving any request the server finds
too large: :mod:`.sending`) while the parser reads each answer as it arrives,
stores what it fetched, combines the stored and the fresh rows into one
:class:`Usage`, and puts on it, last, the listing's and the silent boxes'
columns (:mod:`.facts`): the same step whether the rows were fetched, stored or
read from a repeat, so the store's files keep their own columns.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
import zoneinfo
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from ..api.client import OceanClient
from ..api.fleet import check_plates, check_vehicle_ids
from ..api.plan import UsageRequest, plan_requests
from ..dates import DayLike, as_period
from ..errors import InvalidArgumentError
from ..parse.parser import UsageParser
from ..store.cache import UsageStore
from ..store.combine import combine_usage, warn_lone_slots
from ..store.held import Stored
from ..usage import FRAMES, Usage
from .facts import with_facts
from .selection import Selection, select, warn_of_gaps
from .sending import USAGE_PATH, fetch_each

__all__ = ["USAGE_PATH", "fetch_usage", "fetch_daily_usage", "fetch_half_hour_usage"]

MAX_DAYS_PER_REQUEST = 366
"""The longest day window of one request that ``max_days_per_request`` may ask (a leap year)."""


def fetch_usage(
    client: OceanClient,
    start: DayLike,
    end: DayLike,
    vehicle_ids: Iterable[int] | None = None,
    plates: Iterable[str] | None = None,
    *,
    max_days_per_request: int = 31,
    max_vehicles_per_request: int = 50,
    max_workers: int = 4,
    progress: bool | None = None,
    cache: bool | str | os.PathLike = False,
    refresh: bool = False,
) -> Usage:
    """Fetch the auxiliary-equipment usage of vehicles over an inclusive period.

    Parameters
    ----------
    client : OceanClient
        The connection; its ``api_tz`` is the clock of the days and half hours.
    start, end : str, date, datetime or Timestamp
        First and last day, both included, as calendar days on ``client.api_tz``.
        Strings are ISO ``YYYY-MM-DD``. No day may be after today on ``api_tz``.
    vehicle_ids : iterable of int, optional
        The vehicles. With neither ``vehicle_ids`` nor ``plates``: the whole fleet of
        the client's customer.
    plates : iterable of str, optional
        Plates such as ``"AB-123-CD"``, resolved to vehicle ids first; added to
        ``vehicle_ids`` when both are given.
    max_days_per_request, max_vehicles_per_request : int
        The largest request sent; larger asks are cut into vehicle batches x day
        windows. A request the server still finds too large (413/414) is halved.
        ``max_days_per_request`` is at most :data:`MAX_DAYS_PER_REQUEST` (366).
    max_workers : int
        Requests in flight at once.
    progress : bool or None
        Show a progress bar (True), never (False), or only when more than one
        request is needed (None, the default). In a notebook the bar is a widget
        that disappears when the fetch ends: a saved notebook keeps no trace of it.
    cache : bool, str or path-like
        Keep what is fetched and reuse it: True for the user's cache folder
        (``platformdirs.user_cache_dir("ocean-analytics")``), or a folder. Stored
        per API, customer, ``api_tz``, vehicle and day; only the vehicle-days not
        stored are asked. Days not yet over on ``api_tz`` (today) are never
        stored. The fleet listing, plate look-ups and the silent boxes are kept
        12 hours, so a re-run makes no request at all. False (default): no cache.
    refresh : bool
        With a cache: read nothing stored, fetch everything, store it anew.

    Returns
    -------
    Usage
        The five frames; see :class:`ocean_analytics.Usage`. Their ``attrs`` hold the
        period, ``api_tz``, the customer, the base URL, when the fetch ended (UTC)
        and ``coverage`` (below).

        Every fetch reads the fleet listing (``GET /restapi/vehicule_engin/vehicles``,
        also when ``vehicle_ids`` or ``plates`` are given) and the boxes that stopped
        talking (``GET /restapi/noncommunicant/list``), once each. ``vehicles`` gains
        the site (``entity_id``, ``entity_name``), ``fleet_number``, ``make`` and
        ``model`` (never the driver), its ``plate`` filled from the listing where
        missing, then ``never_communicated``, ``installed_on`` and
        ``last_data_day`` (midnight, naive, of the day on ``api_tz``) and
        ``silence_reason``. ``daily`` and ``vehicle_days`` gain ``has_data``: False
        on a day the vehicle's box could not report (before its installation day,
        after its last-communication day, every day when it never communicated),
        True otherwise. A day without data is not a day without use (its ``use_s``
        is 0 all the same): leave it out of rates. See :mod:`ocean_analytics.frames`.

        When the silent-box service refuses (403 or 404: not in the customer's
        contract), one ``UserWarning`` says so, every frame's ``attrs["coverage"]``
        is ``"unknown"`` (else ``"known"``), ``attrs["coverage_note"]`` holds the
        refusal, and ``has_data`` and ``never_communicated`` are <NA>. A listing
        refused (403 or 404) fails a whole-fleet fetch; for ``vehicle_ids`` or
        ``plates`` one ``UserWarning`` says so and the listing's columns are missing.
        Stored days give exactly the frames a fresh fetch gives, with one rule for
        ``period``: a stored day carries no share of the API's period totals, so it
        counts there with its day totals (summed per vehicle and equipment); the
        days fetched now count with the API's own period totals. The two agree
        whenever the API's period totals are the sums of its day totals.

    Raises
    ------
    InvalidArgumentError
        Before any request, for a client that is not an `OceanClient`, a bad day,
        period, vehicle id (1 to 2**31 - 1), plate list, limit, progress, or cache folder.
    NotFoundError
        For a plate the customer does not have.
    OceanError
        The subclass that fits a failed request; no partial result is returned.
    """
    _check_client(client)
    today = _today(client.api_tz)
    first, last = _check_period(start, end, today, client.api_tz)
    ids = check_vehicle_ids(vehicle_ids)
    plate_list = check_plates(plates)
    _check_limits(max_days_per_request, max_vehicles_per_request, max_workers)
    if progress is not None and not isinstance(progress, bool):
        raise InvalidArgumentError(f"progress must be True, False or None (the default), not {progress!r}.")
    store = UsageStore.for_client(cache, client, refresh=refresh)
    selection = select(client, ids, plate_list, store)
    known_plates = selection.vehicles
    repeatable = store is not None and last < today
    if repeatable and (repeat := store.repeat(known_plates, first, last)) is not None:
        warn_lone_slots(repeat.ambiguous_slots, repeat.api_tz)
        _warn_missing_vehicles(repeat, known_plates)
        return _finished(repeat, selection, client)
    parser = UsageParser(start=first, end=last, api_tz=client.api_tz)
    stored = (
        store.load(list(known_plates), first, last, before=today)
        if store is not None
        else Stored.nothing(list(known_plates), first, last)
    )
    requests = [
        request
        for (a, b), vehicles in stored.missing().items()
        for request in plan_requests(
            vehicles, a, b, max_vehicles=max_vehicles_per_request, max_days=max_days_per_request
        )
    ]
    plate_of = {k: v for k, v in known_plates.items() if v}
    answered: list[UsageRequest] = []
    try:
        fetch_each(
            client, requests, answered, max_workers=max_workers, progress=progress, on_body=parser.feed
        )
    except KeyboardInterrupt:
        if store is not None and answered:
            store.save(
                parser.finish(plates=plate_of),
                [(r.vehicle_ids, r.first, r.last) for r in answered],
                before=today,
            )
        raise
    fresh = _only_asked(parser.finish(plates=plate_of), known_plates)
    usage = fresh if stored.frames is None else combine_usage(fresh, stored.frames, plate_of)
    if store is not None and answered:
        asked = [(r.vehicle_ids, r.first, r.last) for r in answered]
        store.save(fresh, asked, before=today, repeat=(known_plates, usage) if repeatable else None)
    elif repeatable:  # every day was stored: the same fetch again reads these frames whole
        store.keep_repeat(known_plates, usage)
    _warn_missing_vehicles(usage, known_plates)
    return _finished(usage, selection, client)


def fetch_daily_usage(
    client: OceanClient,
    start: DayLike,
    end: DayLike,
    vehicle_ids: Iterable[int] | None = None,
    plates: Iterable[str] | None = None,
    *,
    max_days_per_request: int = 31,
    max_vehicles_per_request: int = 50,
    max_workers: int = 4,
    progress: bool | None = None,
    cache: bool | str | os.PathLike = False,
    refresh: bool = False,
) -> pd.DataFrame:
    """``fetch_usage(...).daily``: vehicle x day x equipment seconds of use, the full grid.

    Same arguments as :func:`fetch_usage`; ``date`` is midnight of the day on
    ``client.api_tz``, ``use_s`` seconds.
    """
    return fetch_usage(
        client,
        start,
        end,
        vehicle_ids,
        plates,
        max_days_per_request=max_days_per_request,
        max_vehicles_per_request=max_vehicles_per_request,
        max_workers=max_workers,
        progress=progress,
        cache=cache,
        refresh=refresh,
    ).daily


def fetch_half_hour_usage(
    client: OceanClient,
    start: DayLike,
    end: DayLike,
    vehicle_ids: Iterable[int] | None = None,
    plates: Iterable[str] | None = None,
    *,
    max_days_per_request: int = 31,
    max_vehicles_per_request: int = 50,
    max_workers: int = 4,
    progress: bool | None = None,
    cache: bool | str | os.PathLike = False,
    refresh: bool = False,
) -> pd.DataFrame:
    """``fetch_usage(...).half_hours``: the half hours with use, ``start``/``end`` tz-aware on
    ``client.api_tz``, ``use_s`` seconds (1..1800).

    Same arguments as :func:`fetch_usage`.
    """
    return fetch_usage(
        client,
        start,
        end,
        vehicle_ids,
        plates,
        max_days_per_request=max_days_per_request,
        max_vehicles_per_request=max_vehicles_per_request,
        max_workers=max_workers,
        progress=progress,
        cache=cache,
        refresh=refresh,
    ).half_hours


def _today(api_tz: str) -> dt.date:
    """Today on ``api_tz``: the first day not yet over."""
    return dt.datetime.now(zoneinfo.ZoneInfo(api_tz)).date()


def _check_period(start: DayLike, end: DayLike, today: dt.date, api_tz: str) -> tuple[dt.date, dt.date]:
    first, last = as_period(start, end)
    if last > today:
        raise InvalidArgumentError(
            f"end ({last.isoformat()}) is in the future (today is {today.isoformat()} on {api_tz}): "
            "days not yet lived would count as days without use. Give end <= today."
        )
    return first, last


def _check_client(client: object) -> None:
    if not isinstance(client, OceanClient):
        raise InvalidArgumentError(
            f"client must be an OceanClient, not {type(client).__name__}: make one with "
            "oa.OceanClient(login=..., password=...) or oa.OceanClient.from_env(), and pass it first."
        )


def _check_limits(max_days: int, max_vehicles: int, max_workers: int) -> None:
    for name, value in (
        ("max_days_per_request", max_days),
        ("max_vehicles_per_request", max_vehicles),
        ("max_workers", max_workers),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(f"{name} must be a whole number >= 1, not {value!r}.")
    if max_days > MAX_DAYS_PER_REQUEST:
        raise InvalidArgumentError(
            f"max_days_per_request must be at most {MAX_DAYS_PER_REQUEST} (a year), not {max_days!r}: "
            "a longer period is cut into windows of that many days anyway."
        )


def _only_asked(usage: Usage, asked: dict[int, str | None]) -> Usage:
    """``usage`` without the vehicles the server answered but was not asked, named in a warning.

    The store keeps only the vehicle-days asked, so such a vehicle would be in a
    fresh fetch's frames and not in a stored re-run's: left out, both are the same.
    """
    extra = sorted(set(usage.vehicles["vehicle_id"].tolist()) - set(asked))
    if not extra:
        return usage
    warnings.warn(
        f"The server answered {len(extra)} vehicle(s) that were not asked ({extra[:10]}): they are left "
        "out of the frames. Ask for them by id if you want them.",
        stacklevel=3,
    )
    kept = {name: _rows_of(getattr(usage, name), asked) for name in FRAMES}
    return replace(usage, **kept)


def _rows_of(frame: pd.DataFrame, asked: dict[int, str | None]) -> pd.DataFrame:
    """The rows of ``frame`` whose vehicle was asked, renumbered, categories as the rows use them."""
    rows = frame[frame["vehicle_id"].isin(list(asked))].reset_index(drop=True)
    for column in rows.columns:
        if isinstance(rows[column].dtype, pd.CategoricalDtype):
            rows[column] = rows[column].cat.remove_unused_categories()
    rows.attrs = dict(frame.attrs)
    return rows


def _warn_missing_vehicles(usage: Usage, asked: dict[int, str | None]) -> None:
    answered = set(usage.vehicles["vehicle_id"].tolist())
    missing = [v for v in asked if v not in answered]
    if missing:
        warnings.warn(
            f"The server's answer left out {len(missing)} asked vehicle(s) ({missing[:10]}): they are not "
            "in the frames. Check that they belong to this customer and have DIO inputs.",
            stacklevel=3,
        )


def _finished(usage: Usage, selection: Selection, client: OceanClient) -> Usage:
    """The last step of a fetch: the listing's and the silent boxes' columns, the one warning of
    an unknown coverage, and the provenance in every frame's ``attrs``."""
    usage = with_facts(usage, selection.fleet, selection.coverage)
    warn_of_gaps(selection)
    fetched_at = pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds")
    for name in FRAMES:
        getattr(usage, name).attrs.update(
            customer_id=client.customer_id, base_url=client.base_url, fetched_at=fetched_at
        )
    return usage

"""Where the store keeps each dataset: hive-partitioned folders that any Parquet engine reads.

Under the cache folder::

    CACHEDIR.TAG
    <dataset>/api=<api>/customer=<customer>/api_tz=<zone>/month=<YYYY-MM>/part-0.parquet
    fleet/api=<api>/customer=<customer>/part-0.parquet
    plates/api=<api>/customer=<customer>/part-0.parquet
    silent/api=<api>/customer=<customer>/part-0.parquet

for the datasets of :data:`MONTHLY`. Partition values use only ``A-Z a-z 0-9 . _ -``
and never start with ``.`` or ``_`` (files and folders that Spark and Hive skip), so
DuckDB, Polars, pyarrow (Dask) and Spark read them as they are. ``<api>`` is the
base URL's host, port and path, then 8 hex digits of its hash (two APIs never
share a folder); ``<customer>`` is the client's ``customer_id``, or ``login-``
and a hash of the login for a login without one (the login itself is never
written); ``<zone>`` is the IANA name of ``api_tz`` with ``/`` written ``.``
and ``+`` written ``plus`` (``Europe.Paris``, ``Etc.GMTplus5``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["MONTHLY", "PART", "Partition", "api_slug", "customer_slug", "zone_slug", "months_between"]

MONTHLY = ("asked", "daily", "half_hours", "vehicle_days", "vehicles")
"""The datasets kept per API, customer, clock and month, in the order a month is written."""

PART = "part-0.parquet"
"""The one file of each partition folder."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def api_slug(base_url: str) -> str:
    """The ``api=`` value of a base URL: ``v3.oceansystem.com_ocean-3.0.0-1a2b3c4d``."""
    parts = urlsplit(base_url)
    pieces = (parts.hostname, str(parts.port or ""), parts.path.strip("/"))
    readable = "_".join(piece for piece in pieces if piece)
    digest = hashlib.sha256(base_url.encode("utf-8")).hexdigest()[:8]
    return f"{_UNSAFE.sub('_', readable).strip('._-')[:60] or 'api'}-{digest}"


def customer_slug(customer_id: int | None, login: str | None) -> str:
    """The ``customer=`` value: the customer id, or ``login-`` and 16 hex digits of the login's hash."""
    if customer_id is not None:
        return str(customer_id)
    return "login-" + hashlib.sha256(str(login).encode("utf-8")).hexdigest()[:16]


def zone_slug(api_tz: str) -> str:
    """The ``api_tz=`` value of an IANA zone: ``Europe/Paris`` -> ``Europe.Paris``."""
    return api_tz.replace("/", ".").replace("+", "plus")


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s to ``last``'s (none when ``last < first``)."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class Partition:
    """The folders of one API, customer and clock in a cache folder.

    Parameters
    ----------
    root : pathlib.Path
        The cache folder.
    api, customer, zone : str
        The partition values (see :func:`api_slug`, :func:`customer_slug`, :func:`zone_slug`).
    """

    root: Path
    api: str
    customer: str
    zone: str

    def listing(self, name: str) -> Path:
        """The file of a listing (``fleet``, ``plates`` or ``silent``: see :mod:`.listings`)."""
        return self.root / name / f"api={self.api}" / f"customer={self.customer}" / PART

    def month(self, dataset: str, month: dt.date) -> Path:
        """The file of one dataset of :data:`MONTHLY` for the month of ``month``."""
        return (
            self.root
            / dataset
            / f"api={self.api}"
            / f"customer={self.customer}"
            / f"api_tz={self.zone}"
            / f"month={month:%Y-%m}"
            / PART
        )

    def month_files(self, month: dt.date) -> dict[str, Path]:
        """``{dataset: file}`` of every dataset of :data:`MONTHLY` for one month."""
        return {dataset: self.month(dataset, month) for dataset in MONTHLY}

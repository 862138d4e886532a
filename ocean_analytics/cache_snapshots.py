"""Finished frames of a repeated fetch, read back whole instead of re-parsed.

The vehicle-day store (:mod:`.cache`) keeps the API's raw day elements, so that
any later fetch can reuse any stored day; rebuilding frames from them still
costs a parse. A repeated fetch (the same vehicles, plates, days, API, customer
and clock: a report run again, a notebook re-executed) reads the finished
frames of the first run from a snapshot instead, written with
:meth:`Usage.to_parquet`, which keeps frames, dtypes and attrs exactly.
A snapshot is only taken of a period that is over (its last day before today
on ``api_tz``), and ``refresh=True`` replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
import warnings
from pathlib import Path

from .errors import InvalidArgumentError
from .usage import Usage

__all__ = ["Snapshots", "snapshot_key"]


def snapshot_key(vehicles: dict[int, str | None], first: dt.date, last: dt.date) -> str:
    """A name for one fetch: its vehicles (with the plates they were asked by) and its days."""
    identity = {"vehicles": sorted([vid, plate] for vid, plate in vehicles.items()),
                "first": first.isoformat(), "last": last.isoformat()}
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:32]


class Snapshots:
    """The snapshots of one API, customer and clock, in ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        Where snapshots live, one sub-folder each.
    reuse : bool
        False (``refresh=True``): nothing is read back; what is saved replaces.
    """

    def __init__(self, folder: Path, *, reuse: bool = True) -> None:
        self.folder = folder
        self.reuse = reuse

    def load(self, key: str) -> Usage | None:
        """The frames saved under ``key``, or None (none saved, refreshing, or unreadable:
        an unreadable snapshot is reported by a warning, removed and fetched again)."""
        path = self.folder / key
        if not self.reuse or not path.is_dir():
            return None
        try:
            return Usage.read_parquet(path)
        except (OSError, ValueError, InvalidArgumentError) as err:
            warnings.warn(f"Cache snapshot {str(path)!r} cannot be read ({err}); it is fetched again.",
                          stacklevel=3)
            shutil.rmtree(path, ignore_errors=True)
            return None

    def save(self, key: str, usage: Usage) -> None:
        """Save ``usage`` under ``key``: written in a temporary folder, then renamed in place,
        so a reader never sees half a snapshot. A failure to write only warns."""
        final = self.folder / key
        staging = self.folder / f".{key}.{os.getpid()}.{uuid.uuid4().hex}"
        try:
            usage.to_parquet(staging)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
        except OSError as err:
            if not final.is_dir():
                warnings.warn(f"Cache snapshot {str(final)!r} could not be written ({err}).", stacklevel=3)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

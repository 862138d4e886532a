"""Finished frames of a repeated fetch, read back whole instead of re-parsed.

The vehicle-day store (:mod:`.cache`) keeps the API's raw day elements, so that
any later fetch can reuse any stored day; rebuilding frames from them still
costs a parse. A repeated fetch (the same vehicles, plates, days, API, customer
and clock: a report run again, a notebook re-executed) reads the finished
frames of the first run from a snapshot instead: a folder of one uncompressed
Arrow IPC file per frame (:mod:`.cache_frames`, read back about as fast as the
disk cache gives bytes) and ``snapshot.json`` (its format, the period, ``api_tz``,
and per frame its columns' dtypes, categories and attrs), which keeps frames,
dtypes and attrs exactly. A snapshot is only taken of a period that is over
(its last day before today on ``api_tz``), and ``refresh=True`` replaces it.
A snapshot of another format (an older version of this package) is not read:
the fetch is rebuilt from the day store and the snapshot replaced.
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

from .frames import frame_columns, read_frame, write_frame
from ..errors import InvalidArgumentError
from ..usage import FRAMES, Usage, dump_provenance, load_provenance

__all__ = ["SNAPSHOT_FORMAT", "Snapshots", "snapshot_key"]

SNAPSHOT_FORMAT = 2
"""The version of the snapshot folders written; a snapshot of any other is not read.
(Version 1 was the :meth:`Usage.to_parquet` folder, with ``usage.json`` and no ``snapshot.json``.)"""

_HEADER = "snapshot.json"


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
        """The frames saved under ``key``, or None (none saved, of another format, refreshing,
        or unreadable: an unreadable snapshot is reported by a warning, removed and fetched again)."""
        path = self.folder / key
        if not self.reuse or not path.is_dir():
            return None
        try:
            return _read(path)
        except (OSError, ValueError, KeyError, TypeError, InvalidArgumentError) as err:
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
            _write(staging, usage)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
        except OSError as err:
            if not final.is_dir():
                warnings.warn(f"Cache snapshot {str(final)!r} could not be written ({err}).", stacklevel=3)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _write(folder: Path, usage: Usage) -> None:
    """Write a snapshot of ``usage`` into ``folder`` (created): the frames, then the header."""
    provenance = usage._provenance()
    for name, stored in provenance["frames"].items():
        stored["columns"] = frame_columns(getattr(usage, name))
    header = dump_provenance({"format": SNAPSHOT_FORMAT, **provenance})
    folder.mkdir(parents=True)
    for name in FRAMES:
        write_frame(folder / f"{name}.arrow", getattr(usage, name))
    (folder / _HEADER).write_text(header, encoding="utf-8")


def _read(folder: Path) -> Usage | None:
    """The snapshot in ``folder``; None when it is of another format (or has no header).

    Raises
    ------
    OSError, ValueError, KeyError or TypeError
        When it is damaged.
    """
    try:
        provenance = load_provenance((folder / _HEADER).read_text("utf-8"))
    except FileNotFoundError:
        return None
    if provenance.get("format") != SNAPSHOT_FORMAT:
        return None
    frames = {}
    for name in FRAMES:
        stored = provenance["frames"][name]
        frames[name] = read_frame(folder / f"{name}.arrow", stored["columns"], stored["categories"])
        frames[name].attrs = stored["attrs"]
    return Usage._from_provenance(provenance, frames)

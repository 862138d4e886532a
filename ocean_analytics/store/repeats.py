"""The finished frames of a fetch, kept in the store so that the same fetch again reads them whole.

Putting stored months together (:mod:`.combine`) costs a read, checks and a
sort of every half hour; the same fetch again (the same vehicles, plates and
days: a report or a notebook run once more) reads the frames it gave last time
instead: one uncompressed Arrow IPC file per frame under
``<root>/repeats/api=…/customer=…/api_tz=…/<key>/``, beside ``repeat.json``.

A repeat can never be stale: it names every file of every month it was built
from, with its inode, size and modification time, and it is used only while
each of those files is still exactly that file. Any save to one of its months
(a wider fetch, ``refresh=True``, another process) replaces the month's files
and so retires it; so does any change to a file by hand. A repeat is taken
only when every day of the fetch is over and stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..usage import FRAMES, Usage
from .layout import MONTHLY, Partition, months_between

__all__ = ["Repeats", "repeat_key"]

_HEADER = "repeat.json"
_FORMAT = 1


def repeat_key(vehicles: dict[int, str | None], first: dt.date, last: dt.date) -> str:
    """A name for one fetch: its vehicles (with the plates they were asked by) and its days."""
    identity = {
        "vehicles": sorted([v, p] for v, p in vehicles.items()),
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:32]


class Repeats:
    """The repeats of one API, customer and clock.

    Parameters
    ----------
    partition : Partition
        Where the months live.
    """

    def __init__(self, partition: Partition) -> None:
        self.partition = partition
        self.folder = (
            partition.root
            / "repeats"
            / f"api={partition.api}"
            / f"customer={partition.customer}"
            / f"api_tz={partition.zone}"
        )

    def load(self, key: str, first: dt.date, last: dt.date) -> Usage | None:
        """The frames kept under ``key``, while every file they were built from is unchanged; None
        otherwise (a repeat that cannot be used is removed)."""
        path = self.folder / key
        try:
            header = json.loads((path / _HEADER).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        try:
            if header.get("format") != _FORMAT or header["files"] != self._files(first, last):
                raise ValueError("retired")
            frames = {name: _read(path / f"{name}.arrow", header["attrs"][name]) for name in FRAMES}
            return Usage(
                **frames,
                start=first,
                end=last,
                api_tz=header["api_tz"],
                ambiguous_slots=header["ambiguous_slots"],
            )
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            shutil.rmtree(path, ignore_errors=True)
            return None

    def stage(self, usage: Usage) -> Path | None:
        """Write ``usage``'s frames in a new hidden folder, not yet a repeat (it may be written while
        its months are); None when it cannot be written (the repeat is only a shortcut)."""
        staging = self.folder / f".staging.{os.getpid()}.{uuid.uuid4().hex}"
        try:
            staging.mkdir(parents=True)
            for name in FRAMES:
                _write(staging / f"{name}.arrow", getattr(usage, name))
        except (OSError, TypeError, ValueError, pa.ArrowException):
            self.discard(staging)
            return None
        return staging

    def commit(self, staging: Path | None, key: str, usage: Usage) -> None:
        """Make a :meth:`stage`'s folder the repeat under ``key``, with the files of ``usage``'s
        months as they are now (nothing when a month is not stored, or ``staging`` is None).
        Renamed into place, so that a repeat is whole or absent; a failure is silent."""
        if staging is None:
            return
        final = self.folder / key
        try:
            files = self._files(usage.start, usage.end)
            if files is not None:
                header = {
                    "format": _FORMAT,
                    "files": files,
                    "api_tz": usage.api_tz,
                    "ambiguous_slots": usage.ambiguous_slots,
                    "attrs": {name: getattr(usage, name).attrs for name in FRAMES},
                }
                (staging / _HEADER).write_text(json.dumps(header), "utf-8")
                shutil.rmtree(final, ignore_errors=True)
                os.replace(staging, final)
        except (OSError, TypeError, ValueError):
            pass
        finally:
            self.discard(staging)

    @staticmethod
    def discard(staging: Path | None) -> None:
        """Remove a :meth:`stage`'s folder that is not to become a repeat."""
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    def _files(self, first: dt.date, last: dt.date) -> list[list] | None:
        """``[path, inode, size, modification time]`` of every file of the months from ``first`` to
        ``last``; None when one is missing."""
        found = []
        for month in months_between(first, last):
            for dataset in MONTHLY:
                path = self.partition.month(dataset, month)
                try:
                    stat = path.stat()
                except OSError:
                    return None
                found.append([str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns])
        return found


def _write(path: Path, frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read(path: Path, attrs: dict) -> pd.DataFrame:
    with pa.OSFile(str(path)) as source:
        frame = pa.ipc.open_file(source.read_buffer()).read_all().to_pandas()
    frame.attrs = attrs
    return frame

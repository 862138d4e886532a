"""The store's files: Parquet tables written whole or not at all, the folder's tag and lock.

A file is written to a temporary file in its own folder, then renamed over the
old one with ``os.replace`` (atomic on one file system): a reader, or a second
process, only ever sees a whole file, the old or the new. A crash mid-write
leaves at most a hidden ``.part-0.parquet.*.tmp`` file, which no engine reads
(its name neither ends in ``.parquet`` nor lacks the leading dot Spark skips).
Pages carry checksums, so a damaged file is found when it is read.

The files of one month are written as a group (:func:`write_group`): every
temporary file first, then the renames, each file stamped with the group's
generation (:data:`GENERATION_KEY`), so that a reader can tell when a crash
between two renames left files of two saves side by side. Saves of one cache
folder hold its lock (:func:`locked`, an ``flock`` on ``.lock``; readers share
it), so two processes never interleave their renames.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

try:
    import fcntl
except ImportError:  # Windows: saves are not serialised; the generations still tell a mixed month
    fcntl = None

__all__ = [
    "TAG_FILE",
    "GENERATION_KEY",
    "write_group",
    "read_table",
    "generation",
    "locked",
    "mark_folder",
    "is_marked",
    "empty_folder",
]

TAG_FILE = "CACHEDIR.TAG"
GENERATION_KEY = b"ocean_analytics.generation"
"""The schema metadata key holding the save that wrote a file."""

_LOCK_FILE = ".lock"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is the ocean-analytics cache: ocean_analytics.clear_cache() empties it.\n"
)


def write_group(tables: dict[Path, pa.Table]) -> None:
    """Write each table to its path as Parquet, all stamped with one new generation.

    Every table is written to a temporary file beside its path first; only when
    all are written are they renamed into place.

    Raises
    ------
    OSError
        When a folder or a file cannot be written (its ``filename`` is the path
        being written); no path is then touched (unless a rename itself fails,
        which leaves the group mixed).
    """
    stamp = uuid.uuid4().hex.encode()
    written: list[tuple[str, Path]] = []
    path = None
    try:
        for path, table in tables.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            stamped = table.replace_schema_metadata({**(table.schema.metadata or {}), GENERATION_KEY: stamp})
            written.append((_temporary(path), path))
            pq.write_table(
                stamped,
                written[-1][0],
                compression="snappy",
                write_page_checksum=True,
                coerce_timestamps="us",
                allow_truncated_timestamps=False,
            )
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as err:
        err.filename = err.filename or str(path)
        raise
    finally:
        for temporary, _ in written:
            Path(temporary).unlink(missing_ok=True)


def read_table(path: Path, read_dictionary: list[str] | None = None) -> pa.Table:
    """Read a Parquet file written by :func:`write_group`, checking its page checksums.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    OSError, ValueError or pyarrow.ArrowException
        When it is damaged.
    """
    with pq.ParquetFile(path, page_checksum_verification=True, read_dictionary=read_dictionary) as parquet:
        return parquet.read()


def generation(table: pa.Table) -> bytes | None:
    """The generation stamped on a table read back; None when it has none."""
    return (table.schema.metadata or {}).get(GENERATION_KEY)


@contextmanager
def locked(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the lock of a cache folder: exclusive to write, ``shared`` to read.

    Raises
    ------
    OSError
        When the lock file cannot be opened.
    """
    if fcntl is None:
        yield
        return
    with open(folder / _LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def mark_folder(folder: Path) -> None:
    """Create ``folder`` and its ``CACHEDIR.TAG`` (the standard cache-folder tag).

    Raises
    ------
    OSError
        When the folder or its tag cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if not is_marked(folder):
        _replace(folder / TAG_FILE, lambda temporary: Path(temporary).write_text(_TAG, "utf-8"))


def is_marked(folder: Path) -> bool:
    """True when ``folder`` holds the ``CACHEDIR.TAG`` this package writes."""
    tag = folder / TAG_FILE
    try:
        return tag.is_file() and tag.read_text("utf-8", errors="replace") == _TAG
    except OSError:
        return False


def empty_folder(folder: Path) -> None:
    """Delete everything in ``folder`` but its ``CACHEDIR.TAG``."""
    for child in folder.iterdir():
        if child.name == TAG_FILE:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _temporary(path: Path) -> str:
    """A new, empty temporary file beside ``path``."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    return temporary


def _replace(path: Path, write: Callable[[str], object]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then rename it to ``path``."""
    temporary = _temporary(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)

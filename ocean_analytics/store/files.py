"""The cache's files: Parquet tables written whole or not at all, and the folder's tag.

A file is written to a temporary file in its own folder, then renamed over the
old one with ``os.replace`` (atomic on one file system): a reader, or a second
process writing the same file, only ever sees a whole file, the old or the new.
A crash mid-write leaves at most a hidden ``.<name>.*.tmp`` file, which nothing
reads. Pages carry checksums, so a damaged file is found when it is read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["TAG_FILE", "write_table", "read_table", "mark_folder", "is_marked", "empty_folder"]

TAG_FILE = "CACHEDIR.TAG"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This folder is the ocean-analytics cache: ocean_analytics.clear_cache() empties it.\n")


def write_table(path: Path, table: pa.Table) -> None:
    """Write ``table`` to ``path`` as Parquet, atomically (temporary file, then rename).

    Raises
    ------
    OSError
        When the folder or the file cannot be written; ``path`` is then untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, lambda temporary: pq.write_table(table, temporary, compression="zstd",
                                                    write_page_checksum=True))


def read_table(path: Path, schema: pa.Schema) -> pa.Table:
    """Read a Parquet file written by :func:`write_table`, checking its checksums and columns.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    OSError, ValueError or pyarrow.ArrowException
        When it is damaged or does not have ``schema``.
    """
    with pq.ParquetFile(path, page_checksum_verification=True) as parquet:
        table = parquet.read()
    if not table.schema.equals(schema):
        raise ValueError(f"its columns are {table.schema.names}, not {schema.names}")
    return table


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


def _replace(path: Path, write: Callable[[str], object]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then rename it to ``path``."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

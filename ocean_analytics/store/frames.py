"""A snapshot's frames as uncompressed Arrow IPC files, read back into pandas almost without copying.

Each frame is one file of one record batch, one Arrow column per pandas column:

* a column of a fixed-width numpy dtype (integers, floats, booleans, naive
  datetimes and timedeltas) as its raw bytes, an unsigned integer of its width;
* a tz-aware datetime column as its UTC values (int64 of its unit);
* a categorical column as its codes (its categories are kept by the caller);
* any other column (strings, nullable extension dtypes) as Arrow converts it.

The pandas dtype of every column is kept beside (see :func:`frame_columns`). A
file is read whole into one writable numpy buffer, and the first three kinds of
column become views of that buffer (Arrow reads an uncompressed file without
copying its buffers), so reading costs about one pass over the file. The
frames own writable memory, like frames read any other way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["frame_columns", "write_frame", "read_frame"]


def frame_columns(frame: pd.DataFrame) -> dict[str, str]:
    """``{column: dtype name}`` of a frame, in order: what :func:`read_frame` needs back."""
    return {str(name): str(dtype) for name, dtype in frame.dtypes.items()}


def write_frame(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame``'s columns (not its index) to ``path`` as one uncompressed record batch.

    Raises
    ------
    OSError
        When the file cannot be written.
    pyarrow.ArrowException
        When a column of Python objects has no Arrow type.
    """
    batch = pa.record_batch([_to_arrow(frame[name]) for name in frame.columns],
                            names=[str(name) for name in frame.columns])
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
        writer.write_batch(batch)


def read_frame(path: Path, columns: dict[str, str], categories: dict[str, list[str]]) -> pd.DataFrame:
    """The frame :func:`write_frame` wrote, given its :func:`frame_columns` and the categories
    of its categorical columns; a fresh ``RangeIndex``.

    Raises
    ------
    OSError, ValueError or KeyError
        When the file is missing, damaged, or does not hold these columns.
    """
    with pa.OSFile(str(path)) as source:
        content = source.read_buffer()  # writable, in Arrow's pool (which reuses its pages)
    data = np.frombuffer(content, dtype=np.uint8)
    reader = pa.ipc.open_file(content)
    if reader.num_record_batches != 1:
        raise ValueError(f"it holds {reader.num_record_batches} record batches, not 1")
    batch = reader.get_batch(0)
    if batch.schema.names != list(columns):
        raise ValueError(f"its columns are {batch.schema.names}, not {list(columns)}")
    return pd.DataFrame({name: _from_arrow(data, batch.column(name), pd.api.types.pandas_dtype(dtype),
                                           categories.get(name))
                         for name, dtype in columns.items()}, copy=False)


def _to_arrow(column: pd.Series) -> pa.Array:
    """One column as stored (see the module's docstring)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pa.array(column.cat.codes.to_numpy())
    if isinstance(dtype, pd.DatetimeTZDtype):
        return pa.array(column.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().view(np.int64))
    if _is_raw(dtype):
        return pa.array(column.to_numpy().view(f"u{dtype.itemsize}"))
    return pa.Array.from_pandas(column)


def _from_arrow(data: np.ndarray, array: pa.Array, dtype: object,
                categories: list[str] | None) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """The inverse of :func:`_to_arrow`, viewing ``data`` (the file's bytes) where it can."""
    if isinstance(dtype, pd.CategoricalDtype):
        if categories is None:
            raise KeyError("the categories of a categorical column")
        labels = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
        return pd.Categorical.from_codes(_view(data, array, array.type.to_pandas_dtype()), dtype=labels)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return pd.array(_view(data, array, np.dtype(np.int64)), dtype=dtype, copy=False)  # ints are UTC
    if _is_raw(dtype):
        return _view(data, array, dtype)
    return array.to_pandas().astype(dtype).array


def _is_raw(dtype: object) -> bool:
    """True for a numpy dtype kept as its raw bytes: fixed width, no Python objects."""
    return isinstance(dtype, np.dtype) and dtype.kind in "biufmM"


def _view(data: np.ndarray, array: pa.Array, dtype: np.dtype) -> np.ndarray:
    """The values of a fixed-width Arrow ``array`` without nulls read from ``data``, as a
    writable view of ``data``.

    Raises
    ------
    ValueError
        When the array has nulls, a width other than ``dtype``'s, or values outside ``data``.
    """
    dtype = np.dtype(dtype)
    if array.null_count or array.type.bit_width != 8 * dtype.itemsize:
        raise ValueError(f"a column of {array.type} cannot be read as {dtype}")
    size = len(array) * dtype.itemsize
    if size == 0:
        return np.empty(0, dtype)
    start = array.buffers()[1].address - data.ctypes.data + array.offset * dtype.itemsize
    if not 0 <= start <= data.size - size:
        raise ValueError("a column's values lie outside the file")
    return data[start:start + size].view(dtype)

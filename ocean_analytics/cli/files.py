"""Frames written to files by ``ocean-analytics fetch``: a folder of Parquet or CSV files, or one
Excel workbook, each made in one rename so that a failed write leaves nothing behind.

Excel has no time zones, so each tz-aware column (``start`` and ``end`` of ``half_hours``)
is written as the wall clock on ``api_tz`` beside a ``<column>_utc_offset`` column
(``+02:00``), which keeps every instant exact, the two 02:00 of an autumn clock change
included. Every text cell is written as text: a plate, a description or an equipment
label such as ``=HYPERLINK(...)`` stays a string, never a live formula.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError

if TYPE_CHECKING:  # pandas comes with a run, not with --help
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["EXCEL_MAX_ROWS", "FOLDER_SUFFIX", "write_frames"]

EXCEL_MAX_ROWS = 1_048_575
"""The data rows of one sheet: Excel's 1,048,576 rows, less the header."""
FOLDER_SUFFIX = {"parquet": ".parquet", "csv": ".csv"}
"""The suffix of each frame's file, by folder format."""
FORMULA_START = "="
"""What makes a spreadsheet read a cell's text as a formula."""


def write_frames(frames: dict[str, pd.DataFrame], target: Path, fmt: str) -> list[Path]:
    """Write frames as ``<name>.parquet`` / ``<name>.csv`` in the folder ``target``, or as the
    sheets of the Excel workbook ``target`` (the path as given, whatever its suffix).

    A new folder or workbook is written beside ``target`` under a hidden name, then renamed
    into place; files of an existing folder are replaced one by one.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InvalidArgumentError
        For a frame longer than an Excel sheet, before anything is written.
    OSError
        When a file cannot be written (nothing new is left behind).
    """
    scratch = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    if fmt == "excel":
        _check_sheet_rows(frames)
        try:
            _write_workbook(frames, scratch)
            os.replace(scratch, target)
        finally:
            scratch.unlink(missing_ok=True)
        return [target]
    folder = target if target.is_dir() else scratch
    try:
        folder.mkdir(exist_ok=folder == target)
        paths = [
            _write_file(frame, folder / f"{name}{FOLDER_SUFFIX[fmt]}", fmt) for name, frame in frames.items()
        ]
        if folder is scratch:
            os.rename(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [target / path.name for path in paths]


def _write_file(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def _check_sheet_rows(frames: dict[str, pd.DataFrame]) -> None:
    too_long = {name: len(f) for name, f in frames.items() if len(f) > EXCEL_MAX_ROWS}
    if too_long:
        raise InvalidArgumentError(
            f"{too_long} rows do not fit an Excel sheet ({EXCEL_MAX_ROWS:,} rows at most): use --format "
            "parquet or csv, a shorter period, or leave that frame out of --frames."
        )


def _write_workbook(frames: dict[str, pd.DataFrame], path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as workbook:
        for name, frame in frames.items():
            sheet_frame = excel_frame(frame)
            sheet_frame.to_excel(workbook, sheet_name=name, index=False)
            keep_text_as_text(sheet_frame, workbook.sheets[name])


def excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each tz-aware column as its naive wall clock, followed by its UTC offset."""
    import pandas as pd

    columns: dict[str, pd.Series] = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            columns[name] = column.dt.tz_localize(None)
            columns[f"{name}_utc_offset"] = column.dt.strftime("%z").str.replace(
                r"(\d\d)$", r":\1", regex=True
            )
        else:
            columns[str(name)] = column
    return pd.DataFrame(columns)


def keep_text_as_text(frame: pd.DataFrame, sheet: Worksheet) -> None:
    """Turn back into text every cell of ``sheet`` that openpyxl made a formula from a string
    of ``frame`` (written from cell A1 with a header row), and mark it quote-prefixed so that
    Excel keeps it text when the cell is edited too."""
    import numpy as np
    import pandas as pd

    for col, (_, column) in enumerate(frame.items(), start=1):
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        text = column.astype("string")  # categories and objects alike; missing stays <NA>
        rows = np.flatnonzero(text.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool))
        for row in rows:
            cell = sheet.cell(row=int(row) + 2, column=col)
            cell.data_type = "s"
            cell.quotePrefix = True

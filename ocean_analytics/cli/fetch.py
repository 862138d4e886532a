"""``ocean-analytics fetch``: a period's usage written to Parquet or CSV files, or an Excel workbook.

Parquet and CSV give one file per frame (``daily.parquet``...) in a folder; Excel
gives one workbook with a sheet per frame. Excel has no time zones, so each
tz-aware column (``start`` and ``end`` of ``half_hours``) is written as the wall
clock on ``api_tz`` beside a ``<column>_utc_offset`` column (``+02:00``), which
keeps every instant exact, the two 02:00 of an autumn clock change included.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError

if TYPE_CHECKING:  # pandas comes with a run, not with --help
    import pandas as pd

    from ..usage import Usage

__all__ = ["register_fetch", "run_fetch", "write_frames"]

FORMATS = ("parquet", "csv", "excel")
EXCEL_MAX_ROWS = 1_048_575  # a sheet's 1,048,576 rows, less the header
_SUFFIX = {"parquet": ".parquet", "csv": ".csv"}


def register_fetch(commands: argparse._SubParsersAction) -> None:
    """Add the ``fetch`` sub-command to the command line."""
    parser = commands.add_parser(
        "fetch",
        help="fetch a period's usage into Parquet, CSV or Excel files",
        description="Fetch the auxiliary-equipment usage of a period from the account in the environment "
        "(OCEAN_LOGIN, OCEAN_PASSWORD...) or from the embedded simulator (--demo), and write "
        "each frame to a file in a folder (parquet, csv) or to a sheet of one workbook (excel).",
        epilog="Days are calendar days on the API's clock (--tz); both --start and --end are included. "
        "Excel has no time zones: half-hour start and end are written as wall-clock times on that "
        "clock, each beside its UTC offset.",
    )
    parser.add_argument("--start", required=True, type=_day, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--end", required=True, type=_day, metavar="YYYY-MM-DD", help="last day, included")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--vehicles",
        type=_vehicle_ids,
        metavar="ID,...",
        help="vehicle ids, comma-separated (default: the whole fleet)",
    )
    chosen.add_argument(
        "--plates",
        type=_plates,
        metavar="PLATE,...",
        help="plates, comma-separated, e.g. AB-123-CD,EF-456-GH",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fetch from the embedded simulator instead of the account in the environment",
    )
    parser.add_argument(
        "--tz", help="IANA clock of the API's days and half hours (default: OCEAN_API_TZ, else UTC)"
    )
    parser.add_argument("--format", choices=FORMATS, default="parquet", help="file format (default parquet)")
    parser.add_argument(
        "--output",
        type=Path,
        metavar="PATH",
        help="the folder (parquet, csv) or the workbook (excel) to write; default "
        "ocean-usage_START_END in the current folder",
    )
    parser.add_argument(
        "--frames",
        type=_frames,
        metavar="NAME,...",
        help="the frames to write, comma-separated: daily, half_hours, vehicles, vehicle_days, "
        "period (default: all five)",
    )
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="reuse and keep fetched days in the user's cache folder (default: on, off with --demo)",
    )
    parser.add_argument("--refresh", action="store_true", help="fetch every day again and renew the cache")
    parser.set_defaults(run=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch, write the files and print a one-line summary; returns the exit status (0)."""
    from ..api.connect import connect
    from ..fetch import fetch_usage
    from ..usage import FRAMES

    began = time.monotonic()
    cache = (not args.demo) if args.cache is None else args.cache
    if args.refresh and not cache:
        raise InvalidArgumentError(
            "--refresh renews the cache, which is off: add --cache (or drop --refresh)."
        )
    target = _target(args)
    _check_writable(target.parent if args.format == "excel" else target)
    client = connect(demo=args.demo, **({"api_tz": args.tz} if args.tz else {}))
    usage = fetch_usage(
        client,
        args.start,
        args.end,
        vehicle_ids=args.vehicles,
        plates=args.plates,
        cache=cache,
        refresh=args.refresh,
    )
    frames = {name: getattr(usage, name) for name in args.frames or FRAMES}
    write_frames(frames, target, args.format)
    print(_summary(usage, frames, target, args.format, time.monotonic() - began))
    return 0


def write_frames(frames: dict[str, pd.DataFrame], target: Path, fmt: str) -> list[Path]:
    """Write frames as ``<name>.parquet`` / ``<name>.csv`` in the folder ``target``, or as the
    sheets of the Excel workbook ``target``.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InvalidArgumentError
        For a frame longer than an Excel sheet, before anything is written.
    OSError
        When a file cannot be written.
    """
    import pandas as pd

    if fmt == "excel":
        too_long = {name: len(f) for name, f in frames.items() if len(f) > EXCEL_MAX_ROWS}
        if too_long:
            raise InvalidArgumentError(
                f"{too_long} rows do not fit an Excel sheet ({EXCEL_MAX_ROWS:,} rows at most): use --format "
                "parquet or csv, a shorter period, or leave that frame out of --frames."
            )
        with pd.ExcelWriter(target, engine="openpyxl") as workbook:
            for name, frame in frames.items():
                _for_excel(frame).to_excel(workbook, sheet_name=name, index=False)
        return [target]
    paths = []
    for name, frame in frames.items():
        path = target / f"{name}{_SUFFIX[fmt]}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
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


def _target(args: argparse.Namespace) -> Path:
    """The folder, or the workbook (``.xlsx`` added when missing), to write."""
    target = args.output or Path(f"ocean-usage_{args.start}_{args.end}")
    if args.format == "excel" and target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    return target


def _check_writable(folder: Path) -> None:
    """Create ``folder`` and write a scratch file in it, so that a fetch never ends unwritable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        reason = "it is a file" if isinstance(err, FileExistsError) else err.strerror or str(err)
        raise InvalidArgumentError(
            f"cannot write to the output folder {str(folder)!r} ({reason}): give --output a folder you "
            "can write."
        ) from err


def _summary(usage: Usage, frames: dict[str, pd.DataFrame], target: Path, fmt: str, seconds: float) -> str:
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    what = f"workbook {target}" if fmt == "excel" else f"{len(frames)} {fmt} file(s) in {target}"
    return (
        f"Wrote {what} (rows: {rows}): {usage.vehicles['vehicle_id'].nunique():,} vehicles, "
        f"{usage.start.isoformat()}..{usage.end.isoformat()} on {usage.api_tz}, in {seconds:.1f} s."
    )


# -- argument types: a bad value is a wrong command line (exit 2) --------------------------------
def _day(text: str) -> str:
    from ..dates import as_day

    try:
        return as_day(text, "day").isoformat()
    except InvalidArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day: write it YYYY-MM-DD, e.g. 2024-10-01"
        ) from None


def _items(text: str, what: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(f"{text!r} holds an empty {what}: separate them with single commas")
    return items


def _vehicle_ids(text: str) -> list[int]:
    items = _items(text, "vehicle id")
    bad = [item for item in items if not item.isdigit()]
    if bad:
        raise argparse.ArgumentTypeError(f"vehicle ids are whole numbers such as 1201,1202; not {bad[0]!r}")
    return [int(item) for item in items]


def _plates(text: str) -> list[str]:
    return _items(text, "plate")


def _frames(text: str) -> list[str]:
    from ..usage import FRAMES

    names = _items(text, "frame name")
    unknown = [name for name in names if name not in FRAMES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown frame {unknown[0]!r}: choose among {','.join(FRAMES)}")
    return list(dict.fromkeys(names))

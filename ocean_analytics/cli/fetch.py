"""``ocean-analytics fetch``: a period's usage written to Parquet or CSV files, or an Excel workbook.

Parquet and CSV give one file per frame (``daily.parquet``...) in a folder; Excel gives one
workbook with a sheet per frame (see :mod:`ocean_analytics.cli.files`). Every option and the
output path are checked before anything starts; the folder or workbook is made only once the
fetch succeeded.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError
from . import options

if TYPE_CHECKING:  # pandas comes with a run, not with --help
    import pandas as pd

    from ..usage import Usage

__all__ = ["register_fetch", "check_fetch", "run_fetch", "target_of", "FORMATS"]

FORMATS = ("parquet", "csv", "excel")
WORKBOOK_SUFFIX = ".xlsx"
FILE_SUFFIXES = (".parquet", ".csv", ".xlsx", ".xls", ".xlsm", ".json")
"""Suffixes of a file name, contradicting a folder output (parquet, csv)."""


def register_fetch(commands: argparse._SubParsersAction) -> None:
    """Add the ``fetch`` sub-command to the command line."""
    parser = commands.add_parser(
        "fetch",
        help="fetch a period's usage into Parquet, CSV or Excel files",
        description="Fetch the auxiliary-equipment usage of a period from the account in the environment "
        "(OCEAN_LOGIN, OCEAN_PASSWORD...) or from the embedded simulator (--demo), and write "
        "each frame to a file in a folder (parquet, csv) or to a sheet of one workbook (excel).",
        epilog="Days are calendar days on the API's clock (--api-tz); both --start and --end are "
        "included. --output is taken as given: a folder for parquet and csv (a name such as "
        "oct.csv is refused), a workbook ending .xlsx for excel; its folder must exist, and "
        "nothing is created unless the fetch succeeds. Excel has no time zones: half-hour start "
        "and end are written as wall-clock times on that clock, each beside its UTC offset; text "
        "cells stay text (never formulas).",
    )
    parser.add_argument("--start", required=True, type=options.day, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument(
        "--end", required=True, type=options.day, metavar="YYYY-MM-DD", help="last day, included"
    )
    options.add_vehicles(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fetch from the embedded simulator instead of the account in the environment",
    )
    options.add_api_tz(parser, "clock of the API's days and half hours (default: OCEAN_API_TZ, else UTC)")
    parser.add_argument("--format", choices=FORMATS, default="parquet", help="file format (default parquet)")
    parser.add_argument(
        "--output",
        type=Path,
        metavar="PATH",
        help="the folder (parquet, csv) or the workbook ending .xlsx (excel) to write, in an existing "
        "folder; default ocean-usage_START_END (.xlsx) in the current folder",
    )
    options.add_list(
        parser,
        "--frames",
        options.list_of(_frame, "frame name"),
        "NAME",
        "the frames to write, separated by commas or spaces: daily, half_hours, vehicles, "
        "vehicle_days, period (default: all five)",
    )
    options.add_cache(parser)
    parser.set_defaults(run=run_fetch, check=check_fetch)


def check_fetch(args: argparse.Namespace) -> None:
    """Refuse, before any request, a reversed or future period, ``--refresh`` with the cache off,
    and an output path that contradicts ``--format`` or cannot be made.

    Raises
    ------
    InvalidArgumentError
        Naming the option.
    """
    options.check_period(args.start, args.end, options.api_tz_of(args))
    options.check_refresh(args)
    given = args.output
    if given is not None and args.format == "excel" and given.suffix.lower() != WORKBOOK_SUFFIX:
        raise InvalidArgumentError(
            f"--format excel writes one workbook: give --output a file name ending {WORKBOOK_SUFFIX}, "
            f"e.g. {str(given.with_suffix(WORKBOOK_SUFFIX))!r}, not {str(given)!r}"
        )
    if given is not None and args.format != "excel" and given.suffix.lower() in FILE_SUFFIXES:
        raise InvalidArgumentError(
            f"--format {args.format} writes one file per frame in a folder: give --output a folder "
            f"name such as {str(given.with_suffix(''))!r}, not the file name {str(given)!r}"
        )
    options.check_new_path(target_of(args), folder=args.format != "excel")


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch, write the files and print a one-line summary; returns the exit status (0)."""
    from ..api.connect import connect
    from ..fetch import fetch_usage
    from ..usage import FRAMES
    from .files import write_frames

    began = time.monotonic()
    client = connect(demo=args.demo, **({"api_tz": args.api_tz} if args.api_tz else {}))
    usage = fetch_usage(
        client,
        args.start,
        args.end,
        vehicle_ids=args.vehicles,
        plates=args.plates,
        cache=options.cache_on(args),
        refresh=args.refresh,
    )
    frames = {name: getattr(usage, name) for name in args.frames or FRAMES}
    target = target_of(args)
    write_frames(frames, target, args.format)
    print(_summary(usage, frames, target, args.format, time.monotonic() - began))
    return 0


def target_of(args: argparse.Namespace) -> Path:
    """The folder or workbook to write: ``--output`` as given, else ``ocean-usage_START_END``
    (with ``.xlsx`` for excel) in the current folder."""
    if args.output is not None:
        return args.output
    name = f"ocean-usage_{args.start}_{args.end}"
    return Path(name + WORKBOOK_SUFFIX if args.format == "excel" else name)


def _summary(usage: Usage, frames: dict[str, pd.DataFrame], target: Path, fmt: str, seconds: float) -> str:
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    what = f"workbook {target}" if fmt == "excel" else f"{len(frames)} {fmt} file(s) in {target}"
    return (
        f"Wrote {what} (rows: {rows}): {usage.vehicles['vehicle_id'].nunique():,} vehicles, "
        f"{usage.start.isoformat()}..{usage.end.isoformat()} on {usage.api_tz}, in {seconds:.1f} s."
    )


def _frame(text: str) -> str:
    from ..usage import FRAMES

    if text not in FRAMES:
        raise argparse.ArgumentTypeError(f"unknown frame {text!r}: choose among {','.join(FRAMES)}")
    return text

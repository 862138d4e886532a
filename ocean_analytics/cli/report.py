"""The ``report`` sub-command: the fleet utilisation report as one self-contained HTML file."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from . import options

__all__ = ["register_report", "check_report", "run_report", "NOTEBOOK_PARAMETERS"]

NOTEBOOK_PARAMETERS = ("start", "end", "vehicles", "plates", "shift", "tz", "holidays", "cache", "refresh")
"""The options passed to the report notebook's parameters cell when they are given."""

_EPILOG = """examples:
  ocean-analytics report --demo --output report.html
  ocean-analytics report --start 2024-10-01 --end 2024-10-31 --plates AB-123-CD EF-456-GH
  ocean-analytics report --shift 06:00-14:00 --tz Europe/Paris --holidays FR-57 --include-input

Two clocks: --api-tz is the clock on which the API cuts its days (OCEAN_API_TZ, else UTC),
--tz the clock on which shifts, weekdays and the weekly profile are read. --start and --end
go together (both days included); without them the report covers last month.

Without --demo the report runs on the account in OCEAN_LOGIN and OCEAN_PASSWORD (and
OCEAN_CUSTOMER_ID for a login that manages several customers, OCEAN_BASE_URL). Every
option is checked before the report starts: a wrong one is one line and exit status 2."""


def register_report(commands: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command to ``commands``."""
    parser = commands.add_parser(
        "report",
        help="render the fleet utilisation report as one HTML file",
        description="Run the fleet utilisation report (utilisation ranking, under-used machines,\n"
        "weekly trend per equipment type, weekday x time-of-day profile, off-shift use,\n"
        "reconciliation) and write it as one self-contained HTML file: figures embedded,\n"
        "no code unless --include-input; it opens in any browser, offline.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    hidden = argparse.SUPPRESS  # an option left out keeps the notebook's default
    parser.add_argument(
        "--demo", action="store_true", help="run on the embedded Ocean simulator (a synthetic demo fleet)"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("report.html"),
        metavar="FILE",
        help="the HTML file to write, in an existing folder (default report.html)",
    )
    options.add_period(parser, default=hidden)
    options.add_vehicles(parser, default=hidden)
    options.add_api_tz(
        parser, "clock of the API's days (default: OCEAN_API_TZ, else UTC); with --demo, the simulator's"
    )
    parser.add_argument(
        "--tz",
        type=options.zone,
        default=hidden,
        metavar="ZONE",
        help="the analyst's clock: shifts, weekdays and the weekly profile (default Europe/Paris)",
    )
    parser.add_argument(
        "--shift",
        type=options.shift,
        default=hidden,
        metavar="HH:MM-HH:MM",
        help="working hours on --tz, Monday to Friday (default 07:00-19:00)",
    )
    parser.add_argument(
        "--holidays",
        type=options.holidays,
        default=hidden,
        metavar="CODE",
        help="public holidays off shift: FR, FR-57 (country-subdivision) or none (default FR)",
    )
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=hidden,
        help="keep fetched days in the user's cache folder and reuse them, so a re-run "
        "asks nothing (default: on for an account, off with --demo)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        default=hidden,
        help="with the cache: fetch every day again and store it anew",
    )
    parser.add_argument("--include-input", action="store_true", help="show the code as well")
    parser.set_defaults(run=run_report, check=check_report)


def check_report(args: argparse.Namespace) -> None:
    """Refuse, before any kernel starts, an output that cannot be written, a half, reversed or
    future period, and ``--refresh`` with the cache off.

    Raises
    ------
    InvalidArgumentError
        Naming the option.
    """
    options.check_new_path(args.output, folder=False)
    options.check_period(getattr(args, "start", None), getattr(args, "end", None), options.api_tz_of(args))
    cache = getattr(args, "cache", None)
    if getattr(args, "refresh", False) and not (cache if cache is not None else not args.demo):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(
            "--refresh renews the cache, which is off"
            + (" with --demo" if cache is None else "")
            + ": add --cache (or drop --refresh)"
        )


def _parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters the command line sets: ``demo`` and every option given."""
    given = {name: getattr(args, name) for name in NOTEBOOK_PARAMETERS if hasattr(args, name)}
    return {"demo": args.demo, **given}


@contextlib.contextmanager
def _api_tz(api_tz: str | None) -> Iterator[None]:
    """``OCEAN_API_TZ`` set to ``api_tz`` (when given) for the kernel, which inherits it."""
    if api_tz is None:
        yield
        return
    before = os.environ.get("OCEAN_API_TZ")
    os.environ["OCEAN_API_TZ"] = api_tz
    try:
        yield
    finally:
        if before is None:
            del os.environ["OCEAN_API_TZ"]
        else:
            os.environ["OCEAN_API_TZ"] = before


def run_report(args: argparse.Namespace) -> int:
    """Render the report; 0 on success (errors are raised for ``cli.main`` to print)."""
    from ..api.client import OceanClient
    from ..report.render import render_report

    with _api_tz(args.api_tz):
        if not args.demo:
            OceanClient.from_env().close()  # no credentials: say how to set them, before any work
        path = render_report(args.output, _parameters(args), include_input=args.include_input)
    print(f"Report written to {path} ({path.stat().st_size / 1e6:.1f} MB); open it in any browser.")
    return 0

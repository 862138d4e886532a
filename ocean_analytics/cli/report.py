"""The ``report`` sub-command: the fleet utilisation report as one self-contained HTML file."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from . import options

DEFAULT_TZ = "Europe/Paris"
"""The fleet's clock when --tz is not given (the notebook's default)."""

__all__ = ["register_report", "check_report", "run_report", "NOTEBOOK_PARAMETERS"]

NOTEBOOK_PARAMETERS = (
    "start",
    "end",
    "vehicles",
    "plates",
    "shift",
    "tz",
    "api_tz",
    "holidays",
    "fleet",
    "cache",
    "refresh",
)
"""The options passed to the report notebook's parameters cell when they are given."""

_EPILOG = """examples:
  ocean-analytics report --demo --output report.html
  ocean-analytics report --start 2024-10-01 --end 2024-10-31 --plates AB-123-CD EF-456-GH
  ocean-analytics report --shift 06:00-14:00 --tz Europe/Paris --holidays FR-57 --include-input

One clock: --tz is the fleet's clock (shifts, weekdays, the weekly profile) and, unless
--api-tz or OCEAN_API_TZ says otherwise, the clock the API is asked to cut its days on, so
that the whole report reads one clock. --start and --end go together (both days included);
without them the report covers last month. The trends follow the period: per day up to
14 days, per week up to 120 (a month, a quarter), per month beyond (a year).

Without --demo the report runs on the account in OCEAN_LOGIN and OCEAN_PASSWORD (and
OCEAN_CUSTOMER_ID for a login that manages several customers, OCEAN_BASE_URL). Every
option is checked before the report starts: a wrong one is one line and exit status 2."""


def register_report(commands: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command to ``commands``."""
    parser = commands.add_parser(
        "report",
        help="render the fleet utilisation report as one HTML file",
        description="Run the fleet utilisation report (utilisation ranking, under-used and silent\n"
        "machines, sites, trend per vehicle type, weekday x time-of-day profile, off-shift\n"
        "use, findings, reconciliation) and write it as one self-contained HTML file: figures embedded,\n"
        "no code unless --include-input; it opens in any browser, offline.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    hidden = argparse.SUPPRESS  # an option left out keeps the notebook's default
    parser.add_argument(
        "--demo", action="store_true", help="run on the embedded Ocean simulator (a synthetic demo fleet)"
    )
    parser.add_argument(
        "--fleet",
        default=hidden,
        metavar="NAME",
        help='the fleet\'s name in the titles (default: "customer <id>", else its sites)',
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
        parser,
        "clock of the API's days (default: OCEAN_API_TZ, else --tz: one clock); with --demo, the simulator's",
        default=hidden,
    )
    parser.add_argument(
        "--tz",
        type=options.zone,
        default=hidden,
        metavar="ZONE",
        help="the fleet's clock: shifts, weekdays, the weekly profile and, by default, the API's days "
        "(default Europe/Paris)",
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
    options.add_cache(parser, hidden=True)
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
    options.check_period(getattr(args, "start", None), getattr(args, "end", None), report_clock(args))
    options.check_refresh(args)


def report_clock(args: argparse.Namespace) -> str:
    """The clock the report asks the API to cut its days on: ``--api-tz``, else ``OCEAN_API_TZ``,
    else ``--tz``, else the notebook's default (Europe/Paris): one clock for the report."""
    return getattr(args, "api_tz", None) or os.environ.get("OCEAN_API_TZ") or getattr(args, "tz", DEFAULT_TZ)


def _parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters the command line sets: ``demo`` and every option given."""
    given = {name: getattr(args, name) for name in NOTEBOOK_PARAMETERS if hasattr(args, name)}
    return {"demo": args.demo, **given}


def run_report(args: argparse.Namespace) -> int:
    """Render the report; 0 on success (errors are raised for ``cli.main`` to print)."""
    from ..api.client import OceanClient
    from ..report.render import render_report

    if not args.demo:
        OceanClient.from_env().close()  # no credentials: say how to set them, before any work
    path = render_report(args.output, _parameters(args), include_input=args.include_input)
    print(f"Report written to {path} ({path.stat().st_size / 1e6:.1f} MB); open it in any browser.")
    return 0

"""The ``report`` sub-command: the fleet utilisation report as one self-contained HTML file."""

from __future__ import annotations

import argparse
import re
import zoneinfo
from pathlib import Path

__all__ = ["register_report", "run_report"]

NOTEBOOK_PARAMETERS = ("start", "end", "vehicles", "plates", "shift", "tz", "holidays", "cache", "refresh")
"""The options passed to the report notebook's parameters cell when they are given."""

_SHIFT = re.compile(r"^(\d{2}:\d{2})-(\d{2}:\d{2})$")

_EPILOG = """examples:
  ocean-analytics report --demo --output report.html
  ocean-analytics report --start 2024-10-01 --end 2024-10-31 --plates AB-123-CD,EF-456-GH
  ocean-analytics report --shift 06:00-14:00 --tz Europe/Paris --holidays FR-57 --include-input

Without --demo the report runs on the account in OCEAN_LOGIN and OCEAN_PASSWORD (and
OCEAN_CUSTOMER_ID for a login that manages several customers, OCEAN_BASE_URL, OCEAN_API_TZ:
the clock on which the API cuts days, UTC by default)."""


def _day(text: str) -> str:
    """An ISO day ``YYYY-MM-DD``, checked."""
    from ..dates import as_day
    from ..errors import InvalidArgumentError

    try:
        return as_day(text, "day").isoformat()
    except InvalidArgumentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _vehicle_ids(text: str) -> list[int]:
    """Vehicle ids separated by commas."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of vehicle ids: give whole numbers, e.g. 106609,109175"
        )
    return [int(part) for part in parts]


def _plates(text: str) -> list[str]:
    """Plates separated by commas."""
    plates = [part.strip() for part in text.split(",") if part.strip()]
    if not plates:
        raise argparse.ArgumentTypeError("give at least one plate, e.g. AB-123-CD")
    return plates


def _shift(text: str) -> tuple[str, str]:
    """``HH:MM-HH:MM`` as a (start, end) pair; the half-hour rule is the library's to check."""
    match = _SHIFT.match(text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a shift: write START-END as HH:MM-HH:MM, e.g. 07:00-19:00"
        )
    return match[1], match[2]


def _zone(text: str) -> str:
    """An IANA time zone name, checked."""
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r}: give an IANA name such as Europe/Paris or UTC"
        ) from None
    return text


def _holidays(text: str) -> str | tuple[str, str] | None:
    """``none``, a country code (``FR``) or a country and subdivision (``FR-57``)."""
    if text.lower() == "none":
        return None
    country, dash, subdivision = text.partition("-")
    if not country.isalpha() or (dash and not subdivision):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a country code (FR), a country and subdivision (FR-57) or none"
        )
    return (country, subdivision) if subdivision else country


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
        help="the HTML file to write (default report.html)",
    )
    parser.add_argument(
        "--start",
        type=_day,
        default=hidden,
        help="first day, YYYY-MM-DD, on the API's clock (default: first day of last month)",
    )
    parser.add_argument(
        "--end", type=_day, default=hidden, help="last day, included (default: last day of last month)"
    )
    parser.add_argument(
        "--vehicles",
        type=_vehicle_ids,
        nargs="+",
        default=hidden,
        metavar="IDS",
        help="vehicle ids, separated by commas or spaces (default: the whole fleet)",
    )
    parser.add_argument(
        "--plates",
        type=_plates,
        nargs="+",
        default=hidden,
        metavar="PLATES",
        help="plates, separated by commas or spaces (default: the whole fleet)",
    )
    parser.add_argument(
        "--shift",
        type=_shift,
        default=hidden,
        metavar="HH:MM-HH:MM",
        help="working hours, Monday to Friday (default 07:00-19:00)",
    )
    parser.add_argument(
        "--tz",
        type=_zone,
        default=hidden,
        help="time zone of the shift, weekdays and profile (default Europe/Paris)",
    )
    parser.add_argument(
        "--holidays",
        type=_holidays,
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
    parser.set_defaults(run=run_report)


def _parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters the command line sets: ``demo`` and every option given."""
    given = {name: getattr(args, name) for name in NOTEBOOK_PARAMETERS if hasattr(args, name)}
    for name in ("vehicles", "plates"):  # one list per option occurrence: flatten them
        if name in given:
            given[name] = [item for items in given[name] for item in items]
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

"""What every command reads the same way: the one-line parser, the options, their checks.

A wrong command line is found here, before anything starts (no simulator, no kernel,
no request, no folder), and said in one line on stderr with exit status 2. Nothing
here imports pandas: ``ocean-analytics --help`` stays fast.

The clocks have one name each in every command: ``--api-tz`` is the clock on which
the API cuts its days and half hours (the clock the simulator plays in ``demo`` and
``simulate``), ``--tz`` the analyst's clock of shifts, weekdays and profiles
(``report`` only). Lists (``--vehicles``, ``--plates``, ``--frames``) take their items
separated by commas, spaces, or both, in every command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from ..errors import InvalidArgumentError

__all__ = [
    "OneLineParser",
    "DEFAULT_API_TZ",
    "MAX_VEHICLE_ID",
    "Flatten",
    "add_list",
    "add_period",
    "add_api_tz",
    "add_vehicles",
    "day",
    "zone",
    "port",
    "seed",
    "MAX_SEED",
    "shift",
    "holidays",
    "vehicle_id",
    "vehicle_ids",
    "plates",
    "list_of",
    "api_tz_of",
    "check_period",
    "check_new_path",
]

DEFAULT_API_TZ = "UTC"
"""The API's clock when neither ``--api-tz`` nor ``OCEAN_API_TZ`` names one."""
MAX_VEHICLE_ID = 2**31 - 1
"""The largest vehicle id the API can hold (a signed 32-bit integer)."""
MAX_SEED = 2**63 - 1
"""The largest seed of the simulator's synthetic fleet."""

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHIFT = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (exit status 2), no usage block."""

    def error(self, message: str) -> NoReturn:
        """Print ``<prog>: error: <message>`` and where the options are listed; exit 2."""
        text = " ".join(message.split())
        self.exit(2, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


# -- argument types: each raises ArgumentTypeError, which the parser prints in one line ---------
def day(text: str) -> str:
    """An ISO day ``YYYY-MM-DD`` of the calendar, returned as written (ISO)."""
    if not _ISO_DAY.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it YYYY-MM-DD, e.g. 2024-10-01")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day of the calendar (month 01-12, day within the month), e.g. 2024-10-01"
        ) from None


def zone(text: str) -> str:
    """An IANA time zone name (``Europe/Paris``, ``UTC``), the closest names suggested on a typo."""
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        close = difflib.get_close_matches(text, zoneinfo.available_timezones(), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r}: {hint}give an IANA name such as Europe/Paris or UTC"
        ) from None
    return text


def port(text: str) -> int:
    """A TCP port, 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port: give 0 to 65535 (0 picks a free one)")
    return int(text)


def seed(text: str) -> int:
    """A seed of the synthetic fleet: a whole number from 0 to ``MAX_SEED``."""
    if not text.isdigit() or int(text) > MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: give a whole number from 0 to 2**63 - 1")
    return int(text)


def shift(text: str) -> tuple[str, str]:
    """``HH:MM-HH:MM`` on half hours as a (start, end) pair; the end may be 24:00."""
    match = _SHIFT.match(text)
    bounds = [(int(match[i]), int(match[i + 1])) for i in (1, 3)] if match else []
    on_half_hours = all(minute in (0, 30) for _, minute in bounds)
    (h0, m0), (h1, m1) = bounds or [(99, 0), (99, 0)]
    if not (on_half_hours and h0 < 24 and (h1 < 24 or (h1, m1) == (24, 0))):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a shift: write START-END as HH:MM-HH:MM on half hours, from 00:00 "
            "to 24:00, e.g. 07:00-19:00"
        )
    if (h0, m0) == (h1, m1):
        raise argparse.ArgumentTypeError(
            f"{text!r} is an empty shift: its start and end must differ (00:00-24:00 for whole days)"
        )
    return text[:5], text[6:]


def holidays(text: str) -> str | tuple[str, str] | None:
    """``none``, a country code (``FR``) or a country and subdivision (``FR-57``) of the
    ``holidays`` package, checked against it."""
    import holidays as calendars

    if text.lower() == "none":
        return None
    country, dash, subdivision = (part.strip() for part in text.partition("-"))
    known = calendars.list_supported_countries()
    if not country.isalpha() or (dash and not subdivision):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a country code (FR), a country and subdivision (FR-57) or none"
        )
    country = country.upper()
    if country not in known:
        raise argparse.ArgumentTypeError(
            f"{text}: no public holidays known for the country {country}; give an ISO country code "
            "such as FR or DE, a country and subdivision such as FR-57, or none"
        )
    if not subdivision:
        return country
    by_key = {name.upper(): name for name in known[country]}
    if subdivision.upper() not in by_key:
        listed = ", ".join(known[country]) or "none"
        raise argparse.ArgumentTypeError(
            f"{country}-{subdivision}: {country} has no subdivision {subdivision} (its subdivisions: "
            f"{listed}); give {country}-<one of them>, {country} or none"
        )
    return country, by_key[subdivision.upper()]


def list_of(item: Callable[[str], Any], what: str) -> Callable[[str], list[Any]]:
    """The type of one command-line word of a list option: items separated by commas."""

    def read(text: str) -> list[Any]:
        items = [part.strip() for part in text.split(",")]
        if not all(items):
            raise argparse.ArgumentTypeError(
                f"{text!r} holds an empty {what}: separate them with single commas or spaces"
            )
        return [item(part) for part in items]

    return read


def vehicle_id(text: str) -> int:
    """One vehicle id: a whole number from 1 to ``MAX_VEHICLE_ID``."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"vehicle ids are whole numbers such as 1201,1202; not {text!r}")
    if not 1 <= int(text) <= MAX_VEHICLE_ID:
        raise argparse.ArgumentTypeError(
            f"vehicle id {text} is out of range: ids run from 1 to {MAX_VEHICLE_ID}"
        )
    return int(text)


vehicle_ids = list_of(vehicle_id, "vehicle id")
plates = list_of(str, "plate")


class Flatten(argparse.Action):
    """Collect the items of every word (and every repetition) of a list option, first ones first,
    each once."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        before = getattr(namespace, self.dest, None) or []
        items = [*before, *(item for word in values for item in word)]
        setattr(namespace, self.dest, list(dict.fromkeys(items)))


def add_list(
    parser: argparse.ArgumentParser | Any, name: str, read: Callable, metavar: str, help: str, **options: Any
) -> None:
    """Add a list option: ``--name A,B C`` (commas, spaces or both); ``help`` should say so."""
    parser.add_argument(name, type=read, nargs="+", action=Flatten, metavar=metavar, help=help, **options)


def add_vehicles(parser: argparse.ArgumentParser, **options: Any) -> None:
    """Add ``--vehicles`` and ``--plates``, one or the other (default: the whole fleet)."""
    chosen = parser.add_mutually_exclusive_group()
    add_list(
        chosen,
        "--vehicles",
        vehicle_ids,
        "ID",
        "vehicle ids, separated by commas or spaces, e.g. 1201,1202 (default: the whole fleet)",
        **options,
    )
    add_list(
        chosen,
        "--plates",
        plates,
        "PLATE",
        "plates, separated by commas or spaces, e.g. AB-123-CD,EF-456-GH (quote a plate "
        "holding a space; default: the whole fleet)",
        **options,
    )


def add_period(parser: argparse.ArgumentParser, **options: Any) -> None:
    """Add ``--start`` and ``--end``: both or neither (neither: the last full calendar month)."""
    parser.add_argument(
        "--start",
        type=day,
        metavar="YYYY-MM-DD",
        **options,
        help="first day, on the API's clock (with --end; default: first day of last month)",
    )
    parser.add_argument(
        "--end",
        type=day,
        metavar="YYYY-MM-DD",
        **options,
        help="last day, included (with --start; default: last day of last month)",
    )


def add_cache(parser: argparse.ArgumentParser, *, hidden: bool = False) -> None:
    """Add ``--cache``/``--no-cache`` (default: on for an account, off with ``--demo``) and
    ``--refresh``; ``hidden``: an option left out is absent from the namespace (the report's
    notebook then keeps its own default)."""
    cache, refresh = (argparse.SUPPRESS, argparse.SUPPRESS) if hidden else (None, False)
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=cache,
        help="keep fetched days in the user's cache folder and reuse them, so a re-run "
        "asks nothing (default: on for an account, off with --demo)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        default=refresh,
        help="with the cache: fetch every day again and store it anew",
    )


def cache_on(args: argparse.Namespace) -> bool:
    """Whether this run keeps and reuses fetched days: ``--cache``/``--no-cache``, else on for an
    account and off with ``--demo``."""
    cache = getattr(args, "cache", None)
    return (not args.demo) if cache is None else cache


def check_refresh(args: argparse.Namespace) -> None:
    """Refuse ``--refresh`` with the cache off (InvalidArgumentError naming why it is off)."""
    if getattr(args, "refresh", False) and not cache_on(args):
        by_demo = " with --demo" if getattr(args, "cache", None) is None else ""
        raise InvalidArgumentError(
            f"--refresh renews the cache, which is off{by_demo}: add --cache (or drop --refresh)"
        )


def add_api_tz(parser: argparse.ArgumentParser, help: str, **options: Any) -> None:
    """Add ``--api-tz``, the clock on which the API cuts days and half hours."""
    parser.add_argument("--api-tz", type=zone, metavar="ZONE", help=help, **options)


# -- checks of several options together, before anything starts -------------------------------
def api_tz_of(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> str:
    """The API's clock of this run: ``--api-tz``, else ``OCEAN_API_TZ``, else UTC."""
    env = os.environ if environ is None else environ
    return getattr(args, "api_tz", None) or env.get("OCEAN_API_TZ") or DEFAULT_API_TZ


def check_period(start: str | None, end: str | None, api_tz: str) -> None:
    """Refuse a period given by half, reversed, or ending after today on ``api_tz``.

    Raises
    ------
    InvalidArgumentError
        Naming the options and what to give instead.
    """
    if (start is None) != (end is None):
        given, missing = ("--start", "--end") if end is None else ("--end", "--start")
        raise InvalidArgumentError(
            f"{given} needs {missing}: give both days (both included), or neither for last month"
        )
    if start is None or end is None:
        return
    if start > end:  # ISO days compare as dates
        raise InvalidArgumentError(
            f"--start {start} is after --end {end}: both days are included, give start <= end"
        )
    try:
        today = dt.datetime.now(zoneinfo.ZoneInfo(api_tz)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return  # a bad OCEAN_API_TZ: the client names it when the work starts
    if dt.date.fromisoformat(end) > today:
        raise InvalidArgumentError(
            f"--end {end} is in the future (today is {today.isoformat()} on {api_tz}): days not yet "
            "lived would count as days without use; give --end today or earlier"
        )


def check_new_path(path: Path, *, folder: bool) -> None:
    """Refuse an output that cannot be made: a missing or unwritable parent folder, a folder
    where a file is wanted or a file where a folder is wanted. Nothing is created.

    Raises
    ------
    InvalidArgumentError
        Naming the path and what to give instead.
    """
    parent = path.expanduser().absolute().parent
    kind = "folder" if folder else "file"
    if not parent.is_dir():
        what = "is a file" if parent.exists() else "does not exist"
        raise InvalidArgumentError(
            f"--output {str(path)!r}: its folder {str(parent)!r} {what}; create that folder "
            "first or give --output in an existing one"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidArgumentError(
            f"--output {str(path)!r}: its folder {str(parent)!r} is not writable; give --output "
            "in a folder you can write"
        )
    if path.exists() and path.is_dir() != folder:
        raise InvalidArgumentError(
            f"--output {str(path)!r} is {'a file' if folder else 'a folder'}: give the name of the "
            f"{kind} to write"
        )
    if folder and path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
        raise InvalidArgumentError(f"--output {str(path)!r} is a folder you cannot write into")

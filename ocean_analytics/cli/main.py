"""The ``ocean-analytics`` command line.

Exit status: 0 on success, 1 when the work failed (an Ocean error, a file that
cannot be written), 2 for a wrong command line. A wrong command line is found
before anything starts (no simulator, no kernel, no request, no folder). Errors
are one line on stderr; ``--debug`` shows the traceback and the HTTP log.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import InvalidArgumentError, OceanError
from .options import OneLineParser

__all__ = ["main", "build_parser"]


def build_parser() -> OneLineParser:
    """The argument parser with every sub-command (each one an ``OneLineParser`` too)."""
    parser = OneLineParser(
        prog="ocean-analytics",
        description="Auxiliary-equipment usage from the Ocean fleet platform: "
        "fetch it, analyse it, report it.",
        epilog="Credentials come from OCEAN_LOGIN, OCEAN_PASSWORD (and OCEAN_CUSTOMER_ID, OCEAN_BASE_URL, "
        "OCEAN_API_TZ). Without them, --demo runs on the embedded simulator. Clocks: --api-tz is "
        "the clock of the API's days, --tz the analyst's clock of shifts (report). Lists take "
        "commas or spaces.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and the HTTP log on stderr")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from . import commands

    for register in commands.REGISTRARS:
        register(subcommands)
    parser.set_defaults(commands=subcommands.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (a wrong command line exits 2 at once)."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    command: OneLineParser = args.commands[args.command]
    if unknown:  # said by the sub-command, whose options they were meant to be
        command.error(f"unrecognized arguments: {' '.join(unknown)}{_hint(args.command, unknown)}")
    try:
        if hasattr(args, "check"):
            args.check(args)
    except InvalidArgumentError as exc:
        if args.debug:
            raise
        command.error(str(exc))
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        return args.run(args) or 0
    except (OceanError, OSError) as exc:
        if args.debug:
            raise
        print(f"ocean-analytics {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"ocean-analytics {args.command}: interrupted", file=sys.stderr)
        return 130


def _hint(command: str, unknown: list[str]) -> str:
    """Where ``--tz`` went in a command without it: the API's clock is ``--api-tz``."""
    if command != "report" and any(word.split("=")[0] == "--tz" for word in unknown):
        return "; the API's clock is --api-tz (--tz is the analyst's clock of report)"
    return ""


def _one_line(exc: BaseException) -> str:
    text = (
        str(exc) if not isinstance(exc, OSError) or not exc.filename else (f"{exc.strerror}: {exc.filename}")
    )
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover - python -m ocean_analytics.cli.main
    sys.exit(main())

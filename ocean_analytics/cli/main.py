"""The ``ocean-analytics`` command line.

Exit status: 0 on success, 1 when the work failed (an Ocean error, a file that
cannot be written), 2 for a wrong command line. Errors are one line on stderr;
``--debug`` shows the traceback and the HTTP log.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import OceanError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="ocean-analytics",
        description="Auxiliary-equipment usage from the Ocean fleet platform: "
        "fetch it, analyse it, report it.",
        epilog="Credentials come from OCEAN_LOGIN, OCEAN_PASSWORD (and OCEAN_CUSTOMER_ID, OCEAN_BASE_URL, "
        "OCEAN_API_TZ). Without them, --demo runs on the embedded simulator.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and the HTTP log on stderr")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from . import commands

    for register in commands.REGISTRARS:
        register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
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


def _one_line(exc: BaseException) -> str:
    text = (
        str(exc) if not isinstance(exc, OSError) or not exc.filename else (f"{exc.strerror}: {exc.filename}")
    )
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover - python -m ocean_analytics.cli.main
    sys.exit(main())

"""The sub-commands of ``ocean-analytics``: each registers its own arguments, check and runner."""

from __future__ import annotations

import argparse
import errno

from . import options
from .fetch import register_fetch
from .report import register_report

__all__ = ["REGISTRARS"]

SIMULATOR_CLOCK = "clock of the simulated API: the clock on which it cuts days and half hours (default UTC)"


# -- demo -----------------------------------------------------------------------------------
def register_demo(commands: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    parser = commands.add_parser(
        "demo",
        help="fetch a demo fleet from the embedded simulator and print what came back",
        description="Start the embedded Ocean simulator on 127.0.0.1, fetch its demo fleet through the "
        "real client and print the frames' summary and the utilisation ranking.",
    )
    options.add_period(parser)
    options.add_api_tz(parser, SIMULATOR_CLOCK, default=options.DEFAULT_API_TZ)
    parser.set_defaults(run=run_demo, check=check_demo)


def check_demo(args: argparse.Namespace) -> None:
    """Refuse a half, reversed or future period (on the simulator's clock) before it starts."""
    options.check_period(args.start, args.end, args.api_tz)


def run_demo(args: argparse.Namespace) -> int:
    """Fetch the demo fleet and print its summary and ranking; returns 0."""
    import pandas as pd

    from ..analysis.grouping import join_vehicles
    from ..analysis.utilisation import utilisation
    from ..api.connect import connect, demo_period
    from ..fetch import fetch_usage

    start, end = (args.start, args.end) if args.start else demo_period()
    client = connect(demo=True, api_tz=args.api_tz)
    usage = fetch_usage(client, start, end)
    print(f"Embedded simulator at {client.base_url} (login {client.login})")
    print(usage)
    ranking = join_vehicles(utilisation(usage.daily), usage.vehicles, ["plate", "asset_type"])
    ranking = ranking.sort_values("utilisation", ascending=False)
    table = pd.DataFrame(
        {
            "plate": ranking["plate"],
            "asset type": ranking["asset_type"],
            "equipment": ranking["equipment"],
            "hours": (ranking["use_s"] / 3600).round(1),
            "utilisation %": (100 * ranking["utilisation"]).round(1),
            "active days": ranking["active_days"],
        }
    )
    print("\nUtilisation per vehicle and equipment (calendar basis: 24 h a day):")
    print(table.to_string(index=False))
    return 0


# -- simulate -------------------------------------------------------------------------------
def register_simulate(commands: argparse._SubParsersAction) -> None:
    """Add the ``simulate`` sub-command."""
    parser = commands.add_parser(
        "simulate",
        help="serve the Ocean simulator on 127.0.0.1 until Ctrl-C",
        description="Serve the simulated Ocean API on 127.0.0.1 for exploring by hand; prints the base URL "
        "and the demo accounts.",
    )
    parser.add_argument(
        "--port",
        type=options.port,
        default=8080,
        help="TCP port, 0 to 65535 (default 8080; 0 picks a free one)",
    )
    parser.add_argument(
        "--seed", type=options.seed, default=2024, help="seed of the synthetic fleet (default 2024)"
    )
    options.add_api_tz(parser, SIMULATOR_CLOCK, default=options.DEFAULT_API_TZ)
    parser.set_defaults(run=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; returns 0.

    Raises
    ------
    OSError
        When the port is taken (exit status 1), saying so.
    """
    from ..simulator import SimulatorConfig, serve

    try:
        serve(SimulatorConfig(port=args.port, seed=args.seed, clock=args.api_tz))
    except OSError as err:
        if err.errno != errno.EADDRINUSE:
            raise
        raise OSError(
            err.errno, f"port {args.port} on 127.0.0.1 is in use: give another --port, or 0 for a free one"
        ) from None
    return 0


REGISTRARS = [register_demo, register_simulate, register_report, register_fetch]

"""The sub-commands of ``ocean-analytics``: each registers its own arguments and runner."""

from __future__ import annotations

import argparse
import datetime as dt

from .fetch import register_fetch
from .report import register_report

__all__ = ["REGISTRARS"]


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="first day, YYYY-MM-DD (default: first day of last month)")
    parser.add_argument("--end", help="last day, included, YYYY-MM-DD (default: last day of last month)")


def _period(args: argparse.Namespace) -> tuple[str | dt.date, str | dt.date]:
    from ..api.connect import demo_period

    first, last = demo_period()
    return args.start or first, args.end or last


# -- demo -----------------------------------------------------------------------------------
def register_demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo",
        help="fetch a demo fleet from the embedded simulator and print what came back",
        description="Start the embedded Ocean simulator on 127.0.0.1, fetch its demo fleet through the "
        "real client and print the frames' summary and the utilisation ranking.",
    )
    _add_period(parser)
    parser.add_argument("--tz", default="UTC", help="clock of the simulated API (default UTC)")
    parser.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..analysis.grouping import join_vehicles
    from ..analysis.utilisation import utilisation
    from ..api.connect import connect
    from ..fetch import fetch_usage

    client = connect(demo=True, api_tz=args.tz)
    start, end = _period(args)
    print(f"Embedded simulator at {client.base_url} (login {client.login})")
    usage = fetch_usage(client, start, end)
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
    parser = commands.add_parser(
        "simulate",
        help="serve the Ocean simulator on 127.0.0.1 until Ctrl-C",
        description="Serve the simulated Ocean API on 127.0.0.1 for exploring by hand; prints the base URL "
        "and the demo accounts.",
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0 picks a free one)")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic fleet (default 2024)")
    parser.add_argument("--tz", default="UTC", help="clock of the days and half hours (default UTC)")
    parser.set_defaults(run=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    from ..simulator import SimulatorConfig, serve

    serve(SimulatorConfig(port=args.port, seed=args.seed, clock=args.tz))
    return 0


REGISTRARS = [register_demo, register_simulate, register_report, register_fetch]

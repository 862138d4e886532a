"""``python -m ocean_analytics.simulator --port 8080 [--seed N --clock Europe/Paris ...]``.

Serves the fake Ocean API until Ctrl-C, printing the base URL and the demo accounts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from .config import (
    ALL_DIO_MODES,
    DAY_FORMATS,
    ERROR_BODIES,
    MISSING_VALUES,
    NONCOMMUNICANT_STATUSES,
    PERIOD_KEYS,
    SILENT_DAYS,
    UNKNOWN_PLATES,
    SimulatorConfig,
)
from .scenarios import StuckInput
from .service import serve
from .silence import SilentBox

__all__ = ["build_parser", "config_from_args", "silent_box", "stuck_input", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The command-line options, one per setting of :class:`SimulatorConfig`."""
    d = SimulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m ocean_analytics.simulator",
        description="Serve a fake Ocean API on 127.0.0.1 until Ctrl-C.",
    )
    add = parser.add_argument
    add("--port", type=int, default=8080, help="TCP port (0: any free port; default 8080)")
    add("--seed", type=int, default=d.seed, help=f"seed of the fleet and usage (default {d.seed})")
    add("--customers", type=int, default=d.n_customers, help=f"number of customers (default {d.n_customers})")
    add(
        "--vehicles",
        type=int,
        default=d.vehicles_per_customer,
        help="vehicles per customer (default %(default)s)",
    )
    add("--clock", default=d.clock, help="clock of days and slots: UTC or a zone such as Europe/Paris")
    add("--no-idle-days", action="store_true", help="leave days without use out of the answer")
    add("--zero-slots", action="store_true", help="list half hours with no use too")
    add("--period-key", choices=PERIOD_KEYS, default=d.period_key, help="spelling of the period-total key")
    add("--all-dio", choices=ALL_DIO_MODES, default=d.all_dio, help="dailyDurationSecForAllDio: sum or union")
    add("--day-format", choices=DAY_FORMATS, default=d.day_format, help="format of the answer's day field")
    add("--token-ttl", type=float, default=d.token_ttl_s, help="token lifetime in seconds (default 12 h)")
    add("--max-days", type=int, default=d.max_days, help="longest period per request, in days")
    add("--max-vehicles", type=int, default=d.max_vehicles, help="most vehicles per request")
    add("--max-cells", type=int, default=None, help="most vehicles x days per request (413 past it)")
    add("--latency", type=float, default=d.latency_s, help="seconds added to every answer")
    add("--rate-limit", type=float, default=None, help="requests per second (429 past it)")
    add("--error-body", choices=ERROR_BODIES, default=d.error_body, help="an error object alone or in a list")
    add(
        "--silent-box",
        action="append",
        default=[],
        type=silent_box,
        metavar="ID[:LAST[:INSTALLED[:REASON]]]",
        help="a non-communicating box: vehicle id, last day talking (empty: never), installation day "
        "(yyyy-mm-dd, noon on the clock), reason; repeat for several",
    )
    add(
        "--silent-days",
        choices=SILENT_DAYS,
        default=d.silent_days,
        help="days without data: as idle days or left out",
    )
    add(
        "--missing-values",
        choices=MISSING_VALUES,
        default=d.missing_values,
        help="absent values: null or left out",
    )
    add(
        "--noncommunicant-status",
        type=int,
        choices=NONCOMMUNICANT_STATUSES,
        default=d.noncommunicant_status,
        help="noncommunicant/list answered (200) or refused (403, 404)",
    )
    add(
        "--unknown-plates",
        choices=UNKNOWN_PLATES,
        default=d.unknown_plates,
        help="unknown plates: empty or 404",
    )
    add(
        "--stuck-input",
        action="append",
        default=[],
        type=stuck_input,
        metavar="ID:LABEL:FIRST:LAST",
        help="an input stuck on from FIRST to LAST (yyyy-mm-dd); repeat for several",
    )
    add(
        "--holiday",
        action="append",
        default=[],
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="a day on which most of the fleet rests; repeat for several",
    )
    add(
        "--holiday-rest-share",
        type=float,
        default=d.holiday_rest_share,
        help="share of the fleet resting on holidays (default %(default)s)",
    )
    add(
        "--idle-vehicle",
        action="append",
        default=[],
        type=int,
        metavar="ID",
        help="a vehicle that never uses its equipment; repeat for several",
    )
    return parser


def stuck_input(text: str) -> StuckInput:
    """``ID:LABEL:FIRST:LAST`` as a :class:`StuckInput` (days as ``yyyy-mm-dd``)."""
    try:
        vehicle, rest = text.split(":", 1)
        label, first, last = rest.rsplit(":", 2)
        return StuckInput(int(vehicle), label, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc} (write ID:LABEL:FIRST:LAST)") from exc


def silent_box(text: str) -> SilentBox:
    """``ID[:LAST[:INSTALLED[:REASON]]]`` as a :class:`SilentBox` (days as ``yyyy-mm-dd``)."""
    parts = text.split(":", 3) + [""] * 3
    try:
        return SilentBox(
            int(parts[0]),
            last_communication=_day(parts[1]),
            installed=_day(parts[2]),
            reason=parts[3] or None,
        )
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc} (write ID[:LAST[:INSTALLED[:REASON]]])") from exc


def _day(text: str) -> dt.date | None:
    """A ``yyyy-mm-dd`` day, or None for an empty text."""
    return dt.date.fromisoformat(text) if text else None


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """The settings given on the command line."""
    return SimulatorConfig(
        seed=args.seed,
        port=args.port,
        n_customers=args.customers,
        vehicles_per_customer=args.vehicles,
        clock=args.clock,
        list_idle_days=not args.no_idle_days,
        list_zero_slots=args.zero_slots,
        period_key=args.period_key,
        all_dio=args.all_dio,
        day_format=args.day_format,
        token_ttl_s=args.token_ttl,
        max_days=args.max_days,
        max_vehicles=args.max_vehicles,
        max_cells=args.max_cells,
        latency_s=args.latency,
        rate_limit_per_s=args.rate_limit,
        error_body=args.error_body,
        silent_boxes=tuple(args.silent_box),
        silent_days=args.silent_days,
        missing_values=args.missing_values,
        noncommunicant_status=args.noncommunicant_status,
        unknown_plates=args.unknown_plates,
        stuck_inputs=tuple(args.stuck_input),
        holidays=tuple(args.holiday),
        holiday_rest_share=args.holiday_rest_share,
        idle_vehicles=tuple(args.idle_vehicle),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and serve; exit status 2 on a bad setting."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    serve(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())

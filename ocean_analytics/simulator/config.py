"""Settings of the Ocean simulator: one frozen dataclass, checked when it is made.

The simulator imports nothing from the rest of ``ocean_analytics``: bad settings
raise the standard ``ValueError`` or ``TypeError`` with a message saying what to pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .scenarios import StuckInput
from .silence import SilentBox

__all__ = [
    "SimulatorConfig",
    "PERIOD_KEYS",
    "ALL_DIO_MODES",
    "DAY_FORMATS",
    "ERROR_BODIES",
    "SILENT_DAYS",
    "MISSING_VALUES",
    "NONCOMMUNICANT_STATUSES",
    "UNKNOWN_PLATES",
    "FLEET_SETTINGS",
]

PERIOD_KEYS = ("totalUsePerEquipementForPeriod", "totalUserPerEquipementForPeriod")
"""The two spellings of the period-total key: the French page's, then the English page's."""

ALL_DIO_MODES = ("sum", "union")
"""How ``dailyDurationSecForAllDio`` is counted: sum over equipment, or time any one was on."""

DAY_FORMATS = ("dd/MM/yyyy", "yyyy-MM-dd")
"""Formats of the ``day`` field of the answer (the documentation leaves it open)."""

ERROR_BODIES = ("object", "list")
"""An error body: one ``{"oceanStatus": ..., "message": ...}`` object, or a list of them."""

SILENT_DAYS = ("idle", "omitted")
"""How the duree answer shows a day on which a silent box recorded nothing: like an idle
day (listed with zeros when ``list_idle_days``), or left out whatever ``list_idle_days``."""

MISSING_VALUES = ("null", "omitted")
"""How answers write a value the platform does not have: ``null``, or the key left out."""

NONCOMMUNICANT_STATUSES = (200, 403, 404)
"""``noncommunicant/list``: answered (200), or refused to a customer whose contract lacks it."""

UNKNOWN_PLATES = ("empty", "404")
"""Plate services asked only unknown plates: an empty answer (``{}``, ``[]``), or 404."""

FLEET_SETTINGS = ("seed", "n_customers", "vehicles_per_customer")
"""Settings that change the synthetic fleet (and so the accounts) when changed."""

MAX_VEHICLES_PER_CUSTOMER = 50_000


@dataclass(frozen=True)
class SimulatorConfig:
    """Every setting of the simulator.

    Parameters
    ----------
    seed : int
        Seed of the synthetic fleet, accounts and usage (0 <= seed < 2**63).
    port : int
        TCP port on 127.0.0.1; 0 picks a free (ephemeral) port.
    n_customers : int
        Number of customers of the fleet (>= 1).
    vehicles_per_customer : int or tuple of int
        Vehicles of each customer: one number for all, or one per customer.
    clock : str
        IANA time zone of the answer's days and ``HH:mm`` slots: ``"UTC"`` or a local
        clock such as ``"Europe/Paris"`` (46 slots on the spring change, 50 in autumn).
    list_idle_days : bool
        True: every day of the period is listed, with zeros on days without use.
        False: days without any use are left out of ``dailyDioUtilisation``.
    list_zero_slots : bool
        True: ``usePerHalfHour`` lists every slot of each equipment, zeros included.
    period_key : str
        Spelling of the period-total key, one of :data:`PERIOD_KEYS`.
    all_dio : str
        ``"sum"``: ``dailyDurationSecForAllDio`` is the sum over equipment;
        ``"union"``: the seconds when at least one equipment was on.
    day_format : str
        Format of the ``day`` field, one of :data:`DAY_FORMATS`.
    token_ttl_s : float
        Lifetime of a token in seconds (12 h by default).
    max_days : int
        Longest period of one request in days; longer answers 400.
    max_vehicles : int
        Most vehicles in one request; more answers 400.
    max_cells : int or None
        Most vehicles x days in one request; more answers 413. None: no such limit.
    latency_s : float
        Seconds every answer is delayed by.
    rate_limit_per_s : float or None
        Requests per second allowed on authenticated routes (token bucket); past it
        429 with ``Retry-After``. None: unlimited.
    error_body : str
        One of :data:`ERROR_BODIES`: every error answer is ``{"oceanStatus", "message"}``
        alone (``"object"``) or in a list (``"list"``).
    silent_boxes : tuple of SilentBox
        The non-communicating boxes (in ``noncommunicant/list``; their vehicles have no
        data outside the time their box recorded). None by default.
    silent_days : str
        One of :data:`SILENT_DAYS`.
    missing_values : str
        One of :data:`MISSING_VALUES`: a never-communicated box's
        ``lastCommunicatingDate``, an unqualified box's qualification, a vehicle's
        absent driver.
    noncommunicant_status : int
        One of :data:`NONCOMMUNICANT_STATUSES`.
    unknown_plates : str
        One of :data:`UNKNOWN_PLATES`: ``ids-from-immats`` when no plate asked is the
        customer's, and the fleet listing filtered on an unknown ``immatriculation``.
    stuck_inputs : tuple of StuckInput
        Inputs stuck on: that equipment is used every recorded second of those days.
    holidays : tuple of datetime.date
        Days on which ``holiday_rest_share`` of the fleet does not work at all.
    holiday_rest_share : float
        Share of the vehicles resting on holidays (0 to 1; the same vehicles each time).
    idle_vehicles : tuple of int
        Vehicles that never use their equipment (their equipment is still listed).
    """

    seed: int = 2024
    port: int = 0
    n_customers: int = 3
    vehicles_per_customer: int | tuple[int, ...] = 12
    clock: str = "UTC"
    list_idle_days: bool = True
    list_zero_slots: bool = False
    period_key: str = "totalUsePerEquipementForPeriod"
    all_dio: str = "sum"
    day_format: str = "dd/MM/yyyy"
    token_ttl_s: float = 43200.0
    max_days: int = 31
    max_vehicles: int = 50
    max_cells: int | None = None
    latency_s: float = 0.0
    rate_limit_per_s: float | None = None
    error_body: str = "object"
    silent_boxes: tuple[SilentBox, ...] = ()
    silent_days: str = "idle"
    missing_values: str = "null"
    noncommunicant_status: int = 200
    unknown_plates: str = "empty"
    stuck_inputs: tuple[StuckInput, ...] = ()
    holidays: tuple[dt.date, ...] = ()
    holiday_rest_share: float = 0.9
    idle_vehicles: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        """Normalise lists of fleet sizes, boxes, inputs, days and ids to tuples, then check every setting."""
        for name in ("vehicles_per_customer", "silent_boxes", "stuck_inputs", "holidays", "idle_vehicles"):
            if isinstance(getattr(self, name), list):
                object.__setattr__(self, name, tuple(getattr(self, name)))
        _check_types(self)
        _check_ranges(self)
        _check_choices(self)
        _check_silent_boxes(self.silent_boxes)
        _check_scenarios(self)

    def fleet_sizes(self) -> tuple[int, ...]:
        """Number of vehicles of each customer, in customer order."""
        if isinstance(self.vehicles_per_customer, tuple):
            return self.vehicles_per_customer
        return (self.vehicles_per_customer,) * self.n_customers


def _check_types(config: SimulatorConfig) -> None:
    """Raise ``TypeError`` naming the first setting of the wrong type."""
    expected = {
        "seed": int,
        "port": int,
        "n_customers": int,
        "clock": str,
        "list_idle_days": bool,
        "list_zero_slots": bool,
        "period_key": str,
        "all_dio": str,
        "day_format": str,
        "token_ttl_s": (int, float),
        "max_days": int,
        "max_vehicles": int,
        "latency_s": (int, float),
        "error_body": str,
        "silent_boxes": tuple,
        "silent_days": str,
        "missing_values": str,
        "noncommunicant_status": int,
        "unknown_plates": str,
        "stuck_inputs": tuple,
        "holidays": tuple,
        "holiday_rest_share": (int, float),
        "idle_vehicles": tuple,
    }
    optional = {"max_cells": int, "rate_limit_per_s": (int, float)}
    for name in (f.name for f in fields(config)):
        value = getattr(config, name)
        kind = expected.get(name) or optional.get(name)
        if kind is None or (name in optional and value is None):
            continue
        is_bool = isinstance(value, bool)
        if not isinstance(value, kind) or (is_bool and kind is not bool):
            raise TypeError(f"SimulatorConfig.{name} must be {_kind_name(kind)}, got {value!r}")
    sizes = config.vehicles_per_customer
    items = sizes if isinstance(sizes, tuple) else (sizes,)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in items):
        raise TypeError(
            f"SimulatorConfig.vehicles_per_customer must be an int or a tuple of ints, got {sizes!r}"
        )


def _kind_name(kind: type | tuple[type, ...]) -> str:
    """Readable name of an expected type."""
    return "a number" if isinstance(kind, tuple) else f"a {kind.__name__}"


def _check_ranges(config: SimulatorConfig) -> None:
    """Raise ``ValueError`` naming the first setting out of its range."""
    rules = [
        ("seed", 0 <= config.seed < 2**63, "between 0 and 2**63 - 1"),
        ("port", 0 <= config.port <= 65535, "between 0 (any free port) and 65535"),
        ("n_customers", 1 <= config.n_customers <= 1000, "between 1 and 1000"),
        ("token_ttl_s", config.token_ttl_s > 0, "> 0 seconds"),
        ("max_days", config.max_days >= 1, ">= 1"),
        ("max_vehicles", config.max_vehicles >= 1, ">= 1"),
        ("max_cells", config.max_cells is None or config.max_cells >= 1, ">= 1 or None"),
        ("latency_s", config.latency_s >= 0, ">= 0 seconds"),
        ("rate_limit_per_s", config.rate_limit_per_s is None or config.rate_limit_per_s > 0, "> 0 or None"),
        ("holiday_rest_share", 0 <= config.holiday_rest_share <= 1, "between 0 and 1"),
    ]
    for name, ok, wanted in rules:
        if not ok:
            raise ValueError(f"SimulatorConfig.{name} must be {wanted}, got {getattr(config, name)!r}")
    sizes = config.vehicles_per_customer
    if isinstance(sizes, tuple) and len(sizes) != config.n_customers:
        raise ValueError(
            f"SimulatorConfig.vehicles_per_customer has {len(sizes)} entries for "
            f"{config.n_customers} customers: give one per customer, or a single int"
        )
    if not all(1 <= n <= MAX_VEHICLES_PER_CUSTOMER for n in config.fleet_sizes()):
        raise ValueError(
            f"SimulatorConfig.vehicles_per_customer must be between 1 and "
            f"{MAX_VEHICLES_PER_CUSTOMER} per customer, got {sizes!r}"
        )


def _check_choices(config: SimulatorConfig) -> None:
    """Raise ``ValueError`` when a setting is not one of its allowed values."""
    choices = {
        "period_key": PERIOD_KEYS,
        "all_dio": ALL_DIO_MODES,
        "day_format": DAY_FORMATS,
        "error_body": ERROR_BODIES,
        "silent_days": SILENT_DAYS,
        "missing_values": MISSING_VALUES,
        "noncommunicant_status": NONCOMMUNICANT_STATUSES,
        "unknown_plates": UNKNOWN_PLATES,
    }
    for name, allowed in choices.items():
        if getattr(config, name) not in allowed:
            raise ValueError(
                f"SimulatorConfig.{name} must be one of {allowed}, got {getattr(config, name)!r}"
            )
    try:
        ZoneInfo(config.clock)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"SimulatorConfig.clock must be an IANA time zone such as 'UTC' or 'Europe/Paris', "
            f"got {config.clock!r}"
        ) from exc


def _check_silent_boxes(boxes: tuple[SilentBox, ...]) -> None:
    """Raise ``TypeError`` for an entry that is no :class:`SilentBox`, ``ValueError`` for a
    vehicle given twice (whether the vehicles exist is checked against the fleet)."""
    bad = [box for box in boxes if not isinstance(box, SilentBox)]
    if bad:
        raise TypeError(f"SimulatorConfig.silent_boxes must hold SilentBox(...) entries, got {bad[0]!r}")
    seen = [box.vehicle_id for box in boxes]
    twice = sorted({v for v in seen if seen.count(v) > 1})
    if twice:
        raise ValueError(f"SimulatorConfig.silent_boxes names vehicle(s) {twice} more than once: one each")


def _check_scenarios(config: SimulatorConfig) -> None:
    """Raise ``TypeError`` for a stuck input, holiday or idle vehicle of the wrong type
    (whether the vehicles and labels exist is checked against the fleet)."""
    rules = [
        ("stuck_inputs", StuckInput, "StuckInput(...) entries"),
        ("holidays", dt.date, "datetime.date days"),
        ("idle_vehicles", int, "vehicle ids (int)"),
    ]
    for name, kind, wanted in rules:
        bad = [
            item
            for item in getattr(config, name)
            if not isinstance(item, kind) or isinstance(item, bool | dt.datetime)
        ]
        if bad:
            raise TypeError(f"SimulatorConfig.{name} must hold {wanted}, got {bad[0]!r}")

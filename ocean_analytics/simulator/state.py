"""The simulator's shared state: settings, fleet, tokens, faults, rate limiter and request log."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from .auth import TokenStore
from .config import FLEET_SETTINGS, SimulatorConfig
from .faults import FaultBook
from .fleet import Fleet, build_fleet, installations
from .limits import RateLimiter
from .recording import RequestLog
from .silence import silences_of

__all__ = ["SimulatorState"]


class SimulatorState:
    """Everything the request handlers share, safe to use from many threads.

    Parameters
    ----------
    config : SimulatorConfig
        The initial settings.
    """

    def __init__(self, config: SimulatorConfig) -> None:
        self._lock = threading.Lock()
        self.tokens = TokenStore()
        self.faults = FaultBook()
        self.log = RequestLog()
        self._config = config
        self._fleet = build_fleet(config)
        _check_vehicles_named(config, self._fleet)
        self._limiter = _limiter(config)

    def snapshot(self) -> tuple[SimulatorConfig, Fleet]:
        """The settings and fleet in force, read together."""
        with self._lock:
            return self._config, self._fleet

    @property
    def limiter(self) -> RateLimiter | None:
        """The rate limiter in force, or None."""
        with self._lock:
            return self._limiter

    def configure(self, **changes: Any) -> SimulatorConfig:
        """Change settings live; the fleet is rebuilt when a fleet setting changes.

        Raises
        ------
        TypeError, ValueError
            For an unknown setting or a bad value (nothing is changed then).
        """
        with self._lock:
            try:
                config = dataclasses.replace(self._config, **changes)
            except TypeError as exc:
                known = ", ".join(f.name for f in dataclasses.fields(SimulatorConfig))
                raise TypeError(
                    f"unknown simulator setting in {sorted(changes)}: known settings are {known}"
                ) from exc
            fleet = self._fleet
            if any(getattr(config, name) != getattr(self._config, name) for name in FLEET_SETTINGS):
                fleet = build_fleet(config)
            _check_vehicles_named(config, fleet)
            self._fleet = fleet
            if config.rate_limit_per_s != self._config.rate_limit_per_s:
                self._limiter = _limiter(config)
            self._config = config
            return config


def _check_vehicles_named(config: SimulatorConfig, fleet: Fleet) -> None:
    """Raise ``ValueError`` when a silent box, stuck input or idle vehicle names no vehicle
    of the fleet, a silent box talks last before its installation, or a stuck input names
    equipment its vehicle does not have."""
    unknown = [box.vehicle_id for box in config.silent_boxes if box.vehicle_id not in fleet.by_vehicle_id]
    if unknown:
        raise ValueError(
            f"SimulatorConfig.silent_boxes names vehicle(s) {unknown} that the fleet does not have "
            "(seed, n_customers and vehicles_per_customer make the fleet): pick ids from Simulator.customers"
        )
    silences_of(config.silent_boxes, installations(fleet.by_vehicle_id.values()), config.clock)
    vehicles = fleet.by_vehicle_id
    unknown = [v for v in config.idle_vehicles if v not in vehicles]
    unknown += [s.vehicle_id for s in config.stuck_inputs if s.vehicle_id not in vehicles]
    if unknown:
        raise ValueError(
            f"SimulatorConfig.idle_vehicles or stuck_inputs name vehicle(s) {unknown} that the "
            "fleet does not have: pick ids from Simulator.customers"
        )
    for stuck in config.stuck_inputs:
        if stuck.equipment not in vehicles[stuck.vehicle_id].equipment:
            raise ValueError(
                f"StuckInput: vehicle {stuck.vehicle_id} has no equipment {stuck.equipment!r}; "
                f"it has {list(vehicles[stuck.vehicle_id].equipment)}"
            )


def _limiter(config: SimulatorConfig) -> RateLimiter | None:
    """A fresh rate limiter for the settings, or None when unlimited."""
    return None if config.rate_limit_per_s is None else RateLimiter(config.rate_limit_per_s)

"""pytest fixtures for the simulator.

Load them with ``pytest_plugins = ["ocean_analytics.simulator.pytest_plugin"]``.

- ``simulator``: a started :class:`Simulator` with the default settings, stopped after the test.
- ``simulator_factory``: call it with settings (``simulator_factory(clock="Europe/Paris")``)
  to get started simulators; every one is stopped after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .config import SimulatorConfig
from .service import Simulator

__all__ = ["simulator", "simulator_factory"]


@pytest.fixture
def simulator_factory() -> Iterator[Callable[..., Simulator]]:
    """Start simulators from settings; all of them are stopped at teardown."""
    started: list[Simulator] = []

    def start(config: SimulatorConfig | None = None, **settings: Any) -> Simulator:
        """Start a simulator from ``config`` and/or keyword settings."""
        sim = Simulator(config, **settings).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def simulator(simulator_factory: Callable[..., Simulator]) -> Simulator:
    """A started simulator with the default settings (stopped after the test)."""
    return simulator_factory()

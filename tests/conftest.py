"""Shared test configuration: the simulator fixtures and the cassette (vcrpy) settings.

Cassettes live in the top-level ``cassettes/<test module>/``. They are recorded
against the embedded simulator with ``pytest --record-mode=once`` (or
``rewrite``) and replayed offline otherwise (``--record-mode=none`` is the
default in pyproject.toml, with ``--block-network``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cassette_scrub import PLACEHOLDER_LOGIN, PLACEHOLDER_PASSWORD, vcr_settings

from ocean_analytics.simulator import Simulator, SimulatorConfig

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
REPLAY_BASE_URL = "http://127.0.0.1:9/ocean-3.0.0"


@pytest.fixture
def simulator_factory() -> Iterator[Callable[..., Simulator]]:
    """Start simulators from settings (``simulator_factory(clock="Europe/Paris")``); all of
    them are stopped at teardown."""
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


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """One folder per test module under the top-level ``cassettes/``."""
    return str(CASSETTES / request.node.fspath.purebasename)


@pytest.fixture
def vcr_config() -> dict:
    """Order-free query matching, no host/port matching, secrets scrubbed."""
    return vcr_settings()


@pytest.fixture
def recording(record_mode: str) -> bool:
    """True when this run records cassettes (``--record-mode`` other than none)."""
    return record_mode != "none"


@pytest.fixture
def cassette_account(recording: bool, request: pytest.FixtureRequest):
    """``(base_url, login, password, simulator_or_None)`` for a cassette test.

    Recording: a live simulator and its single-customer account. Replaying: a
    URL nothing listens on and the placeholders the cassettes hold, so that a
    replayed test that strays off its cassette fails instead of reaching a server.
    """
    if not recording:
        return REPLAY_BASE_URL, PLACEHOLDER_LOGIN, PLACEHOLDER_PASSWORD, None
    sim = request.getfixturevalue("simulator")
    account = sim.accounts["single"]
    return sim.base_url, account.login, account.password, sim

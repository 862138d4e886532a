"""One call to get a working client: the account in the environment, or the embedded simulator.

Notebooks, the command line and the report all start here, so that they run
unchanged on a real account (``OCEAN_LOGIN``/``OCEAN_PASSWORD`` set) and on the
simulator (nothing set, or ``demo=True``).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import threading
from collections.abc import Mapping
from typing import Any

from .client import OceanClient

__all__ = ["connect", "demo_config", "demo_period", "demo_simulator", "DEMO_SEED"]

DEMO_SEED = 2024
_demo_lock = threading.Lock()
_demo_simulators: dict[tuple, Any] = {}


def connect(
    demo: bool | None = None, *, environ: Mapping[str, str] | None = None, **options: Any
) -> OceanClient:
    """A client for the account in the environment, or for the embedded simulator.

    Parameters
    ----------
    demo : bool, optional
        True: always the embedded simulator (started once per process and per
        ``api_tz``, on 127.0.0.1, stopped at exit). False: the account in the
        environment (``OCEAN_LOGIN``, ``OCEAN_PASSWORD``, ``OCEAN_CUSTOMER_ID``,
        ``OCEAN_BASE_URL``, ``OCEAN_API_TZ``), an error if there is none. None
        (default): the environment's account when ``OCEAN_LOGIN`` is set,
        the simulator otherwise.
    environ : mapping, optional
        Where to read the variables; ``os.environ`` by default.
    **options
        Passed to :class:`OceanClient` (e.g. ``api_tz``, ``timeout``).

    Returns
    -------
    OceanClient
        On the simulator, logged in as its single-customer demo account.

    Raises
    ------
    ConfigurationError
        With ``demo=False`` and no credentials; the message says what to set.
    """
    env = os.environ if environ is None else environ
    if demo is None:
        demo = not env.get("OCEAN_LOGIN")
    if not demo:
        return OceanClient.from_env(env, **options)
    api_tz = options.pop("api_tz", env.get("OCEAN_API_TZ") or "UTC")
    simulator = demo_simulator(api_tz)
    account = simulator.accounts["single"]
    return OceanClient(simulator.base_url, account.login, account.password, api_tz=api_tz, **options)


def demo_simulator(api_tz: str = "UTC"):
    """The process's demo simulator for that clock, started on first use.

    Its settings are :func:`demo_config` of that first day: the demo fleet has
    scenes to find around :func:`demo_period` (a box going silent mid-period, one
    that never communicated, a stuck input, a site with idle machines, the French
    public holidays); see :mod:`ocean_analytics.simulator.demo`.

    Returns
    -------
    ocean_analytics.simulator.Simulator
        Seeded with ``DEMO_SEED``; its accounts are in ``.accounts``, its scenes in
        ``.config``.
    """
    from ..simulator import Simulator

    key = (DEMO_SEED, api_tz)
    with _demo_lock:
        if key not in _demo_simulators:
            simulator = Simulator(demo_config(api_tz))
            simulator.start()
            atexit.register(simulator.stop)
            _demo_simulators[key] = simulator
        return _demo_simulators[key]


def demo_config(api_tz: str = "UTC", today: dt.date | None = None):
    """The demo simulator's settings: ``DEMO_SEED`` and scenes placed around the demo period.

    Parameters
    ----------
    api_tz : str
        The clock the simulator plays (its days are days on it).
    today : datetime.date, optional
        The day the demo is played on (default: today, local clock): the scenes
        are placed in :func:`demo_period` of it, the holidays run to it.

    Returns
    -------
    ocean_analytics.simulator.SimulatorConfig
        As :func:`ocean_analytics.simulator.demo.demo_scenes` places them.
    """
    from ..simulator import SimulatorConfig
    from ..simulator.demo import demo_scenes

    today = today or dt.date.today()
    start, end = demo_period(today)
    return demo_scenes(SimulatorConfig(seed=DEMO_SEED, clock=api_tz), start, end, today)


def demo_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last full calendar month before ``today`` (default: today, local clock)."""
    today = today or dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last

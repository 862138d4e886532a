"""A fake Ocean API for tests, demos and benchmarks: a real HTTP server on 127.0.0.1.

It plays ``/ocean-3.0.0/restapi/...`` (authentication, ``dioUtilisation/duree``,
``vehicule_engin/ids-from-immats``, ``vehicule_engin/vehicles``, ``mobility/v1/entities``
and ``noncommunicant/list``) in the documented shapes over a deterministic synthetic
fleet, with silent boxes, limits and faults on demand. It imports nothing
from the rest of ``ocean_analytics``: it is an independent implementation of the
contract, so that a bug cannot hide in both.

Examples
--------
>>> from ocean_analytics.simulator import Simulator
>>> with Simulator(seed=3, clock="Europe/Paris") as sim:   # doctest: +SKIP
...     print(sim.base_url, sim.accounts["multi"].login)
"""

from .config import SimulatorConfig
from .faults import Fault
from .fleet import Account, Customer, Vehicle
from .recording import RecordedRequest
from .scenarios import StuckInput
from .service import Simulator, serve
from .silence import SilentBox

__all__ = [
    "Simulator",
    "SimulatorConfig",
    "Fault",
    "Account",
    "Customer",
    "Vehicle",
    "RecordedRequest",
    "SilentBox",
    "StuckInput",
    "serve",
]

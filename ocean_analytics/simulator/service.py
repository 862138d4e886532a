"""The simulator as a Python object: start it, point a client at ``base_url``, stop it.

>>> with Simulator(seed=3, clock="Europe/Paris") as sim:   # doctest: +SKIP
...     requests.post(sim.base_url + "/restapi/auth/authenticate2", json={...})
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any, TextIO

from .config import SimulatorConfig
from .faults import Fault
from .fleet import Account, Customer, Vehicle
from .payload import duree_answer
from .recording import RecordedRequest
from .routes import BASE_PATH
from .server import OceanHTTPServer
from .state import SimulatorState

__all__ = ["Simulator", "serve"]


class Simulator:
    """A fake Ocean API on 127.0.0.1, with a deterministic fleet, limits and faults.

    Parameters
    ----------
    config : SimulatorConfig, optional
        The settings; the defaults when omitted.
    **settings
        Settings overriding those of ``config`` (``seed=3, clock="Europe/Paris"``...).
    """

    def __init__(self, config: SimulatorConfig | None = None, **settings: Any) -> None:
        base = config if config is not None else SimulatorConfig()
        self._state = SimulatorState(dataclasses.replace(base, **settings) if settings else base)
        self._server: OceanHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        config, _fleet = self._state.snapshot()
        where = self.base_url if self._server is not None else "stopped"
        return f"Simulator({where}, seed={config.seed}, clock={config.clock!r})"

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Simulator:
        """Start serving in a background daemon thread (no effect when already started)."""
        if self._server is None:
            config, _fleet = self._state.snapshot()
            self._server = OceanHTTPServer(config.port, self._state)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="ocean-simulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and free the port."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if thread is not None:
            thread.join()

    @property
    def port(self) -> int:
        """The TCP port served on 127.0.0.1."""
        if self._server is None:
            raise RuntimeError("the simulator is not running: call start() or use it in a with block")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/ocean-3.0.0``."""
        return f"http://127.0.0.1:{self.port}{BASE_PATH}"

    @property
    def config(self) -> SimulatorConfig:
        """The settings in force."""
        return self._state.snapshot()[0]

    @property
    def accounts(self) -> dict[str, Account]:
        """``"multi"`` (every customer, customerId required) and ``"single"`` (the first)."""
        return dict(self._state.snapshot()[1].accounts)

    @property
    def customers(self) -> list[Customer]:
        """Every customer, with its vehicles."""
        return list(self._state.snapshot()[1].customers)

    def vehicles(self, customer_id: int) -> tuple[Vehicle, ...]:
        """The vehicles of a customer.

        Raises
        ------
        KeyError
            For an unknown customer id.
        """
        customer = self._state.snapshot()[1].customer(customer_id)
        if customer is None:
            raise KeyError(f"no customer {customer_id}: see Simulator.customers")
        return customer.vehicles

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far, in the order answered."""
        return self._state.log.snapshot()

    def clear_requests(self) -> None:
        """Forget the requests recorded so far."""
        self._state.log.clear()

    def configure(self, **changes: Any) -> SimulatorConfig:
        """Change settings live (thread-safe); returns the settings now in force.

        Raises
        ------
        ValueError
            For a bad value, or a new port while running (restart for that).
        TypeError
            For an unknown setting.
        """
        if self._server is not None and changes.get("port", self.config.port) != self.config.port:
            raise ValueError(
                "the port cannot change while the simulator runs: stop it, configure, start again"
            )
        return self._state.configure(**changes)

    def add_fault(self, fault: Fault) -> None:
        """Arm a fault (see :class:`Fault`)."""
        if not isinstance(fault, Fault):
            raise TypeError(f"add_fault takes a Fault, got {type(fault).__name__}")
        self._state.faults.add(fault)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self._state.faults.clear()

    def expire_tokens(self) -> None:
        """Expire every token issued so far: their next use answers 401."""
        self._state.tokens.expire()

    def answer(
        self, customer_id: int, vehicle_ids: Iterable[int] | None, start: dt.date, end: dt.date
    ) -> list[dict[str, Any]]:
        """The exact object the duree route answers (before faults and includeFields).

        Parameters
        ----------
        customer_id : int
            The customer.
        vehicle_ids : iterable of int or None
            Its vehicles, in answer order; None for all of them.
        start, end : datetime.date
            First and last day (inclusive), on the configured clock.

        Raises
        ------
        KeyError
            For an unknown customer or a vehicle that is not the customer's.
        ValueError
            When ``start`` is after ``end``.
        """
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        config, _fleet = self._state.snapshot()
        vehicles = self.vehicles(customer_id)
        if vehicle_ids is not None:
            own = {v.id: v for v in vehicles}
            missing = [i for i in vehicle_ids if i not in own]
            if missing:
                raise KeyError(f"vehicles {missing} are not vehicles of customer {customer_id}")
            vehicles = tuple(own[i] for i in dict.fromkeys(vehicle_ids))
        return duree_answer(config, vehicles, start, end)


def serve(config: SimulatorConfig, *, out: TextIO | None = None, stop: threading.Event | None = None) -> None:
    """Serve until Ctrl-C (or until ``stop`` is set), printing the base URL and accounts.

    The accounts' passwords are printed on purpose: this is a local fake, and the
    person who started it needs them to log in.

    Parameters
    ----------
    config : SimulatorConfig
        The settings (``port`` 0 picks a free port).
    out : text stream, optional
        Where to print (standard output by default).
    stop : threading.Event, optional
        Return once it is set (for embedding; Ctrl-C always works).
    """
    out = out if out is not None else sys.stdout
    stop = stop if stop is not None else threading.Event()
    with Simulator(config) as sim:
        print(f"Ocean simulator serving on {sim.base_url}  (Ctrl-C to stop)", file=out)
        for role, account in sim.accounts.items():
            customers = ", ".join(str(c) for c in account.customer_ids)
            print(
                f"  {role:6} login {account.login}  password {account.password}  customers {customers}",
                file=out,
            )
        out.flush()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            print("Stopped.", file=out)

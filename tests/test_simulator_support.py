"""Raw-HTTP helpers for the simulator's tests (no test here).

The simulator's tests talk to it with plain ``requests``, never with the project's
client, so that they check the simulator against the documented contract alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

AUTH = "/restapi/auth/authenticate2"
DUREE = "/restapi/dioUtilisation/duree"
IDS = "/restapi/vehicule_engin/ids-from-immats"
VEHICLES = "/restapi/vehicule_engin/vehicles"
ENTITIES = "/restapi/mobility/v1/entities"
NONCOMMUNICANT = "/restapi/noncommunicant/list"
TIMEOUT_S = 10


class Api:
    """A logged-in raw HTTP session on a simulator.

    Parameters
    ----------
    sim : Simulator
        A started simulator.
    role : str
        ``"multi"`` or ``"single"``.
    """

    def __init__(self, sim: Any, role: str = "multi") -> None:
        self.sim = sim
        self.session = requests.Session()
        self.account = sim.accounts[role]
        self.token = self.login().json()["token"]

    def login(self, login: str | None = None, password: str | None = None) -> requests.Response:
        """POST the credentials (the account's by default)."""
        body = {"login": login or self.account.login, "password": password or self.account.password}
        return self.session.post(self.sim.base_url + AUTH, json=body, timeout=TIMEOUT_S)

    def get(
        self, route: str, params: Any = None, token: str | None = "default", **kwargs: Any
    ) -> requests.Response:
        """GET ``route`` with the token (``token=None`` sends none)."""
        headers = {} if token is None else {"X-AUTH-TOKEN": self.token if token == "default" else token}
        kwargs.setdefault("timeout", TIMEOUT_S)
        return self.session.get(self.sim.base_url + route, params=params, headers=headers, **kwargs)

    def duree(self, vehicle_ids: list[int] | None, start: str, end: str, **extra: Any) -> requests.Response:
        """GET the duree route for the first customer (``customerId`` can be overridden)."""
        params = {"customerId": self.sim.customers[0].id, "startDate": start, "endDate": end, **extra}
        if vehicle_ids is not None:
            params["vehIds"] = vehicle_ids
        return self.get(DUREE, params)


def vehicle_with_equipment(sim: Any, count: int = 1, customer: int = 0) -> Any:
    """The first DIO-enabled vehicle of a customer with at least ``count`` pieces of equipment."""
    vehicles = sim.customers[customer].vehicles
    return next(v for v in vehicles if v.dio_enabled and len(v.equipment) >= count and not v.dormant)


def api_day(day: dt.date) -> str:
    """``dd/MM/yyyy``."""
    return day.strftime("%d/%m/%Y")

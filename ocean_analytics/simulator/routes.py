"""The Ocean routes: authentication, then duree, ids-from-immats and vehicles.

Order of checks on a route with a token: ``expire_token`` faults, the token (401),
the rate limit (429), the other faults, the parameters (400), permissions (403) and
existence (404), the size limits (400 and 413), then the answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from . import params
from .config import SimulatorConfig
from .faults import Armed, corrupt
from .fleet import Account, Customer, Fleet, Vehicle
from .payload import duree_answer, duree_fields, fleet_listing
from .responses import Reply, RequestRejected, error_reply, json_reply, proxy_page
from .state import SimulatorState

__all__ = ["Router", "IncomingRequest", "BASE_PATH", "AUTH_PATH", "DUREE_PATH"]

BASE_PATH = "/ocean-3.0.0"
AUTH_PATH = "/restapi/auth/authenticate2"
DUREE_PATH = "/restapi/dioUtilisation/duree"
IDS_PATH = "/restapi/vehicule_engin/ids-from-immats"
VEHICLES_PATH = "/restapi/vehicule_engin/vehicles"
PASSWORD_EXPIRATION_DAYS = 87


@dataclass(frozen=True)
class IncomingRequest:
    """A request as the router needs it.

    Parameters
    ----------
    method : str
        HTTP method.
    path : str
        Full path without the query (``/ocean-3.0.0/restapi/...``).
    query : dict of str to list of str
        Query parameters.
    token : str or None
        The ``X-AUTH-TOKEN`` header.
    body : bytes
        The request body.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    token: str | None
    body: bytes

    @property
    def route(self) -> str:
        """The path without the ``/ocean-3.0.0`` base (unchanged when outside it)."""
        return self.path.removeprefix(BASE_PATH) if self.path.startswith(BASE_PATH + "/") else self.path


@dataclass(frozen=True)
class _Context:
    """What a route handler reads: the request, the settings, the fleet and the account."""

    request: IncomingRequest
    config: SimulatorConfig
    fleet: Fleet
    account: Account | None


class Router:
    """Turns requests into replies, against a shared :class:`~.state.SimulatorState`.

    Parameters
    ----------
    state : SimulatorState
        Settings, fleet, tokens, faults and limiter.
    """

    def __init__(self, state: SimulatorState) -> None:
        self._state = state
        self._routes: dict[tuple[str, str], Callable[[_Context], Any]] = {
            ("POST", AUTH_PATH): self._login,
            ("GET", DUREE_PATH): _duree,
            ("GET", IDS_PATH): _ids_from_plates,
            ("GET", VEHICLES_PATH): _vehicles_listing,
        }

    def handle(self, request: IncomingRequest) -> Reply:
        """The reply to one request (faults included; latency is the server's job)."""
        handler = self._routes.get((request.method, request.route))
        if handler is None or not request.path.startswith(BASE_PATH + "/"):
            return error_reply(404, f"No route for {request.method} {request.path}", request.path)
        config, fleet = self._state.snapshot()
        armed = None
        try:
            account = None if request.route == AUTH_PATH else self._authenticate(request, fleet)
            armed = self._state.faults.pick(request.route, expire_token=False)
            if armed is not None and armed.fault.kind in ("status", "html"):
                return _fault_reply(armed, request.path)
            payload = handler(_Context(request, config, fleet, account))
        except RequestRejected as exc:
            return error_reply(exc.status, exc.message, request.path, exc.headers)
        return self._deliver(payload, armed)

    def _authenticate(self, request: IncomingRequest, fleet: Fleet) -> Account:
        """The account of the request's token, after the rate limit.

        Raises
        ------
        RequestRejected
            401 for a missing, unknown or expired token; 429 past the rate limit.
        """
        if self._state.faults.pick(request.route, expire_token=True) is not None and request.token:
            self._state.tokens.expire(request.token)
        check = self._state.tokens.check(request.token)
        account = fleet.account(check.login) if check.login else None
        if account is None:
            raise RequestRejected(401, check.problem or "the token's account no longer exists: log in again")
        limiter = self._state.limiter
        wait = limiter.admit() if limiter is not None else None
        if wait is not None:
            raise RequestRejected(
                429, f"Too many requests: at most {limiter.rate_per_s:g} per second, retry in {wait} s",
                (("Retry-After", str(wait)),),
            )
        return account

    def _login(self, context: _Context) -> dict[str, Any]:
        """``POST /restapi/auth/authenticate2``: a token for a good login and password."""
        try:
            body = orjson.loads(context.request.body)
        except orjson.JSONDecodeError as exc:
            raise RequestRejected(400, 'The body must be JSON: {"login": "...", "password": "..."}') from exc
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("login", "password")):
            raise RequestRejected(400, 'The body must hold "login" and "password" as strings')
        account = context.fleet.account(body["login"])
        if account is None or not secrets.compare_digest(account.password.encode(), body["password"].encode()):
            raise RequestRejected(401, "Bad credentials: check the login and the password")
        token = self._state.tokens.issue(account.login, context.config.token_ttl_s)
        return {"token": token, "passwordExpirationRemainingDays": PASSWORD_EXPIRATION_DAYS, "additionalAccountData": {}}

    def _deliver(self, payload: Any, armed: Armed | None) -> Reply:
        """Serialise the answer, applying a slow, drop, truncate or malformed fault."""
        fault = armed.fault if armed is not None else None
        if fault is not None and fault.kind == "malformed":
            if not (isinstance(payload, list) and corrupt(payload, fault)):
                self._state.faults.refund(armed)
        reply = json_reply(payload)
        if fault is None or fault.kind == "malformed":
            return reply
        if fault.kind == "slow":
            return Reply(status=reply.status, body=reply.body, delay_s=fault.delay_s)
        return Reply(status=reply.status, body=reply.body, transport=fault.kind)


def _fault_reply(armed: Armed, path: str) -> Reply:
    """The reply of a ``status`` or ``html`` fault."""
    fault = armed.fault
    if fault.kind == "html":
        return proxy_page(502)
    retry_after = fault.retry_after_header()
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return error_reply(fault.status, f"Simulated failure (status {fault.status})", path, headers)


def _customer(context: _Context) -> Customer:
    """The customer of the request, by the ``customerId`` rules.

    Raises
    ------
    RequestRejected
        400 when a multi-customer login omits ``customerId``; 403 for a customer the
        login does not manage; 404 for a customer that does not exist.
    """
    account = context.account
    customer_id = params.single_integer(context.request.query, "customerId")
    if customer_id is None and len(account.customer_ids) > 1:
        raise RequestRejected(
            400, f"Parameter 'customerId' is required: this login manages {len(account.customer_ids)} customers"
        )
    customer_id = account.customer_ids[0] if customer_id is None else customer_id
    customer = context.fleet.customer(customer_id)
    if customer is None:
        raise RequestRejected(404, f"Customer {customer_id} does not exist")
    if customer_id not in account.customer_ids:
        raise RequestRejected(403, f"This login does not manage customer {customer_id}")
    return customer


def _duree(context: _Context) -> list[dict[str, Any]]:
    """``GET /restapi/dioUtilisation/duree``."""
    query, config = context.request.query, context.config
    customer = _customer(context)
    vehicle_ids = params.integers(query, "vehIds")
    start, end = params.api_day(query, "startDate"), params.api_day(query, "endDate")
    fields = params.strings(query, "includeFields")
    if start > end:
        raise RequestRejected(400, f"startDate {start:%d/%m/%Y} is after endDate {end:%d/%m/%Y}")
    vehicles = _vehicles_of(context.fleet, customer, vehicle_ids)
    _check_size(config, len(vehicles), (end - start).days + 1)
    answer = duree_answer(config, vehicles, start, end)
    if fields is None:
        return answer
    keep = [name for name in duree_fields(config) if name in fields]
    return [{name: element[name] for name in keep} for element in answer]


def _vehicles_of(fleet: Fleet, customer: Customer, vehicle_ids: list[int] | None) -> list[Vehicle]:
    """The vehicles asked (every vehicle of the customer when None), duplicates removed.

    Raises
    ------
    RequestRejected
        404 for an unknown id, 403 for a vehicle of another customer.
    """
    if vehicle_ids is None:
        return list(customer.vehicles)
    vehicles = []
    for vehicle_id in dict.fromkeys(vehicle_ids):
        vehicle = fleet.vehicle(vehicle_id)
        if vehicle is None:
            raise RequestRejected(404, f"Vehicle {vehicle_id} does not exist")
        if vehicle.customer_id != customer.id:
            raise RequestRejected(403, f"Vehicle {vehicle_id} does not belong to customer {customer.id}")
        vehicles.append(vehicle)
    return vehicles


def _check_size(config: SimulatorConfig, n_vehicles: int, n_days: int) -> None:
    """Refuse requests past the period, vehicle and cell limits (400, 400, 413)."""
    if n_days > config.max_days:
        raise RequestRejected(400, f"The period covers {n_days} days; at most {config.max_days} per request: split it")
    if n_vehicles > config.max_vehicles:
        raise RequestRejected(
            400, f"{n_vehicles} vehicles asked; at most {config.max_vehicles} per request: split vehIds in batches"
        )
    if config.max_cells is not None and n_vehicles * n_days > config.max_cells:
        raise RequestRejected(
            413, f"{n_vehicles} vehicles x {n_days} days = {n_vehicles * n_days} exceeds {config.max_cells}: ask for less"
        )


def _ids_from_plates(context: _Context) -> dict[str, int]:
    """``GET /restapi/vehicule_engin/ids-from-immats``: {plate: id} for the plates found."""
    customer = _customer(context)
    plates = params.strings(context.request.query, "immatriculations")
    if plates is None:
        raise RequestRejected(400, "Parameter 'immatriculations' is required (plates such as AB-123-CD)")
    known = {v.plate: v.id for v in customer.vehicles}
    return {plate: known[plate] for plate in plates if plate in known}


def _vehicles_listing(context: _Context) -> list[dict[str, Any]]:
    """``GET /restapi/vehicule_engin/vehicles``: the customer's vehicles."""
    return fleet_listing(_customer(context))

"""The Ocean routes: authentication and duree here, the routes around duree in ``fleet_routes``.

Order of checks on a route with a token: ``expire_token`` faults, the token (401),
the rate limit (429), the other faults, the parameters (400), permissions (403) and
existence (404), the size limits (400 and 413), then the answer. Every error answer
has the documented body (``{"oceanStatus", "message"}``, alone or in a list).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import orjson

from . import params
from .config import SimulatorConfig
from .context import BASE_PATH, Context, IncomingRequest, request_customer
from .faults import Armed, corrupt
from .fleet import Account, Customer, Fleet, Vehicle
from .fleet_routes import FLEET_ROUTES
from .payload import duree_answer, duree_fields
from .responses import Reply, RequestRejected, error_reply, json_reply, proxy_page
from .state import SimulatorState

__all__ = ["Router", "IncomingRequest", "BASE_PATH", "AUTH_PATH", "DUREE_PATH"]

AUTH_PATH = "/restapi/auth/authenticate2"
DUREE_PATH = "/restapi/dioUtilisation/duree"
PASSWORD_EXPIRATION_DAYS = 87


class Router:
    """Turns requests into replies, against a shared :class:`~.state.SimulatorState`.

    Parameters
    ----------
    state : SimulatorState
        Settings, fleet, tokens, faults and limiter.
    """

    def __init__(self, state: SimulatorState) -> None:
        self._state = state
        self._routes: dict[tuple[str, str], Callable[[Context], Any]] = {
            ("POST", AUTH_PATH): self._login,
            ("GET", DUREE_PATH): _duree,
            **FLEET_ROUTES,
        }

    def handle(self, request: IncomingRequest) -> Reply:
        """The reply to one request (faults included; latency is the server's job)."""
        handler = self._routes.get((request.method, request.route))
        config, fleet = self._state.snapshot()
        if handler is None or not request.path.startswith(BASE_PATH + "/"):
            return error_reply(404, f"No route for {request.method} {request.path}", config.error_body)
        armed = None
        try:
            account = None if request.route == AUTH_PATH else self._authenticate(request, fleet)
            armed = self._state.faults.pick(request.route, expire_token=False)
            if armed is not None and armed.fault.kind in ("status", "html"):
                return _fault_reply(armed, config.error_body)
            payload = handler(Context(request, config, fleet, account))
        except RequestRejected as exc:
            return error_reply(exc.status, exc.message, config.error_body, exc.headers)
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
                429,
                f"Too many requests: at most {limiter.rate_per_s:g} per second, retry in {wait} s",
                (("Retry-After", str(wait)),),
            )
        return account

    def _login(self, context: Context) -> dict[str, Any]:
        """``POST /restapi/auth/authenticate2``: a token for a good login and password."""
        try:
            body = orjson.loads(context.request.body)
        except orjson.JSONDecodeError as exc:
            raise RequestRejected(400, 'The body must be JSON: {"login": "...", "password": "..."}') from exc
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("login", "password")):
            raise RequestRejected(400, 'The body must hold "login" and "password" as strings')
        account = context.fleet.account(body["login"])
        if account is None or not secrets.compare_digest(
            account.password.encode(), body["password"].encode()
        ):
            raise RequestRejected(401, "Bad credentials: check the login and the password")
        token = self._state.tokens.issue(account.login, context.config.token_ttl_s)
        return {
            "token": token,
            "passwordExpirationRemainingDays": PASSWORD_EXPIRATION_DAYS,
            "additionalAccountData": {},
        }

    def _deliver(self, payload: Any, armed: Armed | None) -> Reply:
        """Serialise the answer, applying a slow, drop, truncate or malformed fault."""
        fault = armed.fault if armed is not None else None
        if (
            fault is not None
            and fault.kind == "malformed"
            and not (isinstance(payload, list) and corrupt(payload, fault))
        ):
            self._state.faults.refund(armed)
        reply = json_reply(payload)
        if fault is None or fault.kind == "malformed":
            return reply
        if fault.kind == "slow":
            return Reply(status=reply.status, body=reply.body, delay_s=fault.delay_s)
        return Reply(status=reply.status, body=reply.body, transport=fault.kind)


def _fault_reply(armed: Armed, shape: str) -> Reply:
    """The reply of a ``status`` or ``html`` fault (an error body of that ``shape``)."""
    fault = armed.fault
    if fault.kind == "html":
        return proxy_page(502)
    retry_after = fault.retry_after_header()
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return error_reply(fault.status, f"Simulated failure (status {fault.status})", shape, headers)


def _duree(context: Context) -> list[dict[str, Any]]:
    """``GET /restapi/dioUtilisation/duree``."""
    query, config = context.request.query, context.config
    customer = request_customer(context)
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
        raise RequestRejected(
            400, f"The period covers {n_days} days; at most {config.max_days} per request: split it"
        )
    if n_vehicles > config.max_vehicles:
        raise RequestRejected(
            400,
            f"{n_vehicles} vehicles asked; at most {config.max_vehicles} per request: "
            "split vehIds in batches",
        )
    if config.max_cells is not None and n_vehicles * n_days > config.max_cells:
        raise RequestRejected(
            413,
            f"{n_vehicles} vehicles x {n_days} days = {n_vehicles * n_days} "
            f"exceeds {config.max_cells}: ask for less",
        )

"""What a route handler reads: the request, the settings, the fleet and the account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import params
from .config import SimulatorConfig
from .fleet import Account, Customer, Fleet
from .responses import RequestRejected

__all__ = ["IncomingRequest", "Context", "request_customer", "BASE_PATH"]

BASE_PATH = "/ocean-3.0.0"


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
class Context:
    """What a route handler reads.

    Parameters
    ----------
    request : IncomingRequest
        The request.
    config : SimulatorConfig
        The settings in force.
    fleet : Fleet
        The fleet in force.
    account : Account or None
        The token's account (None on the login route).
    """

    request: IncomingRequest
    config: SimulatorConfig
    fleet: Fleet
    account: Account | None

    @property
    def today(self) -> dt.date:
        """The day of the request, UTC."""
        return dt.datetime.now(dt.UTC).date()


def request_customer(context: Context) -> Customer:
    """The customer of the request, by the ``customerId`` rules.

    Raises
    ------
    RequestRejected
        400 when a multi-customer login omits ``customerId``; 403 for a customer the
        login does not manage; 404 for a customer that does not exist.
    """
    account = context.account
    customer_id = params.single_integer(context.request.query, "customerId")
    managed = len(account.customer_ids)
    if customer_id is None and managed > 1:
        raise RequestRejected(
            400, f"Parameter 'customerId' is required: this login manages {managed} customers"
        )
    customer_id = account.customer_ids[0] if customer_id is None else customer_id
    customer = context.fleet.customer(customer_id)
    if customer is None:
        raise RequestRejected(404, f"Customer {customer_id} does not exist")
    if customer_id not in account.customer_ids:
        raise RequestRejected(403, f"This login does not manage customer {customer_id}")
    return customer

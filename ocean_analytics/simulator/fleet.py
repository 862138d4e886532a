"""The synthetic fleet: customers, vehicles and the two demo accounts, from a seed.

Everything here is deterministic: the same settings give the same fleet, byte for
byte. Each customer's vehicles come from a generator seeded with (seed, customer
index), so adding customers does not change the first ones.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from .cards import Card, draw_card
from .catalogue import (
    ACCOUNT_MAILBOXES,
    ASSET_TYPES,
    CITIES,
    COMPANIES,
    LABEL_SPELLINGS,
    PLATE_LETTERS,
    USAGE_PATTERNS,
    Model,
)
from .config import SimulatorConfig

__all__ = ["Account", "Customer", "Vehicle", "Fleet", "build_fleet", "installations"]

DIO_DISABLED_SHARE = 0.06
DORMANT_SHARE = 0.08
VEHICLE_ID_BASE = 100_000
VEHICLE_ID_SPAN = 100_000


@dataclass(frozen=True)
class Account:
    """A login of the simulator.

    Parameters
    ----------
    login : str
        The login, an e-mail address.
    password : str
        Its password (never shown in the repr).
    customer_ids : tuple of int
        The customers it manages; with more than one, ``customerId`` is required.
    """

    login: str
    password: str = field(repr=False)
    customer_ids: tuple[int, ...]


@dataclass(frozen=True)
class Vehicle:
    """A vehicle of the synthetic fleet.

    Parameters
    ----------
    id : int
        Vehicle id (an int32 in the API).
    plate : str
        French plate ``AB-123-CD``.
    description : str
        Free-text description.
    customer_id : int
        Id of the customer owning it.
    asset_type : str
        Asset type label (``libelleTypeAsset.libelle``).
    equipment : tuple of str
        Labels of its auxiliary equipment as its customer writes them (0 to 3).
    dio_enabled : bool
        Whether its digital inputs are read; False: no usage at all.
    category : str
        Vehicle category (``categorie``).
    motorisation : str
        ``typeMotorisation``.
    entity_id, entity_name : int, str
        The agency it belongs to (``entite``).
    asset_type_id : int
        ``libelleTypeAsset.id``.
    asset_icon : str
        ``libelleTypeAsset.nomIcone``.
    usage_patterns : tuple of str
        How each equipment is used (``"bursts"``, ``"runs"`` or ``"long"``), in step
        with ``equipment``.
    dormant : bool
        True for a vehicle that never uses its equipment.
    fleet_number : str
        The customer's own number for it (``numeroParc``), ``CAM-007``.
    make, model : str
        ``marque`` and ``modele``.
    card : Card
        Its box, driver and registration card.
    """

    id: int
    plate: str
    description: str
    customer_id: int
    asset_type: str
    equipment: tuple[str, ...]
    dio_enabled: bool
    category: str
    motorisation: str
    entity_id: int
    entity_name: str
    asset_type_id: int
    asset_icon: str
    usage_patterns: tuple[str, ...]
    dormant: bool
    fleet_number: str
    make: str
    model: str
    card: Card = field(repr=False, compare=False)


@dataclass(frozen=True)
class Customer:
    """A customer and its vehicles.

    Parameters
    ----------
    id : int
        Customer id (``customerId``, an int64 in the API).
    name : str
        Company name.
    vehicles : tuple of Vehicle
        Its vehicles, by increasing id.
    entities : tuple of (int, str)
        Its entities (agencies, sites): id and name, some perhaps without vehicles.
    """

    id: int
    name: str
    vehicles: tuple[Vehicle, ...]
    entities: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Fleet:
    """The whole synthetic fleet and its accounts.

    Parameters
    ----------
    customers : tuple of Customer
        Every customer, in order.
    accounts : dict
        ``"multi"`` (manages every customer) and ``"single"`` (the first one only).

    Attributes
    ----------
    by_vehicle_id : dict
        Every vehicle by id.
    """

    customers: tuple[Customer, ...]
    accounts: dict[str, Account]
    by_vehicle_id: dict[int, Vehicle] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the vehicles by id."""
        index = {v.id: v for c in self.customers for v in c.vehicles}
        object.__setattr__(self, "by_vehicle_id", index)

    def customer(self, customer_id: int) -> Customer | None:
        """The customer with that id, or None."""
        return next((c for c in self.customers if c.id == customer_id), None)

    def vehicle(self, vehicle_id: int) -> Vehicle | None:
        """The vehicle with that id, or None."""
        return self.by_vehicle_id.get(vehicle_id)

    def account(self, login: str) -> Account | None:
        """The account with that login, or None."""
        return next((a for a in self.accounts.values() if a.login == login), None)


def installations(vehicles: Iterable[Vehicle]) -> dict[int, dt.datetime]:
    """When each vehicle's box was installed (aware, UTC), by vehicle id."""
    return {vehicle.id: vehicle.card.box.installed for vehicle in vehicles}


def build_fleet(config: SimulatorConfig) -> Fleet:
    """Build the fleet and accounts of a configuration.

    Parameters
    ----------
    config : SimulatorConfig
        Only ``seed``, ``n_customers`` and ``vehicles_per_customer`` matter.

    Returns
    -------
    Fleet
    """
    ids = random.Random(f"{config.seed}:customers").sample(range(1000, 99_999), config.n_customers)
    plates: set[str] = set()
    customers = tuple(
        _customer(config.seed, index, customer_id, size, plates)
        for index, (customer_id, size) in enumerate(zip(ids, config.fleet_sizes(), strict=True))
    )
    return Fleet(customers=customers, accounts=_accounts(config.seed, customers))


def _customer(seed: int, index: int, customer_id: int, size: int, plates: set[str]) -> Customer:
    """One customer with ``size`` vehicles, from its own generator."""
    rng = random.Random(f"{seed}:customer:{index}")
    name, _domain = _company(seed, index)
    spelling = rng.randrange(3)
    agencies = [(customer_id * 10 + k, f"Agence {city}") for k, city in enumerate(rng.sample(CITIES, 3))]
    base = VEHICLE_ID_BASE + index * VEHICLE_ID_SPAN
    vehicle_ids = sorted(rng.sample(range(base, base + VEHICLE_ID_SPAN), size))
    vehicles = tuple(
        _vehicle(rng, _Draw(seed, number, vehicle_id, customer_id, spelling), agencies, plates)
        for number, vehicle_id in enumerate(vehicle_ids, start=1)
    )
    return Customer(id=customer_id, name=name, vehicles=vehicles, entities=tuple(agencies))


def _company(seed: int, index: int) -> tuple[str, str]:
    """Name and mail domain of the ``index``-th customer."""
    name, domain = COMPANIES[(seed + index) % len(COMPANIES)]
    lap = index // len(COMPANIES)
    if lap:
        return f"{name} {lap + 1}", domain.replace(".fr", f"-{lap + 1}.fr")
    return name, domain


@dataclass(frozen=True)
class _Draw:
    """What one vehicle's draw needs beside the customer's generator."""

    seed: int
    number: int
    vehicle_id: int
    customer_id: int
    spelling: int


def _vehicle(rng: random.Random, draw: _Draw, agencies: list[tuple[int, str]], plates: set[str]) -> Vehicle:
    """One vehicle drawn from the customer's generator; its card from a generator of its own.

    The fleet number is its type and its rank in the customer's fleet: ``CAM-007``.
    """
    asset = rng.choices(ASSET_TYPES, weights=[a.weight for a in ASSET_TYPES])[0]
    dio_enabled = rng.random() >= DIO_DISABLED_SHARE
    sets = asset.equipment_sets
    canonical = rng.choices(sets, weights=range(1, len(sets) + 1))[0] if dio_enabled else ()
    entity_id, entity_name = rng.choice(agencies)
    plate = _plate(rng, plates)
    model = rng.choice(asset.models)
    return Vehicle(
        id=draw.vehicle_id,
        plate=plate,
        description=_description(rng, model, entity_name),
        customer_id=draw.customer_id,
        asset_type=asset.libelle,
        equipment=tuple(LABEL_SPELLINGS[label][draw.spelling] for label in canonical),
        dio_enabled=dio_enabled,
        category=asset.categorie,
        motorisation="BI" if rng.random() < 0.1 else "MONO",
        entity_id=entity_id,
        entity_name=entity_name,
        asset_type_id=asset.id,
        asset_icon=asset.icon,
        usage_patterns=tuple(USAGE_PATTERNS[label] for label in canonical),
        dormant=bool(canonical) and rng.random() < DORMANT_SHARE,
        fleet_number=f"{asset.icon[:3].upper()}-{draw.number:03d}",
        make=model.make,
        model=model.model,
        card=draw_card(draw.seed, draw.vehicle_id),
    )


def _plate(rng: random.Random, taken: set[str]) -> str:
    """A French plate ``AB-123-CD`` not yet in ``taken`` (which it joins)."""
    while True:
        letters = "".join(rng.choice(PLATE_LETTERS) for _ in range(4))
        plate = f"{letters[:2]}-{rng.randint(1, 999):03d}-{letters[2:]}"
        if plate not in taken:
            taken.add(plate)
            return plate


def _description(rng: random.Random, model: Model, entity_name: str) -> str:
    """Free-text description, as fleet managers type them."""
    city = entity_name.removeprefix("Agence ")
    return f"{model.phrase} n°{rng.randint(1, 60)} - {city}"


def _accounts(seed: int, customers: tuple[Customer, ...]) -> dict[str, Account]:
    """The ``multi`` account (every customer) and the ``single`` one (the first)."""
    every = tuple(c.id for c in customers)
    return {
        "multi": _account(seed, "multi", _company(seed, 0)[1], every),
        "single": _account(seed, "single", _company(seed, 0)[1], every[:1]),
    }


def _account(seed: int, role: str, domain: str, customer_ids: tuple[int, ...]) -> Account:
    """A login that looks like a real mailbox and a strong-looking password."""
    rng = random.Random(f"{seed}:account:{role}")
    login = f"{rng.choice(ACCOUNT_MAILBOXES[role])}@{domain}"
    return Account(login=login, password=_password(rng), customer_ids=customer_ids)


def _password(rng: random.Random, length: int = 14) -> str:
    """A password with upper and lower case letters, digits and symbols."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!#$%&*+-=?@")
    chars = [rng.choice(c) for c in classes]
    pool = "".join(classes)
    chars += [rng.choice(pool) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)

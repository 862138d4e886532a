"""The records beside each vehicle: its tracking box, its driver and its registration card.

Each vehicle's records come from a generator of their own, seeded with (seed, vehicle
id), drawn after the fleet itself: adding them changed no plate, equipment or usage of
the fleet drawn before. Drivers are obviously fake people (see
:data:`~.catalogue.FAKE_DRIVER_LAST_NAME`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .catalogue import COLOURS, FAKE_DRIVER_FIRST_NAME, FAKE_DRIVER_LAST_NAME, FAKE_MAIL_DOMAIN

__all__ = ["Box", "Driver", "Card", "draw_card", "box_warranty_end", "DRIVER_SHARE", "FIRST_INSTALLATION"]

DRIVER_SHARE = 0.75
"""Share of vehicles with a driver assigned; the others have none (``chauffeur`` null)."""

FIRST_INSTALLATION = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
"""Boxes were installed during 2018, before any period the tests and the demo ask for."""

FIRST_REGISTRATION = dt.datetime(2012, 1, 2, 8, tzinfo=dt.UTC)
"""Vehicles were first registered over the six years from this day."""

WARRANTY = dt.timedelta(days=3 * 365)


@dataclass(frozen=True)
class Box:
    """A tracking box (``boitier``).

    Parameters
    ----------
    id : int
        Box id.
    imei : str
        15-digit IMEI (``imeiBoi``).
    serial : str
        Serial number (``numeroSerieBoi``, also ``sn``).
    sim_number : str
        The box's own SIM line (``coreGsmBoi``), not a person's.
    iccid : str
        The SIM card's ICCID.
    installed : datetime.datetime
        When it was installed, aware in UTC (start of its warranty).
    """

    id: int
    imei: str
    serial: str
    sim_number: str
    iccid: str
    installed: dt.datetime


@dataclass(frozen=True)
class Driver:
    """The driver assigned to a vehicle (``chauffeur``): an obviously fake person.

    Parameters
    ----------
    id : int
        Person id.
    first_name, last_name : str
        ``prenomInd``, ``nomInd``.
    staff_number : str
        ``matriculeInd``.
    email, gsm : str
        On a reserved domain, in the range of numbers reserved for fiction.
    """

    id: int
    first_name: str
    last_name: str
    staff_number: str
    email: str = field(repr=False)
    gsm: str = field(repr=False)


@dataclass(frozen=True)
class Card:
    """A vehicle's registration card and what sits beside it in the fleet listing.

    Parameters
    ----------
    box : Box
        Its tracking box.
    driver : Driver or None
        Its assigned driver, or None.
    first_registration : datetime.datetime
        ``date1ereMec``, aware in UTC.
    vin : str
        17-character VIN.
    colour : str
        ``couleur``.
    co2_g_km : int
        ``emissionCo2``, grams per kilometre.
    fiscal_hp : int
        ``nombreCvFiscaux``.
    odometer_km : int
        Meter reading at the start of 2024, kilometres.
    km_per_day : int
        Kilometres added each day since, for the latest reading (``releve``).
    """

    box: Box
    driver: Driver | None
    first_registration: dt.datetime
    vin: str
    colour: str
    co2_g_km: int
    fiscal_hp: int
    odometer_km: int
    km_per_day: int


def draw_card(seed: int, vehicle_id: int) -> Card:
    """The box, driver and registration card of one vehicle, from its own generator.

    Parameters
    ----------
    seed : int
        The simulator's seed.
    vehicle_id : int
        The vehicle.

    Returns
    -------
    Card
    """
    rng = random.Random(f"{seed}:card:{vehicle_id}")
    box = _box(rng)
    driver = _driver(rng) if rng.random() < DRIVER_SHARE else None
    registered = FIRST_REGISTRATION + dt.timedelta(days=rng.randrange(6 * 365))
    return Card(
        box=box,
        driver=driver,
        first_registration=registered,
        vin="VF" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(15)),
        colour=rng.choice(COLOURS),
        co2_g_km=rng.randint(180, 900),
        fiscal_hp=rng.randint(9, 60),
        odometer_km=rng.randint(40_000, 600_000),
        km_per_day=rng.randint(40, 250),
    )


def _box(rng: random.Random) -> Box:
    """A box installed at some time during 2018."""
    serial = f"OC{rng.randrange(10**8):08d}"
    return Box(
        id=rng.randrange(100_000, 1_000_000),
        imei="35" + "".join(str(rng.randrange(10)) for _ in range(13)),
        serial=serial,
        sim_number=f"+33 7 00 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}",
        iccid="8933" + "".join(str(rng.randrange(10)) for _ in range(15)),
        installed=FIRST_INSTALLATION + dt.timedelta(seconds=rng.randrange(365 * 86_400)),
    )


def _driver(rng: random.Random) -> Driver:
    """An obviously fake driver: ``Chauffeur FICTIF-0042``, reserved mail domain and numbers."""
    number = rng.randrange(10_000)
    return Driver(
        id=rng.randrange(1_000_000, 10_000_000),
        first_name=FAKE_DRIVER_FIRST_NAME,
        last_name=f"{FAKE_DRIVER_LAST_NAME}-{number:04d}",
        staff_number=f"M{number:04d}",
        email=f"chauffeur.fictif.{number:04d}@{FAKE_MAIL_DOMAIN}",
        gsm=f"+33 6 39 98 {number // 100:02d} {number % 100:02d}",  # ARCEP's range for fiction
    )


def box_warranty_end(box: Box) -> dt.datetime:
    """End of the box's warranty (``finGarantie``): three years after installation."""
    return box.installed + WARRANTY

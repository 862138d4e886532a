"""The benchmark's payload: one answer of the simulator, as the JSON bytes the API sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import orjson

from ocean_analytics.simulator import Simulator, SimulatorConfig

FIRST_DAY = dt.date(2024, 9, 1)
"""The first day of every benchmarked period (a Sunday; UTC clock)."""


@dataclass(frozen=True)
class Payload:
    """One answer of ``/dioUtilisation/duree`` and what it holds.

    Attributes
    ----------
    text : bytes
        The compact JSON body, as the simulator's HTTP route sends it.
    start, end : datetime.date
        The period, both days inclusive.
    vehicles : int
        Vehicles in the answer.
    half_hours : int
        Entries of every ``usePerHalfHour`` list.
    """

    text: bytes
    start: dt.date
    end: dt.date
    vehicles: int
    half_hours: int

    @property
    def days(self) -> int:
        """Days in the period."""
        return (self.end - self.start).days + 1

    @property
    def megabytes(self) -> float:
        """Size of the body in MB (10**6 bytes)."""
        return len(self.text) / 1e6


def period(days: int) -> tuple[dt.date, dt.date]:
    """The benchmarked period of ``days`` days, both ends inclusive."""
    return FIRST_DAY, FIRST_DAY + dt.timedelta(days=days - 1)


def make_payload(vehicles: int, days: int) -> Payload:
    """The simulator's answer for a one-customer fleet of ``vehicles`` over ``days`` days."""
    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=vehicles))
    start, end = period(days)
    answer = simulator.answer(simulator.customers[0].id, None, start, end)
    half_hours = sum(
        len(day["usePerHalfHour"]) for element in answer for day in element["dailyDioUtilisation"]
    )
    return Payload(orjson.dumps(answer), start, end, vehicles, half_hours)

"""Request planning: cutting vehicles x days into requests the server accepts.

Every vehicle-day of the asked period falls in exactly one planned request, so
that the answers can be put together without overlap or gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dates import api_date
from ..errors import RequestTooLargeError

__all__ = ["UsageRequest", "plan_requests", "split_request"]


@dataclass(frozen=True)
class UsageRequest:
    """One ``GET /restapi/dioUtilisation/duree``: some vehicles over some days (inclusive)."""

    vehicle_ids: tuple[int, ...]
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        """Number of days asked, both ends included."""
        return (self.last - self.first).days + 1

    def params(self) -> dict[str, object]:
        """The query parameters (``vehIds`` repeated, days as ``dd/MM/yyyy``)."""
        return {
            "vehIds": list(self.vehicle_ids),
            "startDate": api_date(self.first),
            "endDate": api_date(self.last),
        }

    def describe(self) -> str:
        """A short human description for messages, e.g. ``3 vehicles, 01/10/2024-31/10/2024``."""
        count = len(self.vehicle_ids)
        who = f"vehicle {self.vehicle_ids[0]}" if count == 1 else f"{count} vehicles"
        return f"{who}, {api_date(self.first)}-{api_date(self.last)}"


def plan_requests(
    vehicle_ids: list[int], first: dt.date, last: dt.date, *, max_vehicles: int, max_days: int
) -> list[UsageRequest]:
    """Cut ``vehicle_ids`` x ``[first, last]`` into batches of at most ``max_vehicles``
    vehicles and windows of at most ``max_days`` days.

    Returns
    -------
    list of UsageRequest
        Vehicle batches in the given order, each crossed with every day window;
        empty when there is no vehicle.
    """
    batches = [tuple(vehicle_ids[k : k + max_vehicles]) for k in range(0, len(vehicle_ids), max_vehicles)]
    windows = []
    day = first
    while day <= last:
        window_end = min(last, day + dt.timedelta(days=max_days - 1))
        windows.append((day, window_end))
        day = window_end + dt.timedelta(days=1)
    return [UsageRequest(batch, a, b) for batch in batches for a, b in windows]


def split_request(request: UsageRequest) -> tuple[UsageRequest, UsageRequest]:
    """Halve a request the server found too large: its vehicles first, then its days.

    Raises
    ------
    RequestTooLargeError
        When the request is already one vehicle over one day.
    """
    ids = request.vehicle_ids
    if len(ids) > 1:
        half = len(ids) // 2
        return (
            UsageRequest(ids[:half], request.first, request.last),
            UsageRequest(ids[half:], request.first, request.last),
        )
    if request.days > 1:
        middle = request.first + dt.timedelta(days=request.days // 2 - 1)
        return (
            UsageRequest(ids, request.first, middle),
            UsageRequest(ids, middle + dt.timedelta(days=1), request.last),
        )
    raise RequestTooLargeError(
        f"The server refuses even the smallest request ({request.describe()}) as too large: "
        "this is a server-side problem; contact Ocean support.",
        status=413,
    )

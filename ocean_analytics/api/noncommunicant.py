"""Which boxes stopped talking: ``GET /restapi/noncommunicant/list``, read per vehicle.

A vehicle whose box is in this list has no data (not "no use") after its last
communication, none before its installation, and none at all when it never
communicated. The service is offered only to some contracts: a 403 or 404 gives a
:class:`Coverage` whose ``known`` is False ("unknown"), never an empty list that
would read as "every box talks".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import MalformedResponseError, NotFoundError, PermissionDeniedError
from .client import OceanClient
from .decoding import decode_answer
from .responses import json_list_complete, not_a_list_error
from .schema.noncommunicant import BoxInstallation, NonCommunicatingBox, box_vehicle_id

__all__ = [
    "NONCOMMUNICANT_PATH",
    "SILENT_BOXES",
    "Coverage",
    "read_noncommunicant",
    "coverage_from_answer",
    "silent_days",
]

NONCOMMUNICANT_PATH = "/restapi/noncommunicant/list"

SILENT_BOXES: dict[str, str] = {
    "vehicle_id": "int32",
    "plate": "str",
    "never_communicated": "bool",
    "installed_at": "datetime64[ns, UTC]",
    "last_communication_at": "datetime64[ns, UTC]",
    "reason": "str",
}
"""Columns of :attr:`Coverage.boxes`: one row per vehicle whose box is silent. ``installed_at``
and ``last_communication_at`` are UTC instants (NaT when the platform gives none; always NaT
for a box that never communicated); ``plate`` and ``reason`` (the qualification's label) are
missing where the platform gives none."""


def _no_boxes() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in SILENT_BOXES.items()})


@dataclass(frozen=True)
class Coverage:
    """What the platform says of the boxes that stopped talking.

    Attributes
    ----------
    known : bool
        False when the service refused (403 or 404: not in the customer's contract):
        nothing is known of silent boxes. True with no rows: every box talks.
    boxes : pandas.DataFrame
        One row per vehicle with a silent box, columns :data:`SILENT_BOXES`.
    boxes_without_vehicle : int
        Silent boxes listed in no vehicle (in stock): they concern no vehicle's data.
    refusal : str or None
        Why coverage is unknown (the status and the server's message), for a warning.
    """

    known: bool
    boxes: pd.DataFrame = field(default_factory=_no_boxes)
    boxes_without_vehicle: int = 0
    refusal: str | None = None


def read_noncommunicant(client: OceanClient) -> Coverage:
    """The silent boxes of the client's customer.

    Returns
    -------
    Coverage
        ``known=False`` with ``refusal`` set when the service answers 403 or 404.

    Raises
    ------
    MalformedResponseError
        When the answer is not the documented list, naming the element, its vehicle and
        the field; or when it contradicts itself (a box that communicated without a last
        communication, a last communication before the installation).
    """
    try:
        body = client.get(NONCOMMUNICANT_PATH, complete=json_list_complete)
    except (PermissionDeniedError, NotFoundError) as exc:
        return Coverage(
            known=False,
            refusal=(
                f"GET {NONCOMMUNICANT_PATH} answered {exc.status}"
                f"{f' ({exc.server_message})' if exc.server_message else ''}: the customer's "
                "contract does not include the non-communicating boxes, so whether a day without data "
                "is a day without use is unknown."
            ),
        )
    error = not_a_list_error(body, NONCOMMUNICANT_PATH, client.redact)
    if error:
        raise error
    return coverage_from_answer(body)


def coverage_from_answer(body: bytes) -> Coverage:
    """The :class:`Coverage` of a ``noncommunicant/list`` body (no request; ``known`` is True).

    A vehicle listed with several boxes keeps one row: never communicated when none of
    them did, the earliest installation, the latest last communication, their reasons
    joined by ``"; "``.

    Raises
    ------
    MalformedResponseError
        As :func:`read_noncommunicant`.
    """
    listed = decode_answer(body, list[NonCommunicatingBox], NONCOMMUNICANT_PATH, box_vehicle_id)
    rows: dict[int, dict] = {}
    without_vehicle = 0
    for position, element in enumerate(listed):
        row = _row(position, element)
        if row is None:
            without_vehicle += 1
        elif row["vehicle_id"] in rows:
            rows[row["vehicle_id"]] = _merged(rows[row["vehicle_id"]], row)
        else:
            rows[row["vehicle_id"]] = row
    boxes = pd.DataFrame(list(rows.values()), columns=list(SILENT_BOXES)) if rows else _no_boxes()
    return Coverage(known=True, boxes=boxes.astype(SILENT_BOXES), boxes_without_vehicle=without_vehicle)


def _row(position: int, element: NonCommunicatingBox) -> dict | None:
    """One element as a row, checked; None for a box in no vehicle."""
    vehicle = (element.box.vehicle if element.box else None) or (
        element.qualified.vehicle if element.qualified else None
    )
    info = element.installation
    vehicle_id = vehicle.id if vehicle else None
    _check(position, info, vehicle_id)
    if vehicle is None:
        return None
    qualification = element.qualified.qualification if element.qualified else None
    return {
        "vehicle_id": vehicle.id,
        "plate": vehicle.plate or None,
        "never_communicated": info.never_communicated,
        "installed_at": info.installed_at,
        "last_communication_at": info.last_communication_at,
        "reason": (qualification.label or None) if qualification else None,
    }


def _check(position: int, info: BoxInstallation, vehicle_id: int | None) -> None:
    """Raise :class:`MalformedResponseError` when the installation info contradicts itself."""
    where = f"[{position}].boxInstallationInfo"
    problem = None
    if info.communicated_once is not None and info.communicated_once == info.never_communicated:
        problem = "hasNeverCommunicated", "says the same as hasCommunicatedAtLeastOnce"
    elif info.never_communicated and info.last_communication_at is not None:
        problem = "lastCommunicatingDate", "is set for a box that never communicated"
    elif not info.never_communicated and info.last_communication_at is None:
        problem = "lastCommunicatingDate", "is missing for a box that communicated"
    elif info.installed_at and info.last_communication_at and info.last_communication_at < info.installed_at:
        problem = "lastCommunicatingDate", "comes before installationDate"
    if problem:
        key, words = problem
        vehicle = f" (vehicle {vehicle_id})" if vehicle_id is not None else ""
        raise MalformedResponseError(
            f"GET {NONCOMMUNICANT_PATH}: element [{position}]{vehicle} is malformed at {where}.{key}: it "
            f"{words}. Send this answer to your Ocean contact.",
            field=f"{where}.{key}",
            vehicle_id=vehicle_id,
            endpoint=NONCOMMUNICANT_PATH,
        )


def _merged(first: dict, second: dict) -> dict:
    """One row for a vehicle listed twice (see :func:`coverage_from_answer`)."""
    installed = [t for t in (first["installed_at"], second["installed_at"]) if t is not None]
    last = [t for t in (first["last_communication_at"], second["last_communication_at"]) if t is not None]
    reasons = list(dict.fromkeys(r for r in (first["reason"], second["reason"]) if r))
    return {
        **first,
        "plate": first["plate"] or second["plate"],
        "never_communicated": first["never_communicated"] and second["never_communicated"],
        "installed_at": min(installed, default=None),
        "last_communication_at": max(last, default=None),
        "reason": "; ".join(reasons) or None,
    }


def silent_days(boxes: pd.DataFrame, api_tz: str) -> pd.DataFrame:
    """The boxes with their installation day and last day on the API's clock.

    Parameters
    ----------
    boxes : pandas.DataFrame
        :attr:`Coverage.boxes`.
    api_tz : str
        The IANA zone of the usage answer's days (the client's ``api_tz``).

    Returns
    -------
    pandas.DataFrame
        ``boxes`` with ``installation_day`` and ``last_day``: midnight (naive) of the
        day on ``api_tz`` holding that instant, as the frames' ``date``; NaT where the
        instant is. A box has data from ``installed_at`` to ``last_communication_at``:
        none on the days after ``last_day``, none before ``installation_day``, none at
        all when ``never_communicated``.
    """

    def day(instants: pd.Series) -> pd.Series:
        return instants.dt.tz_convert(api_tz).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")

    return boxes.assign(
        installation_day=day(boxes["installed_at"]), last_day=day(boxes["last_communication_at"])
    )

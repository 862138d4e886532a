"""The answer of ``GET /restapi/dioUtilisation/duree`` as msgspec Structs.

This is the only module of the package (the simulator keeps its own copy on
purpose) that spells the answer's keys. msgspec decodes an answer's bytes
straight into these Structs, and converts already decoded lists into the same
ones (strictly: no string is read as a number, no ``900.0`` as ``900``), so
that both take one path. What the types say is checked by msgspec, whose
errors carry the JSON path: a missing key, a wrong type, a ``day`` that is
not ten characters long, a ``start`` that is not one of the 48 ``HH:mm``
slots, seconds out of their int32 range, a half hour's use outside 0..1800.
What needs the asked period and its clock (a ``day`` that is a real day in
one of its two forms and inside the period, seconds within the real length
of that day, a slot that exists on that day) is checked by
:mod:`ocean_analytics.parse`, a day text once however many vehicles list it.

The answer is a JSON list of :class:`Element`, one per vehicle. Unknown keys
are ignored. A key written twice in one object reads as JSON decoders read
it: the last one wins.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType, field

__all__ = [
    "END_TEXTS",
    "INT32_MAX",
    "PERIOD_KEYS",
    "SLOT_TEXTS",
    "AssetType",
    "Day",
    "DayText",
    "Element",
    "EndText",
    "HalfHour",
    "HalfHourSeconds",
    "Seconds",
    "SlotText",
    "Totals",
    "Vehicle",
    "VehicleId",
]

SLOT_TEXTS: tuple[str, ...] = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30))
"""The ``start`` of each of the 48 half hours of a day (wall clock), ``"00:00"`` to ``"23:30"``;
the position of a text is its slot number."""

END_TEXTS: tuple[str, ...] = (*SLOT_TEXTS, "24:00")
"""The texts an ``end`` may take: a slot's start, or ``"24:00"`` for midnight at the day's end;
the position of a text is the number of half hours of wall clock since midnight."""

PERIOD_KEYS: tuple[str, str] = ("totalUsePerEquipementForPeriod", "totalUserPerEquipementForPeriod")
"""The period totals' key as the French documentation spells it, then as the English one does;
an element holds exactly one of them."""

INT32_MAX = 2**31 - 1

Seconds = Annotated[int, Meta(ge=0, le=INT32_MAX, description="whole seconds (an integer)")]
"""A duration the API sends as int32 seconds."""

HalfHourSeconds = Annotated[
    Literal[tuple(range(1801))], Meta(description="whole seconds in 0..1800 (an integer)")
]
"""The use inside one half hour, in seconds: one of the integers 0..1800.

Written as the Literal of its 1801 values, msgspec checks it by one table
look-up and hands back the table's own int objects, so that no int is made
per half hour (about 7 % of the decoding of an answer); a float, a string or
an integer out of range is refused as by ``Meta(ge=0, le=1800)``.
"""

Totals = dict[str, Seconds]
"""``{equipment label: seconds}``; the labels are the customer's free text."""

SlotText = Annotated[Literal[SLOT_TEXTS], Meta(description="a half hour 'HH:mm' from '00:00' to '23:30'")]
EndText = Annotated[Literal[END_TEXTS], Meta(description="a time 'HH:mm' from '00:00' to '24:00'")]
DayText = Annotated[
    str, Meta(min_length=10, max_length=10, description="a day 'dd/MM/yyyy' (or ISO 'yyyy-MM-dd')")
]
"""A day's text: ten characters, in either form. Its form is read by the parser once per
distinct text; a pattern here would be matched once per vehicle and day (about 12 % of
the decoding)."""
VehicleId = Annotated[int, Meta(ge=0, le=INT32_MAX, description="an integer vehicle id")]


class HalfHour(Struct, gc=False):
    """One entry of ``usePerHalfHour``: the use of one equipment inside one half hour."""

    # the fields of each Struct in the order the API writes its keys (alphabetical, as the
    # documentation's example shows): msgspec then finds each key at its expected place
    end: EndText
    label: str = field(name="libelleEquipement")
    start: SlotText
    use_s: HalfHourSeconds = field(name="useDuration")


class Day(Struct, gc=False):
    """One entry of ``dailyDioUtilisation``: one day (on the API's clock) of one vehicle.

    ``day`` is ``dd/MM/yyyy`` (the documentation) or ISO ``yyyy-MM-dd``; whether it
    is a real day of the asked period is for the parser to say.
    """

    all_dio_s: Seconds = field(name="dailyDurationSecForAllDio")
    day: DayText
    totals: Totals = field(name="dayTotalUsePerEquipement")
    half_hours: list[HalfHour] = field(name="usePerHalfHour")


class AssetType(Struct, gc=False):
    """``libelleTypeAsset``: the vehicle's asset type (only its label is read)."""

    label: str | None = field(name="libelle", default=None)


class Vehicle(Struct, gc=False):
    """The typed part of an element's ``vehicle`` object (its other keys are kept as they are).

    The attribute names are the columns of the ``vehicles`` frame.
    """

    vehicle_id: VehicleId = field(name="id")
    description: str | None = None
    category: str | None = field(name="categorie", default=None)
    motorisation: str | None = field(name="typeMotorisation", default=None)
    dio_enabled: bool | None = field(name="dioEnabled", default=None)
    asset_type: AssetType | None = field(name="libelleTypeAsset", default=None)


class Element(Struct, gc=False, kw_only=True):
    """One vehicle of the answer: its object, its days and its period totals.

    ``vehicle`` is kept as the decoded JSON object, so that its undocumented keys
    reach the ``vehicles`` frame; :class:`Vehicle` types it. Exactly one of the
    two spellings of the period totals' key must be present: see
    :meth:`period_totals`.
    """

    days: list[Day] = field(name="dailyDioUtilisation")
    period: Totals | UnsetType = field(name=PERIOD_KEYS[0], default=UNSET)
    period_en: Totals | UnsetType = field(name=PERIOD_KEYS[1], default=UNSET)
    vehicle: dict[str, Any]

    def period_totals(self) -> Totals | None:
        """The period totals under whichever key is present; None unless exactly one is."""
        if (self.period is UNSET) == (self.period_en is UNSET):
            return None
        return self.period_en if self.period is UNSET else self.period

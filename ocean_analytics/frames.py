"""The columns and dtypes of the five frames of :class:`ocean_analytics.Usage`.

One place defines them, so that every producer (the parser, the cache) and every
consumer (analysis, plots, tests) agrees, and so that an empty answer gives
empty frames with exactly the same columns and dtypes as a full one.

Units and clocks
----------------
- Seconds everywhere (``*_s`` columns).
- ``date`` is midnight (naive) of the API's day: a calendar day on the client's
  ``api_tz``.
- ``start`` and ``end`` of a half hour are tz-aware, on ``api_tz``.
- ``vehicle_id`` is the API's vehicle id (an int32 in the API) in every frame.
- ``half_hours.use_s`` is int32 (0..1800): wide enough that ordinary arithmetic
  (``use_s * 1000``, ``use_s * 100 / 1800``) cannot overflow, while pandas
  sums it as int64.

Sites and silent boxes (added by ``fetch_usage`` as the last step of every fetch)
---------------------------------------------------------------------------------
``vehicles`` gains, after the answer's own columns, :data:`FLEET_COLUMNS` from the
fleet listing (``GET /restapi/vehicule_engin/vehicles``): the entity (agency,
depot, site) ``entity_id`` and ``entity_name``, the customer's ``fleet_number``
(``numeroParc``), ``make`` and ``model``; missing where the listing has none or
does not list the vehicle. Never the driver. ``plate`` is filled from the listing
where the answer gives none. Then :data:`COVERAGE_COLUMNS`, from the
non-communicating boxes (``GET /restapi/noncommunicant/list``):

- ``never_communicated``: the vehicle's box never talked (no data at all);
- ``installed_on``: midnight (naive) of the day on ``api_tz`` its box was
  installed, NaT when the platform does not say (a vehicle not in the list);
- ``last_data_day``: midnight (naive) of the day on ``api_tz`` of the box's last
  communication; NaT when the box is not silent or never communicated;
- ``silence_reason``: the reason a user recorded on the platform (the
  qualification's ``libelle``), missing when none.

A vehicle not in the list: False, NaT, NaT, missing. ``daily`` and
``vehicle_days`` gain :data:`HAS_DATA`: ``has_data`` is False on a day the box
could not report (before ``installed_on``, after ``last_data_day``, every day when
``never_communicated``), True otherwise: the installation day and the
last-communication day are True (the box recorded part of them). A day without
data is not a day without use: leave it out of rates.

Every frame's ``attrs["coverage"]`` is ``"known"``, or ``"unknown"`` when the
service refused (403/404: not in the customer's contract). Then
``attrs["coverage_note"]`` says why, ``never_communicated`` and ``has_data`` are
<NA> on every row and ``installed_on``/``last_data_day`` NaT: whether a day
without data is a day without use is unknown, never assumed. Frames without
these columns (older files, hand-made frames) read as "every day has data".
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "DAILY",
    "HALF_HOURS",
    "VEHICLES",
    "VEHICLE_DAYS",
    "PERIOD",
    "FLEET_COLUMNS",
    "COVERAGE_COLUMNS",
    "HAS_DATA",
    "empty_frame",
    "half_hours_schema",
]

DATE = "datetime64[ns]"

DAILY: dict[str, str] = {
    "vehicle_id": "int32",
    "date": DATE,
    "equipment": "category",
    "use_s": "int64",
}

HALF_HOURS: dict[str, str] = {
    "vehicle_id": "int32",
    "date": DATE,
    "equipment": "category",
    "start": "datetime64[ns, UTC]",  # replaced by the client's api_tz: see half_hours_schema
    "end": "datetime64[ns, UTC]",
    "use_s": "int32",
}

# The vehicle object of the answer, renamed; any further field of the object is
# kept too, in snake_case, after these.
VEHICLES: dict[str, str] = {
    "vehicle_id": "int32",
    "plate": "str",
    "description": "str",
    "category": "str",
    "asset_type": "str",
    "motorisation": "str",
    "dio_enabled": "boolean",
}

VEHICLE_DAYS: dict[str, str] = {
    "vehicle_id": "int32",
    "date": DATE,
    "all_dio_s": "int64",
    "equipment_sum_s": "int64",
}

PERIOD: dict[str, str] = {
    "vehicle_id": "int32",
    "equipment": "category",
    "use_s": "int64",
}


FLEET_COLUMNS: dict[str, str] = {
    "entity_id": "Int64",
    "entity_name": "str",
    "fleet_number": "str",
    "make": "str",
    "model": "str",
}
"""The fleet listing's columns of ``vehicles``, after the answer's own (see the module's docstring)."""

COVERAGE_COLUMNS: dict[str, str] = {
    "never_communicated": "boolean",
    "installed_on": DATE,
    "last_data_day": DATE,
    "silence_reason": "str",
}
"""The silent boxes' columns of ``vehicles``, after :data:`FLEET_COLUMNS`."""

HAS_DATA: dict[str, str] = {"has_data": "boolean"}
"""The last column of ``daily`` and ``vehicle_days``: whether the box could report that day."""


def half_hours_schema(api_tz: str) -> dict[str, str]:
    """The ``half_hours`` schema with ``start``/``end`` on ``api_tz``."""
    tz_dtype = f"datetime64[ns, {api_tz}]"
    return {**HALF_HOURS, "start": tz_dtype, "end": tz_dtype}


def empty_frame(schema: dict[str, str]) -> pd.DataFrame:
    """An empty frame with exactly the columns and dtypes of ``schema``."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})

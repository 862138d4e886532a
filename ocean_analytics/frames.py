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
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "DAILY",
    "HALF_HOURS",
    "VEHICLES",
    "VEHICLE_DAYS",
    "PERIOD",
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


def half_hours_schema(api_tz: str) -> dict[str, str]:
    """The ``half_hours`` schema with ``start``/``end`` on ``api_tz``."""
    tz_dtype = f"datetime64[ns, {api_tz}]"
    return {**HALF_HOURS, "start": tz_dtype, "end": tz_dtype}


def empty_frame(schema: dict[str, str]) -> pd.DataFrame:
    """An empty frame with exactly the columns and dtypes of ``schema``."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})

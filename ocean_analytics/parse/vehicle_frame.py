"""The ``vehicles`` frame: the answer's vehicle objects, typed and renamed, plus the analyst's plates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec
import pandas as pd

from ..api.schema.duree import Vehicle
from ..frames import VEHICLES, empty_frame

__all__ = ["snake_case", "vehicles_frame"]

_TYPED = frozenset(f.encode_name for f in msgspec.structs.fields(Vehicle))
"""The keys of the vehicle object that :class:`Vehicle` reads; the others are extras."""
_SCALARS = (str, int, float, bool)
_INT64 = range(-(2**63), 2**63)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """``detectionPorteEnabled`` -> ``detection_porte_enabled``."""
    return _CAMEL.sub("_", name).lower()


def vehicles_frame(
    vehicles: Mapping[int, tuple[Vehicle, dict[str, Any]]], plates: Mapping[int, str]
) -> pd.DataFrame:
    """One row per vehicle, sorted by id: the columns of ``frames.VEHICLES`` then the extras.

    Parameters
    ----------
    vehicles : mapping
        ``{vehicle id: (its typed Vehicle, its object as decoded)}``.
    plates : mapping
        ``{vehicle id: plate}``; a vehicle without one gets a missing plate.

    Returns
    -------
    pandas.DataFrame
        Every other scalar field of the vehicle objects follows the fixed
        columns, in snake_case, in order of first appearance; a field whose name
        would clash with a fixed column is prefixed with ``api_``.
    """
    ids = sorted(vehicles)
    if not ids:
        return empty_frame(VEHICLES)
    typed = [vehicles[i][0] for i in ids]
    columns: dict[str, list] = {
        "vehicle_id": ids,
        "plate": [plates.get(i) for i in ids],
        "asset_type": [v.asset_type.label if v.asset_type else None for v in typed],
    }
    for name in VEHICLES.keys() - columns.keys():
        columns[name] = [getattr(v, name) for v in typed]
    extras = _extras([vehicles[i][1] for i in ids], set(VEHICLES))
    series = {name: pd.Series(columns[name], dtype=dtype) for name, dtype in VEHICLES.items()}
    series.update({name: pd.Series(values, dtype=_extra_dtype(values)) for name, values in extras.items()})
    return pd.DataFrame(series)


def _extras(objects: list[dict], taken: set[str]) -> dict[str, list]:
    """The other scalar fields, one list per column (None where a vehicle lacks it)."""
    keys = list(
        dict.fromkeys(k for o in objects for k, v in o.items() if k not in _TYPED and isinstance(v, _SCALARS))
    )
    extras = {}
    for key in keys:
        name = snake_case(key)
        name = f"api_{name}" if name in taken or name in extras else name
        extras[name] = [v if isinstance(v := o.get(key), _SCALARS) else None for o in objects]
    return extras


def _extra_dtype(values: list) -> str:
    """A nullable dtype for an extra column: boolean, Int64, Float64, str, else object."""
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int, float} and all(v in _INT64 for v in values if type(v) is int):
        return "Int64" if kinds == {int} else "Float64"
    if kinds <= {str}:
        return "str"
    return "object"

"""The ``vehicles`` frame: the answer's vehicle objects, renamed, plus the analyst's plates."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ..frames import VEHICLES, empty_frame
from .checks import describe

__all__ = ["snake_case", "vehicle_problem", "vehicles_frame"]

# API field -> column of frames.VEHICLES, and the JSON type it must have (or null).
_RENAMED: dict[str, tuple[str, type]] = {
    "description": ("description", str),
    "categorie": ("category", str),
    "typeMotorisation": ("motorisation", str),
    "dioEnabled": ("dio_enabled", bool),
}
_ASSET = "libelleTypeAsset"
_NOT_EXTRA = {"id", _ASSET, *_RENAMED}
_SCALARS = (str, int, float, bool)
_INT64 = range(-(2**63), 2**63)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """``detectionPorteEnabled`` -> ``detection_porte_enabled``."""
    return _CAMEL.sub("_", name).lower()


def vehicle_problem(vehicle: dict) -> tuple[str, str] | None:
    """The first documented field of a vehicle object with a wrong type, if any.

    Returns
    -------
    tuple of (str, str) or None
        The field's path below the vehicle object and what is wrong with it.
    """
    for key, (_, kind) in _RENAMED.items():
        value = vehicle.get(key)
        if value is not None and type(value) is not kind:
            return key, f"must be a {kind.__name__} or null, got {describe(value)}"
    asset = vehicle.get(_ASSET)
    if asset is not None and type(asset) is not dict:
        return _ASSET, f"must be a JSON object or null, got {describe(asset)}"
    label = (asset or {}).get("libelle")
    if label is not None and type(label) is not str:
        return f"{_ASSET}.libelle", f"must be a string or null, got {describe(label)}"
    return None


def vehicles_frame(vehicles: Mapping[int, dict], plates: Mapping[int, str]) -> pd.DataFrame:
    """One row per vehicle, sorted by id: the columns of ``frames.VEHICLES`` then the extras.

    Parameters
    ----------
    vehicles : mapping
        ``{vehicle id: vehicle object of the answer}`` (already checked with
        :func:`vehicle_problem`).
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
    objects = [vehicles[i] for i in ids]
    columns: dict[str, list] = {"vehicle_id": ids, "plate": [plates.get(i) for i in ids]}
    for key, (name, _) in _RENAMED.items():
        columns[name] = [o.get(key) for o in objects]
    columns["asset_type"] = [(o.get(_ASSET) or {}).get("libelle") for o in objects]
    frame = pd.DataFrame({name: columns[name] for name in VEHICLES}).astype(VEHICLES)
    for name, values in _extras(objects, set(VEHICLES)).items():
        frame[name] = pd.Series(values, dtype=_extra_dtype(values))
    return frame


def _extras(objects: list[dict], taken: set[str]) -> dict[str, list]:
    """The other scalar fields, one list per column (None where a vehicle lacks it)."""
    keys = list(
        dict.fromkeys(
            k
            for o in objects
            for k, v in o.items()
            if k not in _NOT_EXTRA and isinstance(v, _SCALARS)
        )
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

"""Grouping keys for the analysis helpers: checked ``by`` arguments and vehicle columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import InvalidArgumentError
from ..usage import Usage

__all__ = ["SITE_COLUMNS", "as_by", "group_columns", "join_vehicles", "with_vehicle_columns"]

SITE_COLUMNS = ("entity_name", "entity_id", "fleet_number", "make", "model", "plate")
"""The columns of ``usage.vehicles`` read from the fleet listing, each a valid ``by``."""

_NOT_KEYS = ("date", "use_s", "start", "end", "has_data")


def _advice(missing: list[str], among_vehicles: bool) -> str:
    """What to do about ``missing`` columns, for the message of :func:`as_by`."""
    if not among_vehicles:
        return (
            "To group by a vehicle column (such as 'asset_type' or 'entity_name'), join it in "
            f"first: oa.join_vehicles(frame, usage.vehicles, {missing!r})."
        )
    listing = [c for c in missing if c in SITE_COLUMNS]
    if listing:
        return (
            f"{listing!r} come from the fleet listing and this usage.vehicles lacks them (a Usage "
            "stored or built before the listing was read): fetch the usage again with oa.fetch_usage."
        )
    return "Name columns of usage.daily or usage.vehicles."


def as_by(
    by: str | Sequence[str] | None,
    frame: pd.DataFrame,
    *,
    name: str = "by",
    among_vehicles: bool = False,
) -> list[str]:
    """Normalise a ``by`` argument to a list of columns that ``frame`` has.

    Parameters
    ----------
    by : str, sequence of str or None
        One column name, several, or None for no grouping (an empty list).
    frame : pandas.DataFrame
        The frame that will be grouped.
    name : str
        The argument's name, for the error message.
    among_vehicles : bool
        True when ``frame`` already holds the columns of ``usage.vehicles``: a
        missing column of the fleet listing then means a Usage without them
        (fetch again), not a column to join in first.

    Returns
    -------
    list of str

    Raises
    ------
    InvalidArgumentError
        When ``by`` is not a string, a sequence of strings or None, or a column is
        missing; the message names the missing columns, lists the columns there
        are and says what to do.
    """
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by) if isinstance(by, Iterable) else None
    if columns is None or not all(isinstance(c, str) for c in columns):
        raise InvalidArgumentError(
            f"{name} must be a column name, a list of column names or None, not {by!r} "
            f"({type(by).__name__}): e.g. {name}='vehicle_id' or {name}=['vehicle_id', 'equipment']."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(
            f"{name}={columns!r}: no column {missing!r} in this frame (it has "
            f"{list(frame.columns)!r}). {_advice(missing, among_vehicles)}"
        )
    return columns


def group_columns(by: str | Sequence[str] | None, usage: Usage) -> list[str]:
    """Normalise ``by`` for a helper that takes a :class:`Usage`.

    ``by`` may name ``vehicle_id``, ``equipment`` and any column of ``usage.vehicles``
    (joined in on ``vehicle_id``), such as ``asset_type`` and, when the fleet
    listing was read, ``entity_name``, ``entity_id``, ``fleet_number``, ``make``,
    ``model`` and ``plate``; but not ``date``, ``use_s``, ``start``, ``end`` or
    ``has_data``: the denominators cover the whole period.

    Raises
    ------
    InvalidArgumentError
        When a column is neither in ``usage.daily`` nor in ``usage.vehicles``; for
        a column of the fleet listing, the message says to fetch the usage again.
    """
    names = [c for c in usage.daily.columns if c not in _NOT_KEYS]
    names += [c for c in usage.vehicles.columns if c not in names]
    return as_by(by, pd.DataFrame(columns=names), among_vehicles=True)


def with_vehicle_columns(frame: pd.DataFrame, usage: Usage, by: list[str]) -> pd.DataFrame:
    """``frame`` (with ``vehicle_id``) plus the ``by`` columns it lacks, from ``usage.vehicles``."""
    extra = [c for c in by if c not in frame.columns]
    return join_vehicles(frame, usage.vehicles, extra) if extra else frame


def join_vehicles(frame: pd.DataFrame, vehicles: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Add columns of the ``vehicles`` frame to ``frame``, matched on ``vehicle_id``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a ``vehicle_id`` column (``daily``, ``half_hours``...).
    vehicles : pandas.DataFrame
        ``Usage.vehicles``.
    columns : str or sequence of str
        The vehicle columns to bring in, e.g. ``"asset_type"``, ``"entity_name"``
        or ``["plate", "fleet_number"]``.

    Returns
    -------
    pandas.DataFrame
        A new frame: ``frame``'s rows in the same order, with the columns added.
        A vehicle absent from ``vehicles`` gets missing values, never a lost row.

    Raises
    ------
    InvalidArgumentError
        When ``vehicles`` lacks one of ``columns``.
    """
    wanted = as_by(columns, vehicles, name="columns", among_vehicles=True)
    table = vehicles.drop_duplicates("vehicle_id").set_index("vehicle_id")[wanted]
    joined = frame.join(table, on="vehicle_id")
    joined.attrs = dict(frame.attrs)
    return joined

"""Grouping keys for the analysis helpers: checked ``by`` arguments and vehicle columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import InvalidArgumentError

__all__ = ["as_by", "join_vehicles"]


def as_by(by: str | Sequence[str] | None, frame: pd.DataFrame, *, name: str = "by") -> list[str]:
    """Normalise a ``by`` argument to a list of columns that ``frame`` has.

    Parameters
    ----------
    by : str, sequence of str or None
        One column name, several, or None for no grouping (an empty list).
    frame : pandas.DataFrame
        The frame that will be grouped.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    list of str

    Raises
    ------
    InvalidArgumentError
        When ``by`` is not a string, a sequence of strings or None, or a column is
        missing; the message lists the columns there are and
        says how to bring in a vehicle column such as ``asset_type``.
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
            f"{list(frame.columns)!r}). To group by a vehicle column such as 'asset_type', "
            "join it in first: oa.join_vehicles(frame, usage.vehicles, 'asset_type')."
        )
    return columns


def join_vehicles(frame: pd.DataFrame, vehicles: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Add columns of the ``vehicles`` frame to ``frame``, matched on ``vehicle_id``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a ``vehicle_id`` column (``daily``, ``half_hours``...).
    vehicles : pandas.DataFrame
        ``Usage.vehicles``.
    columns : str or sequence of str
        The vehicle columns to bring in, e.g. ``"asset_type"`` or ``["plate", "description"]``.

    Returns
    -------
    pandas.DataFrame
        A new frame: ``frame``'s rows in the same order, with the columns added.
        A vehicle absent from ``vehicles`` gets missing values, never a lost row.
    """
    wanted = as_by(columns, vehicles, name="columns")
    table = vehicles.drop_duplicates("vehicle_id").set_index("vehicle_id")[wanted]
    joined = frame.join(table, on="vehicle_id")
    joined.attrs = dict(frame.attrs)
    return joined

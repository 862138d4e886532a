"""`Usage`: the five tidy frames of one fetch, with where they came from.

A ``Usage`` prints as a short summary and is stored as a folder of Parquet
files (one per frame) plus ``usage.json`` (the period, ``api_tz``, the count
of ambiguous slots and each frame's ``attrs`` and categories).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InvalidArgumentError

__all__ = ["FRAMES", "Usage"]

FRAMES = ("daily", "half_hours", "vehicles", "vehicle_days", "period")
"""The names of the five frames, in the order they are shown and stored."""

_PROVENANCE = "usage.json"
_TAG = "__type__"
_SHOWN = 5


@dataclass(frozen=True, repr=False)
class Usage:
    """Auxiliary-equipment usage of some vehicles over an inclusive period.

    Attributes
    ----------
    daily : pandas.DataFrame
        One row per vehicle x day x equipment, every day of ``[start, end]``,
        ``use_s`` seconds (0 where nothing was used), and ``has_data`` (False on a
        day the vehicle's box could not report). See :mod:`ocean_analytics.frames`
        for columns, dtypes and the no-data rule.
    half_hours : pandas.DataFrame
        One row per half hour with use > 0, ``start``/``end`` tz-aware on ``api_tz``.
    vehicles : pandas.DataFrame
        One row per vehicle of the answer, with or without usage: the answer's
        columns, then its site, fleet number, make and model from the fleet
        listing, then what the platform says of its box (``never_communicated``,
        ``installed_on``, ``last_data_day``, ``silence_reason``).
    vehicle_days : pandas.DataFrame
        One row per vehicle x day: the API's all-equipment daily total and the
        sum of its per-equipment totals, in seconds, and ``has_data``.
    period : pandas.DataFrame
        One row per vehicle x equipment: the API's own period totals, in seconds.
    start, end : datetime.date
        The period, both days inclusive, on ``api_tz``.
    api_tz : str
        The clock of the API's days and half-hour slots (an IANA name).
    ambiguous_slots : int
        Half hours of an autumn daylight-saving change that the answer listed
        once where the clock shows them twice: each was placed on the first
        (summer-time) occurrence.
    """

    daily: pd.DataFrame
    half_hours: pd.DataFrame
    vehicles: pd.DataFrame
    vehicle_days: pd.DataFrame
    period: pd.DataFrame
    start: dt.date
    end: dt.date
    api_tz: str = "UTC"
    ambiguous_slots: int = field(default=0)

    def __repr__(self) -> str:
        days = (self.end - self.start).days + 1
        labels = _labels(self.daily["equipment"])
        shown = ", ".join(labels[:_SHOWN]) + (", ..." if len(labels) > _SHOWN else "")
        rows = ", ".join(f"{name} {len(frame):,}" for name, frame in self._frames().items())
        hours = self.daily["use_s"].sum() / 3600
        lines = [
            f"Usage {self.start.isoformat()}..{self.end.isoformat()} ({days} days, "
            f"api_tz={self.api_tz!r}), {self.vehicles['vehicle_id'].nunique():,} vehicles",
            f"  equipment: {len(labels)} label(s)" + (f": {shown}" if labels else ""),
            f"  rows: {rows}",
            f"  use: {hours:,.1f} h in the daily totals",
        ]
        if self.ambiguous_slots:
            lines.append(
                f"  {self.ambiguous_slots} repeated autumn slot(s) listed once, placed on summer time"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The summary of :meth:`__repr__` as a small table, for notebooks.

        Labels and other text of the answer are escaped: an equipment label is
        free text chosen by the customer, shown here as text, never as markup.
        """
        days = (self.end - self.start).days + 1
        labels = _labels(self.daily["equipment"])
        shown = ", ".join(labels[:_SHOWN]) + (", ..." if len(labels) > _SHOWN else "")
        cells = [
            ("period", f"{self.start.isoformat()} to {self.end.isoformat()} ({days} days)"),
            ("clock of the days (api_tz)", self.api_tz),
            ("vehicles", f"{self.vehicles['vehicle_id'].nunique():,}"),
            ("equipment", f"{len(labels)} label(s)" + (f": {shown}" if labels else "")),
            ("use in the daily totals", f"{self.daily['use_s'].sum() / 3600:,.1f} h"),
            *((f"rows of {name}", f"{len(frame):,}") for name, frame in self._frames().items()),
        ]
        if self.ambiguous_slots:
            cells.append(("repeated autumn slots listed once", f"{self.ambiguous_slots} (on summer time)"))
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
            f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
            for key, value in cells
        )
        return f"<table><caption style='text-align:left'><b>Usage</b></caption>{body}</table>"

    def to_parquet(self, directory: str | os.PathLike) -> Path:
        """Write the five frames and the provenance into a folder.

        Parameters
        ----------
        directory : str or path-like
            The folder; created if missing. Files of an earlier store there are
            replaced: ``<frame>.parquet`` for each frame and ``usage.json``.

        Returns
        -------
        pathlib.Path
            The folder.
        """
        text = dump_provenance(self._provenance())
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in self._frames().items():
            bare = frame.copy(deep=False)
            bare.attrs = {}  # kept in usage.json, where dates and timestamps survive
            bare.to_parquet(folder / f"{name}.parquet", index=False)
        (folder / _PROVENANCE).write_text(text, encoding="utf-8")
        return folder

    @classmethod
    def read_parquet(cls, directory: str | os.PathLike) -> Usage:
        """Read a folder written by :meth:`to_parquet`: the same frames, dtypes and attrs.

        Raises
        ------
        InvalidArgumentError
            When the folder does not hold a stored ``Usage``.
        """
        folder = Path(directory)
        try:
            provenance = load_provenance((folder / _PROVENANCE).read_text("utf-8"))
            frames = {
                name: _read_frame(folder / f"{name}.parquet", provenance["frames"][name]) for name in FRAMES
            }
            return cls._from_provenance(provenance, frames)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise InvalidArgumentError(
                f"{str(folder)!r} does not hold a Usage written by Usage.to_parquet "
                f"({type(err).__name__}: {err}): give the folder that to_parquet wrote."
            ) from err

    def _provenance(self) -> dict:
        """What is stored beside the frames: the period, ``api_tz``, the count of ambiguous
        slots and, per frame, its ``attrs`` and categories (see :func:`dump_provenance`)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "api_tz": self.api_tz,
            "ambiguous_slots": self.ambiguous_slots,
            "frames": {
                name: {"attrs": frame.attrs, "categories": _categories(frame)}
                for name, frame in self._frames().items()
            },
        }

    @classmethod
    def _from_provenance(cls, provenance: dict, frames: dict[str, pd.DataFrame]) -> Usage:
        """The ``Usage`` of frames read back and the :meth:`_provenance` stored with them."""
        return cls(
            **frames,
            start=dt.date.fromisoformat(provenance["start"]),
            end=dt.date.fromisoformat(provenance["end"]),
            api_tz=provenance["api_tz"],
            ambiguous_slots=provenance["ambiguous_slots"],
        )

    def _frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in FRAMES}


def dump_provenance(provenance: dict) -> str:
    """JSON text of a :meth:`Usage._provenance`; dates and timestamps in ``attrs`` are tagged.

    Raises
    ------
    InvalidArgumentError
        When an ``attrs`` value is not a string, number, boolean, date or timestamp.
    """
    return json.dumps(provenance, default=_encode, indent=1, ensure_ascii=False)


def load_provenance(text: str) -> dict:
    """The inverse of :func:`dump_provenance` (ValueError for text that is not JSON)."""
    return json.loads(text, object_hook=_decode)


def _read_frame(path: Path, stored: dict) -> pd.DataFrame:
    """One stored frame, with its categories and attrs put back."""
    frame = pd.read_parquet(path)
    for column, labels in stored["categories"].items():
        frame[column] = frame[column].astype(pd.CategoricalDtype(pd.Index(labels, dtype="str")))
    frame.attrs = stored["attrs"]
    return frame


def _labels(equipment: pd.Series) -> list[str]:
    """The sorted equipment labels of a column, categorical or not."""
    if isinstance(equipment.dtype, pd.CategoricalDtype):
        return [str(label) for label in equipment.cat.categories]
    return sorted(str(label) for label in equipment.dropna().unique())


def _categories(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The categories of each categorical column (Parquet loses those of an empty one)."""
    return {
        str(name): [str(label) for label in frame[name].cat.categories]
        for name, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype)
    }


def _encode(value: object) -> dict[str, str]:
    """A tagged JSON form of a date, datetime or Timestamp found in ``attrs``."""
    if isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        kind = "timestamp" if isinstance(value, pd.Timestamp) else "datetime"
        if stamp.tz is None:
            return {_TAG: kind, "value": stamp.isoformat(), "tz": None}
        return {_TAG: kind, "value": stamp.tz_convert("UTC").isoformat(), "tz": str(stamp.tz)}
    if isinstance(value, dt.date):
        return {_TAG: "date", "value": value.isoformat()}
    raise InvalidArgumentError(
        f"a frame's attrs hold {type(value).__name__} {value!r}, which cannot be stored: "
        "keep attrs to strings, numbers, booleans, dates and timestamps."
    )


def _decode(obj: dict) -> object:
    """The inverse of :func:`_encode` (other JSON objects are returned as they are)."""
    kind = obj.get(_TAG)
    if kind == "date":
        return dt.date.fromisoformat(obj["value"])
    if kind in ("timestamp", "datetime"):
        stamp = pd.Timestamp(obj["value"])
        stamp = stamp if obj["tz"] is None else stamp.tz_convert(obj["tz"])
        return stamp if kind == "timestamp" else stamp.to_pydatetime()
    return obj

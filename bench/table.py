"""The benchmark's one table: each measure, its ratio, the issue's target and whether it is met."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_VERSIONED = ("numpy", "pandas", "pyarrow", "orjson", "msgspec")


@dataclass(frozen=True)
class Row:
    """One line of the table.

    Attributes
    ----------
    measure : str
        What was measured.
    value : str
        The measurement, with its unit.
    ratio : str
        The ratio the target is about, or empty.
    target : str
        The issue's target, or empty.
    met : bool or None
        Whether the target is met; None when there is no target.
    """

    measure: str
    value: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def render(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable as plain text too)."""
    header = ("measure", "value", "ratio", "target", "met")
    cells = [header] + [
        (r.measure, r.value, r.ratio, r.target, "" if r.met is None else ("yes" if r.met else "NO"))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    """Cores, CPU model and the versions that matter, on one line."""
    cpuinfo = Path("/proc/cpuinfo")
    text = cpuinfo.read_text() if cpuinfo.exists() else ""
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    cpu = found.group(1).strip() if found else platform.processor() or "unknown CPU"
    versions = ", ".join(f"{name} {_version(name)}" for name in _VERSIONED)
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores ({cpu}), Python {platform.python_version()}, {versions}"


def _version(name: str) -> str:
    """The installed version of a distribution, or ``not installed``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"

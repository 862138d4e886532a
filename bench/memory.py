"""Peak memory of each contender, each in a fresh process, and the bytes a ``half_hours`` row takes.

Method: a child process imports everything, reads the payload from a file,
runs the contender once on a two-day answer (what it loads once per process
then counts with the imports), collects
garbage and resets its peak resident set to the current one (Linux:
``5`` written to ``/proc/self/clear_refs``), so that a transient peak of the
imports cannot hide what follows; the peak (``VmHWM`` of ``/proc/self/status``)
is then the baseline. It runs the contender once, keeping what it built, and
reports how far the peak rose above the baseline. Python's allocators, numpy,
Arrow (pandas' strings) and orjson are all counted, which ``tracemalloc``
would not do for Arrow. ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is not
used where ``/proc`` is available: a child inherits in it the resident set of
the process that started it, whatever ``clear_refs`` says.

Run as ``python bench/memory.py CONTENDER PAYLOAD_FILE START END`` (the child).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import resource
import subprocess
import sys
from pathlib import Path

import orjson
import pandas as pd
from payload import FIRST_DAY

HERE = Path(__file__).resolve().parent
_KIB = 1024
_STATUS, _CLEAR_REFS = Path("/proc/self/status"), Path("/proc/self/clear_refs")


def peak_rises_mb(names: list[str], payload_file: Path, start: dt.date, end: dt.date) -> dict[str, float]:
    """How far each contender raises the peak memory of a fresh process, in MB (2**20 bytes).

    The children run one after the other, so that they do not compete for memory.
    """
    rises = {}
    for name in names:
        command = [sys.executable, str(HERE / "memory.py"), name, str(payload_file)]
        child = subprocess.run(
            [*command, str(start), str(end)], stdout=subprocess.PIPE, text=True, check=True
        )
        rises[name] = float(child.stdout.strip()) / _KIB
    return rises


def bytes_per_row(frame: pd.DataFrame) -> float:
    """Bytes of a frame's columns (deep, index excluded) per row."""
    return float(frame.memory_usage(deep=True, index=False).sum()) / max(len(frame), 1)


def _child(name: str, payload_file: str, start: str, end: str) -> None:
    """Print the rise of the peak resident set, in KiB, while ``name`` runs once."""
    from contenders import CONTENDERS

    text = Path(payload_file).read_bytes()
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    CONTENDERS[name](_small_answer(), FIRST_DAY, FIRST_DAY + dt.timedelta(days=1))
    gc.collect()
    _reset_peak()
    baseline = _peak_kib()
    built = CONTENDERS[name](text, first, last)
    print(_peak_kib() - baseline)
    del built


def _small_answer() -> bytes:
    """Two days of one vehicle: run once before measuring, so that what a contender loads
    once per process (lazily imported modules) is in the baseline, like the imports."""
    from ocean_analytics.simulator import Simulator, SimulatorConfig

    simulator = Simulator(SimulatorConfig(n_customers=1, vehicles_per_customer=1))
    customer = simulator.customers[0].id
    return orjson.dumps(simulator.answer(customer, None, FIRST_DAY, FIRST_DAY + dt.timedelta(days=1)))


def _reset_peak() -> None:
    """Make the peak resident set the current one (Linux; elsewhere the peak stays)."""
    with contextlib.suppress(OSError):
        _CLEAR_REFS.write_text("5")


def _peak_kib() -> int:
    """The peak resident set of this process so far, in KiB."""
    try:
        found = re.search(r"^VmHWM:\s+(\d+) kB", _STATUS.read_text(), re.M)
    except OSError:
        found = None
    return int(found.group(1)) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    _child(*sys.argv[1:5])

"""How long a user waits for ``import ocean_analytics`` and ``ocean-analytics --help``.

Method: each command runs in a fresh process of this interpreter (the venv's), as a
user starts it: ``python -c "import pandas"`` (the yardstick), ``python -c "import
ocean_analytics"``, and the installed ``ocean-analytics --help`` script (``python -m
ocean_analytics.cli.main --help`` where the script is not installed). Each is run once
to warm the bytecode caches, then ``rounds`` times, the commands taking turns so that
a busy moment of the machine falls on all of them; the best wall time of each is
kept, the interpreter's own start-up included (it is part of the wait). A bare
``python -c pass`` is shown beside them for scale, and so is the price paid later, at
first use: every public name resolved (pandas, pyarrow, requests, matplotlib...).

Run alone as ``python bench/imports.py [ROUNDS]``; ``bench/run.py`` adds
:func:`import_rows` to its table.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from table import Row, render

IMPORT_TARGET = 1.3  # import ocean_analytics <= 1.3 x import pandas
HELP_TARGET = 0.5  # ocean-analytics --help <= 0.5 x import pandas


def commands() -> dict[str, list[str]]:
    """The measured commands, by name."""
    script = Path(sys.executable).with_name("ocean-analytics")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "ocean_analytics.cli.main"]
    return {
        "bare": [sys.executable, "-c", "pass"],
        "pandas": [sys.executable, "-c", "import pandas"],
        "package": [sys.executable, "-c", "import ocean_analytics"],
        "help": [*cli, "--help"],
        "resolved": [
            sys.executable,
            "-c",
            "import ocean_analytics as oa; [getattr(oa, n) for n in oa.__all__]",
        ],
    }


def best_wall_times(rounds: int = 7) -> dict[str, float]:
    """The best wall time (seconds) of each command over ``rounds`` fresh processes."""
    todo = commands()
    for argv in todo.values():  # warm the caches; a failing command stops the benchmark
        subprocess.run(argv, check=True, capture_output=True)
    best = dict.fromkeys(todo, float("inf"))
    for _ in range(rounds):
        for name, argv in todo.items():
            began = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            best[name] = min(best[name], time.perf_counter() - began)
    return best


def import_rows(rounds: int = 7) -> list[Row]:
    """The table's rows: each command's time and the two floors of issue 11."""
    best = best_wall_times(rounds)
    package, cli = best["package"] / best["pandas"], best["help"] / best["pandas"]
    return [
        Row("python -c pass (interpreter start-up)", f"{best['bare'] * 1000:.0f} ms"),
        Row("import pandas (fresh process)", f"{best['pandas'] * 1000:.0f} ms"),
        Row(
            "import ocean_analytics (fresh process)",
            f"{best['package'] * 1000:.0f} ms",
            f"{package:.2f} x import pandas",
            f"<= {IMPORT_TARGET} x",
            package <= IMPORT_TARGET,
        ),
        Row(
            "ocean-analytics --help (fresh process)",
            f"{best['help'] * 1000:.0f} ms",
            f"{cli:.2f} x import pandas",
            f"<= {HELP_TARGET} x",
            cli <= HELP_TARGET,
        ),
        Row(
            "import ocean_analytics, every public name resolved",
            f"{best['resolved'] * 1000:.0f} ms",
            f"{best['resolved'] / best['pandas']:.2f} x import pandas",
        ),
    ]


if __name__ == "__main__":
    print(render(import_rows(int(sys.argv[1]) if len(sys.argv) > 1 else 7)))

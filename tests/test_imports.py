"""What ``import ocean_analytics`` and ``ocean-analytics --help`` load, seen in fresh processes.

Each check runs a new interpreter and reads its ``sys.modules``: in this process the
package and its heavy dependencies are already imported by other tests. Times are
the benchmark's business (``bench/imports.py``), not asserted here.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import ocean_analytics as oa

INIT = Path(oa.__file__)
HEAVY = (
    "matplotlib",
    "nbconvert",
    "nbclient",
    "nbformat",
    "jupyter_client",
    "ipykernel",
    "ocean_analytics.simulator",
)
"""What ``import ocean_analytics`` must leave for first use (issue 11, point 5)."""
DATA = ("pandas", "pyarrow")
"""What the command line's help must not load."""


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def roots(modules: set[str], wanted: tuple[str, ...]) -> list[str]:
    """The names of ``wanted`` that are in ``modules``, themselves or by a submodule."""
    return [name for name in wanted if any(m == name or m.startswith(name + ".") for m in modules)]


def type_checking_imports() -> dict[str, str]:
    """Each name imported in the ``if TYPE_CHECKING:`` block of ``__init__.py``, with its module."""
    tree = ast.parse(INIT.read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    return {
        alias.name: f"ocean_analytics.{node.module}"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_import_leaves_plots_reports_and_the_simulator_for_first_use():
    assert roots(loaded_after("import ocean_analytics"), HEAVY) == []


def test_a_public_name_brings_only_its_room():
    modules = loaded_after("import ocean_analytics as oa\noa.OceanError, oa.connect, oa.utilisation")
    assert roots(modules, HEAVY) == []  # connect() starts the simulator only when called on no account
    assert "ocean_analytics.analysis.utilisation" in modules


def test_a_plot_helper_brings_matplotlib():
    assert "matplotlib" in loaded_after("import ocean_analytics as oa\noa.plot_profile")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["report", "--help"],
        ["fetch", "--help"],
        ["demo", "--help"],
        ["simulate", "--help"],
        ["--version"],
    ],
)
def test_the_command_line_help_loads_neither_pandas_nor_pyarrow(argv):
    code = (
        "from ocean_analytics.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code"
    )
    modules = loaded_after(code)
    assert roots(modules, DATA + HEAVY) == []


def test_dir_shows_the_public_names_only():
    listed = dir(oa)
    assert listed == sorted(oa.__all__)
    assert "fetch_usage" in listed and "api" not in listed and "frames" not in listed


def test_every_public_name_resolves_to_the_object_of_its_module():
    homes = type_checking_imports()
    assert sorted(homes) == sorted(set(oa.__all__) - {"__version__"})
    code = (
        "import json, ocean_analytics as oa\n"
        "print(json.dumps({n: getattr(getattr(oa, n), '__module__', None) for n in oa.__all__}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr  # every name resolves in a fresh process
    for name, module in homes.items():
        assert getattr(oa, name) is getattr(importlib.import_module(module), name), name


def test_the_lazy_table_lists_the_public_names_exactly():
    tree = ast.parse(INIT.read_text())
    table = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["_HOMES"]
    )
    names = [elt.value for entry in table.values for elt in entry.elts]
    assert sorted(names) == sorted(set(oa.__all__) - {"__version__"})
    homes = {
        f"ocean_analytics.{key.value}": [e.value for e in entry.elts]
        for key, entry in zip(table.keys, table.values, strict=True)
    }
    assert {name: module for module, names in homes.items() for name in names} == type_checking_imports()


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'ocean_analytics' has no attribute 'fetch_everything'"):
        oa.fetch_everything  # noqa: B018


def test_submodules_still_import_by_name():
    modules = loaded_after(
        "from ocean_analytics import frames, usage\n"
        "from ocean_analytics.usage import FRAMES, Usage\n"
        "from ocean_analytics import OceanError, Usage as U\n"
        "assert U is Usage and FRAMES[0] == 'daily'"
    )
    assert {"ocean_analytics.frames", "ocean_analytics.usage"} <= modules

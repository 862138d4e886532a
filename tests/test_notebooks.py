"""The notebooks: stored clean, shipped in the package, and run end to end on the simulator.

Each notebook runs in a real Jupyter kernel of this interpreter (the venv's python),
with no Ocean account in the environment, so ``oa.connect()`` starts the embedded
simulator inside the kernel. A failing cell fails the test.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

import nbformat
import pytest

from ocean_analytics.report.render import REPORT_NOTEBOOK, execute_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
OCEAN_VARIABLES = ("OCEAN_LOGIN", "OCEAN_PASSWORD", "OCEAN_CUSTOMER_ID", "OCEAN_BASE_URL", "OCEAN_API_TZ")
# Figures each notebook draws by design: one plot in the quick start; daily use,
# ranking, weekly trend, weekday x time profile and off-shift use in the report.
FIGURES = {"01-quickstart.ipynb": 1, REPORT_NOTEBOOK: 5}


@pytest.fixture
def no_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Ocean account in the environment the kernel inherits: notebooks use the simulator."""
    for name in OCEAN_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_both_notebooks_are_there() -> None:
    assert [p.name for p in PATHS] == ["01-quickstart.ipynb", REPORT_NOTEBOOK]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_with_the_python3_kernel(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert [(c.execution_count, c.outputs) for c in code] == [(None, [])] * len(code)


def test_the_report_has_one_parameters_cell_with_every_parameter() -> None:
    notebook = nbformat.read(NOTEBOOKS / REPORT_NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {
        line.split("=")[0].strip()
        for line in tagged[0].source.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert {
        "start",
        "end",
        "vehicles",
        "plates",
        "shift",
        "tz",
        "api_tz",
        "holidays",
        "fleet",
        "demo",
    } <= assigned


def test_the_report_leaves_the_plot_helpers_styling_alone() -> None:
    notebook = nbformat.read(NOTEBOOKS / REPORT_NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    # The helpers label bars, place legends, format dates and name axes themselves.
    for restyling in ("bar_label", "set_xticks", "set_yticks", "set_ylim", "set_xlim", "plt.show()"):
        assert restyling not in code, restyling
    calls = re.findall(r"oa\.plot_\w+\([^)]*\)", code)
    assert len(calls) == 4
    plotting = [c.source for c in notebook.cells if "oa.plot_" in c.source]
    assert plotting and not [source for source in plotting if "legend(" in source or "set_title(" in source]
    taking = [call for call in calls if not call.startswith("oa.plot_profile(")]  # those with vehicles=
    assert len(taking) == 3 and all("vehicles=usage.vehicles" in call for call in taking)
    # Every figure goes out through figure(fig, alt): a description for each image.
    assert code.count("figure(\n    fig,") + code.count("figure(\n        fig,") == FIGURES[REPORT_NOTEBOOK]


@pytest.mark.parametrize("name", [p.name for p in PATHS])
def test_the_package_ships_the_same_notebooks(name: str) -> None:
    shipped = resources.files("ocean_analytics").joinpath("notebooks", name)
    assert shipped.read_bytes() == (NOTEBOOKS / name).read_bytes()


def test_the_kernel_is_this_interpreter(no_account: None, tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.executable)\nprint(sys.prefix)")]
    )
    execute_notebook(notebook, cwd=tmp_path, timeout=60)
    printed = notebook.cells[0].outputs[0]["text"].split()
    assert printed == [sys.executable, sys.prefix]


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_runs_end_to_end_on_the_simulator(path: Path, no_account: None, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    execute_notebook(notebook, cwd=tmp_path, timeout=120)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) == FIGURES[path.name]
    assert list(tmp_path.iterdir()) == []  # a notebook writes nothing where it runs

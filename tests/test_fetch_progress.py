"""The progress bar of a fetch run in a notebook: shown while requests run, nothing left in the saved
notebook (a widget saved without its state shows its first text, a frozen "0/24").

The notebook runs in a real Jupyter kernel of this interpreter (nbclient), against a simulator the
kernel starts itself; its saved outputs are then read as a reader's Jupyter would show them.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from ocean_analytics.report.render import execute_notebook

pytestmark = pytest.mark.live

CELLS = [
    "import tqdm.auto\nprint(sorted({k.__module__ for k in tqdm.auto.tqdm.__mro__} & {'tqdm.notebook'}))",
    """\
import ocean_analytics as oa
from ocean_analytics.simulator import Simulator

sim = Simulator().start()
account = sim.accounts["single"]
client = oa.OceanClient(sim.base_url, account.login, account.password)
ids = [v.id for v in sim.vehicles(account.customer_ids[0])[:4]]
usage = oa.fetch_usage(client, "2024-10-01", "2024-10-06", ids, max_vehicles_per_request=1,
                       max_days_per_request=1, progress=True)
print(sum(1 for r in sim.requests if r.path.endswith("/duree")), len(usage.vehicle_days))
sim.stop()""",
]


def test_a_notebook_keeps_no_trace_of_the_progress_bar(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    execute_notebook(notebook, cwd=tmp_path, timeout=120)
    kind, fetch = (cell.outputs for cell in notebook.cells)
    assert [o.get("text") for o in kind] == ["['tqdm.notebook']\n"]  # the kernel drew the widget
    printed = [o for o in fetch if o.output_type == "stream"]
    assert [o.name for o in printed] == ["stdout"] and printed[0].text == "24 24\n"  # 4 x 6 requests
    saved = json.dumps([o for o in fetch if o.output_type != "stream"])
    assert "Ocean usage" not in saved and "request" not in saved and "/24" not in saved
    assert "application/vnd.jupyter.widget-view+json" not in saved
    assert all(not o.get("data") for o in fetch if o.output_type == "display_data")

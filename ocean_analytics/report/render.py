"""The rendered report: run a notebook with parameters, then export it as one HTML file.

The report is the notebook ``02-fleet-utilisation-report.ipynb`` shipped inside the
package. Parameters are injected the way papermill does it: a new code cell, tagged
``injected-parameters``, right after the cell tagged ``parameters``, so that the
notebook's own defaults are overridden. The notebook runs on a kernel of *this*
interpreter (whatever other Jupyter kernels are installed), so it sees the same
``ocean_analytics``; the kernel inherits the environment, credentials included.

The HTML holds everything it shows: figures as base64 PNG, styles inline, and no
script or style sheet to fetch, so it opens in any browser with no server and no
network.
"""

from __future__ import annotations

import ast
import os
import tempfile
import uuid
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import nbformat
import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from nbconvert import HTMLExporter

from .. import errors
from ..errors import InvalidArgumentError, OceanError

__all__ = [
    "REPORT_NOTEBOOK",
    "report_notebook",
    "inject_parameters",
    "execute_notebook",
    "notebook_html",
    "render_report",
    "cell_error",
    "output_title",
]

REPORT_NOTEBOOK = "02-fleet-utilisation-report.ipynb"
"""File name of the report notebook, in ``ocean_analytics/notebooks/``."""

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
NATIVE_KERNEL = "python3"
TITLE_KEY = "ocean_report_title"
"""The key of an output's metadata that gives the page its title (see :func:`output_title`)."""

# The JupyterLab look, without the scripts the stock template fetches from CDNs
# (require.js, MathJax, mermaid, widgets): the page must open offline. Each PNG gets the
# alt text of its output's metadata (``{"image/png": {"alt": ...}}``, as nbconvert's
# classic template reads it; the lab template ignores it). The styles keep the page within
# the window (figures scaled down, tables scroll inside themselves rather than widen the
# page, plates in one piece) and, in print, headings and figures with what follows them
# (a figure's caption is the next output), and no figure or table row cut across two pages.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
<style type="text/css">
body { max-width: 100%; overflow-wrap: anywhere; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table { max-width: 100%; }
.jp-OutputArea-output { overflow-x: auto; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { overflow-wrap: normal; }
@media print {
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .jp-MarkdownCell { break-after: avoid; page-break-after: avoid; }
  .jp-OutputArea-child:has(.jp-RenderedImage) { break-after: avoid; page-break-after: avoid; }
  .jp-RenderedImage, img, tr, .jp-RenderedMarkdown p { break-inside: avoid; page-break-inside: avoid; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  .jp-OutputArea-output { overflow-x: visible; }
}
</style>
{%- endblock html_head_css -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alttext = output | get_metadata('alt', 'image/png') %}
{%- if alttext is not none %} alt="{{ alttext | escape_html }}"{% endif %}
{%- set width = output | get_metadata('width', 'image/png') %}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif %}
{%- set height = output | get_metadata('height', 'image/png') %}
{%- if height is not none %} height="{{ height | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
"""
_TEMPLATE_NAME = "ocean_report.html.j2"


def report_notebook() -> nbformat.NotebookNode:
    """The fleet utilisation report notebook shipped with the package, without outputs.

    Returns
    -------
    nbformat.NotebookNode
        A fresh copy (nbformat 4), free to modify.
    """
    source = resources.files("ocean_analytics").joinpath("notebooks", REPORT_NOTEBOOK)
    return nbformat.reads(source.read_text(encoding="utf-8"), as_version=4)


def _literal(name: str, value: Any) -> str:
    """``name = <value>`` as Python source; the value must be a plain literal."""
    if not name.isidentifier():
        raise InvalidArgumentError(f"parameter name {name!r} is not a Python identifier.")
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise InvalidArgumentError(
            f"parameter {name}={text} is not a plain literal: give a str, number, bool, None, "
            "or a list/tuple of them (dates as ISO strings such as '2024-10-01')."
        )
    return f"{name} = {text}"


def inject_parameters(
    notebook: nbformat.NotebookNode, parameters: Mapping[str, Any]
) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with ``parameters`` set in a cell after its ``parameters`` cell.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A notebook with exactly one code cell tagged ``parameters``.
    parameters : mapping of str to literal
        Variable names and values: str, int, float, bool, None, or lists and
        tuples of them.

    Returns
    -------
    nbformat.NotebookNode
        The copy, with a new code cell tagged ``injected-parameters`` (one line
        ``name = value`` per parameter) right after the ``parameters`` cell.

    Raises
    ------
    InvalidArgumentError
        When the notebook has no or several ``parameters`` cells, or a value is
        not a plain literal.
    """
    tagged = [
        i
        for i, cell in enumerate(notebook.cells)
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) != 1:
        raise InvalidArgumentError(
            f"the notebook has {len(tagged)} cells tagged {PARAMETERS_TAG!r}: tag exactly one "
            "code cell (View > Cell metadata in JupyterLab) to hold the defaults."
        )
    lines = ["# Parameters given for this run"] + [_literal(k, v) for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    copy = nbformat.from_dict(notebook)
    copy.cells.insert(tagged[0] + 1, cell)
    return copy


def cell_error(exc: CellExecutionError) -> OceanError:
    """The error a failed cell raised, as the same ``ocean_analytics`` class when it is one."""
    if exc.ename in errors.__all__:
        return getattr(errors, exc.ename)(exc.evalue)
    return OceanError(
        f"the notebook stopped on {exc.ename}: {exc.evalue}. Open it in JupyterLab to see "
        "the cell, or run with --debug for the traceback."
    )


def execute_notebook(
    notebook: nbformat.NotebookNode, *, cwd: str | os.PathLike | None = None, timeout: int = 600
) -> nbformat.NotebookNode:
    """Run every cell of ``notebook`` in place, on a kernel of this Python interpreter.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook; its outputs are replaced by those of this run.
    cwd : str or path-like, optional
        The kernel's working folder; the current one by default.
    timeout : int
        Seconds one cell may run before the run is abandoned.

    Returns
    -------
    nbformat.NotebookNode
        ``notebook``, executed.

    Raises
    ------
    OceanError
        When a cell fails: the same class when the cell raised an ``ocean_analytics``
        error (its message kept), the base class naming the exception otherwise.
        The original ``CellExecutionError``, with the cell and its traceback, is
        chained as ``__cause__``. The base class too when the kernel dies.
    TimeoutError
        When a cell runs longer than ``timeout`` (nbclient's ``CellTimeoutError``).
    """
    # No kernel folder is searched: jupyter_client then falls back on ipykernel's
    # own spec, which launches sys.executable, never a python3 found elsewhere.
    # Its sockets are encrypted (CurveZMQ) when pyzmq can: outputs travel over them.
    manager = KernelManager(
        kernel_name=NATIVE_KERNEL,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[]),
        transport_encryption="auto" if zmq.has("curve") else "disabled",
    )
    path = str(Path(cwd if cwd is not None else os.getcwd()))
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=timeout,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": path}},
    )
    try:
        client.execute(cleanup_kc=True)  # shut the kernel down even though we made its manager
    except CellExecutionError as exc:
        raise cell_error(exc) from exc
    except DeadKernelError as exc:
        raise OceanError(
            f"the kernel running the notebook died ({exc}): it may have run out of "
            "memory; try a shorter period or fewer vehicles."
        ) from exc
    return notebook


def output_title(notebook: nbformat.NotebookNode) -> str | None:
    """The title a cell displayed with the metadata ``{TITLE_KEY: "..."}``, the first one; None when none did.

    The report's cell that writes its heading (fleet and period) sets it, so that the
    page's ``<title>`` says the same as the heading.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            title = output.get("metadata", {}).get(TITLE_KEY)
            if isinstance(title, str) and title:
                return title
    return None


def notebook_html(
    notebook: nbformat.NotebookNode, *, include_input: bool = False, title: str | None = None
) -> str:
    """One self-contained HTML page of an executed notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    include_input : bool
        Show the code cells and their prompts; by default only Markdown cells
        and outputs are shown.
    title : str, optional
        The page title; by default the one a cell displayed (see :func:`output_title`),
        else the notebook's ``metadata.title``.

    Returns
    -------
    str
        The page: figures as ``data:image/png;base64`` images, CSS inline, no
        script or style sheet loaded from elsewhere.
    """
    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _OFFLINE_TEMPLATE})],
        embed_images=True,
        exclude_input=not include_input,
        exclude_input_prompt=not include_input,
        exclude_output_prompt=not include_input,
    )
    name = title or output_title(notebook) or notebook.metadata.get("title") or "Report"
    page = nbformat.from_dict(notebook)  # a copy: the template reads the title from its metadata
    page.metadata["title"] = name
    body, _ = exporter.from_notebook_node(page, resources={"metadata": {"name": name}})
    return body


def _checked_output(output: str | os.PathLike) -> Path:
    """``output`` as a path whose folder exists and can be written to."""
    path = Path(output).expanduser()
    folder = path.parent.resolve()
    if path.is_dir():
        raise InvalidArgumentError(
            f"output {str(path)!r} is a folder: give a file name such as {str(path / 'report.html')!r}."
        )
    if not folder.is_dir():
        raise InvalidArgumentError(
            f"cannot write {str(path)!r}: the folder {str(folder)!r} does "
            "not exist. Create it first or choose another output path."
        )
    if not os.access(folder, os.W_OK):
        raise InvalidArgumentError(
            f"cannot write {str(path)!r}: the folder {str(folder)!r} is "
            "not writable. Choose another output path."
        )
    return path


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a new file beside ``path`` (usual permissions), then rename it into place."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def render_report(
    output: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    *,
    include_input: bool = False,
    timeout: int = 600,
) -> Path:
    """Execute the fleet utilisation report with ``parameters`` and write it as one HTML file.

    Parameters
    ----------
    output : str or path-like
        The HTML file to write (replaced if it exists; written in one rename, so a
        failed run leaves any earlier report untouched).
    parameters : mapping, optional
        Values for the notebook's ``parameters`` cell: ``start``, ``end`` (ISO
        days, inclusive, on the API's clock), ``vehicles`` (list of int),
        ``plates`` (list of str), ``shift`` (``("07:00", "19:00")``), ``tz`` (IANA
        name of the fleet's clock: shifts, weekdays), ``api_tz`` (the clock the
        API cuts days on; None: ``OCEAN_API_TZ`` when set, else ``tz``, so that the
        whole report reads one clock), ``holidays`` (``"FR"``, ``("FR", "57")``, a
        list of days or None: one calendar for every section), ``fleet`` (the name
        in the titles), ``demo`` (True: the embedded simulator; False: the account in
        ``OCEAN_LOGIN``/``OCEAN_PASSWORD``; None: the account when there is one),
        ``cache`` (True, False or a folder; None: on for an account, off on the
        simulator) and ``refresh`` (bool), as in :func:`ocean_analytics.fetch_usage`.
        The trends follow the period: per day up to 14 days, per week up to 120,
        per month beyond.
        Omitted ones keep the notebook's defaults (last full month, whole fleet).
    include_input : bool
        Show the code as well.
    timeout : int
        Seconds one cell may run.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InvalidArgumentError
        Before any work, when the output's folder does not exist or cannot be
        written, or a parameter is not a plain literal.
    OceanError
        The error a cell of the report raised (no credentials, a wrong password,
        an unknown plate, a period in the future...).
    """
    path = _checked_output(output)
    notebook = inject_parameters(report_notebook(), parameters or {})
    with tempfile.TemporaryDirectory(prefix="ocean-report-") as scratch:
        execute_notebook(notebook, cwd=scratch, timeout=timeout)
    _write_atomically(path, notebook_html(notebook, include_input=include_input))
    return path

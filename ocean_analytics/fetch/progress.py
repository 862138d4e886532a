"""The fetch's progress bar: text in a terminal, a widget in a notebook that leaves nothing behind.

``tqdm.auto`` draws an ipywidget in a Jupyter kernel. A saved notebook keeps no
widget state, so such a bar shows there as its first text, frozen ("0/24"),
whatever it reached. In a kernel the bar is therefore displayed under a display
id and that display is emptied when the bar closes (done, failed or
interrupted): the live notebook shows the bar while requests run, and the saved
one holds no trace of it. In a terminal the finished bar stays, as tqdm leaves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tqdm.auto import tqdm

__all__ = ["progress_bar"]

_WIDGET = any(kind.__module__ == "tqdm.notebook" for kind in tqdm.__mro__)
"""True when ``tqdm.auto`` chose the notebook widget (this process is a Jupyter kernel)."""


@contextmanager
def progress_bar(total: int, *, show: bool) -> Iterator[tqdm]:
    """A bar counting ``total`` requests ("Ocean usage"); a bar that draws nothing when not ``show``.

    Parameters
    ----------
    total : int
        Requests planned (a split adds to ``bar.total``).
    show : bool
        Draw it.
    """
    widget = _WIDGET and show
    options = {"display": False, "leave": False} if widget else {}
    bar = tqdm(total=total, disable=not show, unit="request", desc="Ocean usage", **options)
    handle = _display(bar) if widget else None
    try:
        yield bar
    finally:
        bar.close()
        if handle is not None:
            handle.update({}, raw=True)


def _display(bar: tqdm):
    """Show the widget of ``bar`` under a new display id; the handle that can empty it."""
    from IPython.display import display

    return display(bar.container, display_id=True)

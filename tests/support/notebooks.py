"""The notebook runner: execute notebooks (or lists of cells) in a fresh kernel with nbclient.

Course notebooks start with one code cell tagged ``parameters`` (papermill's convention), e.g.
``EPOCHS = None  # the classroom default``. :func:`with_parameters` inserts a cell tagged
``injected-parameters`` right after it that overrides some of them and says so in its output,
so a test can shorten a notebook without the notebook knowing anything about tests.

Example::

    from tests.support.notebooks import outputs_text, run_notebook

    nb = run_notebook(["x = 6 * 7", "print(x)"])
    assert outputs_text(nb, 1).strip() == "42"
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.support.kernel import KERNEL_NAME, CellError, kernel_env, output_text, strip_ansi

__all__ = [
    "INJECTED_NOTE",
    "load_notebook",
    "make_notebook",
    "outputs_text",
    "parameters_cell",
    "run_notebook",
    "with_parameters",
]

INJECTED_NOTE = "parameters set by the tests:"


def load_notebook(path: str | os.PathLike[str]) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def parameters_cell(nb: nbformat.NotebookNode) -> int | None:
    """Index of the cell tagged ``parameters`` (None when the notebook has none)."""
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def with_parameters(nb: nbformat.NotebookNode, **params: Any) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose ``parameters`` cell is followed by one that sets ``params``."""
    index = parameters_cell(nb)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    nb = nbformat.from_dict(nb)
    lines = [f"{name} = {value!r}" for name, value in params.items()]
    note = ", ".join(lines)
    source = "\n".join([*lines, f"print({INJECTED_NOTE + ' ' + note!r})"])
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return nb


def make_notebook(cells: list[str]) -> nbformat.NotebookNode:
    """A v4 notebook with one code cell per string and the python3 kernelspec."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def run_notebook(
    cells: list[str] | nbformat.NotebookNode,
    timeout: float = 120,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """Execute ``cells`` (code strings, or a whole notebook) in a fresh kernel and return the
    executed notebook.

    ``timeout`` is per cell, in seconds. On the first error raises :class:`CellError` with the
    cell's index, source and traceback; later cells do not run. ``env`` adds variables.
    """
    nb = cells if isinstance(cells, nbformat.NotebookNode) else make_notebook(cells)
    with tempfile.TemporaryDirectory(prefix="w2v-nb-") as tmp:
        path = str(cwd) if cwd is not None else tmp
        client = NotebookClient(
            nb,
            timeout=int(timeout),
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": path}},
        )
        try:
            client.execute(env=kernel_env(env), cwd=path)
        except CellExecutionError as exc:
            index = _first_error_cell(nb)
            source = nb.cells[index].source if index is not None else ""
            raise CellError(source, exc.ename, exc.evalue, strip_ansi(exc.traceback), index) from None
    return nb


def _first_error_cell(nb: nbformat.NotebookNode) -> int | None:
    for i, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


def outputs_text(nb: nbformat.NotebookNode, cell: int | None = None) -> str:
    """Text of a cell's outputs (all cells if ``cell`` is None): streams, text/plain, errors."""
    cells = nb.cells if cell is None else [nb.cells[cell]]
    parts: list[str] = []
    for c in cells:
        for out in c.get("outputs", []):
            parts.append(output_text(out))
    return "".join(parts)

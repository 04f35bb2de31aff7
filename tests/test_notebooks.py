"""The course notebooks (notebooks/*.ipynb) run top to bottom in a real kernel.

Each runs with nbclient in the notebooks folder; ``W2V_NOTEBOOK_EPOCHS=1`` shrinks training (the
notebooks print that they were shortened). The executed copies, with their widget state, are
written to test-artifacts/notebooks/ for the browser test (tests/browser/test_notebooks_lab.py).
"""

from __future__ import annotations

import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.kernel_utils import REPO_ROOT, kernel_env, outputs_text

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
EXECUTED = REPO_ROOT / "test-artifacts" / "notebooks"
TEST_ENV = {"W2V_NOTEBOOK_EPOCHS": "1"}

# what each notebook must print (a check that its main steps really ran)
EXPECTED = {
    "01-text-to-pairs": ["pairs per centre word", "largest gap between observed and expected share"],
    "02-full-softmax": ["ms per batch", "ratio at V = 70,000"],
    "03-negative-sampling": ["[0.9352 1.8462]", "0.9352 1.8462", "W2V_NOTEBOOK_EPOCHS=1 shrinks"],
    "04-exploring-embeddings": ["W2V_NOTEBOOK_EPOCHS=1 shrinks", "evaluation files:"],
    "05-d2l-ptb": ["USING: ", "batch_size = ", "W2V_NOTEBOOK_EPOCHS=1 shrinks"],
}


def execute(path, env: dict[str, str] | None = None, timeout: int = 300) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute(env=kernel_env({**TEST_ENV, **(env or {})}), cwd=str(path.parent))
    return nb


def test_every_notebook_is_stored_without_outputs():
    assert len(NOTEBOOKS) == 5
    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: strip outputs"
        assert "widgets" not in nb.metadata, f"{path.name}: strip widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path):
    t0 = time.perf_counter()
    try:
        nb = execute(path)
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}", pytrace=False)
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.0f} s")
    text = outputs_text(nb)
    for expected in EXPECTED[path.stem]:
        assert expected in text, f"{path.name}: {expected!r} not in the outputs"
    views = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    if path.stem in ("01-text-to-pairs", "03-negative-sampling", "04-exploring-embeddings"):
        assert views, f"{path.name}: no widget displayed"
        assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {})
    EXECUTED.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(EXECUTED / path.name))


def test_evaluation_is_skipped_gracefully_without_files(tmp_path):
    path = REPO_ROOT / "notebooks" / "05-d2l-ptb.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    # only the evaluation lookup and the evaluation cell, in a folder with no shared/eval
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and ("find_eval_dir" in c.source or "eval_dir" in c.source)
    ]
    nb.cells = [nbformat.v4.new_code_cell("import os\nDATA = 'none'"), *cells]
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    env = kernel_env({"W2V_WIDGETS_EVAL_DIR": ""})
    client.execute(env=env, cwd=str(tmp_path))
    text = outputs_text(nb)
    assert "none found" in text and "skipped" in text

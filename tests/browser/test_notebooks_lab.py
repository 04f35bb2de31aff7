"""The executed course notebooks open in JupyterLab with their widgets drawn.

Needs the executed copies that tests/test_notebooks.py writes to test-artifacts/notebooks/ (run
that first); the widgets are drawn from the saved widget state. Screenshots:
test-artifacts/notebook-NAME.png.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser.lab import screenshot
from tests.test_notebooks import EXECUTED, NOTEBOOKS

pytestmark = pytest.mark.browser

# widget classes each notebook must show
WIDGETS = {
    "01-text-to-pairs": [".w2v-pairs-viewer .w2v-pv-table"],
    "03-negative-sampling": [".w2v-training-dashboard", ".w2v-neighbor-table"],
    "04-exploring-embeddings": ["canvas"],
}


@pytest.mark.xfail(
    reason="OPEN: JupyterLab does not redraw widgets from the saved widget state here; the notebook "
    "opens and its text/SVG outputs render, the widget views do not (next: run the cells in Lab)",
    strict=False,
)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_executed_notebook_renders(lab, page, console, path):
    executed = EXECUTED / path.name
    if not executed.is_file():
        pytest.skip(f"run tests/test_notebooks.py first: {executed} is missing")
    shutil.copy(executed, lab.root_dir / path.name)
    lab.open_notebook(page, path.stem)
    page.locator(".jp-OutputArea-output").first.wait_for()
    for selector in WIDGETS.get(path.stem, []):
        page.locator(f".jp-OutputArea {selector}").first.wait_for(state="attached", timeout=30_000)
    page.locator(".jp-OutputArea svg, .jp-OutputArea img").first.wait_for(state="attached")
    text = page.locator(".jp-Notebook").inner_text()
    assert "Error displaying widget" not in text and "Traceback" not in text
    screenshot(page, f"notebook-{path.stem}")
    errors = [m for m in console if m.startswith("pageerror")]
    assert not errors, errors

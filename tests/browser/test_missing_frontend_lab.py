"""A JupyterLab server without the widget front-end: each widget's line says what to install where.

The classic JupyterHub mistake: ipywidgets and anywidget installed in the kernel's environment
only, so the server has neither labextension and JupyterLab shows each widget's text/plain. The
server here has both disabled (its own page_config.json, as ``jupyter labextension disable``
writes). Screenshot: test-artifacts/missing-frontend.png.
"""

from __future__ import annotations

import pytest

from tests.support.lab import JupyterLab, screenshot
from w2v_widgets.widgets.plain_text import HINT

pytestmark = pytest.mark.browser

CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.vectors import demo_vectors
w2v.TrainingStatus()""",
    "w2v.EmbeddingExplorer(demo_vectors(200, seed=0), n_words=50, projection='pca')",
]


@pytest.fixture(scope="module")
def lab_without_widgets(tmp_path_factory):
    disabled = ("@jupyter-widgets/jupyterlab-manager", "anywidget")
    with JupyterLab(tmp_path_factory.mktemp("no-widgets"), disabled_extensions=disabled) as server:
        yield server


def test_a_widget_without_front_end_says_what_to_install_where(lab_without_widgets, page):
    lab = lab_without_widgets
    lab.write_notebook("no-frontend", CELLS)
    lab.open_notebook(page, "no-frontend")
    lab.run_all(page, timeout=120)
    outputs = page.locator(".jp-Cell .jp-OutputArea-output")
    outputs.nth(1).wait_for(state="visible")
    # the widgets' lines (the explorer's static page copy, issue 25, is an output of its own)
    texts = [t for t in (outputs.nth(i).inner_text() for i in range(outputs.count())) if t.strip()]
    assert len(texts) == 2, texts
    assert texts[0].startswith("TrainingStatus: idle") and texts[1].startswith("EmbeddingExplorer: words 50")
    for text in texts:
        assert text.strip().endswith(HINT) and "\n" not in text.strip(), text
        assert "pip install anywidget ipywidgets in the server's environment, restart the server" in text
    assert page.locator(".jupyter-widgets").count() == 0  # no widget view: the manager is missing
    screenshot(page.locator(".jp-Notebook"), "missing-frontend")

"""The package's charts draw with no network in JupyterLab, Notebook 7, Voila and nbconvert.

One notebook trains a tiny model, shows ``model.history.plot()`` (an SVG made in the kernel)
and a ``LossChart`` widget (altair's JupyterChart with vega bundled). Every request that is
not to 127.0.0.1 is aborted and recorded: none may be made, and both charts must be drawn.
nbconvert's HTML of the executed notebook must draw the history chart with the network blocked
(its widget manager itself comes from a CDN, so widgets are not checked there).
Screenshots go to test-artifacts/ (offline-charts-*.png).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.support.lab import screenshot

pytestmark = pytest.mark.browser

NOTEBOOK = "offline_charts"
CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
model = w2v.Word2Vec(vector_size=20, min_count=2, sample=0, epochs=3, batch_size=1024,
                     log_every=1).fit(make_corpus())""",
    "model.history.plot(title='offline history')",
    "w2v.LossChart(model)",
]
# the loss lines of the LossChart (vega's SVG renderer), with at least 2 vertices
LIVE_LINES = """() => Array.from(document.querySelectorAll('.w2v-loss-chart .mark-line path'))
    .filter(p => ((p.getAttribute('d') || '').match(/L/g) || []).length >= 1).length"""
# the history chart: an SVG from the kernel, shown as an image (Jupyter front-ends) or inline
# (nbconvert), drawn by the browser at its real size
HISTORY_IMAGE = """() => Array.from(document.querySelectorAll('img'))
    .filter(i => i.src.startsWith('data:image/svg+xml') && i.complete && i.naturalWidth > 200)
    .length + Array.from(document.querySelectorAll('svg.marks'))
    .filter(s => s.getBoundingClientRect().width > 200 && s.querySelector('.mark-line path')).length"""
# the front-ends' own page assets from CDNs (Voila's Font Awesome and MathJax, nbconvert's
# require.js and MathJax): blocked like everything else, but not requests of our charts
FRONTEND_ASSETS = re.compile(r"fontawesome|mathjax|require(\.min)?\.js", re.I)
# a failure of our charts (not the front-ends' own noise, e.g. Notebook 7's settings warnings)
CHART_ERROR = re.compile(r"Error loading script|vega|altair|anywidget|w2v", re.I)


def block_network(page) -> list[str]:
    """Abort every request that would leave the machine; return the list they are added to."""
    left: list[str] = []

    def route(r) -> None:
        local = urlparse(r.request.url).hostname in ("127.0.0.1", "localhost")
        if local or r.request.url.startswith(("data:", "blob:", "file:")):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return left


def _check_drawn(page, console: list[str], left: list[str], name: str, live: bool = True) -> None:
    page.wait_for_function(HISTORY_IMAGE, timeout=180_000)
    if live:
        page.wait_for_function(LIVE_LINES, timeout=60_000)
    screenshot(page, f"offline-charts-{name}")
    ours = [u for u in left if not FRONTEND_ASSETS.search(u)]
    assert ours == [], f"requests left the machine: {ours}"
    errors = [m for m in console if m.startswith(("error", "pageerror")) and CHART_ERROR.search(m)]
    assert errors == [], errors


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_charts_draw_offline_in_lab_and_notebook7(lab, page, console, ui):
    left = block_network(page)
    lab.write_notebook(f"{NOTEBOOK}_{ui}", CELLS)
    lab.open_notebook(page, f"{NOTEBOOK}_{ui}", ui=ui)
    lab.run_all(page, timeout=180)
    _check_drawn(page, console, left, ui)


def test_charts_draw_offline_in_voila(lab, page, console):
    left = block_network(page)
    lab.write_notebook(f"{NOTEBOOK}_voila", CELLS)
    # Voila streams the page while it runs the cells: wait for the first bytes only
    page.goto(lab.voila_url(f"{NOTEBOOK}_voila"), wait_until="commit", timeout=180_000)
    _check_drawn(page, console, left, "voila")


def test_history_chart_draws_offline_in_nbconvert_html(page, console, tmp_path):
    from nbconvert import HTMLExporter

    from tests.support.notebooks import run_notebook

    html, _ = HTMLExporter().from_notebook_node(run_notebook(CELLS[:2], timeout=180))
    assert "vega@" not in html and "cdn.jsdelivr.net/npm/vega" not in html
    path = tmp_path / "offline_charts.html"
    path.write_text(html, encoding="utf8")
    left = block_network(page)
    page.goto(path.as_uri(), wait_until="load")
    _check_drawn(page, console, left, "nbconvert", live=False)

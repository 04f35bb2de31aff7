"""The course notebooks run in JupyterLab, top to bottom, with every widget and chart drawn.

Each notebook (as stored, without outputs) is copied into the server's root, opened, and its
cells are run live in JupyterLab (saved widget state is not redrawn, so nothing is taken from
tests/notebooks/test_notebooks.py). The copy gets ``EPOCHS = 1`` injected after its parameters
cell (training is shortened; the injected cell says so); the evaluation sets come with the
package. Then it waits for each widget (pairs viewer, dashboard with its loss chart, neighbour
tables, the explorer's canvas in its t-SNE layout) and each static altair SVG chart, and
screenshots them: test-artifacts/notebook-NAME-PART.png (the element) and
notebook-NAME-PART-1366.png (the window).

The window is a laptop's width, 1366, with the file browser open (1800 tall while the notebook
runs and its parts are waited for, then 768 for the window screenshots and the check): no widget
may clip its content and no two text boxes of our SVGs (widgets and altair charts) may overlap
(tests/support/layout.py).
"""

from __future__ import annotations

import time

import nbformat
import pytest

from tests.notebooks.test_notebooks import NOTEBOOKS
from tests.support.kernel import REPO_ROOT
from tests.support.lab import screenshot
from tests.support.layout import layout_problems, open_file_browser
from tests.support.notebooks import INJECTED_NOTE, load_notebook, parameters_cell, with_parameters

pytestmark = pytest.mark.browser

REPO_NOTEBOOKS = REPO_ROOT / "notebooks"
EPOCHS = 1  # enough to draw every widget; the full runs are in tests/notebooks/test_notebooks.py

OUT = ".jp-OutputArea-output"
SVG = ".jp-OutputArea-output.jp-RenderedSVG"  # JupyterLab shows it as an <img>
EXPLORER = ".w2v-explorer:not(.w2v-compare)"  # an EmbeddingExplorer, not a CompareExplorer
# what each notebook must draw, in notebook order: (screenshot part, selector, which match)
PARTS: dict[str, list[tuple[str, str, int]]] = {
    "01-text-to-pairs": [
        ("discard-chart", SVG, 0),
        ("window-chart", SVG, 1),
        ("pairs-viewer", f"{OUT} .w2v-pairs-viewer:has(.w2v-pv-table)", 0),
    ],
    "02-full-softmax": [("timing-chart", SVG, 0)],
    "03-negative-sampling": [
        ("dashboard", f"{OUT} .w2v-training-dashboard:has(.w2v-loss-chart .vega-embed svg)", 0),
        ("loss-history", SVG, 0),
        ("neighbour-table", f"{OUT} .w2v-neighbour-table:has(table.w2v-nt)", -1),  # not the dashboard's
    ],
    "04-exploring-embeddings": [
        ("explorer", f"{OUT} .w2v-explorer[data-first-render-ms]:has(canvas)", 0),
        ("tsne-chart", SVG, 0),
    ],
    "05-d2l-ptb": [("loss-history", SVG, 0)],
    "06-inside-one-update": [("update-stepper", f"{OUT} .w2v-update-stepper:has(.w2v-us-plane-svg)", 0)],
    "07-what-negative-sampling-learns": [("pmi-view", f"{OUT} .w2v-pmi-view:has(.w2v-pmi-dots)", 0)],
    "08-runs-differ-analogies-fragile": [
        ("stability-chart", SVG, 0),
        ("analogy-lab", f"{OUT} .w2v-analogy-lab:has(.w2v-al-answers)", 0),
        ("tsne-maps", SVG, 1),
    ],
    "09-what-the-map-shows": [  # explorers in order: following, (compare), analogy, distortion
        ("follow-map", f"{OUT} {EXPLORER}[data-first-render-ms]:has(canvas)", 0),
        ("compare", f"{OUT} .w2v-compare[data-first-render-ms]:has(canvas)", 0),
        ("analogy", f"{OUT} {EXPLORER}:has(.w2v-analogy-list li)", 0),
        ("distortion", f"{OUT} {EXPLORER}[data-first-render-ms]:has(canvas)", 2),
    ],
    # no widget or chart: its printed outputs are checked by tests/notebooks/test_notebooks.py
    "10-your-own-language": [],
}
# the notebooks that draw something (a KeyError here: a new notebook needs its entry in PARTS)
DRAWING = [p for p in NOTEBOOKS if PARTS[p.stem]]


def _drawn_svg(locator) -> bool:
    """An SVG output really drawn: its image decoded, with a plausible size."""
    return locator.evaluate(
        """el => {
            const g = el.querySelector('img, svg');
            if (!g) return false;
            const r = g.getBoundingClientRect();
            const decoded = g.tagName !== 'IMG' || (g.complete && g.naturalWidth > 100);
            return decoded && r.width > 100 && r.height > 50;
        }"""
    )


@pytest.mark.parametrize("path", DRAWING, ids=[p.stem for p in DRAWING])
def test_notebook_runs_in_lab(lab, page, console, path):
    page.set_viewport_size({"width": 1366, "height": 1800})  # a laptop's width; tall while it runs
    nb = load_notebook(path)
    if parameters_cell(nb) is not None:
        nb = with_parameters(nb, EPOCHS=EPOCHS)
    nbformat.write(nb, str(lab.root_dir / path.name))
    lab.open_notebook(page, path.stem)
    open_file_browser(page)  # as a student has it: the notebook gets what is left
    t0 = time.monotonic()
    lab.run_all(page, timeout=420)
    print(f"{path.name}: run in JupyterLab in {time.monotonic() - t0:.0f} s")

    if path.stem == "03-negative-sampling":
        # the dashboard followed the blocking fit of the next cell to the end
        page.wait_for_function(
            "() => (document.querySelector('.w2v-training-dashboard .w2v-status-line')"
            "?.innerText || '').startsWith('finished')",
            timeout=30_000,
        )
        table = page.locator(".w2v-training-dashboard .w2v-neighbour-table").first.inner_text()
        assert "january" in table and "no vectors yet" not in table, table
    if path.stem == "04-exploring-embeddings":
        # the explorer swapped its PCA map for the t-SNE one (the notebook waited for it)
        page.wait_for_function(
            "() => { const el = document.querySelector('.w2v-explorer');"
            " return el.querySelector('.w2v-status').textContent.includes('t-SNE')"
            " && el.querySelector('.w2v-progress').hidden; }",
            timeout=60_000,
        )

    for part, selector, nth in PARTS[path.stem]:
        target = page.locator(selector).nth(nth)
        target.wait_for(state="visible", timeout=120_000)  # slow under load
        target.scroll_into_view_if_needed()
        if selector == SVG:
            assert _drawn_svg(target), f"{path.stem}: {part} is empty"
        screenshot(target, f"notebook-{path.stem}-{part}")
    page.set_viewport_size({"width": 1366, "height": 768})  # a laptop's screen
    page.wait_for_timeout(500)
    for part, selector, nth in PARTS[path.stem]:
        page.locator(selector).nth(nth).scroll_into_view_if_needed()
        screenshot(page, f"notebook-{path.stem}-{part}-1366")

    problems = layout_problems(page)
    assert not problems, f"{path.stem} at 1366x768 with the file browser open:\n" + "\n".join(problems)
    text = page.locator(".jp-Notebook").inner_text()
    assert "Error displaying widget" not in text and "Traceback" not in text
    if path.stem in ("03-negative-sampling", "04-exploring-embeddings", "05-d2l-ptb"):
        assert f"{INJECTED_NOTE} EPOCHS = {EPOCHS}" in text
    errors = [m for m in console if m.startswith("pageerror")]
    assert not errors, errors


def test_widest_notebook_fits_notebook7_at_1280(lab, page):
    """Notebook 8 (the analogy lab's tables, three t-SNE maps side by side) in Jupyter Notebook 7
    at 1280x800: nothing clipped, no text piled."""
    stem = "08-runs-differ-analogies-fragile"
    page.set_viewport_size({"width": 1280, "height": 800})
    nb = with_parameters(load_notebook(REPO_NOTEBOOKS / f"{stem}.ipynb"), EPOCHS=EPOCHS)
    nbformat.write(nb, str(lab.root_dir / f"{stem}-nb7.ipynb"))
    lab.open_notebook(page, f"{stem}-nb7", ui="notebook")
    lab.run_all(page, timeout=420)
    for part, selector, nth in PARTS[stem]:
        target = page.locator(selector).nth(nth)
        target.wait_for(state="visible", timeout=120_000)  # slow under load
        target.scroll_into_view_if_needed()
        screenshot(page, f"notebook7-{stem}-{part}-1280")
    problems = layout_problems(page)
    assert not problems, "Notebook 7 at 1280x800:\n" + "\n".join(problems)

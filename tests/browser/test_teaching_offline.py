"""The teaching widgets show their pictures once, with no network: drawn by the widget in
JupyterLab, as their static snapshot in nbconvert's HTML and in a reopened, untrusted notebook.

One notebook holds the four teaching widgets (UpdateStepper, AnalogyLab, PairsViewer,
PMIView); each is displayed with a snapshot of its picture after it (widgets/teaching/snapshot.py)
that the widget hides wherever it draws. nbconvert's HTML loads its widget manager from a CDN:
offline only the snapshots can show, and each must, once, with its images drawn by the browser
(an SVG image that is not valid XML would show broken). Every request that leaves the machine
is aborted and recorded. Screenshots in test-artifacts/ (offline-teaching-*.png).
"""

from __future__ import annotations

import pytest

from tests.support.lab import screenshot
from tests.support.offline import (
    assert_no_request_left,
    block_network,
    open_nbconvert_html,
    open_offline,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "offline_teaching"
CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.vectors import demo_vectors
corpus = make_corpus(800)
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=3, alpha=0.05,
                     device="cpu").fit(corpus)""",
    "stepper = w2v.UpdateStepper(model, centre='cat', context=EVIL, k=3, lr=0.5)\nstepper",
    "stepper.step()",
    "lab = w2v.AnalogyLab(demo_vectors(300, seed=0))\nlab",
    "lab.ask('man', 'king', 'woman', 'queen');",
    "viewer = w2v.PairsViewer(corpus, min_count=1, sample=1, window=2)\nviewer",
    "w2v.PMIView(model, corpus, word='cat')",
]
WIDGETS = [".w2v-update-stepper", ".w2v-analogy-lab", ".w2v-pairs-viewer", ".w2v-pmi-view"]
IMAGES = [2, 1, 0, 3]  # the SVG pictures of each: plane and bars; offsets; none; two bars and scatter
# per snapshot, in page order: visible, its images drawn by the browser (loaded, with a size),
# its images in all, and whether its output row takes room
SNAPSHOTS = """() => Array.from(document.querySelectorAll('.w2v-snapshot')).map(s => {
    const seen = e => !!e && e.getBoundingClientRect().height > 0;
    const images = Array.from(s.querySelectorAll('img'));
    return [seen(s), images.filter(i => i.complete && i.naturalWidth > 0 && seen(i)).length,
            images.length, seen(s.closest('.jp-OutputArea-child'))]; })"""
# per teaching widget, how many are drawn in the page (with a size)
DRAWN = """(selectors) => selectors.map(sel => Array.from(document.querySelectorAll(sel))
    .filter(e => e.getBoundingClientRect().height > 0).length)"""


@pytest.fixture(scope="module")
def executed():
    """The notebook executed by nbclient (as ``jupyter nbconvert --execute`` does)."""
    from tests.support.notebooks import run_notebook

    return run_notebook(CELLS, timeout=180)


def test_teaching_widgets_show_their_snapshots_in_nbconvert_html_offline(page, tmp_path, executed):
    left = open_nbconvert_html(page, executed, tmp_path / f"{NOTEBOOK}.html")
    page.wait_for_function(f"() => ({SNAPSHOTS})().filter(s => s[1] === s[2]).length === 4", timeout=30_000)
    shown = page.evaluate(SNAPSHOTS)
    print("nbconvert: snapshots (visible, drawn images, images, row) =", shown)
    assert shown == [[True, n, n, True] for n in IMAGES]
    assert page.evaluate(DRAWN, WIDGETS) == [0, 0, 0, 0]  # no widget drew: each shown once
    # the stepper's last state (the step run after its display) and the analogy's answer
    assert "1 step(s) taken" in page.locator(".w2v-snapshot").nth(0).inner_text()
    assert "queen" in page.locator(".w2v-snapshot").nth(1).inner_text()
    assert page.evaluate("() => !!document.querySelector('img[src=x]')") is False  # EVIL stayed text
    screenshot(page, "offline-teaching-nbconvert")
    screenshot(page.locator(".w2v-snapshot").nth(0), "offline-teaching-nbconvert-stepper")
    assert_no_request_left(left)


def test_teaching_widgets_draw_once_in_lab_offline(lab, page, console):
    left = open_offline(lab, page, NOTEBOOK, CELLS)
    page.wait_for_function(f"() => ({DRAWN})({WIDGETS!r}).every(n => n === 1)", timeout=60_000)
    page.wait_for_function(f"() => ({SNAPSHOTS})().length === 4", timeout=30_000)
    page.wait_for_timeout(1000)  # a late snapshot update would show
    # drawing the stepper left its learning rate as given (a log slider snapped 0.5 to 0.562)
    assert lab.kernel_execute(page, "print(repr(stepper.lr))", timeout=30).strip() == "0.5"
    shown = page.evaluate(SNAPSHOTS)
    assert [s[0] for s in shown] == [False] * 4 and [s[3] for s in shown] == [False] * 4, shown
    # a change from the page: the widget redraws, its (hidden) snapshot follows, nothing shows twice
    page.locator(".w2v-us-step button, button.w2v-us-step").first.click()
    page.wait_for_function(
        "() => document.querySelector('.w2v-us-message').innerText.includes('2 step(s)')", timeout=30_000
    )
    # two more clicks at once: the second refresh waits for the interval, then a timer sends it
    # (no cell runs to flush it): the hidden snapshot still ends on the last step
    page.evaluate("() => { const b = document.querySelector('.w2v-us-step'); b.click(); b.click(); }")
    page.wait_for_function(
        "() => document.querySelector('.w2v-snapshot').textContent.includes('4 step(s)')", timeout=30_000
    )
    out = lab.kernel_execute(page, "print(stepper.offline.renders, stepper.steps)", timeout=30)
    page.wait_for_timeout(1000)
    assert page.evaluate(DRAWN, WIDGETS) == [1, 1, 1, 1]
    assert not any(s[0] for s in page.evaluate(SNAPSHOTS))
    print("lab: stepper snapshot renders, steps =", out.strip())
    screenshot(page, "offline-teaching-lab")
    assert_no_request_left(left)


@pytest.mark.parametrize("ui", ["notebook", "voila"])
def test_teaching_widgets_draw_once_in_notebook7_and_voila(lab, page, ui):
    left = open_offline(lab, page, f"{NOTEBOOK}_{ui}", CELLS, ui=ui)
    page.wait_for_function(f"() => ({DRAWN})({WIDGETS!r}).every(n => n === 1)", timeout=180_000)
    page.wait_for_function(f"() => ({SNAPSHOTS})().length === 4", timeout=30_000)
    page.wait_for_timeout(1000)
    assert not any(s[0] for s in page.evaluate(SNAPSHOTS)), page.evaluate(SNAPSHOTS)
    screenshot(page, f"offline-teaching-{ui}")
    assert_no_request_left(left)


def test_executed_notebook_reopened_in_lab_shows_each_teaching_widget_once(lab, page, executed):
    """Opened in JupyterLab with no cell run (untrusted: its HTML is sanitized): each teaching
    widget shows once, as the widget restored from its saved state or as its snapshot."""
    import nbformat

    left = block_network(page)
    nbformat.write(executed, str(lab.root_dir / f"{NOTEBOOK}_reopened.ipynb"))
    lab.open_notebook(page, f"{NOTEBOOK}_reopened")
    shown_js = f"({SNAPSHOTS})().filter(s => s[0]).length + ({DRAWN})({WIDGETS!r}).reduce((a, b) => a + b)"
    page.wait_for_function(f"() => {shown_js} >= 4", timeout=60_000)
    page.wait_for_timeout(2000)  # a widget restored late would show a picture twice
    shown, drawn = page.evaluate(SNAPSHOTS), page.evaluate(DRAWN, WIDGETS)
    print("reopened: snapshots =", shown, "widgets drawn =", drawn)
    # a widget not restored leaves its text/plain: one short line, not ipywidgets' trait dump
    assert "children=" not in page.locator(".jp-Notebook").inner_text()
    screenshot(page, "offline-teaching-lab-reopened")
    assert len(shown) == 4
    for (visible, loaded, images, _), widgets, expected in zip(shown, drawn, IMAGES, strict=True):
        assert visible + widgets == 1, (shown, drawn)
        assert not visible or loaded == images == expected, shown  # the sanitizer kept the images
    assert_no_request_left(left)

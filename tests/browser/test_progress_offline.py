"""The ProgressBar callback's bar shows once, with no network: tqdm's widget in JupyterLab, its
final line as text in nbconvert's HTML (where the widget manager from a CDN never loads).

The callback shows tqdm's notebook bar in a box holding a hidden style, then a text snapshot of
the bar's line (widgets/live/progress.py), refreshed when training ends and hidden wherever the
bar draws. Screenshots in test-artifacts/ (offline-progress-*.png).
"""

from __future__ import annotations

import pytest

from tests.support.lab import screenshot
from tests.support.offline import assert_no_request_left, open_nbconvert_html, open_offline

pytestmark = pytest.mark.browser

NOTEBOOK = "offline_progress"
CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
corpus = make_corpus(800)
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=2, device="cpu")
model.fit(corpus, callbacks=[w2v.callbacks.ProgressBar()]);""",
]
# per snapshot: its text, whether it takes room, whether its output row does
SNAPSHOTS = """() => Array.from(document.querySelectorAll('.w2v-snapshot')).map(s => {
    const seen = e => !!e && e.getBoundingClientRect().height > 0;
    return [s.textContent, seen(s), seen(s.closest('.jp-OutputArea-child'))]; })"""
BARS = """() => Array.from(document.querySelectorAll('.widget-hprogress'))
    .filter(e => e.getBoundingClientRect().height > 0).length"""


def test_the_final_bar_shows_as_text_in_nbconvert_html_offline(page, tmp_path):
    from tests.support.notebooks import run_notebook

    executed = run_notebook(CELLS, timeout=180)
    left = open_nbconvert_html(page, executed, tmp_path / f"{NOTEBOOK}.html")
    page.wait_for_timeout(1000)
    shown = page.evaluate(SNAPSHOTS)
    print("nbconvert: snapshots (text, visible, row) =", shown)
    assert len(shown) == 1 and shown[0][1:] == [True, True], shown
    text = shown[0][0]
    assert "training: 100%" in text and "epoch=2/2" in text and "word/s" in text, text
    assert page.evaluate(BARS) == 0  # the widget did not draw: the bar shows once, as text
    screenshot(page, "offline-progress-nbconvert")
    assert_no_request_left(left)


def test_the_bar_draws_once_in_lab_offline(lab, page):
    left = open_offline(lab, page, NOTEBOOK, CELLS)
    page.wait_for_function(f"() => ({BARS})() === 1", timeout=60_000)
    page.wait_for_function(f"() => ({SNAPSHOTS})().some(s => s[0].includes('100%'))", timeout=60_000)
    page.wait_for_timeout(1000)  # a late snapshot update would show
    shown = page.evaluate(SNAPSHOTS)
    print("lab: snapshots (text, visible, row) =", shown)
    assert len(shown) == 1 and shown[0][1:] == [False, False], shown
    assert page.evaluate(BARS) == 1
    screenshot(page, "offline-progress-lab")
    assert_no_request_left(left)

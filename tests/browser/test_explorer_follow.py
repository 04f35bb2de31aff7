"""The map follows training, in a real JupyterLab and Notebook 7 (Playwright + Debian's Chromium).

``EmbeddingExplorer(model, follow=True)`` on a model training in the background: the points move
on the page at each update (WebGL in JupyterLab, the canvas fallback in Notebook 7 with WebGL
disabled), pinned words list the neighbours they gained and lost (a hostile word stays text),
and the dashboard's Map button shows and drops a map that follows the run. Screenshots:
test-artifacts/explorer-follow-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.lab import CHROMIUM, CHROMIUM_ARGS, screenshot

pytestmark = pytest.mark.browser

# far more training than the test watches (it stops the run itself, after a few updates): with 60
# epochs a loaded machine could finish the run before the test's stop, which then read "finished"
SETUP = """
import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.models import small_model
corpus = make_corpus(3000)
model = small_model(epochs=400, alpha=0.02)
model.fit(corpus, background=True)
ex = w2v.EmbeddingExplorer(model, follow=True, n_words=45, height=460)
ex.pinned = ["cat", "one", EVIL]
ex
"""
ROOT = ".w2v-explorer"
FOLLOW = f"{ROOT} .w2v-follow"


def _update(page: Any) -> int:
    return int(page.evaluate(f"() => document.querySelector('{FOLLOW}')?.dataset.update ?? 0"))


WATCHED = ["cat", "one", "red", "the", "apples", "birds", "stones", "mouse", "rome", "saw"]


def _points(page: Any) -> dict:
    """Client coordinates of the watched words (those plotted) on the page now."""
    found = page.evaluate(
        f"(ws) => ws.map((w) => document.querySelector('{ROOT}').__w2v.clientPoint(w))", WATCHED
    )
    return {w: p for w, p in zip(WATCHED, found, strict=True) if p is not None}


def _check_follows(lab: Any, page: Any, ui: str, name: str) -> None:
    lab.write_notebook(name, [SETUP])
    lab.open_notebook(page, name, ui=ui)
    lab.run_all(page)
    root = page.locator(ROOT).first
    root.wait_for()
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.firstRenderMs", arg=ROOT)
    root.scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector('{FOLLOW}')?.dataset.active === 'true'")
    first, where = _update(page), _points(page)
    page.wait_for_function(
        f"(n) => +document.querySelector('{FOLLOW}').dataset.update >= n + 3", arg=first, timeout=60_000
    )
    moved = _points(page)
    assert len(where) >= 5 and where.keys() == moved.keys()
    shift = max(abs(moved[w]["x"] - where[w]["x"]) + abs(moved[w]["y"] - where[w]["y"]) for w in where)
    assert shift > 2, (where, moved)
    # a gained or lost neighbour is listed at some update while the groups form
    page.wait_for_function(
        f"() => document.querySelector('{FOLLOW} .w2v-gained, {FOLLOW} .w2v-lost')", timeout=60_000
    )
    screenshot(root, f"explorer-follow-{name}-training")
    lab.kernel_execute(page, "model.stop(); model.wait(60)")  # the end state, without the whole run
    page.wait_for_function(
        f"() => document.querySelector('{FOLLOW}')?.dataset.active === 'false'", timeout=120_000
    )
    rows = root.locator(".w2v-follow .w2v-change")
    words = rows.evaluate_all("rows => rows.map(r => r.getAttribute('data-word'))")
    assert words == ["cat", "one", "<img src=x onerror=alert(1)>"]
    evil = rows.nth(2).locator(".w2v-change-word")
    assert evil.get_attribute("title") == "<img src=x onerror=alert(1)>"
    assert evil.inner_text().startswith("<img src=x onerror=")  # shown as text (ellipsized)
    assert page.evaluate(f"() => document.querySelectorAll('{ROOT} img').length") == 0
    assert "training stopped" in root.locator(".w2v-follow-title").inner_text()
    # the kernel's positions are the page's: ex.positions changed as the map did
    out = lab.kernel_execute(page, "print(ex._follower.updates, ex.positions.shape)")
    updates, shape = out.strip().split(" ", 1)
    assert int(updates) >= 3 and shape == "(45, 2)"
    screenshot(root, f"explorer-follow-{name}-finished")


def test_map_follows_training_in_jupyterlab_with_webgl(lab, page):
    _check_follows(lab, page, "lab", "lab")
    assert page.locator(ROOT).first.evaluate("el => el.dataset.renderer") == "webgl"


def test_map_follows_training_in_notebook7_on_the_canvas_fallback(lab, browser):
    no_gl = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--disable-3d-apis"]
    )
    try:
        page = no_gl.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        _check_follows(lab, page, "notebook", "notebook7-canvas")
        assert page.locator(ROOT).first.evaluate("el => el.dataset.renderer") == "canvas"
    finally:
        no_gl.close()


DASHBOARD = """
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
from tests.support.models import small_model
# 400 epochs: the test stops the run itself; 40 finished in about a second here, sometimes
# before the map (shown when training starts) had followed 3 updates
dash = w2v.TrainingDashboard(small_model(epochs=400), make_corpus(3000), words=["cat", "one"], k=4)
dash
"""


def test_dashboard_map_toggle(lab, page):
    lab.write_notebook("follow_dashboard", [DASHBOARD])
    lab.open_notebook(page, "follow_dashboard")
    lab.run_all(page)
    dash = page.locator(".w2v-training-dashboard").first
    dash.wait_for(state="visible", timeout=60_000)
    toggle = dash.locator(".w2v-map-toggle")
    toggle.click()
    dash.locator(".w2v-training-map", has_text="appears when training starts").wait_for()
    dash.locator(".w2v-start").click()
    dash.locator(f".w2v-training-map {ROOT}").wait_for(timeout=60_000)
    page.wait_for_function(
        f"() => +document.querySelector('.w2v-training-map {FOLLOW}')?.dataset.update >= 3", timeout=60_000
    )
    area = dash.locator(".w2v-training-map")
    area.scroll_into_view_if_needed()
    screenshot(area, "explorer-follow-dashboard-map")
    toggle.click()
    dash.locator(f".w2v-training-map {ROOT}").wait_for(state="detached", timeout=30_000)
    assert lab.kernel_execute(page, "print(dash.map.explorer)").strip() == "None"
    dash.locator(".w2v-stop").click()

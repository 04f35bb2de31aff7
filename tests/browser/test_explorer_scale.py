"""EmbeddingExplorer with a million words in a real JupyterLab (Playwright + Debian's Chromium).

One kernel and one notebook serve the module: the map draws with WebGL (pixels not blank), a
hover lists the neighbours the kernel computes over the whole vocabulary, a lasso returns its
words to ``ex.selected``, and a Chromium without WebGL (``--disable-3d-apis``) draws the same map
with the canvas fallback. Screenshots: test-artifacts/explorer-1m-*.png. Timings are measured
by benchmarks/explorer_scale.py, not asserted here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.lab import CHROMIUM, CHROMIUM_ARGS, JupyterLab, gpu_name, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 1_000_000
SETUP = f"""
import json
import numpy as np
from w2v_widgets.vectors import WordVectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
rng = np.random.default_rng(0)
centres = rng.normal(size=(40, 100)).astype(np.float32)
vectors = centres[rng.integers(0, 40, {N})] + rng.normal(size=({N}, 100)).astype(np.float32)
wv = WordVectors([f"w{{i}}" for i in range({N})], vectors, counts=np.arange({N}, 0, -1))
del vectors
ex = EmbeddingExplorer(wv, n_words=None, projection="pca", top_labels=10)
ex
"""
ROOT = ".jp-OutputArea .w2v-explorer"

# Fraction of the points canvas that is not the background colour (reads the WebGL canvas through
# a 2-D copy; its drawing buffer is preserved).
INKED = """(sel) => {
  const base = document.querySelector(sel).querySelector('.w2v-base');
  const copy = document.createElement('canvas');
  copy.width = base.width; copy.height = base.height;
  const ctx = copy.getContext('2d');
  ctx.drawImage(base, 0, 0);
  const px = ctx.getImageData(0, 0, copy.width, copy.height).data;
  const [r, g, b] = [px[0], px[1], px[2]];
  let inked = 0;
  for (let p = 0; p < px.length; p += 4)
    if (Math.abs(px[p] - r) + Math.abs(px[p + 1] - g) + Math.abs(px[p + 2] - b) > 30) inked++;
  return inked / (px.length / 4);
}"""


@pytest.fixture(autouse=True)
def _lab_kernels_cleanup() -> Iterator[None]:
    """The module shares one kernel (overrides the per-test kernel shutdown of conftest)."""
    yield


def open_page(browser: Any, lab: JupyterLab, cell: int) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    lab.open_notebook(page, "explorer_1m", timeout=120)
    lab.run_cell(page, cell, timeout=300)
    root = page.locator(ROOT).first
    root.wait_for()
    # the first frame shows the 300,000 most frequent points (renderer.ts FIRST_POINTS), then all
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.allRenderMs", arg=ROOT)
    root.scroll_into_view_if_needed()
    return page


@pytest.fixture(scope="module")
def million(lab: JupyterLab, browser: Any) -> Iterator[Any]:
    """A page showing the million-word explorer (the kernel holds ``wv`` and ``ex``)."""
    lab.write_notebook("explorer_1m", [SETUP, "ex"])
    page = open_page(browser, lab, 0)
    try:
        yield page
    finally:
        page.context.close()
        lab.shutdown_kernels()


def handle(page: Any, call: str) -> Any:
    return page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.{call}")


def kernel_json(lab: JupyterLab, page: Any, expr: str) -> Any:
    return json.loads(lab.kernel_execute(page, f"print(json.dumps({expr}))", timeout=120))


def test_a_million_points_draw_with_webgl(million):
    root = million.locator(ROOT).first
    assert root.evaluate("el => el.dataset.renderer") == "webgl"
    assert "1,000,000 words" in root.locator(".w2v-status").inner_text()
    inked = million.evaluate(INKED, ROOT)
    assert 0.05 < inked < 0.95, inked  # a cloud of points, neither blank nor a solid block
    screenshot(root, "explorer-1m-webgl")


def test_hover_lists_neighbours_over_the_whole_vocabulary(million, lab):
    root = million.locator(ROOT).first
    labels = [w for w in handle(million, "labels()") if w]
    assert labels, "no labels drawn"
    word = labels[0]
    pt = handle(million, f"clientPoint({json.dumps(word)})")
    million.mouse.move(pt["x"] + 30, pt["y"] + 30)
    million.mouse.move(pt["x"], pt["y"], steps=3)
    hovered = million.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.hovered()")
    hovered = hovered.json_value()
    root.locator(".w2v-neighbours-title", has_text=f"Nearest to {hovered}").wait_for()
    shown = root.locator(".w2v-neighbours .w2v-item").evaluate_all("items => items.map(b => b.title)")
    assert shown == kernel_json(lab, million, f"[w for w, _ in ex.neighbours({hovered!r})]")
    screenshot(root, "explorer-1m-hover")


def test_lasso_returns_its_words_to_python(million, lab):
    root = million.locator(ROOT).first
    root.locator(".w2v-mode", has_text="Lasso").click()
    box = root.locator(".w2v-overlay").bounding_box()
    cx, cy, r = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 25
    million.mouse.move(cx - r, cy - r)
    million.mouse.down()
    for x, y in [(cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r), (cx - r, cy - r + 2)]:
        million.mouse.move(x, y, steps=4)
    million.mouse.up()
    million.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.selectedCount() > 0")
    in_page = handle(million, "selectedCount()")
    # ipywidgets may hold the state update back while the kernel is busy: poll for it
    deadline = time.monotonic() + 60
    while (selected := kernel_json(lab, million, "[len(ex.selected), ex.selected[:3]]"))[0] == 0:
        assert time.monotonic() < deadline, "the lasso's selection never reached the kernel"
        million.wait_for_timeout(250)
    assert selected[0] == in_page and 100 < in_page < N / 2
    # the selected words lie inside the square the lasso drew
    inside = [handle(million, f"clientPoint({json.dumps(w)})") for w in selected[1]]
    assert all(abs(p["x"] - cx) <= r + 1 and abs(p["y"] - cy) <= r + 1 for p in inside), inside
    screenshot(root, "explorer-1m-lasso")
    root.locator(".w2v-btn", has_text="Clear").click()
    root.locator(".w2v-mode", has_text="Pan").click()


def test_without_webgl_the_canvas_fallback_draws_the_same_map(million, lab, browser):
    args = [*CHROMIUM_ARGS, "--disable-3d-apis"]
    no_gl = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        page = open_page(no_gl, lab, 1)  # the same kernel displays ``ex`` again
        root = page.locator(ROOT).first
        assert root.evaluate("el => el.dataset.renderer") == "canvas"
        inked = page.evaluate(INKED, ROOT)
        assert 0.05 < inked < 0.95, inked
        screenshot(root, "explorer-1m-canvas-fallback")
    finally:
        no_gl.close()


BIG = 1_200_000  # over renderer.ts SOFTWARE_GL_MAX_POINTS (1,000,000)
BIG_SETUP = f"""
import numpy as np
from w2v_widgets.vectors import WordVectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
rng = np.random.default_rng(1)
wv = WordVectors([f"w{{i}}" for i in range({BIG})], rng.normal(size=({BIG}, 8)).astype(np.float32))
ex = EmbeddingExplorer(wv, n_words=None, projection="pca", top_labels=10, page_words=0)
ex
"""


def test_past_a_million_points_a_webgl_on_the_cpu_hands_the_map_to_the_rasteriser(lab, browser):
    """SwiftShader (this Chromium's WebGL: no GPU) draws 3M points several times slower than the
    canvas rasteriser, so above SOFTWARE_GL_MAX_POINTS the page draws with the rasteriser; with a
    GPU it keeps WebGL. Under the limit, WebGL stays (test_a_million_points_draw_with_webgl)."""
    lab.write_notebook("explorer_big", [BIG_SETUP])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    try:
        lab.open_notebook(page, "explorer_big", timeout=120)
        lab.run_cell(page, 0, timeout=300)
        root = page.locator(ROOT).first
        root.wait_for()
        page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.allRenderMs", arg=ROOT)
        gpu = gpu_name(page)
        cpu_names = ("swiftshader", "llvmpipe", "softpipe", "basic render", "software")
        software = any(name in gpu.lower() for name in cpu_names)
        assert root.evaluate("el => el.dataset.renderer") == ("canvas" if software else "webgl"), gpu
        assert "1,200,000 words" in root.locator(".w2v-status").inner_text()
        inked = page.evaluate(INKED, ROOT)
        assert 0.05 < inked < 0.95, inked  # every point drawn: a cloud, neither blank nor solid
        first = page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.firstFrame()")
        assert first["points"] == BIG, first  # the whole map at once, not the first 300,000
        screenshot(root, "explorer-1m2-software-gl")
    finally:
        page.context.close()
        for session in lab.api("GET", "/api/sessions"):  # this notebook's kernel only
            if session["path"].endswith("explorer_big.ipynb"):
                lab.api("DELETE", f"/api/sessions/{session['id']}")

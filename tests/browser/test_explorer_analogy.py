"""Analogies as geometry in a real browser: JupyterLab and Jupyter Notebook 7 (kernel) and the
standalone page (no kernel). Typing ``king - man + woman`` and calling ``ex.show_analogy`` draw
the offset arrows (read back as pixels of the overlay canvas) and list the kernel's answers under
3CosAdd and 3CosMul; the toggle keeps the question words in (and says why one of them wins);
hostile words stay text. Screenshots go to test-artifacts/analogy-*.png.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.lab import screenshot
from tests.support.vectors import HOSTILE, demo_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer

pytestmark = pytest.mark.browser

SETUP = """
import json
from tests.support.vectors import demo_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
wv = demo_vectors(2000)
ex = EmbeddingExplorer(wv, n_words=1500, projection="pca", height=560)
def answers(a, b, c, excluded=True):
    r = ex._queries.analogy(a, b, c, ex.k)["answers"]
    which = "excluded" if excluded else "included"
    return {m: [it["word"] for it in r[m][which]] for m in r}
ex
"""

ROOT = ".w2v-explorer"
# errors of ours (Notebook 7's own start-up logs unrelated page errors)
OURS = re.compile(r"w2v|explorer|analogy|anywidget", re.IGNORECASE)
ARROW_RGB = (0xC2, 0x18, 0x5B)  # plot/arrows.ts ARROW_COLOR.light

# share of sampled pixels along a segment that have the arrows' colour
ARROW_PIXELS = """([sel, seg, rgb]) => {
  const root = document.querySelector(sel);
  const canvas = root.querySelector('canvas.w2v-overlay');
  const r = canvas.getBoundingClientRect();
  const k = canvas.width / r.width;
  const ctx = canvas.getContext('2d');
  let hits = 0, n = 0;
  for (let t = 0.15; t <= 0.75; t += 0.05) {
    const x = (seg[0] + t * (seg[2] - seg[0]) - r.left) * k, y = (seg[1] + t * (seg[3] - seg[1]) - r.top) * k;
    const d = ctx.getImageData(Math.round(x) - 1, Math.round(y) - 1, 3, 3).data;
    let hit = false;
    for (let i = 0; i < d.length; i += 4) {
      const near = [0, 1, 2].every((c) => Math.abs(d[i + c] - rgb[c]) < 40);
      if (d[i + 3] > 150 && near) hit = true;
    }
    hits += hit; n++;
  }
  return hits / n;
}"""


def debug(page: Any, scope: str = ROOT) -> Any:
    page.wait_for_function(f"() => !document.querySelector('{scope}').__w2v.busy()")
    return page.evaluate(f"() => document.querySelector('{scope}').__w2v.analogy()")


def lists(root: Any) -> dict[str, list[str]]:
    out = {}
    for method in ("3CosAdd", "3CosMul"):
        items = root.locator(f'.w2v-analogy-list[data-method="{method}"] .w2v-item')
        out[method] = items.evaluate_all("b => b.map(x => x.title)")
    return out


def wait_title(root: Any, text: str) -> None:
    root.locator(".w2v-analogy-title", has_text=text).wait_for()


def assert_arrows_drawn(page: Any, scope: str = ROOT) -> dict:
    page.wait_for_timeout(150)  # the overlay frame after the last camera step
    state = debug(page, scope)
    assert state is not None and state["offset"] and state["copy"] and state["target"], state
    for name in ("offset", "copy"):
        share = page.evaluate(ARROW_PIXELS, [scope, state[name], list(ARROW_RGB)])
        assert share >= 0.6, f"the {name} arrow is not drawn ({share:.0%} of samples)"
    return state


def kernel(lab: Any, page: Any, expr: str) -> Any:
    return json.loads(lab.kernel_execute(page, f"print(json.dumps({expr}))"))


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_typed_and_python_analogies_draw_arrows_and_list_both_methods(lab, page, console, ui):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = f"analogy_{ui}"
    lab.write_notebook(name, [SETUP])
    lab.open_notebook(page, name, ui=ui)
    lab.run_all(page)
    root = page.locator(f".jp-OutputArea {ROOT}").first
    root.wait_for()
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.firstRenderMs", arg=ROOT)
    root.scroll_into_view_if_needed()

    # typed in the search box
    root.locator(".w2v-input").fill("king - man + woman")
    root.locator(".w2v-input").press("Enter")
    wait_title(root, "king − man + woman")
    want = kernel(lab, page, "answers('king', 'man', 'woman')")
    root.locator('.w2v-analogy-list[data-method="3CosMul"] .w2v-item').first.wait_for()
    assert lists(root) == want and want["3CosAdd"][0] == "queen"
    state = assert_arrows_drawn(page)
    assert state["result"]["placement"] == "linear"
    # PCA is linear: the two arrows are the same offset on screen
    off, copy = state["offset"], state["copy"]
    assert (
        abs((off[2] - off[0]) - (copy[2] - copy[0])) < 1 and abs((off[3] - off[1]) - (copy[3] - copy[1])) < 1
    )
    note = root.locator(".w2v-analogy-note").inner_text()
    assert "exact projection" in note and "full 32-dimensional space" in note and "2-D projection" in note
    assert {"king", "man", "woman", "queen"} <= set(state["labels"])
    screenshot(root, f"analogy-typed-{ui}")

    # from Python, with the question words kept in: one of them wins, and the page says why
    lab.kernel_execute(page, "table = ex.show_analogy('paris', 'london', 'berlin', exclude_inputs=False)")
    wait_title(root, "paris − london + berlin")
    included = kernel(lab, page, "answers('paris', 'london', 'berlin', excluded=False)")
    root.locator(".w2v-analogy-why").wait_for()
    page.wait_for_function(
        "(w) => document.querySelector('.w2v-analogy-list .w2v-item')?.title === w",
        arg=included["3CosAdd"][0],
    )
    assert lists(root) == included and included["3CosAdd"][0] in {"paris", "berlin"}
    assert root.locator(".w2v-analogy-list .w2v-question-word").count() >= 2
    why = root.locator(".w2v-analogy-why").inner_text()
    assert f"“{included['3CosAdd'][0]}” itself comes first" in why
    assert_arrows_drawn(page)
    screenshot(root, f"analogy-included-{ui}")

    # the toggle leaves them out again: the kernel's excluded lists, no explanation
    root.locator(".w2v-analogy-exclude").click()
    assert lists(root) == kernel(lab, page, "answers('paris', 'london', 'berlin')")
    assert root.locator(".w2v-analogy-why").is_hidden()
    assert kernel(lab, page, "table[~table.excluded].word.tolist()[:1]") == [included["3CosAdd"][0]]

    # hostile words: shown as typed, nothing injected
    evil = HOSTILE[0]
    lab.kernel_execute(page, f"ex.show_analogy({evil!r}, {HOSTILE[1]!r}, 'woman')")
    wait_title(root, f"{evil} − {HOSTILE[1]} + woman")
    assert root.locator(".w2v-analogy-title").inner_text() == f"{evil} − {HOSTILE[1]} + woman"
    assert root.locator("img, script, svg").count() == 0 and dialogs == []
    assert_arrows_drawn(page)
    screenshot(root, f"analogy-hostile-{ui}")

    root.locator(".w2v-analogy-close").click()
    assert root.locator(".w2v-analogy").is_hidden() and debug(page) is None
    assert not [m for m in console if m.startswith("pageerror") and OURS.search(m)], console


def test_standalone_page_answers_analogies_without_a_kernel(page, console, tmp_path):
    wv = demo_vectors(2000)
    ex = EmbeddingExplorer(wv, n_words=1500, projection="pca", height=560)
    try:
        ex.show_analogy("king", "man", "woman")
        want = {
            m: [it["word"] for it in lists_["excluded"]]
            for m, lists_ in ex._queries.analogy("paris", "london", "berlin", ex.k)["answers"].items()
        }
        target = ex._queries.analogy("paris", "london", "berlin", ex.k)["target"]
        path = ex.save_html(tmp_path / "analogy.html", quantize="float32")
    finally:
        ex.close()
    page.goto(path.as_uri())
    root = page.locator(ROOT)
    page.wait_for_function("() => document.querySelector('.w2v-explorer')?.dataset.firstRenderMs")
    wait_title(root, "king − man + woman")  # saved with the page
    assert_arrows_drawn(page)
    root.locator(".w2v-input").fill('"paris" -london + berlin')
    root.locator(".w2v-input").press("Enter")
    wait_title(root, "paris − london + berlin")
    page.wait_for_function(
        "(w) => document.querySelector('.w2v-analogy-list .w2v-item')?.title === w", arg=want["3CosAdd"][0]
    )
    assert lists(root) == want
    state = assert_arrows_drawn(page)
    assert state["result"]["placement"] == "linear"
    assert state["result"]["target"] == pytest.approx(target, abs=1e-4)  # the kernel's exact projection
    screenshot(root, "analogy-standalone")
    # at the width of a notebook's output in JupyterLab at 1366x768 with the file browser open, the
    # lists show whole words (issue 27 saw "entir…", "marr…" cut with room to spare)
    page.set_viewport_size({"width": 934, "height": 768})
    cut = page.evaluate(
        "() => [...document.querySelectorAll('.w2v-word')]"
        ".filter((e) => e.offsetWidth > 0 && e.scrollWidth > e.clientWidth).map((e) => e.textContent)"
    )
    assert cut == [], cut
    screenshot(root, "analogy-standalone-934")
    assert not [m for m in console if m.startswith("pageerror") and OURS.search(m)], console


def test_on_a_nonlinear_map_the_page_says_the_cross_is_placed_by_neighbours(page, console, tmp_path):
    import numpy as np

    wv = demo_vectors(2000)
    pca = EmbeddingExplorer(wv, n_words=1500, projection="pca").xy
    bent = np.column_stack([np.tanh(2 * pca[:, 0]), pca[:, 1] + pca[:, 0] ** 2])  # no linear map
    ex = EmbeddingExplorer(wv, n_words=1500, projection=bent, height=560)
    try:
        target = ex._queries.analogy("king", "man", "woman", ex.k)["target"]
        path = ex.save_html(tmp_path / "bent.html", quantize="float32")
    finally:
        ex.close()
    page.goto(path.as_uri())
    root = page.locator(ROOT)
    page.wait_for_function("() => document.querySelector('.w2v-explorer')?.dataset.firstRenderMs")
    root.locator(".w2v-input").fill("king - man + woman")
    root.locator(".w2v-input").press("Enter")
    wait_title(root, "king − man + woman")
    state = assert_arrows_drawn(page)
    assert state["result"]["placement"] == "neighbours"
    assert state["result"]["target"] == pytest.approx(target, abs=1e-4)  # the kernel's placement
    note = root.locator(".w2v-analogy-note").inner_text()
    assert "5 nearest plotted words (an approximation)" in note and "2-D projection" in note
    screenshot(root, "analogy-standalone-nonlinear")

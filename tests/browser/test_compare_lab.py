"""CompareExplorer in a real JupyterLab and Jupyter Notebook 7 (Playwright + Debian's Chromium),
and its standalone page with no kernel.

The slider morphs run a into run b (positions interpolated in the page, ``t`` synced both ways),
the moved-words list focuses a word on click, hover lists the word's neighbours in both runs
side by side as the kernel computes them, and hostile words stay text. Screenshots go to
test-artifacts/compare-*.png.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from tests.support.hostile import EVIL, HOSTILE
from tests.support.lab import screenshot

pytestmark = pytest.mark.browser

RUNS = """
import json
import numpy as np
import w2v_widgets as w2v
from tests.support.hostile import EVIL
from tests.support.vectors import demo_vectors

def second_run(a):
    # run b: run a turned by a random rotation, a little noise, and three words sent elsewhere
    rng = np.random.default_rng(1)
    q, _ = np.linalg.qr(rng.normal(size=(a.vector_size, a.vector_size)))
    vectors = a.vectors @ q.astype(np.float32) + 0.25 * rng.normal(size=a.vectors.shape).astype(np.float32)
    for word in ("w700", "w800", EVIL):
        vectors[a.key_to_index[word]] = 4 * rng.normal(size=a.vector_size)
    return w2v.WordVectors(a.index_to_key, vectors, counts=a.counts)

a = demo_vectors(1500)
b = second_run(a)
"""
SETUP = (
    RUNS
    + """
ce = w2v.CompareExplorer(a, b, n_words=1200, names=("seed 0", "seed 1 <b>"), height=520)
hovered = []
ce.on_hover(lambda event: hovered.append(event["word"]))
ce
"""
)
ROOT = ".w2v-compare"


def handle(page: Any, call: str) -> Any:
    return page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.{call}")


def kernel_json(lab: Any, page: Any, expr: str) -> Any:
    return json.loads(lab.kernel_execute(page, f"print(json.dumps({expr}))"))


def hover(page: Any, root: Any, word: str) -> None:
    page.wait_for_function(f"() => !document.querySelector('{ROOT}').__w2v.busy()")
    pt = page.evaluate(f"(w) => document.querySelector('{ROOT}').__w2v.clientPoint(w)", word)
    assert pt is not None, word
    page.mouse.move(pt["x"] + 30, pt["y"] + 30)
    page.mouse.move(pt["x"], pt["y"], steps=3)
    title = f"document.querySelector('{ROOT} .w2v-neighbours-title').textContent"
    page.wait_for_function(f"(w) => {title}.startsWith('Nearest to ' + w + ' ·')", arg=word)


def listed(root: Any, side: str) -> list[str]:
    return root.locator(f".w2v-nb-{side} .w2v-item").evaluate_all("b => b.map(x => x.title)")


def slide_to_end(page: Any, root: Any) -> None:
    root.locator(".w2v-morph").focus()
    page.keyboard.press("End")


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_slider_hover_and_moved_words(lab, page, ui):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []  # with their stacks: Notebook 7's own start-up throws one (notebook_core)
    page.on("pageerror", lambda e: errors.append(e.stack or str(e)))
    name = f"compare_{ui}"
    lab.write_notebook(name, [SETUP])
    lab.open_notebook(page, name, ui=ui)
    lab.run_all(page)
    root = page.locator(f".jp-OutputArea {ROOT}").first
    root.wait_for()
    page.wait_for_function(f"() => document.querySelector('{ROOT}')?.dataset.firstRenderMs")
    root.scroll_into_view_if_needed()
    legend = root.locator(".w2v-legend").inner_text()
    assert "0–2 of 10 shared" in legend and "9–10: stable" in legend
    assert "how many both runs share" in root.locator(".w2v-legend-title").inner_text()
    assert root.locator(".w2v-run-a").inner_text() == "seed 0"
    assert root.locator(".w2v-run-b").inner_text() == "seed 1 <b>"  # a name is text, not markup
    screenshot(root, f"compare-{ui}-run-a")

    # the slider: run a at 0, run b at the end (synced to the kernel), Python's t shown in the page
    xy_a, xy_b = kernel_json(
        lab, page, "[ce.xy_a[ce.words.index('w700')].tolist(), ce.xy_b[ce.words.index('w700')].tolist()]"
    )
    np.testing.assert_allclose(handle(page, "position('w700')"), xy_a, atol=1e-6)
    slide_to_end(page, root)
    page.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.t() === 1")
    np.testing.assert_allclose(handle(page, "position('w700')"), xy_b, atol=1e-6)
    lab.kernel_execute(
        page, "import time\nfor _ in range(50):\n    if ce.t == 1.0: break\n    time.sleep(0.1)"
    )
    assert kernel_json(lab, page, "ce.t") == 1.0
    screenshot(root, f"compare-{ui}-run-b")
    lab.kernel_execute(page, "ce.t = 0.5")
    page.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.t() === 0.5")
    np.testing.assert_allclose(handle(page, "position('w700')"), (np.array(xy_a) + xy_b) / 2, atol=1e-5)
    assert root.locator(".w2v-morph").input_value() == "500"

    # hover: the word's neighbours in both runs, as the kernel computes them over each full space
    hover(page, root, "paris")
    want = kernel_json(lab, page, "{s: [w for w, _ in v] for s, v in ce.neighbours('paris').items()}")
    assert listed(root, "a") == want["a"] and listed(root, "b") == want["b"]
    common = set(want["a"]) & set(want["b"])
    bold = root.locator(".w2v-nb-a .w2v-common .w2v-item").evaluate_all("b => b.map(x => x.title)")
    assert set(bold) == common
    assert f"{len(common)} of 10 shared" in root.locator(".w2v-neighbours-title").inner_text()
    assert "paris" in kernel_json(lab, page, "hovered")
    screenshot(root, f"compare-{ui}-hover")

    # the moved-words list: the words sent elsewhere lead it; a click focuses one
    moved = root.locator(".w2v-moved .w2v-item").evaluate_all("b => b.map(x => x.title)")
    assert moved == kernel_json(lab, page, "ce.moved")
    assert set(moved[:3]) == {"w700", "w800", EVIL}
    root.locator(".w2v-moved .w2v-item").nth(moved.index(EVIL)).click()  # shown shortened
    page.wait_for_function(f"(w) => document.querySelector('{ROOT}').__w2v.focused() === w", arg=EVIL)
    root.locator(".w2v-neighbours-title", has_text=f"Nearest to {EVIL}").wait_for()
    assert EVIL in handle(page, "labels()")  # drawn on the canvas as text
    assert EVIL in handle(page, "trails()")  # its path from run a to run b is drawn
    screenshot(root, f"compare-{ui}-moved-focus")

    assert root.locator("img").count() == 0 and page.locator(".jp-OutputArea b").count() == 0
    assert dialogs == []
    assert not [e for e in errors if "/static/notebook/notebook_core." not in e]


def test_standalone_page_morphs_and_answers_hover_without_a_kernel(page, console, tmp_path):
    namespace: dict[str, Any] = {}
    exec(RUNS, namespace)
    import w2v_widgets as w2v

    ce = w2v.CompareExplorer(namespace["a"], namespace["b"], n_words=1200, names=("epoch 1", "epoch 5"))
    path = ce.save_html(tmp_path / "compare.html", title="Two runs </script>")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function(f"() => document.querySelector('{ROOT}')?.dataset.firstRenderMs")
    root = page.locator(ROOT)
    assert "standalone page" in root.locator(".w2v-status").inner_text()

    slide_to_end(page, root)
    page.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.t() === 1")
    w = ce.words.index("w800")
    np.testing.assert_allclose(handle(page, "position('w800')"), ce.xy_b[w], atol=1e-6)
    hover(page, root, "king")
    want = ce.neighbours("king")
    assert listed(root, "a") == [w for w, _ in want["a"]] and listed(root, "b") == [w for w, _ in want["b"]]
    root.locator(".w2v-play").click()  # morphs back to run a
    page.wait_for_function(f"() => document.querySelector('{ROOT}').__w2v.t() === 0")
    np.testing.assert_allclose(handle(page, "position('w800')"), ce.xy_a[w], atol=1e-6)
    for word in HOSTILE[:3]:
        hover(page, root, word)
    assert root.locator("img").count() == 0 and dialogs == []
    screenshot(page, "compare-standalone")
    page.emulate_media(color_scheme="dark")  # the page follows the system's dark theme
    page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('{ROOT}')).color === 'rgb(255, 255, 255)'"
    )
    hover(page, root, "queen")
    screenshot(page, "compare-standalone-dark")
    assert all(u.startswith("file:") or u.startswith("blob:") for u in requests), requests
    assert not [m for m in console if m.startswith("pageerror")]

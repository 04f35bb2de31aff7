"""EmbeddingExplorer in a real JupyterLab (Playwright + Debian's Chromium).

Hover lists neighbours computed by the kernel, search focuses the view, a lasso drawn with the
mouse reaches ``ex.selected`` in the kernel and ``ex.selected`` set in Python is highlighted,
hostile words stay text, the t-SNE layout replaces PCA, and the dark theme is followed.
Screenshots go to test-artifacts/explorer-*.png.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.lab import screenshot
from tests.support.vectors import HOSTILE

pytestmark = pytest.mark.browser

SETUP = """
import json
from tests.support.vectors import demo_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
wv = demo_vectors(2000)
ex = EmbeddingExplorer(wv, n_words=1500, projection={projection!r}, height=480)
hovered = []
ex.on_hover(lambda event: hovered.append(event["word"]))
ex
"""

EXPLORER = ".jp-OutputArea .w2v-explorer"


def open_explorer(lab: Any, page: Any, name: str, projection: str = "pca") -> Any:
    lab.write_notebook(name, [SETUP.format(projection=projection)])
    lab.open_notebook(page, name)
    lab.run_all(page)
    root = page.locator(EXPLORER).first
    root.wait_for()
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.firstRenderMs", arg=EXPLORER)
    root.scroll_into_view_if_needed()
    return root


def point_of(page: Any, word: str) -> dict:
    """Client coordinates of a plotted word, after any camera animation."""
    page.wait_for_function(f"() => !document.querySelector('{EXPLORER}').__w2v.busy()")
    pt = page.evaluate("([sel, w]) => document.querySelector(sel).__w2v.clientPoint(w)", [EXPLORER, word])
    assert pt is not None, f"{word!r} is not plotted"
    return pt


def hover(page: Any, word: str) -> None:
    pt = point_of(page, word)
    page.mouse.move(pt["x"] + 40, pt["y"] + 40)
    page.mouse.move(pt["x"], pt["y"], steps=3)


def neighbour_words(root: Any) -> list[str]:
    return root.locator(".w2v-neighbours .w2v-item").evaluate_all("items => items.map(b => b.title)")


def kernel_json(lab: Any, page: Any, expr: str) -> Any:
    return json.loads(lab.kernel_execute(page, f"print(json.dumps({expr}))"))


def test_hover_lists_kernel_neighbours_and_search_focuses(lab, page, console):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    root = open_explorer(lab, page, "explorer_hover")

    hover(page, "paris")
    root.locator(".w2v-neighbours-title", has_text="Nearest to paris").wait_for()
    want = kernel_json(lab, page, "[w for w, _ in ex.neighbours('paris')]")
    assert neighbour_words(root) == want
    assert want[:4] == sorted(want[:4], key=want.index) and set(want[:4]) <= {
        "london", "berlin", "rome", "madrid",
    }  # fmt: skip
    screenshot(root, "explorer-hover")
    assert "paris" in kernel_json(lab, page, "hovered")  # on_hover ran in the kernel

    # click pins the word (synced to Python); a wheel turn zooms in around the pointer
    pt = point_of(page, "paris")
    page.mouse.click(pt["x"], pt["y"])
    page.wait_for_timeout(300)
    assert kernel_json(lab, page, "ex.pinned") == ["paris"]
    scale = page.evaluate(f"() => document.querySelector('{EXPLORER}').__w2v.camera().scale")
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(200)
    zoomed = page.evaluate(f"() => document.querySelector('{EXPLORER}').__w2v.camera().scale")
    assert zoomed > 1.5 * scale
    after = point_of(page, "paris")
    assert abs(after["x"] - pt["x"]) < 3 and abs(after["y"] - pt["y"]) < 3  # fixed under the pointer

    # search an analogy: the analogy section lists answers, queen first (test_explorer_analogy)
    root.locator(".w2v-input").fill("king - man + woman")
    root.locator(".w2v-input").press("Enter")
    first = root.locator('.w2v-analogy-list[data-method="3CosAdd"] .w2v-item').first
    first.wait_for()
    assert first.get_attribute("title") == "queen"

    # search a word via autocomplete: the view focuses on it
    root.locator(".w2v-input").fill("")
    root.locator(".w2v-input").type("berl")
    root.locator(".w2v-option", has_text="berlin").click()
    page.wait_for_function(f"() => document.querySelector('{EXPLORER}').__w2v.focused() === 'berlin'")
    pt = point_of(page, "berlin")
    box = root.locator(".w2v-overlay").bounding_box()
    assert abs(pt["x"] - (box["x"] + box["width"] / 2)) < 2
    assert abs(pt["y"] - (box["y"] + box["height"] / 2)) < 2
    root.locator(".w2v-neighbours-title", has_text="Nearest to berlin").wait_for()
    screenshot(root, "explorer-search-focus")

    # hostile words: shown as text, never parsed
    root.locator(".w2v-btn", has_text="Fit").click()
    for word in HOSTILE:
        hover(page, word)
        root.locator(".w2v-neighbours .w2v-item").first.wait_for()
        page.wait_for_function(
            "([sel, w]) => document.querySelector(sel).querySelector('.w2v-neighbours-title')"
            "?.textContent === 'Nearest to ' + w",
            arg=[EXPLORER, word],
        )
    assert root.locator("img").count() == 0
    assert page.locator(".jp-OutputArea img[src='x']").count() == 0
    labels = page.evaluate(f"() => document.querySelector('{EXPLORER}').__w2v.labels()")
    assert HOSTILE[-1] in labels  # drawn on the canvas with fillText
    screenshot(root, "explorer-hostile")
    assert dialogs == []
    assert not [m for m in console if m.startswith("pageerror")]


def test_lasso_reaches_python_and_python_selection_is_highlighted(lab, page):
    root = open_explorer(lab, page, "explorer_select")
    pt = point_of(page, "rome")
    root.locator(".w2v-mode[data-mode='lasso']").click()
    r = 14
    page.mouse.move(pt["x"] - r, pt["y"] - r)
    page.mouse.down()
    for dx, dy in ((r, -r), (r, r), (-r, r), (-r, -r)):
        page.mouse.move(pt["x"] + dx, pt["y"] + dy, steps=4)
    page.mouse.up()
    page.wait_for_timeout(300)
    selected = kernel_json(lab, page, "ex.selected")
    assert "rome" in selected
    xy = kernel_json(lab, page, "{w: ex.xy[ex.words.index(w)].tolist() for w in ex.selected}")
    assert len(xy) == len(selected)
    assert root.locator(".w2v-selection").inner_text() == f"{len(selected)} selected"

    # Python -> browser: highlight words (w1700 is not plotted: it is added)
    lab.kernel_execute(page, "ex.selected = ['paris', 'london', 'w1700']")
    page.wait_for_function(f"() => document.querySelector('{EXPLORER}').__w2v.selectedCount() === 3")
    assert root.locator(".w2v-selection").inner_text() == "3 selected"
    # the selected point is drawn at full opacity, the others dimmed: read the points canvas
    # (WebGL here) through a 2-D copy, at the point and in a corner (the background)
    pt = point_of(page, "w1700")
    at_point, background = page.evaluate(
        """([sel, x, y]) => {
            const c = document.querySelector(sel).querySelector('.w2v-base');
            const copy = document.createElement('canvas');
            copy.width = c.width; copy.height = c.height;
            const ctx = copy.getContext('2d');
            ctx.drawImage(c, 0, 0);
            const r = c.getBoundingClientRect(), k = c.width / r.width;
            const px = (u, v) => Array.from(ctx.getImageData(u, v, 1, 1).data.slice(0, 3));
            return [px(Math.round((x - r.left) * k), Math.round((y - r.top) * k)), px(1, 1)];
        }""",
        [EXPLORER, pt["x"], pt["y"]],
    )
    assert sum(abs(a - b) for a, b in zip(at_point, background, strict=True)) > 90, (at_point, background)
    screenshot(root, "explorer-selection")


def test_tsne_replaces_pca_and_dark_theme_is_followed(lab, page):
    root = open_explorer(lab, page, "explorer_tsne", projection="tsne")
    status = root.locator(".w2v-status")
    assert "PCA" in status.inner_text() or "t-SNE" in status.inner_text()
    page.wait_for_function(
        "(sel) => document.querySelector(sel).querySelector('.w2v-status')"
        ".textContent.includes('t-SNE') && document.querySelector(sel)"
        ".querySelector('.w2v-progress').hidden",
        arg=EXPLORER,
        timeout=120_000,
    )
    assert kernel_json(lab, page, "ex.projection") == "t-SNE"
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    page.wait_for_timeout(500)
    bg = root.evaluate("el => getComputedStyle(el).backgroundColor")
    rgb = [int(v) for v in bg[bg.index("(") + 1 : bg.index(")")].split(",")[:3]]
    assert sum(rgb) < 3 * 80, bg
    hover(page, "paris")
    root.locator(".w2v-neighbours-title", has_text="Nearest to paris").wait_for()
    screenshot(root, "explorer-dark")
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )

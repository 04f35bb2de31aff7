"""The explorer's standalone page (``save_html``) opened from file:// with no kernel or network.

Hover, search, autocomplete, adding a word and box selection are answered in the browser from
the embedded vectors; neighbours match the kernel's (float32 page) or nearly (int8 page).
Screenshots go to test-artifacts/explorer-standalone*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.lab import screenshot
from tests.support.vectors import HOSTILE, demo_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer

pytestmark = pytest.mark.browser

ROOT = ".w2v-explorer"


@pytest.fixture(scope="module")
def explorer() -> EmbeddingExplorer:
    return EmbeddingExplorer(demo_vectors(3000), n_words=1500, projection="pca", height=560)


def open_page(page: Any, path: Any, requests: list[str]) -> Any:
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelector('.w2v-explorer')?.dataset.firstRenderMs")
    return page.locator(ROOT)


def hover(page: Any, word: str) -> None:
    page.wait_for_function("() => !document.querySelector('.w2v-explorer').__w2v.busy()")
    pt = page.evaluate("(w) => document.querySelector('.w2v-explorer').__w2v.clientPoint(w)", word)
    assert pt is not None, word
    page.mouse.move(pt["x"] + 30, pt["y"] + 30)
    page.mouse.move(pt["x"], pt["y"], steps=3)
    page.locator(".w2v-neighbours-title", has_text=f"Nearest to {word}").wait_for()


def listed(root: Any, section: str) -> list[str]:
    return root.locator(f".w2v-{section} .w2v-item").evaluate_all("b => b.map(x => x.title)")


def test_standalone_page_answers_without_a_kernel(explorer, page, console, tmp_path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    path = explorer.save_html(tmp_path / "explorer.html", title="Demo </script> map")
    requests: list[str] = []
    root = open_page(page, path, requests)
    assert "standalone page" in root.locator(".w2v-status").inner_text()

    hover(page, "paris")
    assert listed(root, "neighbours") == [w for w, _ in explorer.neighbours("paris")]
    screenshot(page, "explorer-standalone")

    root.locator(".w2v-input").fill("king - man + woman")
    root.locator(".w2v-input").press("Enter")
    first = root.locator('.w2v-analogy-list[data-method="3CosAdd"] .w2v-item').first
    first.wait_for()
    assert first.get_attribute("title") == "queen"  # the analogy section (test_explorer_analogy)

    root.locator(".w2v-input").fill("que")
    root.locator(".w2v-option", has_text="queen").wait_for()

    # a word that is not plotted: searched, then added with "+ plot"
    root.locator(".w2v-input").fill("w2500")
    root.locator(".w2v-input").press("Enter")
    root.locator(".w2v-results-title", has_text="w2500 (not plotted)").wait_for()
    root.locator(".w2v-results li").first.locator(".w2v-add").click()
    page.wait_for_function("() => document.querySelector('.w2v-explorer').__w2v.focused() === 'w2500'")
    assert "1,501 words" in root.locator(".w2v-status").inner_text()

    # box selection, answered locally
    root.locator(".w2v-btn", has_text="Fit").click()
    root.locator(".w2v-mode[data-mode='box']").click()
    box = root.locator(".w2v-overlay").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    count = page.evaluate("() => document.querySelector('.w2v-explorer').__w2v.selectedCount()")
    assert 0 < count < 1501
    assert root.locator(".w2v-selection").inner_text() == f"{count} selected"

    # hostile words are text; nothing was fetched from anywhere
    root.locator(".w2v-btn", has_text="Clear").click()
    root.locator(".w2v-mode[data-mode='pan']").click()
    for word in HOSTILE:
        hover(page, word)
    assert page.locator("img").count() == 0
    assert page.title() == "Demo </script> map"
    assert all(u.startswith(("file:", "blob:", "data:")) for u in requests), requests
    screenshot(page, "explorer-standalone-hostile")
    assert dialogs == []
    assert not [m for m in console if m.startswith(("pageerror", "error"))], console


def test_int8_page_keeps_the_nearest_words(explorer, page, tmp_path):
    path = explorer.save_html(tmp_path / "int8.html", quantize="int8")
    root = open_page(page, path, [])
    hover(page, "paris")
    got = listed(root, "neighbours")
    want = [w for w, _ in explorer.neighbours("paris")]
    assert got[:4] == want[:4]  # the four other capitals, in order
    assert len(set(got) & set(want)) >= 8

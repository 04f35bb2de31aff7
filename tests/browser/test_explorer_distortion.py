"""Honest distortion in a real JupyterLab: ``color_by="distortion"`` colours the map by how many
true neighbours each word keeps (legend says so), and hovering a word draws dashed lines to the
listed (full-space) neighbours that the map puts far away. Screenshot: explorer-distortion.png."""

from __future__ import annotations

import pytest

from tests.support.lab import screenshot

pytestmark = pytest.mark.browser

SETUP = """
from tests.support.vectors import demo_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
ex = EmbeddingExplorer(demo_vectors(2000), n_words=1500, projection="pca", color_by="distortion")
ex
"""
ROOT = ".jp-OutputArea .w2v-explorer"


def test_distortion_colors_and_lines_to_far_neighbours(lab, page):
    lab.write_notebook("explorer_distortion", [SETUP])
    lab.open_notebook(page, "explorer_distortion")
    lab.run_all(page)
    root = page.locator(ROOT).first
    root.wait_for()
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.firstRenderMs", arg=ROOT)
    root.scroll_into_view_if_needed()
    legend = root.locator(".w2v-legend").inner_text()
    assert "keeps 0–2 of 10 nearest" in legend and "keeps 9–10: faithful" in legend

    # random vectors under PCA: most listed neighbours of a word land far from it on the map
    page.wait_for_function(f"() => !document.querySelector('{ROOT}').__w2v.busy()")
    pt = page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.clientPoint('w100')")
    page.mouse.move(pt["x"] + 30, pt["y"] + 30)
    page.mouse.move(pt["x"], pt["y"], steps=3)
    root.locator(".w2v-neighbours-title", has_text="Nearest to w100").wait_for()
    far = page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.farNeighbours()")
    listed = root.locator(".w2v-neighbours .w2v-item").evaluate_all("items => items.map(b => b.title)")
    assert far and set(far) <= set(listed)
    screenshot(root, "explorer-distortion")

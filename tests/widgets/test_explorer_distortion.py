"""Honest distortion: ``neighbours_kept`` by hand on a layout with a known error, and the
explorer's ``color_by="distortion"`` (legend, recomputed for a new layout, size limit)."""

from __future__ import annotations

import numpy as np
import pytest

from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors.projections import neighbours_kept
from w2v_widgets.widgets.explorer.colors import DISTORTION_BINS, by_distortion
from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer

ANGLES = np.radians(np.arange(8) * 10.0)  # eight unit vectors 10 degrees apart on an arc
ARC = np.stack([np.cos(ANGLES), np.sin(ANGLES), np.zeros(8)], axis=1).astype(np.float32)
LINE = np.stack([np.arange(8.0), np.zeros(8)], axis=1)  # the arc unrolled: a faithful map


def test_a_faithful_layout_keeps_every_neighbour():
    np.testing.assert_array_equal(neighbours_kept(ARC, LINE, k=2), np.ones(8))


def test_swapping_the_two_ends_by_hand():
    swapped = LINE.copy()
    swapped[[0, 7]] = swapped[[7, 0]]
    # word 0 (true neighbours 1, 2) now sits between 6 and 5: keeps none; word 1 (true 0, 2)
    # sits next to 7 and 2: keeps one of two; 6 likewise; 2..5 keep both; 7 keeps none
    expected = [0, 0.5, 1, 1, 1, 1, 0.5, 0]
    np.testing.assert_allclose(neighbours_kept(ARC, swapped, k=2), expected)
    np.testing.assert_allclose(neighbours_kept(ARC, swapped, k=2, block=3), expected)  # blocks agree


def test_distortion_bins_and_legend():
    coloring = by_distortion(np.array([0.0, 0.2, 0.3, 0.5, 0.8, 0.9, 1.0]))
    assert coloring.codes.tolist() == [0, 0, 1, 2, 3, 4, 4]
    assert [item["label"] for item in coloring.legend] == [label for _, label in DISTORTION_BINS]
    assert len(coloring.palette) == len(DISTORTION_BINS)


def test_explorer_colors_by_distortion_and_recolors_a_new_layout(monkeypatch):
    wv = WordVectors([f"w{i}" for i in range(8)], ARC)
    swapped = LINE.copy()
    swapped[[0, 7]] = swapped[[7, 0]]
    ex = EmbeddingExplorer(wv, n_words=None, projection=swapped, color_by="distortion")
    # k = 10 is cut to the 7 other words: everything is a neighbour, nothing is lost
    assert ex.color_by == "distortion" and set(ex._codes.tolist()) == {4}
    assert ex._legend[0]["label"].startswith("keeps 0–2")
    big = WordVectors([f"w{i}" for i in range(40)], np.random.default_rng(0).normal(size=(40, 5)))
    ex2 = EmbeddingExplorer(big, n_words=None, projection="pca", color_by="distortion")
    before = ex2._codes.copy()
    rng = np.random.default_rng(1)
    ex2._layouts.apply(rng.normal(size=(40, 2)).astype(np.float32), "pca", 40)  # a scrambled map
    assert ex2._codes.mean() < before.mean()  # the scrambled map keeps fewer neighbours
    from w2v_widgets.widgets.explorer import colors

    monkeypatch.setattr(colors, "DISTORTION_MAX", 10)
    with pytest.raises(ConfigError, match=r"at most 10 plotted words.*not 40"):
        ex2.color_by = "distortion"
    ex.close()
    ex2.close()

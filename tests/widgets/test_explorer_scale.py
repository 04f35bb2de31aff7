"""EmbeddingExplorer at scale and under bad input: the whole vocabulary, the exact PCA, t-SNE's
progress, intermediate layouts and cancel, and clear errors for NaN, duplicates and bad layouts.
(The 1M-word timings are in benchmarks/explorer_scale.py.)"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors import WordVectors, projections
from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer


def make_wv(n: int, dim: int = 12, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)).astype(np.float32))


def test_n_words_none_maps_the_whole_vocabulary_without_copying_the_vectors():
    wv = make_wv(500)
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    assert ex.words == wv.index_to_key
    assert np.shares_memory(ex._plot.unit_vectors(), wv.get_normed_vectors())  # the index, no copy
    assert ex.xy.shape == (500, 2) and np.isfinite(ex.xy).all()
    with pytest.raises(ConfigError, match="or None"):
        EmbeddingExplorer(wv, n_words=0)


def test_pca_matches_scikit_learn_up_to_sign():
    from sklearn.decomposition import PCA

    x = np.random.default_rng(1).normal(size=(400, 9)).astype(np.float32) * np.arange(1, 10)
    ours = projections.pca(x)
    ref = PCA(n_components=2).fit_transform(x.astype(np.float64))
    for j in range(2):
        sign = np.sign(ours[:, j] @ ref[:, j])
        np.testing.assert_allclose(ours[:, j] * sign, ref[:, j], atol=1e-4)


def test_tsne_reports_progress_and_intermediate_layouts_and_stops_when_cancelled():
    pytest.importorskip("openTSNE")
    x = projections.unit_rows(np.random.default_rng(2).normal(size=(300, 8)))
    reports: list[tuple[float, str, bool]] = []
    xy = projections.project(
        x,
        "tsne",
        cache=False,
        progress=lambda f, stage, layout: reports.append((f, stage, layout is not None)),
    )
    fractions = [f for f, _, _ in reports]
    assert xy.shape == (300, 2) and fractions == sorted(fractions)
    assert fractions[0] == 0 and fractions[-1] == pytest.approx(1.0)
    assert reports[0][1] == "finding neighbours" and sum(has for _, _, has in reports) >= 20

    def cancel_at_half(fraction: float, stage: str, layout: object) -> None:
        if fraction > 0.5:
            raise projections.LayoutCancelled("stop")

    with pytest.raises(projections.LayoutCancelled):
        projections.project(x, "tsne", cache=False, progress=cancel_at_half)


def test_large_vocabularies_get_fewer_annoy_trees_and_iterations_and_still_separate_clusters(monkeypatch):
    pytest.importorskip("openTSNE")
    from openTSNE import nearest_neighbors

    trees: list[int] = []
    build = nearest_neighbors.Annoy.build

    def spy(self):  # the real Annoy search, with its tree count recorded
        trees.append((self.knn_kwargs or {}).get("n_trees", 50))
        return build(self)

    monkeypatch.setattr(nearest_neighbors.Annoy, "build", spy)
    monkeypatch.setattr(projections, "TSNE_LARGE", 1000)  # "large" from 1,000 words for this test
    rng = np.random.default_rng(4)
    centres = rng.normal(size=(4, 20)) * 3
    labels = np.repeat(np.arange(4), 300)
    x = projections.unit_rows(centres[labels] + rng.normal(size=(1200, 20)))
    layouts: list[int] = []
    xy = projections.tsne(x, seed=0, progress=lambda f, stage, layout: layouts.append(layout is not None))
    assert trees == [projections.TSNE_LARGE_TREES]
    every = projections.TSNE_REPORT_EVERY
    assert sum(layouts) == (projections.TSNE_EXAGGERATION_ITER + projections.TSNE_LARGE_ITER) // every
    d = ((xy[:, None] - xy[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    assert (labels[d.argmin(axis=1)] == labels).mean() > 0.95


def test_widget_shows_percentage_eta_and_cancels_the_running_tsne():
    pytest.importorskip("openTSNE")
    wv = make_wv(600, seed=3)
    seen: list[dict] = []
    halfway = threading.Event()

    def watch(change: dict) -> None:
        seen.append(dict(change["new"]))
        if change["new"].get("fraction", 0) > 0.4:
            halfway.set()

    projections.clear_cache()
    ex = EmbeddingExplorer(wv, n_words=None, projection="tsne", seed=5)
    ex.observe(watch, "_progress")
    assert halfway.wait(120), seen[-3:]
    assert ex.cancel_layout() is True
    assert ex.wait(60)
    assert ex.projection == "PCA" and ex._progress == {}
    assert "cancelled" in ex._message["text"]
    running = [p for p in seen if p.get("fraction")]
    assert running[-1]["cancellable"] and "%" in running[-1]["label"]
    assert any(p.get("eta_s") for p in running), running[-3:]
    assert not ex.cancel_layout()  # nothing left to cancel
    ex.close()


def test_intermediate_layouts_reach_the_plot_before_the_end():
    pytest.importorskip("openTSNE")
    wv = make_wv(400, seed=4)
    projections.clear_cache()
    layouts: list[np.ndarray] = []
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    ex._method = "tsne"
    ex.observe(lambda change: layouts.append(np.array(change["new"])), "_xy")
    t0 = time.time()
    ex._layouts.start(show_pca_first=True)
    assert ex.wait(180)
    assert ex.projection == "t-SNE"
    # at most one intermediate layout a second, then the final one
    assert 2 <= len(layouts) <= 2 + (time.time() - t0) / 1.0
    assert not np.allclose(layouts[0], layouts[-1])
    ex.close()


def test_bad_vectors_and_layouts_get_clear_errors():
    gensim = pytest.importorskip("gensim")
    kv = gensim.models.KeyedVectors(3)
    kv.add_vectors(["a", "b", "c"], np.array([[1, 0, 0], [np.nan, 1, 0], [0, 0, 1]], np.float32))
    with pytest.raises(ConfigError, match=r"NaN or infinity \(first: 'b'"):
        EmbeddingExplorer(kv)
    with pytest.raises(ConfigError, match="unique; repeated: 'a'"):
        EmbeddingExplorer(WordVectors(["a", "b", "a"], np.eye(3)))
    wv = make_wv(50)
    with pytest.raises(ConfigError, match=r"shape \(50, 2\).*got \(49, 2\)"):
        EmbeddingExplorer(wv, n_words=None, projection=np.zeros((49, 2)))
    with pytest.raises(ConfigError, match="finite"):
        EmbeddingExplorer(wv, n_words=None, projection=np.full((50, 2), np.inf))


def test_zero_vectors_are_plotted_and_have_similarity_zero():
    vectors = np.random.default_rng(5).normal(size=(20, 4)).astype(np.float32)
    vectors[3] = 0
    wv = WordVectors([f"w{i}" for i in range(20)], vectors)
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    assert np.isfinite(ex.xy).all()
    assert all(score == 0 for _, score in ex.neighbours("w3", 5))
    assert ("w3", 0.0) in ex.neighbours("w0", 19)
    ex.close()


def test_too_many_points_or_too_little_memory_are_clear_errors(monkeypatch):
    from w2v_widgets.widgets.explorer import plot

    wv = make_wv(30)
    monkeypatch.setattr(plot, "MAX_POINTS", 20)
    with pytest.raises(ConfigError, match=r"more than a page can plot \(20\); pass n_words=20"):
        EmbeddingExplorer(wv, n_words=None)
    assert len(EmbeddingExplorer(wv, n_words=20, projection="pca").words) == 20

    def no_memory() -> None:
        raise MemoryError

    fresh = make_wv(30)
    monkeypatch.setattr(fresh, "get_normed_vectors", no_memory)
    with pytest.raises(ConfigError, match="not enough memory for the neighbour index of 30 words"):
        EmbeddingExplorer(fresh, n_words=10)


def test_standalone_page_of_100k_words_stays_under_25_mb(tmp_path):
    rng = np.random.default_rng(6)
    n = 100_000
    wv = WordVectors([f"word{i}" for i in range(n)], rng.normal(size=(n, 100)).astype(np.float32))
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    page = ex.save_html(tmp_path / "explorer.html", max_vocab=n)
    assert page.stat().st_size <= 25 * 2**20, page.stat().st_size
    assert '"dtype":"int8"' in page.read_text(encoding="utf-8")  # quantised vectors
    ex.close()


def test_the_time_left_follows_the_pace_of_the_current_stage(monkeypatch):
    """The ETA comes from the pace since the current stage began: placing the words t-SNE did not
    map runs at another pace than the iterations, so it is not measured by theirs."""
    from w2v_widgets.widgets.explorer import layout

    clock = [0.0]
    monkeypatch.setattr(layout.time, "time", lambda: clock[0])
    shown: list[dict] = []
    report = layout.LayoutProgress(lambda p, xy, n: shown.append(p), "tsne", 10, 0.0, threading.Event())
    for at, fraction, stage in [
        (0, 0.0, "finding neighbours"),
        (30, 0.1, "optimising"),
        (70, 0.5, "optimising"),  # 0.4 in 40 s: 0.5 left is 50 s
        (90, 0.7, "placing 2,900,000 more words"),
        (91, 0.8, "placing 2,900,000 more words"),  # 0.1 in 1 s: 0.2 left is 2 s
    ]:
        clock[0] = at
        report(fraction, stage, None)
    assert [p["eta_s"] for p in shown] == [None, None, pytest.approx(50), None, pytest.approx(2)]
    assert shown[-1]["label"] == "t-SNE placing 2,900,000 more words 80%, about 2 s left"

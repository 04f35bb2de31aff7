"""Projections: registry, PCA against hand-computed geometry, normalisation, alignment, cache."""

from __future__ import annotations

import numpy as np
import pytest

from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors import projections
from w2v_widgets.vectors.projections import (
    PROJECTIONS,
    align_layout,
    cached,
    normalize_layout,
    project,
    unit_rows,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    projections.clear_cache()
    yield
    projections.clear_cache()


def test_registry_names_and_unknown_projection():
    assert {"pca", "tsne"} <= set(PROJECTIONS.names())
    try:
        import umap  # noqa: F401

        assert "umap" in PROJECTIONS
    except ImportError:
        assert "umap" not in PROJECTIONS
    with pytest.raises(ConfigError, match=r"choose one of: .*pca.*tsne"):
        project(np.eye(4), "nope")


def test_normalize_layout_by_hand():
    xy = np.array([[1.0, 1.0], [3.0, 1.0], [2.0, 4.0]])
    out = normalize_layout(xy)
    centred = xy - [2.0, 2.0]  # mean
    scale = np.percentile(np.abs(centred), 98)
    np.testing.assert_allclose(out, centred / scale, rtol=1e-6)
    assert out.dtype == np.float32
    with pytest.raises(ConfigError, match="finite"):
        normalize_layout([[np.nan, 0.0]])
    with pytest.raises(ConfigError, match=r"\(n, 2\)"):
        normalize_layout(np.zeros((3, 3)))


def test_pca_of_planar_unit_vectors_preserves_distances_up_to_scale():
    # unit vectors on a circle in the plane spanned by e0, e1 of a 5-D space:
    # PCA recovers the plane, so pairwise distances keep their ratios
    angles = np.linspace(0, 1.5 * np.pi, 12)
    vec = np.zeros((12, 5), dtype=np.float32)
    vec[:, 0], vec[:, 1] = np.cos(angles), np.sin(angles)
    vec *= np.arange(1, 13)[:, None]  # lengths differ: project() normalises rows first
    xy = project(vec, "pca")
    unit = unit_rows(vec)[:, :2]

    def dists(a):
        return np.linalg.norm(a[:, None] - a[None], axis=-1)

    ratio = dists(xy)[np.triu_indices(12, 1)] / dists(unit)[np.triu_indices(12, 1)]
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-4)


def test_align_layout_undoes_a_rotation_and_a_reflection():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(50, 2)).astype(np.float32)
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(align_layout(ref @ rot, ref), ref, atol=1e-5)
    flip = ref * [-1, 1]
    np.testing.assert_allclose(align_layout(flip, ref), ref, atol=1e-5)


def test_cache_hits_skip_the_computation_and_keys_depend_on_the_inputs():
    calls = []

    def counting(vectors, *, seed=0, init=None):
        calls.append(seed)
        return vectors[:, :2] * (seed + 1)

    PROJECTIONS.register("counting-test", counting)
    rng = np.random.default_rng(1)
    vec = rng.normal(size=(20, 4)).astype(np.float32)
    assert cached(vec, "counting-test") is None
    a = project(vec, "counting-test")
    b = project(vec, "counting-test")
    assert len(calls) == 1
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(cached(vec, "counting-test"), a)
    b[0, 0] = 99  # callers get copies
    assert project(vec, "counting-test")[0, 0] != 99
    project(vec, "counting-test", seed=1)
    project(vec + 1, "counting-test")
    project(vec, "counting-test", cache=False)
    assert len(calls) == 4


def test_tsne_is_seeded_and_starts_from_init():
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(3, 10)) * 5
    vec = np.vstack([c + rng.normal(size=(20, 10)) for c in centres]).astype(np.float32)
    a = project(vec, "tsne", seed=3, cache=False)
    b = project(vec, "tsne", seed=3, cache=False)
    np.testing.assert_allclose(a, b)
    assert a.shape == (60, 2)
    # the three blobs stay apart: each point's nearest neighbour is in its own blob
    d = np.linalg.norm(a[:, None] - a[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    assert (np.argmin(d, axis=1) // 20 == np.arange(60) // 20).mean() > 0.95
    with pytest.raises(ConfigError, match=r"init must have shape \(60, 2\)"):
        project(vec, "tsne", init=np.zeros((5, 2)))


def test_tiny_inputs_do_not_crash():
    assert project(np.ones((1, 3)), "tsne").shape == (1, 2)
    assert project(np.eye(2), "pca").shape == (2, 2)
    assert project(np.eye(4)[:, :1], "pca").shape == (4, 2)


def test_tsne_above_the_fit_size_places_the_other_words_on_the_fitted_map(monkeypatch):
    """Above TSNE_FIT_WORDS (100k; 150 here) t-SNE maps the first rows and places the others by
    their nearest fitted rows (found through 12 cells), reporting progress while it places them,
    and can be cancelled."""
    monkeypatch.setattr(projections, "TSNE_FIT_WORDS", 150)
    monkeypatch.setattr(projections, "TSNE_PLACE_BLOCK", 100)
    monkeypatch.setattr(projections, "TSNE_PLACE_CELLS", 12)
    rng = np.random.default_rng(4)
    centres = rng.normal(size=(3, 10)) * 5
    labels = rng.integers(0, 3, 450)
    vec = (centres[labels] + rng.normal(size=(450, 10))).astype(np.float32)
    reports: list[tuple[float, str, object]] = []
    xy = project(
        vec, "tsne", seed=1, cache=False, progress=lambda f, stage, layout: reports.append((f, stage, layout))
    )
    assert xy.shape == (450, 2) and np.isfinite(xy).all()
    fitted = project(vec[:150], "tsne", seed=1, cache=False)  # the same t-SNE of the first rows
    d_fit = np.linalg.norm(xy[:150, None] - xy[None, :150], axis=-1)
    d_ref = np.linalg.norm(fitted[:, None] - fitted[None], axis=-1)
    assert np.corrcoef(d_fit.ravel(), d_ref.ravel())[0, 1] > 0.999  # equal up to normalisation
    # each placed word's nearest fitted word on the map is of its own cluster
    d = np.linalg.norm(xy[150:, None] - xy[None, :150], axis=-1)
    assert (labels[:150][d.argmin(axis=1)] == labels[150:]).mean() > 0.95
    fractions = [f for f, _, _ in reports]
    assert fractions == sorted(fractions) and all(layout is None for _, _, layout in reports)
    placing = [f for f, stage, _ in reports if stage == "placing 300 more words"]
    assert len(placing) == 3 and placing[0] == pytest.approx(projections.TSNE_FIT_SHARE)

    def cancel_while_placing(fraction: float, stage: str, layout: object) -> None:
        if stage.startswith("placing"):
            raise projections.LayoutCancelled("cancelled")

    with pytest.raises(projections.LayoutCancelled):
        project(vec, "tsne", seed=1, cache=False, progress=cancel_while_placing)


def test_placing_through_every_cell_is_the_exact_median_of_the_nearest_fitted_rows(monkeypatch):
    """With as many probes as cells the inverted index searches every fitted row: each row goes to
    the median position of its TSNE_PLACE_K nearest fitted rows by cosine, exactly; with fewer
    probes (the default) more rows find the same ones than with one (random vectors: the hard case)."""
    monkeypatch.setattr(projections, "TSNE_PLACE_CELLS", 20)
    monkeypatch.setattr(projections, "TSNE_PLACE_BLOCK", 64)
    monkeypatch.setattr(projections, "TSNE_NEAREST_CHUNK", 9)  # cells scored a few rows at a time
    rng = np.random.default_rng(7)
    fitted = projections.unit_rows(rng.normal(size=(400, 16)))
    rows = projections.unit_rows(rng.normal(size=(150, 16)))
    fitted_xy = rng.normal(size=(400, 2)).astype(np.float32)
    nearest = np.argsort(-(rows @ fitted.T), axis=1)[:, : projections.TSNE_PLACE_K]
    exact = np.median(fitted_xy[nearest], axis=1)
    every = projections.place_on_fitted(rows, fitted, fitted_xy, seed=3, probes=20)
    np.testing.assert_allclose(every, exact, rtol=0, atol=1e-6)
    default = projections.place_on_fitted(rows, fitted, fitted_xy, seed=3)
    one = projections.place_on_fitted(rows, fitted, fitted_xy, seed=3, probes=1)
    same = np.isclose(default, exact, atol=1e-6).all(axis=1).mean()
    assert same > np.isclose(one, exact, atol=1e-6).all(axis=1).mean()


def test_tsne_frees_its_neighbour_search_and_lays_out_the_same(monkeypatch):
    from openTSNE.nearest_neighbors import Annoy
    from threadpoolctl import threadpool_limits

    x = unit_rows(np.random.default_rng(0).normal(size=(400, 20)).astype(np.float32))
    search = dict(k=15, n_jobs=1, random_state=3, knn_kwargs={"n_trees": 10})
    freed_early = projections._annoy_freed_after_search()(x, **search)
    found, want = freed_early.build(), Annoy(x, **search).build()
    assert freed_early.index is None  # freed before openTSNE computes the affinities
    np.testing.assert_array_equal(found[0], want[0])
    np.testing.assert_array_equal(found[1], want[1])
    monkeypatch.setattr(projections, "TSNE_LARGE", 0)  # the large maps' path (Annoy)
    with threadpool_limits(1, user_api="blas"):
        kept = projections._tsne_opentsne(x, 0, None, 10.0, None, keep_index=True)
        freed = projections._tsne_opentsne(x, 0, None, 10.0, None)
    assert kept.affinities.knn_index is not None
    # nothing of the search is held (no index, no neighbour lists): only the affinity matrix ...
    assert set(vars(freed.affinities)) == {"P"}
    # ... which is openTSNE's, bitwise (made with less memory: _perplexity_affinities) ...
    p_freed, p_kept = freed.affinities.P, kept.affinities.P
    np.testing.assert_array_equal(p_freed.indptr, p_kept.indptr)
    np.testing.assert_array_equal(p_freed.indices, p_kept.indices)
    np.testing.assert_array_equal(p_freed.data, p_kept.data)
    # ... and the map is the same
    np.testing.assert_allclose(np.asarray(freed), np.asarray(kept), rtol=1e-5, atol=1e-5)

"""The explorer following training (widgets/explorer/follow.py): the stable frames, neighbours
gained and lost, and a real background training run moving the map and the dashboard's map."""

from __future__ import annotations

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.corpora import make_corpus
from tests.support.models import small_model
from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors import projections
from w2v_widgets.vectors.word_vectors import WordVectors
from w2v_widgets.widgets.explorer.follow import (
    AlignedFrame,
    FixedFrame,
    MapFollower,
    NeighbourWatch,
    fit_basis,
    neighbour_changes,
)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _rotation(d: int, seed: int) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q


# ------------------------------------------------------------------------------ frames
def test_fixed_frame_keeps_unchanged_vectors_exactly_in_place():
    rng = np.random.default_rng(0)
    before = _unit(rng.normal(size=(200, 16)))
    frame = FixedFrame()
    xy0 = frame.place(before)
    after = before.copy()
    after[:50] = _unit(rng.normal(size=(50, 16)))  # a quarter of the words move
    xy1 = frame.place(after)
    np.testing.assert_array_equal(xy1[50:], xy0[50:])
    assert np.abs(xy1[:50] - xy0[:50]).max() > 0.05


def test_fixed_frame_starts_as_the_normalised_pca_layout():
    unit = _unit(np.random.default_rng(1).normal(size=(300, 12)))
    xy = FixedFrame().place(unit)
    pca = projections.project(unit, "pca", unit=True, cache=False)
    np.testing.assert_allclose(xy, pca, atol=1e-4)
    # the basis by hand: centred rows onto the top two eigenvectors of their scatter matrix
    basis = fit_basis(unit)
    centred = unit - unit.mean(axis=0)
    evals, evecs = np.linalg.eigh(centred.T.astype(np.float64) @ centred)
    top = evecs[:, np.argsort(evals)[::-1][:2]].T
    np.testing.assert_allclose(np.abs(basis.components @ top.T), np.eye(2), atol=1e-6)


def test_procrustes_alignment_recovers_a_rotated_and_reflected_layout():
    layout = np.random.default_rng(2).normal(size=(100, 2)).astype(np.float32)
    angle = 1.1
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    moved = layout @ turn @ np.diag([1.0, -1.0]) + np.array([3.0, -2.0])
    np.testing.assert_allclose(projections.align_layout(moved, layout), layout, atol=1e-5)


def test_aligned_frame_does_not_turn_when_the_space_is_rotated():
    """Word2vec's vectors are defined up to a rotation: rotating every vector in the full space
    changes no cosine, and the aligned frame shows the very same map."""
    unit = _unit(np.random.default_rng(3).normal(size=(150, 10)) * np.linspace(3, 1, 10))
    frame = AlignedFrame()
    xy0 = frame.place(unit)
    xy1 = frame.place((unit @ _rotation(10, 4)).astype(np.float32), previous=xy0)
    np.testing.assert_allclose(xy1, xy0, atol=1e-4)


def test_unknown_frame_and_follow_every_are_clear_errors():
    model = small_model()
    model.fit(make_corpus(300))
    with pytest.raises(ConfigError, match="frame must be one of 'aligned', 'fixed'"):
        w2v.EmbeddingExplorer(model, follow=True, frame="tsne")
    with pytest.raises(ConfigError, match="follow_every must be"):
        w2v.EmbeddingExplorer(model, follow=True, follow_every=0)
    with pytest.raises(ConfigError, match=r"pass the model itself, not model\.wv"):
        w2v.EmbeddingExplorer(model.wv, follow=True)


# ------------------------------------------------------------------------------ neighbours
def test_neighbour_changes_by_hand():
    assert neighbour_changes(["a", "b", "c"], ["b", "d", "a"]) == (["d"], ["c"])
    assert neighbour_changes(["a", "b"], ["a", "b"]) == ([], [])
    assert neighbour_changes([], ["x"]) == (["x"], [])


def test_neighbour_watch_lists_gains_and_losses_between_updates():
    # on a circle: each word's nearest words are its angular neighbours (no ties)
    words = ["n", "ne", "e", "se", "s", "sw", "w", "nw"]
    angles = np.array([0.0, 0.7, 1.6, 2.4, 3.1, -2.4, -1.6, -0.8])
    before = WordVectors(words, np.c_[np.cos(angles), np.sin(angles)].astype(np.float32))
    watch = NeighbourWatch()
    (first,) = watch.update(before, ["n", "not-a-word"], k=2)
    assert first["first"] and sorted(first["neighbours"]) == ["ne", "nw"]
    assert first["gained"] == first["lost"] == []
    moved = before.vectors.copy()
    moved[words.index("s")] = [np.cos(0.1), np.sin(0.1)]  # "s" jumps next to "n"
    (second,) = watch.update(WordVectors(words, moved), ["n"], k=2)
    assert not second["first"]
    assert second["neighbours"] == ["s", "ne"]
    assert second["gained"] == ["s"] and second["lost"] == ["nw"]


# ------------------------------------------------------------------------------ a real run
def test_explorer_follows_a_background_training_run():
    model = small_model(epochs=6)
    model.fit(make_corpus(3000), background=True)
    ex = w2v.EmbeddingExplorer(model, follow=True, n_words=40, follow_every="epoch")
    try:
        assert ex.projection == "PCA" and ex.following
        ex.pinned = ["cat", "one"]
        start = ex.positions
        assert start.shape == (40, 2) and not start.flags.writeable
        with pytest.raises(ValueError):
            start[0, 0] = 1.0
        with pytest.raises(AttributeError):
            ex.positions = start
        model.wait()
        assert ex.wait(30)  # the last update, shown from the background
        follower = ex._follower
        assert (
            follower.updates >= 4
        )  # the first layout, each epoch (a newer one replaces one pending), the end
        assert np.abs(ex.positions - start).max() > 0.05
        state = ex._follow
        assert state["active"] is False and "training finished" in state["label"]
        assert "epoch 6 of 6" in state["label"]
        assert [c["word"] for c in state["changes"]] == ["cat", "one"]
        assert all(len(c["neighbours"]) == ex.k and not c["first"] for c in state["changes"])
        # hover answers from the vectors shown: the trained ones
        assert ex.neighbours("cat", 3) == [
            (w, pytest.approx(s, abs=1e-5)) for w, s in model.wv.most_similar("cat", topn=3)
        ]
        # pinning between updates lists the word at once; its changes count from then
        ex.pinned = ["cat", "red"]
        listed = [(c["word"], c["first"]) for c in ex._follow["changes"]]
        assert listed == [("cat", False), ("red", True)]
        ex.unfollow()
        assert not ex.following and follower not in model.callbacks.callbacks
    finally:
        ex.close()


def test_a_map_that_follows_a_run_already_ended_says_training_finished():
    """As in Voilà, which shows notebook 09 once every cell has run: the first frame of a map made
    after the run ended says the training finished, not that it is being followed."""
    model = small_model(epochs=2)
    model.fit(make_corpus(1000))
    ex = w2v.EmbeddingExplorer(model, follow=True, n_words=30)
    try:
        label = ex._follow["label"]
        assert label.startswith("training finished") and "100% trained" in label, label
    finally:
        ex.close()


def test_follow_every_n_words_and_the_throttle_budget():
    model = small_model(epochs=2)
    corpus = make_corpus(3000)
    model.fit(corpus, background=True)
    ex = w2v.EmbeddingExplorer(model, follow=True, n_words=30, follow_every=20_000)
    follower: MapFollower = ex._follower
    follower.throttle.base_interval = follower.throttle.interval = 0.0  # every N words, not once a second
    model.wait()
    ex.wait(30)
    ex.close()
    words = model.progress["words_total"]
    # one update per 20k words trained (at most), plus the first layout and the end
    assert 2 <= follower.updates <= words // 20_000 + 3


def test_dashboard_map_toggle_builds_follows_and_drops_the_map():
    corpus = make_corpus(2000)
    dash = w2v.TrainingDashboard(small_model(epochs=3), corpus)
    try:
        assert dash.map.explorer is None and dash.map.layout.display == "none"
        dash.map.button.value = True
        assert dash.map.explorer is None  # no vectors before training
        assert "appears when training starts" in dash.map._note.value
        dash.start(block=False)
        ex = dash.map.explorer
        assert ex is not None and ex.following and dash.map.layout.display == "flex"
        dash.model.wait()
        assert ex.wait(30)
        assert ex._follower.updates >= 2 and "training finished" in ex._follow["label"]
        dash.map.button.value = False
        assert dash.map.explorer is None
        assert not any(isinstance(cb, MapFollower) for cb in dash.model.callbacks.callbacks)
    finally:
        dash.close()


def test_tsne_follows_from_the_previous_layout():
    model = small_model(epochs=4)
    model.fit(make_corpus(1500), background=True)
    ex = w2v.EmbeddingExplorer(model, follow=True, n_words=30, projection="tsne")
    try:
        model.wait()
        assert ex.wait(120)
        assert ex.projection == "t-SNE" and ex._follow["frame"] == "tsne from the previous layout"
        assert ex.positions.shape == (30, 2) and np.isfinite(ex.positions).all()
    finally:
        ex.close()

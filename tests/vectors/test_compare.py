"""compare_runs: the alignment recovers a known rotation; overlap and displacement by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import w2v_widgets as w2v
from w2v_widgets.vectors.compare import align_runs, compare_runs, procrustes_rotation


def _random_rotation(d: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q * np.sign(np.diag(r))


def _angles(degrees: list[float], turn: float = 0.0) -> np.ndarray:
    rad = np.radians(np.asarray(degrees) + turn)
    return np.stack([np.cos(rad), np.sin(rad)], axis=1)


def test_procrustes_recovers_a_known_rotation_exactly():
    rng = np.random.default_rng(0)
    target = rng.normal(size=(300, 40))
    q = _random_rotation(40, 1)
    source = target @ q.T  # target = source @ q
    r = procrustes_rotation(source, target)
    np.testing.assert_allclose(r, q, atol=1e-10)
    np.testing.assert_allclose(r @ r.T, np.eye(40), atol=1e-12)


def test_a_rotated_copy_compares_as_unchanged():
    rng = np.random.default_rng(2)
    words = [f"w{i}" for i in range(120)]
    base = rng.normal(size=(120, 16))
    a = w2v.WordVectors(words, base, counts=np.arange(120, 0, -1))
    b = w2v.WordVectors(words[::-1], (3.0 * base @ _random_rotation(16, 3))[::-1])  # other order, scale
    runs = align_runs(a, b, n_fit=50)
    assert runs.words == words and runs.n_fit == 50
    np.testing.assert_allclose(runs.b, runs.a, atol=1e-5)
    frame = compare_runs(a, b, k=5)
    assert list(frame.columns) == ["word", "overlap", "displacement", "rank"]
    assert len(frame) == 120 and (frame.overlap == 1.0).all()
    assert frame.displacement.max() < 1e-5
    assert sorted(frame["rank"]) == list(range(1, 121))


def test_overlap_and_displacement_by_hand():
    # run a: words at 0, 10, 90 and 100 degrees; run b: the same, except "d" moved to 4 degrees,
    # and the whole of b turned by 30 degrees (which the alignment must undo).
    words = ["a", "b", "c", "d"]
    run_a = w2v.WordVectors(words, _angles([0, 10, 90, 100]), counts=[40, 30, 20, 10])
    run_b = w2v.WordVectors(words, _angles([0, 10, 90, 4], turn=30))
    # fitted on a, b, c only (identical up to the turn): the rotation is exactly -30 degrees
    frame = compare_runs(run_a, run_b, k=2, n_fit=3).set_index("word")
    # 2 nearest in a: a->{b,c} b->{a,c} c->{d,b} d->{c,b}; in b: a->{d,b} b->{d,a} c->{b,d} d->{a,b}
    assert frame.overlap.to_dict() == {"a": 0.5, "b": 0.5, "c": 1.0, "d": 0.5}
    # d moved from 100 to 4 degrees: a chord of 96 degrees on the unit circle
    assert frame.displacement["d"] == pytest.approx(2 * math.sin(math.radians(48)), abs=1e-6)
    assert frame.displacement.drop("d").max() < 1e-6
    assert frame["rank"].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert compare_runs(run_a, run_b, k=2, n_fit=3).word[0] == "d"  # most changed first


def test_shared_words_only_and_frequency_order_from_counts():
    rng = np.random.default_rng(4)
    a = w2v.WordVectors(["x", "y", "z", "only_a", "q"], rng.normal(size=(5, 6)), counts=[1, 50, 9, 7, 30])
    b = w2v.WordVectors(["q", "z", "y", "x", "only_b"], rng.normal(size=(5, 8)))  # other dimension
    runs = align_runs(a, b, n_fit=2)
    assert runs.words == ["y", "q", "z", "x"]  # a's frequency order, shared words only
    assert runs.a.shape == runs.b.shape == (4, 8)
    frame = compare_runs(a, b, k=2)
    assert set(frame.word) == {"x", "y", "z", "q"}
    assert frame.set_index("word")["rank"].to_dict() == {"y": 1, "q": 2, "z": 3, "x": 5}


def test_gensim_keyed_vectors_and_models_are_accepted():
    gensim_models = pytest.importorskip("gensim.models")
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(30)]
    vecs = rng.normal(size=(30, 10)).astype(np.float32)
    kv = gensim_models.KeyedVectors(10)
    kv.add_vectors(words, vecs)
    for i, word in enumerate(words):
        kv.set_vecattr(word, "count", 100 - i)
    ours = w2v.WordVectors(words, vecs @ _random_rotation(10, 6).astype(np.float32))
    frame = compare_runs(kv, ours, k=3)
    assert (frame.overlap == 1.0).all() and frame.displacement.max() < 1e-5
    assert w2v.compare_runs is compare_runs


def test_a_trained_model_is_accepted():
    from tests.support.models import small_model

    texts = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"]] * 40
    corpus = w2v.Corpus.from_texts(texts)
    one, two = small_model(seed=1, epochs=1).fit(corpus), small_model(seed=2, epochs=1).fit(corpus)
    frame = compare_runs(one, two, k=2)
    assert len(frame) == len(one.wv) and frame.overlap.between(0, 1).all()
    assert frame.displacement.between(0, 2).all()


def test_bad_input_says_what_to_change():
    wv = w2v.WordVectors(["a", "b", "c"], np.eye(3))
    with pytest.raises(w2v.ConfigError, match="Word2Vec, a WordVectors, a checkpoint path or a gensim"):
        compare_runs(wv, [[1, 2, 3]])
    with pytest.raises(w2v.ConfigError, match="share 0 word"):
        compare_runs(wv, w2v.WordVectors(["x", "y"], np.eye(2)))
    with pytest.raises(w2v.ConfigError, match="k=3"):
        compare_runs(wv, wv, k=3)
    with pytest.raises(w2v.ConfigError, match="k must be"):
        compare_runs(wv, wv, k=0)


def test_overlap_for_some_rows_searches_neighbours_among_all_rows():
    from w2v_widgets.vectors.compare import neighbour_overlap

    a = _angles([0, 10, 90, 100])
    b = _angles([0, 10, 90, 4])
    everyone = neighbour_overlap(a, b, k=2)
    np.testing.assert_array_equal(neighbour_overlap(a, b, k=2, rows=[3, 0]), everyone[[3, 0]])


def test_checkpoint_and_word_vectors_paths_are_accepted(tmp_path):
    from tests.support.models import small_model
    from w2v_widgets.callbacks import Callback

    class EveryEpoch(Callback):
        def on_epoch_end(self, model, logs):
            model.save(tmp_path / f"epoch{logs['epoch']}.w2v")

    texts = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"]] * 40
    model = small_model(seed=1, epochs=2, callbacks=[EveryEpoch()]).fit(w2v.Corpus.from_texts(texts))
    first, last = tmp_path / "epoch0.w2v", tmp_path / "epoch1.w2v"
    frame = compare_runs(str(first), last, k=2)
    assert len(frame) == len(model.wv) and frame.displacement.max() > 0  # one epoch apart: moved
    model.wv.save(tmp_path / "final.wv")
    same = compare_runs(last, tmp_path / "final.wv", k=2)
    assert same.displacement.max() < 1e-5 and (same.overlap == 1).all()  # the last epoch is the model


def test_a_path_that_is_not_a_run_says_what_to_give(tmp_path):
    wv = w2v.WordVectors(["a", "b", "c"], np.eye(3))
    with pytest.raises(w2v.ConfigError, match="no file at"):
        compare_runs(wv, tmp_path / "missing.w2v")
    (tmp_path / "vectors.txt").write_text("3 2\na 1 0\nb 0 1\nc 1 1\n")
    with pytest.raises(w2v.ConfigError, match="load_word2vec_format"):
        compare_runs(wv, tmp_path / "vectors.txt")

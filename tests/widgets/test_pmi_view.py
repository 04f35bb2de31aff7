"""PMIView: co-occurrence counts and PMI by hand on a toy corpus; the view follows training."""

from __future__ import annotations

import math

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from w2v_widgets.data import sampling
from w2v_widgets.widgets.teaching.pmi_view import PMIView, cooccurrence, pmi_table


def _brute_force(sentences: list[list[int]], vocab_size: int, window: int) -> np.ndarray:
    counts = np.zeros((vocab_size, vocab_size))
    for sent in sentences:
        for i, w in enumerate(sent):
            for j, c in enumerate(sent):
                d = abs(i - j)
                if 0 < d <= window:
                    counts[w, c] += (window - d + 1) / window  # P(a radius from 1..window reaches d)
    return counts


def test_cooccurrence_counts_match_a_brute_force_count():
    rng = np.random.default_rng(0)
    sentences = [list(rng.integers(0, 7, size=n)) for n in (1, 5, 9, 2, 12)]
    ids = np.concatenate(sentences)
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    for window in (1, 3, 5):
        got = cooccurrence(ids, offsets, 7, window).toarray()
        np.testing.assert_allclose(got, _brute_force(sentences, 7, window))


def test_pmi_by_hand_on_a_toy_corpus():
    # ids: a=0, b=1, c=2; sentences "a b c" and "a b"; window 1: every neighbour counts once
    counts = cooccurrence(np.array([0, 1, 2, 0, 1]), np.array([0, 3, 5]), 3, 1)
    assert counts.toarray().tolist() == [[0, 2, 0], [2, 0, 1], [0, 1, 0]]
    # D = 6 pairs; #a = 2, #b = 3, #c = 1
    noise = np.array([2, 3, 1]) / 6  # unigram over pair counts, so shifted = pmi - log k
    table = pmi_table(counts, noise, k=2).set_index(["w", "c"])
    assert table.loc[(0, 1), "pmi"] == pytest.approx(math.log(2 * 6 / (2 * 3)))
    assert table.loc[(1, 2), "pmi"] == pytest.approx(math.log(1 * 6 / (3 * 1)))
    np.testing.assert_allclose(table["shifted"], table["pmi"] - math.log(2))
    assert len(table) == 4 and table.loc[(2, 1), "count"] == 1
    uniform = pmi_table(counts, np.full(3, 1 / 3), k=1).set_index(["w", "c"])
    assert uniform.loc[(0, 1), "shifted"] == pytest.approx(math.log(2 / (2 * 1 / 3)))


@pytest.fixture(scope="module")
def corpus() -> w2v.Corpus:
    return make_corpus(1500)


def _model(**kw) -> w2v.Word2Vec:
    settings = dict(
        vector_size=20, window=2, negative=5, min_count=1, sample=0, epochs=4, alpha=0.05, device="cpu"
    )
    return w2v.Word2Vec(**{**settings, **kw})


def test_scores_approach_shifted_pmi_as_training_goes_on(corpus):
    model = _model()
    view = PMIView(model, corpus, word="cat")
    assert view.data.empty and "no vectors yet" in view._message.value
    seen: list[float] = []

    class Watch(w2v.Callback):
        def on_epoch_end(self, model, logs):
            view.refresh()
            seen.append(view.correlation)

    model.fit(corpus, callbacks=[Watch()])
    assert list(view.data.columns) == ["word", "context", "count", "pmi", "shifted", "score"]
    assert len(view.data) > 100 and (view.data["count"] >= 5).all()
    assert seen[-1] > 0.8 and seen[-1] > seen[0]  # tightens towards the optimum
    # the scores are the model's u·v, straight from its two tables
    row = view.data.iloc[0]
    vocab = model.vocab.key_to_index
    v = model.module.centre.weight[vocab[row.word]].detach().double().numpy()
    u = model.module.context.weight[vocab[row.context]].detach().double().numpy()
    assert row.score == pytest.approx(u @ v, rel=1e-9)
    noise = sampling.noise_distribution(model.vocab.counts)
    counts = view.counts()
    w, c = vocab[row.word], vocab[row.context]
    expected = math.log(counts[w, c] / (counts[w].sum() * 5 * noise[c]))
    assert row.shifted == pytest.approx(expected)
    assert "cat" in view._bars.value and "w2v-pmi-dots" in view._scatter.value


def test_retrain_with_other_k_and_noise_exponent(corpus):
    model = _model(epochs=2)
    view = PMIView(model, corpus)
    view.retrain(k=2, ns_exponent=0.0)
    assert model.get_params()["negative"] == 2 and model.get_params()["ns_exponent"] == 0.0
    assert view.k == 2 and view.ns_exponent == 0.0
    assert model.state == "finished" and len(model.epoch_losses) == 2
    assert "k = 2" in view._message.value and "count^0" in view._message.value
    uniform = np.full(len(model.vocab), 1 / len(model.vocab))
    row = view.data.iloc[0]
    w, c = model.vocab.key_to_index[row.word], model.vocab.key_to_index[row.context]
    counts = view.counts()
    assert row.shifted == pytest.approx(math.log(counts[w, c] / (counts[w].sum() * 2 * uniform[c])))


def test_escaping_and_bad_input(corpus):
    model = _model(epochs=1).fit(corpus)
    view = PMIView(model, corpus, word=EVIL)
    assert "<img" not in view._bars.value and "&lt;img" in view._bars.value
    view.word = "no-such-word"
    assert "not in the vocabulary" in view._bars.value
    with pytest.raises(w2v.ConfigError, match="Corpus"):
        PMIView(model, ["a", "b"])
    with pytest.raises(w2v.ConfigError, match="negative sampling"):
        PMIView(w2v.Word2Vec(loss="cbow"), corpus)
    with pytest.raises(w2v.ConfigError, match="ns_exponent"):
        w2v.Word2Vec(ns_exponent=1.5)
    assert w2v.PMIView is PMIView

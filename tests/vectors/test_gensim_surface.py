"""The parts of gensim's KeyedVectors surface added to WordVectors, checked against gensim itself
(same vectors in both) or against hand computation."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

from w2v_widgets.errors import ConfigError, UnknownWordError, VectorFileError
from w2v_widgets.vectors import WordVectors

gensim_kv = pytest.importorskip("gensim.models.keyedvectors")

WORDS = ["king", "queen", "man", "woman", "apple", "pear", "zero"]


@pytest.fixture()
def pair() -> tuple[WordVectors, object]:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(WORDS), 6)).astype(np.float32)
    vectors[-1] = 0  # a zero vector
    ours = WordVectors(WORDS, vectors, counts=[70, 60, 50, 40, 30, 20, 10])
    theirs = gensim_kv.KeyedVectors(6)
    theirs.add_vectors(WORDS, vectors)
    return ours, theirs


def test_empty_constructor_and_adding_vectors_like_gensim():
    for wv in (WordVectors(3), WordVectors(vector_size=3)):
        assert len(wv) == 0 and wv.vector_size == 3 and wv.vectors.dtype == np.float32
        wv.add_vectors(["a", "b"], np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float64))
        wv["c"] = [0, 0, 2]
        assert wv.index_to_key == ["a", "b", "c"] and wv.vectors.dtype == np.float32
        assert wv.add_vector("d", [1, 1, 0]) == 3
        assert wv.most_similar("a", topn=1)[0][0] == "d"  # caches follow the additions
    with pytest.raises(ConfigError, match="vector_size=d"):
        WordVectors()
    with pytest.raises(ConfigError, match="no words given"):
        WordVectors([], np.ones((0, 2)))


def test_add_vectors_keeps_or_replaces_existing_words_and_counts(pair):
    wv, _ = pair
    old = wv["king"].copy()
    wv.add_vectors(["king", "new"], np.ones((2, 6)), replace=False)
    assert np.array_equal(wv["king"], old) and np.array_equal(wv["new"], np.ones(6))
    assert wv.get_vecattr("new", "count") == 0
    wv[["king", "newer"]] = [np.full(6, 2.0), np.full(6, 3.0)]
    assert np.array_equal(wv["king"], np.full(6, 2.0)) and len(wv) == len(WORDS) + 2
    wv.add_vectors(["x"], np.ones((1, 6)), extras={"count": [5]})
    assert wv.get_vecattr("x", "count") == 5
    with pytest.raises(ConfigError, match="shape"):
        wv.add_vectors(["y"], np.ones((1, 5)))
    with pytest.raises(ConfigError, match="unique"):
        wv.add_vectors(["y", "y"], np.ones((2, 6)))
    with pytest.raises(ConfigError, match="NaN"):
        wv["z"] = np.full(6, np.nan)


def test_vecattr_counts_and_gensims_made_up_counts(pair):
    wv, _ = pair
    assert wv.get_vecattr("queen", "count") == 60
    wv.set_vecattr("queen", "count", 61)
    assert wv.counts[1] == 61
    no_counts = WordVectors(["a", "b", "c"], np.eye(3))
    assert [no_counts.get_vecattr(w, "count") for w in "abc"] == [3, 2, 1]  # as gensim's loader
    with pytest.raises(ConfigError, match="'count'"):
        wv.get_vecattr("king", "code")
    with pytest.raises(UnknownWordError):
        wv.get_vecattr("kingg", "count")


def test_distance_queries_equal_gensims(pair):
    ours, theirs = pair
    np.testing.assert_allclose(
        ours.distances("king"), [*theirs.distances("king")[:-1].tolist(), 1.0], atol=1e-6
    )
    np.testing.assert_allclose(
        ours.distances("king", ["queen", "apple"]), theirs.distances("king", ["queen", "apple"]), atol=1e-6
    )
    np.testing.assert_allclose(
        WordVectors.cosine_similarities(ours["man"], ours.vectors[:6]),
        theirs.cosine_similarities(theirs["man"], theirs.vectors[:6]),
        atol=1e-6,
    )
    assert WordVectors.cosine_similarities(np.zeros(6), ours.vectors[:2]).tolist() == [0.0, 0.0]  # not NaN
    for a, b in (("king", "pear"), ("apple", "woman")):
        assert set(ours.closer_than(a, b)) == set(theirs.closer_than(a, b))
        assert ours.words_closer_than(a, b) == ours.closer_than(a, b)
        assert ours.rank(a, b) == theirs.rank(a, b)
    assert ours.most_similar_to_given("king", ["apple", "queen", "man"]) == theirs.most_similar_to_given(
        "king", ["apple", "queen", "man"]
    )
    assert ours.relative_cosine_similarity("king", "queen", 3) == pytest.approx(
        theirs.relative_cosine_similarity("king", "queen", 3), abs=1e-6
    )
    assert ours.similarity("king", "king") == 1.0 and ours.distance("king", "king") == 0.0
    assert ours.similarity("zero", "zero") == 0.0


def test_unit_normalize_all_and_vectors_for_all(pair):
    wv, _ = pair
    subset = wv.vectors_for_all(["queen", "nope", "king", "queen"], copy_vecattrs=True)
    assert subset.index_to_key == ["queen", "king"] and subset.get_vecattr("king", "count") == 70
    assert np.array_equal(subset["queen"], wv["queen"])
    assert wv.vectors_for_all(["queen"]).counts is None
    assert len(wv.vectors_for_all(["nope"])) == 0
    wv.unit_normalize_all()
    norms = np.linalg.norm(wv.vectors, axis=1)
    np.testing.assert_allclose(norms[:-1], 1, atol=1e-6)
    assert norms[-1] == 0


def test_save_and_load_own_format_round_trip_without_pickle(tmp_path, pair):
    wv, _ = pair
    path = wv.save(tmp_path / "v.wv")
    back = WordVectors.load(path)
    assert back.index_to_key == wv.index_to_key
    assert np.array_equal(back.vectors, wv.vectors) and np.array_equal(back.counts, wv.counts)
    half = WordVectors(["a"], [[1.5, 2.0]], dtype=np.float16)
    assert WordVectors.load(half.save(tmp_path / "h.wv")).vectors.dtype == np.float16
    no_counts = WordVectors(["a"], [[1.0]])
    assert WordVectors.load(no_counts.save(tmp_path / "n.wv")).counts is None


def test_gensim_pickles_and_other_files_are_refused_with_a_way_out(tmp_path, pair):
    _, theirs = pair
    theirs.save(str(tmp_path / "gensim.kv"))  # gensim's own format: a pickle
    with pytest.raises(VectorFileError, match=r"never unpickles.*save_word2vec_format"):
        WordVectors.load(tmp_path / "gensim.kv")
    (tmp_path / "p.pkl").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(VectorFileError, match="pickle"):
        WordVectors.load(tmp_path / "p.pkl")
    (tmp_path / "v.txt").write_text("1 2\na 1 2\n")
    with pytest.raises(VectorFileError, match="load_word2vec_format"):
        WordVectors.load(tmp_path / "v.txt")
    (tmp_path / "bad.wv").write_bytes(b"PK\x03\x04 damaged")
    with pytest.raises(VectorFileError, match="damaged"):
        WordVectors.load(tmp_path / "bad.wv")


def test_vocabulary_file_round_trip_and_gensim_reads_it(tmp_path, pair):
    ours, _ = pair
    ours.save_word2vec_format(tmp_path / "v.bin", tmp_path / "v.vocab", binary=True)
    assert (tmp_path / "v.vocab").read_text().splitlines()[:2] == ["king 70", "queen 60"]
    back = WordVectors.load_word2vec_format(tmp_path / "v.bin", tmp_path / "v.vocab", binary=True)
    assert back.get_vecattr("woman", "count") == 40
    theirs = gensim_kv.KeyedVectors.load_word2vec_format(
        str(tmp_path / "v.bin"), str(tmp_path / "v.vocab"), binary=True
    )
    assert theirs.get_vecattr("woman", "count") == 40
    (tmp_path / "short.vocab").write_text("king 70\n")
    with pytest.raises(VectorFileError, match="no count for 6"):
        WordVectors.load_word2vec_format(tmp_path / "v.bin", tmp_path / "short.vocab", binary=True)
    (tmp_path / "bad.vocab").write_text("king 70\nqueen sixty\n")
    with pytest.raises(VectorFileError, match="line 2"):
        WordVectors.load_word2vec_format(tmp_path / "v.bin", tmp_path / "bad.vocab", binary=True)


def test_positional_fvocab_is_never_taken_as_binary(tmp_path, pair):
    ours, _ = pair
    ours.save_word2vec_format(tmp_path / "v.bin", binary=True)
    with pytest.raises(TypeError, match="binary=True by keyword"):
        WordVectors.load_word2vec_format(tmp_path / "v.bin", True)
    with pytest.raises(TypeError, match="binary=True by keyword"):
        ours.save_word2vec_format(tmp_path / "w.bin", True)


def test_truncation_and_strict_decoding_raise_gensims_exception_types(tmp_path, pair):
    ours, _ = pair
    for binary in (False, True):
        path = ours.save_word2vec_format(tmp_path / f"v{binary}", binary=binary)
        data = path.read_bytes()
        path.write_bytes(b"13" + data[1:])  # the header now promises 13 vectors (gensim's test)
        with pytest.raises(EOFError, match="truncated"):
            WordVectors.load_word2vec_format(path, binary=binary)
        with pytest.raises(VectorFileError):
            WordVectors.load_word2vec_format(path, binary=binary)
    (tmp_path / "u.txt").write_bytes(b"1 2\nok\xff 1 2\n")
    with pytest.raises(UnicodeDecodeError, match="not valid UTF-8"):
        WordVectors.load_word2vec_format(tmp_path / "u.txt", unicode_errors="strict")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert WordVectors.load_word2vec_format(tmp_path / "u.txt", unicode_errors="ignore").index_to_key == [
            "ok"
        ]


def test_datatype_header_less_files_and_gensim_keywords(tmp_path, pair):
    ours, _ = pair
    ours.save_word2vec_format(fname=tmp_path / "g.txt", write_header=False)
    back = WordVectors.load_word2vec_format(fname=tmp_path / "g.txt", no_header=True)
    assert back.index_to_key == WORDS and np.array_equal(back.vectors, ours.vectors)
    half = WordVectors.load_word2vec_format(tmp_path / "g.txt", no_header=True, datatype=np.float16)
    assert half.vectors.dtype == np.float16 and half.vectors.nbytes * 2 == back.vectors.nbytes
    assert half.most_similar("king", topn=1)[0][0] == ours.most_similar("king", topn=1)[0][0]
    assert ours.similar_by_word(word="king", topn=2) == ours.most_similar("king", topn=2)
    assert ours.rank(key1="king", key2="queen") == ours.rank("king", "queen")

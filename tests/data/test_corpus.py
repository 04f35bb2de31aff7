import gzip

import numpy as np
import pandas as pd
import pytest

import w2v_widgets as w2v
from w2v_widgets.data import text as text_module


def test_from_texts_builds_ids_and_sentences():
    c = w2v.Corpus.from_texts(["The cat sat on the mat.", "the dog", ["Keep", "Case"]])
    assert c.n_tokens == 10 and c.n_sentences == 3
    assert c.sentence(0) == ["the", "cat", "sat", "on", "the", "mat"]
    assert c.sentence(2) == ["Keep", "Case"]  # token lists are used as given
    assert c.counts[c.words.index("the")] == 3
    assert list(c.sentence_ids()) == [0] * 6 + [1] * 2 + [2] * 2


def test_from_texts_accepts_a_pandas_series_and_skips_missing_values():
    s = pd.Series(["a b c", None, np.nan, "c d"], index=[10, 20, 30, 40])
    c = w2v.Corpus.from_texts(s)
    assert c.n_sentences == 2 and c.n_tokens == 5


@pytest.mark.parametrize("bad", ["just one string", [1, 2], [["a", 3]]])
def test_from_texts_rejects_wrong_types(bad):
    with pytest.raises(w2v.CorpusError):
        w2v.Corpus.from_texts(bad)


def test_from_file_plain_and_gzip_give_the_same_corpus(tmp_path):
    body = "Hello world, hello!\nsecond line here\n\nthird\n"
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    with gzip.open(tmp_path / "a.gz", "wt", encoding="utf-8") as f:
        f.write(body)
    a = w2v.Corpus.from_file(tmp_path / "a.txt")
    b = w2v.Corpus.from_file(tmp_path / "a.gz")
    assert a.words == b.words and np.array_equal(a.ids, b.ids)
    assert a.sentence(0) == ["hello", "world", "hello"] and a.n_sentences == 3


def test_from_file_streams_a_single_huge_line_in_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(text_module, "_CHUNK_CHARS", 64)
    words = [f"w{i % 50}" for i in range(2000)]
    (tmp_path / "one_line.txt").write_text(" ".join(words))
    c = w2v.Corpus.from_file(tmp_path / "one_line.txt", max_sentence_length=300)
    assert c.n_tokens == 2000  # no word lost or split at piece boundaries
    assert [c.words[i] for i in c.ids] == words
    assert np.diff(c.sentence_offsets).max() <= 300


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="not found"):
        w2v.Corpus.from_file("/nonexistent/corpus.txt")


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n\n")
    with pytest.raises(w2v.CorpusError, match="contains no words"):
        w2v.Corpus.from_file(tmp_path / "empty.txt")


def test_binary_file(tmp_path):
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(w2v.CorpusError, match="binary"):
        w2v.Corpus.from_file(tmp_path / "blob.bin")


def test_non_utf8_file(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 cr\xe8me br\xfbl\xe9e\n".encode("latin-1"))
    with pytest.raises(w2v.CorpusError, match="not valid UTF-8"):
        w2v.Corpus.from_file(tmp_path / "latin1.txt")


def test_directory_is_rejected(tmp_path):
    with pytest.raises(w2v.CorpusError, match="directory"):
        w2v.Corpus.from_file(tmp_path)


def test_vocabulary_min_count_order_and_encoding():
    c = w2v.Corpus.from_texts(["b a a c", "a b d", "e"])
    v = w2v.Vocabulary.from_corpus(c, min_count=2)
    assert v.words == ["a", "b"] and list(v.counts) == [3, 2]
    ids, offsets = v.encode_corpus(c)
    assert list(ids) == [1, 0, 0, 0, 1] and list(offsets) == [0, 3, 5, 5]


def test_encoding_the_vocabularys_own_corpus_matches_encoding_by_words():
    # from_corpus remembers each word's row in its corpus, so encoding that corpus needs no dict
    # of its words; the result must be the one found by the words, for that corpus and no other
    texts = ["b a a c", "a b d", "e", "c c f a", "g b b c a"]
    c = w2v.Corpus.from_texts(texts)
    for min_count, max_size in [(1, None), (2, None), (2, 2), (3, 1)]:
        v = w2v.Vocabulary.from_corpus(c, min_count, max_size)
        by_words = w2v.Vocabulary(v.words, v.counts)  # the same words, not made from c
        assert v._source is not None and by_words._source is None
        for got, want in zip(v.encode_corpus(c), by_words.encode_corpus(c), strict=True):
            assert got.dtype == want.dtype and np.array_equal(got, want)
    v = w2v.Vocabulary.from_corpus(c, min_count=2)  # a, b, c
    other = w2v.Corpus.from_texts(["c a zz b", "b"])  # another corpus: encoded by its words
    ids, offsets = v.encode_corpus(other)
    assert v.words == ["a", "b", "c"] and list(ids) == [2, 0, 1, 1] and list(offsets) == [0, 3, 4]


def test_vocabulary_empty_after_min_count_says_what_to_change():
    c = w2v.Corpus.from_texts(["a b c"])
    with pytest.raises(w2v.CorpusError, match="lower min_count"):
        w2v.Vocabulary.from_corpus(c, min_count=5)

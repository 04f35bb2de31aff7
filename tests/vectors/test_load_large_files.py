"""The block readers of word2vec files (issue 30): equal to gensim's reading of the same generated
files (GoogleNews's layout, scaled down), block boundaries, and the errors that say what is wrong."""

from __future__ import annotations

import gzip
import subprocess
import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors

from w2v_widgets.errors import VectorFileError, VectorFileTruncatedError
from w2v_widgets.vectors import WordVectors

SYLLABLES = ["ka", "ro", "mi", "tel", "an", "su", "Ber", "lo", "né", "日本", "qu", "ist"]


def word_like(n: int, rng: np.random.Generator) -> list[str]:
    parts = rng.integers(0, len(SYLLABLES), size=(n, 3))
    return [
        ("_".join if i % 3 == 0 else "".join)(SYLLABLES[p] for p in parts[i]) + f"{i:x}" for i in range(n)
    ]


def write_file(path, words, vectors, binary: bool, header=None, newline=True, trailing_space=False):
    with open(path, "wb") as out:
        n, d = header or vectors.shape
        out.write(f"{n} {d}\n".encode())
        for word, row in zip(words, vectors, strict=True):
            if binary:
                out.write(word.encode() + b" " + row.astype("<f4").tobytes() + (b"\n" if newline else b""))
            else:
                end = " \n" if trailing_space else "\n"
                out.write((word + " " + " ".join(f"{x:.6f}" for x in row) + end).encode())
    return path


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(3)
    n, d = 3000, 300
    return word_like(n, rng), (rng.standard_normal((n, d)) * 0.1).astype(np.float32)


def same_as_gensim(path, binary: bool, **kwargs) -> WordVectors:
    ours = WordVectors.load_word2vec_format(path, binary=binary, **kwargs)
    theirs = KeyedVectors.load_word2vec_format(str(path), binary=binary, **kwargs)
    assert ours.index_to_key == theirs.index_to_key
    assert ours.key_to_index == theirs.key_to_index
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    assert ours.vectors.flags.c_contiguous and ours.vectors.dtype == np.float32
    return ours


@pytest.mark.parametrize("binary", [True, False])
def test_googlenews_layout_reads_as_gensim_does(tmp_path, table, binary):
    words, vectors = table
    path = write_file(tmp_path / "v", words, vectors, binary)
    ours = same_as_gensim(path, binary)
    if binary:
        np.testing.assert_array_equal(ours.vectors, vectors)
    same_as_gensim(path, binary, limit=1234)


def test_fasttext_vec_and_gzip(tmp_path, table):
    words, vectors = table
    same_as_gensim(write_file(tmp_path / "crawl.vec", words, vectors, False, trailing_space=True), False)
    raw = write_file(tmp_path / "v.bin", words, vectors, True).read_bytes()
    (tmp_path / "v.bin.gz").write_bytes(gzip.compress(raw, 1))
    ours = WordVectors.load_word2vec_format(tmp_path / "v.bin.gz", binary=True)
    np.testing.assert_array_equal(ours.vectors, vectors)


@pytest.mark.parametrize("chunk", [7, 1201, 4096])
def test_binary_block_boundaries(tmp_path, table, chunk):
    words, vectors = table
    path = write_file(tmp_path / "v.bin", words[:300], vectors[:300], True)
    ours = WordVectors.load_word2vec_format(path, binary=True, binary_chunk_size=chunk)
    assert ours.index_to_key == words[:300]
    np.testing.assert_array_equal(ours.vectors, vectors[:300])
    no_newlines = write_file(tmp_path / "n.bin", words[:300], vectors[:300], True, newline=False)
    np.testing.assert_array_equal(
        WordVectors.load_word2vec_format(no_newlines, binary=True).vectors, vectors[:300]
    )


@pytest.mark.parametrize("binary", [True, False])
def test_repeated_words_keep_the_first_vector(tmp_path, table, binary):
    words, vectors = table
    repeated = words[:50] + words[10:12] + words[50:100]
    rows = np.concatenate([vectors[:50], vectors[200:202], vectors[50:100]])
    path = write_file(tmp_path / "v", repeated, rows, binary)
    with pytest.warns(UserWarning, match="2 repeated words"):
        ours = WordVectors.load_word2vec_format(path, binary=binary)
    assert ours.index_to_key == words[:100]
    np.testing.assert_allclose(ours.vectors, vectors[:100], atol=1e-6)


@pytest.mark.parametrize("chunk", [4096, 1 << 24])
def test_repeats_of_earlier_blocks_words_keep_the_first_vector(tmp_path, table, chunk):
    """The first repeat in a file comes after blocks were added unchecked (the dict is rebuilt);
    later ones are looked up first. 4 KB blocks hold 3 records: repeats of earlier blocks' words."""
    words, vectors = table
    order = [*range(60), 5, *range(60, 90), 70, 7, *range(90, 100), 95, *range(100, 120)]
    repeats = iter(range(2000, 2100))  # a repeat's vector differs from the first one's
    rows = np.stack([vectors[next(repeats) if i in order[:at] else i] for at, i in enumerate(order)])
    path = write_file(tmp_path / "v.bin", [words[i] for i in order], rows, True)
    with pytest.warns(UserWarning, match="4 repeated words"):
        ours = WordVectors.load_word2vec_format(path, binary=True, binary_chunk_size=chunk)
    assert ours.index_to_key == words[:120]
    assert ours.key_to_index == {word: i for i, word in enumerate(words[:120])}
    np.testing.assert_array_equal(ours.vectors, vectors[:120])


def test_clear_errors(tmp_path, table):
    words, vectors = table
    words, vectors = words[:40], vectors[:40, :20]
    binary = write_file(tmp_path / "v.bin", words, vectors, True).read_bytes()
    text = write_file(tmp_path / "v.txt", words, vectors, False).read_bytes()

    def load(name, content, binary, **kwargs):
        (tmp_path / name).write_bytes(content)
        return WordVectors.load_word2vec_format(tmp_path / name, binary=binary, **kwargs)

    with pytest.raises(VectorFileTruncatedError, match="vector 40 of 40: unexpected end of file"):
        load("cut.bin", binary[:-30], True)
    with pytest.raises(VectorFileTruncatedError, match="after 39 of 40 vectors"):
        load("cut.txt", text[: text.rindex(b"\n", 0, -1) + 1], False)
    with pytest.raises(VectorFileError, match="looks like a text word2vec file: pass binary=False"):
        load("t.bin", text, True)
    with pytest.raises(VectorFileError, match="binary=True"):
        load("b.txt", binary, False)
    wrong_dims = write_file(tmp_path / "d.bin", words, vectors, True, header=(40, 19)).read_bytes()
    with pytest.raises(
        VectorFileError,
        match=r"vector 2 of 40: the records are out of step .* dimensions in the first line \(19\)",
    ):
        load("d.bin", wrong_dims, True)
    for binary_flag, content in [(True, binary), (False, text)]:
        fewer = content.replace(b"40 20\n", b"30 20\n", 1)
        with pytest.raises(VectorFileError, match="says 30 words but the file goes on"):
            load("fewer", fewer, binary_flag)
        assert len(load("fewer", fewer, binary_flag, limit=30)) == 30
    glove = text[text.index(b"\n") + 1 :]
    with pytest.raises(VectorFileError, match="no_header=True"):
        load("glove.txt", glove, False)
    assert load("glove.txt", glove, False, no_header=True).index_to_key == words
    nan = text.replace(b"\n" + words[20].encode() + b" ", b"\n" + words[20].encode() + b" nan ", 1)
    nan = nan.replace(b"40 20", b"40 21", 1)
    with pytest.raises(VectorFileError, match="line 2: expected 21 numbers"):
        load("nan.txt", nan, False)
    row = text.split(b"\n")[22].split(b" ")
    bad = text.replace(b" ".join(row), b" ".join([row[0], b"inf", *row[2:]]), 1)
    with pytest.raises(
        VectorFileError, match=f"line 23: the vector of '{words[21]}' contains NaN or infinity"
    ):
        load("inf.txt", bad, False)
    for value in (np.inf, np.nan):
        damaged = vectors.copy()
        damaged[10, 19] = value
        infinite = write_file(tmp_path / "inf.bin", words, damaged, True).read_bytes()
        with pytest.raises(
            VectorFileError, match=f"vector 11 of 40: the vector of '{words[10]}' contains NaN or infinity"
        ):
            load("inf.bin", infinite, True)


LOAD_AND_QUERY = """
import sys
import w2v_widgets as w2v
binary = w2v.WordVectors.load_word2vec_format(sys.argv[1], binary=True)
text = w2v.load_word2vec_format(sys.argv[2])
glove = w2v.WordVectors.load_word2vec_format(sys.argv[3], no_header=True)
word = binary.index_to_key[5]
assert binary.most_similar(word, topn=3)[0][1] > -1 and text.similarity(word, text.index_to_key[6]) < 1
assert glove.nearest(7, 2)[0].shape == (1, 2) and len(binary.neighbours([word], 3)) == 3
assert len(binary.neighbours(binary.index_to_key[:40], 3)) == 120  # several rows: one batch
a, b, c, d = binary.index_to_key[:4]
with open(sys.argv[4], "w") as f:
    f.write(f": one\\n{a} {b} {c} {d}\\n{b} {c} {d} {a}\\n")
binary.evaluate_word_analogies(sys.argv[4])
binary.evaluate_word_analogies(sys.argv[4], similarity_function="most_similar_cosmul")
assert len(w2v.compare_runs(binary, text, k=3)) > 0
print(sorted(m for m in ("torch", "numba") if m in sys.modules))
"""


def test_loading_and_querying_vectors_leaves_torch_unimported(tmp_path, table):
    """In a fresh process, ``import w2v_widgets``, loading word2vec binary, text and GloVe files and
    asking neighbours (of one word and of many), evaluating analogies and comparing two sets of
    vectors never import torch (seconds of a load's time): torch comes with a model
    (``w2v.Word2Vec``)."""
    words, vectors = table
    binary = write_file(tmp_path / "v.bin", words[:200], vectors[:200], True)
    text = write_file(tmp_path / "v.txt", words[:200], vectors[:200, :10], False)
    glove = tmp_path / "glove.txt"
    glove.write_bytes(text.read_bytes().split(b"\n", 1)[1])
    done = subprocess.run(
        [sys.executable, "-c", LOAD_AND_QUERY, str(binary), str(text), str(glove), str(tmp_path / "q.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "[]"

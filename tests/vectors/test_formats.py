"""word2vec text/binary files (round trips with gensim, damaged files) and Projector TSV."""

from __future__ import annotations

import gzip
import os
import re

import numpy as np
import pytest

from w2v_widgets.errors import VectorFileError
from w2v_widgets.vectors import WordVectors, load_word2vec_format, save_projector_tsv, save_word2vec_format

gensim_kv = pytest.importorskip("gensim.models.keyedvectors")
KeyedVectors = gensim_kv.KeyedVectors

UNICODE_WORDS = ["king", "café", "naïve", "日本語", "emoji🙂", "Ελλάδα", "ß", "x" * 300, "a,b"]


@pytest.fixture
def wv() -> WordVectors:
    rng = np.random.default_rng(3)
    words = UNICODE_WORDS + [f"w{i}" for i in range(200)]
    vectors = rng.standard_normal((len(words), 17)).astype(np.float32) * 10.0 ** rng.integers(
        -6, 6, size=(len(words), 1)
    )
    vectors[5] = 0.0
    return WordVectors(words, vectors, counts=np.arange(len(words), 0, -1))


def to_gensim(wv: WordVectors) -> KeyedVectors:
    kv = KeyedVectors(wv.vector_size)
    kv.add_vectors(wv.index_to_key, wv.vectors)
    return kv


def assert_same(wv: WordVectors, kv_or_wv) -> None:
    assert list(kv_or_wv.index_to_key) == wv.index_to_key
    np.testing.assert_array_equal(np.asarray(kv_or_wv.vectors), wv.vectors)


# ---------------------------------------------------------------------- round trips
@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
@pytest.mark.parametrize("suffix", [".w2v", ".w2v.gz", ".w2v.bz2"])
def test_round_trip_ours_and_gensim_both_ways(wv, tmp_path, binary, suffix):
    ours = tmp_path / f"ours{suffix}"
    assert save_word2vec_format(wv, ours, binary=binary) == ours
    assert_same(wv, load_word2vec_format(ours, binary=binary))  # exact, text included
    assert_same(wv, KeyedVectors.load_word2vec_format(str(ours), binary=binary))
    theirs = tmp_path / f"gensim{suffix}"
    to_gensim(wv).save_word2vec_format(str(theirs), binary=binary)
    loaded = WordVectors.load_word2vec_format(theirs, binary=binary)
    assert_same(wv, loaded)
    assert loaded.counts is None
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]


def test_text_output_is_byte_identical_to_gensim(wv, tmp_path):
    wv.save_word2vec_format(tmp_path / "ours.txt")
    to_gensim(wv).save_word2vec_format(str(tmp_path / "gensim.txt"))
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "gensim.txt").read_bytes()


def test_binary_layout(tmp_path):
    wv = WordVectors(["é", "b"], np.array([[1.0, -2.0], [0.5, 0.0]]))
    path = wv.save_word2vec_format(tmp_path / "v.bin", binary=True)
    expected = (
        b"2 2\n"
        + "é ".encode()
        + np.array([1.0, -2.0], "<f4").tobytes()
        + b"\nb "
        + np.array([0.5, 0.0], "<f4").tobytes()
        + b"\n"
    )
    assert path.read_bytes() == expected


def test_limit_and_no_header(wv, tmp_path):
    path = save_word2vec_format(wv, tmp_path / "v.txt")
    assert load_word2vec_format(path, limit=4).index_to_key == UNICODE_WORDS[:4]
    binary = save_word2vec_format(wv, tmp_path / "v.bin", binary=True)
    assert load_word2vec_format(binary, binary=True, limit=3).index_to_key == UNICODE_WORDS[:3]
    glove = tmp_path / "glove.txt"
    glove.write_text("the 0.1 0.2 0.3\nof -1 2 3e-2\n\n", encoding="utf-8")
    loaded = load_word2vec_format(glove, no_header=True)
    assert loaded.index_to_key == ["the", "of"]
    np.testing.assert_array_equal(loaded["of"], np.array([-1, 2, 0.03], np.float32))
    assert load_word2vec_format(glove, no_header=True, limit=1).index_to_key == ["the"]
    assert load_word2vec_format(glove, no_header=True, limit=5).index_to_key == ["the", "of"]


def test_words_with_whitespace_refused_on_save(tmp_path):
    for word, shown in [("new york", "' '"), ("tab\tword", "'\\t'"), ("nl\n", "'\\n'")]:
        wv = WordVectors(["ok", word], np.ones((2, 3)))
        with pytest.raises(ValueError, match=re.escape(f"contains the whitespace character {shown}")):
            save_word2vec_format(wv, tmp_path / "v.txt")
        assert not os.listdir(tmp_path)


def test_duplicates_in_file_keep_first_with_warning(tmp_path):
    path = tmp_path / "dup.txt"
    path.write_text("3 2\na 1 2\nb 3 4\na 5 6\n")
    with pytest.warns(UserWarning, match="1 repeated words.*'a'"):
        loaded = load_word2vec_format(path)
    assert loaded.index_to_key == ["a", "b"] and loaded["a"].tolist() == [1, 2]


# ---------------------------------------------------------------------- invalid UTF-8
def test_invalid_utf8_replaced_with_warning_or_refused(tmp_path):
    cut = "日本".encode()[:-1]  # a word cut inside a multibyte character, as word2vec.c does
    vec = np.array([1.0, 2.0], "<f4").tobytes()
    binary = tmp_path / "bad.bin"
    binary.write_bytes(b"2 2\n" + b"ok " + vec + b"\n" + cut + b" " + vec + b"\n")
    text = tmp_path / "bad.txt"
    text.write_bytes(b"2 2\nok 1 2\n" + cut + b" 1 2\n")
    for path, is_binary in [(binary, True), (text, False)]:
        with pytest.warns(UnicodeWarning, match="1 words had invalid UTF-8"):
            loaded = load_word2vec_format(path, binary=is_binary)
        assert loaded.index_to_key == ["ok", "日\ufffd"]
        with pytest.raises(VectorFileError, match="not valid UTF-8; pass unicode_errors='replace'"):
            load_word2vec_format(path, binary=is_binary, unicode_errors="strict")
        ignored = load_word2vec_format(path, binary=is_binary, unicode_errors="ignore")
        assert ignored.index_to_key == ["ok", "日"]
        assert KeyedVectors.load_word2vec_format(
            str(path), binary=is_binary, unicode_errors="replace"
        ).index_to_key == ["ok", "日\ufffd"]


# ---------------------------------------------------------------------- damaged files
def _damaged_files(tmp_path, wv):
    text = save_word2vec_format(wv, tmp_path / "good.txt").read_bytes()
    binary = save_word2vec_format(wv, tmp_path / "good.bin", binary=True).read_bytes()
    rng = np.random.default_rng(0)
    garbage = rng.integers(0, 256, 5000, dtype=np.uint8).tobytes()
    return {
        "empty": (b"", False, "the file is empty"),
        "garbage text": (garbage, False, "line 1"),
        "garbage binary": (garbage, True, "line 1"),
        "no newline": (b"7" * 100_000, False, "line 1"),
        "header only": (b"3 4\n", False, "unexpected end of file after 0 of 3"),
        "truncated text": (text[: len(text) // 2], False, "unexpected end of file|expected 17"),
        "truncated binary": (binary[: len(binary) // 2], True, "truncated"),
        "binary cut in header": (binary[:2], True, "line 1"),
        "text read as binary": (text, True, "looks like a text word2vec file: pass binary=False"),
        "binary read as text": (binary, False, "binary"),
        "wrong count": (
            b"1 3\nword 1 2\n",
            False,
            "line 2: expected 3 numbers after the word, found 2",
        ),
        "not numbers": (b"1 2\nword 1 x\n", False, "line 2: the values are not numbers"),
        "nan": (b"1 2\nword 1 nan\n", False, "line 2: the vector of 'word' contains NaN"),
        "huge header": (b"99999999999 99999\nw 1\n", False, "line 2: expected 99999 numbers"),
        "huge binary header": (b"99999999 99999\nw " + b"\0" * 1000, True, "truncated"),
        "absurd dimensions": (b"1 99999999999\n", True, "implausible header"),
        "zero words": (b"0 5\n", False, "implausible header"),
        "no word": (b"1 1\n 1\n", False, "empty word"),
        "long word": (b"1 1\n" + b"x" * 70_000 + b" " + b"\0" * 4, True, "no word found"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "garbage text",
        "garbage binary",
        "no newline",
        "header only",
        "truncated text",
        "truncated binary",
        "binary cut in header",
        "text read as binary",
        "binary read as text",
        "wrong count",
        "not numbers",
        "nan",
        "huge header",
        "huge binary header",
        "absurd dimensions",
        "zero words",
        "no word",
        "long word",
    ],
)
def test_damaged_files_raise_checkpoint_error(wv, tmp_path, case):
    content, binary, message = _damaged_files(tmp_path, wv)[case]
    path = tmp_path / "damaged"
    path.write_bytes(content)
    with pytest.raises(VectorFileError, match=message) as info:
        load_word2vec_format(path, binary=binary)
    assert str(path) in str(info.value) and isinstance(info.value, ValueError)


def test_damaged_gzip(wv, tmp_path):
    good = save_word2vec_format(wv, tmp_path / "good.txt.gz").read_bytes()
    for name, content in [("not-gzip.txt.gz", b"2 2\na 1 2\n"), ("cut.txt.gz", good[:-30])]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(VectorFileError, match="cannot be read"):
            load_word2vec_format(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        load_word2vec_format(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="limit"):
        load_word2vec_format(tmp_path / "good.txt.gz", limit=0)


def test_gzip_output_is_real_gzip(wv, tmp_path):
    path = save_word2vec_format(wv, tmp_path / "v.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fin:
        assert fin.readline() == f"{len(wv)} 17\n"


# ---------------------------------------------------------------------- projector TSV
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "back\\slash\\t",
    '"quoted"',
    "word",
    "日本",
]


def _unescape(field: str) -> str:
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\":
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[field[i + 1]])
            i += 2
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def test_projector_tsv_with_counts_and_hostile_words(tmp_path):
    vectors = np.arange(len(HOSTILE) * 3, dtype=np.float32).reshape(-1, 3) / 7
    wv = WordVectors(HOSTILE, vectors, counts=range(100, 100 + len(HOSTILE)))
    vectors_path, metadata_path = save_projector_tsv(wv, tmp_path / "projector")
    assert (vectors_path.name, metadata_path.name) == ("vectors.tsv", "metadata.tsv")
    rows = vectors_path.read_bytes().decode("utf-8").split("\n")
    assert rows[-1] == "" and len(rows) == len(HOSTILE) + 1
    parsed = np.array([[float(x) for x in row.split("\t")] for row in rows[:-1]], np.float32)
    np.testing.assert_array_equal(parsed, vectors)
    lines = metadata_path.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "word\tcount" and lines[-1] == ""
    fields = [line.split("\t") for line in lines[1:-1]]
    assert all(len(f) == 2 for f in fields)
    assert [_unescape(f[0]) for f in fields] == HOSTILE
    assert [int(f[1]) for f in fields] == list(range(100, 100 + len(HOSTILE)))
    assert fields[0][0] == "<img src=x onerror=alert(1)>"  # data, written verbatim
    assert b"\r" not in metadata_path.read_bytes()


def test_projector_tsv_without_counts_is_one_headerless_column(tmp_path):
    wv = WordVectors(HOSTILE, np.ones((len(HOSTILE), 2)))
    _, metadata_path = wv.save_projector_tsv(tmp_path)
    lines = metadata_path.read_bytes().decode("utf-8").split("\n")
    assert [_unescape(line) for line in lines[:-1]] == HOSTILE
    assert all("\t" not in line for line in lines)

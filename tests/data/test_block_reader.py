"""The default tokeniser's block reader (many lines a call), in Python and in machine code
(``jit_words``, which big files use), gives exactly the tokens, ids and sentences of the
line-by-line reader (the same tokeniser given as a callable, one call a line) and of a plain
loop over the lines, on text chosen to break it."""

from __future__ import annotations

import gzip
import unicodedata

import numpy as np
import pytest

import w2v_widgets as w2v
from w2v_widgets.data import corpus, text, tokenizers
from w2v_widgets.data.tokenizers import get_tokenizer

pytestmark = pytest.mark.filterwarnings("ignore::w2v_widgets.data.corpus.UnsegmentedTextWarning")


@pytest.fixture(params=["python", "jit"])
def reader(request, monkeypatch):
    """Each test twice: the Python block reader, and the machine-code one (every file size)."""
    if request.param == "jit":
        pytest.importorskip("numba")
        monkeypatch.setattr(corpus, "JIT_READ_BYTES", 0)
        monkeypatch.setattr(corpus, "JIT_COMPILE_BYTES", 0)
    else:
        monkeypatch.setattr(corpus, "JIT_READ_BYTES", 1 << 62)
    return request.param


TRICKY = (
    "\ufeffThe Cat's cat’s CAT; don't-stop_now 42 4.2 x2\n"
    "ΣΊΣΥΦΟΣ ΟΔΟΣ\nὈΔΥΣΣΕΎΣ İstanbul STRASSE straße ǅemal ﬁne ＡＢＣ\n"
    "\n\n   \t \n"
    "東京 タワー 한국어 عربي हिन्दी ' '' a''b a'b' 'c\r\n"
    "cafe\u0301 café \u0301lone mark at the start\n"  # decomposed and composed: one word after NFC
    "\u0301\nafter a mark line שָׁלוֹם مُحَمَّد می\u200cخواهم 👩\u200d💻 ok a\u200db\n"  # marks, ZWNJ, ZWJ
    "\u1112\u1161\u11ab\u1100\u1173\u11af python是一种语言 ΑΣ.ΑΣ\n"  # jamo, mixed scripts, sigmas
    "windows\r\nold mac\rline\x0bvt\x0cff\x1cfs\u2028ls\u2029ps\x85nel\n"
    "___ __init__ a_b ÀÉÎÕÜ ǈ ǋ Ⅻ ⅻ ① ²³ ½ \x01marker\x01 in\x01text\n"
    + "word " * 23
    + "\n"  # longer than max_sentence_length below: cut
    + "tail without newline ΑΣ"
)
ASCII = "The Cat's CAT; don't-stop_now 42 4.2 x2 ' '' a''b a'b' 'c O'Neil\n\n  \t\n" + "word " * 23 + "\nend"


def reference(path, lowercase: bool, max_len: int) -> w2v.Corpus:
    """The line-by-line path: the default tokeniser given as a callable."""
    tokenize = get_tokenizer("default", lowercase)
    return w2v.Corpus.from_file(path, tokenizer=tokenize, lowercase=lowercase, max_sentence_length=max_len)


def plain_loop(path, lowercase: bool, max_len: int) -> w2v.Corpus:
    """The tokens as a plain loop finds them: each line of the file (universal newlines, the
    byte-order mark dropped), NFC, underscores to spaces, lower case, the word regex; ids in
    order of first appearance; a sentence a line, cut every ``max_len`` words."""
    index: dict[str, int] = {}
    ids, offsets = [], [0]
    for line in path.read_text(encoding="utf-8-sig").split("\n"):
        line = unicodedata.normalize("NFC", line).replace("_", " ")
        words = tokenizers._WORD_RE.findall(line.lower() if lowercase else line)
        for start in range(0, len(words), max_len):
            ids += [index.setdefault(w, len(index)) for w in words[start : start + max_len]]
            offsets.append(len(ids))
    counts = np.bincount(np.array(ids, dtype=np.int64), minlength=len(index))
    return w2v.Corpus(np.array(ids, dtype=np.int32), np.array(offsets), list(index), counts)


def assert_same(a: w2v.Corpus, b: w2v.Corpus) -> None:
    assert a.words == b.words
    np.testing.assert_array_equal(a.ids, b.ids)
    np.testing.assert_array_equal(a.sentence_offsets, b.sentence_offsets)
    np.testing.assert_array_equal(a.counts, b.counts)


@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("max_len", [7, 10_000])
@pytest.mark.parametrize(
    "body", [TRICKY, ASCII, TRICKY.replace("\x01", "")], ids=["tricky", "ascii", "no-marker"]
)
def test_tricky_text_gives_the_same_tokens(tmp_path, lowercase, max_len, body, reader):
    path = tmp_path / "tricky.txt"
    path.write_text(body, encoding="utf-8")
    block = w2v.Corpus.from_file(path, lowercase=lowercase, max_sentence_length=max_len)
    assert_same(block, reference(path, lowercase, max_len))
    assert_same(block, plain_loop(path, lowercase, max_len))
    if body is not ASCII:
        assert ("σίσυφος" if lowercase else "ΣΊΣΥΦΟΣ") in block.words  # the final sigma, per line
        assert "café" in block.words and "a" in block.words and "b" in block.words


def test_blocks_pieces_and_long_lines_give_the_same_tokens(tmp_path, monkeypatch, reader):
    """Small blocks and pieces (so that lines, sentences and cuts straddle them, and ASCII and
    non-ASCII pieces mix), a line longer than a block (read in pieces that do not end it), gzip;
    against the line-by-line reader."""
    monkeypatch.setattr(text, "_CHUNK_CHARS", 50)
    monkeypatch.setattr(tokenizers, "_ASCII_PIECE_CHARS", 20)
    rng = np.random.default_rng(0)
    vocab = ["alpha", "Beta", "γάμμα", "don't", "x_y", "42", "ΟΔΟΣ", "", "\n", "\n\n", "  ", "-", "e\u0301"]
    pieces = rng.choice(vocab, size=3000)
    body = " ".join(pieces) + " " + "long " * 60 + "\n" + "ΑΣ " * 40 + "\n" + "end"
    path = tmp_path / "blocks.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(body)
    for max_len in (5, 10_000):
        assert_same(w2v.Corpus.from_file(path, max_sentence_length=max_len), reference(path, True, max_len))


def test_pieces_are_the_lines_as_before(tmp_path, monkeypatch):
    """iter_text_pieces (now built on blocks) yields each line, and long lines in pieces, as the
    line reader did (this list is what it yielded)."""
    monkeypatch.setattr(text, "_CHUNK_CHARS", 8)
    path = tmp_path / "p.txt"
    path.write_text("a b\n\nc d e f g h i j k\nlast", encoding="utf-8")
    assert list(text.iter_text_pieces(path)) == [
        ("a b", True),
        ("", True),
        ("c d e f g", False),  # the pending text passed 8 characters: cut at its last space
        (" h i j k", True),
        ("last", True),
    ]


def test_the_other_tokenizers_still_read_line_by_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Hello, world! 東京タワー\nda_da\n", encoding="utf-8")
    words = w2v.Corpus.from_file(path, tokenizer="whitespace").words
    assert words == ["hello,", "world!", "東京タワー", "da_da"]
    assert w2v.Corpus.from_file(path, tokenizer="chars").words[:4] == ["hello", "world", "東", "京"]


MIXED = (
    "Der Bär aß Äpfel; ÄRGER über Straße. naïve CAFÉ café cafe\u0301 Ōsaka\n"
    "한국어 텍스트: 서울은 한국의 수도이다. 한국어\u1100\u1161 ᄒᆞᆫ글\n"
    "中文文本：北京是中国的首都。Python 是一种语言。\n"
    "日本語のテキスト、東京タワー。 Ünïcödé ΆΈΉ ﬁne ＡＢＣ １２３\n"
    "plain ascii line, with don't and O'Neil's and 'quotes'\n"
)


def test_mixed_scripts_give_the_plain_loops_tokens(tmp_path, reader):
    """Korean, Chinese, Japanese, accents composed and decomposed, between ASCII lines (the
    machine-code reader takes ASCII lines by its byte rule and the others by the regex)."""
    rng = np.random.default_rng(1)
    ascii_lines = ["the cat sat on the mat", "A Dog's LIFE_story 42", "", "x'y 'z' ''", "UPPER lower"]
    lines = list(rng.choice(ascii_lines + MIXED.splitlines(), size=400))
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    for lowercase in (True, False):
        got = w2v.Corpus.from_file(path, lowercase=lowercase)
        assert_same(got, plain_loop(path, lowercase, 10_000))
        assert_same(got, reference(path, lowercase, 10_000))
    assert {"한국어", "café", "bär", "ōsaka", "o'neil's", "don't"} <= set(got.words) | {
        w.lower() for w in got.words
    }


def test_many_distinct_words_grow_the_table(tmp_path, reader):
    """70,000 distinct words (the machine-code table doubles twice, its word store grows) in a
    stream of repeats, blocks of 5,000 characters: the same ids as the plain loop."""
    rng = np.random.default_rng(2)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, size=rng.integers(3, 12))) for _ in range(70_000)]
    order = np.concatenate([np.arange(70_000), rng.integers(0, 70_000, size=50_000)])
    words = [vocab[i] for i in order]
    path = tmp_path / "many.txt"
    path.write_text(
        "\n".join(" ".join(words[i : i + 13]) for i in range(0, len(words), 13)), encoding="utf-8"
    )
    got = w2v.Corpus.from_file(path)
    assert_same(got, plain_loop(path, True, 10_000))
    assert len(got.words) == len(set(vocab))


def test_small_files_read_in_python_big_ones_in_machine_code(tmp_path, monkeypatch):
    """The machine-code reader only from ``JIT_READ_BYTES`` (numba's load would cost a small
    file more than it saves), and then only once compiled or cached."""
    pytest.importorskip("numba")
    path = tmp_path / "s.txt"
    path.write_text("a b c\n" * 10, encoding="utf-8")
    assert corpus._jit_words(path) is None
    monkeypatch.setattr(corpus, "JIT_READ_BYTES", 10)
    monkeypatch.setattr(corpus, "JIT_COMPILE_BYTES", 10)
    assert corpus._jit_words(path) is not None
    assert corpus._jit_words(tmp_path / "missing.txt") is None

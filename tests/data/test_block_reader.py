"""The default tokeniser's block reader (many lines a call) gives exactly the tokens, ids and
sentences of the line-by-line reader (the same tokeniser given as a callable, one call a line),
on text chosen to break it."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import w2v_widgets as w2v
from w2v_widgets.data import text, tokenizers
from w2v_widgets.data.tokenizers import get_tokenizer

pytestmark = pytest.mark.filterwarnings("ignore::w2v_widgets.data.corpus.UnsegmentedTextWarning")

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
def test_tricky_text_gives_the_same_tokens(tmp_path, lowercase, max_len, body):
    path = tmp_path / "tricky.txt"
    path.write_text(body, encoding="utf-8")
    block = w2v.Corpus.from_file(path, lowercase=lowercase, max_sentence_length=max_len)
    assert_same(block, reference(path, lowercase, max_len))
    if body is not ASCII:
        assert ("σίσυφος" if lowercase else "ΣΊΣΥΦΟΣ") in block.words  # the final sigma, per line
        assert "café" in block.words and "a" in block.words and "b" in block.words


def test_blocks_pieces_and_long_lines_give_the_same_tokens(tmp_path, monkeypatch):
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

"""Tokenizers by name (default, whitespace, chars, jieba, kiwi, sudachi), the checks on a user's
callable, Unicode normalisation and marks, and the warning on unsegmented Chinese/Japanese text.
Chinese and Korean come from real text: Debian's fortunes-zh and KoNLPy's bundled corpora."""

from __future__ import annotations

import gc
import warnings

import pytest

import w2v_widgets as w2v
from w2v_widgets.cli import build_parser, load_corpus
from w2v_widgets.data import datasets, tokenizers
from w2v_widgets.data.corpus import UnsegmentedTextWarning
from w2v_widgets.data.tokenizers import get_tokenizer, names


def test_every_named_tokenizer_is_listed_and_unknown_names_say_the_choices():
    assert {"default", "whitespace", "chars", "jieba", "kiwi", "sudachi"} <= set(names())
    with pytest.raises(w2v.ConfigError, match="choose one of: chars, default"):
        w2v.Corpus.from_texts(["a b"], tokenizer="mecab")


def test_chars_splits_cjk_characters_and_keeps_other_words_whole():
    tokenize = get_tokenizer("chars")
    assert tokenize("我爱北京。Python是一种 don't 학교에서 東京に ｶﾀ") == [
        "我", "爱", "北", "京", "python", "是", "一", "种", "don't",
        "학", "교", "에", "서", "東", "京", "に", "ｶ", "ﾀ",
    ]  # fmt: skip


def test_default_tokenizer_keeps_marks_and_joiners_inside_words_and_normalises_to_nfc():
    tokenize = get_tokenizer("default")
    # combining acute (decomposed) and precomposed é are one word after NFC
    assert tokenize("cafe\u0301 café") == ["café", "café"]
    # Devanagari vowel signs and virama, Hebrew points, Arabic harakat stay inside their words
    assert tokenize("हिन्दी שָׁלוֹם مُحَمَّد") == ["हिन्दी", "שָׁלוֹם", "مُحَمَّد"]
    # a zero-width non-joiner inside a Persian word is kept; emoji (ZWJ sequences) are not words
    assert tokenize("می\u200cخواهم 👩\u200d💻 ok") == ["می\u200cخواهم", "ok"]
    # decomposed Hangul jamo compose into the syllables that precomposed text has
    assert tokenize("\u1112\u1161\u11ab\u1100\u1173\u11af") == ["한글"]
    # mixed scripts in one line without spaces stay one token: that is what 'chars' is for
    assert tokenize("python是一种语言") == ["python是一种语言"]
    assert get_tokenizer("whitespace")("👩\u200d💻 Hi") == ["👩\u200d💻", "hi"]


def test_jieba_gives_chinese_words():
    assert get_tokenizer("jieba")("我爱北京天安门。") == ["我", "爱", "北京", "天安门"]


def test_kiwi_gives_korean_morphemes_so_inflected_forms_share_a_stem():
    tokens = get_tokenizer("kiwi")("학교에 갔다. 학교에서 공부를 했다. 학교를 좋아한다.")
    assert tokens.count("학교") == 3  # whitespace would give three words: 학교에, 학교에서, 학교를
    assert "." not in tokens


def test_sudachi_gives_japanese_words_and_cuts_long_lines_under_its_input_limit():
    tokenize = get_tokenizer("sudachi")
    assert tokenize("吾輩は猫である。")[:3] == ["吾輩", "は", "猫"]
    long_line = "吾輩は猫である。" * 3000  # 24,000 characters, ~72 KB: over SudachiPy's 49,149 bytes
    assert tokenize(long_line).count("吾輩") == 3000


def test_a_missing_optional_package_says_the_pip_command(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jieba", None)  # import jieba now raises ImportError
    tokenizers._jieba_model.cache_clear()  # a model loaded by an earlier test would be reused
    try:
        with pytest.raises(w2v.ConfigError, match=r"`pip install jieba`"):
            get_tokenizer("jieba")
    finally:
        tokenizers._jieba_model.cache_clear()


def test_a_callable_returning_non_strings_or_raising_is_a_clear_error_naming_the_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("one two\nthree four\nfive six\n", encoding="utf-8")

    def numbers_on_line_two(text):
        return [1] if text.startswith("three") else text.split()

    with pytest.raises(
        w2v.CorpusError, match=r"returned a value of type int \(1\) among its words on line 2 of"
    ):
        w2v.Corpus.from_file(path, tokenizer=numbers_on_line_two)

    def raises_on_line_three(text):
        if text.startswith("five"):
            raise RuntimeError("no model loaded")
        return text.split()

    with pytest.raises(w2v.CorpusError, match=r"raised RuntimeError on line 3 of .*no model loaded"):
        w2v.Corpus.from_file(path, tokenizer=raises_on_line_three)
    with pytest.raises(w2v.CorpusError, match=r"returned a value of type str on item 1"):
        w2v.Corpus.from_texts(["a b", "c d"], tokenizer=lambda t: "x" if t == "c d" else t.split())
    assert w2v.Corpus.from_texts(["a b"], tokenizer=lambda t: tuple(t.split())).n_tokens == 2


def test_fortunes_zh_warns_at_once_with_the_default_tokenizer_and_not_with_chars_or_jieba():
    with pytest.warns(UnsegmentedTextWarning, match=r"tokenizer= one of 'chars', 'jieba'"):
        clauses = datasets.load("fortunes-zh", tokenizer="default")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnsegmentedTextWarning)
        chars = datasets.load("fortunes-zh", tokenizer="chars")
        words = datasets.load("fortunes-zh", tokenizer="jieba")
    # characters: a small alphabet; words: more types, fewer tokens; clauses: mostly seen once
    assert len(chars.words) < len(words.words) and chars.n_tokens > words.n_tokens > clauses.n_tokens
    assert chars.counts[chars.words.index("月")] > 500 and "明月" in words.words


def test_korean_law_morphemes_merge_the_eojeol_that_whitespace_keeps_apart():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnsegmentedTextWarning)  # Korean has spaces: no warning
        eojeol = datasets.load("korean-law", tokenizer="default")
    morphemes = datasets.load("korean-law", tokenizer="kiwi")
    assert {"국민은", "국민의", "국민"} <= set(eojeol.words)
    assert morphemes.counts[morphemes.words.index("국민")] > eojeol.counts[eojeol.words.index("국민")]
    assert len(morphemes.words) < len(eojeol.words)


def _kiwis() -> int:
    import kiwipiepy

    gc.collect()
    return sum(isinstance(o, kiwipiepy.Kiwi) for o in gc.get_objects())


def test_kiwis_model_is_shared_while_used_and_freed_once_the_corpus_is_built():
    # Kiwi's model takes about 300-500 MB of a student's kernel: kept only while a tokenizer lives
    first, second = get_tokenizer("kiwi"), get_tokenizer("kiwi")
    assert first("국민은") == second("국민은") == ["국민", "은"] and _kiwis() == 1  # one model, shared
    del first, second
    assert _kiwis() == 0
    corpus = w2v.Corpus.from_texts(["대한민국은 민주공화국이다."], tokenizer="kiwi")
    assert "민주공화국" in corpus.words or "공화국" in corpus.words
    assert _kiwis() == 0  # the reader dropped its tokenizer, and the model with it


def test_the_cli_takes_a_tokenizer_for_a_file(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_text("我爱北京天安门\n", encoding="utf-8")
    args = build_parser().parse_args(["train", str(path), "--out", str(tmp_path), "--tokenizer", "chars"])
    assert load_corpus(args.file, args.dataset, args.tokenizer).sentence(0) == list("我爱北京天安门")
    with pytest.raises(w2v.W2VError, match="applies to a FILE"):
        load_corpus(None, "sample", "chars")

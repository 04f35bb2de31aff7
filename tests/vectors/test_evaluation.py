"""Analogy and word-pair evaluation: results equal gensim's on the standard test sets."""

from __future__ import annotations

import gzip
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from w2v_widgets.data import datasets as w2v_datasets
from w2v_widgets.data.datasets.evaluation import evaluation_set_path
from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors.evaluation import (
    betainc,
    evaluate_word_analogies,
    evaluate_word_pairs,
    pearson,
    spearman,
)

gensim_kv = pytest.importorskip("gensim.models.keyedvectors")
stats = pytest.importorskip("scipy.stats")
special = pytest.importorskip("scipy.special")

# The evaluation sets bundled in the package (gensim's test data among them).
QUESTIONS, WORDSIM, SIMLEX = (
    evaluation_set_path("google-analogies"),
    evaluation_set_path("wordsim353"),
    evaluation_set_path("simlex999"),
)


def _read_text(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()


def _sections(path: Path) -> list[tuple[str, list[list[str]]]]:
    sections: list[tuple[str, list[list[str]]]] = []
    for line in _read_text(path).splitlines():
        if line.startswith(": "):
            sections.append((line[2:].strip(), []))
        elif line.split():
            sections[-1][1].append(line.split())
    return sections


def _pair_words(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) == 3:
            words += fields[:2]
    return words


@pytest.fixture(scope="module")
def model() -> tuple[WordVectors, object]:
    """Vectors where analogy offsets are planted with noise (so many, not all, answers are
    right), the original-case form of some words as separate entries (case folding matters),
    and unrelated filler words; the same vectors in gensim."""
    rng = np.random.default_rng(1234)
    dim = 40
    base: dict[str, np.ndarray] = {}
    originals: set[str] = set()

    def vec(word: str) -> np.ndarray:
        if word not in base:
            base[word] = rng.standard_normal(dim)
        return base[word]

    for _name, questions in _sections(QUESTIONS):
        offset = rng.standard_normal(dim) * 1.2
        derived: set[str] = set()
        for question in questions:
            for x, y in ((question[0], question[1]), (question[2], question[3])):
                originals.update((x, y))
                x, y = x.lower(), y.lower()
                if y not in derived and y != x:
                    base[y] = vec(x) + offset + rng.standard_normal(dim) * 1.3
                    derived.add(y)
    for word in _pair_words(WORDSIM) + _pair_words(SIMLEX):
        vec(word.lower())
    words = sorted(base)
    words += [w for w in sorted(originals) if w != w.lower() and rng.random() < 0.5]
    for word in words:
        vec(word)
    words += [f"filler{i}" for i in range(600)]
    order = rng.permutation(len(words))
    words = [words[i] for i in order]
    vectors = np.stack([vec(w) for w in words]).astype(np.float32)
    # a few zero vectors (fillers, never asked about, as gensim answers NaN for those)
    vectors[[words.index(f"filler{i}") for i in (3, 30, 300)]] = 0.0
    kv = gensim_kv.KeyedVectors(dim)
    kv.add_vectors(words, vectors)
    return WordVectors(words, vectors), kv


@pytest.fixture(scope="module")
def questions_subset(tmp_path_factory) -> Path:
    """Every 7th question of each section (about 2,800 of 19,544), so gensim stays quick."""
    path = tmp_path_factory.mktemp("eval") / "questions-subset.txt.gz"
    lines = []
    for name, questions in _sections(QUESTIONS):
        lines.append(f": {name}")
        lines += [" ".join(q) for q in questions[::7]]
    lines.insert(3, "a line that is not a question")
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return path


def assert_same_analogy_results(ours, theirs):
    score, sections = ours
    expected_score, expected_sections = theirs
    assert score == pytest.approx(expected_score, abs=1e-12)
    assert [s["section"] for s in sections] == [s["section"] for s in expected_sections]
    for got, expected in zip(sections, expected_sections, strict=True):
        assert got["correct"] == expected["correct"], got["section"]
        assert got["incorrect"] == expected["incorrect"], got["section"]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"case_insensitive": False},
        {"dummy4unknown": True},
        {"restrict_vocab": 2000},
        {"restrict_vocab": 1500, "case_insensitive": False, "dummy4unknown": True},
    ],
)
def test_analogies_equal_gensim(model, questions_subset, options):
    wv, kv = model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = kv.evaluate_word_analogies(str(questions_subset), **options)
    ours = evaluate_word_analogies(wv, questions_subset, **options)
    assert_same_analogy_results(ours, theirs)
    # the comparison means something: many right, many wrong
    total = ours[1][-1]
    assert len(total["correct"]) > 40 and len(total["incorrect"]) > 40
    assert ours[1][-1]["section"] == "Total accuracy"


@pytest.mark.slow
def test_full_analogy_file_equals_gensim(model):
    wv, kv = model
    theirs = kv.evaluate_word_analogies(str(QUESTIONS))
    assert_same_analogy_results(wv.evaluate_word_analogies(QUESTIONS), theirs)


def test_analogies_method_delegates(model, questions_subset):
    wv, _ = model
    assert_same_analogy_results(
        wv.evaluate_word_analogies(questions_subset, restrict_vocab=2500),
        evaluate_word_analogies(wv, questions_subset, restrict_vocab=2500),
    )


def test_analogy_file_errors(tmp_path):
    wv = WordVectors(["a", "b", "c", "d"], np.eye(4))
    empty = tmp_path / "empty.txt"
    empty.write_text(": only a header\n")
    with pytest.raises(ValueError, match="no analogy questions"):
        evaluate_word_analogies(wv, empty)
    headless = tmp_path / "headless.txt"
    headless.write_text("a b c d\n")
    with pytest.raises(ValueError, match="line 1: a question before any"):
        evaluate_word_analogies(wv, headless)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b": s\na b c d\ncaf\xe9 b c d\n")
    with pytest.raises(ValueError, match="line 3: not valid UTF-8"):
        evaluate_word_analogies(wv, latin1)
    # all out of vocabulary: nothing answered, score 0 as in gensim
    oov = tmp_path / "oov.txt"
    oov.write_text(": s\nx y z w\n")
    score, sections = evaluate_word_analogies(wv, oov)
    assert score == 0.0 and sections[-1] == {
        "section": "Total accuracy",
        "correct": [],
        "incorrect": [],
    }


def test_analogy_by_hand(tmp_path):
    # b - a + c lands on d exactly; "e" is the distractor
    words = ["a", "b", "c", "d", "e"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [0.2, 0.2, 1]], np.float32)
    path = tmp_path / "q.txt"
    path.write_text(": one\na b c d\na b c e\n: two\nA B C D\n")
    score, sections = evaluate_word_analogies(WordVectors(words, vectors), path)
    assert score == pytest.approx(2 / 3)
    assert sections[0]["correct"] == [("A", "B", "C", "D")]
    assert sections[0]["incorrect"] == [("A", "B", "C", "E")]
    assert sections[1]["correct"] == [("A", "B", "C", "D")]


# ---------------------------------------------------------------------- word pairs
@pytest.mark.parametrize("path", [WORDSIM, SIMLEX], ids=["wordsim353", "simlex999"])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"dummy4unknown": True},
        {"restrict_vocab": 1200},
        {"case_insensitive": False},
        {"restrict_vocab": 900, "dummy4unknown": True, "case_insensitive": False},
    ],
)
def test_word_pairs_equal_gensim(model, path, options):
    wv, kv = model
    (p_r, p_p), (s_r, s_p), oov = evaluate_word_pairs(wv, path, **options)
    (gp_r, gp_p), (gs_r, gs_p), goov = kv.evaluate_word_pairs(str(path), **options)
    assert p_r == pytest.approx(gp_r, abs=1e-6) and p_p == pytest.approx(gp_p, rel=1e-4, abs=1e-12)
    assert s_r == pytest.approx(gs_r, abs=1e-6) and s_p == pytest.approx(gs_p, rel=1e-4, abs=1e-12)
    assert oov == pytest.approx(goov, abs=1e-12)


def test_word_pairs_structured_correlation_and_delegation(tmp_path):
    """Vectors built so that cosine follows the human score: high correlation, tiny p-values."""
    lines = [ln for ln in WORDSIM.read_text().splitlines() if not ln.startswith("#")]
    rng = np.random.default_rng(5)
    words, rows, pairs = [], [], []
    for i, line in enumerate(lines[:120]):
        _a, _b, score = line.split("\t")
        angle = (1 - float(score) / 10) * math.pi / 2 + rng.normal(0, 0.05)
        words += [f"x{i}", f"y{i}"]
        rows += [[1.0, 0.0], [math.cos(angle), math.sin(angle)]]
        pairs.append(f"x{i}\ty{i}\t{score}")
    pair_file = tmp_path / "pairs.tsv"
    pair_file.write_text("# comment\n" + "\n".join(pairs) + "\nbroken line\n")
    wv = WordVectors(words, np.array(rows))
    kv = gensim_kv.KeyedVectors(2)
    kv.add_vectors(words, np.array(rows, dtype=np.float32))
    ours = wv.evaluate_word_pairs(pair_file)
    theirs = kv.evaluate_word_pairs(str(pair_file))
    assert ours[0].statistic > 0.95 and ours[1].statistic > 0.95
    assert ours[0].pvalue == pytest.approx(theirs[0].pvalue, rel=1e-6)
    assert ours[1].pvalue == pytest.approx(theirs[1].pvalue, rel=1e-6)
    assert ours[0].statistic == pytest.approx(theirs[0].statistic, abs=1e-7)
    assert ours[2] == 0.0


def test_word_pair_errors(tmp_path):
    wv = WordVectors(["a", "b"], np.eye(2))
    path = tmp_path / "p.tsv"
    path.write_text("x\ty\t1.0\n")
    with pytest.raises(ValueError, match="no usable word pairs"):
        evaluate_word_pairs(wv, path)
    path.write_text("a b 1.0\nb a 2.0\n")
    with pytest.raises(ValueError, match="wrong format/delimiter"):
        evaluate_word_pairs(wv, path)
    assert evaluate_word_pairs(wv, path, delimiter=" ", dummy4unknown=True)[2] == 0.0


# ---------------------------------------------------------------------- statistics
@pytest.mark.parametrize("n", [3, 4, 10, 57, 353, 999])
def test_pearson_and_spearman_equal_scipy(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n)
    for y in (x * 0.3 + rng.standard_normal(n), np.round(rng.standard_normal(n), 1), -(x**3)):
        got_p, got_s = pearson(x, y), spearman(np.round(x, 1), y)
        want_p, want_s = stats.pearsonr(x, y), stats.spearmanr(np.round(x, 1), y)
        assert got_p.statistic == pytest.approx(want_p.statistic, abs=1e-12)
        assert got_p.pvalue == pytest.approx(want_p.pvalue, rel=1e-8, abs=1e-300)
        assert got_s.statistic == pytest.approx(want_s.statistic, abs=1e-12)
        assert got_s.pvalue == pytest.approx(want_s.pvalue, rel=1e-8, abs=1e-300)
    # a perfect ranking: p is 0 up to rounding (scipy and we may round rho differently)
    assert spearman(x, -(x**3)).statistic == pytest.approx(-1.0, abs=1e-12)
    assert spearman(x, -(x**3)).pvalue < 1e-6


def test_statistics_edge_cases():
    assert pearson([1, 2], [3, 1]) == (pytest.approx(-1.0), 1.0)
    assert spearman([1, 2, 3], [1, 2, 3]) == (1.0, 0.0)
    assert all(math.isnan(v) for v in pearson([1, 1, 1], [1, 2, 3]))
    assert all(math.isnan(v) for v in spearman([1, 2, 3], [5, 5, 5]))
    with pytest.raises(ValueError, match="at least 2"):
        pearson([1], [2])
    for a, b, x in [
        (0.5, 0.5, 0.3),
        (2, 3, 0.9),
        (175.5, 0.5, 0.99),
        (400, 400, 0.45),
        (1, 1, 0.0),
    ]:
        assert betainc(a, b, x) == pytest.approx(special.betainc(a, b, x), rel=1e-10, abs=1e-300)


# ---------------------------------------------------------------------- bundled sets, evaluate()
def test_cosmul_analogies_answer_as_most_similar_cosmul(model, questions_subset):
    """3CosMul accuracy: each question answered as gensim's most_similar_cosmul would (the best
    of its 5 answers that is not an input word), which differs from 3CosAdd on these vectors."""
    wv, kv = model
    n = len(kv)  # gensim's most_similar_cosmul ignores restrict_vocab: compare on all words
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, sections = evaluate_word_analogies(
            wv, questions_subset, restrict_vocab=n, similarity_function="most_similar_cosmul"
        )
        add_score, _ = evaluate_word_analogies(wv, questions_subset, restrict_vocab=n)
    ok_vocab = {w.upper(): i for i, w in reversed(list(enumerate(kv.index_to_key[:n])))}
    total = sections[-1]
    for quad in total["correct"][:60] + total["incorrect"][:60]:
        a, b, c, _ = (kv.index_to_key[ok_vocab[w]] for w in quad)
        sims = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5, restrict_vocab=n)
        guess = next((w.upper() for w, _ in sims if w.upper() not in quad[:3]), None)
        assert (guess == quad[3]) == (quad in total["correct"])
    cosmul_score = len(total["correct"]) / (len(total["correct"]) + len(total["incorrect"]))
    assert cosmul_score != add_score
    with pytest.raises(ValueError, match="most_similar_cosmul"):
        evaluate_word_analogies(wv, questions_subset, similarity_function="cosine")


def test_bundled_sets_by_name_equal_their_files(model):
    wv, _ = model
    assert wv.evaluate_word_pairs("wordsim353") == wv.evaluate_word_pairs(WORDSIM)
    score, _ = wv.evaluate_word_analogies("google-analogies", restrict_vocab=1000)
    assert score == wv.evaluate_word_analogies(QUESTIONS, restrict_vocab=1000)[0]
    with pytest.raises(FileNotFoundError, match="did you mean 'simlex999'"):
        wv.evaluate_word_pairs("simlex-999")
    with pytest.raises(FileNotFoundError, match="bundled pairs set, not analogies"):
        wv.evaluate_word_analogies("wordsim353")
    with pytest.raises(TypeError, match="encoding"):
        wv.evaluate_word_pairs("wordsim353", "\t", 30000)  # gensim's third argument is encoding


def test_evaluate_returns_one_table_over_all_bundled_sets(model):
    wv, _ = model
    table = wv.evaluate()
    assert list(table.columns) == ["set", "kind", "metric", "score", "coverage"]
    assert table.set.tolist() == list(w2v_datasets.evaluation_sets().name)
    row = table.set_index("set").loc["wordsim353"]
    _, (rho, _), oov = wv.evaluate_word_pairs("wordsim353")
    assert row.metric == "spearman" and row.score == rho and row.coverage == pytest.approx(1 - oov / 100)
    row = table.set_index("set").loc["google-analogies"]
    accuracy, sections = wv.evaluate_word_analogies("google-analogies")
    answered = len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    assert row.metric == "accuracy" and row.score == accuracy and row.coverage == answered / 19544
    assert (table.coverage > 0).all() and table.score.notna().all()
    only = wv.evaluate(["simlex999"])
    assert only.set.tolist() == ["simlex999"]


def test_evaluate_reports_uncovered_sets_as_nan_not_an_error():
    wv = WordVectors(["qqq", "zzz"], np.eye(2))
    table = wv.evaluate(["men", "google-analogies"])
    assert table.score.isna().all() and (table.coverage == 0).all()


def test_bad_lines_are_reported_by_number(tmp_path):
    wv = WordVectors(["a", "b", "c", "d"], np.eye(4) + 0.1)
    path = tmp_path / "pairs.tsv"
    path.write_text("# comment\na\tb\t1\nbroken\na\tc\t2\n\nb\tc\tnot-a-number\nb\td\t3\n")
    with pytest.warns(UserWarning, match=r"skipped 2 malformed line\(s\) \(line 3, 6\)"):
        wv.evaluate_word_pairs(path)
    path.write_text("a b 1\nc d 2\n")
    with pytest.raises(ValueError, match="line 1: 'a b 1'"):
        wv.evaluate_word_pairs(path)
    questions = tmp_path / "q.txt"
    questions.write_text(": s\na b c d\na b c\nb a d c\n")
    with pytest.warns(UserWarning, match=r"\(line 3\)"):
        wv.evaluate_word_analogies(questions)

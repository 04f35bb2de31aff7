"""Standard evaluations of word vectors: analogy accuracy and word-pair correlation.

File formats, arguments and results are gensim's (``KeyedVectors.evaluate_word_analogies`` and
``evaluate_word_pairs``), so scores compare directly. Analogies are answered in batches (one
matrix product per block of questions) instead of one ``most_similar`` call per question.
"""

from __future__ import annotations

import io
import logging
import math
import os
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..data.datasets.evaluation import EVALUATION_SETS, evaluation_set_path
from .formats import open_file
from .top_k import top_rows

if TYPE_CHECKING:
    import pandas as pd

    from .word_vectors import WordVectors

logger = logging.getLogger(__name__)

# float32 scores held at once by batched queries, evaluation and run comparison (16 MiB): with
# 64 MiB blocks comparing two runs of 33,000 words raised a kernel's peak by 130 MB (now ~35 MB)
SCORE_BLOCK = 1 << 22
_ANALOGY_TOPN = 5  # gensim looks at the 5 best answers that are not input words


class Correlation(NamedTuple):
    """A correlation coefficient and its two-sided p-value (unpacks like scipy's results)."""

    statistic: float
    pvalue: float


# ---------------------------------------------------------------------------- statistics
def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _pearson_r(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r computed as scipy.stats.pearsonr does (same rounding); NaN if constant."""
    if (x == x[0]).all() or (y == y[0]).all():
        return math.nan
    xm, ym = x - x.mean(), y - y.mean()
    xmax, ymax = np.abs(xm).max(), np.abs(ym).max()
    normxm = xmax * np.linalg.norm(xm / xmax)
    normym = ymax * np.linalg.norm(ym / ymax)
    return float(np.clip(np.dot(xm / normxm, ym / normym), -1.0, 1.0))


def pearson(x: Any, y: Any) -> Correlation:
    """Pearson's r with the two-sided p-value of scipy.stats.pearsonr (NaN for constant input)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    if n < 2 or y.shape[0] != n:
        raise ValueError("a correlation needs two equally long lists of at least 2 numbers")
    r = _pearson_r(x, y)
    if math.isnan(r):
        return Correlation(math.nan, math.nan)
    if n == 2:
        return Correlation(r, 1.0)
    ab = n / 2 - 1
    return Correlation(r, min(1.0, 2 * betainc(ab, ab, (1 - abs(r)) / 2)))


def _rank(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given their average rank (scipy.stats.rankdata's default)."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    starts = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], values.shape[0]]
    ranks = np.empty(values.shape[0], dtype=np.float64)
    ranks[order] = ((first + 1 + last) / 2.0)[group]
    return ranks


def spearman(x: Any, y: Any) -> Correlation:
    """Spearman's rho with the two-sided p-value of scipy.stats.spearmanr."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    if n < 2 or y.shape[0] != n:
        raise ValueError("a correlation needs two equally long lists of at least 2 numbers")
    if (x == x[0]).all() or (y == y[0]).all():
        return Correlation(math.nan, math.nan)
    rho = float(np.corrcoef(_rank(x), _rank(y))[0, 1])  # as scipy.stats.spearmanr
    dof = n - 2
    if dof == 0:
        return Correlation(rho, 1.0)
    if abs(rho) >= 1.0:
        return Correlation(rho, 0.0)
    # two-sided Student t tail with t^2 = rho^2 dof / (1 - rho^2): I_{1 - rho^2}(dof/2, 1/2)
    return Correlation(rho, betainc(dof / 2, 0.5, (1.0 + rho) * (1.0 - rho)))


# ---------------------------------------------------------------------------- analogies
def _ok_vocab(wv: WordVectors, restrict_vocab: int | None, case_insensitive: bool) -> dict[str, int]:
    """Word (upper-cased if case-insensitive) -> index of its first occurrence."""
    ok_vocab: dict[str, int] = {}
    for i, word in enumerate(wv.index_to_key[:restrict_vocab]):
        ok_vocab.setdefault(word.upper() if case_insensitive else word, i)
    return ok_vocab


def _warn_skipped(path: Any, skipped: list[tuple[int, str]], expected: str) -> None:
    """One warning naming the malformed lines that were skipped (as gensim skips them)."""
    if not skipped:
        return
    shown = ", ".join(str(n) for n, _ in skipped[:10]) + (" ..." if len(skipped) > 10 else "")
    first_no, first = skipped[0]
    warnings.warn(
        f"{path}: skipped {len(skipped)} malformed line(s) (line {shown}); each line should be "
        f"{expected}; line {first_no} is {first.strip()[:60]!r}",
        UserWarning,
        stacklevel=3,
    )


def _analogy_candidates_cosmul(wv: WordVectors, questions: np.ndarray, end: int, topn: int) -> np.ndarray:
    """As :func:`_analogy_candidates` but scored by 3CosMul (Levy & Goldberg 2014), as
    ``most_similar_cosmul``: ``(1 + cos b)/2 * (1 + cos c)/2 / ((1 + cos a)/2 + 1e-6)``."""
    normed = wv.get_normed_vectors()
    table = np.ascontiguousarray(normed[:end])
    topn = min(topn, end)
    out = np.empty((questions.shape[0], topn), dtype=np.int64)
    block = max(1, SCORE_BLOCK // (3 * end))
    for start in range(0, questions.shape[0], block):
        q = questions[start : start + block]

        def shifted(col: int, q: np.ndarray = q) -> np.ndarray:
            return (1 + normed[q[:, col]] @ table.T) / 2

        scores = shifted(1) * shifted(2) / (shifted(0) + np.float32(0.000001))
        out[start : start + q.shape[0]] = top_rows(scores, topn)[0]
    return out


def _analogy_candidates(wv: WordVectors, questions: np.ndarray, end: int, topn: int) -> np.ndarray:
    """Indices of the ``topn`` words (among the first ``end``) nearest to b - a + c, per row
    ``(a, b, c)`` of ``questions``; scored as gensim's most_similar does."""
    normed = wv.get_normed_vectors()
    wv.fill_norms()
    assert wv.norms is not None
    norms = np.where(wv.norms[:end] > 0, wv.norms[:end], np.float32(1.0))
    table = wv.vectors[:end]
    topn = min(topn, end)
    out = np.empty((questions.shape[0], topn), dtype=np.int64)
    block = max(1, SCORE_BLOCK // end)
    for start in range(0, questions.shape[0], block):
        q = questions[start : start + block]
        mean = (normed[q[:, 1]] + normed[q[:, 2]]) - normed[q[:, 0]]  # float32, gensim's order
        mean = mean.astype(np.float64) / 3.0
        lengths = np.linalg.norm(mean, axis=1, keepdims=True)
        mean = (mean / np.where(lengths > 0, lengths, 1.0)).astype(np.float32)
        scores = mean @ table.T
        scores /= norms
        out[start : start + q.shape[0]] = top_rows(scores, topn)[0]
    return out


def evaluate_word_analogies(
    wv: WordVectors,
    path: str | os.PathLike[str],
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    similarity_function: str = "most_similar",
) -> tuple[float, list[dict[str, Any]]]:
    """Accuracy on analogy questions ``a b c expected`` (3CosAdd), as gensim computes it.

    ``path``: a file or a bundled set's name (``"google-analogies"``): lines of 4 words, grouped
    under ``": section name"`` lines (e.g. Google's ``questions-words.txt``); malformed lines are
    skipped with one warning naming their numbers. ``similarity_function="most_similar_cosmul"``
    answers by 3CosMul instead (gensim accepts the argument but ignores it). Questions with a
    word outside the first ``restrict_vocab`` words are skipped, or counted wrong with
    ``dummy4unknown``. Words are upper-cased when ``case_insensitive`` (a word's first occurrence
    in the vocabulary wins).

    Returns ``(score, sections)``: overall accuracy, and one dict per section
    (``section``, ``correct``, ``incorrect``: lists of 4-tuples) ending with ``"Total accuracy"``.
    """
    if similarity_function not in ("most_similar", "most_similar_cosmul"):
        raise ValueError(
            f"similarity_function must be 'most_similar' (3CosAdd) or 'most_similar_cosmul' "
            f"(3CosMul), got {similarity_function!r}"
        )
    path = evaluation_set_path(path, "analogies")
    ok_vocab = _ok_vocab(wv, restrict_vocab, case_insensitive)
    skipped: list[tuple[int, str]] = []
    sections: list[dict[str, Any]] = []
    section: dict[str, Any] | None = None
    pending: list[tuple[dict[str, Any], int, tuple[str, str, str, str]]] = []  # in file order
    question_words: list[tuple[str, str, str, str]] = []
    oov = quadruplets = 0
    with open_file(path, "rb") as fin:
        for line_no, raw in enumerate(fin, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError(f"{path}, line {line_no}: not valid UTF-8") from None
            if line.startswith(": "):
                section = {"section": line.lstrip(": ").strip(), "correct": [], "incorrect": []}
                sections.append(section)
                continue
            if section is None:
                raise ValueError(f"{path}, line {line_no}: a question before any ': section' header line")
            words = line.upper().split() if case_insensitive else line.split()
            if len(words) != 4:
                if line.strip():
                    skipped.append((line_no, line))
                continue
            quadruplets += 1
            quad = (words[0], words[1], words[2], words[3])
            if any(w not in ok_vocab for w in quad):
                oov += 1
                if dummy4unknown:
                    pending.append((section, -1, quad))
                continue
            pending.append((section, len(question_words), quad))
            question_words.append(quad)
    if quadruplets == 0:
        raise ValueError(f"no analogy questions (lines of 4 words) found in {path}")
    _warn_skipped(path, skipped, "4 words separated by spaces, or ': section name'")

    predicted: list[str | None] = []
    if question_words:
        q = np.asarray([[ok_vocab[w] for w in quad[:3]] for quad in question_words], np.int64)
        end = min(len(wv), restrict_vocab) if restrict_vocab else len(wv)
        candidates = (
            _analogy_candidates_cosmul
            if similarity_function == "most_similar_cosmul"
            else _analogy_candidates
        )
        top = candidates(wv, q, end, _ANALOGY_TOPN + 3)
        keys = wv.index_to_key
        for quad, candidates in zip(question_words, top.tolist(), strict=True):
            inputs = {ok_vocab[quad[0]], ok_vocab[quad[1]], ok_vocab[quad[2]]}
            guess = None
            # gensim: the 5 best words that are not the inputs' rows; the first whose (upper-
            # cased) form differs from the input words is the answer, else the 5th.
            for i in [i for i in candidates if i not in inputs][:_ANALOGY_TOPN]:
                guess = keys[i].upper() if case_insensitive else keys[i]
                if guess in ok_vocab and guess not in quad[:3]:
                    break
            predicted.append(guess)
    for sec, qi, quad in pending:
        ok = qi >= 0 and predicted[qi] == quad[3]
        sec["correct" if ok else "incorrect"].append(quad)

    for sec in sections:
        _log_section(sec)
    total = {
        "section": "Total accuracy",
        "correct": [q for s in sections for q in s["correct"]],
        "incorrect": [q for s in sections for q in s["incorrect"]],
    }
    logger.info("quadruplets with out-of-vocabulary words: %.1f%%", 100.0 * oov / quadruplets)
    score = _log_section(total)
    sections.append(total)
    return score, sections


def _log_section(section: dict[str, Any]) -> float:
    correct, incorrect = len(section["correct"]), len(section["incorrect"])
    if correct + incorrect == 0:
        return 0.0
    score = correct / (correct + incorrect)
    logger.info("%s: %.1f%% (%i/%i)", section["section"], 100 * score, correct, correct + incorrect)
    return score


# ---------------------------------------------------------------------------- word pairs
def evaluate_word_pairs(
    wv: WordVectors,
    path: str | os.PathLike[str],
    delimiter: str = "\t",
    restrict_vocab: int | None = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    encoding: str = "utf8",
) -> tuple[Correlation, Correlation, float]:
    """Correlation of cosine similarities with human scores, as gensim computes it.

    ``path``: a file or a bundled set's name (``"wordsim353"``, ``"simlex999"``...): lines
    ``word1<delimiter>word2<delimiter>score``; lines starting with ``#`` are comments, malformed
    lines are skipped with one warning naming their numbers. Pairs with a word outside the first
    ``restrict_vocab`` words are skipped, or scored 0 with ``dummy4unknown``.

    Returns ``(pearson, spearman, oov_ratio)``: two ``Correlation(statistic, pvalue)`` tuples and
    the percentage of pairs with unknown words.
    """
    path = evaluation_set_path(path, "pairs")
    ok_vocab = _ok_vocab(wv, restrict_vocab, case_insensitive)
    skipped: list[tuple[int, str]] = []
    gold: list[float] = []
    pairs: list[tuple[int, int]] = []  # (-1, -1) for an unknown pair scored 0
    oov = 0
    with open_file(path, "rb") as raw, io.TextIOWrapper(raw, encoding=encoding) as fin:
        try:
            lines = list(fin)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not valid {encoding} text ({exc})") from None
    for line_no, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split(delimiter)
        if case_insensitive:
            fields = [f.upper() for f in fields]
        try:
            a, b, sim_text = fields
            sim = float(sim_text)
        except ValueError:
            skipped.append((line_no, line))
            continue
        if a not in ok_vocab or b not in ok_vocab:
            oov += 1
            if dummy4unknown:
                gold.append(sim)
                pairs.append((-1, -1))
            continue
        gold.append(sim)
        pairs.append((ok_vocab[a], ok_vocab[b]))
    if not gold:
        first = f" (line {skipped[0][0]}: {skipped[0][1].strip()[:60]!r})" if skipped else ""
        raise ValueError(
            f"no usable word pairs in {path}: wrong format/delimiter{first}, or all pairs have "
            f"words outside the vocabulary; each line should be word1{delimiter!r}word2{delimiter!r}score"
        )
    _warn_skipped(path, skipped, f"word1{delimiter!r}word2{delimiter!r}score")
    idx = np.asarray(pairs, dtype=np.int64)
    known = idx[:, 0] >= 0
    normed = wv.get_normed_vectors()
    model = np.zeros(len(pairs), dtype=np.float64)
    model[known] = np.einsum("ij,ij->i", normed[idx[known, 0]], normed[idx[known, 1]])
    pearson_result, spearman_result = pearson(gold, model), spearman(gold, model)
    oov_ratio = 100.0 * oov / (len(gold) if dummy4unknown else len(gold) + oov)
    logger.info("Pearson correlation coefficient against %s: %.4f", path, pearson_result[0])
    logger.info("Spearman rank-order correlation coefficient against %s: %.4f", path, spearman_result[0])
    logger.info("Pairs with unknown words ratio: %.1f%%", oov_ratio)
    return pearson_result, spearman_result, oov_ratio


def evaluate_all(
    wv: WordVectors, sets: Sequence[str] | None = None, restrict_vocab: int | None = 300000
) -> pd.DataFrame:
    """Scores on bundled evaluation sets (all by default), one row each: ``set, kind, metric,
    score, coverage`` (Spearman's rho for pairs, accuracy for analogies; ``coverage``: share of
    pairs or questions whose words are all known; score NaN when nothing is covered)."""
    names = list(EVALUATION_SETS) if sets is None else [sets] if isinstance(sets, str) else list(sets)
    rows = []
    for name in names:
        info = EVALUATION_SETS.get(name)
        if info is None:
            evaluation_set_path(name)  # raises, listing the names
            raise ValueError(f"{name!r} is a file; evaluate() takes bundled set names")
        if info.kind == "pairs":
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    _, rho, oov = evaluate_word_pairs(wv, info.path, restrict_vocab=restrict_vocab)
                score, coverage = rho.statistic, 1.0 - oov / 100.0
            except ValueError:  # no pair with known words
                score, coverage = math.nan, 0.0
            rows.append((name, "pairs", "spearman", score, coverage))
        else:
            accuracy, sections = evaluate_word_analogies(wv, info.path, restrict_vocab=restrict_vocab)
            total = sections[-1]
            answered = len(total["correct"]) + len(total["incorrect"])
            score = accuracy if answered else math.nan
            rows.append((name, "analogies", "accuracy", score, answered / info.size))
    import pandas as pd

    table = pd.DataFrame(rows, columns=["set", "kind", "metric", "score", "coverage"])
    _warn_if_other_language(wv, table)
    return table


class EvaluationLanguageWarning(UserWarning):
    """The bundled evaluation sets (English) cover almost none of a model's words."""


_LOW_COVERAGE = 0.05  # below this share of every bundled set, the scores say nothing


def main_script(words: Sequence[str]) -> str:
    """The script most of ``words`` start with, from Unicode names ("LATIN", "CJK", "HANGUL"...)."""
    import unicodedata
    from collections import Counter

    scripts = Counter(unicodedata.name(w[0], "UNKNOWN").split()[0] for w in words if w)
    return scripts.most_common(1)[0][0] if scripts else "UNKNOWN"


def _warn_if_other_language(wv: WordVectors, table: pd.DataFrame) -> None:
    if table.empty or (table["coverage"] >= _LOW_COVERAGE).any():
        return
    script = main_script(wv.index_to_key[:5000])
    if script == "LATIN":  # an English model of a small corpus: its coverage column says so
        return
    script = script if script == "CJK" else script.title()
    warnings.warn(
        f"the bundled evaluation sets are English and cover at most {table['coverage'].max():.1%} of their "
        f"pairs and questions with this model's words (most of its words are in {script} script): "
        "the scores are n/a, not zeros. Evaluate "
        "with pairs or analogies in the model's language: wv.evaluate_word_pairs(path), "
        "wv.evaluate_word_analogies(path)",
        EvaluationLanguageWarning,
        stacklevel=3,
    )


WORD_GROUPS: dict[str, tuple[str, ...]] = {
    "months": (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    "numbers": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
}


def group_share(wv: WordVectors, group: Sequence[str], k: int = 10) -> float:
    """Mean share of a group's members among the ``k`` nearest words of each member in the
    vocabulary (e.g. how many of a month's 10 neighbours are months); NaN if none is known."""
    members = set(group)
    present = [w for w in group if w in wv.key_to_index]
    shares = [sum(n in members for n, _ in wv.most_similar(w, topn=k)) / k for w in present]
    return float(np.mean(shares)) if shares else float("nan")

"""Probe words: which words to watch while embeddings form.

By default, words of groups a learner recognises (numbers, months, colours, family, countries,
days...) that the vocabulary has often enough, so that a table of their neighbours shows the
groups forming; then content words from the middle of the frequency ranks; never function words. The lessons'
rule (8 frequent + 8 mid-frequency words) is ``rule="lessons"``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..errors import ConfigError

# Groups whose members end up as each other's neighbours when training works; in each, the
# least ambiguous members first ("may", "march" and "one" are also other words).
PROBE_GROUPS: dict[str, tuple[str, ...]] = {
    "numbers": ("three", "seven", "five", "four", "six", "eight", "nine", "two", "ten"),
    "months": ("january", "october", "february", "september", "november", "december", "august", "july"),
    "colours": ("red", "green", "blue", "yellow", "black", "white", "brown"),
    "family": ("mother", "brother", "father", "sister", "daughter", "son", "wife", "husband"),
    "countries": ("france", "germany", "italy", "spain", "china", "japan", "india", "russia", "england"),
    "days": ("monday", "friday", "tuesday", "sunday", "wednesday", "thursday", "saturday"),
    "animals": ("dog", "horse", "cat", "cow", "sheep", "wolf", "lion", "bird"),
    "body": ("hand", "head", "eye", "arm", "foot", "heart", "leg"),
    "royalty": ("king", "queen", "prince", "emperor", "duke"),
    "metals": ("gold", "silver", "iron", "copper", "lead"),
}

# English function words (determiners, pronouns, prepositions, conjunctions, auxiliaries...):
# never probes, their neighbours show nothing a learner can check.
_FUNCTION_WORDS_TEXT = """a about above after again against all also am an and any are as at be
    because been before
    being below between both but by can could did do does doing down during each either else
    ever few for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just least less many may me might more most much must my myself
    neither no nor not now of off on once one only or other others our ours ourselves out over
    own per rather same shall she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too under until up upon
    us very was we were what when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves s t d ll m re ve n't although however
    therefore among around across another every including already still often even like
    toward towards onto whilst unless besides despite hence whereas well became become"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def _present(words: Sequence[str], known: dict[str, int], candidates: Sequence[str]) -> list[str]:
    """The vocabulary's spelling of each candidate it has (lower case, else capitalised)."""
    found = []
    for word in candidates:
        for form in (word, word.capitalize()):
            if form in known:
                found.append(form)
                break
    return found


def _is_content_word(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.lower() not in FUNCTION_WORDS


def group_probe_words(
    words: Sequence[str],
    n: int = 16,
    min_members: int = 3,
    frequent: int = 2000,
    frequent_share: float = 0.2,
    seed: int = 0,
) -> list[str]:
    """Up to ``n`` probe words from :data:`PROBE_GROUPS`, then mid-frequency content words.

    A group counts when at least ``min_members`` of its words are among the ``frequent`` most
    frequent words, or the most frequent ``frequent_share`` of a larger vocabulary: rarer words
    get noisy neighbours. The counted groups give one word each in turn (their least ambiguous frequent
    members first) until ``n``; the rest are content words drawn with ``seed`` from the middle
    frequency ranks (25%-60% of the vocabulary). ``words`` in decreasing frequency; the result
    keeps a group's words together.
    """
    words = list(words)
    known = {w: i for i, w in enumerate(words)}
    cutoff = max(frequent, int(frequent_share * len(words)))
    eligible = []
    for members in PROBE_GROUPS.values():
        present = [w for w in _present(words, known, members) if known[w] < cutoff]
        if len(present) >= min_members:
            eligible.append(present)
    picked: list[list[str]] = [[] for _ in eligible]
    total = 0
    for turn in range(max(map(len, eligible), default=0)):
        for group, members in zip(picked, eligible, strict=True):
            if total < n and turn < len(members):
                group.append(members[turn])
                total += 1
    chosen = [w for group in picked for w in group]
    if len(chosen) >= n:
        return chosen
    lo, hi = len(words) // 4, max(len(words) * 3 // 5, len(words) // 4 + 1)
    taken = set(chosen)
    middle = [w for w in words[lo:hi] if _is_content_word(w) and w not in taken]
    if len(middle) < n - len(chosen):  # small vocabularies: any content word
        middle = [w for w in words if _is_content_word(w) and w not in taken]
    rng = random.Random(seed)
    chosen.extend(rng.sample(middle, min(n - len(chosen), len(middle))))
    return chosen


def lessons_probe_words(
    words: Sequence[str], n_frequent: int = 8, n_mid: int = 8, seed: int = 0
) -> list[str]:
    """The lessons' validation words: ``n_frequent`` drawn from the 100 most frequent words and
    ``n_mid`` from frequency ranks 1000-1100 (scaled down for vocabularies under 1,100 words).

    ``words`` must be in decreasing frequency order (a :class:`Vocabulary`'s ``words``).
    """
    words = list(words)
    n = len(words)
    rng = random.Random(seed)
    top = list(range(min(100, n)))
    if n >= 1100:
        mid = list(range(1000, 1100))
    else:
        lo = min(len(top), n)
        mid = list(range(max(lo, n // 2), n)) or top
    frequent = rng.sample(top, min(n_frequent, len(top)))
    rest = [i for i in mid if i not in frequent]
    chosen = frequent + rng.sample(rest, min(n_mid, len(rest)))
    return [words[i] for i in chosen]


def default_probe_words(words: Sequence[str], n: int = 16, seed: int = 0, rule: str = "groups") -> list[str]:
    """Probe words for a vocabulary in decreasing frequency order: ``rule="groups"`` (default,
    :func:`group_probe_words`) or ``rule="lessons"`` (:func:`lessons_probe_words`, 8 + 8)."""
    if rule == "groups":
        return group_probe_words(words, n=n, seed=seed)
    if rule == "lessons":
        return lessons_probe_words(words, n_frequent=n // 2, n_mid=n - n // 2, seed=seed)
    raise ConfigError(f"rule must be 'groups' or 'lessons', got {rule!r}")

"""Probe words: which words to watch while embeddings form.

By default, words of groups a learner recognises (numbers, months, colours, family, countries,
days...) that the vocabulary has often enough, so that a table of their neighbours shows the
groups forming; then content words from the middle of the frequency ranks; never function words. The lessons'
rule (8 frequent + 8 mid-frequency words) is ``rule="lessons"``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from ..errors import ConfigError
from .tokenizers import CJK_CHARS

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
    # Chinese: characters ('chars' tokenizer) and words ('jieba') alike
    "numbers (zh)": ("三", "七", "五", "四", "六", "八", "九", "二", "十", "百", "千"),
    "months (zh)": ("正月", "一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月"),
    "colours (zh)": ("红", "绿", "青", "黄", "白", "黑", "紫", "红色", "绿色", "黄色", "白色", "黑色"),
    "family (zh)": ("父", "母", "兄", "弟", "妻", "父亲", "母亲", "儿子", "女儿", "哥哥", "妹妹"),
    "seasons (zh)": ("春", "夏", "秋", "冬", "春天", "夏天", "秋天", "冬天"),
    "nature (zh)": ("山", "水", "月", "风", "花", "雪", "云", "雨", "江", "日"),
    # Korean: morphemes ('kiwi'); native and Sino-Korean numbers
    "numbers (ko)": (
        "하나",
        "둘",
        "셋",
        "넷",
        "다섯",
        "여섯",
        "일곱",
        "여덟",
        "아홉",
        "열",
        "삼",
        "사",
        "오",
        "십",
    ),
    "months (ko)": (
        "일월",
        "이월",
        "삼월",
        "사월",
        "오월",
        "유월",
        "칠월",
        "팔월",
        "구월",
        "시월",
        "십일월",
        "십이월",
    ),
    "days (ko)": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
    "family (ko)": ("어머니", "아버지", "아들", "딸", "형", "누나", "동생", "부모", "자녀"),
    "state (ko)": ("국민", "국가", "대통령", "국회", "법률", "정부", "헌법", "법원"),
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


# Chinese and Korean particles, endings and pronouns (as jieba, 'chars' and kiwi give them)
_FUNCTION_WORDS_CJK_TEXT = """的 了 是 在 我 你 他 她 它 们 这 那 之 也 而 以 其
    与 于 不 有 和 就 都 人 一 个 为 者 所
    이 가 은 는 을 를 의 에 에서 와 과 도 로 으로 하 다 었 았 고 어 아 ᆫ ᆯ 것 수 등 및 그 저"""
FUNCTION_WORDS_CJK = frozenset(_FUNCTION_WORDS_CJK_TEXT.split())
_CJK_WORD = re.compile(f"[{CJK_CHARS}]+")


def _is_content_word(word: str) -> bool:
    if _CJK_WORD.fullmatch(word):  # one Chinese character or Hangul syllable can be a word
        return word not in FUNCTION_WORDS_CJK
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

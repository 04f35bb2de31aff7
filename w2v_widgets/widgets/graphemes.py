"""Shorten words for narrow places without cutting a character a reader sees as one.

A user-perceived character (a grapheme cluster) can be several code points: an emoji joined
by ZWJ (👩‍💻), a flag (two regional indicators), a letter with combining marks (Devanagari
vowel signs, Hebrew points), a Hangul syllable spelt in conjoining jamo. Cutting between them
leaves a broken glyph; :func:`shorten` cuts only between clusters (an approximation of Unicode's
extended grapheme clusters, UAX #29, that covers these cases without a dependency).
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    """Whether ``ch`` attaches to the character before it."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch in (ZWJ, "\u200c")
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors (❤️)
        or 0x1F3FB <= cp <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1160 <= cp <= 0x11FF  # Hangul conjoining vowels and finals
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """``text`` split into user-perceived characters."""
    clusters: list[str] = []
    for ch in text:
        if clusters and (
            _extends(ch)
            or clusters[-1].endswith(ZWJ)
            or (_regional(ch) and len(clusters[-1]) == 1 and _regional(clusters[-1]))
        ):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` user-perceived characters, else its first
    ``limit - 1`` of them and "…"."""
    clusters = graphemes(text)
    return text if len(clusters) <= limit else "".join(clusters[: limit - 1]) + "…"


def fit(text: str, room: int) -> str:
    """``text`` if it has at most ``room`` code points (a limit counted as ``len`` counts), else
    its first whole characters that take at most ``room - 1`` code points, and "…"."""
    if len(text) <= room:
        return text
    kept, used = [], 0
    for cluster in graphemes(text):
        used += len(cluster)
        if used > room - 1:
            break
        kept.append(cluster)
    return "".join(kept) + "…"

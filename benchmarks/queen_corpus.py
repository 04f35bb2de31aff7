"""Does the embedded corpus answer ``king - man + woman`` = queen at the defaults, and what does
its size cost? ``Word2Vec(seed=s)`` (everything else at the defaults) on each corpus given, one
fresh process per fit, the corpora alternating within each seed: tokens, vocabulary, queen's rank
among all words for ``king - man + woman`` (3CosAdd, question words left out; ``most_similar``),
the top 3, the first answers of notebook 4's other two questions (``his - he + she``,
``english - england + france``), WordSim353 (the bundled set, on the pairs the vocabulary
covers), the fit's wall and CPU seconds (``time.process_time`` in the fitting process) and the gzipped size.

    python benchmarks/queen_corpus.py [CORPUS ...] [--seeds 0 1 2] [--cpu-names host znver2 generic]
        [-- any Word2Vec keyword as k=v]

A corpus is ``sample`` (the embedded one; the default) or a path. The cost of the plays in the
embedded corpus, against the Wikipedia text alone (the corpus before issue 28)::

    python scripts/make_sample_corpus.py --wikipedia-only -o /tmp/wiki.txt.gz && \\
        python benchmarks/queen_corpus.py /tmp/wiki.txt.gz sample --seeds 0 1 2

How far notebook 4's claims hold (its tests assert them): the kernel runs Hogwild threads, so
the same seed differs run to run, and numba builds it for the CPU at hand, which rounds
differently; ``--cpu-names`` sets ``NUMBA_CPU_NAME`` for the fitting process (``host``: unset)::

    python benchmarks/queen_corpus.py --seeds $(seq 0 39) --cpu-names host znver2 generic

The load average is printed with every row: on a shared machine trust the alternation and the
CPU seconds, not the wall seconds.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import corpus_file, load, machine  # benchmarks/ is the script's folder: on sys.path
from validate_defaults import parse_settings

QUESTIONS = ("queen", "his", "english")  # the keys of measure()'s answers that are tallied


def measure(path: Path, seed: int, params: dict) -> dict:
    """One fit and its scores, in this process."""
    import w2v_widgets as w2v

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
        "his": wv.most_similar(positive=["his", "she"], negative=["he"], topn=1)[0][0],
        "english": wv.most_similar(positive=["english", "france"], negative=["england"], topn=1)[0][0],
        "ws353": float(wv.evaluate(["wordsim353"]).score.iloc[0]),
        "wall": wall,
        "cpu": cpu,
    }


def measure_fresh(path: Path, seed: int, settings: list[str], cpu_name: str = "host") -> dict:
    """:func:`measure` in a fresh interpreter (no kernel, cache or allocator warmed by an earlier
    fit), with numba building for ``cpu_name`` (``host``: the CPU at hand)."""
    cmd = [sys.executable, __file__, "--worker", str(path), "--seeds", str(seed), "--", *settings]
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CPU_NAME"}
    env.update({} if cpu_name == "host" else {"NUMBA_CPU_NAME": cpu_name})
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", default=["sample"], help="'sample' or paths")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--cpu-names", nargs="+", default=["host"], help="NUMBA_CPU_NAME values")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args, settings = parser.parse_args(argv[:cut]), argv[cut + 1 :]
    params = parse_settings(settings)
    if args.worker:
        print(json.dumps(measure(Path(args.corpora[0]), args.seeds[0], params)))
        return
    paths = [corpus_file(c) for c in args.corpora]
    print(f"# {machine()}; settings {params or 'defaults'}; a fresh process per fit")
    print(
        "| corpus | CPU | seed | tokens | vocabulary | queen's rank | top 3 | his - he + she "
        "| english - england + france | WordSim353 | fit s (CPU s) | .gz MB | load |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | --- |")
    totals = {p: [0.0, 0.0] for p in paths}
    tally = {p: {q: collections.Counter() for q in QUESTIONS} for p in paths}  # answers per question
    for cpu_name in args.cpu_names:
        for seed in args.seeds:
            for path in paths if seed % 2 == 0 else paths[::-1]:  # alternate which corpus goes first
                r = measure_fresh(path, seed, settings, cpu_name)
                totals[path][0] += r["wall"]
                totals[path][1] += r["cpu"]
                for question, counts in tally[path].items():
                    counts[r[question]] += 1
                print(
                    f"| {path.name} | {cpu_name} | {seed} | {r['tokens']:,} | {r['vocab']:,} "
                    f"| {r['queen'] or 'not in it'} | {', '.join(r['top3'])} | {r['his']} | {r['english']} "
                    f"| {r['ws353']:.3f} | {r['wall']:.1f} ({r['cpu']:.1f}) "
                    f"| {path.stat().st_size / 1e6:.2f} | {load()} |",
                    flush=True,
                )
    for path, questions in tally.items():
        for question, counts in questions.items():
            print(f"# {path.name}, {question}: " + ", ".join(f"{a}: {n}" for a, n in counts.most_common()))
    if len(paths) > 1:
        base = paths[0]
        for path in paths[1:]:
            print(
                f"# {path.name} / {base.name}, {len(args.seeds)} fits each: wall "
                f"{totals[path][0] / totals[base][0]:.2f}x, CPU {totals[path][1] / totals[base][1]:.2f}x"
            )
    print(f"# {load()}")


if __name__ == "__main__":
    main()

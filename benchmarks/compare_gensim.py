"""Train our Word2Vec and gensim's on the same corpus with the same settings; print a table.

    python benchmarks/compare_gensim.py --all            # the whole table (README figures)
    python benchmarks/compare_gensim.py --corpus sample|text8|PATH [--repeats 3] [--device cpu|cuda]
    python benchmarks/compare_gensim.py --synthetic text8|10k|100k|1M [--dim 300] [--ours-only]

``--all`` runs the sample, GCIDE (``gcide``: the file ``$W2V_CORPORA/gcide.txt.gz``) and a synthetic corpus of
text8's size, each with three systems alternating: ours as installed (the JIT kernel, its cache
warm), ours on a machine with no C/C++ compiler and an empty JIT cache (``CXX=CC=/bin/false``
and a fresh ``NUMBA_CACHE_DIR`` per run: every run compiles the kernel first, reported as
"first use s"), and gensim. Settings: skip-gram, vector_size 100, window 5, negative 5,
min_count 5, sample 1e-4 (gensim's subsampling rule for both), 5 epochs, alpha 0.025 decaying
linearly to 0.0001, SGD; gensim with ``sg=1, workers=2``. Runs alternate (ours, gensim, ...)
with seeds 0, 1, 2..., each in a fresh subprocess so that its peak RSS is its own, after one
unrecorded warm-up run of each (``--warmup``). Training words/s = raw corpus tokens x epochs /
training seconds (vocabulary building, corpus reading and our kernel's load excluded, as
gensim's Cython is loaded at import; the load is the "first use s" column). The ratio column is
the median of the pairwise ratios ours/gensim of the same repeat. Quality: WordSim353 and
SimLex-999 Spearman, analogy accuracy with gensim's conventions (restrict_vocab=30000), on the
sets bundled with the package. ``W2V_WIDGETS_KERNEL=eager`` measures the eager fallback instead, and
``W2V_WIDGETS_KERNEL=device`` the GPU's path (large damped steps) on whatever device is given.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import corpus_file, machine  # benchmarks/ is the script's folder: on sys.path

from w2v_widgets.data.datasets.evaluation import evaluation_set_path

ROOT = Path(__file__).resolve().parents[1]
EVAL = {name: str(evaluation_set_path(name)) for name in ("wordsim353", "simlex999", "google-analogies")}
NO_COMPILER = "ours-nocc"  # ours with no C/C++ compiler and an empty JIT cache
SYNTHETIC = {
    "text8": (17_000_000, 250_000),
    "10k": (2_000_000, 10_000),
    "100k": (5_000_000, 100_000),
    "1M": (12_000_000, 1_000_000),
}


def synthetic_corpus(kind: str, seed: int = 12345):
    """A Zipfian corpus (exponent 1) of ``kind``'s size, sentences of 1000 tokens."""
    import w2v_widgets as w2v

    n_tokens, n_words = SYNTHETIC[kind]
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_words + 1)
    p /= p.sum()
    if kind in ("10k", "100k", "1M"):  # every word at least min_count times: a full vocabulary
        base = np.repeat(np.arange(n_words), 5)
        ids = np.concatenate([base, rng.choice(n_words, n_tokens - len(base), p=p)])
        rng.shuffle(ids)
    else:
        ids = rng.choice(n_words, n_tokens, p=p)
    # a little structure: word 2j+1 follows word 2j often, so there is something to learn
    ids = ids.astype(np.int32)
    counts = np.bincount(ids, minlength=n_words)
    offsets = np.arange(0, n_tokens + 1000, 1000)
    offsets[-1] = min(offsets[-1], n_tokens)
    offsets = np.unique(np.append(offsets, n_tokens))
    words = [f"w{i}" for i in range(n_words)]
    return w2v.Corpus(ids, offsets, words, counts, name=f"synthetic-{kind}")


def load_corpus(args):
    import w2v_widgets as w2v

    if args.synthetic:
        return synthetic_corpus(args.synthetic)
    if args.corpus in w2v.datasets.names():  # sample, ptb, text8 (downloaded once, then cached)
        return w2v.datasets.load(args.corpus)
    return w2v.Corpus.from_file(args.corpus)


def evaluate(wv, skip: bool) -> dict:
    if skip:
        return {}
    return {
        "wordsim353": float(wv.evaluate_word_pairs(EVAL["wordsim353"])[1][0]),
        "simlex999": float(wv.evaluate_word_pairs(EVAL["simlex999"])[1][0]),
        "analogy": float(wv.evaluate_word_analogies(EVAL["google-analogies"], restrict_vocab=30000)[0]),
    }


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(args) -> dict:
    """One training run in this process; returns its figures."""
    corpus = load_corpus(args)
    n_raw = int(corpus.n_tokens)
    skip_eval = bool(args.synthetic)
    common = {"window": 5, "negative": 5, "min_count": 5, "sample": 1e-4, "epochs": args.epochs}
    first_use = first_use_cpu = float("nan")
    if args.system in ("ours", NO_COMPILER):
        import w2v_widgets as w2v
        from w2v_widgets.training import kernels
        from w2v_widgets.training.config import TrainingConfig

        t0, cpu0 = time.perf_counter(), _cpu_seconds()
        kernels.start()  # load (or compile) the kernel before timing, as gensim's Cython at import
        first_use, first_use_cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
        model = w2v.Word2Vec(
            vector_size=args.dim, alpha=0.025, min_alpha=0.0001, device=args.device, seed=args.seed, **common
        )
        if "sample_formula" in TrainingConfig.field_names():
            model.set_params(sample_formula="word2vec")  # gensim's subsampling rule
        start, cpu0 = time.perf_counter(), _cpu_seconds()
        model.fit(corpus)
        wall = time.perf_counter() - start
        seconds = model._position.elapsed
        wv = model.wv
    else:
        from gensim.models import Word2Vec as GensimWord2Vec

        sentences = list(corpus.sentences())
        model = GensimWord2Vec(
            vector_size=args.dim,
            sg=1,
            hs=0,
            workers=2,
            alpha=0.025,
            min_alpha=0.0001,
            seed=args.seed,
            **common,
        )
        start = time.perf_counter()
        model.build_vocab(sentences)
        t0, cpu0 = time.perf_counter(), _cpu_seconds()
        model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
        seconds = time.perf_counter() - t0
        wall = time.perf_counter() - start
        wv = model.wv
    cpu = _cpu_seconds() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # GiB (ru_maxrss in KiB)
    return {
        "system": args.system,
        "seed": args.seed,
        "words_per_sec": n_raw * args.epochs / seconds,
        "train_seconds": seconds,
        "wall_seconds": wall,
        "words_per_cpu_sec": n_raw * args.epochs / cpu,
        "peak_rss_gib": rss,
        "vocab": len(wv.index_to_key),
        "tokens": n_raw,
        "first_use_seconds": first_use,
        "first_use_cpu_seconds": first_use_cpu,
        "kernel": bool(getattr(model, "_position", None) and model._position.kernel),
        **evaluate(wv, skip_eval),
    }


def run_one(args, system: str, seed: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        system,
        "--seed",
        str(seed),
        "--device",
        args.device,
        "--dim",
        str(args.dim),
        "--epochs",
        str(args.epochs),
    ]
    cmd += ["--synthetic", args.synthetic] if args.synthetic else ["--corpus", args.corpus]
    env = {**os.environ, **({"W2V_WIDGETS_THREADS": str(args.threads)} if args.threads else {})}
    if system != NO_COMPILER:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        return json.loads(out.strip().splitlines()[-1])
    with tempfile.TemporaryDirectory(prefix="w2v-empty-jit-cache-") as cache:
        env = {**env, "CXX": "/bin/false", "CC": "/bin/false", "NUMBA_CACHE_DIR": cache}
        env["TORCH_EXTENSIONS_DIR"] = cache
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="sample")
    parser.add_argument("--synthetic", choices=sorted(SYNTHETIC))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5, help="5 for the table; 1 is enough for scale runs")
    parser.add_argument("--ours-only", action="store_true")
    parser.add_argument("--threads", type=int, help="kernel threads for ours (W2V_WIDGETS_THREADS)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="unrecorded runs of each system first (the first is slow)"
    )
    parser.add_argument(
        "--all", action="store_true", help="the whole table: sample, GCIDE, synthetic text8; 3 systems"
    )
    parser.add_argument(
        "--no-compiler",
        action="store_true",
        help=f"also run ours with no compiler, empty cache ({NO_COMPILER})",
    )
    parser.add_argument("--worker", choices=["ours", NO_COMPILER, "gensim"], help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.system = args.worker
        print(json.dumps(worker(args)))
        return

    from w2v_widgets.training import kernels

    t0 = time.perf_counter()
    ok = kernels.start()
    state = "ready" if ok else f"unavailable ({kernels.error or kernels.disabled_reason()})"
    print(f"kernel: {state} in {time.perf_counter() - t0:.1f} s; {machine()}", flush=True)
    systems = ["ours"] + ([NO_COMPILER] if args.no_compiler or args.all else [])
    systems += [] if args.ours_only else ["gensim"]
    if not args.all:
        name = (args.synthetic and f"synthetic {args.synthetic}") or args.corpus
        print_table([(name, run_series(args, systems, args.repeats, args.warmup))])
        return
    tables = []
    for i, (corpus, synthetic, repeats) in enumerate(
        [("sample", None, args.repeats), (str(corpus_file("gcide")), None, args.repeats), (None, "text8", 1)]
    ):
        args.corpus, args.synthetic = corpus, synthetic
        name = (synthetic and f"synthetic {synthetic}") or Path(corpus).name
        tables.append((name, run_series(args, systems, repeats, args.warmup if i == 0 else 0)))
        print_table(tables[-1:])
    print("\nall corpora:")
    print_table(tables)


def run_series(args, systems: list[str], repeats: int, warmup: int) -> list[dict]:
    """Warm-up runs, then ``repeats`` rounds of every system alternating; prints each run."""
    for _ in range(warmup):  # the first process of a series runs cold (page cache, clocks)
        for system in systems:
            run_one(args, system, 1000)
    rows = []
    for seed in range(repeats):
        for system in systems:
            rows.append(run_one(args, system, seed))
            r = rows[-1]
            print(
                f"  {system:9s} seed {seed}: {r['words_per_sec'] / 1e3:8.0f}k words/s "
                f"{r['train_seconds']:6.1f} s  {r['words_per_cpu_sec'] / 1e3:6.0f}k words/cpu-s  "
                f"rss {r['peak_rss_gib']:.2f} GiB  first use {r['first_use_seconds']:.1f} s "
                f"({r['first_use_cpu_seconds']:.1f} cpu-s)  "
                + " ".join(f"{k}={r[k]:.3f}" for k in ("wordsim353", "simlex999", "analogy") if k in r)
                + f"  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    return rows


def print_table(tables: list[tuple[str, list[dict]]]) -> None:
    """One markdown table: a row per corpus and system, means over seeds, median ratio."""
    keys = ["words_per_sec", "wordsim353", "simlex999", "analogy", "peak_rss_gib", "first_use_seconds"]
    print(
        "| corpus | system | words/s | x gensim | WordSim353 | SimLex-999 | analogy | peak RSS GiB "
        "| first use s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, rows in tables:
        systems = list(dict.fromkeys(r["system"] for r in rows))
        by = {s: [r for r in rows if r["system"] == s] for s in systems}
        label = (
            f"{name} ({rows[0]['tokens']:,} tokens, vocab {rows[0]['vocab']:,}, {len(by[systems[0]])} seeds)"
        )
        for s in systems:
            ratios = [
                o["words_per_sec"] / g["words_per_sec"]
                for o, g in zip(by[s], by.get("gensim", []), strict=False)
            ]
            m = {k: float(np.mean([r[k] for r in by[s]])) if k in by[s][0] else float("nan") for k in keys}
            ratio = statistics.median(ratios) if ratios else float("nan")
            print(
                f"| {label} | {s} | {m['words_per_sec'] / 1e3:.0f}k | {ratio:.2f} | {m['wordsim353']:.3f} | "
                f"{m['simlex999']:.3f} | {m['analogy']:.3f} | {m['peak_rss_gib']:.2f} | "
                f"{m['first_use_seconds']:.1f} |"
            )
            label = ""


if __name__ == "__main__":
    main()

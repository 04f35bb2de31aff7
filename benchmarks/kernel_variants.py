"""Which difference from gensim moves the sample's WordSim353? The kernel's variants, many seeds.

    python benchmarks/kernel_variants.py --seeds 0-29 --variants shipped maxexp6 gensim [--lanes 2]

Each run trains with ``compare_gensim.py``'s settings (skip-gram, d=100, window 5, negative 5,
min_count 5, sample 1e-4 by gensim's rule, 5 epochs, alpha 0.025 -> 0.0001, 2 threads or
workers) on the embedded sample, in a fresh process; runs go seed by seed, the variants in turn,
so a change of machine load falls on all of them alike. Every seed asked for is reported (none
is left out), then each variant's mean, its standard error and the difference from gensim.

Variants (made from ``kernels/jit.py``'s source text, so the script stops with a clear message
if the kernel changed shape):

- ``shipped``: the kernel as it is.
- ``maxexp6``: no update for a score with |x| >= 6 (word2vec's and gensim's ``MAX_EXP``).
- ``clip8``: the shipped rule (sigmoid 0 or 1 beyond |x| >= 8, the full step) compiled as a
  variant: a control (on one thread it gives the shipped kernel's result bit for bit).
- ``maxexp6-table``: ``maxexp6`` with gensim's sigmoid (``EXP_TABLE``: 1,000 values over ±6,
  read at the left end of the bin instead of interpolated).
- ``pair``: fresh noise words for every (centre, context) pair, as word2vec and gensim.
- ``pair-maxexp6``: both: gensim's update rule, only the random numbers differ.
- ``1thread``: the shipped kernel on one thread (no Hogwild).
- ``lrjob``: the learning rate held for each 10,000 corpus words, as gensim's jobs.
- ``gensim``: gensim 4 itself (``sg=1, workers=2``); its vectors are scored by our
  ``WordVectors`` (the same scores as gensim's ``KeyedVectors``, several times faster);
  ``gensim-1worker``: the same on one worker thread.
- ``interleave2``: the shipped kernel with a chunk's batches run from its two halves in turn
  (does mixing two places of the corpus, as gensim's concurrent workers do, raise the score?).
- ``jobs2-concurrent``: the chunk in jobs of ~10,000 corpus words taken two at a time and trained
  at once on two threads, as gensim's two workers; ``jobs2-alternate``: the same batches one
  after the other on one thread (the control: order without concurrency).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from _common import REPO as ROOT  # benchmarks/ is the script's folder: on sys.path (sets it up)

JIT = ROOT / "w2v_widgets" / "training" / "kernels" / "jit.py"
SETTINGS = {"window": 5, "negative": 5, "min_count": 5, "sample": 1e-4, "epochs": 5}
VARIANTS = (
    "maxexp6-table",
    "shipped",
    "maxexp6",
    "clip8",
    "pair",
    "pair-maxexp6",
    "1thread",
    "lrjob",
    "gensim",
    "gensim-1worker",
    "interleave2",
    "jobs2-concurrent",
    "jobs2-alternate",
)

# the line of the kernel that makes a target's step
_STEP = "                    gl[t] = ((np.float32(1.0) if t == 0 else np.float32(0.0)) - sig) * lr32\n"


def _skip_beyond(source: str, limit: float) -> str:
    """The kernel with no update for a score with |x| >= ``limit`` (word2vec's ``MAX_EXP``)."""
    if _STEP not in source:
        sys.exit(f"{JIT} changed shape: update kernel_variants.py's _STEP to its step line")
    rule = (
        f"                    if not (x > -{limit} and x < {limit}):  # no step, as MAX_EXP\n"
        "                        gl[t] = np.float32(0.0)\n"
    )
    return source.replace(_STEP, _STEP + rule)


def variant_source(variant: str) -> str | None:
    """The kernel's source for ``variant`` (None: the shipped kernel, unchanged)."""
    if variant in ("shipped", "1thread", "lrjob"):
        return None
    import noise_sharing

    source = noise_sharing.variant_source(1) if variant.startswith("pair") else JIT.read_text()
    source = source.replace("cache=False", "cache=True")  # cached per variant file: see below
    if variant in ("maxexp6", "pair-maxexp6", "maxexp6-table"):
        source = _skip_beyond(source, 6.0)
    if variant == "maxexp6-table":  # gensim's EXP_TABLE: 1,000 values over ±6, read at the left end
        lookup = "                        sig = _lookup(sigmoid, x)\n"
        if lookup not in source:
            sys.exit(f"{JIT} changed shape: update kernel_variants.py's sigmoid line")
        table = (
            "                        xl = np.float32(-6.0) + np.float32(0.012) * np.float32(\n"
            "                            int((x + np.float32(6.0)) * np.float32(1000.0 / 12.0))\n"
            "                        )\n"
            "                        sig = np.float32(1.0) / (np.float32(1.0) + np.exp(-xl))\n"
        )
        source = source.replace(lookup, table)
    if variant in ("maxexp6", "pair-maxexp6", "maxexp6-table"):
        return source
    return source  # clip8: the shipped rule, compiled as a variant (a control)


def _variant_file(variant: str, source: str) -> Path:
    """The variant's module in a folder of its own, rewritten only when its text changes, so that
    numba's disk cache (keyed by the file) compiles it once, not in every run."""
    folder = Path(tempfile.gettempdir()) / "w2v-kernel-variants" / variant
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jit_variant.py"
    if not path.exists() or path.read_text() != source:
        tmp = folder / f"jit_variant.{os.getpid()}.tmp"
        tmp.write_text(source)
        os.replace(tmp, path)
    return path


def _hold_lr_per_job(job_words: int = 10_000) -> None:
    """Patch the trainer so that the learning rate changes every ``job_words`` corpus words."""
    from w2v_widgets.training import trainer

    original = trainer.Trainer.learning_rate

    def learning_rate(self, words_done: float) -> float:
        return original(self, (int(words_done) // job_words) * job_words)

    trainer.Trainer.learning_rate = learning_rate


def _interleave_batches() -> None:
    """Patch the kernel path so that a chunk's batches run from its two halves in turn (0, h, 1,
    h + 1, ...), as two workers on distant jobs (gensim) or two threads started at two places of
    the file (word2vec C) mix two parts of the corpus."""
    from w2v_widgets.training import steps

    original = steps.CompiledKernelPath.step

    def step(self, examples, index, lr):
        n = self.n_batches(examples)
        half = (n + 1) // 2
        return original(self, examples, index // 2 if index % 2 == 0 else half + index // 2, lr)

    steps.CompiledKernelPath.step = step


def _two_jobs(concurrent: bool, job: int = 5_000) -> None:
    """Patch the kernel path to run a chunk as gensim's two workers run a corpus: jobs of ``job``
    kept tokens (about 10,000 corpus words at the sample's subsampling) taken two at a time, each
    step training a batch of the one and the same-place batch of the other, on two threads at
    once (``concurrent``: Hogwild on the shared tables, as gensim) or one after the other."""
    from concurrent.futures import ThreadPoolExecutor

    import torch

    from w2v_widgets.training import kernels, steps

    pool = ThreadPoolExecutor(2)

    def schedule(self, examples) -> list:
        """Each step's ranges of centre positions (made anew each time: cheap, never stale)."""
        n, size = len(examples["tokens"]), self._positions()
        jobs = [(a, min(a + job, n)) for a in range(0, n, job)]
        plan = []
        for j in range(0, len(jobs), 2):
            pair = jobs[j : j + 2]
            longest = max(b - a for a, b in pair)
            for s in range(0, longest, size):
                plan.append([(a + s, min(a + s + size, b)) for a, b in pair if a + s < b])
        return plan

    def n_batches(self, examples) -> int:
        return max(1, len(schedule(self, examples)))

    def step(self, examples, index, lr):
        model = self.shape.model

        def run(lo, hi):
            return kernels.sgns_window(
                model.centre.weight, model.context.weight, examples["tokens"], examples["sentence"],
                examples["radius"], self.shape.noise.table, lo, hi, self.shape.window,
                self.shape.negative, lr, examples["noise_seed"], 1,
            )  # fmt: skip

        ranges = schedule(self, examples)[index]
        if concurrent:
            return torch.cat([f.result() for f in [pool.submit(run, *r) for r in ranges]])
        return torch.cat([run(*r) for r in ranges])

    steps.CompiledKernelPath.n_batches = n_batches
    steps.CompiledKernelPath.step = step


def worker(variant: str, seed: int) -> dict:
    from compare_gensim import evaluate

    import w2v_widgets as w2v
    from w2v_widgets.vectors.word_vectors import WordVectors

    corpus = w2v.datasets.load("sample")
    t0 = time.process_time()
    if variant.startswith("gensim"):
        from gensim.models import Word2Vec as GensimWord2Vec

        sentences = list(corpus.sentences())
        g = GensimWord2Vec(
            vector_size=100,
            sg=1,
            hs=0,
            workers=1 if variant == "gensim-1worker" else 2,
            alpha=0.025,
            min_alpha=0.0001,
            seed=seed,
            **SETTINGS,
        )
        g.build_vocab(sentences)
        t0 = time.process_time()
        g.train(sentences, total_examples=g.corpus_count, epochs=g.epochs)
        cpu = time.process_time() - t0
        words = list(g.wv.index_to_key)
        counts = np.array([g.wv.get_vecattr(w, "count") for w in words])
        wv = WordVectors(words, g.wv.vectors, counts=counts)
    else:
        from w2v_widgets.training import kernels

        kernels.start()
        source = variant_source(variant)
        if source is not None:
            import importlib.util

            path = _variant_file(variant, source)
            spec = importlib.util.spec_from_file_location("jit_variant", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # numba's disk cache imports it by name
            spec.loader.exec_module(module)
            kernels._warm_up(module)  # compile the variant before the clock
            kernels._jit = module
        if variant == "lrjob":
            _hold_lr_per_job()
        if variant == "interleave2":
            _interleave_batches()
        if variant.startswith("jobs2"):
            _two_jobs(concurrent=variant == "jobs2-concurrent")
        model = w2v.Word2Vec(vector_size=100, alpha=0.025, min_alpha=0.0001, seed=seed, **SETTINGS)
        model.set_params(sample_formula="word2vec")  # gensim's subsampling rule
        t0 = time.process_time()
        model.fit(corpus)
        cpu = time.process_time() - t0
        wv = model.wv
    return {"variant": variant, "seed": seed, "cpu_s": cpu, **evaluate(wv, False)}


def _seeds(text: list[str]) -> list[int]:
    seeds: list[int] = []
    for part in text:
        a, _, b = part.partition("-")
        seeds += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return seeds


def _run(variant: str, seed: int) -> dict:
    env = dict(os.environ)
    if variant == "1thread":
        env["W2V_WIDGETS_THREADS"] = "1"
    cmd = [sys.executable, __file__, "--worker", variant, str(seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def summary(rows: list[dict], variants: list[str]) -> list[str]:
    """Each variant's mean ± standard error, and its difference from gensim where it ran."""
    lines = []
    ref = [r["wordsim353"] for r in rows if r["variant"] == "gensim"]
    for v in variants:
        rs = [r for r in rows if r["variant"] == v]
        if not rs:
            continue
        parts = []
        for key in ("wordsim353", "simlex999", "analogy"):
            x = np.array([r[key] for r in rs])
            se = x.std(ddof=1) / math.sqrt(len(x)) if len(x) > 1 else float("nan")
            parts.append(f"{key} {x.mean():.4f} ± {se:.4f}")
        line = f"{v:>13} ({len(rs)} seeds): " + ", ".join(parts)
        ws = np.array([r["wordsim353"] for r in rs])
        if ref and v != "gensim" and len(ref) > 1 and len(ws) > 1:
            diff = ws.mean() - np.mean(ref)
            se = math.sqrt(ws.var(ddof=1) / len(ws) + np.var(ref, ddof=1) / len(ref))
            line += f"; WordSim353 - gensim {diff:+.4f} ± {se:.4f}"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", nargs="+", default=["0-9"], help="seeds or ranges: 0-29 40")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=["shipped", "gensim"])
    parser.add_argument("--lanes", type=int, default=1, help="runs at a time")
    parser.add_argument("--log", help="append each run's JSON to this file")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]))))
        return
    jobs = [(v, s) for s in _seeds(args.seeds) for v in args.variants]
    rows = []
    with ThreadPoolExecutor(max(1, args.lanes)) as pool:
        for r in pool.map(lambda job: _run(*job), jobs):
            rows.append(r)
            print(
                f"{r['variant']} seed {r['seed']}: WordSim353 {r['wordsim353']:.4f} SimLex-999 "
                f"{r['simlex999']:.4f} analogy {r['analogy']:.4f} cpu {r['cpu_s']:.1f} s "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            if args.log:
                with open(args.log, "a") as f:
                    f.write(json.dumps(r) + "\n")
    print("\n".join(summary(rows, args.variants)))


if __name__ == "__main__":
    main()

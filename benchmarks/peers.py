"""End to end against every peer: a fresh process per run that imports, reads a text file, trains
and writes word2vec text; ours, gensim, Google's word2vec C tool and fastText, alternating.

    pip install gensim word2vec fasttext-wheel     # the peers (word2vec builds Mikolov's C tool)
    python benchmarks/peer_corpora.py --gcide PATH/gcide.txt.gz --out-dir DIR   # the corpora
    python benchmarks/peers.py DIR/small.txt DIR/mix.txt [--rounds 3] [--systems ...] [--json OUT]

Settings, the same for all (gensim's): skip-gram, 100 dimensions, window 5, 5 noise words,
min_count 5, sample 1e-4 (word2vec's subsampling rule, which gensim, the C tool and fastText
share; ours with ``sample_formula="word2vec"``), 5 epochs, alpha 0.025 decaying linearly, 2
threads. fastText with ``maxn 0`` (no subwords: plain skip-gram) and ``bucket 0`` (no hash table
of n-grams to allocate). gensim reads the file with ``LineSentence``; ours with
``Corpus.from_file`` and its default tokeniser; the C tool and fastText read it themselves. So
give plain text, one sentence a line, tokens separated by spaces (``peer_corpora.py`` writes
such files): every system then sees the same tokens.

Each run is one fresh process, timed from its start to its exit by this script (wall seconds,
and the CPU seconds it used: on a loaded machine the fairer figure, as it counts only the time
the process ran);
rounds alternate the systems (the order rotates each round) with seeds 0, 1, 2, ... (the C tool
has no seed). Ours also reports its phases, measured inside its process: interpreter start
(the rest of the wall time), ``import w2v_widgets``, reading the file, the trainer's imports and
the JIT kernel's load (``w2v.Word2Vec``: torch; ``kernels.start()``, what ``fit`` does first),
the vocabulary (counting, min_count, encoding), training, writing. ``ours-nocc`` is ours on a
machine with no C/C++ compiler and an empty JIT cache (``CXX=CC=/bin/false``, a fresh
``NUMBA_CACHE_DIR``: the kernel compiles first, its main loop in a helper process whose CPU
seconds are added to the run's; the next run starts once the helper has finished its later work,
the row writer and the reader, reported as ``helper_after_exit``).
Quality, outside the timed process: WordSim353 and SimLex-999 Spearman of the written vectors
(the sets bundled with the package). The load average is printed with every run: on a shared
machine trust the alternation and the ratios, not the seconds.

``--fit-only`` times the training call alone inside each fresh process, the file read before the
clock and each side's imports timed apart ("imports before the clock"). Two figures of ours:
``ours`` is a user's first ``fit`` (its clock holds the trainer's imports made on first use:
torch and the JIT kernel's load), ``ours-imported`` the ``fit`` after those imports, as gensim's
clock starts after ``from gensim.models import Word2Vec`` has loaded its compiled training code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYSTEMS = ("ours", "gensim", "word2vec-c", "fasttext")
NO_COMPILER = "ours-nocc"
AFTER_IMPORTS = "ours-imported"  # --fit-only: ours' fit after the trainer's imports, as gensim's clock
FIT_ONLY_SYSTEMS = ("ours", AFTER_IMPORTS, "gensim", "fasttext")
SETTINGS = {"dim": 100, "window": 5, "negative": 5, "min_count": 5, "sample": 1e-4, "epochs": 5, "threads": 2}


# ------------------------------------------------------------------------------ workers
def _ours_settings(seed: int) -> dict:
    s = SETTINGS
    return {
        "vector_size": s["dim"],
        "window": s["window"],
        "negative": s["negative"],
        "min_count": s["min_count"],
        "sample": s["sample"],
        "sample_formula": "word2vec",
        "epochs": s["epochs"],
        "alpha": 0.025,
        "min_alpha": 0.0001,
        "seed": seed,
    }


def _fit_only_ours(corpus: str, out: str, seed: int) -> dict:
    """A user's first ``fit`` (first cell): after ``import w2v_widgets`` and reading the file, the
    clock times ``Word2Vec(...).fit(corpus)`` with the trainer's imports it makes on first use
    (torch, the JIT kernel's load from numba's cache), the vocabulary and training."""
    imported = _Clock()
    import w2v_widgets as w2v

    timed = imported.stop("import")
    data = w2v.Corpus.from_file(corpus)
    clock = _Clock()
    model = w2v.Word2Vec(**_ours_settings(seed))
    model.fit(data)
    timed.update(clock.stop())
    model.wv.save_word2vec_format(out)
    return {**timed, "tokens": int(data.n_tokens), "kernel_used": bool(model._position.kernel)}


def _fit_only_ours_imported(corpus: str, out: str, seed: int) -> dict:
    """``fit`` after the trainer's imports, as gensim's clock starts after its import of its
    training code: ``import w2v_widgets`` and ``w2v_widgets.training.word2vec`` (torch) and the
    JIT kernel's load (``kernels.start()``, what the first ``fit`` does first) are timed apart
    (``import``, ``trainer_import``), then the clock times ``Word2Vec(...).fit(corpus)``."""
    imported = _Clock()
    import w2v_widgets as w2v

    timed = imported.stop("import")
    data = w2v.Corpus.from_file(corpus)
    trainer = _Clock()
    from w2v_widgets.training import kernels
    from w2v_widgets.training.word2vec import Word2Vec

    kernels.start()
    timed.update(trainer.stop("trainer_import"))
    clock = _Clock()
    model = Word2Vec(**_ours_settings(seed))
    model.fit(data)
    timed.update(clock.stop())
    model.wv.save_word2vec_format(out)
    return {**timed, "tokens": int(data.n_tokens), "kernel_used": bool(model._position.kernel)}


def _fit_only_gensim(corpus: str, out: str, seed: int) -> dict:
    """gensim's training call alone (vocabulary and training) on the sentences read beforehand,
    after ``from gensim.models import Word2Vec`` (its compiled training code, numpy, scipy: timed
    apart as ``import``)."""
    imported = _Clock()
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    timed = imported.stop("import")
    sentences = list(LineSentence(corpus))
    clock = _Clock()
    model = Word2Vec(sentences, **_gensim_settings(seed))
    timed.update(clock.stop())
    model.wv.save_word2vec_format(out)
    return timed


def _fit_only_fasttext(corpus: str, out: str, seed: int) -> dict:
    """fastText's training call (it streams the file itself, each epoch: its reading is inside)."""
    imported = _Clock()
    import fasttext

    timed = imported.stop("import")
    clock = _Clock()
    model = fasttext.train_unsupervised(corpus, **_fasttext_settings())
    timed.update(clock.stop())
    _write_fasttext(model, out)
    return timed


class _Clock:
    """Wall and CPU seconds (this process, all its threads) of the code between start and stop:
    ``{name}_wall`` and ``{name}_cpu``, or for the training call ``fit_wall`` and ``fit_cpu``."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self, name: str = "fit") -> dict:
        return {
            f"{name}_wall": time.perf_counter() - self.wall,
            f"{name}_cpu": time.process_time() - self.cpu,
        }


def _ours(corpus: str, out: str, seed: int) -> dict:
    t0 = time.perf_counter()
    import w2v_widgets as w2v

    t1 = time.perf_counter()
    data = w2v.Corpus.from_file(corpus)
    t2 = time.perf_counter()
    from w2v_widgets.data.vocabulary import Vocabulary
    from w2v_widgets.training import kernels

    word2vec = w2v.Word2Vec  # torch's import (and, on a machine's first run, the kernel's helper)
    kernels.start()  # what fit does first
    t3 = time.perf_counter()
    vocab_seconds = [0.0]  # the vocabulary's two steps, timed where fit calls them
    for name in ("from_corpus", "encode_corpus"):
        original = getattr(Vocabulary, name)  # from_corpus comes bound to the class

        def timed(*args, _original=original, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                vocab_seconds[0] += time.perf_counter() - start

        setattr(Vocabulary, name, staticmethod(timed) if name == "from_corpus" else timed)
    model = word2vec(**_ours_settings(seed))
    model.fit(data)
    t4 = time.perf_counter()
    model.wv.save_word2vec_format(out)
    t5 = time.perf_counter()
    return {
        "import": t1 - t0,
        "read": t2 - t1,
        "kernel": t3 - t2,
        "vocabulary": vocab_seconds[0],
        "train": t4 - t3 - vocab_seconds[0],
        "write": t5 - t4,
        "tokens": int(data.n_tokens),
        "kernel_used": bool(model._position.kernel),
    }


def _gensim(corpus: str, out: str, seed: int) -> dict:
    t0 = time.perf_counter()
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    t1 = time.perf_counter()
    model = Word2Vec(LineSentence(corpus), **_gensim_settings(seed))
    t2 = time.perf_counter()
    model.wv.save_word2vec_format(out)
    return {"import": t1 - t0, "read+train": t2 - t1, "write": time.perf_counter() - t2}


def _gensim_settings(seed: int) -> dict:
    s = SETTINGS
    return {
        "vector_size": s["dim"],
        "sg": 1,
        "hs": 0,
        "window": s["window"],
        "negative": s["negative"],
        "min_count": s["min_count"],
        "sample": s["sample"],
        "epochs": s["epochs"],
        "alpha": 0.025,
        "min_alpha": 0.0001,
        "workers": s["threads"],
        "seed": seed,
    }


def _fasttext_settings() -> dict:
    s = SETTINGS
    return {
        "model": "skipgram",
        "dim": s["dim"],
        "ws": s["window"],
        "neg": s["negative"],
        "minCount": s["min_count"],
        "t": s["sample"],
        "epoch": s["epochs"],
        "lr": 0.025,
        "thread": s["threads"],
        "minn": 0,
        "maxn": 0,
        "bucket": 0,
        "verbose": 0,
    }


def _write_fasttext(model, out: str) -> None:
    words, matrix = model.words, model.get_input_matrix()
    row = "%s" + " %.5g" * matrix.shape[1] + "\n"  # as fastText's own .vec writer (5 digits)
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {matrix.shape[1]}\n")
        f.writelines(row % (w, *v) for w, v in zip(words, matrix.tolist(), strict=False))


def _fasttext(corpus: str, out: str, seed: int) -> dict:
    t0 = time.perf_counter()
    import fasttext

    t1 = time.perf_counter()
    model = fasttext.train_unsupervised(corpus, **_fasttext_settings())
    t2 = time.perf_counter()
    _write_fasttext(model, out)
    return {"import": t1 - t0, "read+train": t2 - t1, "write": time.perf_counter() - t2}


WORKERS = {"ours": _ours, NO_COMPILER: _ours, "gensim": _gensim, "fasttext": _fasttext}
FIT_ONLY_WORKERS = {"ours": _fit_only_ours, NO_COMPILER: _fit_only_ours, "gensim": _fit_only_gensim,
                    AFTER_IMPORTS: _fit_only_ours_imported, "fasttext": _fit_only_fasttext}  # fmt: skip


def _word2vec_c_command(corpus: str, out: str) -> list[str]:
    binary = shutil.which("word2vec") or str(Path(sys.executable).with_name("word2vec"))
    s = SETTINGS
    return [
        binary, "-train", corpus, "-output", out, "-cbow", "0", "-size", str(s["dim"]),
        "-window", str(s["window"]), "-negative", str(s["negative"]), "-hs", "0",
        "-sample", str(s["sample"]), "-threads", str(s["threads"]), "-iter", str(s["epochs"]),
        "-min-count", str(s["min_count"]), "-alpha", "0.025", "-binary", "0",
    ]  # fmt: skip


# ------------------------------------------------------------------------------ driver
def load_average() -> float:
    return os.getloadavg()[0]


def run_one(system: str, corpus: str, seed: int, workdir: Path, fit_only: bool = False) -> dict:
    """One fresh process: wall seconds from its start to its exit, its phases, its vectors.
    ``fit_only``: the process reads the corpus, then times its training call alone (``fit_wall``,
    ``fit_cpu`` in its phases), then writes the vectors."""
    out = workdir / f"{system}-{seed}.txt"
    env = {**os.environ, "W2V_WIDGETS_THREADS": str(SETTINGS["threads"])}
    if system == "word2vec-c":
        cmd = _word2vec_c_command(corpus, str(out))
    else:
        cmd = [sys.executable, __file__, "--worker", system, corpus, "--out", str(out), "--seed", str(seed)]
        cmd += ["--fit-only"] if fit_only else []
    cache_dir = tempfile.TemporaryDirectory(prefix="w2v-empty-jit-cache-")
    with cache_dir as cache, tempfile.TemporaryFile("w+") as log:
        if system == NO_COMPILER:
            env.update({"CXX": "/bin/false", "CC": "/bin/false", "NUMBA_CACHE_DIR": cache})
        load = load_average()
        cpu0 = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        helper = HelperWatch(proc.pid)
        while True:
            try:
                returncode = proc.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                helper.look()
        wall = time.perf_counter() - start
        helper.follow_to_its_end()  # so that it does not run beside the next run
        cpu = _children_cpu() - cpu0 + helper.cpu
        log.seek(0)
        output = log.read()
    if returncode != 0:
        raise RuntimeError(f"{system} failed ({returncode}): {output[-2000:]}")
    phases = json.loads(output.strip().splitlines()[-1]) if system != "word2vec-c" else {}
    if helper.pid is not None:  # ours on a machine's first run: the kernel's compile helper
        phases["helper_cpu"], phases["helper_after_exit"] = helper.cpu, helper.after_exit
    return {
        "system": system,
        "seed": seed,
        "wall": wall,
        "cpu": cpu,
        "load": load,
        "phases": phases,
        "vectors": out,
    }


class HelperWatch:
    """The JIT kernel's compile helper (``w2v_widgets/training/kernels/compile_helper.py``) that
    ours starts on a machine's first run: its CPU seconds (it is not this script's child, so the
    children's rusage misses them: read from ``/proc/PID/stat`` until it is gone, Linux) and how
    long it ran after ours exited (its later work, the row writer and reader, at low priority)."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, parent: int):
        self.parent, self.pid, self.cpu, self.after_exit = parent, None, 0.0, 0.0

    def look(self) -> None:
        if self.pid is None:
            try:
                children = Path(f"/proc/{self.parent}/task/{self.parent}/children").read_text().split()
            except OSError:
                return
            for child in children:
                try:
                    if b"compile_helper" in Path(f"/proc/{child}/cmdline").read_bytes():
                        self.pid = int(child)
                except OSError:
                    pass
        if self.pid is not None:
            try:
                fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return  # gone: the last reading stands
            self.cpu = max(self.cpu, (int(fields[11]) + int(fields[12])) / self.TICK)  # a zombie's stay

    def follow_to_its_end(self, limit: float = 300.0) -> None:
        if self.pid is None:
            return
        start = time.perf_counter()
        while Path(f"/proc/{self.pid}").exists() and time.perf_counter() - start < limit:
            self.look()
            time.sleep(0.02)
        self.after_exit = time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def evaluate(path: Path) -> dict:
    from w2v_widgets.data.datasets.evaluation import evaluation_set_path
    from w2v_widgets.vectors import load_word2vec_format

    wv = load_word2vec_format(path)
    return {
        "wordsim353": float(wv.evaluate_word_pairs(str(evaluation_set_path("wordsim353")))[1][0]),
        "simlex999": float(wv.evaluate_word_pairs(str(evaluation_set_path("simlex999")))[1][0]),
        "vocabulary": len(wv),
    }


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def summarise(corpus: str, runs: list[dict], systems: list[str], fit_only: bool = False) -> dict:
    by = {s: [r for r in runs if r["system"] == s] for s in systems}
    if fit_only:  # the training call's seconds, measured inside each process, are what is compared
        for r in runs:
            r.setdefault("process_wall", r["wall"])
            r.setdefault("process_cpu", r["cpu"])
            r["wall"], r["cpu"] = r["phases"]["fit_wall"], r["phases"]["fit_cpu"]
    table = {}
    for s, rs in by.items():
        row = {
            "wall_median": _median(rs, "wall"),
            "cpu_median": _median(rs, "cpu"),
            "walls": [round(r["wall"], 3) for r in rs],
            "loads": [round(r["load"], 2) for r in rs],
            "wordsim353": statistics.mean(r["wordsim353"] for r in rs),
            "simlex999": statistics.mean(r["simlex999"] for r in rs),
            "vocabulary": rs[0]["vocabulary"],
        }
        if rs[0]["phases"]:
            timed = [
                k for k, v in rs[0]["phases"].items() if isinstance(v, float) and not k.startswith("fit_")
            ]
            row["phases_median"] = {k: statistics.median(r["phases"][k] for r in rs) for k in timed}
            if not fit_only:  # the helper's seconds are not a phase of the process
                inside = sum(v for k, v in row["phases_median"].items() if not k.startswith("helper_"))
                row["phases_median"]["interpreter"] = row["wall_median"] - inside
        table[s] = row
    ratios = {}
    for ours in [s for s in systems if s.startswith("ours")]:
        for peer in [s for s in systems if not s.startswith("ours")]:
            pairs = [p["wall"] / o["wall"] for o, p in zip(by[ours], by[peer], strict=False)]
            ratios[f"{ours} vs {peer}"] = statistics.median(pairs)
            cpu_pairs = [p["cpu"] / o["cpu"] for o, p in zip(by[ours], by[peer], strict=False)]
            ratios[f"{ours} vs {peer} (CPU seconds)"] = statistics.median(cpu_pairs)
        peers = [s for s in systems if not s.startswith("ours")]
        if peers:
            fastest = min(peers, key=lambda s: table[s]["wall_median"])
            ratios[f"{ours} vs fastest peer ({fastest})"] = ratios[f"{ours} vs {fastest}"]
    tokens = next((r["phases"]["tokens"] for r in runs if "tokens" in r["phases"]), None)
    return {"corpus": corpus, "tokens": tokens, "systems": table, "ratios": ratios, "fit_only": fit_only}


def print_table(summary: dict) -> None:
    tokens = summary["tokens"]
    size = f"{tokens / 1e6:.2f}M tokens" if tokens else ""
    fit_only = summary.get("fit_only")
    what = "fit only" if fit_only else "end to end"
    imports = " imports before the clock s (CPU) |" if fit_only else ""
    header = f"{what} s (median) | runs (load) | CPU s (median) |{imports} WordSim353 | SimLex-999 | words"
    print(f"\n## {Path(summary['corpus']).name} ({size}), {what}")
    print(f"| system | {header} |")
    print("|---|---|---|---|---|---|---|" + ("---|" if fit_only else ""))
    for s, row in summary["systems"].items():
        runs = ", ".join(f"{w:.2f} ({ld:.1f})" for w, ld in zip(row["walls"], row["loads"], strict=True))
        ph = row.get("phases_median", {})
        before = (
            f" {sum(v for k, v in ph.items() if k.endswith('_wall')):.2f} "
            f"({sum(v for k, v in ph.items() if k.endswith('_cpu')):.2f}) |"
            if fit_only
            else ""
        )
        print(
            f"| {s} | {row['wall_median']:.2f} | {runs} | {row['cpu_median']:.2f} |{before} "
            f"{row['wordsim353']:.3f} | {row['simlex999']:.3f} | {row['vocabulary']:,} |"
        )
    for s, row in summary["systems"].items():
        if "phases_median" in row:
            ph = ", ".join(f"{k} {v:.2f}" for k, v in row["phases_median"].items())
            print(f"\n{s} phases (median s): {ph}")
    print()
    for name, ratio in summary["ratios"].items():
        print(f"- {name}: {ratio:.2f}x (median of the rounds' ratios)")


def cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    lines = info.read_text().splitlines() if info.exists() else []
    return next(
        (ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), platform.processor()
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpora", nargs="*", help="plain-text files, one sentence a line")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--systems", nargs="+", choices=[*SYSTEMS, NO_COMPILER, AFTER_IMPORTS],
        help=f"default: {' '.join(SYSTEMS)}; with --fit-only {' '.join(FIT_ONLY_SYSTEMS)}",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write every run and the summary here")
    parser.add_argument(
        "--fit-only",
        action="store_true",
        help="time only the training call in each fresh process, its import timed apart: ours' first "
        "fit (torch's import and the kernel's load inside, as a user's first cell), ours-imported's "
        "fit after the trainer's imports (as gensim's clock starts after its import of its training "
        "code), gensim's Word2Vec(...) on sentences read beforehand, fastText's train_unsupervised "
        "(which reads the file itself); no word2vec-c",
    )
    parser.add_argument("--worker", choices=sorted({*WORKERS, *FIT_ONLY_WORKERS}), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        workers = FIT_ONLY_WORKERS if args.fit_only else WORKERS
        print(json.dumps(workers[args.worker](args.corpora[0], args.out, args.seed)))
        return
    if not args.corpora:
        parser.error("give at least one corpus file")
    if args.systems is None:
        args.systems = list(FIT_ONLY_SYSTEMS if args.fit_only else SYSTEMS)
    if args.fit_only and "word2vec-c" in args.systems:
        parser.error("--fit-only cannot time word2vec-c: its training cannot be timed apart from its run")
    if not args.fit_only and AFTER_IMPORTS in args.systems:
        parser.error(f"{AFTER_IMPORTS} is a --fit-only system (end to end, ours' phases time the imports)")
    cpu = cpu_model()
    print(f"machine: {cpu}, {os.cpu_count()} CPUs; python {platform.python_version()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="w2v-peers-") as tmp:
        workdir = Path(tmp)
        for corpus in args.corpora:
            runs = []
            for r in range(args.rounds):
                order = args.systems[r % len(args.systems) :] + args.systems[: r % len(args.systems)]
                for system in order:
                    run = run_one(system, corpus, r, workdir, args.fit_only)
                    vectors = run.pop("vectors")
                    run.update(evaluate(vectors))
                    vectors.unlink()
                    fit = run["phases"] if args.fit_only else {}
                    timed = f", fit {fit['fit_wall']:.2f} s (CPU {fit['fit_cpu']:.2f} s)" if fit else ""
                    timed += "".join(f", {k[:-5]} {fit[k]:.2f} s (CPU {fit[k[:-5] + '_cpu']:.2f} s)"
                                     for k in fit if k.endswith("_wall") and k != "fit_wall")  # fmt: skip
                    print(
                        f"  {Path(corpus).name} round {r} {system}: {run['wall']:.2f} s, "
                        f"CPU {run['cpu']:.2f} s{timed} (load {run['load']:.1f}), "
                        f"WS353 {run['wordsim353']:.3f}, SimLex {run['simlex999']:.3f}",
                        flush=True,
                    )
                    runs.append(run)
            summary = summarise(corpus, runs, args.systems, args.fit_only)
            print_table(summary)
            results.append({"summary": summary, "runs": runs, "machine": cpu})
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()

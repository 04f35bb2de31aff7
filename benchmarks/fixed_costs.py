"""The fixed costs of a run, each timed alone: writing word2vec text and binary, reading a corpus,
the vocabulary, the kernel's first call, the package's import; and ``--only fit``: a fresh
process's first ``fit`` and a second model's ``fit`` on the same corpus after it (a notebook's
next cell), each split into its training loop and the rest (the fixed part). ``--only read-fresh``
times the read as a fresh process's first call (numba's load in it, when the file is big enough
for the machine-code reader), ``--only write-phases`` a save's steps (formatting, write, ``fsync``,
rename) beside gensim's save; ``--only kernel`` times the kernel's load in fresh processes against
numba's own first load (which imports scipy.linalg), ``--only exit`` the process's exit after a
run with and without the package's exit handler, both alternating.

    python benchmarks/fixed_costs.py CORPUS.txt [--words 43000] [--repeats 5] [--json OUT]

Run it twice, once with each tree first on ``PYTHONPATH``, for a before/after (the script uses
only public calls that both have). The writers are also timed against the original writer (one
``str`` per number, one ``tobytes`` per row, as the package wrote before issue 29) in the same
run, alternating, each writing the same file: ``write_text_original`` and the ratio; the reader
against the line-by-line reader likewise (``read_ratio``). Seconds are the best of ``--repeats``
of CPU time (``time.process_time``: a shared machine's load does not inflate it) beside the wall time of the
same run; the import is timed in fresh processes (``-X importtime`` is not used: it slows it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best(fn, repeats: int) -> dict:
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {"cpu": min(cpu), "wall": min(wall)}


def original_save(wv, path: Path, binary: bool) -> None:
    """The writer before issue 29 (row by row in Python), for the ratio measured in this run."""
    with open(path, "wb") as fout:
        fout.write(f"{len(wv)} {wv.vector_size}\n".encode())
        batch: list[bytes] = []
        for word, row in zip(wv.index_to_key, wv.vectors, strict=True):
            if binary:
                batch.append(word.encode("utf-8") + b" " + row.astype("<f4").tobytes() + b"\n")
            else:
                batch.append(f"{word} {' '.join(map(str, row))}\n".encode())
            if len(batch) >= 4096:
                fout.write(b"".join(batch))
                batch.clear()
        fout.write(b"".join(batch))
        os.fsync(fout.fileno())  # as the package's atomic save does


def writers(wv, repeats: int, tmp: str) -> dict:
    """The package's save against the original writer, alternating; the files must be equal."""
    out = {}
    for binary in (False, True):
        kind = "binary" if binary else "text"
        ours, original = Path(tmp) / f"ours.{kind}", Path(tmp) / f"original.{kind}"
        wv.save_word2vec_format(ours, binary=binary)  # numba's first call (cache load) not timed
        runs = {"new": [], "original": []}
        for _ in range(repeats):
            runs["new"].append(best(lambda p=ours, b=binary: wv.save_word2vec_format(p, binary=b), 1))
            runs["original"].append(best(lambda p=original, b=binary: original_save(wv, p, b), 1))
        if ours.read_bytes() != original.read_bytes():
            raise SystemExit(f"the {kind} files differ from the original writer's")
        for name, timings in runs.items():
            out[f"write_{kind}" + ("" if name == "new" else "_original")] = {
                "cpu": min(t["cpu"] for t in timings),
                "wall": min(t["wall"] for t in timings),
            }
        new, old = out[f"write_{kind}"], out[f"write_{kind}_original"]
        out[f"write_{kind}_ratio"] = {"cpu": old["cpu"] / new["cpu"], "wall": old["wall"] / new["wall"]}
    return out


def write_phases(wv, repeats: int, tmp: str) -> dict:
    """Where a save's time goes, text and binary: formatting the rows (the package's row writer,
    the blocks ``save_word2vec_format`` writes), writing them to a new file (``write`` + ``flush``:
    the page cache), ``fsync`` of that file, and the rename over the previous file plus the
    folder's ``fsync`` (the atomic save's steps, ``atomic.py``), each timed apart; beside them the
    whole save, and gensim's ``save_word2vec_format`` (no ``fsync``, as the word2vec C tool's
    ``fclose``; its text file must equal ours), alternating. Best of ``repeats``."""
    import numpy as np

    from w2v_widgets.atomic import _sync_dir
    from w2v_widgets.vectors import formats
    from w2v_widgets.vectors.rows.writer import binary_rows, prepare, text_rows

    try:
        from gensim.models import KeyedVectors
    except ImportError:
        KeyedVectors = None
    if KeyedVectors is not None:
        peer = KeyedVectors(wv.vector_size, dtype=np.float32)
        peer.add_vectors(list(wv.index_to_key), wv.vectors)
    out: dict = {}
    for binary in (False, True):
        kind = "binary" if binary else "text"
        target, gensim_target = Path(tmp) / f"phases.{kind}", Path(tmp) / f"gensim.{kind}"
        wv.save_word2vec_format(target, binary=binary)  # the row writer's first call not timed
        rows, words, vectors = binary_rows if binary else text_rows, wv.index_to_key, wv.vectors
        prepare(len(words))
        steps: dict[str, list] = {k: [] for k in ("format", "write", "fsync", "rename", "save", "gensim")}
        for _ in range(repeats):
            c, w = time.process_time(), time.perf_counter()
            header = f"{len(wv)} {wv.vector_size}\n".encode()
            blocks = [header] + [
                rows(words[s : s + formats._WRITE_BLOCK], vectors[s : s + formats._WRITE_BLOCK])
                for s in range(0, len(words), formats._WRITE_BLOCK)
            ]
            marks = [(time.process_time(), time.perf_counter())]
            tmp_path = target.with_name(f".{target.name}.tmp")
            with open(tmp_path, "wb") as f:
                for block in blocks:
                    f.write(block)
                f.flush()
                marks.append((time.process_time(), time.perf_counter()))
                os.fsync(f.fileno())
                marks.append((time.process_time(), time.perf_counter()))
            os.replace(tmp_path, target)
            _sync_dir(target.parent)
            marks.append((time.process_time(), time.perf_counter()))
            previous = (c, w)
            for name, mark in zip(("format", "write", "fsync", "rename"), marks, strict=True):
                steps[name].append((mark[0] - previous[0], mark[1] - previous[1]))
                previous = mark
            steps["save"].append(
                tuple(best(lambda b=binary, p=target: wv.save_word2vec_format(p, binary=b), 1).values())
            )
            if KeyedVectors is not None:
                gensim_save = lambda b=binary, p=str(gensim_target): peer.save_word2vec_format(p, binary=b)  # noqa: E731
                steps["gensim"].append(tuple(best(gensim_save, 1).values()))
        # gensim's binary rows have no newline after the floats (the C tool's have one, as ours)
        if KeyedVectors is not None and not binary and gensim_target.read_bytes() != target.read_bytes():
            raise SystemExit(f"the {kind} file differs from gensim's")
        for name, timings in steps.items():
            if timings:
                out[f"{kind}_{name}"] = {
                    "cpu": min(c for c, _ in timings),
                    "wall": min(w for _, w in timings),
                }
    return out


def import_seconds(repeats: int) -> dict:
    code = "import time; t = time.perf_counter(); c = time.process_time(); import w2v_widgets; "
    code += "print(time.process_time() - c, time.perf_counter() - t)"
    command = [sys.executable, "-c", code]
    runs = [
        subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
        for _ in range(repeats)
    ]
    return {"cpu": min(float(r[0]) for r in runs), "wall": min(float(r[1]) for r in runs)}


PARTS = ("import", "read", "read-fresh", "vocabulary", "write", "write-phases", "fit", "kernel", "exit")

_KERNEL_LOAD = """
import sys, time
import w2v_widgets
from w2v_widgets.training import kernels
if sys.argv[1] == "numba-own":  # numba's own first load: its BLAS check imports scipy.linalg
    kernels.numba_start._scipy_blas_installed = lambda: False
c, t = time.process_time(), time.perf_counter()
kernels.start()
print(time.process_time() - c, time.perf_counter() - t, "scipy.linalg" in sys.modules)
"""


_EXIT = """
import atexit, json, sys, time
import w2v_widgets as w2v
from w2v_widgets.training import quick_exit
data = w2v.Corpus.from_file(sys.argv[2])
model = w2v.Word2Vec(min_count=5, sample=1e-4, sample_formula="word2vec", epochs=1, seed=0).fit(data)
model.wv.save_word2vec_format(sys.argv[3])
if sys.argv[1] == "full-collections":  # the exit before issue 29's handler
    atexit.unregister(quick_exit._collect_then_freeze)
print(json.dumps({"cpu": time.process_time(), "time": time.time()}), flush=True)
"""


def exit_seconds(corpus: str, repeats: int, tmp: str) -> dict:
    """The process's exit after a run (import, read, a 1-epoch ``fit``, write): CPU seconds from
    its last line to its end (its total from ``wait4`` less what it had used by then) and wall
    seconds, with the package's exit handler (``training/quick_exit.py``) and without it (the
    interpreter's full collections), alternating, fresh processes; medians of ``repeats`` each."""
    runs: dict[str, list] = {"exit": [], "exit_full_collections": []}
    for r in range(repeats):
        order = ["now", "full-collections"] if r % 2 == 0 else ["full-collections", "now"]
        for variant in order:
            command = [sys.executable, "-c", _EXIT, variant, corpus, str(Path(tmp) / "exit.vec")]
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            last = json.loads(proc.stdout.readline())
            _, status, usage = os.wait4(proc.pid, 0)
            proc.stdout.close()
            ended = time.time()
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise SystemExit(f"the exit probe failed ({proc.returncode})")
            cpu = usage.ru_utime + usage.ru_stime - last["cpu"]
            runs["exit" + ("" if variant == "now" else "_full_collections")].append(
                (cpu, ended - last["time"])
            )
    out = {
        name: {"cpu": statistics.median(c for c, _ in xs), "wall": statistics.median(w for _, w in xs)}
        for name, xs in runs.items()
    }
    out["exit_ratio"] = {k: out["exit_full_collections"][k] / out["exit"][k] for k in ("cpu", "wall")}
    return out


_FITS = """
import json, sys, time
import w2v_widgets as w2v

class Clock(w2v.Callback):  # the fit's set-up before its loop, and what follows the loop
    def on_train_begin(self, model, logs):
        self.begin = time.perf_counter(), time.process_time()
    def on_train_end(self, model, logs):
        self.end = time.perf_counter(), time.process_time()

corpus = w2v.Corpus.from_file(sys.argv[1])
settings = {"sample_formula": "word2vec", "min_count": 5, "sample": 1e-4, "epochs": 1, "seed": 0}
fits = []
for _ in range(2):  # the process's first fit (a notebook's first cell), then a second model's
    clock = Clock()
    t, c = time.perf_counter(), time.process_time()
    model = w2v.Word2Vec(**settings).fit(corpus, callbacks=[clock])
    t2, c2 = time.perf_counter(), time.process_time()
    (t0, c0), (t1, c1) = clock.begin, clock.end
    fits.append({"wall": t2 - t, "cpu": c2 - c, "train": model._position.elapsed,
                 "fixed": t0 - t + t2 - t1, "fixed_cpu": c0 - c + c2 - c1})
print(json.dumps(fits))
"""


def fit_seconds(corpus: str, repeats: int) -> dict:
    """Two fits of one epoch in a fresh process (the file read before): the first, which makes
    the trainer's imports (torch, the JIT kernel's load), then a second model's on the same corpus,
    as a notebook's next cell. Each: wall and CPU seconds of ``Word2Vec(...).fit(corpus)``, its
    training loop's seconds (``train``) and the rest, wall and CPU (``fixed``: from the call to
    ``on_train_begin`` and from ``on_train_end`` to the return: imports, vocabulary, model,
    trainer). Medians of ``repeats`` processes."""
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", _FITS, corpus], capture_output=True, text=True,
                                  check=True).stdout)
        for _ in range(repeats)
    ]  # fmt: skip
    return {
        name: {k: statistics.median(run[i][k] for run in runs) for k in runs[0][i]}
        for i, name in enumerate(("fit_first", "fit_second"))
    }


_READ_FRESH = """
import sys, time
import w2v_widgets as w2v
from w2v_widgets.data import corpus
if sys.argv[1] == "python":  # the Python block reader whatever the file's size
    corpus.JIT_READ_BYTES = 1 << 62
c, t = time.process_time(), time.perf_counter()
w2v.Corpus.from_file(sys.argv[2])
print(time.process_time() - c, time.perf_counter() - t, "numba" in sys.modules)
"""


def read_fresh_seconds(corpus: str, repeats: int) -> dict:
    """``Corpus.from_file`` as a process's first use of the package, so numba's load is in it
    when the file is big enough for the machine-code reader (``corpus.JIT_READ_BYTES``; a
    training run loads numba for its kernel anyway), against the Python block reader,
    alternating in fresh processes. Medians of ``repeats`` each."""
    runs: dict[str, list] = {"read_fresh": [], "read_fresh_python": []}
    for r in range(repeats):
        order = ["package", "python"] if r % 2 == 0 else ["python", "package"]
        for variant in order:
            command = [sys.executable, "-c", _READ_FRESH, variant, corpus]
            cpu, wall, _ = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
            runs["read_fresh" + ("" if variant == "package" else "_python")].append((float(cpu), float(wall)))
    out = {
        name: {"cpu": statistics.median(c for c, _ in xs), "wall": statistics.median(w for _, w in xs)}
        for name, xs in runs.items()
    }
    out["read_fresh_ratio"] = {k: out["read_fresh_python"][k] / out["read_fresh"][k] for k in ("cpu", "wall")}
    return out


def kernel_load_seconds(repeats: int) -> dict:
    """``kernels.start()`` (the JIT kernel's load from numba's cache: numba's import, its
    implementations, the cache) in fresh processes, as now against numba's own first load (which
    imports scipy.linalg for its BLAS check), alternating. Medians of ``repeats`` each."""
    runs: dict[str, list] = {"kernel_load": [], "kernel_load_numba_own": []}
    for r in range(repeats):
        order = ["now", "numba-own"] if r % 2 == 0 else ["numba-own", "now"]
        for variant in order:
            command = [sys.executable, "-c", _KERNEL_LOAD, variant]
            cpu, wall, scipy = subprocess.run(
                command, capture_output=True, text=True, check=True
            ).stdout.split()
            if (scipy == "True") != (variant == "numba-own"):
                raise SystemExit(f"scipy.linalg imported: {scipy} in the {variant} load")
            runs["kernel_load" + ("" if variant == "now" else "_numba_own")].append((float(cpu), float(wall)))
    out = {
        name: {"cpu": statistics.median(c for c, _ in xs), "wall": statistics.median(w for _, w in xs)}
        for name, xs in runs.items()
    }
    out["kernel_load_ratio"] = {
        k: out["kernel_load_numba_own"][k] / out["kernel_load"][k] for k in ("cpu", "wall")
    }
    return out


def read_seconds(w2v, corpus: str, repeats: int) -> dict:
    """Reading with the default tokeniser against the line-by-line reader (the same tokeniser
    given as a callable, one call a line: the reader before issue 29), alternating; their
    words, ids and sentences must be equal."""
    from w2v_widgets.data.tokenizers import default_tokenizer

    def by_line_reader(path):
        return w2v.Corpus.from_file(path, tokenizer=default_tokenizer)

    runs: dict[str, list] = {"read": [], "read_by_line": []}
    for _ in range(repeats):
        runs["read"].append(best(lambda: w2v.Corpus.from_file(corpus), 1))
        runs["read_by_line"].append(best(lambda: by_line_reader(corpus), 1))
    block, by_line = w2v.Corpus.from_file(corpus), by_line_reader(corpus)
    same = block.words == by_line.words and (block.ids == by_line.ids).all()
    if not same or not (block.sentence_offsets == by_line.sentence_offsets).all():
        raise SystemExit("the block reader's tokens differ from the line-by-line reader's")
    out = {name: {k: min(t[k] for t in timings) for k in ("cpu", "wall")} for name, timings in runs.items()}
    out["read_ratio"] = {k: out["read_by_line"][k] / out["read"][k] for k in ("cpu", "wall")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", help="a text file (one sentence a line)")
    parser.add_argument("--words", type=int, default=43_000, help="rows of the vectors written")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="time these parts only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    out: dict = {"load_average": os.getloadavg()[0]}
    if "import" in args.only:
        out["import"] = import_seconds(args.repeats)
    if "kernel" in args.only:
        out.update(kernel_load_seconds(args.repeats))
    if "read-fresh" in args.only:
        out.update(read_fresh_seconds(args.corpus, args.repeats))
    if "exit" in args.only:
        with tempfile.TemporaryDirectory() as tmp:
            out.update(exit_seconds(args.corpus, args.repeats, tmp))

    import numpy as np

    import w2v_widgets as w2v
    from w2v_widgets.data.vocabulary import Vocabulary

    if "read" in args.only:
        out.update(read_seconds(w2v, args.corpus, args.repeats))
    corpus = w2v.Corpus.from_file(args.corpus)
    out["tokens"] = int(corpus.n_tokens)

    def vocabulary():
        Vocabulary.from_corpus(corpus, 5).encode_corpus(corpus)

    if "vocabulary" in args.only:
        out["vocabulary"] = best(vocabulary, args.repeats)
    if "write" in args.only or "write-phases" in args.only:
        rng = np.random.default_rng(0)
        vectors = (rng.standard_normal((args.words, 100)) * 0.3).astype(np.float32)
        wv = w2v.WordVectors([f"word{i}" for i in range(args.words)], vectors)
        with tempfile.TemporaryDirectory() as tmp:
            if "write" in args.only:
                out.update(writers(wv, args.repeats, tmp))
            if "write-phases" in args.only:
                out.update(write_phases(wv, args.repeats, tmp))
    if "fit" in args.only:
        out.update(fit_seconds(args.corpus, args.repeats))
    out["load_average_end"] = os.getloadavg()[0]
    for name, value in out.items():
        unit = "x" if name.endswith("_ratio") else " s"
        if isinstance(value, dict):
            print(f"{name:22s} cpu {value['cpu']:.3f}{unit}  wall {value['wall']:.3f}{unit}" +
                  (f"  (training loop {value['train']:.3f} s; the rest: wall {value['fixed']:.3f} s, "
                   f"cpu {value['fixed_cpu']:.3f} s)"
                   if "train" in value else ""))  # fmt: skip
        else:
            print(f"{name:22s} {value}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

"""The fixed costs of a run, each timed alone: writing word2vec text and binary, reading a corpus,
the vocabulary, the kernel's first call, the package's import; and a second ``fit`` in a warm
process (a notebook's second run).

    python benchmarks/fixed_costs.py CORPUS.txt [--words 43000] [--repeats 5] [--json OUT]

Run it twice, once with each tree first on ``PYTHONPATH``, for a before/after (the script uses
only public calls that both have). Seconds are the best of ``--repeats`` of CPU time
(``time.process_time``: a shared machine's load does not inflate it) beside the wall time of the
same run; the import is timed in fresh processes (``-X importtime`` is not used: it slows it).
"""

from __future__ import annotations

import argparse
import json
import os
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


def import_seconds(repeats: int) -> dict:
    code = "import time; t = time.perf_counter(); c = time.process_time(); import w2v_widgets; "
    code += "print(time.process_time() - c, time.perf_counter() - t)"
    command = [sys.executable, "-c", code]
    runs = [
        subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
        for _ in range(repeats)
    ]
    return {"cpu": min(float(r[0]) for r in runs), "wall": min(float(r[1]) for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", help="a text file (one sentence a line)")
    parser.add_argument("--words", type=int, default=43_000, help="rows of the vectors written")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    out = {"load_average": os.getloadavg()[0], "import": import_seconds(args.repeats)}

    import numpy as np

    import w2v_widgets as w2v
    from w2v_widgets.data.vocabulary import Vocabulary

    out["read"] = best(lambda: w2v.Corpus.from_file(args.corpus), args.repeats)
    corpus = w2v.Corpus.from_file(args.corpus)
    out["tokens"] = int(corpus.n_tokens)

    def vocabulary():
        Vocabulary.from_corpus(corpus, 5).encode_corpus(corpus)

    out["vocabulary"] = best(vocabulary, args.repeats)
    rng = np.random.default_rng(0)
    vectors = (rng.standard_normal((args.words, 100)) * 0.3).astype(np.float32)
    wv = w2v.WordVectors([f"word{i}" for i in range(args.words)], vectors)
    with tempfile.TemporaryDirectory() as tmp:
        for binary in (False, True):
            path = Path(tmp) / f"v{int(binary)}"
            out["write_binary" if binary else "write_text"] = best(
                lambda p=path, b=binary: wv.save_word2vec_format(p, binary=b), args.repeats
            )
    from w2v_widgets.training import kernels

    c0, w0 = time.process_time(), time.perf_counter()
    kernels.start()
    out["kernel_load"] = {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0}
    settings = {"sample_formula": "word2vec", "min_count": 5, "sample": 1e-4, "epochs": 1, "seed": 0}
    fits = []
    for _ in range(2):  # the first fit in this process, then the second (a notebook's next cell)
        c0, w0 = time.process_time(), time.perf_counter()
        model = w2v.Word2Vec(**settings).fit(corpus)
        wall = time.perf_counter() - w0
        fits.append({"cpu": time.process_time() - c0, "wall": wall, "train": model._position.elapsed})
    out["fit_first"], out["fit_second"] = fits
    for name, value in out.items():
        if isinstance(value, dict):
            print(f"{name:14s} cpu {value['cpu']:.3f} s  wall {value['wall']:.3f} s" +
                  (f"  (training {value['train']:.3f} s)" if "train" in value else ""))  # fmt: skip
        else:
            print(f"{name:14s} {value}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

"""Peak memory (RSS) against corpus size: reading, vocabulary, and the start of training.

    python benchmarks/memory_scaling.py                      # 10M, 30M, 100M tokens
    python benchmarks/memory_scaling.py --sizes 10 --train-tokens 2

For each size a synthetic Zipf text (s = 1.0 over 500k distinct words, 20-token lines; ~6 bytes
a token) is written to /tmp once (kept between runs, ``--keep`` not needed) and a fresh
subprocess runs ``Corpus.from_file`` -> ``Word2Vec.fit`` with the defaults (vector_size 100,
min_count 5), stopping after ``--train-tokens`` million training words (a fraction of the first
epoch: the tables and the encoded corpus are all allocated by then; the rest of an epoch adds
nothing). Each phase's peak RSS (``ru_maxrss``) is printed, with the bytes per token.
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

import numpy as np

DISTINCT = 500_000
LINE_TOKENS = 20
LIMIT_GB = 4.0


def synthetic_words(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct lower-case words of 2-12 letters (shorter ones frequent, as in text)."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < n:
        length = int(min(12, 2 + rng.poisson(3 + 4 * len(words) / n)))
        word = "".join(rng.choice(letters, length))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return np.array(words, dtype=object)


def write_zipf_text(path: Path, tokens: int, seed: int = 0) -> None:
    """Write ``tokens`` Zipf-distributed words, ``LINE_TOKENS`` a line, in 1M-token blocks."""
    rng = np.random.default_rng(seed)
    words = synthetic_words(DISTINCT, rng)
    weights = 1.0 / np.arange(1, DISTINCT + 1)
    cdf = np.cumsum(weights / weights.sum())
    tmp = path.with_suffix(".partial")
    with open(tmp, "w", encoding="utf-8") as out:
        for start in range(0, tokens, 1_000_000):
            n = min(1_000_000, tokens - start)
            ids = np.minimum(np.searchsorted(cdf, rng.random(n)), DISTINCT - 1)
            block = words[ids].reshape(-1, LINE_TOKENS) if n % LINE_TOKENS == 0 else words[ids][None]
            out.write("\n".join(" ".join(line) for line in block))
            out.write("\n")
    os.replace(tmp, path)


_CHILD = r"""
import json, resource, sys, time
import w2v_widgets as w2v

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path, train_words = sys.argv[1], int(sys.argv[2])
out = {"start_mb": peak_mb()}
t = time.perf_counter()
corpus = w2v.Corpus.from_file(path)
out.update(read_s=time.perf_counter() - t, read_mb=peak_mb(), tokens=corpus.n_tokens,
           distinct=len(corpus.words))

class StopAfter(w2v.callbacks.Callback):
    def on_batch_end(self, model, logs):
        if logs.get("words_done", 0) >= train_words:
            model.stop("benchmark: enough words for the memory figure")

model = w2v.Word2Vec(epochs=1)
t = time.perf_counter()
model.fit(corpus, callbacks=[StopAfter()])
out.update(fit_s=time.perf_counter() - t, fit_mb=peak_mb(), vocab=len(model.vocab),
           words_trained=int(model.progress.get("words_done", 0)))
print("RESULT " + json.dumps(out))
"""


def measure(path: Path, train_words: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(train_words)],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"measurement failed:\n{proc.stdout}\n{proc.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", default="10,30,100", help="corpus sizes in millions of tokens")
    parser.add_argument("--train-tokens", type=float, default=5, help="millions of words to train")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "w2v-memory-scaling"))
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{'tokens':>8} {'file MB':>8} {'distinct':>9} {'vocab':>8} {'read s':>7} "
        f"{'peak read MB':>12} {'fit s':>6} {'peak fit MB':>11} {'B/token':>7}"
    )
    worst = 0.0
    for millions in (int(s) for s in args.sizes.split(",")):
        path = folder / f"zipf-{millions}M.txt"
        if not path.exists():
            t = time.perf_counter()
            write_zipf_text(path, millions * 1_000_000)
            print(f"(wrote {path} in {time.perf_counter() - t:.0f} s)", flush=True)
        r = measure(path, int(args.train_tokens * 1e6))
        worst = max(worst, r["fit_mb"] / 1024)
        print(
            f"{millions:>7}M {path.stat().st_size / 1e6:>8.0f} {r['distinct']:>9,} {r['vocab']:>8,} "
            f"{r['read_s']:>7.1f} {r['read_mb']:>12.0f} {r['fit_s']:>6.1f} {r['fit_mb']:>11.0f} "
            f"{r['fit_mb'] * 2**20 / r['tokens']:>7.1f}",
            flush=True,
        )
    print(
        f"largest peak {worst:.2f} GB ({'within' if worst <= LIMIT_GB else 'OVER'} {LIMIT_GB} GB); "
        f"training stopped after {args.train_tokens:g}M words of the first epoch"
    )


if __name__ == "__main__":
    main()

"""The trainer's own Adam and SGD (``training/optimizers.py``) against torch.optim's, same run.

    python benchmarks/optimizer_steps.py CORPUS [--rounds 2] [--epochs 1] [--json]

CORPUS: ``sample`` (the embedded corpus, what notebook 5 trains on where PTB cannot be downloaded),
``ptb`` (the Penn Treebank training split, from the cache) or a
text file. Each run is a fresh process training notebook 5's settings (Adam, lr 0.002, 100
dimensions, window 5, 5 noise words, min_count 10, sample 1e-4, batches of 512 centre words'
pairs: 3,072 here) for ``--epochs``, with either optimizer (torch's: ``torch.optim.Adam(fused=True)``, what
the trainer used before), alternating ours and torch's ``--rounds`` times. Prints each run's
words/s, CPU seconds and peak resident memory (VmHWM, MB), whether torch._dynamo was imported,
and the median ratio ours / torch.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from _common import REPO, corpus_file, load  # benchmarks/ is the script's folder: on sys.path

CHILD = """
import json, resource, sys, time
import torch
import w2v_widgets as w2v
from w2v_widgets.training import word2vec

which, corpus_arg, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
if which == "torch":  # the peer: torch.optim's fused Adam, as the trainer built it before
    def peer(config, model, lr):
        return torch.optim.Adam(model.parameters(), lr=lr, fused=True)
    word2vec.build_optimizer = peer
corpus = w2v.datasets.load_ptb(progress=False) if corpus_arg == "ptb" else w2v.Corpus.from_file(
    corpus_arg, tokenizer="whitespace", lowercase=False)
model = w2v.Word2Vec(vector_size=100, window=5, negative=5, min_count=10, sample=1e-4, optimizer="adam",
                     alpha=0.002, batch_size=512 * 6, epochs=epochs, seed=0)
cpu, wall = time.process_time(), time.perf_counter()
model.fit(corpus)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
print(json.dumps({"which": which, "words_per_s": model.vocab.total * epochs / wall, "wall_s": wall,
                  "cpu_s": cpu, "peak_mb": hwm, "loss": model.epoch_losses[-1],
                  "dynamo_imported": "torch._dynamo" in sys.modules}))
"""


def run(which: str, corpus: str, epochs: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, corpus, str(epochs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="sample, ptb, or a text file")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = args.corpus if args.corpus == "ptb" else str(corpus_file(args.corpus))
    rows = []
    for _ in range(args.rounds):
        for which in ("ours", "torch"):
            row = run(which, corpus, args.epochs)
            row["load"] = load()
            rows.append(row)
            if not args.json:
                print(
                    f"{which:5}  {row['words_per_s']:9,.0f} words/s  wall {row['wall_s']:6.1f} s  "
                    f"cpu {row['cpu_s']:6.1f} s  peak {row['peak_mb']:5.0f} MB  loss {row['loss']:.4f}  "
                    f"torch._dynamo imported: {row['dynamo_imported']}  ({row['load']})",
                    flush=True,
                )
    speed = {
        w: statistics.median(r["words_per_s"] for r in rows if r["which"] == w) for w in ("ours", "torch")
    }
    peak = {w: statistics.median(r["peak_mb"] for r in rows if r["which"] == w) for w in ("ours", "torch")}
    summary = {"speed_ratio_ours_over_torch": speed["ours"] / speed["torch"], "peak_mb": peak, "runs": rows}
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(
            f"median words/s ours / torch: {summary['speed_ratio_ours_over_torch']:.2f}; "
            f"median peak MB ours {peak['ours']:.0f}, torch {peak['torch']:.0f}"
        )


if __name__ == "__main__":
    main()

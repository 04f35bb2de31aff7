"""The batch queries' top-k (``nearest`` of several rows, analogy evaluation, ``compare_runs``):
``vectors.top_k.top_rows`` (NumPy) against ``torch.topk``, which they used before, on the same
blocks of cosine scores.

For each vocabulary size: blocks of ``evaluation.SCORE_BLOCK`` scores (as ``nearest`` cuts them)
of random unit vectors against all words, each cut by both in turn (alternating, best of
``--rounds``), wall and CPU milliseconds a block, and whether both give the same indices and
values. Then ``import torch`` in a fresh process (what the first batch query paid before).

    python benchmarks/batch_top_k.py [--sizes 100000,1000000,3000000] [--dim 100] [--k 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np
from _common import load  # benchmarks/ is the script's folder: on sys.path (sets it up)

from w2v_widgets.vectors import evaluation
from w2v_widgets.vectors.projections import unit_rows
from w2v_widgets.vectors.top_k import top_rows


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,3000000")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    import torch

    print(f"before: {load()}; torch {torch.__version__} with {torch.get_num_threads()} threads", flush=True)
    rng = np.random.default_rng(0)
    for n in (int(s) for s in args.sizes.split(",")):
        table = unit_rows(rng.standard_normal((n, args.dim), np.float32))
        rows = max(1, evaluation.SCORE_BLOCK // n)
        scores = table[rng.choice(n, rows, replace=False)] @ table.T
        tensor = torch.from_numpy(scores)
        ours, peer = [], []
        for _ in range(args.rounds):
            peer.append(timed(lambda t=tensor: torch.topk(t, args.k, dim=1)))
            ours.append(timed(lambda s=scores: top_rows(s, args.k)))
        idx, values = top_rows(scores, args.k)
        top = torch.topk(tensor, args.k, dim=1)
        same = bool((idx == top.indices.numpy()).all() and (values == top.values.numpy()).all())
        (ow, oc), (tw, tc) = ((min(w for w, _ in t) * 1e3, min(c for _, c in t) * 1e3) for t in (ours, peer))
        print(
            f"{n:>9,} words, blocks of {rows} x {n:,}: top_rows {ow:.1f} ms ({oc:.1f} CPU-ms), "
            f"torch.topk {tw:.1f} ms ({tc:.1f} CPU-ms); torch / ours: wall {tw / ow:.2f}x, "
            f"CPU {tc / oc:.2f}x; "
            f"same results {same} [{load()}]",
            flush=True,
        )
    code = "import time; t = time.perf_counter(); import torch; print(time.perf_counter() - t)"
    seconds = float(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )
    print(f"import torch in a fresh process: {seconds:.2f} s [{load()}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

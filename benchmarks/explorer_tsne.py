"""t-SNE for the explorer at scale: openTSNE (FFT, what ``projection="tsne"`` uses) against
scikit-learn's Barnes-Hut t-SNE and UMAP (when installed), on the same clustered vectors.

For each size and method: seconds, and how well the map keeps neighbourhoods (the share of each
word's 10 nearest neighbours by cosine that are among its 10 nearest on the map, over 2,000
sampled words). openTSNE's progress reports (fraction, intermediate layouts) are counted too.
The issue's target: 100k words in at most 10 minutes, with progress.

    python benchmarks/explorer_tsne.py [--sizes 5000,20000] [--methods opentsne,sklearn,umap]
    python benchmarks/explorer_tsne.py --sizes 100000 --methods opentsne

The machine is shared: run it alone; it prints the load average before and after.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from w2v_widgets.vectors import projections  # noqa: E402

SAMPLE = 2000
K = 10


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def clustered(n: int, dim: int = 100, clusters: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32) * 1.5
    return projections.unit_rows(centres[rng.integers(0, clusters, n)] + rng.normal(size=(n, dim)))


def kept_neighbours(unit: np.ndarray, xy: np.ndarray, seed: int = 1) -> float:
    """Mean share of the K nearest words (cosine) that are among the K nearest on the map."""
    rows = np.random.default_rng(seed).choice(len(unit), min(SAMPLE, len(unit)), replace=False)
    xy = np.asarray(xy, dtype=np.float64)
    shares = []
    for i in rows:
        high = unit @ unit[i]
        high[i] = -np.inf
        low = -((xy - xy[i]) ** 2).sum(axis=1)
        low[i] = -np.inf
        a = set(np.argpartition(-high, K)[:K].tolist())
        b = set(np.argpartition(-low, K)[:K].tolist())
        shares.append(len(a & b) / K)
    return float(np.mean(shares))


def run(method: str, unit: np.ndarray) -> tuple[float, np.ndarray, int]:
    reports = []
    t0 = time.perf_counter()
    if method == "opentsne":
        xy = projections.tsne(unit, seed=0, progress=lambda f, stage, layout: reports.append(f))
    elif method == "sklearn":
        xy = projections._tsne_sklearn(unit, 0, None, projections._tsne_perplexity(len(unit), None), None)
    else:
        xy = projections._umap(unit, seed=0)
    return time.perf_counter() - t0, xy, len(reports)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--methods", default="opentsne,sklearn,umap")
    args = parser.parse_args()
    methods = [m for m in args.methods.split(",") if m]
    if "umap" in methods and importlib.util.find_spec("umap") is None:
        print("umap-learn is not installed: UMAP skipped (pip install umap-learn)")
        methods.remove("umap")
    print(f"before: {load()}")
    for n in (int(s) for s in args.sizes.split(",")):
        unit = clustered(n)
        results = {}
        for method in methods:
            seconds, xy, reports = run(method, unit)
            results[method] = seconds
            kept = kept_neighbours(unit, xy)
            extra = f", {reports} progress reports" if method == "opentsne" else ", no progress"
            print(f"{n:>7,} words  {method:<8} {seconds:7.1f} s  neighbours kept {kept:.2f}{extra}")
        if "opentsne" in results:
            for method, seconds in results.items():
                if method != "opentsne":
                    print(
                        f"{n:>7,} words  {method} / openTSNE time ratio {seconds / results['opentsne']:.1f}"
                    )
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

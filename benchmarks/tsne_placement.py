"""Placing words on a fitted t-SNE map: ``projections.place_on_fitted`` against openTSNE's
``transform`` and the simpler rules it starts from, on the same fitted map and words.

Above ``projections.TSNE_FIT_WORDS`` words the explorer runs t-SNE on the most frequent ones and
places the others (2.9M of GoogleNews's 3M). Here ``--fit`` words of nested clusters
(``explorer_tsne_scale.nested_clusters``) get a t-SNE map (the explorer's settings for large
maps), then ``--place`` more words of the same clusters are placed by each method. For each:
CPU microseconds per placed word (one thread for the numpy rules; openTSNE with its threads as
the explorer gives them) and "kept", the share of each sampled placed word's 10 nearest words by
cosine (over fitted and placed words) that are among its 10 nearest on the map.

    python benchmarks/tsne_placement.py [--fit 20000] [--place 20000] [--dim 300]

Methods: ``ivf-median5`` (ours: one-level inverted index, median of the 5 nearest fitted words),
``ivf-median5-pN`` (the same, searching each word's N nearest cells), ``exact-median5`` (the
rule over every fitted word: what the index's misses cost), ``exact-weighted10``
(similarity-weighted mean of the 10 nearest), ``opentsne-init`` (openTSNE's ``prepare_partial``:
its own neighbour search and median of 25, no optimisation), ``opentsne-25`` / ``opentsne-250``
(``transform`` with 25 / 250 iterations, 250 its default).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _common import load  # benchmarks/ is the script's folder: on sys.path (sets it up)
from explorer_tsne_scale import kept, nested_clusters
from threadpoolctl import threadpool_limits

from w2v_widgets.vectors import projections


def exact_rule(rows: np.ndarray, fitted: np.ndarray, fitted_xy: np.ndarray, k: int, rule: str) -> np.ndarray:
    out = np.empty((len(rows), 2), np.float32)
    for start in range(0, len(rows), 4096):
        scores = rows[start : start + 4096] @ fitted.T
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        if rule == "median":
            out[start : start + 4096] = np.median(fitted_xy[best], axis=1)
        else:
            w = np.maximum(np.take_along_axis(scores, best, axis=1), 1e-3)[:, :, None]
            out[start : start + 4096] = (fitted_xy[best] * w).sum(axis=1) / w.sum(axis=1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", type=int, default=20_000)
    parser.add_argument("--place", type=int, default=20_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--fitted", help="a .npy file keeping the fitted map between runs (numpy rules only)")
    parser.add_argument(
        "--methods", default="ivf-median5,exact-median5,exact-weighted10,opentsne-init,opentsne-25"
    )
    args = parser.parse_args()
    print(f"before: {load()}", flush=True)
    unit = projections.unit_rows(nested_clusters(args.fit + args.place, args.dim))
    fitted, rows = unit[: args.fit], unit[args.fit :]
    projections.TSNE_LARGE = 0  # the explorer's settings for large maps, at any size
    t0, cpu0 = time.perf_counter(), time.process_time()
    if args.fitted and os.path.exists(args.fitted):
        embedding = fitted_xy = np.load(args.fitted)
    else:
        with threadpool_limits(projections._tsne_jobs(), user_api="blas"):
            embedding = projections._tsne_opentsne(
                fitted, 0, None, projections._tsne_perplexity(args.fit, None), None, keep_index=True
            )  # openTSNE's transform and prepare_partial need its neighbour index
        fitted_xy = np.asarray(embedding, dtype=np.float32)
        if args.fitted:
            np.save(args.fitted, fitted_xy)
    print(
        f"t-SNE of {args.fit:,} words x {args.dim}: {time.perf_counter() - t0:.0f} s "
        f"({time.process_time() - cpu0:.0f} CPU-s) [{load()}]",
        flush=True,
    )
    sample = args.fit + np.random.default_rng(3).choice(
        args.place, min(args.sample, args.place), replace=False
    )
    for method in args.methods.split(","):
        t0, cpu0 = time.perf_counter(), time.process_time()
        if method.startswith("ivf-median5"):
            probes = int(method.split("-p")[1]) if "-p" in method else 1
            with threadpool_limits(1, user_api="blas"):
                xy = projections.place_on_fitted(rows, fitted, fitted_xy, probes=probes)
        elif method.startswith("exact-"):
            rule, k = ("median", 5) if method == "exact-median5" else ("weighted", 10)
            with threadpool_limits(1, user_api="blas"):
                xy = exact_rule(rows, fitted, fitted_xy, k, rule)
        elif method == "opentsne-init":
            xy = np.asarray(embedding.prepare_partial(rows), dtype=np.float32)
        else:
            iters = int(method.rsplit("-", 1)[1])
            xy = np.asarray(embedding.transform(rows, n_iter=iters), dtype=np.float32)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        share = kept(unit, np.vstack([fitted_xy, xy]), sample)
        print(
            f"{method:<17} {cpu / len(rows) * 1e6:8.0f} CPU-us a word ({wall:6.1f} s wall, {len(rows):,}); "
            f"kept {share:.3f}; 2.9M words: {cpu / len(rows) * 2.9e6 / 60:7.1f} CPU-min [{load()}]",
            flush=True,
        )
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

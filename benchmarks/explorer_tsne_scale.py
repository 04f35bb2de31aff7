"""``EmbeddingExplorer(wv, n_words=None, projection="tsne")`` end to end at 300k-3M words, in this
process (the kernel's side: no browser).

Prints the time to the first map (PCA, the constructor's return), the time to the t-SNE map (the
most frequent ``projections.TSNE_FIT_WORDS`` words by t-SNE, the others placed on it), every
progress label the page would have shown (the ``_progress`` trait), how the kernel answered
``ex.neighbours(word, 10)`` while t-SNE ran (median and worst, against the same query after it),
the kernel's memory (resident set at each stage and its highest in each, and the arrays held:
vectors, unit rows, the neighbour index, the layout) against the float32 array, and the share of
each word's 10 nearest words (cosine, all dimensions) that are among its 10 nearest on the map,
for sampled fitted and placed words (``neighbours kept``).

Vectors come from a word2vec binary (``--vectors FILE [--limit N]``, e.g. one of GoogleNews's
shape made by ``load_vectors.py``: its random vectors have no neighbourhoods to keep, so their
``kept`` is chance) or are made here (``--words N --dim D``): nested clusters (``nested_clusters``:
groups of subgroups of 10-word leaves), whose 10 nearest words are mostly a word's own leaf, so
``kept`` says whether a map keeps them.

    python benchmarks/explorer_tsne_scale.py --words 300000 --dim 300
    python benchmarks/explorer_tsne_scale.py --vectors vectors-1000000x300.bin
    flock /tmp/big-memory.lock python benchmarks/explorer_tsne_scale.py --vectors vectors-3000000x300.bin

The machine is shared: it prints the load average with every timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import threading
import time

import numpy as np
from _common import load  # benchmarks/ is the script's folder: on sys.path (sets it up)

from w2v_widgets.vectors import WordVectors, projections

K = 10


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def nested_clusters(n: int, dim: int, seed: int = 0, leaf: int = 10, fan: int = 30) -> np.ndarray:
    """``(n, dim)`` float32 vectors in nested clusters: ``fan`` groups of ``fan`` subgroups of
    leaves of about ``leaf`` words (scales 1, 0.7, 0.5, noise 0.2 a dimension), rows in random
    leaf order, made in blocks (no float64 copy of the whole array)."""
    rng = np.random.default_rng(seed)
    n_leaves = max(1, n // leaf)
    scale = 1 / np.sqrt(dim)
    leaves = (rng.standard_normal((n_leaves, dim), np.float32) * 0.5 * scale).astype(np.float32)
    subgroups = rng.standard_normal((fan * fan, dim), np.float32) * 0.7 * scale
    groups = rng.standard_normal((fan, dim), np.float32) * scale
    leaf_sub = rng.integers(0, fan * fan, n_leaves)
    leaves += subgroups[leaf_sub] + groups[leaf_sub // fan]
    out = np.empty((n, dim), np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        which = rng.integers(0, n_leaves, m)
        out[start : start + m] = leaves[which] + rng.standard_normal((m, dim), np.float32) * 0.2 * scale
    return out


def kept(unit: np.ndarray, xy: np.ndarray, rows: np.ndarray, block: int = 16) -> float:
    """Mean share of each of ``rows``' K nearest words by cosine (over all rows) that are among
    its K nearest on the map ``xy``."""
    xy = np.asarray(xy, dtype=np.float32)
    shares = []
    for start in range(0, len(rows), block):
        ids = rows[start : start + block]
        high = unit[ids] @ unit.T
        high[np.arange(len(ids)), ids] = -np.inf
        low = (xy[None, :, 0] - xy[ids, 0, None]) ** 2 + (xy[None, :, 1] - xy[ids, 1, None]) ** 2
        low[np.arange(len(ids)), ids] = np.inf
        true = np.argpartition(-high, K, axis=1)[:, :K]
        near = np.argpartition(low, K, axis=1)[:, :K]
        shares.extend((true[:, :, None] == near[:, None, :]).any(axis=2).mean(axis=1).tolist())
    return float(np.mean(shares))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", help="a word2vec binary file (else vectors are made: --words, --dim)")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N words of --vectors")
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--sample", type=int, default=500, help="fitted and placed words sampled for 'kept'")
    parser.add_argument("--fit-words", type=int, default=None, help="t-SNE's words (default: TSNE_FIT_WORDS)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for t-SNE")
    args = parser.parse_args()
    if args.fit_words:
        projections.TSNE_FIT_WORDS = args.fit_words
    print(f"before: {load()}", flush=True)
    base_mb = rss_mb()
    t0, cpu0 = time.perf_counter(), time.process_time()
    if args.vectors:
        wv = WordVectors.load_word2vec_format(args.vectors, binary=True, limit=args.limit)
        source = f"{args.vectors} (random vectors: 'kept' is chance)"
    else:
        wv = WordVectors([f"w{i}" for i in range(args.words)], nested_clusters(args.words, args.dim))
        source = "nested clusters made here"
    n, dim = wv.vectors.shape
    array_mb = wv.vectors.nbytes / 2**20
    print(
        f"{n:,} x {dim} ({source}): vectors ready in {time.perf_counter() - t0:.1f} s "
        f"({time.process_time() - cpu0:.1f} CPU-s); float32 array {array_mb:,.0f} MB; "
        f"RSS {rss_mb():,.0f} MB [{load()}]",
        flush=True,
    )
    from w2v_widgets.widgets.explorer import EmbeddingExplorer

    seen: list[tuple[float, float, str]] = []
    stage_peaks: dict[str, float] = {}  # the highest resident set seen in each stage, sampled
    sampling = threading.Event()

    def sample_rss() -> None:
        while not sampling.wait(0.05):
            stage = " ".join(seen[-1][2].split()[:2]) if seen else "constructor (first map)"
            stage_peaks[stage or "end"] = max(stage_peaks.get(stage or "end", 0.0), rss_mb())

    threading.Thread(target=sample_rss, daemon=True).start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    ex = EmbeddingExplorer(wv, n_words=None, projection="tsne")
    first_s, first_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    ex.observe(
        lambda c: seen.append(
            (time.perf_counter() - t0, time.process_time() - cpu0, c["new"].get("label", ""))
        ),
        "_progress",
    )
    print(
        f"first map ({ex._projection}) in {first_s:.1f} s ({first_cpu:.1f} CPU-s), RSS {rss_mb():,.0f} MB "
        f"[{load()}]",
        flush=True,
    )
    words = ex.words
    probe = np.random.default_rng(1).choice(n, 200, replace=False)
    during: list[float] = []
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (ex.wait(args.timeout), done.set()), daemon=True)
    waiter.start()
    last_print = 0.0
    for i in range(10**9):
        if done.wait(1.0):
            break
        q = time.perf_counter()
        ex.neighbours(words[probe[i % len(probe)]], 10)
        during.append(time.perf_counter() - q)
        if seen and time.perf_counter() - last_print > 30:
            last_print = time.perf_counter()
            print(f"  {seen[-1][0]:7.1f} s ({seen[-1][1]:6.1f} CPU-s)  {seen[-1][2]}  [{load()}]", flush=True)
    tsne_s, tsne_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finished = ex._projection == "t-SNE"
    if not finished:
        print(f"t-SNE NOT finished in --timeout {args.timeout:.0f} s: the phases so far follow")
        ex.cancel_layout()
    print(
        f"t-SNE map ({ex._projection}) {tsne_s:.1f} s after the constructor began ({tsne_cpu:.1f} CPU-s of "
        f"the process); {len(seen)} progress updates [{load()}]",
        flush=True,
    )
    stages = [
        i for i, entry in enumerate(seen) if i == 0 or entry[2].split()[:2] != seen[i - 1][2].split()[:2]
    ]
    for at, cpu, label in [seen[i] for i in sorted(set(stages) | {len(seen) - 1})]:
        print(f"  {at:7.1f} s ({cpu:6.1f} CPU-s)  {label or '(done)'}")
    after = []
    for w in probe[:40]:
        q = time.perf_counter()
        ex.neighbours(words[w], 10)
        after.append(time.perf_counter() - q)
    if during:
        print(
            f"ex.neighbours(w, 10) while t-SNE ran: median {statistics.median(during) * 1e3:.0f} ms, "
            f"max {max(during) * 1e3:.0f} ms ({len(during)} queries); after: median "
            f"{statistics.median(after) * 1e3:.0f} ms, max {max(after) * 1e3:.0f} ms"
        )
    unit = wv.get_normed_vectors()
    index = ex._queries.index
    held = {
        "vectors": wv.vectors.nbytes,
        "unit rows": unit.nbytes if unit is not wv.vectors else 0,
        "index": getattr(index, "nbytes", 0),
        "layout": np.asarray(ex._xy).nbytes,
    }
    total = sum(held.values())
    parts = ", ".join(f"{k} {v / 2**20:,.0f} MB" for k, v in held.items())
    print(
        f"memory: {parts}; held {total / 2**20:,.0f} MB = {total / wv.vectors.nbytes:.2f}x the array; "
        f"RSS {rss_mb():,.0f} MB ({(rss_mb() - base_mb) / array_mb:.2f}x the array above the "
        f"interpreter's {base_mb:,.0f} MB), peak {peak_mb():,.0f} MB"
    )
    sampling.set()
    peaks = ", ".join(f"{stage} {mb:,.0f} MB" for stage, mb in stage_peaks.items())
    print(f"highest RSS by stage (sampled every 50 ms): {peaks}")
    if not finished:
        ex.close()
        return 1
    fit = min(projections.TSNE_FIT_WORDS, n)
    rng = np.random.default_rng(2)
    xy = np.asarray(ex._xy)
    plotted = unit[ex._plot.idx] if not ex._plot.whole_vocabulary_in_order() else unit
    fitted_rows = rng.choice(fit, min(args.sample, fit), replace=False)
    line = f"neighbours kept (10 nearest, {args.sample} sampled): fitted {kept(plotted, xy, fitted_rows):.3f}"
    if n > fit:
        placed_rows = rng.choice(np.arange(fit, n), min(args.sample, n - fit), replace=False)
        line += f", placed {kept(plotted, xy, placed_rows):.3f}"
    print(f"{line} [{load()}]")
    print(f"after: {load()}")
    ex.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

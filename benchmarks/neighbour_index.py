"""Nearest words over millions of vectors: the int8 index against the exact search (and HNSW).

For ``--words`` x ``--dims`` random vectors (Gaussian: the hardest case for any approximate
search, all neighbours nearly equally far; ``--clustered`` for 40 clusters), prints:

* the exact search (``WordVectors.nearest``, a float32 matrix-vector product over the unit rows)
  and the explorer's hover answer (``QueryHandler`` ``neighbours`` message) with the int8 index of
  :mod:`w2v_widgets.vectors.index`: median and p90 ms over ``--queries`` words (target: median
  100 ms, p90 200 ms), and the recall of the exact top 10 (target 0.95);
* the index's build time and the kernel's memory: vectors, unit rows, int8 copy, against one
  float32 array (target: 2.5x in all);
* with faiss-cpu installed, HNSW (faiss ``IndexHNSWFlat``, M=32) on ``--hnsw-words`` of the same
  rows: build time (scaled linearly to ``--words``, a lower bound: HNSW builds in n log n), memory,
  query time and recall: the peer an index would be.

    python benchmarks/neighbour_index.py [--words 3000000] [--dims 300] [--queries 50]
        [--hnsw-words 100000] [--clustered]

3M x 300 needs ~8 GB of memory (vectors, unit rows, int8 copy); the machine's load is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _common  # noqa: F401 (benchmarks/ is the script's folder: on sys.path; sets up the checkout's)
import numpy as np

from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors.index import QuantisedNeighbours
from w2v_widgets.widgets.explorer.queries import QueryHandler


def make_vectors(n: int, d: int, clustered: bool, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    vectors = np.empty((n, d), np.float32)
    centres = rng.standard_normal((40, d), dtype=np.float32)
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        vectors[lo:hi] = rng.standard_normal((hi - lo, d), dtype=np.float32)
        if clustered:
            vectors[lo:hi] += centres[rng.integers(0, 40, hi - lo)]
    words = [f"w{i}" for i in range(n)]
    return WordVectors._from_table(
        words, dict(zip(words, range(n), strict=True)), vectors, None, vectors.dtype
    )


def timed(fn, repeats: list) -> list[float]:
    out = []
    for item in repeats:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=3_000_000)
    parser.add_argument("--dims", type=int, default=300)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--hnsw-words", type=int, default=100_000)
    parser.add_argument("--clustered", action="store_true")
    args = parser.parse_args()
    print(f"load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    t0 = time.perf_counter()
    wv = make_vectors(args.words, args.dims, args.clustered)
    unit = wv.get_normed_vectors()
    print(
        f"{args.words:,} x {args.dims} {'clustered' if args.clustered else 'Gaussian'} vectors made "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    rng = np.random.default_rng(1)
    queries = rng.choice(args.words, args.queries, replace=False).tolist()

    exact = {}

    def exact_one(i: int) -> None:
        exact[i] = wv.nearest(np.array([i]), 10)[0][0]

    exact_ms = timed(exact_one, queries)
    t0 = time.perf_counter()
    index = QuantisedNeighbours(unit).build()
    build_s = time.perf_counter() - t0
    handler = QueryHandler(wv, {}, add=lambda word: -1, index=index)
    found = {}

    def hover(i: int) -> None:
        reply = handler.handle({"id": "q", "type": "neighbours", "word": wv.index_to_key[i], "k": 10})
        found[i] = [int(item["word"][1:]) for item in reply["result"]["items"]]

    hover_ms = timed(hover, queries)
    recall = statistics.mean(len(set(found[i]) & set(exact[i].tolist())) / 10 for i in queries)
    array_mb = wv.vectors.nbytes / 2**20
    total = wv.vectors.nbytes + unit.nbytes + index.nbytes
    print(
        f"exact (float32 unit rows): median {statistics.median(exact_ms):.0f} ms, p90 {p90(exact_ms):.0f} ms"
    )
    print(
        f"int8 index: built in {build_s:.1f} s (background); hover median "
        f"{statistics.median(hover_ms):.0f} ms, "
        f"p90 {p90(hover_ms):.0f} ms, recall of the exact top 10 {recall:.3f} (targets 100/200 ms, 0.95)"
    )
    print(
        f"kernel memory: vectors {array_mb:,.0f} MB + unit rows {unit.nbytes / 2**20:,.0f} MB + int8 copy "
        f"{index.nbytes / 2**20:,.0f} MB = {total / 2**20:,.0f} MB, "
        f"{total / wv.vectors.nbytes:.2f}x the float32 array (target 2.5x)"
    )
    try:
        import faiss
    except ImportError:
        print("HNSW: faiss-cpu is not installed (pip install faiss-cpu) - not measured")
        return
    m = min(args.hnsw_words, args.words)
    sample = np.ascontiguousarray(unit[:m])
    hnsw = faiss.IndexHNSWFlat(args.dims, 32, faiss.METRIC_INNER_PRODUCT)
    t0 = time.perf_counter()
    hnsw.add(sample)
    hnsw_s = time.perf_counter() - t0
    hnsw.hnsw.efSearch = 64
    inside = [i for i in queries if i < m] or list(range(min(m, args.queries)))
    ms, hits = [], []
    for i in inside:
        t0 = time.perf_counter()
        _, got = hnsw.search(sample[i : i + 1], 11)
        ms.append((time.perf_counter() - t0) * 1000)
        truth = np.argsort(-(sample @ sample[i]))[:11]
        hits.append(len(set(got[0].tolist()) - {i} & set(truth.tolist()) - {i}) / 10)
    print(
        f"HNSW (faiss, M=32, efSearch=64) on {m:,} rows: built in {hnsw_s:.1f} s "
        f"(x{args.words / m:.0f} rows: >= {hnsw_s * args.words / m / 60:.0f} min), "
        f"query median {statistics.median(ms):.1f} ms, recall "
        f"{statistics.mean(hits):.3f}, graph ~{m * 32 * 2 * 4 / 2**20:,.0f} MB + a float32 copy"
    )


if __name__ == "__main__":
    main()

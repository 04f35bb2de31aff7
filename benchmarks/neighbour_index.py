"""Nearest words over millions of vectors: the sign-sketch index against the exact search (and IVF).

For ``--words`` x ``--dims`` vectors, prints:

* the exact search (``WordVectors.nearest``, a float32 matrix-vector product over the unit rows):
  median and p90 ms over ``--queries`` words;
* for each ``--bits`` x ``--candidates`` of :class:`w2v_widgets.vectors.index.SketchNeighbours`:
  the build time, and the explorer's hover answer (``QueryHandler``'s ``neighbours`` message)
  median and p90 ms (target: 100 / 200 ms) with the recall of the exact top 10 (target 0.95);
* the kernel's memory: vectors, unit rows and the sketch, against one float32 array (target 2.5x);
* with faiss-cpu installed and ``--ivf NLIST``: faiss ``IndexIVFFlat`` over the same unit rows
  (k-means trained on a sample), build time and, per ``--nprobe``, query time and recall.

The vectors (``--vectors``): ``gaussian`` (the default: no structure, every neighbour nearly as
far as any other word, the worst case for any approximate search), or a ``.npy`` file of trained
vectors (e.g. a model trained on a corpus), whose rows are repeated with Gaussian noise of
``--noise`` times each row's spread until there are ``--words``.

    python benchmarks/neighbour_index.py [--words 3000000] [--dims 300] [--queries 50]
        [--bits 512 1024] [--candidates 4096 8192] [--vectors gaussian|FILE.npy] [--noise 0.5]
        [--ivf 4096 --nprobe 16 64]

3M x 300 needs ~8 GB of memory (vectors, unit rows, sketch); the machine and its load are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from _common import load, machine  # benchmarks/ is the script's folder: on sys.path (sets up the checkout's)

from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors.index import SketchNeighbours
from w2v_widgets.widgets.explorer.queries import QueryHandler


def make_vectors(n: int, d: int, source: str, noise: float, seed: int = 0) -> WordVectors:
    """``n`` x ``d`` Gaussian vectors, or the rows of a ``.npy`` file repeated with noise."""
    rng = np.random.default_rng(seed)
    base = None if source == "gaussian" else np.load(source).astype(np.float32)
    if base is not None:
        d = base.shape[1]
        spread = base.std(axis=1, keepdims=True)
    vectors = np.empty((n, d), np.float32)
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        vectors[lo:hi] = rng.standard_normal((hi - lo, d), dtype=np.float32)
        if base is not None:
            rows = np.arange(lo, hi) % len(base)
            vectors[lo:hi] *= noise * spread[rows]
            vectors[lo:hi] += base[rows]
    words = [f"w{i}" for i in range(n)]
    return WordVectors._from_table(
        words, dict(zip(words, range(n), strict=True)), vectors, None, vectors.dtype
    )


def timed(fn, items: list) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds (this process, all threads) of ``fn(item)`` for each item."""
    wall, cpu = [], []
    for item in items:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(item)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def summary(times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"median {statistics.median(wall):.0f} ms, p90 {np.percentile(wall, 90):.0f} ms "
        f"(CPU {statistics.median(cpu):.0f} / {np.percentile(cpu, 90):.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=3_000_000)
    parser.add_argument("--dims", type=int, default=300)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--bits", type=int, nargs="+", default=[1024])
    parser.add_argument("--candidates", type=int, nargs="+", default=[0], help="0: the default")
    parser.add_argument("--vectors", default="gaussian", help="gaussian, or a .npy file of trained vectors")
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--ivf", type=int, default=0, help="faiss IndexIVFFlat with this many lists")
    parser.add_argument("--nprobe", type=int, nargs="+", default=[16, 64])
    args = parser.parse_args()
    print(machine())
    t0 = time.perf_counter()
    wv = make_vectors(args.words, args.dims, args.vectors, args.noise)
    unit = wv.get_normed_vectors()
    print(f"{len(wv):,} x {unit.shape[1]} {args.vectors} vectors made in {time.perf_counter() - t0:.0f} s")
    rng = np.random.default_rng(1)
    queries = rng.choice(args.words, args.queries, replace=False).tolist()

    exact: dict[int, set[int]] = {}

    def exact_one(i: int) -> None:
        exact[i] = set(wv.nearest(np.array([i]), 10)[0][0].tolist())

    print(f"exact (float32 unit rows): {summary(timed(exact_one, queries))} ({load()})")
    array = wv.vectors.nbytes
    for bits in args.bits:
        t0 = time.perf_counter()
        index = SketchNeighbours(unit, bits=bits).build()
        build_s = time.perf_counter() - t0
        default = index.candidates
        for candidates in args.candidates:
            index.candidates = candidates = candidates or default
            handler = QueryHandler(wv, {}, add=lambda word: -1, index=index)
            found: dict[int, set[int]] = {}

            def hover(i: int, handler=handler, found=found) -> None:
                reply = handler.handle({"id": "q", "type": "neighbours", "word": wv.index_to_key[i], "k": 10})
                found[i] = {int(item["word"][1:]) for item in reply["result"]["items"]}

            ms = timed(hover, queries)
            recall = statistics.mean(len(found[i] & exact[i]) / 10 for i in queries)
            print(
                f"sketch {bits} bits, {candidates} candidates: built in {build_s:.1f} s; "
                f"hover {summary(ms)}, recall of the exact top 10 {recall:.3f} ({load()})"
            )
        total = array + unit.nbytes + index.nbytes
        print(
            f"  kernel memory: vectors {array / 2**20:,.0f} MB + unit rows {unit.nbytes / 2**20:,.0f} MB + "
            f"sketch {index.nbytes / 2**20:,.0f} MB = {total / 2**20:,.0f} MB, {total / array:.2f}x the array"
        )
        index.close()
        del index
    if args.ivf:
        ivf(args, unit, queries, exact)


def ivf(args: argparse.Namespace, unit: np.ndarray, queries: list[int], exact: dict[int, set[int]]) -> None:
    """faiss IndexIVFFlat (inner product on unit rows): the peer an IVF index would be."""
    try:
        import faiss
    except ImportError:
        print("IVF: faiss-cpu is not installed (pip install faiss-cpu) - not measured")
        return
    t0 = time.perf_counter()
    quantiser = faiss.IndexFlatIP(unit.shape[1])
    index = faiss.IndexIVFFlat(quantiser, unit.shape[1], args.ivf, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(2).choice(len(unit), min(len(unit), 40 * args.ivf), replace=False)
    index.train(unit[np.sort(sample)])
    index.add(unit)
    build_s = time.perf_counter() - t0
    for nprobe in args.nprobe:
        index.nprobe = nprobe
        found = {}

        def one(i: int, found=found) -> None:
            _, got = index.search(unit[i : i + 1], 11)
            found[i] = set(got[0].tolist()) - {i}

        ms = timed(one, queries)
        recall = statistics.mean(len(found[i] & exact[i]) / 10 for i in queries)
        print(
            f"IVF (faiss IndexIVFFlat, {args.ivf} lists, nprobe {nprobe}): built in {build_s:.0f} s; "
            f"query {summary(ms)}, recall {recall:.3f}, a float32 copy of the rows ({load()})"
        )


if __name__ == "__main__":
    main()

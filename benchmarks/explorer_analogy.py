"""The explorer's ``analogy`` query (``king - man + woman``) over a whole vocabulary, against
gensim on the same vectors.

Our query answers, for one question: the top k under 3CosAdd and 3CosMul, each with the question
words left out and kept in, plus where the answer vector lands on the map (PCA: the map's affine
function). gensim answers less with ``most_similar`` + ``most_similar_cosmul`` (the left-out lists
only, no placement); both run on the same float32 vectors, median of ``--repeat`` questions.

    python benchmarks/explorer_analogy.py [--words 1000000] [--dim 100] [--repeat 15]

About 2 GB of memory at 1M words (our index, gensim's copy and its norms). The machine is shared:
the load printed is the 1-minute average at the start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _common  # noqa: F401 (benchmarks/ is the script's folder: on sys.path; sets up the checkout's)
import numpy as np

from w2v_widgets.vectors.word_vectors import WordVectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    from gensim.models import KeyedVectors

    print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.words:,} words x {args.dim}")
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(args.words)]
    vectors = rng.normal(size=(args.words, args.dim)).astype(np.float32)
    wv = WordVectors(words, vectors, counts=np.arange(args.words, 0, -1))
    t0 = time.perf_counter()
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    print(f"explorer ready (PCA of every word) in {time.perf_counter() - t0:.1f} s")
    kv = KeyedVectors(args.dim)
    kv.add_vectors(words, vectors)
    kv.fill_norms()
    questions = [tuple(f"w{i}" for i in rng.integers(0, 1000, 3)) for _ in range(args.repeat)]

    ours, theirs = [], []
    for a, b, c in questions:
        t0 = time.perf_counter()
        reply = ex._queries.handle({"id": "b", "type": "analogy", "a": a, "b": b, "c": c, "k": args.k})
        ours.append(time.perf_counter() - t0)
        assert "result" in reply, reply
        t0 = time.perf_counter()
        add = kv.most_similar(positive=[a, c], negative=[b], topn=args.k)
        mul = kv.most_similar_cosmul(positive=[a, c], negative=[b], topn=args.k)
        theirs.append(time.perf_counter() - t0)
        got = reply["result"]["answers"]
        assert [it["word"] for it in got["3CosAdd"]["excluded"]] == [w for w, _ in add]
        assert [it["word"] for it in got["3CosMul"]["excluded"]] == [w for w, _ in mul]
    ex.close()
    med_ours, med_theirs = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
    print(f"placement: {reply['result']['placement']}")
    print(f"ours  (both methods, left out and kept in, + placement): median {med_ours:.0f} ms")
    print(f"gensim most_similar + most_similar_cosmul (left out only): median {med_theirs:.0f} ms")
    print(f"ratio ours/gensim: {med_ours / med_theirs:.2f} (same answers, checked)")


if __name__ == "__main__":
    main()

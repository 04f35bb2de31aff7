"""What the page copy's compact vectors cost: recall@10 of each word's nearest neighbours against
float32, for the int8 rows the copy stores (per-row max-abs scale, 1 byte a value) and float16
(2 bytes), over the words a default copy holds.

The copy (w2v_widgets/widgets/explorer/page_copy.py) answers hover and search among the words it
embeds: by default the most frequent plotted words that fit 200,000 values (2,000 words at 100
dims). For each of those words, the 10 nearest among them by cosine in float32 are the truth;
recall@10 is the share of them the compact copy also lists in its 10 nearest (mean over words),
and top-1 the share of words whose nearest word is unchanged.

    python benchmarks/page_copy_recall.py [CORPUS.txt[.gz]] [--dim 100] [--words 2000] [--epochs 5]

Without a corpus, the package's sample corpus (``w2v.datasets.load_sample()``); a corpus file is
read by ``w2v.Corpus.from_file`` (.txt or .gz).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import _common  # noqa: F401 (benchmarks/ is the script's folder: on sys.path; sets up the checkout's)
import numpy as np

import w2v_widgets as w2v
from w2v_widgets.widgets.explorer.standalone import quantize_rows


def top_k(unit: np.ndarray, k: int) -> np.ndarray:
    scores = unit @ unit.T
    np.fill_diagonal(scores, -np.inf)
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def unit_rows(v: np.ndarray) -> np.ndarray:
    v = v.astype(np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    corpus = w2v.Corpus.from_file(args.corpus) if args.corpus else w2v.datasets.load_sample()
    model = w2v.Word2Vec(vector_size=args.dim, epochs=args.epochs, seed=0).fit(corpus)
    wv = model.wv
    n = min(args.words, len(wv.index_to_key))
    exact = wv.get_normed_vectors()[:n].astype(np.float32)  # index order: most frequent first
    truth = top_k(exact, args.k)
    name = Path(args.corpus).name if args.corpus else "the package's sample corpus"
    load = os.getloadavg()[0]
    print(
        f"corpus: {name}; {len(wv.index_to_key):,} words, {n:,} embedded x {args.dim} dims; load {load:.1f}"
    )
    print(f"{'storage':<8} {'bytes/value':>11} {'page bytes':>11} {'recall@10':>10} {'top-1 same':>11}")
    for label, compact, size in (
        ("float32", exact, 4),
        ("float16", exact.astype(np.float16), 2),
        ("int8", quantize_rows(exact), 1),
    ):
        got = top_k(unit_rows(compact), args.k)
        recall = np.mean([len(set(a) & set(b)) / args.k for a, b in zip(got, truth, strict=True)])
        top1 = np.mean(got[:, 0] == truth[:, 0])
        page = n * args.dim * size * 4 // 3  # base64 in the page
        print(f"{label:<8} {size:>11} {page:>11,} {recall:>10.4f} {top1:>11.4f}")


if __name__ == "__main__":
    main()

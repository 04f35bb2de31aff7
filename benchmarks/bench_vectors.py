"""Speed of WordVectors queries and evaluation against gensim KeyedVectors on the same vectors.

    python benchmarks/bench_vectors.py [--words 50000] [--dim 100] [--questions 2000]

Prints the median time of one nearest-neighbour query (the explorer's hover), of a batch of
1,000 queries, of most_similar, and of analogy evaluation on a slice of questions-words.txt,
each with gensim's time and the ratio (gensim / ours; above 1 means we are faster).
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from w2v_widgets.data.datasets.evaluation import evaluation_set_path
from w2v_widgets.vectors import WordVectors

QUESTIONS = evaluation_set_path("google-analogies")  # bundled with the package (gzip)


def median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def report(name: str, ours: float, theirs: float) -> None:
    print(f"{name:<38} ours {ours:10.2f} ms   gensim {theirs:10.2f} ms   x{theirs / ours:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=50000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--questions", type=int, default=2000)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    eval_words: list[str] = []
    questions = gzip.decompress(QUESTIONS.read_bytes()).decode("utf-8").splitlines()
    for line in questions:
        if not line.startswith(":"):
            eval_words += [w.lower() for w in line.split()]
    eval_words = list(dict.fromkeys(eval_words))
    words = eval_words + [f"w{i}" for i in range(args.words - len(eval_words))]
    vectors = rng.standard_normal((len(words), args.dim)).astype(np.float32)
    start = time.perf_counter()
    wv = WordVectors(words, vectors)
    wv.get_normed_vectors()
    print(
        f"{len(words)} words x {args.dim}: WordVectors built in {1000 * (time.perf_counter() - start):.1f} ms"
    )
    kv = KeyedVectors(args.dim)
    kv.add_vectors(words, vectors)
    kv.fill_norms()

    probe = rng.integers(0, len(words), 2000)
    it = iter(probe.tolist() * 50)
    report(
        "nearest(): one query, k=10",
        median_ms(lambda: wv.nearest(next(it), 10), 300),
        median_ms(lambda: kv.most_similar(words[next(it)], topn=10), 300),
    )
    batch = probe[:1000]
    report(
        "nearest(): 1,000 queries, k=10",
        median_ms(lambda: wv.nearest(batch, 10), 3),
        median_ms(lambda: [kv.most_similar(words[i], topn=10) for i in batch], 1),
    )
    report(
        "most_similar(king + woman - man)",
        median_ms(lambda: wv.most_similar(["king", "woman"], ["man"]), 100),
        median_ms(lambda: kv.most_similar(["king", "woman"], ["man"]), 100),
    )

    lines, kept = [], 0
    step = max(1, (len(questions) - 14) // args.questions)
    for i, line in enumerate(questions):
        if line.startswith(":"):
            lines.append(line)
        elif i % step == 0 and kept < args.questions:
            lines.append(line)
            kept += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "questions.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ours = median_ms(lambda: wv.evaluate_word_analogies(path), 1)
        theirs = median_ms(lambda: kv.evaluate_word_analogies(str(path)), 1)
        report(f"evaluate_word_analogies ({kept} questions)", ours, theirs)
        full = median_ms(lambda: wv.evaluate_word_analogies("google-analogies"), 1)
        print(f"evaluate_word_analogies, all 19,544 questions: ours {full / 1000:.1f} s")


if __name__ == "__main__":
    main()

"""Check the classroom defaults: time, WordSim353, and whether months and numbers group.

    python benchmarks/classroom_defaults.py [--seeds 0 1 2] [-- any Word2Vec keyword as k=v]

Prints, for each setting tried: training seconds, WordSim353 and SimLex-999 Spearman, and the
mean share of month names among the 10 nearest words of each month name (and the same for the
number words zero..ten). The issue asks for <= 60 s wall, WordSim353 >= 0.40, both shares >= 0.5.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from validate_defaults import parse_settings  # benchmarks/ is the script's folder: on sys.path

import w2v_widgets as w2v
from w2v_widgets.vectors.evaluation import WORD_GROUPS, group_share


def evaluate(wv: w2v.WordVectors) -> dict:
    ws = wv.evaluate_word_pairs("wordsim353")[1][0]  # sets bundled with the package
    sl = wv.evaluate_word_pairs("simlex999")[1][0]
    return {
        "wordsim353": ws,
        "simlex999": sl,
        "months": group_share(wv, WORD_GROUPS["months"]),
        "numbers": group_share(wv, WORD_GROUPS["numbers"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("settings", nargs="*", help="Word2Vec keywords as key=value")
    args = parser.parse_intermixed_args()
    params = parse_settings(args.settings)
    corpus = w2v.datasets.load_sample()
    rows = []
    for seed in args.seeds:
        start = time.perf_counter()
        model = w2v.Word2Vec(seed=seed, **params).fit(corpus)
        seconds = time.perf_counter() - start
        rows.append({"seed": seed, "seconds": seconds, **evaluate(model.wv)})
        print(
            " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in rows[-1].items()),
            flush=True,
        )
    means = {k: np.mean([r[k] for r in rows]) for k in rows[0] if k != "seed"}
    print("mean", params, " ".join(f"{k}={v:.3f}" for k, v in means.items()))


if __name__ == "__main__":
    main()

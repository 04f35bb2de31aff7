"""Does sharing noise words across a window cost quality? The kernel against word2vec's rule.

    python benchmarks/noise_sharing.py [--corpus sample|PATH] [--seeds 0 1 2] [--share 0 1 2] [--gensim]

Each run trains with ``compare_gensim.py``'s settings (gensim's subsampling rule, alpha 0.025, 5
epochs...) in a fresh process, with the JIT kernel rebuilt from ``kernels/jit.py``'s source so
that fresh noise words are drawn every ``share`` contexts of a window (1: every pair, as word2vec
and gensim; 0: once per window, the shipped kernel, run unchanged). Prints WordSim353, SimLex-999,
analogy accuracy and words per CPU-second per run, then the means. The variant is made by editing
the source text, so this script stops with a clear message if the kernel changed shape.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import REPO as ROOT  # benchmarks/ is the script's folder: on sys.path (sets it up)

JIT = ROOT / "w2v_widgets" / "training" / "kernels" / "jit.py"

# where the shipped kernel loads its block, and what the variant puts in its place
_ANCHOR = """            slot = offsets[p - lo]
            for c in range(nc):  # each context in turn, as word2vec, against the current block
                row = ctx[c]
"""
_FRESH = """            slot = offsets[p - lo]
            for c in range(nc):  # each context in turn, as word2vec, against the current block
                row = ctx[c]
                if c > 0 and c % SHARE == 0:  # write the noise rows back, draw fresh ones
                    for t in range(1, m):
                        rr = tgt[t]
                        for j in range(d):
                            w_out[rr, j] += u[t, j] - u0[t, j]
                    m = 1
                    for _ in range(negative):
                        state = state * _U(6364136223846793005) + _U(1442695040888963407)
                        word = table[((state >> _U(32)) * tsize) >> _U(32)]
                        if word != centre:
                            tgt[m] = word
                            m += 1
                    for t in range(1, m):
                        rr = tgt[t]
                        for j in range(d):
                            u[t, j] = w_out[rr, j]
                            u0[t, j] = u[t, j]
"""


def variant_source(share: int) -> str:
    source = JIT.read_text()
    if _ANCHOR not in source:
        sys.exit(f"{JIT} changed shape: update noise_sharing.py's _ANCHOR to its context loop")
    source = source.replace(_ANCHOR, _FRESH).replace("cache=True", "cache=False")
    return source.replace("BLOCK = 32", f"BLOCK = 32\nSHARE = {share}", 1)


def worker(corpus: str, seed: int, share: int, system: str) -> dict:
    import compare_gensim

    if system == "ours" and share > 0:
        import importlib.util

        from w2v_widgets.training import kernels

        path = Path(tempfile.mkdtemp(prefix="w2v-noise-share-")) / "jit_variant.py"
        path.write_text(variant_source(share))
        spec = importlib.util.spec_from_file_location("jit_variant", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        kernels.start()
        kernels._warm_up(module)  # compile the variant before the clock
        kernels._jit = module
    args = argparse.Namespace(
        system=system, seed=seed, corpus=corpus, synthetic=None, dim=100, epochs=5, device="cpu"
    )
    return {**compare_gensim.worker(args), "share": share}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="sample")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--share", type=int, nargs="+", default=[0, 1], help="0: the shipped kernel")
    parser.add_argument("--gensim", action="store_true", help="also gensim (sg=1, 2 workers)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        seed, share, system = args.worker
        print(json.dumps(worker(args.corpus, int(seed), int(share), system)))
        return
    systems = [("ours", s) for s in args.share] + ([("gensim", 0)] if args.gensim else [])
    rows = []
    for seed in args.seeds:
        for system, share in systems:
            cmd = [sys.executable, __file__, "--corpus", args.corpus, "--worker"]
            cmd += [str(seed), str(share), system]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            rows.append(r)
            print(
                f"{system} share {share} seed {seed}: WordSim353 {r['wordsim353']:.3f} SimLex-999 "
                f"{r['simlex999']:.3f} analogy {r['analogy']:.4f} "
                f"{r['words_per_cpu_sec'] / 1e3:.0f}k words/cpu-s load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    for system, share in systems:
        rs = [r for r in rows if r["system"] == system and r["share"] == share]
        means = {k: np.mean([r[k] for r in rs]) for k in ("wordsim353", "simlex999", "analogy")}
        scores = " ".join(f"{k} {v:.4f}" for k, v in means.items())
        print(f"mean {system} share {share} ({len(rs)} seeds): {scores}")


if __name__ == "__main__":
    main()

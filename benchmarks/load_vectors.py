"""Loading a word2vec file of GoogleNews's shape: ours against gensim, each in a fresh process.

Makes a file of ``--words`` x ``--dims`` random float32 vectors with word-like strings (binary
by default, ``--text`` for the text format: numbers written as ``%.6f``), then loads it
``--rounds`` times with ``WordVectors.load_word2vec_format`` and gensim's
``KeyedVectors.load_word2vec_format`` alternately, each in a new Python process, and prints the
seconds and the peak resident memory (``VmHWM``, reset at exec, unlike ``ru_maxrss``,
which a child inherits from this process) of each, the float32 array's size and the
ratios gensim / ours (seconds) and peak / array (memory). The targets (issue 30): binary 3x
faster than gensim and a peak within 1.5x of the array; text 2x faster.

    python benchmarks/load_vectors.py [--words 3000000] [--dims 300] [--text] [--rounds 2]
        [--dir SCRATCH] [--keep]

GoogleNews's size needs ~4 GB of free disk and up to ~5 GB of memory per process (gensim's
peak); the file is deleted at the end unless ``--keep``. The machine's load is printed with
each run: timings on a busy machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import REPO, machine  # benchmarks/ is the script's folder: on sys.path (sets up the checkout's)

SYLLABLES = ["ka", "ro", "mi", "tel", "an", "su", "ber", "lo", "ne", "di", "qu", "ist", "or", "ve"]

LOADERS = {
    "ours": (
        "from w2v_widgets.vectors import WordVectors\n"
        "kv = WordVectors.load_word2vec_format(PATH, binary=BINARY)\n"
    ),
    "gensim": (
        "from gensim.models import KeyedVectors\n"
        "kv = KeyedVectors.load_word2vec_format(PATH, binary=BINARY)\n"
    ),
}

CHILD = """
import json, resource, sys, time
PATH, BINARY = sys.argv[1], sys.argv[2] == "1"
t0, c0 = time.perf_counter(), time.process_time()
{load}
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
io = dict(line.split(": ") for line in open("/proc/self/io")) if sys.platform == "linux" else {{}}
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
peak_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
                  "disk_mb": int(io.get("read_bytes", 0)) / 2**20,
                  "words": len(kv.index_to_key), "first": kv.index_to_key[0],
                  "checksum": float(kv.vectors[:: max(1, len(kv.index_to_key) // 1000)].sum())}}))
"""


def word_like(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct word-like strings (syllables, some joined by ``_`` as GoogleNews's phrases)."""
    rng = np.random.default_rng(seed)
    parts = rng.integers(0, len(SYLLABLES), size=(n, 3))
    lengths = rng.integers(1, 4, size=n)
    phrase = rng.random(n) < 0.3
    words = []
    for i in range(n):
        stem = "".join(SYLLABLES[p] for p in parts[i, : lengths[i]])
        words.append(f"{stem.capitalize()}_{i:x}" if phrase[i] else f"{stem}{i:x}")
    return words


def make_file(path: Path, n: int, dims: int, binary: bool, seed: int = 0) -> None:
    """Write ``n`` random vectors in word2vec format, in blocks (the file is never whole in memory)."""
    rng = np.random.default_rng(seed)
    words = word_like(n, seed)
    with open(path, "wb") as out:
        out.write(f"{n} {dims}\n".encode())
        for start in range(0, n, 50_000):
            block = (
                rng.standard_normal((min(n, start + 50_000) - start, dims), dtype=np.float32) * 0.1
            ).astype("<f4")
            names = words[start : start + len(block)]
            if binary:
                out.write(
                    b"".join(
                        w.encode() + b" " + row.tobytes() + b"\n" for w, row in zip(names, block, strict=True)
                    )
                )
            else:
                lines = np.char.mod("%.6f", block)
                out.write(
                    "".join(
                        w + " " + " ".join(row) + "\n" for w, row in zip(names, lines, strict=True)
                    ).encode()
                )


def load_once(name: str, path: Path, binary: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = CHILD.format(load=LOADERS[name])
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), "1" if binary else "0"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=3_000_000)
    parser.add_argument("--dims", type=int, default=300)
    parser.add_argument("--text", action="store_true", help="the text format instead of binary")
    parser.add_argument("--rounds", type=int, default=2, help="loads of each, alternating")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the file")
    parser.add_argument("--keep", action="store_true", help="keep the file (reused when there)")
    args = parser.parse_args()
    binary = not args.text
    folder = args.dir or Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"vectors-{args.words}x{args.dims}.{'bin' if binary else 'txt'}"
    if not path.exists():
        t0 = time.perf_counter()
        make_file(path, args.words, args.dims, binary)
        print(f"wrote {path.name}: {path.stat().st_size / 2**20:,.0f} MB in {time.perf_counter() - t0:.0f} s")
    array_mb = args.words * args.dims * 4 / 2**20
    print(machine())
    print(
        f"{args.words:,} words x {args.dims} ({'binary' if binary else 'text'}); float32 array "
        f"{array_mb:,.0f} MB"
    )
    runs: dict[str, list[dict]] = {"ours": [], "gensim": []}
    try:
        for round_no in range(args.rounds):
            for name in ("ours", "gensim") if round_no % 2 == 0 else ("gensim", "ours"):
                result = load_once(name, path, binary)
                runs[name].append(result)
                print(
                    f"  {name:6s} {result['seconds']:7.1f} s (CPU {result['cpu']:.1f} s, "
                    f"{result['disk_mb']:,.0f} MB read from disk)  peak {result['peak_mb']:8,.0f} MB "
                    f"({result['peak_mb'] / array_mb:.2f}x the array)  load {result['load']:.1f}",
                    flush=True,
                )
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
    ours, theirs = runs["ours"], runs["gensim"]
    assert ours[0]["words"] == theirs[0]["words"] and ours[0]["first"] == theirs[0]["first"]
    assert abs(ours[0]["checksum"] - theirs[0]["checksum"]) <= 1e-3 * max(1.0, abs(theirs[0]["checksum"]))
    ours_cpu = statistics.median(r["cpu"] for r in ours)
    theirs_cpu = statistics.median(r["cpu"] for r in theirs)
    ours_s = statistics.median(r["seconds"] for r in ours)
    theirs_s = statistics.median(r["seconds"] for r in theirs)
    ours_mb = max(r["peak_mb"] for r in ours)
    theirs_mb = max(r["peak_mb"] for r in theirs)
    target = 3 if binary else 2
    print(
        f"median seconds: ours {ours_s:.1f}, gensim {theirs_s:.1f}: {theirs_s / ours_s:.2f}x faster "
        f"(target {target}x); CPU seconds: ours {ours_cpu:.1f}, gensim {theirs_cpu:.1f}: "
        f"{theirs_cpu / ours_cpu:.2f}x\npeak MB: ours {ours_mb:,.0f} ({ours_mb / array_mb:.2f}x the array, "
        f"target 1.5x), "
        f"gensim {theirs_mb:,.0f} ({theirs_mb / array_mb:.2f}x)"
    )


if __name__ == "__main__":
    main()

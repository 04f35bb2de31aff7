"""Loading a word2vec file of GoogleNews's shape: ours against gensim, each in a fresh process.

Makes a file of ``--words`` x ``--dims`` random float32 vectors with word-like strings in one of
four formats (``--format``): ``binary`` (GoogleNews's ``.bin``), ``text`` (word2vec text, a
``"<words> <dims>"`` line first, values with 5 decimals), ``glove`` (the same without that line,
read with ``no_header=True``) or ``vec`` (fastText's ``.vec``: 4 decimals, a space before each
newline). Then it loads the file ``--rounds`` times with ``WordVectors.load_word2vec_format`` and
gensim's ``KeyedVectors.load_word2vec_format`` alternately, each in a new Python process (the
seconds include each library's import), and prints for each the wall and CPU seconds, the peak
resident memory (``VmHWM``, reset at exec, unlike ``ru_maxrss``, which a child inherits from this
process), the megabytes read from disk, whether torch or numba were imported, and the load
average; then the medians, the ratios gensim / ours (wall and CPU) and peak / array. The targets
(issue 30): binary 3x faster than gensim with a peak within 1.5x of the array; text 2x faster.
``--plain`` adds a third loader to the rounds: ours without the thread that maps the result array's
pages ahead of the reader (``w2v_widgets/vectors/binary/prefault.py``), to see what that thread gives.

    python benchmarks/load_vectors.py [--words 3000000] [--dims 300] [--format binary]
        [--rounds 2] [--dir SCRATCH] [--keep] [--plain]

GoogleNews's size needs ~4 GB of free disk and up to ~5 GB of memory per process (gensim's
peak); the file is deleted at the end unless ``--keep`` (a kept file is reused by the next run
with the same ``--dir``, words, dims and format). Timings on a busy machine are noisy: compare
the CPU seconds there.
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
from _common import (
    REPO,
    load,
    machine,
)  # benchmarks/ is the script's folder: on sys.path (sets up the checkout's)

SYLLABLES = ["ka", "ro", "mi", "tel", "an", "su", "ber", "lo", "ne", "di", "qu", "ist", "or", "ve"]

FORMATS = {  # name: (file suffix, decimals of text values (None: binary), header line, end of line)
    "binary": (".bin", None, True, b"\n"),
    "text": (".txt", 5, True, b"\n"),
    "glove": (".glove.txt", 5, False, b"\n"),
    "vec": (".vec", 4, True, b" \n"),
}

LOADERS = {
    "ours": (
        "from w2v_widgets.vectors import WordVectors\n"
        "kv = WordVectors.load_word2vec_format(PATH, binary=BINARY, no_header=NO_HEADER)\n"
    ),
    "plain": (  # ours without the thread that maps the array's pages ahead (--plain)
        "from w2v_widgets.vectors import WordVectors\nfrom w2v_widgets.vectors.binary import prefault\n"
        "prefault.MIN_BYTES = 1 << 62\n"
        "kv = WordVectors.load_word2vec_format(PATH, binary=BINARY, no_header=NO_HEADER)\n"
    ),
    "gensim": (
        "from gensim.models import KeyedVectors\n"
        "kv = KeyedVectors.load_word2vec_format(PATH, binary=BINARY, no_header=NO_HEADER)\n"
    ),
}

CHILD = """
import json, resource, sys, time
PATH, BINARY, NO_HEADER = sys.argv[1], sys.argv[2] == "binary", sys.argv[2] == "glove"
t0, c0 = time.perf_counter(), time.process_time()
{load}
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
io = dict(line.split(": ") for line in open("/proc/self/io")) if sys.platform == "linux" else {{}}
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
peak_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
                  "disk_mb": int(io.get("read_bytes", 0)) / 2**20,
                  "imported": [m for m in ("torch", "numba") if m in sys.modules],
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


def make_file(path: Path, n: int, dims: int, kind: str, seed: int = 0) -> None:
    """Write ``n`` random vectors in format ``kind`` (see FORMATS), in blocks (the file is never
    whole in memory), with the package's own row writers (gensim's bytes)."""
    from w2v_widgets.vectors.rows.writer import binary_rows, prepare, text_rows

    _, decimals, header, line_end = FORMATS[kind]
    rng = np.random.default_rng(seed)
    words = word_like(n, seed)
    prepare(n)  # numba's row writer for a big file
    with open(path, "wb") as out:
        if header:
            out.write(f"{n} {dims}\n".encode())
        for start in range(0, n, 50_000):
            block = rng.standard_normal((min(n, start + 50_000) - start, dims), dtype=np.float32) * 0.1
            names = words[start : start + len(block)]
            if decimals is None:
                out.write(binary_rows(names, block))
            else:
                rows = text_rows(names, np.round(block, decimals))
                out.write(rows if line_end == b"\n" else rows.replace(b"\n", line_end))


def load_once(name: str, path: Path, kind: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = CHILD.format(load=LOADERS[name])
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), kind],
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
    parser.add_argument("--format", choices=list(FORMATS), default="binary", help="the file's format")
    parser.add_argument("--rounds", type=int, default=2, help="loads of each, alternating")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the file")
    parser.add_argument("--keep", action="store_true", help="keep the file (reused when there)")
    parser.add_argument(
        "--plain", action="store_true", help="also load ours without the page-mapping thread ('plain')"
    )
    args = parser.parse_args()
    binary = args.format == "binary"
    folder = args.dir or Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"vectors-{args.words}x{args.dims}{FORMATS[args.format][0]}"
    if not path.exists():
        t0 = time.perf_counter()
        make_file(path, args.words, args.dims, args.format)
        print(f"wrote {path.name}: {path.stat().st_size / 2**20:,.0f} MB in {time.perf_counter() - t0:.0f} s")
    array_mb = args.words * args.dims * 4 / 2**20
    print(machine())
    print(
        f"{args.words:,} words x {args.dims}, {args.format} ({path.stat().st_size / 2**20:,.0f} MB); "
        f"float32 array {array_mb:,.0f} MB"
    )
    names = ("ours", "plain", "gensim") if args.plain else ("ours", "gensim")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    try:
        for round_no in range(args.rounds):
            for name in names if round_no % 2 == 0 else names[::-1]:
                result = load_once(name, path, args.format)
                runs[name].append(result)
                print(
                    f"  {name:6s} {result['seconds']:7.1f} s (CPU {result['cpu']:.1f} s, "
                    f"{result['disk_mb']:,.0f} MB read from disk)  peak {result['peak_mb']:8,.0f} MB "
                    f"({result['peak_mb'] / array_mb:.2f}x the array)  imported "
                    f"{'+'.join(result['imported']) or 'neither torch nor numba'}  load {result['load']:.1f}",
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
    print(load())
    print(
        f"median seconds: ours {ours_s:.1f}, gensim {theirs_s:.1f}: {theirs_s / ours_s:.2f}x faster "
        f"(target {target}x); CPU seconds: ours {ours_cpu:.1f}, gensim {theirs_cpu:.1f}: "
        f"{theirs_cpu / ours_cpu:.2f}x\npeak MB: ours {ours_mb:,.0f} ({ours_mb / array_mb:.2f}x the array, "
        f"target 1.5x), "
        f"gensim {theirs_mb:,.0f} ({theirs_mb / array_mb:.2f}x)"
    )
    if args.plain:
        plain_s = statistics.median(r["seconds"] for r in runs["plain"])
        plain_cpu = statistics.median(r["cpu"] for r in runs["plain"])
        print(
            f"plain (no page-mapping thread): median {plain_s:.1f} s, CPU {plain_cpu:.1f} s: gensim / "
            f"plain {theirs_s / plain_s:.2f}x (CPU {theirs_cpu / plain_cpu:.2f}x); "
            f"plain / ours {plain_s / ours_s:.2f}x"
        )


if __name__ == "__main__":
    main()

"""Data-parallel training (torch.distributed, gloo on localhost): quality and overhead.

    python benchmarks/distributed.py [--corpus sample gcide] [--seeds 0] [--schedules]

For each corpus, at the same settings and epochs, in fresh processes launched as torchrun would:
1 process x 1 thread, 2 processes x 1 thread each, 1 process x 2 threads. Prints words/s (in-
vocabulary words trained / the slowest rank's training seconds, reading and vocabulary excluded),
WordSim353 and SimLex-999 Spearman, the share of month names among each month's 10 nearest words
(and of number words), and for 2 processes the bytes all-reduced per epoch per rank and the
synchronisation's share of the training time (waits for the other rank included).
``--schedules`` also compares sync schedules on the first corpus (2 processes): only each
epoch's end, the default (hot rows every 25k words, all rows twice an epoch), less and more often,
all rows every time, and averaging instead of summing the changes.

A plain file is read by byte ranges; the .gz corpora are decompressed from their start by each
rank (gzip cannot seek). A corpus is ``sample``, a file path, or a name found in ``$W2V_CORPORA``
(e.g. ``gcide`` for ``$W2V_CORPORA/gcide.txt.gz``; not needed by the package).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from _common import corpus_file, machine

SCHEDULES = {
    "epoch's end only": {"hot_rows": 0, "full_per_epoch": 1},
    "every 200k words": {"sync_words": 200_000},
    "default": {},
    "every 5k words": {"sync_words": 5_000},
    "all rows every sync": {"full_per_epoch": 1_000_000},
    "default, averaged": {"mode": "average"},
}


def corpus_path(name: str) -> str:
    return str(corpus_file(name))


def worker(args: argparse.Namespace) -> None:
    """One rank: train, and (rank 0) write the figures as JSON."""
    from w2v_widgets import Word2Vec
    from w2v_widgets.training.distributed.group import init_from_env, world
    from w2v_widgets.training.distributed.run import run_report
    from w2v_widgets.training.distributed.sync import SyncSchedule
    from w2v_widgets.vectors.evaluation import WORD_GROUPS, group_share

    init_from_env(600)
    rank, size = world()
    model = Word2Vec(seed=args.seed, epochs=args.epochs)
    model.fit(args.file, sync=SyncSchedule(**json.loads(args.schedule)))
    row: dict = {"processes": size, "threads": int(os.environ["W2V_WIDGETS_THREADS"])}
    if size > 1:
        report = run_report(model.distributed, 0.0)
        row["words_per_sec"] = report["words_per_second"]
        row["sync_share"] = report["sync_share"]
        per_epoch = [e["bytes"] for e in report["ranks"][0]["sync"]["per_epoch"]]
        row["bytes_per_epoch"] = sum(per_epoch) / len(per_epoch)
        stats = report["ranks"][0]["sync"]
        row["syncs"] = stats["hot_syncs"] + stats["full_syncs"]
        row["full_syncs"] = stats["full_syncs"]
        row["changed_rows"] = sum(stats["changed_rows"]) / max(1, len(stats["changed_rows"]))
    else:
        row["words_per_sec"] = model.vocab.total * model._settings.epochs / model._position.elapsed
    if rank != 0:
        return
    wv = model.wv
    row.update(
        vocab=len(wv),
        epochs=model._settings.epochs,
        wordsim353=float(wv.evaluate_word_pairs("wordsim353")[1][0]),
        simlex999=float(wv.evaluate_word_pairs("simlex999")[1][0]),
        months=group_share(wv, WORD_GROUPS["months"]),
        numbers=group_share(wv, WORD_GROUPS["numbers"]),
    )
    Path(args.result).write_text(json.dumps(row))


def run(file: str, processes: int, threads: int, seed: int, epochs: int | None, schedule: dict) -> dict:
    from tests.support.distributed import launch

    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        argv = [__file__, "--worker", "--file", file, "--result", str(result), "--seed", str(seed)]
        argv += ["--schedule", json.dumps(schedule)] + (["--epochs", str(epochs)] if epochs else [])
        ranks = launch(processes, argv, timeout=1800, threads=threads)
        for r in ranks:
            if r.returncode != 0:
                raise SystemExit(f"rank {r.rank} failed ({r.returncode}):\n{r.stderr[-3000:]}")
        return json.loads(result.read_text())


def show(label: str, row: dict) -> None:
    sync = ""
    if row["processes"] > 1:
        sync = (
            f" | {row['bytes_per_epoch'] / 1e6:.1f} MB/epoch ({row['syncs']} syncs, {row['full_syncs']} full;"
            f" {row['changed_rows']:.0%} of rows changed between full syncs)"
            f" | sync {row['sync_share']:.1%}"
        )
    print(
        f"| {label}, {row['vocab']:,} words | {row['processes']}x{row['threads']} | "
        f"{row['words_per_sec'] / 1e3:.0f}k | "
        f"{row['wordsim353']:.3f} | {row['simlex999']:.3f} | {row['months']:.2f} | "
        f"{row['numbers']:.2f}{sync} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", nargs="+", default=["sample", "gcide"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--epochs", type=int, default=None, help="default: Word2Vec's for the corpus")
    parser.add_argument("--schedules", action="store_true", help="compare sync schedules (2 processes)")
    parser.add_argument(
        "--configs", nargs="+", default=["1x1", "2x1", "1x2"], help="processes x threads to run"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--schedule", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    print(f"machine: {machine()}")
    header = "corpus (seed) | processes x threads | words/s | WordSim353 | SimLex-999 | months | numbers"
    print(f"| {header} | bytes all-reduced | sync share |")
    for name in args.corpus:
        file = corpus_path(name)
        for seed in args.seeds:
            for processes, threads in (tuple(map(int, c.split("x"))) for c in args.configs):
                show(f"{name} ({seed})", run(file, processes, threads, seed, args.epochs, {}))
    if args.schedules:
        file = corpus_path(args.corpus[0])
        for label, schedule in SCHEDULES.items():
            show(f"{args.corpus[0]}: {label}", run(file, 2, 1, args.seeds[0], args.epochs, schedule))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

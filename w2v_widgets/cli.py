"""The ``w2v-widgets`` command.

``train``: train on a file or a dataset and write vectors and a checkpoint. ``demo``: train on the
embedded corpus, print neighbours and the scores on the bundled evaluation sets, and write
vectors, a checkpoint and a standalone explorer page. ``doctor``: what a shared server (a
JupyterHub) gives the widgets, and the fix of each problem (:mod:`w2v_widgets.doctor`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

from .atomic import write_bytes_atomic
from .callbacks.probes import ProbeNeighbours
from .callbacks.progress_bar import ProgressBar
from .data import datasets
from .data.corpus import Corpus
from .data.datasets.evaluation import EVALUATION_SETS, names
from .data.tokenizers import names as tokenizer_names
from .errors import W2VError
from .training.config import CHOICES, setting_default, setting_kind
from .training.distributed.group import DEFAULT_TIMEOUT_S, init_from_env, is_writer, world
from .training.distributed.run import EpochCheckpoint, run_report
from .training.distributed.sync import SyncSchedule
from .training.word2vec import POSITIONAL, Word2Vec


def _add_training_options(parser: argparse.ArgumentParser) -> None:
    """One option per setting that Word2Vec takes by position, typed and defaulted by TrainingConfig."""
    g = parser.add_argument_group("training settings (defaults: Word2Vec's)")
    for name in POSITIONAL:
        kind, automatic = setting_kind(name)
        default = setting_default(name)
        help_text = "default: chosen from the corpus size" if automatic else f"default: {default}"
        flag = f"--{name.replace('_', '-')}"
        g.add_argument(flag, type=kind, default=default, choices=CHOICES.get(name), help=help_text)


def _training_kwargs(args: argparse.Namespace) -> dict:
    return {name: getattr(args, name) for name in POSITIONAL}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="w2v-widgets", description="Train and explore word2vec embeddings.")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train on a text file or a dataset")
    train.add_argument("file", nargs="?", help="a UTF-8 text file (.txt or .gz); or use --dataset")
    train.add_argument("--dataset", choices=None, help=f"a named dataset ({', '.join(datasets.names())})")
    train.add_argument("--out", required=True, help="output folder for vectors and checkpoint")
    train.add_argument(
        "--tokenizer",
        default="default",
        choices=tokenizer_names(),
        help="how FILE's lines become words: default (letters and digits), whitespace, chars (each "
        "Chinese/Japanese/Korean character a word), jieba (Chinese), kiwi (Korean), sudachi (Japanese)",
    )
    train.add_argument(
        "--eval-pairs",
        nargs="*",
        default=[],
        metavar="SET",
        help=f"word-pair similarity files (WordSim353 format) or bundled sets ({', '.join(names('pairs'))})",
    )
    train.add_argument(
        "--eval-analogies",
        nargs="*",
        default=[],
        metavar="SET",
        help="analogy files (Google questions-words format) or the bundled google-analogies",
    )
    train.add_argument(
        "--probe", nargs="*", default=None, metavar="WORD", help="words whose neighbours to print"
    )
    train.add_argument(
        "--resume",
        metavar="CHECKPOINT",
        help="continue the run saved in this checkpoint (its settings; any number of ranks)",
    )
    train.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help="under torchrun: seconds a rank waits for the others before the run ends with an error",
    )
    train.add_argument(
        "--sync-words",
        type=int,
        default=SyncSchedule.sync_words,
        help="under torchrun: words of a rank's share between syncs of the frequent words' rows",
    )
    train.add_argument(
        "--hot-rows",
        type=int,
        default=SyncSchedule.hot_rows,
        help="under torchrun: the most frequent words whose rows are synchronised often",
    )
    train.add_argument(
        "--full-per-epoch",
        type=int,
        default=SyncSchedule.full_per_epoch,
        help="under torchrun: syncs of all rows an epoch (evenly spaced, the last at its end)",
    )
    _add_training_options(train)
    demo = sub.add_parser("demo", help="train on the embedded corpus and write an explorer page")
    demo.add_argument("--out", default="w2v-demo", help="output folder (default: w2v-demo)")
    demo.add_argument("--n-words", type=int, default=1000, help="words drawn on the explorer's map")
    demo.add_argument("--projection", choices=["tsne", "pca"], default="tsne", help="explorer layout")
    _add_training_options(demo)
    course = sub.add_parser("course", help="write the course notebooks into a folder")
    course.add_argument("dir", help="the folder to write them into (made if missing)")
    course.add_argument("--force", action="store_true", help="overwrite notebooks of the same names")
    doctor = sub.add_parser("doctor", help="check a (shared) Jupyter server for what the widgets need")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.add_argument(
        "--server-python",
        metavar="PYTHON",
        help="the Python of the Jupyter server's environment (default: found from the processes above, "
        "else `jupyter` on PATH)",
    )
    return parser


def load_corpus(file: str | None, dataset: str | None, tokenizer: str = "default") -> Corpus:
    if file and dataset:
        raise W2VError("give either a FILE or --dataset, not both")
    if file:
        return Corpus.from_file(file, tokenizer=tokenizer, progress=sys.stderr.isatty())
    if tokenizer != "default":
        raise W2VError("--tokenizer applies to a FILE; the named datasets come tokenised")
    return datasets.load(dataset or "sample")


def _label(name_or_path: str) -> str:
    return name_or_path if name_or_path in EVALUATION_SETS else Path(name_or_path).name


def print_evaluation(model: Word2Vec, pairs: list[str], analogies: list[str]) -> dict:
    """Print and return the scores on word-pair and analogy files or bundled set names."""
    scores = {}
    for path in pairs:
        _, spearman, oov = model.wv.evaluate_word_pairs(path)
        scores[_label(path)] = spearman[0]
        print(f"{_label(path)}: Spearman {spearman[0]:.3f} ({oov:.1f}% of pairs out of vocabulary)")
    for path in analogies:
        score, _ = model.wv.evaluate_word_analogies(path)
        scores[_label(path)] = score
        print(f"{_label(path)}: analogy accuracy {score:.3f}")
    return scores


def format_evaluation(table: pd.DataFrame) -> str:
    """The table of ``WordVectors.evaluate()`` as aligned text lines."""
    lines = [f"  {'set':<18} {'metric':<9} {'score':>6}  covered"]
    for row in table.itertuples(index=False):
        score = "   n/a" if pd.isna(row.score) else f"{row.score:6.3f}"
        lines.append(f"  {row.set:<18} {row.metric:<9} {score}  {row.coverage:6.1%}")
    return "\n".join(lines)


def train_command(args: argparse.Namespace) -> int:
    if init_from_env(args.timeout):
        return distributed_train_command(args)
    corpus = load_corpus(args.file, args.dataset, args.tokenizer)
    print(corpus)
    model = Word2Vec.load(args.resume) if args.resume else Word2Vec(**_training_kwargs(args))
    probes = ProbeNeighbours(words=args.probe, k=8)
    start = time.perf_counter()
    model.fit(corpus, callbacks=[ProgressBar(), probes])
    seconds = time.perf_counter() - start
    print(
        f"trained {len(model.vocab):,} words x {model.config.vector_size} in {seconds:.1f} s "
        f"({model.epoch_losses[-1]:.4f} final epoch loss)"
    )
    print("nearest words of the probe words:")
    for row in probes.table.itertuples(index=False):
        print(f"  {row.word:>14} -> {row.neighbours}")
    print_evaluation(model, args.eval_pairs, args.eval_analogies)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(out / "vectors.txt")
    model.save(out / "model.w2v")
    print(f"wrote {out / 'vectors.txt'} (word2vec text format) and {out / 'model.w2v'} (checkpoint)")
    return 0


def write_run_files(model: Word2Vec, out: Path, seconds: float) -> dict:
    """Rank 0 writes ``vectors.txt``, ``model.w2v``, ``history.csv`` and ``distributed.json`` (the
    :func:`run_report`) into ``out``, each atomically; every rank must call it."""
    report = run_report(model.distributed, seconds)
    if is_writer():
        model.wv.save_word2vec_format(out / "vectors.txt")
        model.save(out / "model.w2v")
        write_bytes_atomic(out / "history.csv", model.history.to_csv(index=False).encode("utf-8"))
        write_bytes_atomic(out / "distributed.json", json.dumps(report, indent=1).encode("utf-8"))
    return report


def distributed_train_command(args: argparse.Namespace) -> int:
    """``train`` under torchrun: every rank trains on its share; rank 0 reports and writes."""

    rank, size = world()
    if not args.file:
        raise W2VError("under torchrun, give a corpus FILE (each rank reads its own byte range of it)")
    if args.tokenizer != "default":
        raise W2VError("under torchrun, the ranks read FILE with the default tokenizer; drop --tokenizer")
    out = Path(args.out)
    if rank == 0:
        out.mkdir(parents=True, exist_ok=True)
    else:  # every rank would print rank 0's warnings again
        warnings.simplefilter("ignore")
        logging.getLogger("w2v_widgets").setLevel(logging.ERROR)
    model = Word2Vec.load(args.resume) if args.resume else Word2Vec(**_training_kwargs(args))
    schedule = SyncSchedule(args.sync_words, args.hot_rows, args.full_per_epoch)
    callbacks = [EpochCheckpoint(out / "model.w2v")] + ([ProgressBar()] if rank == 0 else [])
    start = time.perf_counter()
    model.fit(args.file, callbacks=callbacks, sync=schedule)
    seconds = time.perf_counter() - start
    if rank == 0:
        print(
            f"trained {len(model.vocab):,} words x {model.config.vector_size} on {size} ranks in "
            f"{seconds:.1f} s ({model.epoch_losses[-1]:.4f} rank 0's final epoch loss)"
        )
        print_evaluation(model, args.eval_pairs, args.eval_analogies)
    write_run_files(model, out, seconds)
    if rank == 0:
        print(f"wrote {out / 'vectors.txt'}, {out / 'model.w2v'} and {out / 'history.csv'} (rank 0)")
    return 0


def demo_command(args: argparse.Namespace) -> int:
    from .widgets.explorer.widget import EmbeddingExplorer  # widgets sit above the engine: import late

    corpus = datasets.load_sample()
    print(f"{corpus}\n(the embedded sample: Wikipedia and five of Shakespeare's plays; no network needed)")
    model = Word2Vec(**_training_kwargs(args))
    probes = ProbeNeighbours(k=6)
    start = time.perf_counter()
    model.fit(corpus, callbacks=[ProgressBar(), probes])
    seconds = time.perf_counter() - start
    print(f"trained {len(model.vocab):,} words x {model.config.vector_size} in {seconds:.1f} s")
    print("nearest words of the probe words (numbers, months, colours, family... do they group?):")
    for row in probes.table.itertuples(index=False):
        print(f"  {row.word:>14} -> {row.neighbours}")
    print(
        "evaluation on the bundled sets (Spearman's rho with human similarity judgements; analogy "
        "accuracy; share of the set whose words the vocabulary covers):"
    )
    print(format_evaluation(model.wv.evaluate()))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(out / "vectors.txt")
    model.save(out / "model.w2v")
    print(f"drawing the explorer's map ({args.projection}, {args.n_words:,} words)...")
    explorer = EmbeddingExplorer(model, n_words=args.n_words, projection=args.projection)
    page = explorer.save_html(out / "explorer.html", title="w2v-widgets demo: embedded corpus")
    print(f"wrote {out / 'vectors.txt'}, {out / 'model.w2v'} and {page}")
    print(f"open the explorer page in a browser: {page.resolve().as_uri()}")
    # measured at the defaults (benchmarks/README.md, queen_corpus.py; notebook 4): his - he + she
    # answers her first; king - man + woman has queen 1st to 13th, first in a fifth of 239 runs
    # (seeds 0-39 twice, the kernel built for three CPUs), mostly after the plays' kings
    print(
        "  (it works offline, with no kernel: hover or search a word, try his - he + she, or "
        "king - man + woman: queen comes among the first answers)"
    )
    print("get the course notebooks and start them: w2v-widgets course w2v-course && jupyter lab w2v-course")
    return 0


def course_command(args: argparse.Namespace) -> int:
    from .course import write_course

    written = write_course(args.dir, overwrite=args.force)
    print(f"wrote {len(written)} course notebooks into {args.dir}: {', '.join(p.name for p in written)}")
    print(f"start them: jupyter lab {args.dir}")
    return 0


def doctor_command(args: argparse.Namespace) -> int:
    from .doctor import diagnose, format_report

    report = diagnose(args.server_python)
    print(json.dumps(report, indent=1) if args.json else format_report(report))
    return 1 if report["problems"] else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            return train_command(args)
        if args.command == "demo":
            return demo_command(args)
        if args.command == "course":
            return course_command(args)
        if args.command == "doctor":
            return doctor_command(args)
    except (W2VError, FileNotFoundError) as exc:
        print(f"w2v-widgets: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("w2v-widgets: interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())

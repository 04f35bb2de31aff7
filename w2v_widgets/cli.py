"""The ``w2v-widgets`` command: train on a file or a dataset and write vectors and a checkpoint."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import datasets
from .corpus import Corpus
from .errors import W2VError
from .probes import ProbeNeighbours
from .progress import ProgressBar
from .word2vec import Word2Vec


def _add_training_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("training settings (defaults suit the embedded corpus)")
    g.add_argument("--vector-size", type=int, default=100)
    g.add_argument("--window", type=int, default=5)
    g.add_argument("--negative", type=int, default=5)
    g.add_argument("--min-count", type=int, default=5)
    g.add_argument("--sample", type=float, default=1e-4)
    g.add_argument("--epochs", type=int, default=None)
    g.add_argument("--alpha", type=float, default=None, help="learning rate (default: by optimizer)")
    g.add_argument("--loss", choices=["negative", "softmax", "cbow"], default="negative")
    g.add_argument("--optimizer", choices=["sgd", "adam", "sparse_adam"], default="sgd")
    g.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    g.add_argument("--seed", type=int, default=0)


def _training_kwargs(args: argparse.Namespace) -> dict:
    return {
        k: getattr(args, k)
        for k in (
            "vector_size",
            "window",
            "negative",
            "min_count",
            "sample",
            "epochs",
            "alpha",
            "loss",
            "optimizer",
            "device",
            "seed",
        )
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="w2v-widgets", description="Train and explore word2vec embeddings.")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train on a text file or a dataset")
    train.add_argument("file", nargs="?", help="a UTF-8 text file (.txt or .gz); or use --dataset")
    train.add_argument("--dataset", choices=None, help=f"a named dataset ({', '.join(datasets.names())})")
    train.add_argument("--out", required=True, help="output folder for vectors and checkpoint")
    train.add_argument(
        "--eval-pairs",
        nargs="*",
        default=[],
        metavar="TSV",
        help="word-pair similarity files (WordSim353, SimLex-999 format)",
    )
    train.add_argument(
        "--eval-analogies",
        nargs="*",
        default=[],
        metavar="TXT",
        help="analogy files (Google questions-words format)",
    )
    train.add_argument(
        "--probe", nargs="*", default=None, metavar="WORD", help="words whose neighbours to print"
    )
    _add_training_options(train)
    return parser


def load_corpus(file: str | None, dataset: str | None) -> Corpus:
    if file and dataset:
        raise W2VError("give either a FILE or --dataset, not both")
    if file:
        return Corpus.from_file(file, progress=sys.stderr.isatty())
    return datasets.load(dataset or "sample")


def print_evaluation(model: Word2Vec, pairs: list[str], analogies: list[str]) -> dict:
    scores = {}
    for path in pairs:
        _, spearman, oov = model.wv.evaluate_word_pairs(path)
        scores[Path(path).name] = spearman[0]
        print(f"{Path(path).name}: Spearman {spearman[0]:.3f} ({oov:.1f}% of pairs out of vocabulary)")
    for path in analogies:
        score, _ = model.wv.evaluate_word_analogies(path)
        scores[Path(path).name] = score
        print(f"{Path(path).name}: analogy accuracy {score:.3f}")
    return scores


def train_command(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.file, args.dataset)
    print(corpus)
    model = Word2Vec(**_training_kwargs(args))
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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            return train_command(args)
    except (W2VError, FileNotFoundError) as exc:
        print(f"w2v-widgets: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("w2v-widgets: interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())

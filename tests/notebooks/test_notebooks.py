"""The course notebooks (notebooks/*.ipynb) run top to bottom in a real kernel.

Each runs with nbclient in the notebooks folder. Notebooks 1-4 run exactly as a student runs them
(03 and 04 train with the classroom defaults, and their neighbours and scores are checked);
notebook 5's five epochs of Adam take minutes on 2 cores, so its parameters cell is overridden
with ``EPOCHS = 1`` (papermill-style: an injected cell after the one tagged ``parameters``,
which prints that it was injected). The executed copies, with their widget state, are written to
test-artifacts/notebooks/ to look at; the browser test (tests/browser/test_notebooks_lab.py)
runs the notebooks live in JupyterLab instead.
"""

from __future__ import annotations

import itertools
import re
import time

import nbformat
import pytest

from tests.support.kernel import REPO_ROOT, CellError
from tests.support.notebooks import (
    INJECTED_NOTE,
    load_notebook,
    outputs_text,
    parameters_cell,
    run_notebook,
    with_parameters,
)
from tests.support.word_groups import NUMBERS, months_gather

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
EXECUTED = REPO_ROOT / "test-artifacts" / "notebooks"
# notebooks shortened under test (the others run with a student's settings)
SHRUNK = {"05-d2l-ptb": {"EPOCHS": 1}}
TRAINING = (
    "03-negative-sampling",
    "04-exploring-embeddings",
    "05-d2l-ptb",
    "06-inside-one-update",
    "07-what-negative-sampling-learns",
    "08-runs-differ-analogies-fragile",
    "09-what-the-map-shows",
    "10-your-own-language",
)
WIDGETS = ("01-text-to-pairs", "03-negative-sampling", "04-exploring-embeddings", *TRAINING[3:-1])

# what each notebook must print (a check that its main steps really ran)
EXPECTED = {
    "01-text-to-pairs": ["pairs per centre word", "largest gap between observed and expected share"],
    "02-full-softmax": ["ms per batch", "ratio at V = 70,000"],
    "03-negative-sampling": [
        "[0.9352 1.8462]",
        "0.9352 1.8462",
        "nearest words (end of epoch 30)",
        "gap / learning rate",
    ],
    "04-exploring-embeddings": ["evaluation sets: 7 bundled", "odd one out of one, two, three, paris: paris"],
    "05-d2l-ptb": ["USING: ", "batch_size = ", f"{INJECTED_NOTE} EPOCHS = 1"],
    "06-inside-one-update": ["stepper and engine rows identical after the step: True", "after undo:"],
    "07-what-negative-sampling-learns": ["PMI(dog, sat) = log(1 x 12 / (2 x 2)) = +1.099", "k = 0: mean σ"],
    "08-runs-differ-analogies-fragile": ["shared words; median overlap", "rank of her", "t-SNE of run b"],
    "09-what-the-map-shows": ["training finished; the map shows 500 words", "least overlap among", "3CosMul"],
    "10-your-own-language": [
        "warning: fortunes-zh (default): ",
        "fortunes-zh (jieba)      善意 | 推定",
        "in CJK script",
    ],
}


def execute(path, params: dict | None = None, timeout: int = 300) -> nbformat.NotebookNode:
    nb = load_notebook(path)
    if params:
        nb = with_parameters(nb, **params)
    return run_notebook(nb, timeout=timeout, cwd=path.parent)


def floats(pattern: str, text: str) -> list[float]:
    """Every number the first group of ``pattern`` matches in ``text``."""
    return [float(x) for x in re.findall(pattern, text)]


def check_quality(stem: str, text: str) -> None:
    """What each notebook's prose says about its outputs holds for those outputs (the claims are
    named in comments; they are qualitative where the text is, so they survive small changes of
    corpus or defaults)."""
    if stem == "01-text-to-pairs":
        share = {
            int(m[1]): (int(m[2]), float(m[3]) / 100)
            for m in re.finditer(r"\n\d\s+(\d+)\s+(\d+)\s+([\d.]+)%", text)
        }
        words5, covered5 = share[5]
        assert covered5 - words5 / share[1][0] > 0.5, share  # vocabulary shrinks far faster than coverage
        kept = float(re.search(r"tokens in the vocabulary, [\d,]+ kept \((\d+)%\)", text)[1]) / 100
        assert 0.35 < kept < 0.65, kept  # "subsampling removes about half of the text"
        assert float(re.search(r"the: .*keep probability ([\d.]+)", text)[1]) < 0.1  # function words go
        radius = [int(x) for x in re.search(r"radius drawn: \[([\d ]+)\]", text)[1].split()]
        assert max(radius) < 1.05 * min(radius), radius  # r uniform in 1..window
    if stem == "03-negative-sampling":
        epochs = text.split("nearest words (end of epoch ")
        first = floats(r"\((\d\.\d+)\)", epochs[1])
        last_epoch = epochs[-1]
        assert min(first) > 0.8 and sorted(first)[len(first) // 2] > 0.85, first  # "cosines around 0.9"
        near = {m[1]: set(re.findall(r"(\w+) \(", m[2])) for m in re.finditer(r"(\w+) -> (.*)", last_epoch)}
        assert months_gather(near["january"]), near["january"]  # "so do the months, with a number or two"
        assert len(near["one"] & NUMBERS) >= 4, near["one"]
        assert "spain" in near["france"], near["france"]
        # the logged loss falls, then creeps up; the fixed sample's loss falls to the end and meets it
        low_epoch, low, logged_last = (
            float(x)
            for x in re.search(
                r"logged: lowest after epoch (\d+) \(([\d.]+)\), ([\d.]+) after", text
            ).groups()
        )
        fixed_first, fixed_last, fell, steps = (
            float(x)
            for x in re.search(
                r"same sample: ([\d.]+) after epoch 1, ([\d.]+) after the last; "
                r"lower than the epoch before in (\d+) of (\d+)",
                text,
            ).groups()
        )
        assert 3 <= low_epoch <= steps - 3 and logged_last > low + 0.02, text  # "falls ... then creeps up"
        assert fell >= steps - 3 and fixed_last < fixed_first - 0.2, text  # "falls in (almost) every epoch"
        assert abs(fixed_last - logged_last) < 0.05, text  # "at the end the two figures meet"
        lo, hi = (float(x) for x in re.search(r"gap / learning rate: (\d+) to (\d+)", text).groups())
        assert lo > 0 and 1.5 * lo < hi < 3 * lo, text  # "shrinks with the rate ... ratio about twice"
    if stem == "04-exploring-embeddings":
        january = re.findall(r"\('(\w+)', 0\.\d+\)", text)[:5]  # explorer.neighbours("january")
        assert months_gather(january), january
        row = re.search(r"wordsim353\s+pairs\s+spearman\s+(\d\.\d+)\s+(\d\.\d+)", text)  # wv.evaluate()
        spearman, coverage = float(row[1]), float(row[2])
        assert 0.4 <= spearman <= 0.6, text  # "about 0.5 here ... moves by a few hundredths"
        assert coverage < 0.5, text  # "well under half of WordSim353"
        feb, music = floats(r"similarity\(january, \w+\)\s+= (-?[\d.]+)", text)
        assert feb > music + 0.2, (feb, music)
        answers = {q: re.findall(r"(\w+) \(", a) for q, a in re.findall(r"(\w+ - \w+ \+ \w+) -> (.*)", text)}
        # 239 runs (benchmarks/queen_corpus.py, seeds 0-39 twice, three CPU kinds): "her first in
        # all of them, french first in all but three (spanish in those)", queen "1st to 13th"
        assert answers["his - he + she"][0] == "her", answers
        assert "french" in answers["english - england + france"][:3], answers
        place = int(re.search(r"queen's place among the answers to king - man \+ woman: (\d+)", text)[1])
        assert place <= 20, (place, answers)  # "queen comes among the first answers"
    if stem == "06-inside-one-update":
        steps = floats(
            r"([\d.]+)", re.search(r"loss after each of 5 steps on the same pair: \[(.*)\]", text)[1]
        )
        assert all(b < a for a, b in itertools.pairwise(steps)), steps  # "the loss falls"
        assert "costs (k + 1) ln 2 = 4.1589" in text
    if stem == "07-what-negative-sampling-learns":
        corr = floats(r"(-?[\d.]+)", re.search(r"after each epoch: \[(.*?)\]", text)[1])
        assert corr[-1] > 0.8 and corr[-1] == max(corr) and corr[-1] - corr[0] > 0.3, corr  # "climbs"
        assert all(b > a - 0.03 for a, b in itertools.pairwise(corr)), corr  # "at most small dips"
        k0, k5 = floats(r"over ALL word pairs ([\d.]+)", text)
        assert k0 > 0.9 > 0.5 > k5, text  # k = 0 says yes to every pair
        c0, c5 = floats(r"mean cosine between words ([+-][\d.]+)", text)
        assert c0 > 0.8 and c5 < c0 - 0.3, text  # "the vectors crowd into one direction"
        fits = floats(r"\n\d\s+[01]\.\d+\s+(0\.\d+)", text)
        assert len(fits) == 3 and max(fits) - min(fits) < 0.05, fits  # "about equally well"
    if stem == "08-runs-differ-analogies-fragile":
        raw = float(re.search(r"france \(run b\), raw: (-?[\d.]+)", text)[1])
        lists = re.findall(r"  run [ab]: \[(.*)\]", text)
        a, b = (re.findall(r"'(\w+)'", x) for x in lists[:2])
        # "look unrelated ... spain comes first in both runs" (in all 12 runs tried: seeds 0-5, and
        # seeds 0-1 with the kernels built for two other CPUs or on one thread; the other 5 recur
        # less reliably: 2 to 4 of the 6 shared between two seeds, so counting them failed on some)
        assert abs(raw) < 0.3 and a[0] == b[0] == "spain", (raw, a, b)
        bands = [
            (m[1], float(m[2]), float(m[3]))
            for m in re.finditer(r"([\d,]+-[\d,]+)\s+([\d.]+)\s+([\d.]+)\n", text)
        ]
        overlap = [o for _, o, _ in bands]
        assert overlap[0] == max(overlap), bands  # the most frequent keep the most neighbours
        assert all(0.35 < o < 0.65 for o in overlap[1:]), bands  # "about half survive"
        least = re.search(r"the least stable ([\d,]+-[\d,]+)", text)[1]
        assert least not in (bands[0][0], bands[-1][0]) and overlap[-1] > min(overlap), (
            bands
        )  # not the rarest
        displacement = [d for _, _, d in bands]
        assert displacement.index(min(displacement)) == 0, bands  # "the most frequent band least of all"
        assert displacement[overlap.index(min(overlap))] > displacement[-1], bands  # "same story"
        questions = re.findall(
            r"(\w+) : (\w+) :: (\w+) : (\w+)\n.*\n  top answers, 3CosAdd, all words: +\['(\w+)'", text
        )
        assert len(questions) == 4 and sum(top in (b, c) for _, b, c, _, top in questions) >= 3, questions
        seeds = [tuple(int(x) for x in m) for m in re.findall(r"'seed 0': (\d+), 'seed 1': (\d+)", text)]
        # "the rank changes with the seed" (how far is machine- and run-dependent: differences of 55 to
        # 2,745 places were seen for the same questions, so only the change itself is claimed)
        assert any(seed0 != seed1 for seed0, seed1 in seeds[1:3]), seeds
        # the capital cities rank "far down the list" (46th to 3,449th in those 12 runs); queen "near
        # the top with both seeds" (1st to 5th in those runs: 10 leaves room for a few more of the
        # plays' kings; a queen among the hundreds still fails)
        assert len(seeds) == 4 and min(seeds[1] + seeds[2]) >= 10 and max(seeds[3]) <= 10, seeds
        aligned = re.findall(
            r"rank of \w+: \{\('3CosAdd', True\): (\d+).*\n  offsets' cosine .*above (\d+)%", text
        )
        assert any(int(rank) > 1 and int(pct) >= 90 for rank, pct in aligned), aligned
        kept = floats(r"keeps (\d+)% of each word's 10 true neighbours", text)
        assert len(kept) == 3 and max(kept) - min(kept) <= 10, kept  # "a similar share"
    if stem == "09-what-the-map-shows":
        january = re.search(r"january -> (.*)", text)[1].split(", ")  # followed to the end of training
        assert months_gather(january), january
        least = set(re.search(r"least overlap among the 300 most frequent: (.*)", text)[1].split(", "))
        most = set(re.search(r"most overlap among the 300 most frequent: +(.*)", text)[1].split(", "))
        assert len(most & NUMBERS) >= 4 and not least & NUMBERS, (least, most)  # numbers agree most
        assert re.search(r"3CosAdd 3CosMul\s+rank\s+1\s+four\s+four", text), text  # two - one + three
        assert "three - two + four -> five" in text, text  # the question the prose suggests typing
        kept_in = re.search(r"with the question words kept in, 3CosAdd ranks: (\w+)", text)[1]
        assert kept_in in ("two", "one", "three"), kept_in  # "one of them usually wins"
        pca, tsne = (float(x) for x in re.findall(r"the map keeps (\d+)% of each word", text))
        assert tsne > 2 * pca, text  # t-SNE keeps local neighbourhoods much better than PCA
    if stem == "10-your-own-language":
        # "父 next to 母; 月 next to 日, 秋 and 夜" (15 epochs, seeds 0-4: 母 1st, the three within
        # the first 4 of the 6 listed; the 5 epochs before held at seed 1 only: 秋 5th-41st at 0, 2-5)
        assert "母" in re.search(r"父: (.*)", text)[1].split(), text
        assert {"日", "秋", "夜"} <= set(re.search(r"月: (.*)", text)[1].split()), text
        eojeol, morphemes = map(
            int, re.search(r"국민 as a token: eojeol (\d+) \| morphemes (\d+)", text).groups()
        )
        assert morphemes > 5 * eojeol, text
        kiwi = text.split("korean-law (kiwi)")[-1]
        # "morphemes put 대통령 next to 제청 and 임명" (seeds 0-5 at 15 epochs: within the first 5 of the
        # 6 listed; at 5 epochs the old pair 임명, 법관 held at seed 1 only: 45th-499th at 0, 2-5)
        assert {"제청", "임명"} <= set(re.search(r"대통령: (.*)", kiwi)[1].split()), text


def test_training_notebooks_start_with_one_parameters_cell():
    """Tests change a notebook only through its parameters cell: no environment variables."""
    for path in NOTEBOOKS:
        nb = load_notebook(path)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        code = [c for c in nb.cells if c.cell_type == "code"]
        if path.stem in TRAINING:
            assert len(tagged) == 1 and parameters_cell(nb) == nb.cells.index(code[0]), path.name
        assert "W2V_NOTEBOOK_EPOCHS" not in "".join(c.source for c in code), path.name


def test_every_notebook_is_stored_without_outputs():
    assert len(NOTEBOOKS) == 10
    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: strip outputs"
        assert "widgets" not in nb.metadata, f"{path.name}: strip widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path):
    t0 = time.perf_counter()
    try:
        nb = execute(path, SHRUNK.get(path.stem))
    except CellError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}", pytrace=False)
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.0f} s")
    text = outputs_text(nb)
    for expected in EXPECTED[path.stem]:
        assert expected in text, f"{path.name}: {expected!r} not in the outputs"
    if path.stem not in SHRUNK:
        assert INJECTED_NOTE not in text
        check_quality(path.stem, text)
    views = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    if path.stem in WIDGETS:
        assert views, f"{path.name}: no widget displayed"
        assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {})
    EXECUTED.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(EXECUTED / path.name))


def test_evaluation_cells_need_nothing_beside_the_notebooks(tmp_path):
    """The evaluation cells read the sets bundled in the package: they run in an empty folder."""
    path = REPO_ROOT / "notebooks" / "05-d2l-ptb.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "evaluate_word_pairs" in c.source]
    setup = (
        "import types\nimport numpy as np\nimport w2v_widgets as w2v\nDATA = 'none'\n"
        "words = ['tiger', 'cat', 'computer', 'keyboard', 'money', 'cash']\n"
        "vectors = np.random.default_rng(0).normal(size=(6, 5))\n"
        "model = types.SimpleNamespace(wv=w2v.WordVectors(words, vectors))"
    )
    nb.cells = [nbformat.v4.new_code_cell(setup), *cells]
    nb = run_notebook(nb, timeout=60, cwd=tmp_path)
    assert "WordSim353 Spearman" in outputs_text(nb)

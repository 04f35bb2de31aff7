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
    "03-negative-sampling": ["[0.9352 1.8462]", "0.9352 1.8462", "nearest words (end of epoch 30)"],
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
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"}  # fmt: skip
NUMBERS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}


def execute(path, params: dict | None = None, timeout: int = 300) -> nbformat.NotebookNode:
    nb = load_notebook(path)
    if params:
        nb = with_parameters(nb, **params)
    return run_notebook(nb, timeout=timeout, cwd=path.parent)


def check_quality(stem: str, text: str) -> None:
    """The classroom defaults give the neighbours and scores the notebooks' text promises."""
    if stem == "03-negative-sampling":
        last = text.split("nearest words (end of epoch 30):")[1]
        near = {m[1]: set(re.findall(r"(\w+) \(", m[2])) for m in re.finditer(r"(\w+) -> (.*)", last)}
        assert len(near["january"] & MONTHS) >= 4, near["january"]
        assert len(near["one"] & NUMBERS) >= 4, near["one"]
        assert "spain" in near["france"], near["france"]
    if stem == "04-exploring-embeddings":
        january = re.findall(r"\('(\w+)', 0\.\d+\)", text)[:5]  # explorer.neighbours("january")
        assert len(set(january) & MONTHS) >= 4, january
        spearman = float(re.search(r"wordsim353\s+pairs\s+spearman\s+(\d\.\d+)", text)[1])  # wv.evaluate()
        assert spearman > 0.35, text
    if stem == "09-what-the-map-shows":
        january = re.search(r"january -> (.*)", text)[1].split(", ")  # followed to the end of training
        assert len(set(january) & MONTHS) >= 4, january
        assert re.search(r"3CosAdd 3CosMul\s+rank\s+1\s+four\s+four", text), text  # two - one + three
        pca, tsne = (float(x) for x in re.findall(r"the map keeps (\d+)% of each word", text))
        assert tsne > pca, text  # t-SNE keeps local neighbourhoods better than PCA
    if stem == "10-your-own-language":
        assert {"母", "兄", "妻"} <= set(re.search(r"父: (.*)", text)[1].split()), text
        assert {"秋", "日"} <= set(re.search(r"月: (.*)", text)[1].split()), text
        eojeol, morphemes = map(
            int, re.search(r"국민 as a token: eojeol (\d+) \| morphemes (\d+)", text).groups()
        )
        assert morphemes > 5 * eojeol, text
        kiwi = text.split("korean-law (kiwi)")[-1]
        assert {"임명", "법관"} <= set(re.search(r"대통령: (.*)", kiwi)[1].split()), text
    if stem == "07-what-negative-sampling-learns":
        last = re.search(r"after each epoch: \[.*?([\d.]+)\]", text)[1]
        assert float(last) > 0.8, text  # u·v follows PMI - log k
        k0, k5 = (float(x) for x in re.findall(r"over ALL word pairs ([\d.]+)", text))
        assert k0 > 0.9 > 0.5 > k5, text  # k = 0 says yes to every pair


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

"""Chinese, Japanese, Korean, Arabic/Hebrew (right-to-left) and emoji words in the widgets in a
real JupyterLab: the explorer (hover and search by those words, the kernel's neighbours), the
NeighbourTable and AnalogyLab (a right-to-left word does not move the score beside it), long
words shortened without cutting a character, hostile words inert. The standalone page has its
own test (test_labels_multiscript.py). Screenshots: test-artifacts/labels-lab-explorer-rtl.png,
labels-lab-search-long.png, labels-lab-neighbour-table.png, labels-lab-analogy.png.
"""

from __future__ import annotations

import pytest

from tests.browser.test_explorer_lab import EXPLORER, hover, kernel_json, neighbour_words
from tests.support.lab import screenshot
from tests.support.vectors import GROUPS, LONG

pytestmark = pytest.mark.browser

SETUP = """
import json, random
import w2v_widgets as w2v
from tests.support.vectors import GROUPS, HOSTILE, LONG, multiscript_vectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
wv = multiscript_vectors()
ex = EmbeddingExplorer(wv, n_words=600, projection="pca", height=420)
ex
"""
TABLE = """
rng = random.Random(0)
texts = [rng.sample(GROUPS[g], 4) + [HOSTILE[-2], HOSTILE[0]][: i % 3] for i in range(400) for g in GROUPS]
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=3, alpha=0.05, seed=0)
model.fit(w2v.Corpus.from_texts(texts))
probes = ["القاهرة", "ירושלים", "北京", "서울", "🐱", HOSTILE[-2], HOSTILE[0]]
table = w2v.NeighbourTable(model, words=probes, k=4)
table
"""
ANALOGY = """
alab = w2v.AnalogyLab(wv)
alab.ask("القاهرة", "北京", "서울", "부산")
alab
"""
RTL = ("القاهرة", "دمشق", "بغداد", "ירושלים", "חיפה")

# For each cell holding a word element and a score after it: is the score drawn right of the word?
# Without isolation the bidi algorithm carries "0.953" into an Arabic word's run, left of it.
SCORE_AFTER_WORD = """([cells, word, score]) => [...document.querySelectorAll(cells)]
    .filter((td) => td.querySelector(word) && td.querySelector(score))
    .map((td) => {
        const w = td.querySelector(word).getBoundingClientRect();
        const s = td.querySelector(score).getBoundingClientRect();
        return [td.querySelector(word).textContent, s.left >= w.right - 0.5];
    })"""


def test_scripts_in_lab_explorer_table_and_analogy_lab(lab, page, console):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 1280, "height": 1000})
    lab.write_notebook("scripts", [SETUP, TABLE, ANALOGY])
    lab.open_notebook(page, "scripts")
    lab.run_all(page, timeout=180)
    root = page.locator(EXPLORER).first
    root.wait_for()
    page.wait_for_function("(sel) => document.querySelector(sel)?.dataset.firstRenderMs", arg=EXPLORER)
    root.scroll_into_view_if_needed()

    # explorer: hover a word of every script (right-to-left last); the list is the kernel's, its
    # group first
    for name in sorted(GROUPS, key=lambda g: g == "rtl"):
        members = GROUPS[name]
        word = members[2]
        hover(page, word)
        root.locator(".w2v-neighbours-title", has_text=f"Nearest to {word}").wait_for()
        want = kernel_json(lab, page, f"[w for w, _ in ex.neighbours({word!r})]")
        assert neighbour_words(root) == want, (word, want)
        assert set(want[:4]) == set(members) - {word}, (word, want)
    shown = root.locator(".w2v-neighbours .w2v-word").all_inner_texts()
    assert set(shown[:4]) == {w for w in RTL if w != "بغداد"}, shown  # Arabic and Hebrew as written
    screenshot(root, "labels-lab-explorer-rtl")

    # search by a Korean syllable; long words are cut between characters, never inside one
    root.locator(".w2v-input").fill("서")
    root.locator(".w2v-option", has_text="서울").first.click()
    page.wait_for_function(f"() => document.querySelector('{EXPLORER}').__w2v.focused() === '서울'")
    for prefix, long_word in ((LONG[0][:3], LONG[0]), (LONG[1][:3], LONG[1])):
        root.locator(".w2v-input").fill(prefix)
        option = root.locator(f".w2v-option[title='{long_word}']")
        option.wait_for()
        unit = long_word[:3]  # one user-perceived character: a ZWJ emoji, a syllable in jamo
        assert option.inner_text() == unit * 39 + "…", option.inner_text()
        if long_word == LONG[0]:
            screenshot(root, "labels-lab-search-long")
    root.locator(".w2v-input").fill("")

    # NeighbourTable: right-to-left words keep their scores on their right; hostile words inert
    table = page.locator(".w2v-neighbour-table")
    table.locator("th.probe", has_text="서울").wait_for()
    placed = page.evaluate(SCORE_AFTER_WORD, [".w2v-neighbour-table td", "bdi", ".sim"])
    assert len(placed) == 7 * 4 and all(ok for _, ok in placed), placed
    assert {w for w, _ in placed} & set(RTL), placed
    assert table.locator("th.probe", has_text="onerror").count() == 1  # as text
    # the probe box isolates right-to-left words and the override: the words after it read forwards
    box = table.locator("input").input_value()
    assert box.startswith("\u2068القاهرة\u2069, \u2068ירושלים\u2069, 北京") and box.endswith(
        ", <img src=x onerror=alert(1)>"
    ), box
    screenshot(table, "labels-lab-neighbour-table")

    # AnalogyLab: the question and the answers in four scripts, scores beside their words
    widget = page.locator(".w2v-analogy-lab")
    widget.locator(".w2v-al-question", has_text="القاهرة").wait_for()
    placed = page.evaluate(SCORE_AFTER_WORD, [".w2v-al-answers td", "bdi", "small"])
    assert len(placed) >= 10 and all(ok for _, ok in placed), placed
    first = widget.locator(".w2v-al-answers tbody tr").first.locator("bdi").first.inner_text()
    assert first in GROUPS["zh"] + GROUPS["ko"], first  # 北京 - القاهرة + 서울: a city of either
    screenshot(widget, "labels-lab-analogy")

    assert page.locator(".jp-OutputArea img[src='x']").count() == 0  # EVIL stayed text
    assert dialogs == []
    assert not [m for m in console if m.startswith("pageerror")], console

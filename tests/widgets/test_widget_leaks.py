"""Ten widgets on one model in one notebook, displayed twice and closed, round after round while
the model trains in the background: no thread, model callback or widget instance is left behind
(each is counted), and training goes on."""

from __future__ import annotations

import json

import pytest

from tests.support.kernel import REPO_ROOT, LiveKernel

pytestmark = pytest.mark.kernel

CODE = """\
import gc, json, threading, time
import ipywidgets.widgets.widget as widget_module
import w2v_widgets as w2v
from IPython.display import display
from tests.support.corpora import make_corpus, GROUPS

corpus = make_corpus(3000)
model = w2v.Word2Vec(vector_size=16, min_count=2, sample=0, epochs=10_000, batch_size=1024, log_every=1)
model.fit(corpus, background=True)
while not model.progress:
    time.sleep(0.05)

def describe(t):
    target = getattr(t, "_target", None)
    return f"{t.name} ({getattr(target, '__qualname__', type(t).__name__)})"

def snapshot(settle=10.0):
    gc.collect()
    deadline = time.monotonic() + settle  # a cancelled layout may take a moment to notice
    while time.monotonic() < deadline and threading.active_count() > len(before["threads"]):
        time.sleep(0.05)
    return {
        "threads": sorted(describe(t) for t in threading.enumerate()),
        "callbacks": len(model.callbacks.callbacks),
        "widgets": len(widget_module._instances),
    }

def ten_widgets():
    words = GROUPS["animal"][:4]
    return [
        w2v.TrainingDashboard(model, corpus, words=words, k=3),
        w2v.NeighbourTable(model, words=words, k=3),
        w2v.NeighbourTable(model, words=GROUPS["number"][:3], k=2),
        w2v.LossChart(model),
        w2v.LossChart(model, max_points=50),
        w2v.TrainingStatus(model),
        w2v.TrainingStatus(model, refresh=0.05),
        w2v.EmbeddingExplorer(model, n_words=60, projection="pca"),
        w2v.EmbeddingExplorer(model, n_words=60, projection="tsne"),
        w2v.PairsViewer(corpus, min_count=1),
    ]

def one_round():
    ws = ten_widgets()
    for w in ws:
        display(w)
    time.sleep(0.3)
    for w in ws:  # re-displayed, as when a cell is run again
        display(w)
    time.sleep(0.3)
    for w in ws:
        w.close()
    del ws
    time.sleep(0.2)

one_round()  # what starts once per process (pyzmq's garbage-collector thread...) is in the baseline
before = {"threads": []}
before = snapshot(settle=0)
words_before = model.progress["words_done"]
counts = []
for _ in range(ROUNDS):
    one_round()
    counts.append(snapshot())
words_after = model.progress["words_done"]
model.stop()
model.wait(60)
print(json.dumps({"before": before, "rounds": counts, "trained": words_after - words_before}))
"""


@pytest.mark.parametrize("rounds", [3])
def test_ten_widgets_displayed_and_closed_leave_nothing_behind(rounds):
    with LiveKernel(cwd=REPO_ROOT) as k:
        out = k.execute(CODE.replace("ROUNDS", str(rounds)), timeout=600)
    result = json.loads(out.strip().splitlines()[-1])
    before = result["before"]
    for i, after in enumerate(result["rounds"]):
        # a t-SNE worker may still be winding down after close; nothing else may remain
        extra = [t for t in after["threads"] if t not in before["threads"]]
        assert not extra, f"round {i + 1}: threads left behind: {extra}"
        assert after["callbacks"] == before["callbacks"], f"round {i + 1}: model callbacks left behind"
        assert after["widgets"] == before["widgets"], f"round {i + 1}: widget instances left behind"
    assert result["trained"] > 0, "training did not go on while the widgets came and went"

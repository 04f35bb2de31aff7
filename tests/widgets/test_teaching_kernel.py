"""The teaching widgets in a real kernel: displayed as widget views, driven from Python, and
PMIView following a background run while the kernel stays free for other cells."""

from __future__ import annotations

import re

import pytest

from tests.support.kernel import LiveKernel
from tests.support.notebooks import outputs_text, run_notebook

pytestmark = pytest.mark.kernel

SETUP = """\
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
from tests.support.vectors import demo_vectors
corpus = make_corpus(800)
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=3, alpha=0.05, device="cpu")
"""


def _views(nb) -> int:
    return sum(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        for c in nb.cells
        for o in c.get("outputs", [])
    )


def test_the_three_widgets_display_and_answer_from_python():
    nb = run_notebook(
        [
            SETUP + "model.fit(corpus)",
            "stepper = w2v.UpdateStepper(model, centre='cat', context='dog', k=3, lr=0.5)\nstepper",
            "before = stepper.loss; after = stepper.step(); stepper.undo()\n"
            "print('stepper', after < before, stepper.loss == before, stepper.steps)",
            "view = w2v.PMIView(model, corpus, word='cat')\nview",
            "print('pmi', len(view.data) > 100, round(view.correlation, 1) > 0.5)",
            "lab = w2v.AnalogyLab({'a': demo_vectors(300, seed=0), 'b': demo_vectors(300, seed=1)})\nlab",
            "r = lab.ask('man', 'king', 'woman', 'queen')\n"
            "print('analogy', r.top()[0], list(r.across['rank']))",
        ],
        timeout=120,
    )
    text = outputs_text(nb)
    assert "stepper True True 0" in text
    assert "pmi True True" in text
    assert "analogy queen [1, 1]" in text
    assert _views(nb) == 3


def test_pmi_view_follows_a_background_run_and_the_kernel_stays_free():
    with LiveKernel() as kernel:
        kernel.execute(SETUP.replace("epochs=3", "epochs=30"), timeout=120)
        kernel.execute("view = w2v.PMIView(model, corpus, word='cat')\nmodel.fit(corpus, background=True)")
        kernel.execute("model.pause()")
        during = kernel.execute("print(model.state, len(model.epoch_losses) < 30)", timeout=10).split()
        assert during[0] in ("running", "paused") and during[1] == "True", (
            during
        )  # the kernel answers mid-run
        kernel.execute("model.resume()")
        kernel.execute("model.wait(240)", timeout=260)
        out = kernel.execute(
            "print(model.state, len(model.epoch_losses), 'after 30 epoch' in view._message.value)"
        )
        assert out.split()[1:] == ["30", "True"], out


def test_each_widget_is_followed_by_a_snapshot_of_its_last_picture():
    """Displayed in a kernel, each teaching widget leaves a static snapshot after it (for
    nbconvert's HTML offline), refreshed when later cells change the widget: throttled, yet the
    stored output holds the last picture (the end of each cell flushes a pending refresh)."""
    nb = run_notebook(
        [
            SETUP + "model.fit(corpus)",
            "stepper = w2v.UpdateStepper(model, centre='cat', context='dog', k=3, lr=0.5)\nstepper",
            "for _ in range(3):\n    stepper.step()",
            "lab = w2v.AnalogyLab(demo_vectors(300, seed=0))\nlab",
            "r = lab.ask('man', 'king', 'woman', 'queen')",
            "viewer = w2v.PairsViewer(corpus, min_count=1, sample=1, window=3)\nviewer",
            "viewer.window = 1",
            "view = w2v.PMIView(model, corpus, word='cat')\nview",
            "print([w.offline.renders for w in (stepper, lab, viewer, view)])",
        ],
        timeout=120,
    )
    snapshots = {}
    for cell, name in ((1, "stepper"), (3, "lab"), (5, "viewer"), (7, "view")):
        widget, snapshot = nb.cells[cell].outputs
        assert "application/vnd.jupyter.widget-view+json" in widget["data"]
        assert snapshot["output_type"] == "display_data" and "w2v-snapshot" in snapshot["data"]["text/html"]
        snapshots[name] = snapshot["data"]["text/html"]
    assert "3 step(s) taken" in snapshots["stepper"] and snapshots["stepper"].count("<img") == 2
    assert "queen" in snapshots["lab"] and snapshots["lab"].count("<img") == 1
    radii = re.findall(r"<td style='text-align:center'>(\d+) of (\d+)</td>", snapshots["viewer"])
    assert radii and all(r == ("1", "1") for r in radii)  # the window set after the display
    assert "correlation of u·v" in snapshots["view"] and snapshots["view"].count("<img") == 3
    renders = [int(n) for n in re.findall(r"\d+", outputs_text(nb, 8))]
    # shown once, then the three steps: at most one at once, the rest in one refresh at the end
    assert renders[0] in (2, 3) and all(n >= 2 for n in renders[1:3]), renders

"""The teaching widgets in a real kernel: displayed as widget views, driven from Python, and
PMIView following a background run while the kernel stays free for other cells."""

from __future__ import annotations

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

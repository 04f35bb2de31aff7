"""The teaching widgets in JupyterLab: UpdateStepper, PMIView and AnalogyLab driven by clicks and typing.

Screenshots: test-artifacts/update-stepper-{1-initial,2-stepped,3-one-table}.png,
pmi-view-{1-trained,2-retrained}.png, analogy-lab-{1-asked,2-escaped}.png.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.support.lab import screenshot

pytestmark = pytest.mark.browser

TRAIN = """\
import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
corpus = make_corpus(800)
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=3, alpha=0.05, device="cpu")
"""


def _guard(page):
    """Record alerts and requests leaving the machine; return a check to call at the end."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    def check() -> None:
        assert dialogs == []
        hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
        assert hosts <= {"127.0.0.1"}, hosts

    return check


def _loss(widget) -> float:
    return float(re.search(r"loss of the pair: ([\d.]+)", widget.locator(".w2v-us-loss").inner_text())[1])


def test_update_stepper_step_undo_and_one_table(lab, page, console):
    page.set_viewport_size({"width": 1280, "height": 1200})
    check = _guard(page)
    cell = (
        TRAIN
        + "model.fit(corpus)\n"
        + "stepper = w2v.UpdateStepper(model, centre='cat', context=EVIL, k=4, lr=0.5)\nstepper"
    )
    lab.write_notebook("stepper", [cell])
    lab.open_notebook(page, "stepper")
    lab.run_all(page)
    widget = page.locator(".w2v-update-stepper")
    widget.locator(".w2v-us-plane-svg").wait_for()
    start = _loss(widget)
    assert abs(start - float(lab.kernel_execute(page, "print(stepper.loss)"))) < 1e-3
    assert widget.locator(".w2v-us-plane-svg text", has_text="onerror").count() >= 1  # as text
    assert page.locator(".w2v-update-stepper img").count() == 0
    screenshot(widget, "update-stepper-1-initial")

    widget.locator(".w2v-us-step").click()
    page.wait_for_function(
        "() => document.querySelector('.w2v-us-loss').innerText.includes('before the last step')"
    )
    assert _loss(widget) < start
    assert lab.kernel_execute(page, "print(stepper.steps)").strip() == "1"
    assert widget.locator(".w2v-us-plane-svg line[stroke-dasharray]").count() > 0  # ghosts of before
    screenshot(widget, "update-stepper-2-stepped")

    widget.locator(".w2v-us-undo").click()
    page.wait_for_function(
        "(s) => document.querySelector('.w2v-us-loss').innerText.includes('loss of the pair: ' + s)",
        arg=f"{start:.4f}",
    )
    assert lab.kernel_execute(page, "print(stepper.steps)").strip() == "0"

    widget.locator(".w2v-us-shared").click()
    widget.locator(".w2v-us-bars-svg text", has_text="itself: σ(v·v)").wait_for()
    assert lab.kernel_execute(page, "print(stepper.shared)").strip() == "True"
    screenshot(widget, "update-stepper-3-one-table")
    assert not [m for m in console if m.startswith("pageerror")]
    check()


def test_pmi_view_follows_training_and_retrains(lab, page, console):
    page.set_viewport_size({"width": 1280, "height": 1500})  # the whole view in one screenshot
    check = _guard(page)
    lab.write_notebook(
        "pmi", [TRAIN + "view = w2v.PMIView(model, corpus, word='cat', min_pair_count=3)\nview"]
    )
    lab.open_notebook(page, "pmi")
    lab.run_all(page)
    widget = page.locator(".w2v-pmi-view")
    widget.locator(".w2v-pmi-message", has_text="no vectors yet").wait_for()

    widget.locator(".w2v-pmi-retrain").click()  # trains in the background; the view follows it
    widget.locator(".w2v-pmi-summary", has_text="after 3 epoch(s)").wait_for(timeout=60_000)
    assert widget.locator(".w2v-pmi-dots circle").count() > 50
    assert float(lab.kernel_execute(page, "print(view.correlation)")) > 0.5
    assert widget.locator(".w2v-pmi-probs text", has_text="corpus P(c|w)").count() == 1
    screenshot(widget, "pmi-view-1-trained")

    lab.kernel_execute(page, "view.k = 2")
    assert widget.locator(".w2v-pmi-k .widget-readout").inner_text().strip() == "2"
    widget.locator(".w2v-pmi-retrain").click()
    widget.locator(".w2v-pmi-summary", has_text="k = 2").wait_for(timeout=60_000)
    widget.locator(".w2v-pmi-summary", has_text="after 3 epoch(s)").wait_for(timeout=60_000)
    assert lab.kernel_execute(page, "print(model.get_params()['negative'])").strip() == "2"
    screenshot(widget, "pmi-view-2-retrained")
    assert not [m for m in console if m.startswith("pageerror")]
    check()


def test_analogy_lab_typed_question(lab, page, console):
    check = _guard(page)
    cell = (
        "import w2v_widgets as w2v\nfrom tests.support.vectors import HOSTILE, demo_vectors\n"
        "runs = {'seed 0': demo_vectors(400, seed=0), 'seed 1': demo_vectors(400, seed=1)}\n"
        "alab = w2v.AnalogyLab(runs)\nalab"
    )
    lab.write_notebook("analogy", [cell])
    lab.open_notebook(page, "analogy")
    lab.run_all(page)
    widget = page.locator(".w2v-analogy-lab")
    for name, word in (("a", "man"), ("b", "king"), ("c", "woman"), ("expected", "queen")):
        box = widget.locator(f".w2v-al-{name} input")
        box.fill(word)
        box.press("Enter")
    widget.locator(".w2v-al-ranks", has_text="queen").wait_for()
    first = widget.locator(".w2v-al-answers tbody tr").first.inner_text()
    assert first.split()[1] == "queen", first
    assert widget.locator(".w2v-al-across tbody tr").count() == 2
    assert widget.locator(".w2v-al-offsets line").count() > 0
    assert lab.kernel_execute(page, "print(alab.result.expected_rank[('3CosAdd', True)])").strip() == "1"
    screenshot(widget, "analogy-lab-1-asked")

    lab.kernel_execute(page, "alab.ask('man', HOSTILE[0], 'woman')")
    widget.locator(".w2v-al-question", has_text="onerror").wait_for()
    assert page.locator(".w2v-analogy-lab img").count() == 0
    screenshot(widget, "analogy-lab-2-escaped")
    assert not [m for m in console if m.startswith("pageerror")]
    check()


def test_loss_chart_reference_lines_and_averaged_toggle(lab, page, console):
    check = _guard(page)
    cell = (
        TRAIN.replace("device=", "negative=3, device=")
        + "model.fit(corpus)\nchart = w2v.LossChart(model)\nchart"
    )
    lab.write_notebook("loss", [cell])
    lab.open_notebook(page, "loss")
    lab.run_all(page)
    widget = page.locator(".w2v-loss-chart")
    widget.locator(".vega-embed svg text", has_text="untrained 2.77").wait_for()  # 4 ln 2, summed
    assert widget.locator(".vega-embed svg text", has_text="frequency only").count() == 1
    screenshot(widget, "loss-chart-1-summed")
    widget.locator(".w2v-loss-form button", has_text="averaged (d2l)").click()
    widget.locator(".vega-embed svg text", has_text="untrained 0.69").wait_for()  # ln 2 per guess
    assert lab.kernel_execute(page, "print(chart.loss_form)").strip() == "averaged"
    screenshot(widget, "loss-chart-2-averaged")
    assert not [m for m in console if m.startswith("pageerror")]
    check()

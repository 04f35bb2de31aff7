"""The dashboard keeps updating in JupyterLab when comm messages sent from threads are lost.

With the test-only switch (tests/support/thread_comms.py) the kernel drops every comm message a
non-main thread publishes, as Colab does (googlecolab/colabtools#3373): the dashboard's chart,
status and progress then reach the page only through the relay (widgets/live/relay.py), the page
pulling on a timer and the kernel's main thread answering. Without the switch the same test
checks the normal path. Both the dashboard's Start and ``model.fit(corpus, background=True)``
from a cell are followed. Screenshots: test-artifacts/thread-messages-{dropped,delivered}-*.png.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_training_dashboard import STATUS, _wait_status
from tests.support.lab import screenshot
from tests.support.thread_comms import SETUP as SWITCH_SETUP
from tests.support.thread_comms import SWITCH

pytestmark = pytest.mark.browser

DASHBOARD = """\
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
corpus = make_corpus()
# 4,000 epochs: the test stops each run itself; with 400, CI's CPU (1.08M words/s) finished the
# whole run before fit(background=True) after the Stop had shown "running"
model = w2v.Word2Vec(epochs=4000, vector_size=20, min_count=2, sample=0, batch_size=1024, log_every=1)
dash = w2v.TrainingDashboard(model, corpus, words=["cat", "one"], k=5)
dash
"""


def _chart_drawing(page) -> str:
    """The loss chart's lines as vega drew them (SVG paths)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '.w2v-training-dashboard .w2v-loss-chart .mark-line path'))
            .map(p => p.getAttribute('d') || '').join('|')"""
    )


def _words_done(page) -> int:
    """Words done in the status line (0 before the run's first figures arrive)."""
    match = re.search(r"([\d,]+) (?:/ [\d,]+ )?words", page.locator(STATUS).first.inner_text())
    return int(match.group(1).replace(",", "")) if match else 0


def _keeps_updating(page, seconds: float = 15) -> None:
    """Words done and the loss chart change twice while training runs."""
    for _ in range(2):
        words, drawing = _words_done(page), _chart_drawing(page)
        deadline = time.monotonic() + seconds
        while not (_words_done(page) > words and _chart_drawing(page) != drawing):
            status = page.locator(STATUS).first.inner_text()
            assert time.monotonic() < deadline, f"frozen at {words} words: {status}"
            time.sleep(0.2)


@pytest.mark.parametrize("mode", ["dropped", "delivered"])
def test_dashboard_updates_with_thread_messages_dropped_or_not(lab, page, mode):
    switch = f"import os; os.environ[{SWITCH!r}] = {'1' if mode == 'dropped' else '0'!r}\n" + SWITCH_SETUP
    lab.write_notebook(f"threads-{mode}", [switch, DASHBOARD])
    lab.open_notebook(page, f"threads-{mode}")
    lab.run_all(page, timeout=180)
    page.locator(".w2v-start").first.wait_for(state="visible")
    assert page.locator(STATUS).first.inner_text().startswith("idle")

    # the dashboard's Start: training runs in the model's thread
    page.locator(".w2v-start").first.click()
    _wait_status(page, "running")
    _keeps_updating(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.w2v-training-dashboard .w2v-nt .sim').length >= 8"
    )
    screenshot(page.locator(".w2v-training-dashboard").first, f"thread-messages-{mode}-start")
    page.locator(".w2v-stop").first.click()
    _wait_status(page, "stopped")
    page.locator(".w2v-start").first.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('.w2v-start').disabled")

    # fit(background=True) from code: the same dashboard follows the run
    lab.kernel_execute(page, "model.fit(corpus, background=True)")
    _wait_status(page, "running")
    _keeps_updating(page)
    screenshot(page.locator(".w2v-training-dashboard").first, f"thread-messages-{mode}-fit")
    lab.kernel_execute(page, "model.stop(); model.wait(30)")
    _wait_status(page, "stopped")

    figures = lab.kernel_execute(
        page, "from tests.support.thread_comms import dropped; print(dropped(), dash.relay.resends)"
    ).split()
    dropped, resends = int(figures[0]), int(figures[1])
    if mode == "dropped":  # the thread's messages were lost: the relay sent the state again
        assert dropped > 20 and resends > 5, figures
    else:  # the normal path: nothing lost, nothing to send again
        assert dropped == 0 and resends <= 2, figures

"""The live training dashboard in JupyterLab, driven by clicks in Chromium.

Start: the loss chart gains points and the neighbour table fills; Pause: words done stop
advancing; Resume; a page reload shows the live state; Stop. Screenshots go to
test-artifacts/ (dashboard-*.png).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest

from tests.support.lab import screenshot
from tests.support.layout import layout_problems, open_file_browser

pytestmark = pytest.mark.browser

SETUP = """\
import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
corpus = make_corpus()
FAST = dict(vector_size=20, min_count=2, sample=0, batch_size=1024, log_every=1)
"""
DASHBOARD = """\
model = w2v.Word2Vec(epochs=4000, **FAST)  # never finishes while the test runs: it stops the run itself
dash = w2v.TrainingDashboard(model, corpus, words=["cat", "one", "red", "paris", EVIL], k=5)
dash
"""

STATUS = ".w2v-training-dashboard .w2v-status-line"


def _status(page, nth: int = 0) -> str:
    return page.locator(STATUS).nth(nth).inner_text()


def _words_done(page, nth: int = 0) -> int:
    match = re.search(r"([\d,]+) / [\d,]+ words", _status(page, nth))
    assert match, _status(page, nth)
    return int(match.group(1).replace(",", ""))


def _line_points(page) -> int:
    """Vertices of the loss lines drawn by vega (SVG renderer): one per point drawn."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '.w2v-training-dashboard .w2v-loss-chart .mark-line path'))
            .map(p => (p.getAttribute('d') || '').split(/[ML]/).length - 1)
            .reduce((a, b) => a + b, 0)"""
    )


def _wait_status(page, word: str, timeout: float = 20) -> None:
    page.wait_for_function(
        "([sel, word]) => (document.querySelector(sel)?.innerText || '').startsWith(word)",
        arg=[STATUS, word],
        timeout=timeout * 1000,
    )


def test_dashboard_start_pause_resume_reload_stop(lab, page, console):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    lab.write_notebook("dashboard", [SETUP, DASHBOARD, "dash  # the same dashboard again"])
    lab.open_notebook(page, "dashboard")
    lab.run_all(page, timeout=180)

    start = page.locator(".w2v-start").first
    start.wait_for(state="visible")
    page.locator(".w2v-loss-chart .vega-embed").first.wait_for(state="attached")
    assert _status(page).startswith("idle")
    assert page.locator(".w2v-pause").first.is_disabled()
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-1-idle")

    # Start: training runs, the chart gains points, the table fills
    start.click()
    _wait_status(page, "running")
    page.wait_for_function(
        "() => document.querySelectorAll('.w2v-training-dashboard .w2v-nt .sim').length >= 16"
    )
    deadline = time.monotonic() + 30
    first = _line_points(page)
    while _line_points(page) <= max(first, 4):
        assert time.monotonic() < deadline, "the loss chart gained no points"
        time.sleep(0.2)
    assert page.locator(".w2v-start").first.is_disabled()
    assert page.locator(".w2v-training-settings input").first.is_disabled()
    table = page.locator(".w2v-training-dashboard .w2v-nt").first
    assert "cat" in table.inner_text()
    # the injected word is shown as text, never as markup
    assert "<img src=x onerror=alert(1)>" in table.inner_text()
    assert page.locator(".w2v-training-dashboard .w2v-nt img").count() == 0
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-2-running")

    # Pause: the state shows within a second and words done stop advancing
    pause = page.locator(".w2v-pause").first
    pause.click()
    _wait_status(page, "paused", timeout=1.5)
    page.wait_for_function(
        "() => document.querySelector('.w2v-pause')?.innerText.trim() === 'Resume'",
        timeout=2_000,
    )
    done = _words_done(page)
    time.sleep(1.5)
    assert _words_done(page) == done
    assert lab.kernel_execute(page, "print(model.state, model.progress['words_done'])").split() == [
        "paused",
        str(done),
    ]
    # the second display of the same dashboard shows the same live state
    assert _status(page, 1).startswith("paused") and _words_done(page, 1) == done
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-3-paused")

    # Resume: words advance again
    pause.click()
    _wait_status(page, "running")
    page.wait_for_function(
        "([sel, done]) => { const m = (document.querySelector(sel)?.innerText || '')"
        ".match(/([\\d,]+) \\/ [\\d,]+ words/); return m && +m[1].replace(/,/g, '') > done; }",
        arg=[STATUS, done],
        timeout=20_000,
    )

    # Reload the page while training: the views come back with the live state
    lab.save(page)
    time.sleep(0.5)
    lab.open_notebook(page, "dashboard")
    page.locator(".w2v-training-dashboard").first.wait_for(state="visible", timeout=30_000)
    _wait_status(page, "running")
    before = _words_done(page)
    page.wait_for_function(
        "([sel, done]) => { const m = (document.querySelector(sel)?.innerText || '')"
        ".match(/([\\d,]+) \\/ [\\d,]+ words/); return m && +m[1].replace(/,/g, '') > done; }",
        arg=[STATUS, before],
        timeout=20_000,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.w2v-training-dashboard .w2v-nt .sim').length >= 16"
    )
    deadline = time.monotonic() + 20
    while _line_points(page) < 8:
        assert time.monotonic() < deadline, "the chart did not come back after the reload"
        time.sleep(0.2)
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-4-reloaded")

    # edit the probe words while training: the table follows at once
    box = page.locator(".w2v-training-dashboard .w2v-neighbour-table input").first
    box.fill("dog, blue")
    box.press("Enter")
    page.wait_for_function(
        "() => Array.from(document.querySelector('.w2v-training-dashboard')"
        ".querySelectorAll('.w2v-nt th.probe')).map(e => e.innerText).join(',') === 'dog,blue'",
        timeout=5_000,
    )
    assert lab.kernel_execute(page, "print(dash.neighbours.words)").strip() == "['dog', 'blue']"

    # Stop: stopped within a second, Start becomes Continue
    page.locator(".w2v-stop").first.click()
    _wait_status(page, "stopped", timeout=1.5)
    page.wait_for_function(
        "() => { const b = document.querySelector('.w2v-start');"
        " return b && !b.disabled && b.innerText.trim() === 'Continue'; }",
        timeout=2_000,
    )
    assert lab.kernel_execute(page, "print(model.state)").strip() == "stopped"
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-5-stopped")
    screenshot(page, "dashboard-page")

    assert dialogs == [], f"a word was injected as markup: {dialogs}"
    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, f"requests left the machine: {hosts}"
    errors = [m for m in console if m.startswith("pageerror")]
    assert not errors, errors


FORM_DASHBOARD = """\
class Boom(w2v.Callback):
    def on_epoch_end(self, model, logs):
        raise RuntimeError("diverged <b>on purpose</b>")

dash = w2v.TrainingDashboard(corpus=corpus)
dash
"""


def test_dashboard_from_the_form_and_a_training_error(lab, page, console):
    lab.write_notebook("form", [SETUP, FORM_DASHBOARD])
    lab.open_notebook(page, "form")
    lab.run_all(page, timeout=180)
    page.locator(".w2v-start").first.wait_for(state="visible")

    # fill the form as a user would, then Start builds the model from it
    fields = page.locator(".w2v-training-settings .widget-inline-hbox")
    fields.filter(has_text="vector_size").locator("input").fill("16")
    fields.filter(has_text="min_count").locator("input").fill("2")
    fields.filter(has_text="epochs").locator("input").fill("3")
    fields.filter(has_text="epochs").locator("input").press("Enter")
    page.locator(".w2v-start").first.click()
    _wait_status(page, "finished", timeout=60)
    params = lab.kernel_execute(
        page, "p = dash.model.get_params(); print(p['vector_size'], p['min_count'], p['epochs'])"
    )
    assert params.split() == ["16", "2", "3"]

    # an exception in the training thread shows in the widget, escaped
    lab.kernel_execute(page, "dash.model.add_callback(Boom())")
    page.locator(".w2v-start").first.click()
    _wait_status(page, "failed", timeout=60)
    error = page.locator(".w2v-status-error").first
    error.wait_for(state="visible")
    assert "RuntimeError: diverged <b>on purpose</b>" in error.inner_text()
    assert error.locator("b", has_text="on purpose").count() == 0
    screenshot(page.locator(".w2v-training-dashboard").first, "dashboard-6-error")


TWO_RUNS = """\
model = w2v.Word2Vec(epochs=30, **FAST)
dash = w2v.TrainingDashboard(model, corpus, words=["cat", "one"], k=5)
dash
"""


def test_loss_chart_of_two_runs_fits_a_laptop(lab, page, console):
    """Trained twice, as notebook 3's dashboard is when its model is trained again (Start after
    the notebook's fit): the chart marks ``run 2`` where the second run starts and that run's
    ``epoch 2`` one epoch (a sixtieth of the chart) later; at 1366x768 with the file browser
    open no label may cover another."""
    lab.write_notebook("two-runs", [SETUP, TWO_RUNS, "model.fit(corpus)", "model.fit(corpus)"])
    lab.open_notebook(page, "two-runs")
    page.set_viewport_size({"width": 1366, "height": 768})
    open_file_browser(page)
    lab.run_all(page, timeout=180)
    chart = page.locator(".w2v-training-dashboard .w2v-loss-chart .vega-embed svg").first
    page.wait_for_function(
        "() => [...document.querySelectorAll('.w2v-loss-chart .vega-embed svg text')]"
        ".map(t => t.textContent).join('|').includes('run 2')",
        timeout=60_000,
    )
    _wait_status(page, "finished", timeout=60)
    chart.scroll_into_view_if_needed()
    screenshot(page, "dashboard-7-two-runs-1366")
    problems = layout_problems(page)
    assert not problems, "a dashboard trained twice, at 1366x768:\n" + "\n".join(problems)
    errors = [m for m in console if m.startswith("pageerror")]
    assert not errors, errors

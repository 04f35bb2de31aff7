"""The notebooks whose widgets follow training, run in Voilà (the page appears when every cell
has run), used as their text says: notebook 3's dashboard trains again after Reset and Start,
notebook 7's PMI view after Retrain, notebook 9's following map shows the end of training.
(Notebook 6's loss chart draws a run that has ended; the other widgets answer the reader, with no
training to follow.)

Each notebook runs with ``EPOCHS = 1`` injected after its parameters cell (as in
test_notebooks_lab.py); screenshots: test-artifacts/voila-NAME.png.
"""

from __future__ import annotations

import nbformat
import pytest

from tests.support.lab import screenshot
from tests.support.notebooks import load_notebook, with_parameters
from tests.support.offline import assert_no_request_left, block_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = "notebooks"


def open_in_voila(lab, page, stem: str) -> list[str]:
    from tests.support.kernel import REPO_ROOT

    nb = with_parameters(load_notebook(REPO_ROOT / NOTEBOOKS / f"{stem}.ipynb"), EPOCHS=1)
    nbformat.write(nb, str(lab.root_dir / f"{stem}.ipynb"))
    left = block_network(page)
    page.goto(lab.voila_url(stem), wait_until="commit", timeout=400_000)
    return left


def text_of(selector: str) -> str:
    """A JS expression: the inner text of the first element matching ``selector`` ('' if none)."""
    return f"(document.querySelector({selector!r})?.innerText || '')"


def wait_text(page, selector: str, test: str, seconds: float) -> None:
    """Wait until the element's text passes ``test`` (a JS method call, e.g. ".includes('x')")."""
    page.wait_for_function(f"() => {text_of(selector)}{test}", timeout=seconds * 1000)


def finish(page, console, left: list[str], name: str) -> None:
    screenshot(page, f"voila-{name}")
    assert not [m for m in console if m.startswith("pageerror")], console
    assert_no_request_left(left)


def test_dashboard_trains_again_after_reset_and_start_in_voila(lab, page, console):
    left = open_in_voila(lab, page, "03-negative-sampling")
    status = ".w2v-training-dashboard .w2v-status-line"
    wait_text(page, status, ".startsWith('finished')", 400)  # the page shows the finished run
    page.locator(".w2v-training-dashboard .w2v-reset").first.click()
    wait_text(page, status, ".startsWith('idle')", 30)
    page.locator(".w2v-training-dashboard .w2v-start").first.click()
    wait_text(page, status, ".startsWith('running')", 60)  # a new run, live
    wait_text(page, status, ".startsWith('finished')", 180)
    table = page.locator(".w2v-training-dashboard .w2v-neighbour-table").first.inner_text()
    assert "january" in table and "no vectors yet" not in table, table
    finish(page, console, left, "03-negative-sampling")


def test_pmi_view_retrains_in_voila(lab, page, console):
    left = open_in_voila(lab, page, "07-what-negative-sampling-learns")
    wait_text(page, ".w2v-pmi-message", ".includes('correlation')", 400)
    page.locator(".w2v-pmi-retrain button, button.w2v-pmi-retrain").first.click()
    wait_text(page, ".w2v-pmi-message", ".includes('retraining')", 60)
    wait_text(page, ".w2v-pmi-message", ".includes('correlation')", 180)
    finish(page, console, left, "07-what-negative-sampling-learns")


def test_following_map_shows_the_end_of_training_in_voila(lab, page, console):
    """Notebook 9's prose: in Voilà the following map first shows the end of training (the page
    appears once every cell has run): the run 100% trained and ended, the pinned words listed, the map
    drawn. Screenshot at 1366x768."""
    page.set_viewport_size({"width": 1366, "height": 768})
    left = open_in_voila(lab, page, "09-what-the-map-shows")
    follow = ".w2v-explorer .w2v-follow"  # the widget's, not its hidden page copy's
    ended = (  # the run has ended and the map shows its last update
        f"() => [...document.querySelectorAll({follow!r})].some(box => box.dataset.active === 'false'"
        " && box.innerText.includes('100% trained'))"
    )
    page.wait_for_function(ended, timeout=400_000)
    rows = page.locator(f"{follow}:visible .w2v-change")
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.word)") == ["one", "january", "france"]
    page.locator(f"{follow}:visible").first.wait_for(state="visible")
    assert page.locator(".w2v-explorer[data-first-render-ms]:has(canvas)").count() >= 1  # the map is drawn
    page.locator(f"{follow}:visible").first.scroll_into_view_if_needed()
    finish(page, console, left, "09-what-the-map-shows")

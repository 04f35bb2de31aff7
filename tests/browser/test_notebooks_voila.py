"""The notebooks whose widgets follow training, run in Voilà (the page appears when every cell
has run), used as their text says: notebook 3's dashboard trains again after Reset and Start,
notebook 7's PMI view after Retrain, notebook 9's following map shows the end of training.

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


def status(page) -> str:
    return page.locator(".w2v-training-dashboard .w2v-status-line").first.inner_text()


def test_dashboard_trains_again_after_reset_and_start_in_voila(lab, page, console):
    left = open_in_voila(lab, page, "03-negative-sampling")
    status_js = "document.querySelector('.w2v-training-dashboard .w2v-status-line')?.innerText || ''"
    page.wait_for_function(f"() => ({status_js}).startsWith('finished')", timeout=400_000)
    page.locator(".w2v-training-dashboard .w2v-reset").first.click()
    page.wait_for_function(f"() => ({status_js}).startsWith('idle')", timeout=30_000)
    page.locator(".w2v-training-dashboard .w2v-start").first.click()
    page.wait_for_function(f"() => !({status_js}).startsWith('idle')", timeout=60_000)
    page.wait_for_function(f"() => ({status_js}).startsWith('finished')", timeout=180_000)
    table = page.locator(".w2v-training-dashboard .w2v-neighbor-table").first.inner_text()
    assert "january" in table and "no vectors yet" not in table, table
    screenshot(page, "voila-03-negative-sampling")
    assert not [m for m in console if m.startswith("pageerror")], console
    assert_no_request_left(left)


def test_pmi_view_retrains_in_voila(lab, page, console):
    left = open_in_voila(lab, page, "07-what-negative-sampling-learns")
    message = "document.querySelector('.w2v-pmi-message')?.innerText || ''"
    page.wait_for_function(f"() => ({message}).includes('correlation')", timeout=400_000)
    page.locator(".w2v-pmi-retrain button, button.w2v-pmi-retrain").first.click()
    page.wait_for_function(f"() => ({message}).includes('retraining')", timeout=60_000)
    page.wait_for_function(f"() => ({message}).includes('correlation')", timeout=180_000)
    screenshot(page, "voila-07-what-negative-sampling-learns")
    assert not [m for m in console if m.startswith("pageerror")], console
    assert_no_request_left(left)

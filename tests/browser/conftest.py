"""Fixtures for real-browser tests: a JupyterLab server (``lab``) and Playwright Chromium pages.

Fixtures
  lab      session   running :class:`tests.support.lab.JupyterLab` (write/open/run notebooks)
  browser  session   Playwright ``Browser`` on Debian's /usr/bin/chromium (headless)
  page     function  fresh ``Page`` (own context, 1280x900); screenshot + console log saved to
                     test-artifacts/ when the test fails
  console  function  list of the page's console messages and page errors ("type: text")

Mark browser tests with ``@pytest.mark.browser``. Without /usr/bin/chromium (or the playwright
package) they are skipped, unless the environment variable CI is set: then they fail.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.lab import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, JupyterLab, screenshot


def _missing_browser() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def _require_browser() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # before any fixture starts (JupyterLab takes seconds): skip or fail at once
    if item.get_closest_marker("browser") is not None:
        _require_browser()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """A running JupyterLab shared by the session; notebooks go in ``lab.root_dir``."""
    _require_browser()
    server = JupyterLab(tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    print(f"\nJupyterLab at {server.url} started in {server.startup_seconds:.1f}s")
    try:
        yield server
    finally:
        t0 = time.monotonic()
        server.stop()
        print(f"\nJupyterLab stopped in {time.monotonic() - t0:.1f}s")


@pytest.fixture(autouse=True)
def _lab_kernels_cleanup(request: pytest.FixtureRequest) -> Iterator[None]:
    # autouse: set up first, torn down last, so after ``page`` has closed
    yield
    if "lab" in request.fixturenames:
        server: JupyterLab = request.getfixturevalue("lab")
        if server.proc is not None and server.proc.poll() is None:
            server.shutdown_kernels()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's) driven by Playwright's sync API."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def console() -> list[str]:
    """Console messages and uncaught page errors of ``page``, as ``"type: text"`` strings."""
    return []


@pytest.fixture
def page(browser: Any, console: list[str], request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page in its own browser context; artifacts are saved if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            name = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
            try:
                screenshot(pg, name)
            except Exception as exc:  # a crashed page must not hide the test's own error
                console.append(f"(screenshot failed: {exc})")
            ARTIFACTS.mkdir(exist_ok=True)
            Path(ARTIFACTS / f"{name}-console.txt").write_text("\n".join(console) + "\n")
        context.close()

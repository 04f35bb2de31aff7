"""Offline pages for the browser tests: every request that would leave the machine is aborted
and recorded; a notebook opened (or exported by nbconvert) under that rule."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

# the front-ends' own page assets from CDNs (Voila's Font Awesome and MathJax, nbconvert's
# require.js, MathJax and widget manager): blocked like everything else, not our widgets' requests
FRONTEND_ASSETS = re.compile(r"fontawesome|mathjax|require(\.min)?\.js|@jupyter-widgets/html-manager", re.I)


def block_network(page) -> list[str]:
    """Abort every request that would leave the machine; return the list they are added to."""
    left: list[str] = []

    def route(r) -> None:
        local = urlparse(r.request.url).hostname in ("127.0.0.1", "localhost")
        if local or r.request.url.startswith(("data:", "blob:", "file:")):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return left


def assert_no_request_left(left: list[str]) -> None:
    """None of the aborted requests was ours (the front-ends' own CDN assets aside)."""
    ours = [u for u in left if not FRONTEND_ASSETS.search(u)]
    assert ours == [], f"requests left the machine: {ours}"


def open_offline(lab, page, name: str, cells: list[str], ui: str = "lab") -> list[str]:
    """Write ``cells`` as notebook ``name`` and run it offline in ``ui`` ("lab", "notebook" or
    "voila"); return the list of aborted requests."""
    left = block_network(page)
    lab.write_notebook(name, cells)
    if ui == "voila":  # Voila streams the page while it runs the cells: wait for the first bytes
        page.goto(lab.voila_url(name), wait_until="commit", timeout=180_000)
    else:
        lab.open_notebook(page, name, ui=ui)
        lab.run_all(page, timeout=180)
    return left


def open_nbconvert_html(page, nb, path: Path) -> list[str]:
    """Export the executed notebook ``nb`` with nbconvert's stock HTMLExporter to ``path`` and
    open it offline; return the list of aborted requests."""
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter().from_notebook_node(nb)
    path.write_text(html, encoding="utf8")
    left = block_network(page)
    page.goto(path.as_uri(), wait_until="load")
    return left

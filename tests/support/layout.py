"""Layout checks for a page at laptop size: clipped widgets and overlapping text in our SVGs.

:func:`layout_problems` returns one line per problem found on the page:

* a widget root (the outermost ``.w2v-*`` element of an output) or any element inside it that
  clips its content sideways (``scrollWidth > clientWidth`` where overflow is not visible, or a
  root wider than its output area);
* two text boxes of one SVG (inline in a widget, or an altair chart shown as an ``<img>``, whose
  source is laid out off-screen to measure it) overlapping by more than a fifth of the smaller
  (a chart's data labels, e.g. words on a map, a text mark showing 20 or more: more than 2% of them
  overlapping; a text mark with fewer, e.g. a loss chart's epoch marks: any two);
* a chart image wider than its output area (JupyterLab then shrinks it or cuts it).

Example::

    problems = layout_problems(page)
    assert not problems, problems
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_LAYOUT_JS = (Path(__file__).parent / "layout.js").read_text(encoding="utf8")


def layout_problems(page: Any) -> list[str]:
    """The layout problems of the page as it is now (see the module's docstring)."""
    return page.evaluate(_LAYOUT_JS)


def open_file_browser(page: Any) -> None:
    """Show JupyterLab's file browser in the left area (as a student has it)."""
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.wait_for_selector("#filebrowser", state="visible")

"""Closing a widget with everything it holds.

``ipywidgets.Widget.close()`` closes one widget: its children, layout and style stay open, each
with a comm and a model in the front-end, so a dashboard displayed again and again (a cell run
many times) leaked about 40 widget models a time. :func:`close_tree` closes them all.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets


def held_widgets(widget: widgets.Widget) -> list[widgets.Widget]:
    """Every widget reachable from ``widget``'s synced traits (children, layout, style...)."""
    found: list[widgets.Widget] = []
    seen = {id(widget)}
    stack = [widget]
    while stack:
        current = stack.pop()
        for name in getattr(current, "keys", ()):
            value: Any = getattr(current, name, None)
            for item in value if isinstance(value, list | tuple) else (value,):
                if isinstance(item, widgets.Widget) and id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
                    stack.append(item)
    return found


def close_tree(widget: widgets.Widget) -> None:
    """Close every widget ``widget`` holds (each through its own ``close``), then ``widget``
    itself through ``ipywidgets.Widget.close``; closed widgets are skipped."""
    for held in held_widgets(widget):
        if held.comm is not None:
            held.close()
    widgets.Widget.close(widget)

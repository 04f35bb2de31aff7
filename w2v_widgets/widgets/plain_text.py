"""The short text/plain every widget of the package leaves beside its view.

A front-end that cannot draw a widget (a notebook reopened untrusted with no kernel, a terminal,
a text export, a Jupyter server without the widget front-end: ipywidgets' and anywidget's
labextensions live in the *server's* environment) shows its ``text/plain``. ipywidgets makes it
from the widget's traitlets (``UpdateStepper(children=(HBox(children=(Text(...``): noise.
:class:`PlainTextRepr` replaces it with the class name, a few facts a reader recognises and
:data:`HINT`, what to do when the widget does not show (run the cell; else install the front-end
where the server runs), on one line under :data:`PLAIN_LIMIT` characters:
``UpdateStepper: centre 'cat', context 'sat', lr 0.5 (widget not shown? run the cell; ...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from w2v_widgets.widgets.graphemes import fit, shorten

PLAIN_LIMIT = 260  # characters, hint included
# What a reader needs when this line shows instead of the widget: with a kernel, the usual cause
# is a Jupyter server whose environment lacks the front-end (packages installed in the kernel's
# environment only, the classic JupyterHub mistake).
HINT = (
    "(widget not shown? run the cell; still not: the Jupyter server lacks its front-end: "
    "pip install anywidget ipywidgets in the server's environment, restart the server)"
)
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_WORD_LIMIT = 30  # characters of one word or name shown
_LIST_LIMIT = 3  # items of a list shown


def _fact(value: Any) -> str:
    if isinstance(value, str):
        return repr(shorten(value, _WORD_LIMIT))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        shown = [_fact(v) for v in value[:_LIST_LIMIT]]
        return "[" + ", ".join(shown) + (", …" if len(value) > _LIST_LIMIT else "") + "]"
    return str(value)


def plain_summary(name: str, facts: Mapping[str, Any], detail: str = "", limit: int = PLAIN_LIMIT) -> str:
    """``name: fact value, ...; detail (hint)``, at most ``limit`` characters, on one line;
    empty facts are left out, the lines of ``detail`` (free text) are joined with `` | ``."""
    shown = ", ".join(f"{key} {_fact(v)}" for key, v in facts.items() if v is not None and v != "")
    detail = " | ".join(line.strip() for line in detail.strip().splitlines() if line.strip())
    body = "; ".join(part for part in (shown, detail) if part)
    head = f"{name}: {body}" if body else name
    return f"{fit(head, limit - len(HINT) - 1)} {HINT}"


class PlainTextRepr:
    """Mixin (before the ipywidgets base class): a short ``repr`` and ``text/plain``.

    ``plain_facts`` names the attributes shown; override :meth:`plain_facts_now` for facts
    that are computed. A widget with a text rendering (``to_text``, the live widgets) adds it,
    its lines joined. A fact that cannot be read (a widget half built) is left out. Only a bundle
    with a widget view gets the short text: a text-only bundle (no kernel) is the real output.
    """

    plain_facts: tuple[str, ...] = ()

    def plain_facts_now(self) -> dict[str, Any]:
        facts = {}
        for name in self.plain_facts:
            try:
                facts[name] = getattr(self, name)
            except Exception:
                continue
        return facts

    def __repr__(self) -> str:
        try:
            facts = self.plain_facts_now()
            to_text = getattr(self, "to_text", None)
            detail = to_text() if callable(to_text) else ""
        except Exception:
            facts, detail = {}, ""
        return plain_summary(type(self).__name__, facts, detail)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict) and VIEW_MIME in data:  # ipywidgets cut its own at 110 characters
            data["text/plain"] = repr(self)
        return bundle

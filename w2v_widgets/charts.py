"""Altair charts that display with no network: SVG drawn by vl-convert in a helper process.

altair's default renderer shows a chart as HTML that loads vega from a CDN: with no network
(a classroom laptop offline, Notebook 7 or Voilà without a vega extension) it shows
"Error loading script" instead. A :class:`StaticChart` is an ordinary altair ``LayerChart``
(``save``, ``to_dict``, ``properties`` and chaining work as usual) whose display, while the
active renderer is one of those CDN ones, is an SVG image made in the kernel, as
``image/svg+xml`` and as an HTML ``<img>`` of it (a data URI): JupyterLab, Notebook 7, Voilà
and nbconvert's HTML all show the image, JupyterLab also in a notebook it does not trust.
A renderer the user enabled (``alt.renderers.enable("jupyter")``, ``"png"``, ``"mimetype"``...)
is respected.

vl-convert's JavaScript engine holds 70-150 MB once started, so it runs in a short-lived helper
process (:mod:`.vega_process`), never in the kernel: :func:`chart_svg`, the ``"w2v-svg"``
renderer (altair's ``"svg"`` renderer, drawn there; :func:`use_svg_charts` enables it) and the
offline ``JupyterChart``'s JavaScript (:func:`enable_offline_jupyter_chart`).
"""

from __future__ import annotations

from typing import Any

import altair as alt
from altair.utils._importers import vl_version_for_vl_convert

from . import vega_process
from .vega_process import svg_data_uri

# altair's renderers whose output loads vega from a CDN in the page
CDN_RENDERERS = frozenset({"default", "html"})
SVG_RENDERER = "w2v-svg"


def svg_renderer(spec: dict, **metadata: Any) -> dict[str, str]:
    """altair's ``"svg"`` renderer, with vl-convert run in the helper process."""
    locales = {k: metadata[k] for k in ("format_locale", "time_format_locale") if k in metadata}
    return {"image/svg+xml": chart_svg(spec, **locales)}


alt.renderers.register(SVG_RENDERER, svg_renderer)


def use_svg_charts() -> None:
    """Show altair charts as static SVG (they show offline and in any notebook viewer), drawn by
    vl-convert in a helper process: ``alt.renderers.enable("svg")`` without its JavaScript
    engine in the kernel (see :mod:`.vega_process`)."""
    alt.renderers.enable(SVG_RENDERER)


def enable_offline_jupyter_chart() -> None:
    """``alt.JupyterChart.enable_offline()`` with its JavaScript bundled in the helper process.

    altair bundles the chart's JavaScript with vl-convert's ``javascript_bundle``; this does the
    same there (the lines kept are altair's), so the kernel keeps only the bundle's text.
    """
    if alt.JupyterChart._is_offline:
        return
    from altair.jupyter.jupyter_chart import load_js_src

    lines = load_js_src().split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    bundle = vega_process.call("javascript_bundle", "\n".join(lines), vl_version=vl_version_for_vl_convert())
    alt.JupyterChart._esm = bundle
    alt.JupyterChart._is_offline = True


class StaticChart(alt.LayerChart):
    """A layer chart shown as SVG (vl-convert) instead of altair's CDN-loading HTML."""

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict | None:
        if alt.renderers.active not in CDN_RENDERERS:
            return super()._repr_mimebundle_(*args, **kwargs)
        with alt.renderers.enable(SVG_RENDERER):
            bundle = super()._repr_mimebundle_(*args, **kwargs)
        if isinstance(bundle, dict) and bundle:
            bundle.setdefault("text/plain", "<StaticChart: altair chart drawn as SVG>")
            if isinstance(bundle.get("image/svg+xml"), str):
                # JupyterLab does not render image/svg+xml in an untrusted (reopened) notebook,
                # but keeps an <img> with a data URI in sanitized HTML; every front-end
                # (Lab, Notebook 7, Voila, nbconvert) prefers text/html, so it shows once
                uri = svg_data_uri(bundle["image/svg+xml"])
                bundle["text/html"] = f'<img src="{uri}" alt="altair chart drawn as SVG">'
        return bundle


def chart_svg(spec: dict, **locales: Any) -> str:
    """A Vega-Lite specification (a dict, datasets inline) drawn as SVG by vl-convert, in the
    helper process (``locales``: vl-convert's ``format_locale``/``time_format_locale``).

    Skips altair's schema validation (a spec made by ``to_dict`` is already valid): about
    0.09 s for a 2,000-point line chart, 1-2 s when the helper has to start.
    """
    return vega_process.call("vegalite_to_svg", spec, vl_version=vl_version_for_vl_convert(), **locales)


def static_chart(chart: alt.LayerChart) -> StaticChart:
    """The same chart (shared, not copied, specification) as a :class:`StaticChart`."""
    if not isinstance(chart, alt.LayerChart):
        raise TypeError(f"static_chart takes an altair LayerChart, not {type(chart).__name__}")
    return StaticChart(**chart._kwds)


def labels_that_fit(
    xy: Any, words: list[str], width: float, height: float, font_size: float = 10
) -> list[int]:
    """Indices of the words whose text labels, drawn left-aligned just right of their points on a
    ``width`` x ``height`` chart (the data's range filling it), cover no earlier label and stay
    inside it. Earlier words win: pass the most frequent first. Boxes are estimated (a character
    is about 0.6 em wide), so a map labels what can be read and leaves the rest as dots."""
    import numpy as np

    xy = np.asarray(xy, dtype=float)
    span = np.where(np.ptp(xy, axis=0) > 0, np.ptp(xy, axis=0), 1.0)
    px = (xy - xy.min(axis=0)) / span * [width, height]
    kept: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for i, word in enumerate(words):
        left, top = px[i, 0] + 4, height - px[i, 1] - font_size / 2
        box = (left, top, left + 0.6 * font_size * len(word), top + font_size)
        if box[2] > width:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        kept.append(i)
        boxes.append(box)
    return kept

"""Altair charts that display with no network: SVG drawn in the kernel by vl-convert.

altair's default renderer shows a chart as HTML that loads vega from a CDN: with no network
(a classroom laptop offline, Notebook 7 or Voilà without a vega extension) it shows
"Error loading script" instead. A :class:`StaticChart` is an ordinary altair ``LayerChart``
(``save``, ``to_dict``, ``properties`` and chaining work as usual) whose display, while the
active renderer is one of those CDN ones, is an SVG image made in the kernel, as
``image/svg+xml`` and as an HTML ``<img>`` of it (a data URI): JupyterLab, Notebook 7, Voilà
and nbconvert's HTML all show the image, JupyterLab also in a notebook it does not trust.
A renderer the user enabled (``alt.renderers.enable("jupyter")``, ``"png"``, ``"mimetype"``...)
is respected.
"""

from __future__ import annotations

import base64
from typing import Any

import altair as alt

# altair's renderers whose output loads vega from a CDN in the page
CDN_RENDERERS = frozenset({"default", "html"})


class StaticChart(alt.LayerChart):
    """A layer chart shown as SVG (vl-convert) instead of altair's CDN-loading HTML."""

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> dict | None:
        if alt.renderers.active not in CDN_RENDERERS:
            return super()._repr_mimebundle_(*args, **kwargs)
        with alt.renderers.enable("svg"):
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


def svg_data_uri(svg: str) -> str:
    """``svg`` as a ``data:image/svg+xml;base64,...`` URI (an ``<img>`` source)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf8")).decode("ascii")


def chart_svg(spec: dict) -> str:
    """A Vega-Lite specification (a dict, datasets inline) drawn as SVG by vl-convert.

    Skips altair's schema validation (a spec made by ``to_dict`` is already valid): about
    0.09 s for a 2,000-point line chart, 1.4 s for the first call in a process.
    """
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    return vlc.vegalite_to_svg(spec, vl_version=vl_version_for_vl_convert())


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

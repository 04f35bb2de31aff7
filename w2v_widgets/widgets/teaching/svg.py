"""Small SVG pieces shared by the teaching widgets: escaped text, arrows, bars, axes.

Every function returns a string of SVG elements; every word passes through :func:`text` (escaped),
so words from a corpus can never inject markup. No scripts, no external resources: the pictures
show offline and in any notebook viewer.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from w2v_widgets.widgets.graphemes import shorten

INPUT, CONTEXT, NOISE, NEUTRAL = "#1565c0", "#2e7d32", "#c62828", "#616161"


def esc(value: object) -> str:
    """``value`` as text safe inside SVG or HTML (also inside attribute quotes)."""
    return html.escape(str(value), quote=True)


def word(value: object, attrs: str = "") -> str:
    """A word inside HTML text: escaped and isolated (``<bdi>``), so a right-to-left word (or a
    word holding a direction override) does not reorder the numbers and words around it;
    ``attrs``: the element's own attributes (markup made by the caller, e.g. ``' class="x"'``)."""
    return f"<bdi{attrs}>{esc(value)}</bdi>"


def svg(width: float, height: float, body: str, css_class: str = "", title: str = "") -> str:
    """A self-contained ``<svg>`` element."""
    tip = f"<title>{esc(title)}</title>" if title else ""
    return (
        f'<svg class="{esc(css_class)}" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'style="font-family:sans-serif;font-size:12px;background:#fff">{tip}{body}</svg>'
    )


def text(
    x: float, y: float, value: object, anchor: str = "start", color: str = "#212121", **attrs: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}"{extra}>{esc(value)}</text>'


def line(
    x1: float, y1: float, x2: float, y2: float, color: str = NEUTRAL, width: float = 1, dash: str = ""
) -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
        f'stroke-width="{width}"{d}/>'
    )


def arrow(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    color: str,
    width: float = 2,
    dash: str = "",
    opacity: float = 1,
) -> str:
    """A line with a filled head at (x2, y2); nothing when the arrow has no length."""
    dx, dy = x2 - x1, y2 - y1
    length = (dx * dx + dy * dy) ** 0.5
    if length < 0.5:
        return ""
    ux, uy = dx / length, dy / length
    head = min(8.0, length * 0.6)
    bx, by = x2 - ux * head, y2 - uy * head
    px, py = -uy * head * 0.45, ux * head * 0.45
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<g opacity="{opacity}"><line x1="{x1:.1f}" y1="{y1:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
        f'stroke="{color}" stroke-width="{width}"{d}/>'
        f'<polygon points="{x2:.1f},{y2:.1f} {bx + px:.1f},{by + py:.1f} {bx - px:.1f},{by - py:.1f}" '
        f'fill="{color}"/></g>'
    )


def hbars(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    width: float = 420,
    row: float = 18,
    label_width: float = 110,
    lo: float = 0.0,
    hi: float = 1.0,
    css_class: str = "",
    fmt: str = "{:.2f}",
) -> str:
    """Horizontal bars: one group per label, one bar per series ``(name, colour, values)``
    drawn on a shared ``lo..hi`` scale, each with its value written after it; a legend on top."""
    n_series = max(1, len(series))
    group = row * n_series + 6
    top = 22
    height = top + group * len(labels) + 4
    plot = width - label_width - 50
    span = (hi - lo) or 1.0

    def x_of(value: float) -> float:
        return label_width + plot * (min(max(value, lo), hi) - lo) / span

    parts = []
    x = label_width
    for name, color, _ in series:  # legend
        parts.append(f'<rect x="{x:.1f}" y="4" width="10" height="10" fill="{color}"/>')
        parts.append(text(x + 14, 13, name))
        x += 24 + 7 * len(name)
    zero = x_of(max(lo, min(0.0, hi)))
    parts.append(line(zero, top - 2, zero, height - 2, "#9e9e9e"))
    for i, label in enumerate(labels):
        y0 = top + i * group
        short = shorten(label, 20)
        parts.append(text(label_width - 6, y0 + group / 2 + 2, short, anchor="end"))
        for j, (_, color, values) in enumerate(series):
            value = float(values[i])
            x1, x2 = sorted((zero, x_of(value)))
            y = y0 + j * row
            parts.append(
                f'<rect class="w2v-bar" x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 0.5):.1f}" '
                f'height="{row - 4:.1f}" fill="{color}"/>'
            )
            parts.append(text(max(x_of(value), zero) + 4, y + row - 7, fmt.format(value), color=NEUTRAL))
    return svg(width, height, "".join(parts), css_class)

"""Horizontal bar charts drawn as inline, accessible SVG (the pie's sibling).

One bar a label, longest for the largest count, each followed by its count and share.
Like :func:`.pie_svg.render_pie_svg` it scales with the page, uses the site's font and
text colour, makes no external reference, and carries its data in ``<title>`` and
``<desc>`` for assistive technology, in French number formatting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

from playbook_rh.sphinxext.dashboards.pie_svg import (
    DEFAULT_COLORS,
    NBSP,
    PAD,
    TITLE_BAND,
    TITLE_SIZE,
    attr,
    chart_values,
    french_percent,
    num,
    open_svg,
    text_width,
)

__all__ = ["render_bars_svg"]

BAR_LENGTH = 420.0
BAR_HEIGHT = 20.0
ROW = 30.0
LABEL_SIZE = 14.0
GAP = 10.0
MIN_WIDTH = 600.0
COLOR = DEFAULT_COLORS[0]


def summary(label: str, count: float, total: float) -> str:
    """``Label : 7 (41,2 %)``, as the pie says it."""
    return f"{label}{NBSP}: {count:.0f} ({french_percent(100 * count / total)})"


def render_bars_svg(title: str, labels: Sequence[str], sizes: Sequence[float],
                    element_id: str = "") -> str:
    """The bar chart as an inline ``<svg>`` element.

    Raises ValueError when there is nothing to draw (no sizes, or all 0), when a size is
    negative or not finite, or when labels and sizes differ in number.
    """
    if not sizes:
        raise ValueError("nothing to draw: no sizes")
    values, total = chart_values(labels, sizes, "bar")
    largest = max(values)
    texts = [f"{value:.0f} ({french_percent(100 * value / total)})" for value in values]
    label_width = max(text_width(label, LABEL_SIZE) for label in labels)
    value_width = max(text_width(text, LABEL_SIZE) for text in texts)
    width = max(MIN_WIDTH, 2 * PAD + label_width + GAP + BAR_LENGTH + GAP + value_width,
                text_width(title, TITLE_SIZE) + 2 * PAD)
    top = TITLE_BAND if title else PAD
    height = top + ROW * len(values) + PAD
    bar_x = PAD + label_width + GAP

    content = repr((title, list(labels), values))
    element_id = element_id or "playbook-bars-" + hashlib.sha256(
        content.encode()).hexdigest()[:10]
    description = "; ".join(summary(label, value, total)
                            for label, value in zip(labels, values, strict=True))
    parts = open_svg("playbook-bars", element_id, width, height, title, description)
    for row, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        middle = top + ROW * row + ROW / 2
        length = BAR_LENGTH * value / largest
        baseline = num(middle + 0.35 * LABEL_SIZE)
        parts.append(
            f'<g class="playbook-bar-row">'
            f'<title>{escape(summary(label, value, total))}</title>'
            f'<text x="{num(bar_x - GAP)}" y="{baseline}" text-anchor="end" '
            f'font-size="{num(LABEL_SIZE)}" fill="currentColor">{escape(label)}</text>'
            f'<rect class="playbook-bars-bar" x="{num(bar_x)}" '
            f'y="{num(middle - BAR_HEIGHT / 2)}" width="{num(length)}" '
            f'height="{num(BAR_HEIGHT)}" fill="{attr(COLOR)}"/>'
            f'<text x="{num(bar_x + length + GAP)}" y="{baseline}" '
            f'font-size="{num(LABEL_SIZE)}" fill="currentColor">{escape(text)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)

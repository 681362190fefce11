"""Pie charts drawn as inline, accessible SVG: the ``questions-count`` chart in HTML.

It draws what sphinx-needs' ``needpie`` draws with matplotlib (same start angle,
direction, colours, hidden small wedges and forced legend), without matplotlib, whose
import alone costs about a second per build, and without a PNG a screen reader cannot
read: an SVG string to put straight into the HTML page. It scales with the page, uses
the site's font and text colour, works offline (no external reference of any kind),
and carries its data in ``<title>`` and ``<desc>`` for assistive technology, with
French number formatting.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["DEFAULT_COLORS", "render_pie_svg"]

#: matplotlib's default colour cycle (``axes.prop_cycle``), which needpie uses.
DEFAULT_COLORS: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)

#: A colour an author may give: a hex colour or a CSS colour name (letters only).
SAFE_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-zA-Z]+")

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

#: A wedge under 1/20 of the total (5 %) hides its texts and forces the legend on.
SMALL_WEDGE_RATIO = 20

LEGEND_HEADING = "Légende"
DEFAULT_TITLE = "Graphique"

# Geometry, in viewBox units (matplotlib's 8×4 in figure at 100 dpi is 800×400).
MIN_WIDTH = 800.0
RADIUS = 140.0
LABEL_DISTANCE = 1.1  # matplotlib's labeldistance
VALUE_DISTANCE = 0.6  # matplotlib's pctdistance
RING_MARGIN = 22.0  # room for half a label's height beyond the label ring
PAD = 16.0
TITLE_BAND = 48.0
LEGEND_GAP = 32.0

LABEL_SIZE = 14.0
VALUE_SIZE = 14.0
TITLE_SIZE = 18.0
LEGEND_SIZE = 13.0
LEGEND_LINE = 22.0
SWATCH = 14.0
#: Average advance of a character, in ems: a generous estimate for sans-serif fonts.
CHAR_WIDTH_EM = 0.6


@dataclass(frozen=True)
class Wedge:
    """One part of the pie: what it says, and the angles it spans (degrees, counter-clockwise
    from 3 o'clock, as in mathematics)."""

    index: int
    label: str
    size: float
    fraction: float
    color: str
    start: float
    end: float

    @property
    def name(self) -> str:
        """The label, or a generic name for an unlabelled wedge (for the text alternative)."""
        return self.label or f"Secteur {self.index + 1}"

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2

    @property
    def visible(self) -> bool:
        return self.size > 0

    def percent(self) -> str:
        return french_percent(100 * self.fraction)

    def count(self) -> str:
        return f"{self.size:.0f}"

    def summary(self) -> str:
        """``Label : 7 (41,2 %)``: the wedge for a screen reader or a tooltip."""
        return f"{self.name}{NBSP}: {self.count()} ({self.percent()})"


def french_percent(value: float) -> str:
    """``41,2 %``: one decimal, comma, narrow no-break space before the sign."""
    return f"{value:.1f}".replace(".", ",") + NARROW_NBSP + "%"


def num(value: float) -> str:
    """A coordinate rounded to 2 decimals, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def attr(value: str) -> str:
    """A value escaped for a double-quoted attribute."""
    return escape(value, {'"': "&quot;"})


def text_width(text: str, size: float) -> float:
    """Estimated width of a text: the SVG is laid out without measuring fonts."""
    return len(text) * size * CHAR_WIDTH_EM


def wedge_color(index: int, colors: Sequence[str] | None) -> str:
    """The author's colour for the wedge (cycled, like matplotlib), if it is a safe CSS
    colour token; otherwise matplotlib's default colour for that position."""
    fallback = DEFAULT_COLORS[index % len(DEFAULT_COLORS)]
    if not colors:
        return fallback
    given = colors[index % len(colors)].strip()
    return given if SAFE_COLOR.fullmatch(given) else fallback


def chart_values(labels: Sequence[str], sizes: Sequence[float],
                 chart: str) -> tuple[list[float], float]:
    """The sizes as floats, and their total; ValueError when labels and sizes differ in
    number, a size is negative or not finite, or every size is 0 (nothing to draw)."""
    if len(labels) != len(sizes):
        raise ValueError(f"{len(labels)} labels for {len(sizes)} sizes")
    values = [float(size) for size in sizes]
    if any(not math.isfinite(value) or value < 0 for value in values):
        raise ValueError(f"{chart} sizes must be finite and not negative")
    total = sum(values)
    if total <= 0:
        raise ValueError("nothing to draw: every size is 0")
    return values, total


def make_wedges(
    labels: Sequence[str], sizes: Sequence[float], colors: Sequence[str] | None
) -> list[Wedge]:
    """The wedges from 12 o'clock, counter-clockwise, in the given order."""
    values, total = chart_values(labels, sizes, "pie")
    wedges = []
    angle = 90.0  # matplotlib's startangle=90
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        sweep = 360 * value / total
        wedges.append(Wedge(index, label.strip(), value, value / total,
                            wedge_color(index, colors), angle, angle + sweep))
        angle += sweep
    return wedges


def is_small(wedge: Wedge, total: float) -> bool:
    """needpie hides the texts of a wedge under 5 % (or of 0) and shows the legend."""
    return wedge.size < total / SMALL_WEDGE_RATIO or wedge.size == 0


def polar(cx: float, cy: float, radius: float, degrees: float) -> tuple[float, float]:
    """A point at an angle counter-clockwise from 3 o'clock (SVG's y axis points down)."""
    theta = math.radians(degrees)
    return cx + radius * math.cos(theta), cy - radius * math.sin(theta)


def label_anchor(degrees: float) -> str:
    """Labels right of the centre start at their point, left of it end there."""
    x = math.cos(math.radians(degrees))
    if abs(x) < 0.05:
        return "middle"
    return "start" if x > 0 else "end"


def label_extent(wedge: Wedge) -> tuple[float, float]:
    """Horizontal span of a wedge's outside label, relative to the pie's centre."""
    x, _ = polar(0, 0, RADIUS * LABEL_DISTANCE, wedge.middle)
    width = text_width(wedge.label, LABEL_SIZE)
    anchor = label_anchor(wedge.middle)
    if anchor == "start":
        return x, x + width
    if anchor == "end":
        return x - width, x
    return x - width / 2, x + width / 2


def legend_entries(wedges: Sequence[Wedge], forced: bool) -> list[str]:
    """One entry a wedge; with percentage and count when small wedges hid theirs."""
    if forced:
        return [f"{wedge.name} {wedge.percent()} ({wedge.count()})" for wedge in wedges]
    return [wedge.name for wedge in wedges]


def legend_size(entries: Sequence[str]) -> tuple[float, float]:
    widest = max([text_width(LEGEND_HEADING, LEGEND_SIZE)]
                 + [SWATCH + 8 + text_width(entry, LEGEND_SIZE) for entry in entries])
    return widest + 2 * PAD, 2 * PAD + LEGEND_LINE * (len(entries) + 1)


def wedge_shape(wedge: Wedge, cx: float, cy: float) -> str:
    """The wedge's path (a circle when it is the whole pie), with its tooltip."""
    tooltip = f"<title>{escape(wedge.summary())}</title>"
    common = f'class="playbook-pie-wedge" fill="{attr(wedge.color)}" stroke="#fff" ' \
             f'stroke-width="1"'
    start = " ".join(map(num, polar(cx, cy, RADIUS, wedge.start)))
    end = " ".join(map(num, polar(cx, cy, RADIUS, wedge.end)))
    # an SVG arc cannot close on itself (equal ends draw no arc): a whole pie, or one so
    # close to it that its ends round to the same point, is a circle
    if wedge.fraction >= 1 or (start == end and wedge.fraction > 0.5):
        return (f'<circle {common} cx="{num(cx)}" cy="{num(cy)}" r="{num(RADIUS)}">'
                f"{tooltip}</circle>")
    large = 1 if wedge.fraction > 0.5 else 0
    # sweep-flag 0: counter-clockwise on screen, like matplotlib's counterclock=True
    d = (f"M {start} A {num(RADIUS)} {num(RADIUS)} 0 {large} 0 {end} "
         f"L {num(cx)} {num(cy)} Z")
    return f'<path {common} d="{d}">{tooltip}</path>'


def wedge_texts(wedge: Wedge, cx: float, cy: float) -> list[str]:
    """The label outside the wedge and the percentage and count inside it."""
    texts = []
    if wedge.label:
        x, y = polar(cx, cy, RADIUS * LABEL_DISTANCE, wedge.middle)
        texts.append(
            f'<text class="playbook-pie-label" x="{num(x)}" y="{num(y + 0.35 * LABEL_SIZE)}" '
            f'text-anchor="{label_anchor(wedge.middle)}" font-size="{num(LABEL_SIZE)}" '
            f'fill="currentColor">{escape(wedge.label)}</text>')
    middle = wedge.middle if wedge.fraction < 1 else 270.0
    x, y = polar(cx, cy, RADIUS * VALUE_DISTANCE, middle)
    line = 1.2 * VALUE_SIZE
    first = y - line / 2 + 0.35 * VALUE_SIZE
    texts.append(
        f'<text class="playbook-pie-value" text-anchor="middle" font-size="{num(VALUE_SIZE)}" '
        f'font-weight="bold" fill="#fff" stroke="#000" stroke-opacity="0.45" '
        f'stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
        f'<tspan x="{num(x)}" y="{num(first)}">{escape(wedge.percent())}</tspan>'
        f'<tspan x="{num(x)}" y="{num(first + line)}">({escape(wedge.count())})</tspan>'
        f"</text>")
    return texts


def legend_group(
    wedges: Sequence[Wedge], entries: Sequence[str], x: float, y: float,
    width: float, height: float,
) -> str:
    """The legend box: a heading, then a colour swatch and a text for each wedge."""
    parts = [
        '<g class="playbook-pie-legend">',
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}" '
        f'rx="4" fill="none" stroke="currentColor" stroke-opacity="0.3"/>',
        f'<text class="playbook-pie-legend-title" x="{num(x + PAD)}" '
        f'y="{num(y + PAD + LEGEND_LINE / 2 + 0.35 * LEGEND_SIZE)}" '
        f'font-size="{num(LEGEND_SIZE)}" font-weight="bold" fill="currentColor">'
        f"{escape(LEGEND_HEADING)}</text>",
    ]
    for row, (wedge, entry) in enumerate(zip(wedges, entries, strict=True), start=1):
        middle = y + PAD + LEGEND_LINE * row + LEGEND_LINE / 2
        parts.append(
            f'<g class="playbook-pie-legend-entry">'
            f'<rect x="{num(x + PAD)}" y="{num(middle - SWATCH / 2)}" width="{num(SWATCH)}" '
            f'height="{num(SWATCH)}" fill="{attr(wedge.color)}"/>'
            f'<text x="{num(x + PAD + SWATCH + 8)}" y="{num(middle + 0.35 * LEGEND_SIZE)}" '
            f'font-size="{num(LEGEND_SIZE)}" fill="currentColor">{escape(entry)}</text></g>')
    parts.append("</g>")
    return "".join(parts)


def chart_id(title: str, wedges: Sequence[Wedge], legend: bool) -> str:
    """An id derived from the content: the same chart gets the same id."""
    content = repr((title, legend, [(w.label, w.size, w.color) for w in wedges]))
    return "playbook-pie-" + hashlib.sha256(content.encode()).hexdigest()[:10]


def open_svg(css_class: str, element_id: str, width: float, height: float, title: str,
             description: str) -> list[str]:
    """The opening of an accessible chart: an ``<svg role="img">`` named by its
    ``<title>`` and described by its ``<desc>`` (what a screen reader says of it), then
    the visible title, if any, centred in the title band at the top."""
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{attr(css_class)}" '
        f'id="{attr(element_id)}" '
        f'role="img" aria-labelledby="{attr(title_id)}" aria-describedby="{attr(desc_id)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" width="100%" '
        f'style="max-width: {num(width)}px; height: auto; font-family: inherit" '
        f'font-family="inherit">',
        f'<title id="{attr(title_id)}">{escape(title or DEFAULT_TITLE)}</title>',
        f'<desc id="{attr(desc_id)}">{escape(description)}</desc>',
    ]
    if title:
        parts.append(
            f'<text class="{attr(css_class)}-title" x="{num(width / 2)}" '
            f'y="{num(TITLE_BAND / 2 + 0.35 * TITLE_SIZE)}" text-anchor="middle" '
            f'font-size="{num(TITLE_SIZE)}" font-weight="bold" fill="currentColor">'
            f"{escape(title)}</text>")
    return parts


def render_pie_svg(
    title: str,
    labels: Sequence[str],
    sizes: Sequence[float],
    colors: Sequence[str] | None = None,
    legend: bool = False,
    element_id: str = "",
) -> str:
    """The pie chart as an inline ``<svg>`` element, drawn like sphinx-needs' needpie.

    Wedges start at 12 o'clock and go counter-clockwise in the given order, sized by
    their share of the total. Each wedge of at least 5 % shows its label outside and its
    percentage and count inside; a smaller wedge shows neither and turns the legend on,
    whose entries then carry percentage and count. ``colors`` that are not a hex colour
    or a CSS colour name fall back to matplotlib's default colour for the position.

    The ``<svg>`` has ``role="img"``, a ``<title>`` (``title`` or "Graphique") and a
    ``<desc>`` listing every wedge; its id is ``element_id`` or one derived from the
    content, and the ids of the title and desc are that id plus ``-title`` and ``-desc``.

    Raises ValueError when there is nothing to draw (no sizes, or all 0), when a size is
    negative or not finite, or when labels and sizes differ in number.
    """
    if not sizes:
        raise ValueError("nothing to draw: no sizes")
    wedges = make_wedges(labels, sizes, colors)
    total = sum(wedge.size for wedge in wedges)
    small = [is_small(wedge, total) for wedge in wedges]
    forced = any(small)
    show_legend = legend or forced
    shown = [wedge for wedge, hidden in zip(wedges, small, strict=True) if not hidden]

    # horizontal layout: labels around the pie, then the legend on the right
    extents = [label_extent(wedge) for wedge in shown if wedge.label]
    left = min([-RADIUS] + [start for start, _ in extents])
    right = max([RADIUS] + [end for _, end in extents])
    entries = legend_entries(wedges, forced) if show_legend else []
    legend_width, legend_height = legend_size(entries) if show_legend else (0.0, 0.0)
    content = (right - left) + (LEGEND_GAP + legend_width if show_legend else 0.0)
    title_width = text_width(title, TITLE_SIZE) + 2 * PAD
    width = max(MIN_WIDTH, content + 2 * PAD, title_width)
    cx = (width - content) / 2 - left

    # vertical layout: the title band, then the pie and its label ring
    top = TITLE_BAND if title else PAD
    half = RADIUS * LABEL_DISTANCE + RING_MARGIN
    cy = top + half
    height = max(top + 2 * half, top + legend_height + PAD)

    element_id = element_id or chart_id(title, wedges, legend)
    description = "; ".join(wedge.summary() for wedge in wedges)
    parts = open_svg("playbook-pie", element_id, width, height, title, description)
    parts.append('<g class="playbook-pie-wedges">')
    parts.extend(wedge_shape(wedge, cx, cy) for wedge in wedges if wedge.visible)
    parts.append("</g>")
    parts.append('<g class="playbook-pie-texts">')
    for wedge in shown:
        parts.extend(wedge_texts(wedge, cx, cy))
    parts.append("</g>")
    if show_legend:
        legend_x = cx + right + LEGEND_GAP
        legend_y = max(top, cy - legend_height / 2)
        parts.append(legend_group(wedges, entries, legend_x, legend_y,
                                  legend_width, legend_height))
    parts.append("</svg>")
    return "".join(parts)

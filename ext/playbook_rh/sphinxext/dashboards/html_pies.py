"""sphinx-needs' ``needpie``, drawn as inline SVG in HTML builds.

sphinx-needs draws a needpie with matplotlib (whose import alone takes about a second
of every build) into an image file. For an HTML builder, this module counts the needs
exactly as sphinx-needs does (its own scope and filter functions, one count per line
of the directive) and puts the chart into the page as accessible SVG
(:mod:`playbook.pie_svg`), before sphinx-needs' handler. Pies with options that
only matplotlib draws (``explode``, ``shadow``, ``style``, ``text_color``, a
``filter-func``) and every other builder (LaTeX) are left to sphinx-needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx_needs.config import NeedsSphinxConfig
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.needpie import Needpie
from sphinx_needs.directives.utils import no_needs_found_paragraph
from sphinx_needs.filter_common import filter_needs_parts, filter_scope_ids

from playbook_rh.sphinxext.dashboards.pie_svg import render_pie_svg
from playbook_rh.sphinxext.typography import french, treats_french

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Options only matplotlib draws: a pie using any of them is left to sphinx-needs.
MATPLOTLIB_ONLY = ("explode", "shadow", "style", "text_color", "filter_func")


def _sizes(app: Sphinx, node: Needpie, config: NeedsSphinxConfig) -> list[float]:
    """One size per content line: a number as written, else the needs its filter finds
    (within the scope of the directive's own options), as sphinx-needs counts them."""
    attributes: Any = node.attributes
    data = SphinxNeedsData(app.env)
    scope = filter_scope_ids(
        data.get_needs_view(), config, status=attributes["status"],
        tags=attributes["tags"], types=attributes["types"], filter=attributes["filter"],
        location=node, origin_docname=attributes["docname"],
    )
    needs = data.get_needs_view().to_list_with_parts()
    sizes: list[float] = []
    for line in attributes["content"]:
        if line.isdigit():
            sizes.append(abs(float(line)))
            continue
        found = filter_needs_parts(needs, config, line, location=node,
                                   origin_docname=attributes["docname"])
        if scope is not None:
            found = [need for need in found if need["id_complete"] in scope]
        sizes.append(len(found))
    return sizes


def _draw(app: Sphinx, node: Needpie, config: NeedsSphinxConfig) -> None:
    """Replace ``node`` with its SVG; leave it to sphinx-needs when it is not ours to draw
    (decided before counting, so a filter's warnings are given once)."""
    attributes: Any = node.attributes
    content = attributes["content"]
    if not config.include_needs or not content or any(
        attributes.get(option) for option in MATPLOTLIB_ONLY
    ):
        return
    labels = attributes["labels"] or [""] * len(content)
    if len(labels) != len(content):
        return  # one label a line: sphinx-needs reports the mismatch its own way
    sizes = _sizes(app, node, config)
    if all(size == 0 for size in sizes):
        node.replace_self(no_needs_found_paragraph(attributes.get("filter_warning")))
        return
    typography = french if treats_french(app) else str
    svg = render_pie_svg(typography(attributes["title"]),
                         [typography(label.strip()) for label in labels], sizes,
                         colors=attributes["colors"], legend=attributes["legend"],
                         element_id=node["ids"][0] if node["ids"] else "")
    figure = nodes.raw("", svg, format="html")
    figure.line = attributes["lineno"]
    node.replace_self(figure)


def draw_needpies(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Draw the needpies of an HTML page as SVG (before sphinx-needs' own handler)."""
    if app.builder.format != "html":
        return
    found = list(doctree.findall(Needpie))
    if not found:
        return
    config = NeedsSphinxConfig(app.config)
    for node in found:
        _draw(app, node, config)


def setup_html_pies(app: Sphinx) -> None:
    # Before sphinx-needs' handler (default priority 500), which draws what is left.
    app.connect("doctree-resolved", draw_needpies, priority=450)

"""``questions-count``: how many questions each phase, owner role, status or tag has.

The optional argument is the chart's title. Options: the filters of :mod:`.options`,
``:by:`` (``phase``, the default, ``owner``, ``status`` or ``tag``: a question with
two owners counts for each), ``:chart:`` (``pie``, the default, or ``bars``) and
``:legend:``. In HTML the counts are an inline, accessible SVG chart
(:mod:`.pie_svg`, :mod:`.bars_svg`); other builders (LaTeX) get a plain table of the
same counts. Every value of the vocabulary is counted, 0 included (unless a filter on
the same field leaves it out); tags, those some question carries. Built when the page
is written, from the needs view; the page is written again when the counts change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives

from playbook_rh.core.vocabulary import Vocabulary
from playbook_rh.sphinxext import freshness, tables
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.dashboards.bars_svg import render_bars_svg
from playbook_rh.sphinxext.dashboards.options import DashboardDirective
from playbook_rh.sphinxext.dashboards.pie_svg import render_pie_svg
from playbook_rh.sphinxext.dashboards.selection import (
    GROUPINGS,
    DashboardItem,
    Filters,
    groups,
    recorded_items,
    recorded_vocabulary,
    select,
)
from playbook_rh.sphinxext.typography import french, treats_french

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from playbook_rh.sphinxext.domain import PlaybookDomain

CHARTS = ("pie", "bars")

#: The default title and the header of the counted column, by what is counted.
TITLES = {"phase": "Questions par phase", "owner": "Questions par responsable",
          "status": "Questions par état", "tag": "Questions par étiquette"}
HEADERS = {"phase": "Phase", "owner": "Responsable", "status": "État", "tag": "Étiquette"}

NOTHING = "Aucune question à compter."


class questions_count(nodes.General, nodes.Element):
    """Placeholder for a ``questions-count``, built when the page is written."""


class CountView(NamedTuple):
    """What a count shows, as read off its placeholder."""

    filters: Filters
    by: str


def view_of(node: nodes.Element) -> tuple[Any, ...]:
    return (Filters(*node["filters"]), node["by"])


def count_model(items: Sequence[DashboardItem], view: CountView,
                vocab: Vocabulary) -> list[tuple[str, int]]:
    """(label, number of questions) for each value counted, in the vocabulary's order."""
    chosen = select(items, view.filters, vocab)
    wanted = dict(zip(GROUPINGS, view.filters, strict=True))[view.by]
    return [(group.label, len(group.items))
            for group in groups(chosen, view.by, vocab, keep_empty=True)
            if group.items or not wanted or group.key in wanted]


def shows(domain: PlaybookDomain, arguments: tuple[Any, ...]) -> object:
    return count_model(recorded_items(domain), CountView(*arguments), recorded_vocabulary(domain))


def _table(node: questions_count, counts: list[tuple[str, int]], title: str) -> list[nodes.Node]:
    total = sum(count for _, count in counts)
    table, body = tables.table((HEADERS[node["by"]], "Questions", "Part"), (50, 20, 20),
                               "playbook-counts")
    table["classes"] += node["classes"]
    for label, count in counts:
        # a plain no-break space: U+202F is the web's; babel spaces LaTeX's punctuation
        share = f"{100 * count / total:.1f}".replace(".", ",") + "\u00a0%"
        body += tables.row([nodes.Text(label), nodes.Text(str(count)), nodes.Text(share)])
    return [nodes.rubric("", title), table]


def render(app: Sphinx, node: questions_count, items: Sequence[DashboardItem],
           element_id: str) -> list[nodes.Node]:
    """The chart (HTML) or table (other builders) of the counts; a sentence if none."""
    counts = count_model(items, CountView(*view_of(node)), vocabulary(app.config))
    title = node["title"] or TITLES[node["by"]]
    if not any(count for _, count in counts):
        return [nodes.paragraph("", NOTHING, classes=["playbook-counts-empty"])]
    if app.builder.format != "html":
        return _table(node, counts, title)
    typography: Callable[[str], str] = french if treats_french(app) else str
    labels = [typography(label) for label, _ in counts]
    sizes = [count for _, count in counts]
    if node["chart"] == "bars":
        svg = render_bars_svg(typography(title), labels, sizes, element_id=element_id)
    else:
        svg = render_pie_svg(typography(title), labels, sizes, legend=node["legend"],
                             element_id=element_id)
    return [nodes.raw("", svg, format="html", classes=node["classes"])]


class QuestionsCountDirective(DashboardDirective):
    """``questions-count``: see the module's docstring."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        **DashboardDirective.option_spec,
        "by": directives.unchanged,
        "chart": directives.unchanged,
        "legend": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        node = questions_count(
            filters=tuple(self.filters()),
            by=self.choice("by", GROUPINGS, "phase", "a field to count questions by"),
            chart=self.choice("chart", CHARTS, "pie", "a kind of chart"),
            legend="legend" in self.options,
            title=self.arguments[0].strip() if self.arguments else "",
            classes=self.options.get("class", []),
        )
        self.set_source_info(node)
        return [node]


def setup_questions_count(app: Sphinx) -> None:
    app.add_directive("questions-count", QuestionsCountDirective)
    app.add_node(questions_count)
    freshness.add_aggregate(questions_count, shows, view_of)

"""``questions-table``: the questions chosen by their fields, as a table.

Options: the filters of :mod:`.options` (``:phase:``, ``:owner:``, ``:status:``,
``:tag:``), ``:group-by:`` (``phase``, ``owner``, ``status`` or ``tag``: one table a
value, under a rubric) and ``:columns:`` (``id``, linked to the item, ``question``,
with its ``:applies:`` condition in words under it, ``phase``, ``owner``, ``status``,
``tags``, ``links``). The directive leaves a placeholder; the table is built when the
page is written, from the needs view, as plain docutils nodes every builder renders.
Its page is written again when the rows it shows change (:func:`shows`, from the
domain's records).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives

from playbook_rh.core.vocabulary import Vocabulary
from playbook_rh.sphinxext import freshness, tables
from playbook_rh.sphinxext.checklist.applies import Conditions, applies_note, conditions_of
from playbook_rh.sphinxext.checklist.parsing import split_list
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.dashboards.options import DashboardDirective
from playbook_rh.sphinxext.dashboards.selection import (
    GROUPINGS,
    DashboardItem,
    Filters,
    groups,
    recorded_items,
    recorded_vocabulary,
    select,
)
from playbook_rh.sphinxext.links import Where, reference_to
from playbook_rh.sphinxext.typography import ALREADY_TREATED, rules_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from playbook_rh.sphinxext.domain import PlaybookDomain

#: The columns a table can show, with their French header and relative width.
COLUMNS: dict[str, tuple[str, int]] = {
    "id": ("ID", 10),
    "question": ("Question", 50),
    "phase": ("Phase", 15),
    "owner": ("Responsables", 20),
    "status": ("État", 10),
    "tags": ("Étiquettes", 15),
    "links": ("Liens", 15),
}
DEFAULT_COLUMNS = ("id", "question", "owner")

#: What a table says when no question passes its filters.
NOTHING = "Aucune question."

#: A row: one value a column (``id`` and each link: the ID and the page it lives on).
Row = tuple[object, ...]


class questions_table(nodes.General, nodes.Element):
    """Placeholder for a ``questions-table``, built when the page is written."""


class TableView(NamedTuple):
    """What a table shows, as read off its placeholder."""

    filters: Filters
    group_by: str
    columns: tuple[str, ...]


def view_of(node: nodes.Element) -> tuple[Any, ...]:
    return (Filters(*node["filters"]), node["group_by"], tuple(node["columns"]))


def _value(item: DashboardItem, column: str, vocab: Vocabulary,
           pages: Mapping[str, str]) -> object:
    if column == "id":
        return (item.id, item.docname)
    if column == "question":
        return (item.title, item.applies)
    if column == "phase":
        phase = vocab.phases.get(item.phase)
        return phase.label if phase else item.phase
    if column == "owner":
        return tuple(vocab.owners.get(owner, owner) for owner in item.owners)
    if column == "status":
        return vocab.statuses.get(item.status, item.status)
    if column == "tags":
        return item.tags
    return tuple((target, pages.get(target, "")) for target in item.links)


def table_model(items: Sequence[DashboardItem], view: TableView,
                vocab: Vocabulary) -> list[tuple[str, list[Row]]]:
    """The rows the table shows, under the label of their group ("" ungrouped)."""
    pages = {item.id: item.docname for item in items}
    chosen = select(items, view.filters, vocab)
    grouped = ([(group.label, group.items) for group in groups(chosen, view.group_by, vocab)]
               if view.group_by else [("", chosen)])
    return [(label, [tuple(_value(item, column, vocab, pages) for column in view.columns)
                     for item in members])
            for label, members in grouped]


def shows(domain: PlaybookDomain, arguments: tuple[Any, ...]) -> object:
    return table_model(recorded_items(domain), TableView(*arguments), recorded_vocabulary(domain))


def _item_link(app: Sphinx, fromdocname: str, item_id: str, docname: str,
               seen: dict[str, Where]) -> nodes.Node:
    if not docname:
        return nodes.Text(item_id)
    return reference_to(app, fromdocname, docname, item_id, nodes.Text(item_id), seen=seen)


def _cell(app: Sphinx, fromdocname: str, column: str, value: Any,
          conditions: Conditions, seen: dict[str, Where],
          typography: Callable[[str], str]) -> nodes.Node:
    """A cell's content, its text with the page's typography applied (``typography``,
    once a distinct text: see :func:`render`)."""
    if column == "id":
        return _item_link(app, fromdocname, value[0], value[1], seen)
    if column == "question":
        title, applies = value
        words = conditions.words(applies) if applies else ""
        if not words:
            return nodes.Text(typography(title))
        # the condition on a line under the question (a block in HTML, after it on paper)
        return nodes.inline("", "", nodes.Text(typography(title)),
                            applies_note(typography(words)))
    if column == "links" and value:
        cell = nodes.inline()
        for index, (target, docname) in enumerate(value):
            if index:
                cell += nodes.Text(typography(", "))
            cell += _item_link(app, fromdocname, target, docname, seen)
        return cell
    if column == "links":
        return nodes.Text("")
    if isinstance(value, tuple):
        return nodes.Text(typography(", ".join(value)))
    return nodes.Text(typography(str(value)))


def render(app: Sphinx, node: questions_table, fromdocname: str,
           items: Sequence[DashboardItem]) -> list[nodes.Node]:
    """The table (or a table a group, each under its rubric), or a sentence if empty.

    The page's French typography is applied to each text as the table is built, and
    the table is marked so that the page's typography pass does not walk its
    thousands of rows again (an ID is never changed by it, nor is the space before a
    condition: the same text as the pass would give, see ``typography.py``).
    """
    view = TableView(*view_of(node))
    model = table_model(items, view, vocabulary(app.config))
    if not any(rows for _, rows in model):
        return [nodes.paragraph("", NOTHING, classes=["playbook-questions-empty"])]
    typography = rules_of(app)
    headers = [typography(COLUMNS[column][0]) for column in view.columns]
    widths = [COLUMNS[column][1] for column in view.columns]
    drawn: list[nodes.Node] = []
    conditions = conditions_of(app)
    seen: dict[str, Where] = {}  # the items' pages, as seen from this one
    for label, rows in model:
        if label:
            drawn.append(nodes.rubric("", label))
        # no-search: the questions are found on their own pages, not on every dashboard
        table, body = tables.table(headers, widths, "playbook-questions")
        table["classes"] += [*node["classes"], "no-search"]
        table[ALREADY_TREATED] = True
        for row in rows:
            body += tables.row([_cell(app, fromdocname, column, value, conditions, seen,
                                      typography)
                                for column, value in zip(view.columns, row, strict=True)])
        drawn.append(table)
    return drawn


class QuestionsTableDirective(DashboardDirective):
    """``questions-table``: see the module's docstring."""

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        **DashboardDirective.option_spec,
        "group-by": directives.unchanged,
        "columns": directives.unchanged,
    }

    def _columns(self) -> tuple[str, ...]:
        columns: list[str] = []
        for column in split_list(self.options.get("columns") or ""):
            if column not in COLUMNS:
                self.bad_value("columns", column, list(COLUMNS), "a column",
                               "the column is left out")
            elif column not in columns:
                columns.append(column)
        return tuple(columns) or DEFAULT_COLUMNS

    def run(self) -> list[nodes.Node]:
        node = questions_table(
            filters=tuple(self.filters()),
            group_by=self.choice("group-by", GROUPINGS, "", "a field to group questions by",
                                 "meanwhile, one table"),
            columns=self._columns(),
            classes=self.options.get("class", []),
        )
        self.set_source_info(node)
        return [node]


def setup_questions_table(app: Sphinx) -> None:
    app.add_directive("questions-table", QuestionsTableDirective)
    app.add_node(questions_table)
    freshness.add_aggregate(questions_table, shows, view_of)

"""A page as it is written: the extension fills in what depends on every page.

One walk over the resolved doctree finds the nodes to fill in (items, figures, figure
tables, progress reports, dashboards) and whether the page needs the checklists' script
(told to ``site/checklist_app.py``, which would walk the page again); then each concern
does its part, and the French typography runs last over everything, sphinx-needs'
tables included. Running after sphinx-needs'
own ``doctree-resolved`` handlers (priority 900) is what lets it see those tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from playbook_rh.sphinxext.checklist.item_links import add_item_links
from playbook_rh.sphinxext.checklist.items import complete_items
from playbook_rh.sphinxext.checklist.nodes import checklist_item
from playbook_rh.sphinxext.dashboards.questions_count import questions_count
from playbook_rh.sphinxext.dashboards.questions_table import questions_table
from playbook_rh.sphinxext.dashboards.writing import draw_dashboards
from playbook_rh.sphinxext.facts import fact, fact_list, resolve_facts
from playbook_rh.sphinxext.legal_review import resolve_review_lists, review_list
from playbook_rh.sphinxext.printing.downloads import add_download_link
from playbook_rh.sphinxext.run_report import render_run, run_report
from playbook_rh.sphinxext.site.checklist_app import APP_NODES, note_app_nodes
from playbook_rh.sphinxext.typography import apply_french_typography

if TYPE_CHECKING:
    from sphinx.application import Sphinx

FILLED_IN = (checklist_item, fact, fact_list, review_list, run_report, questions_table,
             questions_count)

#: What the walk looks for: the nodes to fill in, and those that need the app's script.
FOUND = (*FILLED_IN, *APP_NODES)


def collect(doctree: nodes.document) -> dict[type[nodes.Element], list[nodes.Element]]:
    found: dict[type[nodes.Element], list[nodes.Element]] = {kind: [] for kind in FOUND}
    stack: list[nodes.Element] = [doctree]
    while stack:
        element = stack.pop()
        for child in reversed(element.children):
            if isinstance(child, nodes.Element):
                if type(child) in found:
                    found[type(child)].append(child)
                stack.append(child)
    for kind_nodes in found.values():
        kind_nodes.reverse()  # document order
    return found


def write_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = collect(doctree)
    note_app_nodes(doctree, any(found[kind] for kind in APP_NODES))
    items = found[checklist_item]
    complete_items(app, items)
    add_item_links(app, items, docname)
    resolve_facts(app, found[fact], found[fact_list], docname)
    resolve_review_lists(app, found[review_list], docname)
    render_run(app, items, found[run_report], docname)
    draw_dashboards(app, found[questions_table], found[questions_count], docname)
    add_download_link(app, doctree, docname)
    apply_french_typography(app, doctree, docname)

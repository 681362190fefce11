"""Each item's links ("see also") and back-links ("linked from"), drawn when a page
is written, from the final needs data, so they follow every page's edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from playbook_rh.sphinxext.checklist.nodes import checklist_item
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.needs import needs_view

if TYPE_CHECKING:
    from sphinx.application import Sphinx

LINK_LABELS = (("links", "Voir aussi : "), ("links_back", "Citée par : "))


def add_item_links(app: Sphinx, items: list[checklist_item], fromdocname: str) -> None:
    if not items:
        return
    needs = needs_view(app)
    for item in items:
        need = needs.get(item["item_id"])
        if need is None:
            continue
        for field, label in LINK_LABELS:
            targets = [target for target in need[field] if target in needs]
            if not targets:
                continue
            line = nodes.paragraph(classes=[f"playbook-item-{field.replace('_', '-')}"])
            line += nodes.strong("", label)
            for position, target in enumerate(targets):
                if position:
                    line += nodes.Text(", ")
                target_need = needs[target]
                line += reference_to(app, fromdocname, target_need["docname"] or "", target,
                                     nodes.literal("", target), target_need["title"])
            item += line

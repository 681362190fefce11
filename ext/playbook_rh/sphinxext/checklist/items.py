"""What an item shows around its question, added when its page is written.

An item is read as its question (and guidance); its box, its ID link and its owner
line come from the item's own attributes and are added on the resolved page. A page
of checklists then keeps half the nodes through reading: every read transform walks
them, and every page's doctree is stored and loaded again, so fewer nodes there make
the whole build cheaper at thousands of items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from playbook_rh.sphinxext.checklist.applies import applies_line, conditions_of
from playbook_rh.sphinxext.checklist.nodes import checklist_checkbox, checklist_item
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.detached import holding

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def complete_items(app: Sphinx, items: list[checklist_item]) -> None:
    """Give each item its box and ID link (before the question), its owner line and,
    when it does not apply to every organisation, its condition in words."""
    if not items:
        return
    owner_labels = vocabulary(app.config).owners
    # Each node added below asks its new parent for the page's document, which asks
    # its own parent, up to the page: told once an item instead (what docutils would
    # find, and keeps: ``Node.document``), the nodes added cost a third less.
    document = items[0].document
    for item in items:
        item_id = item["item_id"]
        head = item[0]
        item.document = head.document = document
        head[0:0] = [
            checklist_checkbox(item_id=item_id),
            holding(nodes.reference(refid=item_id, classes=["playbook-item-id"],
                                     reftitle=f"Lien permanent vers {item_id}"),
                     nodes.Text(item_id)),
            nodes.Text(" "),
        ]
        owners = item.get("owners") or []
        if owners:
            item.insert(1, holding(
                nodes.paragraph(classes=["playbook-item-owner"]),
                holding(nodes.strong(), nodes.Text(
                    "Responsable : " if len(owners) == 1 else "Responsables : ")),
                nodes.Text(", ".join(owner_labels[owner] for owner in owners))))
        if item.get("applies"):
            words = conditions_of(app).words(item["applies"])
            if words:
                item.insert(2 if owners else 1, applies_line(words))

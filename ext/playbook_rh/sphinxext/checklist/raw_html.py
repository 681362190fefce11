"""Raw HTML in a question or its guidance: the site shows it, the PDFs drop it.

LaTeX prints no HTML, so a ``<br>``, an ``<abbr>`` or a ``<details>`` written in an item
would vanish from the printed playbook without a trace. MyST's own task-list boxes
(raw HTML too) are the exception: the LaTeX writer prints them as boxes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from playbook_rh.sphinxext.checklist.nodes import checklist_item


def is_printable(raw: nodes.raw) -> bool:
    """MyST's task-list checkbox, which the LaTeX writer prints as a box."""
    return 'type="checkbox"' in raw.astext()


def warn_raw_html(item_id: str, item_node: checklist_item, docname: str) -> None:
    """One warning per line of ``item_node`` holding raw HTML."""
    seen: set[int] = set()
    for raw in item_node.findall(nodes.raw):
        if "html" not in raw.get("format", "").split() or is_printable(raw):
            continue
        line = raw.line or item_node.line or 0
        if line in seen:
            continue
        seen.add(line)
        html = " ".join(raw.astext().split())
        shown = html if len(html) <= 40 else html[:37] + "..."
        warn(ChecklistWarning.RAW_HTML,
             f"item {item_id}: raw HTML {shown!r} shows on the site but vanishes from the PDF "
             "playbooks; write it in Markdown (emphasis, a list, a link) or as plain text",
             (docname, line))

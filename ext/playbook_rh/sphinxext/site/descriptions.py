"""Each page's description, for link previews and search engines: the page's
``og:description`` front matter, else its first real paragraph.

sphinxext-opengraph writes the tags; its own description is the page's first words,
headings and lists included (a checklist page's would start with its download link
and item IDs). This module gives it the description through its documented per-page
field (``og:description`` in the page's metadata), and writes the
``<meta name="description">`` from the same text, which opengraph then leaves alone.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

from playbook_rh.sphinxext.checklist.nodes import checklist

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The longest description, in characters (sphinxext-opengraph's default length).
DESCRIPTION_LENGTH = 200
#: A shorter first paragraph is a caption or a link line, not a description.
SHORTEST_PARAGRAPH = 60
#: The opengraph field a page's front matter (or this module) sets.
FIELD = "og:description"
#: Where a page's description is never taken from.
SKIPPED = (checklist, nodes.Admonition, nodes.table)
#: Paragraphs the build adds at the top of a page: the download link of its PDF, the
#: date of its legal review (a preview saying « Relecture juridique du … » tells nothing).
SKIPPED_CLASSES = frozenset({"playbook-download", "playbook-legal-review"})


def _plain(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def first_paragraph(doctree: nodes.document) -> str:
    """The page's first real paragraph of text (not one the build adds, not in a
    checklist, an admonition or a table), shortened; "" if it has none. One walk in document order
    that never enters those: a dashboard page's thousands of table paragraphs are not
    visited one by one."""
    stack: list[nodes.Node] = [doctree]
    while stack:
        node = stack.pop()
        if isinstance(node, SKIPPED):
            continue
        if isinstance(node, nodes.paragraph):
            if SKIPPED_CLASSES.intersection(node["classes"]):
                continue
            text = _plain(node.astext())
            if len(text) >= SHORTEST_PARAGRAPH:
                return _shorten(text)
            continue
        if isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))
    return ""


def describe_page(app: Sphinx, pagename: str, templatename: str,
                  context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Before opengraph's handler: the page's description in its metadata (a copy: the
    environment's own is left as read) and in a meta tag."""
    if doctree is None:
        return  # generated pages (search, index, 404): opengraph writes no tags either
    metadata = dict(context.get("meta") or {})
    if metadata.get(FIELD):
        description = _plain(str(metadata[FIELD]))
    else:
        description = first_paragraph(doctree) or _plain(
            app.config.html_title or app.config.project)
        # opengraph escapes only quotes in a field's value: the text is HTML already.
        metadata[FIELD] = html.escape(description, quote=False)
    context["meta"] = metadata
    tag = f'<meta name="description" content="{html.escape(description, quote=True)}" />'
    context["metatags"] = (context.get("metatags") or "") + "\n" + tag

"""Open Graph tags and a meta description on every page, from ``html_baseurl``."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _

from playbook_rh.sphinxext.checklist.nodes import checklist
from playbook_rh.sphinxext.site.urls import site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DESCRIPTION_LENGTH = 200

LOCALES = {"fr": "fr_FR", "en": "en_US", "de": "de_DE", "es": "es_ES", "it": "it_IT"}

def _plain(text: str) -> str:
    return " ".join(text.split())

def _shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"

def page_title(context: dict[str, Any], doctree: nodes.document | None) -> str:
    if doctree is not None:
        title = next(doctree.findall(nodes.title), None)
        if title is not None:
            return _plain(title.astext())
    title = _plain(html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or "")))
    # The index and search pages get their title from their template only.
    generated = {"genindex": _("Index"), "search": _("Search")}
    return title or generated.get(context.get("pagename", ""), "")

def page_description(app: Sphinx, doctree: nodes.document | None) -> str:
    """The page's first real paragraph of text (not a link line, not in a checklist, an
    admonition or a table). One walk in document order that never enters those: a
    dashboard page's thousands of table paragraphs are not visited one by one."""
    if doctree is not None:
        stack: list[nodes.Node] = [doctree]
        while stack:
            node = stack.pop()
            if isinstance(node, SKIPPED):
                continue
            if isinstance(node, nodes.paragraph):
                if "playbook-download" in node["classes"]:
                    continue
                text = _plain(node.astext())
                if len(text) >= 60:
                    return _shorten(text)
                continue
            if isinstance(node, nodes.Element):
                stack.extend(reversed(node.children))
    return _plain(app.config.html_title or app.config.project)


#: Where a page's description is never taken from.
SKIPPED = (checklist, nodes.Admonition, nodes.table)


def locale_of(language: str | None) -> str:
    language = (language or "en").replace("-", "_")
    return LOCALES.get(language, language)

def social_tags(app: Sphinx, pagename: str, context: dict[str, Any],
                doctree: nodes.document | None) -> str:
    site_name = _plain(app.config.html_title or app.config.project)
    title = page_title(context, doctree) or site_name
    description = page_description(app, doctree)
    url = context.get("pageurl") or site_url(app, pagename)
    kind = "website" if pagename == app.config.root_doc else "article"
    tags = [
        ("name", "description", description),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:type", kind),
        ("property", "og:locale", locale_of(app.config.language)),
        ("property", "og:site_name", site_name),
    ]
    if url:
        tags.append(("property", "og:url", url))
    return "".join(
        f'\n<meta {attribute}="{name}" content="{html.escape(value, quote=True)}">'
        for attribute, name, value in tags
    )

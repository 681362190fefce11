"""What a published site needs around the checklists: the checklists in the browser,
page weight, Open Graph, the sitemap, the 404 page, theme fixes, accent-insensitive
search. One module each; this one wires them to Sphinx's events."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from playbook_rh.sphinxext.site.checklist_app import (
    ChecklistProgressDirective,
    add_page_assets,
    checklist_progress,
    drop_progress_elsewhere,
    visit_progress_html,
    write_assets,
)
from playbook_rh.sphinxext.site.not_found import NOT_FOUND, not_found_page
from playbook_rh.sphinxext.site.opengraph import social_tags
from playbook_rh.sphinxext.site.page_weight import prune_assets
from playbook_rh.sphinxext.site.search import SearchFrenchFolded
from playbook_rh.sphinxext.site.sitemap import write_sitemap
from playbook_rh.sphinxext.site.theme_fixes import fix_theme_markup, note_build_start
from playbook_rh.sphinxext.site.urls import base_path, is_site

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: nodes.document | None) -> None:
    if not is_site(app):
        return
    add_page_assets(app, doctree)  # first: pruning copies the page's list of assets
    prune_assets(context)
    head = social_tags(app, pagename, context, doctree)
    if pagename == NOT_FOUND:
        # Served for any missing URL, at any depth: every relative link and asset of the
        # page (written as if at the site's root) resolves from the site's path. The
        # base must come before the first link, hence first in the metatags.
        head = (f'\n<base href="{html.escape(base_path(app), quote=True)}">'
                '\n<meta name="robots" content="noindex">' + head)
    context["metatags"] = head + (context.get("metatags") or "")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_site(app):
        return
    write_sitemap(app)
    fix_theme_markup(app)


def setup_site(app: Sphinx) -> None:
    """Register what the site needs in the browser; called from the extension's setup."""
    app.add_node(checklist_progress, html=(visit_progress_html, None))
    app.add_directive("checklist-progress", ChecklistProgressDirective)
    app.add_search_language(SearchFrenchFolded)
    app.connect("doctree-resolved", drop_progress_elsewhere)
    app.connect("write-started", write_assets)
    app.connect("html-collect-pages", not_found_page)
    # After the theme's own handler (Furo fills its context at the default priority).
    app.connect("html-page-context", on_page_context, priority=800)
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", on_build_finished)

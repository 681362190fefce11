"""What a published site needs around the checklists: the checklists in the browser,
page weight, page descriptions, theme fixes, accent-insensitive search. One module
each; this one wires them to Sphinx's events. The sitemap, the Open Graph tags and the
404 page come from sphinx-sitemap, sphinxext-opengraph and sphinx-notfound-page
(configured in conf.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playbook_rh.sphinxext.site.checklist_app import (
    ChecklistProgressDirective,
    add_page_assets,
    checklist_progress,
    drop_progress_elsewhere,
    visit_progress_html,
    write_assets,
)
from playbook_rh.sphinxext.site.descriptions import describe_page
from playbook_rh.sphinxext.site.page_weight import prune_assets
from playbook_rh.sphinxext.site.search import SearchFrenchFolded
from playbook_rh.sphinxext.site.sitemap_pages import add_unwritten_pages
from playbook_rh.sphinxext.site.theme_fixes import fix_theme_markup, note_build_start
from playbook_rh.sphinxext.site.urls import is_site

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: nodes.document | None) -> None:
    if not is_site(app):
        return
    add_page_assets(app, doctree)  # first: pruning copies the page's list of assets
    prune_assets(context)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_site(app):
        return
    fix_theme_markup(app)


def setup_site(app: Sphinx) -> None:
    """Register what the site needs in the browser; called from the extension's setup."""
    app.add_node(checklist_progress, html=(visit_progress_html, None))
    app.add_directive("checklist-progress", ChecklistProgressDirective)
    app.add_search_language(SearchFrenchFolded)
    app.connect("doctree-resolved", drop_progress_elsewhere)
    app.connect("write-started", write_assets)
    # Before sphinxext-opengraph's handler (default priority), which reads the description.
    app.connect("html-page-context", describe_page, priority=450)
    # After the theme's own handler (Furo fills its context at the default priority).
    app.connect("html-page-context", on_page_context, priority=800)
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", on_build_finished)
    # Before sphinx-sitemap writes sitemap.xml (default priority).
    app.connect("build-finished", add_unwritten_pages, priority=450)

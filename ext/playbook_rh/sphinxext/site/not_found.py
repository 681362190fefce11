"""A French ``404.html`` whose links and assets resolve from any depth."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from playbook_rh.sphinxext.site.urls import is_site
from playbook_rh.sphinxext.typography import french

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NOT_FOUND = "404"

def not_found_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if not is_site(app):
        return
    home = app.builder.get_target_uri(app.config.root_doc)
    search = app.builder.get_target_uri("search")
    body = f"""
<section id="page-introuvable">
<h1>Page introuvable</h1>
<p>{french("La page demandée n'existe pas, ou plus : elle a été déplacée ou renommée.")}</p>
<ul>
<li><a href="{html.escape(home)}">{french("Revenir à l'accueil du guide")}</a></li>
<li><a href="{html.escape(search)}">Rechercher dans le guide</a></li>
</ul>
</section>
"""
    yield NOT_FOUND, {"title": "Page introuvable", "body": body}, "page.html"

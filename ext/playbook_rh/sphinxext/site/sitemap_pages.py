"""Every page in sphinx-sitemap's ``sitemap.xml``, after an incremental build too.

sphinx-sitemap lists the pages written by the build that writes the sitemap (it
collects them as they are written): after an incremental build, only the pages that
changed (its open issue #13). The pages this build did not write are handed to it,
through its own page handler, before it writes the file. The only module that
imports sphinx_sitemap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playbook_rh.sphinxext.site.theme_fixes import build_started
from playbook_rh.sphinxext.site.urls import is_site

if TYPE_CHECKING:
    from sphinx.application import Sphinx

def add_unwritten_pages(app: Sphinx, exception: Exception | None) -> None:
    """Before sphinx-sitemap's build-finished handler: the pages this build left as they
    were (older than the build) go to the sitemap as if written now."""
    if exception is not None or not is_site(app) or "sphinx_sitemap" not in app.extensions:
        return
    import sphinx_sitemap

    started = build_started(app)
    unwritten = []
    for docname in sorted(app.env.found_docs):
        path = Path(app.builder.get_outfilename(docname))  # type: ignore[attr-defined]
        if path.is_file() and path.stat().st_mtime < started:
            unwritten.append(docname)
    for docname in unwritten:
        sphinx_sitemap.add_html_link(app, docname, "page.html", {}, None)

"""``sitemap.xml``: every page, with its address from ``html_baseurl``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from sphinx.util import logging

from playbook_rh.sphinxext.site.urls import site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

def write_sitemap(app: Sphinx) -> None:
    if not app.config.html_baseurl:
        logger.info("sitemap.xml not written: html_baseurl is not set")
        return
    urls = sorted(site_url(app, docname) for docname in app.env.found_docs)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{xml_escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    Path(app.outdir, "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")

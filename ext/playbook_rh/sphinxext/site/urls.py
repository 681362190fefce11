"""Where the site lives: which builders write one, and the absolute address of a
page (from ``html_baseurl``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders that write a browsable site (not singlehtml, epub, ...).
SITE_BUILDERS = frozenset({"html", "dirhtml"})

def is_site(app: Sphinx) -> bool:
    return app.builder.name in SITE_BUILDERS

def base_path(app: Sphinx) -> str:
    """The path of the site on its server, from html_baseurl ("/" by default)."""
    path = urlsplit(app.config.html_baseurl or "").path or "/"
    return path if path.endswith("/") else path + "/"

def site_url(app: Sphinx, pagename: str) -> str:
    baseurl = str(app.config.html_baseurl or "")
    if not baseurl:
        return ""
    if not baseurl.endswith("/"):
        baseurl += "/"
    return baseurl + app.builder.get_target_uri(pagename)

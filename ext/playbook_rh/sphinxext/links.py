"""Links drawn at write time, when every page's data is known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: Where a page is, seen from another: (URI, internal), or None (plain text).
Where = tuple[str, bool] | None


def _where(app: Sphinx, fromdocname: str, docname: str) -> Where:
    try:
        return app.builder.get_relative_uri(fromdocname, docname), True
    except NoUri:
        base = app.config.html_baseurl
        if not base:
            return None
        return f"{base.rstrip('/')}/{docname}.html", False


def reference_to(app: Sphinx, fromdocname: str, docname: str, anchor: str,
                 child: nodes.Node, title: str = "",
                 seen: dict[str, Where] | None = None) -> nodes.Node:
    """A reference from ``fromdocname`` to ``docname#anchor`` around ``child``.

    Where the builder cannot reach the page (a per-phase PDF holds only its phase),
    the reference points at the published site (``html_baseurl``), or is plain text
    if no site is configured. ``seen`` keeps the URIs already worked out from
    ``fromdocname`` (a table linking thousands of items on a hundred pages).
    """
    if seen is None:
        where = _where(app, fromdocname, docname)
    elif docname in seen:
        where = seen[docname]
    else:
        where = seen[docname] = _where(app, fromdocname, docname)
    if where is None:
        return child
    uri, internal = where
    reference = nodes.reference("", "", refuri=f"{uri}#{anchor}" if anchor else uri,
                                internal=internal)
    if title:
        reference["reftitle"] = title
    reference += child
    return reference

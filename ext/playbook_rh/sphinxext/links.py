"""Links drawn at write time, when every page's data is known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def reference_to(app: Sphinx, fromdocname: str, docname: str, anchor: str,
                 child: nodes.Node, title: str = "") -> nodes.Node:
    """A reference from ``fromdocname`` to ``docname#anchor`` around ``child``.

    Where the builder cannot reach the page (a per-phase PDF holds only its phase),
    the reference points at the published site (``html_baseurl``), or is plain text
    if no site is configured.
    """
    try:
        uri = app.builder.get_relative_uri(fromdocname, docname)
        internal = True
    except NoUri:
        base = app.config.html_baseurl
        if not base:
            return child
        uri = f"{base.rstrip('/')}/{docname}.html"
        internal = False
    reference = nodes.reference("", "", refuri=f"{uri}#{anchor}" if anchor else uri,
                                internal=internal)
    if title:
        reference["reftitle"] = title
    reference += child
    return reference

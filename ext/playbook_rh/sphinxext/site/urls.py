"""Which builders write a browsable site."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders that write a browsable site (not singlehtml, epub, ...).
SITE_BUILDERS = frozenset({"html", "dirhtml"})

def is_site(app: Sphinx) -> bool:
    return app.builder.name in SITE_BUILDERS

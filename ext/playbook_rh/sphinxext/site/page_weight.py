"""Page weight: scripts and stylesheets of sphinx-needs and sphinx-design are left
out of pages that do not use them (they are most of a page's weight; a checklist
page stays under 300 KB)."""

from __future__ import annotations

import os
import posixpath
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

#: Scripts and stylesheets a page does without unless its body holds one of the markers;
#: each marker with the text any match of it holds (looked for first: a page of
#: thousands of rows is searched by ``in`` rather than by the pattern).
OPTIONAL_ASSETS: tuple[tuple[re.Pattern[str], tuple[str, ...], frozenset[str]], ...] = (
    # jQuery and what runs on it: need boxes' collapse buttons, JSON data viewers,
    # DataTables. The checklist items are needs rendered without a need box.
    (re.compile(r"needs_collapse|sdv-data|no_link|NEEDS_DATATABLES|needs_datatables"),
     ("needs_collapse", "sdv-data", "no_link", "NEEDS_DATATABLES", "needs_datatables"),
     frozenset({"jquery.js", "_sphinx_javascript_frameworks_compat.js",
                "jsonview.bundle.js", "jsonview_loader.js", "jsonview.bundle.css",
                "sphinx_needs_collapse.js"})),
    # sphinx-design's grids, cards and tabs.
    (re.compile(r'class="[^"]*\bsd-'), ("sd-",),
     frozenset({"sphinx-design.min.css", "design-tabs.js"})),
    # Pygments' colours (light and dark), for highlighted code only.
    (re.compile(r'class="[^"]*\bhighlight'), ("highlight",), frozenset({"pygments.css"})),
)


def _marked(body: str, marker: re.Pattern[str], held: tuple[str, ...]) -> bool:
    return any(text in body for text in held) and marker.search(body) is not None

def _basename(asset: Any) -> str:
    return posixpath.basename(os.fspath(getattr(asset, "filename", asset) or ""))

def prune_assets(context: dict[str, Any]) -> None:
    body = context.get("body") or ""
    unused: set[str] = set()
    for marker, held, names in OPTIONAL_ASSETS:
        if not _marked(body, marker, held):
            unused |= names
    for key in ("script_files", "css_files"):
        if key in context:
            # A new list: the builder's own is shared by every page.
            context[key] = [asset for asset in context[key] if _basename(asset) not in unused]

"""Checklists pulled into a page by ``{include}``: where their items really are.

An included file's items are read as part of the including page, but their lines are
the included file's: a warning must name that file, and an ID repeated because the
file is included twice must say so, with the lines that include it. The directive
notes each included item here (kept per page, purged and merged like the domain's
records); the checks and the warnings read it back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinx.environment.collectors import EnvironmentCollector

from playbook_rh.sphinxext.warnings_ import relocated

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from playbook_rh.sphinxext.domain import ItemRecord

ATTRIBUTE = "playbook_included_items"
#: An include directive of MyST (fenced) or reStructuredText, and the path it names.
INCLUDE_LINE = re.compile(
    r"^\s*(?:(?:`{3,}|~{3,}|:{3,})\s*\{include\}|\.\.\s+include::)\s+(?P<path>\S.*?)\s*$")


class IncludedItem(NamedTuple):
    id: str
    lineno: int
    source: str
    """The absolute path of the file the item is written in."""


def _included(env: BuildEnvironment) -> dict[str, list[IncludedItem]]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    included: dict[str, list[IncludedItem]] = getattr(env, ATTRIBUTE)
    return included


def note_included_item(env: BuildEnvironment, item_id: str, lineno: int, source: str) -> None:
    _included(env).setdefault(env.docname, []).append(IncludedItem(item_id, lineno, source))


def source_of(env: BuildEnvironment, record: ItemRecord) -> str | None:
    """The file an item is written in when it is not its page's own source."""
    for item in _included(env).get(record.docname, []):
        if (item.id, item.lineno) == (record.id, record.lineno):
            return item.source
    return None


def location_of(env: BuildEnvironment, record: ItemRecord) -> str | tuple[str, int]:
    """Where a warning about an item points: its page and line, or the included file's."""
    source = source_of(env, record)
    return f"{source}:{record.lineno}" if source else (record.docname, record.lineno)


def including_lines(env: BuildEnvironment, docname: str, source: str) -> list[int]:
    """The lines of page ``docname`` that include the file ``source``."""
    page = Path(env.doc2path(docname))
    try:
        lines = page.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for number, line in enumerate(lines, start=1):
        match = INCLUDE_LINE.match(line)
        if match is None:
            continue
        named = match["path"].strip("<>")
        path = Path(env.srcdir, named.lstrip("/")) if named.startswith("/") else page.parent / named
        if os.path.normpath(path) == os.path.normpath(source):
            found.append(number)
    return found


@contextmanager
def read_from(directive_source: str | None, env: BuildEnvironment) -> Iterator[None]:
    """While a directive of an included file runs, its warnings name that file."""
    page = str(env.doc2path(env.docname))
    if directive_source and os.path.normpath(directive_source) != os.path.normpath(page):
        with relocated(env.docname, directive_source):
            yield
    else:
        yield


class IncludedItemsCollector(EnvironmentCollector):
    """Keeps the included items per page: purged when it is read again, merged from
    parallel workers."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _included(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str],
                    other: BuildEnvironment) -> None:
        theirs = _included(other)
        for docname in docnames:
            if docname in theirs:
                _included(env)[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """The directive notes the items as it reads them."""


def setup_includes(app: Sphinx) -> dict[str, Any]:
    app.add_env_collector(IncludedItemsCollector)
    return {}

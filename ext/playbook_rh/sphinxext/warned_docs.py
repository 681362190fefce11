"""A strict build that failed on an author's mistake fails again, unchanged.

Sphinx reads a page again only when it changed, and checks the pages against each
other only when one was read: a second ``make html`` with nothing changed would print
no warning and exit 0 (issue 14, item 9). So the build remembers which documents
warned (while being read, checked or written: any warning located in the document or
in a file it includes, silenced subtypes left out), and reads them again in the next
build. The warnings then come out of the same code as the first time, with the same
text, location, type and subtype, and ``-W`` fails the same way, in serial and
parallel (``-j``) builds alike. A build with no warning costs nothing.

The list is kept in ``playbook-warned.json`` beside Sphinx's pickled environment
(which Sphinx saves before writing the pages, too early to hold what writing warned
about). Warnings that name no document but came up while reading or checking (a phase
without questions, located in ``conf.py``) have the root document read again, which is
what makes Sphinx run its consistency checks again; one that came up while a parallel
worker read pages, naming no document (rare), has every page read again.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.util import logging as sphinx_logging
from sphinx.util.build_phase import BuildPhase

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STATE_FILE = "playbook-warned.json"


class WarnedDocuments(logging.Handler):
    """Notes, for every warning the build emits, the document it is about."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(level=logging.WARNING)
        self.app = app
        self.warned: set[str] = set()
        self.read: set[str] = set()
        self.unlocated = ""
        """"check" (read the root document again) or "read" (read every document)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._note(record)
        except Exception:  # a handler never breaks the build it watches
            self.handleError(record)

    def _note(self, record: logging.LogRecord) -> None:
        config = self.app.config
        kind, subtype = getattr(record, "type", None), getattr(record, "subtype", None)
        if kind and sphinx_logging.is_suppressed_warning(
                kind, subtype or "", config.suppress_warnings):
            return
        env = getattr(self.app, "env", None)
        if env is None:
            return
        docnames = documents_of(env, getattr(record, "location", None))
        if docnames:
            self.warned |= docnames
        elif self.app.phase is BuildPhase.READING:
            current = env.temp_data.get("docname")
            if current:
                self.warned.add(current)
            else:  # replayed from a parallel worker
                self.unlocated = "read"
        elif self.app.phase is BuildPhase.CONSISTENCY_CHECK and not self.unlocated:
            self.unlocated = "check"


def documents_of(env: BuildEnvironment, location: Any) -> set[str]:
    """The documents a warning's location belongs to: the document itself, or those
    including the file it names."""
    path: str | None = None
    if isinstance(location, tuple) and location:
        return {str(location[0])} if location[0] else set()
    if isinstance(location, nodes.Node):
        path = get_source_line(location)[0]
    elif isinstance(location, str) and location:
        if ":" not in location and location in env.all_docs:
            return {location}
        path, _, line = location.rpartition(":")
        if not line.isdigit() and line:
            path = location
        path = path or location
    if not path:
        return set()
    path = path.split(":docstring of", 1)[0]
    docname = env.path2doc(path)
    if docname is not None and docname in env.found_docs:
        return {docname}
    target = Path(env.srcdir, path)
    return {name for name, files in env.dependencies.items()
            if any(Path(file) == target for file in files)}


def _state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir, STATE_FILE)


def _previous(app: Sphinx) -> tuple[set[str], str]:
    try:
        state = json.loads(_state_path(app).read_text(encoding="utf-8"))
        return set(state.get("documents", [])), str(state.get("unlocated", ""))
    except (OSError, ValueError, AttributeError, TypeError):
        return set(), ""


def _handler(app: Sphinx) -> WarnedDocuments:
    handler: WarnedDocuments = app._playbook_warned  # type: ignore[attr-defined]
    return handler


def start_watching(app: Sphinx) -> None:
    logger = logging.getLogger(sphinx_logging.NAMESPACE)
    for stale in [h for h in logger.handlers if isinstance(h, WarnedDocuments)]:
        logger.removeHandler(stale)  # of an application that was never built
    handler = WarnedDocuments(app)
    app._playbook_warned = handler  # type: ignore[attr-defined]
    logging.getLogger(sphinx_logging.NAMESPACE).addHandler(handler)


def read_again(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
               removed: Set[str]) -> list[str]:
    """The documents that warned in the last build, so that they warn again."""
    documents, unlocated = _previous(app)
    if unlocated == "read":
        return sorted(env.found_docs)
    again = documents & env.found_docs
    if unlocated and app.config.root_doc in env.found_docs:
        again.add(app.config.root_doc)
    return sorted(again)


def note_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _handler(app).read.update(docnames)


def remember(app: Sphinx, exception: Exception | None) -> None:
    """Save which documents warned; those not read this time keep their mark."""
    handler = _handler(app)
    logging.getLogger(sphinx_logging.NAMESPACE).removeHandler(handler)
    previous, unlocated = _previous(app)
    documents = (previous - handler.read) | handler.warned
    if exception is None or handler.unlocated == "read":
        unlocated = handler.unlocated
    else:
        unlocated = unlocated or handler.unlocated
    path = _state_path(app)
    if not documents and not unlocated:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"documents": sorted(documents), "unlocated": unlocated}),
                         encoding="utf-8")
    temporary.replace(path)


def setup_warned_docs(app: Sphinx) -> None:
    app.connect("builder-inited", start_watching)
    app.connect("env-get-outdated", read_again)
    app.connect("env-before-read-docs", note_read)
    app.connect("build-finished", remember)

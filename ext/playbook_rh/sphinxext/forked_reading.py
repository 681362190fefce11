"""What a forked reader of a parallel (``-j``) build sends back: only what it read.

Sphinx's parallel reader forks one process per chunk of pages, and each sends its whole
environment back, pickled; the main process unpickles it and merges the chunk's pages
from it. A process forked after other chunks were merged holds their data too (it
inherited the main process's environment), and sends it back for nothing: the main
process unpickles it and the merge skips it. With thousands of items, that is about
twice the needs of the whole site, unpickled one chunk after the other.

A store of data per page (or per ID) is handed to :func:`send_back_only_read` in each
forked reader, before its first page is read: it then pickles as a plain ``dict`` of the
entries the reader added or replaced, and nothing else. While the reader runs, the store
holds everything as before (an ID taken by an earlier chunk is still seen as taken), so
the pages read, the warnings and the merge are the same; only the pickle is smaller.

Each forked reader also sets what it inherited aside from the garbage collector
(``gc.freeze()``, as Python's documentation advises before forking): its full collections
would otherwise walk the merged chunks' needs and records again and again, and touch
(so copy) the memory pages it shares with the main process. The reader ends once its
pages are sent back; nothing of what it inherited is garbage to collect there.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Set in each forked reader: what runs there, before the first page is read.
OnForkedReader = Callable[["Sphinx", "BuildEnvironment"], None]

_MISSING = object()


class SentBackOnlyRead(dict[Any, Any]):
    """A store as a forked reader inherited it: pickles as the plain ``dict`` of the
    entries added or replaced since (compared by identity with the inherited ones)."""

    def __init__(self, inherited: dict[Any, Any]) -> None:
        super().__init__(inherited)
        self.inherited = inherited

    def __reduce__(self) -> tuple[type[dict[Any, Any]], tuple[dict[Any, Any]]]:
        inherited = self.inherited
        return dict, ({key: value for key, value in self.items()
                       if inherited.get(key, _MISSING) is not value},)


def send_back_only_read(store: dict[Any, Any]) -> SentBackOnlyRead:
    """The store to put in place of ``store`` in a forked reader."""
    return SentBackOnlyRead(store)


#: Per application: the main process's id while pages are read, and what to run in
#: each forked reader.
_main_process: WeakKeyDictionary[Sphinx, int] = WeakKeyDictionary()
_handlers: WeakKeyDictionary[Sphinx, list[OnForkedReader]] = WeakKeyDictionary()
_prepared: WeakKeyDictionary[Sphinx, int] = WeakKeyDictionary()


def on_forked_reader(app: Sphinx, handler: OnForkedReader) -> None:
    """Run ``handler(app, env)`` in each forked reader, before it reads its first page."""
    if app not in _handlers:
        _handlers[app] = []
        app.connect("env-before-read-docs", _note_main_process)
        app.connect("source-read", _prepare_forked_reader, priority=0)
    _handlers[app].append(handler)


def _note_main_process(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _main_process[app] = os.getpid()


def _prepare_forked_reader(app: Sphinx, docname: str, source: list[str]) -> None:
    """At each page read (one ``getpid()``): the first page of a forked reader runs the
    handlers, once in that process."""
    pid = os.getpid()
    if pid == _main_process.get(app, pid) or _prepared.get(app) == pid:
        return
    _prepared[app] = pid
    gc.freeze()
    for handler in _handlers.get(app, ()):
        handler(app, app.env)

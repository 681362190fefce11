"""The one door to sphinx-needs: every other module talks to this one.

What it relies on:

- **documented** (``sphinx_needs.api``): ``add_need``, ``add_need_type``,
  ``add_field``, ``get_needs_view``, ``del_need`` and ``InvalidNeedException``; the
  extension is set up with ``app.setup_extension("sphinx_needs")``. needs.json is read
  with ``ub_needs_exchange`` (:mod:`playbook_rh.core.questions`), not through here.
- **user-facing names**: the directive names of sphinx-needs' aggregates
  (``needtable``, ``needpie``, ...), looked up and wrapped through Sphinx's and
  docutils' public directive registry, so their pages are written again when any
  page changes (sphinx-needs leaves them stale, upstream #354).
- **one internal, behind a switch**: sphinx-needs has no documented way to forget the
  needs of a page before it is read again. ``SphinxNeedsData.remove_doc`` does it in
  one pass; when a release moves it, or ``playbook_needs_internals = False``, the
  documented ``del_need`` removes the page's items one ID at a time instead (pages
  sharing an ID are read again together, so no other page's copy is lost). The first
  is a speed-up only; both give the same build.
- **with that internal, one more speed-up**: sphinx-needs forgets a page's needs again
  at ``env-purge-doc``, just before the page is read, walking every need each time
  (quadratic in a full build). With ``remove_doc`` in use, its handler
  (``sphinx_needs.directives.need.purge_needs``, found in Sphinx's list of listeners)
  is replaced by one that skips the pages already forgotten in this pass, and purges
  the others (removed pages) as before. If either name moved, sphinx-needs' handler
  simply stays: same build, slower.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary, WeakSet

from docutils.parsers.rst import directives
from docutils.parsers.rst.languages import en as rst_english
from sphinx.util.docutils import is_directive_registered
from sphinx.util.logging import suppress_logging
from sphinx_needs.api import (
    InvalidNeedException,
    add_field,
    add_need,
    add_need_type,
    del_need,
    get_needs_view,
)

from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

#: A need as sphinx-needs hands it out (read-only; fields by key: ``need["id"]``).
Need = Any

#: sphinx-needs' directives whose output depends on other pages' needs.
AGGREGATE_DIRECTIVES = ("needtable", "needpie", "needbar", "needlist", "needflow",
                        "needgantt", "needsequence", "needextract", "needreport",
                        "needuml", "needarch")


class NeedRejected(Exception):
    """sphinx-needs refused a need; ``kind`` is its reason (``duplicate_id``, ...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def setup_needs(app: Sphinx) -> None:
    """Set sphinx-needs up; first, since its ``setup()`` resets its registry."""
    app.setup_extension("sphinx_needs")


def declare_need_type(app: Sphinx, directive: str, title: str, prefix: str,
                      color: str, style: str) -> None:
    add_need_type(app, directive, title, prefix, color, style)


def declare_field(name: str, description: str, schema: Any) -> None:
    add_field(name, description, schema=schema)


def add_question(app: Sphinx, state: Any, docname: str, lineno: int,
                 **fields: Any) -> list[nodes.Node]:
    """One need through ``add_need``; :class:`NeedRejected` when sphinx-needs refuses it."""
    try:
        return add_need(app, state, docname, lineno, **fields)
    except InvalidNeedException as error:
        raise NeedRejected(str(error.type), str(error.message)) from None


def needs_view(app: Sphinx) -> Mapping[str, Need]:
    """Every need, resolved and read-only (write phase only: it freezes the needs)."""
    return get_needs_view(app)


def watch_aggregate_directives(app: Sphinx,
                               on_use: Callable[[BuildEnvironment], None]) -> None:
    """Call ``on_use`` whenever a page uses one of sphinx-needs' aggregates."""
    for name in AGGREGATE_DIRECTIVES:
        if not is_directive_registered(name):
            continue  # not in this sphinx-needs release: nothing to watch
        found, _messages = directives.directive(name, rst_english, None)
        if not isinstance(found, type):
            continue

        class Watched(found):  # type: ignore[misc, valid-type]
            def run(self: SphinxDirective) -> list[nodes.Node]:
                on_use(self.env)
                return super().run()  # type: ignore[misc, no-any-return]

        Watched.__name__ = Watched.__qualname__ = f"Watched{found.__name__}"
        app.add_directive(name, Watched, override=True)


def forget_page_needs(app: Sphinx, pages: Mapping[str, Iterable[str]]) -> None:
    """Forget the needs of pages about to be read again; ``pages`` maps each page to
    the IDs of its items as last read. A serial build purges and reads one page at a
    time: without this, a duplicate ID could keep the copy of a page being changed."""
    remove_doc = _remove_doc(app)
    _forgotten[app] = set(pages) if remove_doc is not None else set()
    for docname, item_ids in pages.items():
        if remove_doc is not None:
            remove_doc(docname)
            continue
        # del_need warns about an ID it does not hold (an item refused as a duplicate):
        # expected here, so its notices are not shown while the page's items go.
        with suppress_logging():
            for item_id in item_ids:
                del_need(app, item_id)


#: The internal this module uses: module, class, method (see the module's docstring).
REMOVE_DOC = ("sphinx_needs.data", "SphinxNeedsData", "remove_doc")

#: Applications already told that the internal moved (told once per build).
_told: WeakSet[Sphinx] = WeakSet()


def _remove_doc(app: Sphinx) -> Callable[[str], None] | None:
    """``SphinxNeedsData(env).remove_doc``, or None: switched off, or moved (said once,
    as a located warning; the documented fallback then does the work)."""
    if not app.config.playbook_needs_internals:
        return None
    module, class_name, method = REMOVE_DOC
    try:
        data_class = getattr(importlib.import_module(module), class_name)
        remove: Callable[[str], None] = getattr(data_class(app.env), method)
    except (ImportError, AttributeError) as error:
        if app not in _told:
            _told.add(app)
            warn(ChecklistWarning.NEEDS_INTERNALS,
                 f"this sphinx-needs release has no {module}.{class_name}.{method} ({error}); "
                 "the playbook uses sphinx-needs' documented del_need instead (same build, "
                 "slower). Set playbook_needs_internals = False in conf.py to silence this",
                 f"{Path(app.confdir, 'conf.py')}:1")
        return None
    return remove


#: sphinx-needs' ``env-purge-doc`` handler (module, function; see the module's docstring).
PURGE_HANDLER = ("sphinx_needs.directives.need", "purge_needs")

#: Per application, the pages whose needs :func:`forget_page_needs` removed in this pass.
_forgotten: WeakKeyDictionary[Sphinx, set[str]] = WeakKeyDictionary()


def _purge_unless_forgotten(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if docname in _forgotten.get(app, ()):
        return  # forgotten at env-before-read-docs; nothing of it was read since
    remove_doc = _remove_doc(app)
    if remove_doc is not None:
        remove_doc(docname)


def _end_of_pass(app: Sphinx, env: BuildEnvironment) -> None:
    _forgotten.pop(app, None)  # the next build's removed pages are purged in full


def skip_repeated_purges(app: Sphinx) -> None:
    """Replace sphinx-needs' per-page purge by :func:`_purge_unless_forgotten`, when the
    internal ``remove_doc`` is in use (at ``builder-inited``: the switch is read then)."""
    if _remove_doc(app) is None:
        return
    module, name = PURGE_HANDLER
    try:
        handler = getattr(importlib.import_module(module), name)
        listeners = app.events.listeners["env-purge-doc"]
    except (ImportError, AttributeError, KeyError):
        return  # moved: sphinx-needs' own purge stays (same build)
    for listener in list(listeners):
        if getattr(listener, "handler", None) is handler:
            app.disconnect(listener.id)
            app.connect("env-purge-doc", _purge_unless_forgotten, priority=listener.priority)
            app.connect("env-updated", _end_of_pass)

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
- **two more internals, behind the same switch, for ``-j`` builds**: sphinx-needs keeps
  the needs and their nodes in dicts on the environment, which each forked reader
  pickles back whole, those of the chunks merged before it was forked included. Found
  through ``SphinxNeedsData``'s properties ``_env_needs`` and ``_needs_all_nodes`` (the
  environment's attribute is the one holding that very dict), each reader's copy is made
  to send back only the needs it read (:mod:`~playbook_rh.sphinxext.forked_reading`);
  sphinx-needs' merge (``env-merge-info``) skipped the others anyway. If they moved, said
  once: each reader sends back everything, as without the playbook.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

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

from playbook_rh.sphinxext.forked_reading import on_forked_reader, send_back_only_read
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

#: Per application, the internals already said to have moved (said once per build).
_told: WeakKeyDictionary[Sphinx, set[str]] = WeakKeyDictionary()


def _moved(app: Sphinx, name: str, error: Exception, fallback: str) -> None:
    """Say once per build, as a located warning, that an internal moved."""
    told = _told.setdefault(app, set())
    if name in told:
        return
    told.add(name)
    warn(ChecklistWarning.NEEDS_INTERNALS,
         f"this sphinx-needs release has no {name} ({error}); {fallback}. "
         "Set playbook_needs_internals = False in conf.py to silence this",
         f"{Path(app.confdir, 'conf.py')}:1")


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
        _moved(app, f"{module}.{class_name}.{method}", error,
               "the playbook uses sphinx-needs' documented del_need instead (same build, "
               "slower)")
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


#: sphinx-needs' stores of what was read, on the environment: the needs by ID and their
#: nodes (module, class, the properties that hand them out; see the module's docstring).
NEEDS_STORES = ("sphinx_needs.data", "SphinxNeedsData", ("_env_needs", "_needs_all_nodes"))


def _stores(app: Sphinx, env: BuildEnvironment) -> list[tuple[str, dict[str, Any]]]:
    """``(attribute of env, store)`` for each of :data:`NEEDS_STORES`; raises
    AttributeError or ImportError when sphinx-needs moved one."""
    module, class_name, properties = NEEDS_STORES
    data = getattr(importlib.import_module(module), class_name)(env)
    found = []
    for name in properties:
        store = getattr(data, name)
        attribute = next((key for key, value in vars(env).items() if value is store), None)
        if not isinstance(store, dict) or attribute is None:
            raise AttributeError(f"{class_name}.{name} is not a dict kept on the environment")
        found.append((attribute, store))
    return found


def _send_back_only_read_needs(app: Sphinx, env: BuildEnvironment) -> None:
    try:
        stores = _stores(app, env)
    except (ImportError, AttributeError):
        return  # found at builder-inited; should it be gone now, everything goes back
    for attribute, store in stores:
        setattr(env, attribute, send_back_only_read(store))


def send_back_only_read_needs(app: Sphinx) -> None:
    """In parallel reads, have each forked reader pickle only the needs it read
    (:mod:`~playbook_rh.sphinxext.forked_reading`), when the switch is on and the stores
    are where this release of the adapter expects them (looked up in the main process,
    at ``builder-inited``; else said once, and each reader sends back every need it
    holds, as sphinx-needs does)."""
    if not app.config.playbook_needs_internals or app.parallel <= 1:
        return
    try:
        _stores(app, app.env)
    except (ImportError, AttributeError) as error:
        module, class_name, properties = NEEDS_STORES
        _moved(app, f"{module}.{class_name}.{' or '.join(properties)}", error,
               "each parallel reader sends back every need it holds (same build, slower)")
        return
    on_forked_reader(app, _send_back_only_read_needs)

"""Keep pages that show data from other pages fresh in incremental builds.

Sphinx writes again only the pages it read again; an aggregate (a dashboard, the fact
and review tables, the run report, "what changed", sphinx-needs' own ``needtable``,
``needpie``...), the "linked from" lines of an item and the figures citing a source
show data from other pages and would go stale (upstream sphinx-needs #354). After any
page is read or removed:

- a page holding the playbook's own aggregates is written again when what they show
  changed: each kind of aggregate says what it shows of the domain (items, facts,
  sources, reviews), and that is compared with what the page showed when last
  written (its signature);
- a page holding one of sphinx-needs' aggregates is written again whenever any page
  was read (they can show any field, so nothing cheaper is safe);
- pages whose incoming links changed, and (when a source changed) pages citing facts.

They are not read again, so unchanged pages are never parsed twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from weakref import WeakKeyDictionary

from docutils import nodes

from playbook_rh.sphinxext.domain import PlaybookDomain, playbook_domain
from playbook_rh.sphinxext.needs import (
    forget_page_needs,
    skip_repeated_purges,
    watch_aggregate_directives,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: What an aggregate shows, as far as freshness goes: the name of its node class and
#: the arguments its ``view`` function read off the node; ``ALWAYS`` for sphinx-needs'.
View = tuple[Any, ...]
ALWAYS: View = ("always",)

#: What an aggregate of one kind shows, given the domain and the view's arguments.
Shows = Callable[[PlaybookDomain, tuple[Any, ...]], object]


class _Kind(NamedTuple):
    node_class: type[nodes.Element]
    shows: Shows
    view: Callable[[nodes.Element], tuple[Any, ...]]


#: The playbook's own aggregates, by node class name; features add theirs at setup.
_kinds: dict[str, _Kind] = {}


def _no_arguments(node: nodes.Element) -> tuple[Any, ...]:
    return ()

#: Per application, whether this build read or removed any page.
_changed: WeakKeyDictionary[Sphinx, bool] = WeakKeyDictionary()

#: What the aggregates' ``shows`` functions share while one pass compares signatures
#: (the questions as recorded, the vocabulary): worked out once a pass, not once a
#: table. Empty outside :func:`pages_to_rewrite`.
_this_pass: WeakKeyDictionary[PlaybookDomain, dict[str, Any]] = WeakKeyDictionary()


def for_this_pass(domain: PlaybookDomain, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, worked out once per signature pass (every aggregate of the build
    shares it); outside a pass, worked out at each call."""
    shared = _this_pass.get(domain)
    if shared is None:
        return compute()
    if key not in shared:
        shared[key] = compute()
    return shared[key]


def add_aggregate(node_class: type[nodes.Element], shows: Shows,
                  view: Callable[[nodes.Element], tuple[Any, ...]] = _no_arguments) -> None:
    """Declare a node whose content comes from other pages (called at setup): ``shows``
    gives what it would show, from the domain and the arguments ``view`` reads off the
    node (its filters, say); the page is written again when that changes."""
    _kinds[node_class.__name__] = _Kind(node_class, shows, view)


def reread_sharing_ids(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    """Read again the pages sharing an ID with a changed page: which copy of a duplicate
    sphinx-needs kept depends on read order, so both sides are read again."""
    return playbook_domain(env).docs_sharing_ids(changed | removed) & env.found_docs


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Note the build changes pages, and forget their items before any is read.

    A serial build purges and reads one page at a time: a page read before the page
    its duplicate ID is being removed from would find the ID still taken and lose its
    item. Parallel builds purge every page first; this does the same for serial ones.
    """
    if docnames:
        _changed[app] = True
    items = playbook_domain(env).items_by_doc
    forget_page_needs(app, {docname: [record.id for record in items.get(docname, [])]
                            for docname in docnames})


def note_removal(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _changed[app] = True


def _note_needs_aggregate(env: BuildEnvironment) -> None:
    domain = playbook_domain(env)
    domain.aggregate_docs.add(env.docname)
    domain.data["views"].setdefault(env.docname, []).append(ALWAYS)


def _aggregates_in(doctree: nodes.document) -> list[nodes.Element]:
    """The aggregate nodes of a page, in document order (one plain walk: ``findall``
    with a condition costs several times more, on every page read)."""
    classes = tuple(kind.node_class for kind in _kinds.values())
    found: list[nodes.Element] = []
    stack: list[nodes.Node] = list(reversed(doctree.children))
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Element):
            if isinstance(node, classes):
                found.append(node)
            stack.extend(reversed(node.children))
    return found


def record_aggregates(app: Sphinx, doctree: nodes.document) -> None:
    views: list[View] = []
    for node in _aggregates_in(doctree):
        kind = _kinds[type(node).__name__]
        views.append((type(node).__name__, *kind.view(node)))
    if views:
        domain = playbook_domain(app.env)
        domain.aggregate_docs.add(app.env.docname)
        domain.data["views"].setdefault(app.env.docname, []).extend(views)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = playbook_domain(env)
    before: dict[str, list[tuple[str, str]]] = domain.data["incoming"]
    after = domain.incoming_links()
    domain.data["incoming"] = after
    if not _changed.pop(app, False):
        domain.data["sources_seen"] = domain.sources_signature()
        return []
    _this_pass[domain] = {}
    try:
        stale = changed_aggregates(domain)
    finally:
        del _this_pass[domain]
    stale.update(name for name in before.keys() | after.keys()
                 if before.get(name) != after.get(name))
    sources = domain.sources_signature()
    if sources != tuple(domain.data["sources_seen"]):
        stale.update(domain.docs_with_facts())  # each figure shows its source and year
    domain.data["sources_seen"] = sources
    return sorted(stale & env.found_docs)


def _signature(domain: PlaybookDomain, views: list[View]) -> str:
    shown = []
    for view in views:
        kind = _kinds.get(view[0])
        # a kind no longer declared (an extension removed) shows anything: always stale
        shown.append(kind.shows(domain, tuple(view[1:])) if kind else object())
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def changed_aggregates(domain: PlaybookDomain) -> set[str]:
    """The pages of aggregates whose content changed since they were last written."""
    seen: dict[str, str] = domain.data["views_seen"]
    stale = set()
    for docname in domain.aggregate_docs:
        views = domain.data["views"].get(docname, [ALWAYS])
        signature = "" if ALWAYS in views else _signature(domain, views)
        if not signature or seen.get(docname) != signature:
            stale.add(docname)
        seen[docname] = signature
    for docname in set(seen) - domain.aggregate_docs:
        del seen[docname]
    return stale


def setup_freshness(app: Sphinx) -> None:
    watch_aggregate_directives(app, _note_needs_aggregate)
    app.connect("builder-inited", skip_repeated_purges)
    app.connect("env-get-outdated", reread_sharing_ids)
    app.connect("env-before-read-docs", note_reading)
    app.connect("env-purge-doc", note_removal)
    app.connect("doctree-read", record_aggregates)
    app.connect("env-updated", pages_to_rewrite)

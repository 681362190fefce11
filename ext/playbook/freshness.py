"""Keep pages that show data from other pages fresh in incremental builds.

Sphinx re-writes only the pages it re-read; sphinx-needs' tables and pies, the
"linked from" lines of an item and the figures citing a source show data from
other pages and would go stale (upstream sphinx-needs #354). After any page is read
or removed, the pages holding aggregates, the pages whose incoming links changed and
(when a source changed) the pages citing figures are written again; they are not
re-read, so unchanged pages are never parsed twice.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.logging import suppress_logging
from sphinx_needs.config import NeedsSphinxConfig
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.needbar import Needbar
from sphinx_needs.directives.needextract import Needextract
from sphinx_needs.directives.needflow._directive import NeedflowGraphiz, NeedflowPlantuml
from sphinx_needs.directives.needgantt import Needgantt
from sphinx_needs.directives.needlist import Needlist
from sphinx_needs.directives.needpie import Needpie
from sphinx_needs.directives.needsequence import Needsequence
from sphinx_needs.directives.needtable import Needtable
from sphinx_needs.filter_common import filter_needs

from .domain import playbook_domain
from .facts import fact_list
from .legal_review import review_list
from .report import run_report

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx_needs.need_item import NeedItem

AGGREGATE_NODES: tuple[type[nodes.Element], ...] = (
    Needbar, Needextract, NeedflowGraphiz, NeedflowPlantuml, Needgantt, Needlist,
    Needpie, Needsequence, Needtable, fact_list, review_list, run_report,
)

#: Per application, whether this build read or removed any page.
_changed: WeakKeyDictionary[Sphinx, bool] = WeakKeyDictionary()


def reread_sharing_ids(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    """Re-read the pages sharing an ID with a changed page: which copy of a duplicate
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
    needs = SphinxNeedsData(env)
    for docname in docnames:
        needs.remove_doc(docname)


def note_removal(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _changed[app] = True


#: What an aggregate shows, as far as freshness goes: ("table", filter, columns),
#: ("pie", filters) or ("any",) for anything whose content cannot be told in advance.
View = tuple[Any, ...]
ANY: View = ("any",)


def _view(node: nodes.Element) -> View:
    """What a needtable or needpie shows; ("any",) when it cannot be told cheaply."""
    narrowed = any(node.get(name) for name in ("status", "tags", "types", "filter_func"))
    if narrowed or node.get("filter_code"):
        return ANY
    if isinstance(node, Needtable):
        # sphinx-needs keeps each column as (FIELD NAME IN CAPITALS, title)
        columns = tuple(str(column[0] if isinstance(column, tuple | list) else column).lower()
                        for column in node["columns"])
        return ("table", node.get("filter") or "", columns, bool(node.get("show_parts")))
    if isinstance(node, Needpie):
        content = node.get("content") or []  # a StringList: one filter a line
        filters = tuple(str(line).strip() for line in content if str(line).strip())
        if not filters or node.get("filter"):
            return ANY
        return ("pie", filters)
    return ANY


def record_aggregates(app: Sphinx, doctree: nodes.document) -> None:
    views = [_view(node) for node in doctree.findall(
        lambda node: isinstance(node, AGGREGATE_NODES))]
    if views:
        domain = playbook_domain(app.env)
        domain.aggregate_docs.add(app.env.docname)
        domain.data["views"][app.env.docname] = views


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = playbook_domain(env)
    before: dict[str, list[tuple[str, str]]] = domain.data["incoming"]
    after = domain.incoming_links()
    domain.data["incoming"] = after
    if not _changed.pop(app, False):
        domain.data["sources_seen"] = domain.sources_signature()
        return []
    stale = changed_aggregates(app, env)
    stale.update(name for name in before.keys() | after.keys()
                 if before.get(name) != after.get(name))
    sources = domain.sources_signature()
    if sources != tuple(domain.data["sources_seen"]):
        stale.update(domain.docs_with_facts())  # each figure shows its source and year
    domain.data["sources_seen"] = sources
    return sorted(stale & env.found_docs)


def _signature(view: View, needs: list[NeedItem], config: NeedsSphinxConfig,
               everything: Callable[[], str]) -> object:
    if view[0] == "table":
        _, filter_string, columns, _parts = view
        shown = filter_needs(needs, config, filter_string) if filter_string else needs
        return tuple((need["id"], need["docname"], *(repr(need.get(c)) for c in columns))
                     for need in shown)
    if view[0] == "pie":
        return tuple(len(filter_needs(needs, config, f)) for f in view[1])
    return everything()


def changed_aggregates(app: Sphinx, env: BuildEnvironment) -> set[str]:
    """The pages of aggregates whose content changed since they were last written.

    A needtable's rows (the columns it shows, for the needs its filter keeps) or a
    needpie's counts are compared with what the page showed when last written: a page
    whose tables and pies show the same is not written again. Any other aggregate
    (and any filter that cannot be told in advance) changes with any item or figure.
    """
    domain = playbook_domain(env)
    seen: dict[str, str] = domain.data["views_seen"]
    # The needs as read, before sphinx-needs post-processes them at the first page
    # written (post-processing now would freeze them into the pickled environment).
    mutable = SphinxNeedsData(env).get_needs_mutable()
    needs = [mutable[need_id] for need_id in sorted(mutable)]
    config = NeedsSphinxConfig(app.config)

    @cache
    def everything() -> str:
        """What any aggregate may show: every need, figure and source (only worked out
        when a page holds an aggregate whose content cannot be told in advance)."""
        return hashlib.sha256(repr((
            [(need["id"], repr(sorted(need.items()))) for need in needs],
            list(domain.all_facts()), domain.sources_signature(), list(domain.all_reviews()),
        )).encode()).hexdigest()

    stale = set()
    for docname in domain.aggregate_docs:
        views = domain.data["views"].get(docname, [ANY])
        try:
            with suppress_logging():  # sphinx-needs warns about a filter when it renders
                parts = [_signature(view, needs, config, everything) for view in views]
            signature = hashlib.sha256(repr(parts).encode()).hexdigest()
        except Exception:
            signature = ""
        if not signature or seen.get(docname) != signature:
            stale.add(docname)
        seen[docname] = signature
    for docname in set(seen) - domain.aggregate_docs:
        del seen[docname]
    return stale

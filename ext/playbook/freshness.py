"""Keep pages that show data from other pages fresh in incremental builds.

Sphinx re-writes only the pages it re-read; sphinx-needs' tables and pies, the
"linked from" lines of an item and the figures citing a source show data from
other pages and would go stale (upstream sphinx-needs #354). After any page is read
or removed, the pages holding aggregates, the pages whose incoming links changed and
(when a source changed) the pages citing figures are written again; they are not
re-read, so unchanged pages are never parsed twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.needbar import Needbar
from sphinx_needs.directives.needextract import Needextract
from sphinx_needs.directives.needflow._directive import NeedflowGraphiz, NeedflowPlantuml
from sphinx_needs.directives.needgantt import Needgantt
from sphinx_needs.directives.needlist import Needlist
from sphinx_needs.directives.needpie import Needpie
from sphinx_needs.directives.needsequence import Needsequence
from sphinx_needs.directives.needtable import Needtable

from .domain import playbook_domain
from .facts import fact_list
from .report import run_report

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

AGGREGATE_NODES: tuple[type[nodes.Element], ...] = (
    Needbar, Needextract, NeedflowGraphiz, NeedflowPlantuml, Needgantt, Needlist,
    Needpie, Needsequence, Needtable, fact_list, run_report,
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


def record_aggregates(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(lambda node: isinstance(node, AGGREGATE_NODES))):
        playbook_domain(app.env).aggregate_docs.add(app.env.docname)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = playbook_domain(env)
    before: dict[str, list[tuple[str, str]]] = domain.data["incoming"]
    after = domain.incoming_links()
    domain.data["incoming"] = after
    if not _changed.pop(app, False):
        domain.data["sources_seen"] = domain.sources_signature()
        return []
    stale = set(domain.aggregate_docs)
    stale.update(name for name in before.keys() | after.keys()
                 if before.get(name) != after.get(name))
    sources = domain.sources_signature()
    if sources != tuple(domain.data["sources_seen"]):
        stale.update(domain.docs_with_facts())  # each figure shows its source and year
    domain.data["sources_seen"] = sources
    return sorted(stale & env.found_docs)

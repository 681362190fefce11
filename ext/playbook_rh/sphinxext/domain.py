"""What the build remembers about checklist items, sources and figures between pages
and builds.

Items live in sphinx-needs' own store as needs; this domain keeps, per document, the
little the extension must check or show across pages (IDs, links, sources, figures,
pages holding aggregates). It is purged when a page is re-read and merged from
parallel workers, so duplicate IDs, dead links and unknown sources are found the same
way in serial, ``-j`` and incremental builds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinx.domains import Domain

from playbook_rh.sphinxext.forked_reading import send_back_only_read

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from playbook_rh.sphinxext.facts import FactRecord, SourceRecord
    from playbook_rh.sphinxext.legal_review import ReviewRecord


class ItemRecord(NamedTuple):
    """What the playbook's aggregates and checks need of an item, as read."""

    id: str
    docname: str
    lineno: int
    phase: str
    links: tuple[str, ...]
    title: str = ""
    owners: tuple[str, ...] = ()
    status: str = ""
    tags: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    applies: str = ""
    """The item's :applies: condition, as written (empty: always)."""


#: The per-document lists the domain keeps, purged and merged alike.
PER_DOCUMENT = ("items", "sources", "facts", "reviews")

#: The stores a forked reader sends back with only the pages it read (the others are
#: the main process's already; "aggregates" and "sources_seen" are small).
SENT_BACK_BY_PAGE = (*PER_DOCUMENT, "views", "views_seen", "incoming")


class PlaybookDomain(Domain):
    name = "playbook"
    label = "HR social-media playbook"
    data_version = 6
    initial_data = {  # noqa: RUF012 (Sphinx copies it per environment)
        "items": {},  # docname -> list[ItemRecord], in source order
        "sources": {},  # docname -> list[SourceRecord]
        "facts": {},  # docname -> list[FactRecord]
        "reviews": {},  # docname -> [ReviewRecord], from the page's front matter
        "aggregates": set(),  # docnames holding a dashboard, factlist, needtable, ...
        "views": {},  # docname -> what its aggregates show (freshness.View)
        "views_seen": {},  # docname -> signature of what it showed, as last written
        "incoming": {},  # docname -> sorted (target, source) links, as last written
        "sources_seen": (),  # every source, as last written
    }

    def _records(self, kind: str) -> dict[str, list[Any]]:
        records: dict[str, list[Any]] = self.data[kind]
        return records

    def _all(self, kind: str) -> Iterator[Any]:
        records = self._records(kind)
        for docname in sorted(records):
            yield from records[docname]

    @property
    def items_by_doc(self) -> dict[str, list[ItemRecord]]:
        return self._records("items")

    @property
    def aggregate_docs(self) -> set[str]:
        aggregates: set[str] = self.data["aggregates"]
        return aggregates

    def add_item(self, record: ItemRecord) -> None:
        self.items_by_doc.setdefault(record.docname, []).append(record)

    def add_source(self, record: SourceRecord) -> None:
        self._records("sources").setdefault(record.docname, []).append(record)

    def add_fact(self, record: FactRecord) -> None:
        self._records("facts").setdefault(record.docname, []).append(record)

    def add_review(self, record: ReviewRecord) -> None:
        self._records("reviews")[record.docname] = [record]

    def all_reviews(self) -> Iterator[ReviewRecord]:
        return self._all("reviews")

    def all_items(self) -> Iterator[ItemRecord]:
        return self._all("items")

    def all_sources(self) -> Iterator[SourceRecord]:
        return self._all("sources")

    def all_facts(self) -> Iterator[FactRecord]:
        return self._all("facts")

    def sources_by_key(self) -> dict[str, SourceRecord]:
        """The first declaration of each source key (duplicates are warned about)."""
        sources: dict[str, SourceRecord] = {}
        for source in self.all_sources():
            sources.setdefault(source.key, source)
        return sources

    def docs_with_facts(self) -> set[str]:
        return {docname for docname, facts in self._records("facts").items() if facts}

    def clear_doc(self, docname: str) -> None:
        for kind in PER_DOCUMENT:
            self._records(kind).pop(docname, None)
        self.aggregate_docs.discard(docname)
        self.data["views"].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for kind in PER_DOCUMENT:
                if docname in otherdata[kind]:
                    self._records(kind)[docname] = otherdata[kind][docname]
            if docname in otherdata["aggregates"]:
                self.aggregate_docs.add(docname)
            if docname in otherdata["views"]:
                self.data["views"][docname] = otherdata["views"][docname]

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any,
                         target: str, node: Any, contnode: Any) -> list[tuple[str, Any]]:
        """The domain has no cross-reference roles of its own."""
        return []

    def docs_sharing_ids(self, docnames: Iterable[str]) -> set[str]:
        """Other documents holding an ID that one of ``docnames`` holds too."""
        wanted = {record.id for name in docnames for record in self.items_by_doc.get(name, [])}
        return {
            record.docname for record in self.all_items() if record.id in wanted
        } - set(docnames)

    def incoming_links(self) -> dict[str, list[tuple[str, str]]]:
        """Per document, the (target, source) links arriving at its items."""
        where = {record.id: record.docname for record in self.all_items()}
        incoming: dict[str, list[tuple[str, str]]] = {}
        for record in self.all_items():
            for target in record.links:
                if target in where:
                    incoming.setdefault(where[target], []).append((target, record.id))
        return {docname: sorted(links) for docname, links in incoming.items()}

    def sources_signature(self) -> tuple[tuple[str, ...], ...]:
        """What pages citing a source show of it (its line does not count)."""
        return tuple(
            (source.key, source.title, source.publisher, source.date, source.docname)
            for source in self.all_sources()
        )


def send_back_only_read_pages(app: Sphinx, env: BuildEnvironment) -> None:
    """In a forked reader (``-j``): pickle only the pages read there, not those of the
    chunks merged before it was forked (:mod:`~playbook_rh.sphinxext.forked_reading`)."""
    data = playbook_domain(env).data
    for kind in SENT_BACK_BY_PAGE:
        data[kind] = send_back_only_read(data[kind])


def playbook_domain(env: BuildEnvironment) -> PlaybookDomain:
    domain = env.get_domain(PlaybookDomain.name)
    assert isinstance(domain, PlaybookDomain)
    return domain

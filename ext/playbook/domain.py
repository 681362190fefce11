"""What the build remembers about checklist items between pages and builds.

Items live in sphinx-needs' own store as needs; this domain keeps, per document, the
little the extension must check across pages (IDs, links, pages holding aggregates).
It is purged when a page is re-read and merged from parallel workers, so duplicate
IDs and dead links are found the same way in serial, ``-j`` and incremental builds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinx.domains import Domain

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class ItemRecord(NamedTuple):
    id: str
    docname: str
    lineno: int
    phase: str
    links: tuple[str, ...]


class PlaybookDomain(Domain):
    name = "playbook"
    label = "HR social-media playbook"
    data_version = 1
    initial_data = {  # noqa: RUF012 (Sphinx copies it per environment)
        "items": {},  # docname -> list[ItemRecord], in source order
        "aggregates": set(),  # docnames holding a needtable, needpie, ...
        "incoming": {},  # docname -> sorted (target, source) links, last written
    }

    @property
    def items_by_doc(self) -> dict[str, list[ItemRecord]]:
        items: dict[str, list[ItemRecord]] = self.data["items"]
        return items

    @property
    def aggregate_docs(self) -> set[str]:
        aggregates: set[str] = self.data["aggregates"]
        return aggregates

    def add_item(self, record: ItemRecord) -> None:
        self.items_by_doc.setdefault(record.docname, []).append(record)

    def all_items(self) -> Iterator[ItemRecord]:
        for docname in sorted(self.items_by_doc):
            yield from self.items_by_doc[docname]

    def clear_doc(self, docname: str) -> None:
        self.items_by_doc.pop(docname, None)
        self.aggregate_docs.discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["items"]:
                self.items_by_doc[docname] = otherdata["items"][docname]
            if docname in otherdata["aggregates"]:
                self.aggregate_docs.add(docname)

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


def playbook_domain(env: BuildEnvironment) -> PlaybookDomain:
    domain = env.get_domain(PlaybookDomain.name)
    assert isinstance(domain, PlaybookDomain)
    return domain

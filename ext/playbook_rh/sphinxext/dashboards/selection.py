"""Which questions a dashboard shows, and in what groups: one definition for both sides.

A dashboard is drawn from the needs view when its page is written
(:func:`items_from_needs`); whether its page must be written again is decided from the
domain's item records (:func:`items_from_records`). Both become :class:`DashboardItem`
and go through the same filters, grouping and counting, so the freshness check compares
exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from playbook_rh.core.vocabulary import ID_PATTERN, Vocabulary
from playbook_rh.sphinxext.checklist.directive import NEED_TYPE
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.freshness import for_this_pass

if TYPE_CHECKING:
    from playbook_rh.sphinxext.domain import ItemRecord, PlaybookDomain

#: What questions can be grouped and counted by: the fields the filters read, in the
#: order of :class:`Filters`.
GROUPINGS = ("phase", "owner", "status", "tag")

#: The label of the group of questions without any tag.
NO_TAG = "Sans étiquette"


class DashboardItem(NamedTuple):
    """A question as the dashboards see it."""

    id: str
    docname: str
    phase: str
    title: str
    owners: tuple[str, ...]
    status: str
    tags: tuple[str, ...]
    links: tuple[str, ...]
    applies: str = ""


class Filters(NamedTuple):
    """The values a question must have (any of each non-empty list; all lists)."""

    phases: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


class Group(NamedTuple):
    key: str
    label: str
    items: list[DashboardItem]


def items_from_records(records: Iterable[ItemRecord]) -> list[DashboardItem]:
    """The items as read (one per ID: a duplicate is an error reported elsewhere)."""
    seen: dict[str, DashboardItem] = {}
    for record in records:
        seen.setdefault(record.id, DashboardItem(
            record.id, record.docname, record.phase, record.title, record.owners,
            record.status, record.tags, record.links, record.applies))
    return list(seen.values())


def items_from_needs(needs: Mapping[str, Any]) -> list[DashboardItem]:
    """The checklist questions of the needs view (other need types are not ours)."""
    return [
        DashboardItem(str(need["id"]), str(need["docname"] or ""), str(need["phase"]),
                      str(need["title"]), tuple(need["owner"] or ()), str(need["status"] or ""),
                      tuple(need["tags"] or ()), tuple(need["links"] or ()),
                      str(need["applies"] or ""))
        for need in needs.values() if need["type"] == NEED_TYPE
    ]


def recorded_items(domain: PlaybookDomain) -> list[DashboardItem]:
    """The items as the domain recorded them, once per freshness pass (every table and
    count of the build compares its signature from the same list)."""
    return cast("list[DashboardItem]", for_this_pass(
        domain, "dashboard-items", lambda: items_from_records(domain.all_items())))


def recorded_vocabulary(domain: PlaybookDomain) -> Vocabulary:
    """The vocabulary of ``conf.py``, once per freshness pass."""
    return cast("Vocabulary", for_this_pass(
        domain, "vocabulary", lambda: vocabulary(domain.env.config)))


@cache
def id_order(item_id: str) -> tuple[str, int, str]:
    """IDs in numeric order within a prefix: REC-9 < REC-10 < REC-100."""
    if ID_PATTERN.match(item_id) is None:
        return (item_id, 0, item_id)
    prefix, _, number = item_id.partition("-")
    return (prefix, int(number), item_id)


def select(items: Iterable[DashboardItem], filters: Filters,
           vocab: Vocabulary) -> list[DashboardItem]:
    """The items passing every filter, in phase order, then ID order."""
    chosen = [
        item for item in items
        if (not filters.phases or item.phase in filters.phases)
        and (not filters.owners or set(item.owners) & set(filters.owners))
        and (not filters.statuses or item.status in filters.statuses)
        and (not filters.tags or set(item.tags) & set(filters.tags))
    ]
    orders = {key: phase.order for key, phase in vocab.phases.items()}
    chosen.sort(key=lambda item: (orders.get(item.phase, len(orders)), id_order(item.id)))
    return chosen


def _keys(item: DashboardItem, by: str) -> Sequence[str]:
    if by == "phase":
        return (item.phase,)
    if by == "owner":
        return item.owners
    if by == "status":
        return (item.status,)
    return item.tags or ("",)


def groups(items: Sequence[DashboardItem], by: str, vocab: Vocabulary,
           keep_empty: bool = False) -> list[Group]:
    """The items under each value of ``by``, in the vocabulary's order (tags: in
    alphabetical order, untagged last). An item with two owners or tags is in both
    groups. ``keep_empty`` keeps the vocabulary's values that no item has."""
    labels: dict[str, str]
    if by == "phase":
        labels = {key: phase.label for key, phase in vocab.phases.items()}
    elif by == "owner":
        labels = dict(vocab.owners)
    elif by == "status":
        labels = dict(vocab.statuses)
    else:
        used = sorted({tag for item in items for tag in item.tags}, key=str.casefold)
        labels = {tag: tag for tag in used}
        if any(not item.tags for item in items):
            labels[""] = NO_TAG
    found: dict[str, list[DashboardItem]] = {key: [] for key in labels}
    for item in items:
        for key in _keys(item, by):
            found.setdefault(key, []).append(item)
    return [Group(key, labels.get(key, key), members) for key, members in found.items()
            if members or keep_empty]

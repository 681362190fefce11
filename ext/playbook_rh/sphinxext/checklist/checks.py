"""Checks across pages, run once all pages are read: duplicate IDs, links to
unknown items, and phases left without a question.

They read the :class:`~playbook.domain.PlaybookDomain` records rather than warning
while a page is parsed, so serial, parallel (``-j``) and incremental builds report
the same problems the same way, with the file and line of each item.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from playbook_rh.sphinxext.checklist.includes import including_lines, location_of, source_of
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.domain import ItemRecord, playbook_domain
from playbook_rh.sphinxext.facts import check_facts
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class Places:
    """Where items are written, as the warnings name them (``path:line``), for one pass
    of the checks: each page's path is worked out once, not once an item (Sphinx builds
    a path object at each ``doc2path``; the checks ask twice an item)."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self._pages: dict[str, str] = {}

    def where(self, record: ItemRecord) -> str:
        location = location_of(self.env, record)
        if isinstance(location, str):
            return location
        page = self._pages.get(record.docname)
        if page is None:
            page = self._pages[record.docname] = str(self.env.doc2path(record.docname))
        return f"{page}:{record.lineno}"


def _included_more_than_once(env: BuildEnvironment, item_id: str, source: str,
                             records: list[ItemRecord]) -> None:
    sites = [f"{path}:{line}" for path, line in sorted(
        {(str(env.doc2path(docname)), line)
         for docname in {record.docname for record in records}
         for line in including_lines(env, docname, source)})]
    warn(
        ChecklistWarning.DUPLICATE_ID,
        f"duplicate ID {item_id}: {source} is included {len(records)} times"
        + (f" (at {', '.join(sites)})" if sites else "")
        + "; include a checklist once, so that each question has one place",
        f"{source}:{records[0].lineno}",
    )


def check_duplicate_ids(env: BuildEnvironment, places: Places) -> None:
    by_id: dict[str, list[ItemRecord]] = defaultdict(list)
    for record in playbook_domain(env).all_items():
        by_id[record.id].append(record)
    for item_id, records in sorted(by_id.items()):
        if len(records) < 2:
            continue
        # An included file's items: one place, however many pages include it.
        by_place: dict[str, list[ItemRecord]] = defaultdict(list)
        for record in records:
            by_place[places.where(record)].append(record)
        for copies in by_place.values():
            source = source_of(env, copies[0])
            if len(copies) > 1 and source is not None:
                _included_more_than_once(env, item_id, source, copies)
        in_order = sorted(by_place.values(), key=lambda copies: (copies[0].docname,
                                                                 copies[0].lineno))
        first, *others = [copies[0] for copies in in_order]
        for record in others:
            warn(
                ChecklistWarning.DUPLICATE_ID,
                f"duplicate ID {item_id}: already used at {places.where(first)}; IDs never "
                "change once published, so give this item the next free ID of its phase",
                location_of(env, record),
            )


def _once_per_place(places: Places, records: list[ItemRecord]) -> list[ItemRecord]:
    """One record per place an item is written: a file included twice is one place
    (its repeated IDs are reported by check_duplicate_ids)."""
    by_place: dict[str, ItemRecord] = {}
    for record in records:
        by_place.setdefault(places.where(record), record)
    return list(by_place.values())


def check_links(env: BuildEnvironment, places: Places) -> None:
    records = list(playbook_domain(env).all_items())
    known = {record.id for record in records}
    for record in _once_per_place(places, records):
        for target in record.links:
            if target == record.id:
                warn(
                    ChecklistWarning.SELF_LINK,
                    f"item {record.id} links to itself; link to another item or remove "
                    f"{target} from ':links:'",
                    location_of(env, record),
                )
            elif target not in known:
                warn(
                    ChecklistWarning.UNKNOWN_LINK,
                    f"item {record.id} links to {target}, which no checklist item has; "
                    "correct the ID or remove the link",
                    location_of(env, record),
                )


def _cycle(start: str, replaces: dict[str, tuple[str, ...]]) -> list[str]:
    """The IDs of a circle of replacements through ``start``, or [] if none."""
    path = [start]
    seen = {start}
    while True:
        following = [target for target in replaces.get(path[-1], ()) if target in replaces]
        if not following:
            return []
        target = following[0]
        if target == start:
            return [*path, start]
        if target in seen:
            return []
        path.append(target)
        seen.add(target)


def check_replacements(env: BuildEnvironment, places: Places) -> None:
    """A former ID is replaced once, by one item, and is no live item's ID: otherwise a
    run's answers to it would go to two items, or stay on the wrong one."""
    records = list(playbook_domain(env).all_items())
    live = {record.id: record for record in records}
    replaces = {record.id: record.replaces for record in records}
    first_replacer: dict[str, ItemRecord] = {}
    for record in _once_per_place(places, records):
        for former in record.replaces:
            where = location_of(env, record)
            if former == record.id:
                warn(ChecklistWarning.REPLACES_LIVE_ID,
                     f"item {record.id} replaces itself; ':replaces:' names the former IDs "
                     "of this question, not its own", where)
            elif former in live:
                circle = _cycle(record.id, replaces)
                if circle:
                    warn(ChecklistWarning.REPLACEMENT_CYCLE,
                         f"item {record.id} replaces {former}, and the replacements go round "
                         f"in a circle ({' -> '.join(circle)}); keep only the replacements "
                         "of IDs that no item has any more", where)
                else:
                    warn(ChecklistWarning.REPLACES_LIVE_ID,
                         f"item {record.id} replaces {former}, which is still the ID of an "
                         f"item ({places.where(live[former])}); an ID is replaced only once no "
                         "item has it", where)
            elif former in first_replacer:
                earlier = first_replacer[former]
                warn(ChecklistWarning.REPLACED_TWICE,
                     f"item {record.id} replaces {former}, which item {earlier.id} already "
                     f"replaces ({places.where(earlier)}); a run's answer to {former} can go "
                     "to one item only: keep it on one", where)
            else:
                first_replacer[former] = record


def _declaration(conf: Path, key: str) -> str:
    """``conf.py:LINE`` of where a phase is declared, for editors to jump to."""
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except OSError:
        return str(conf)
    for wanted in (f'"{key}"', f"'{key}'", "playbook_phases"):
        for number, line in enumerate(lines, start=1):
            if wanted in line:
                return f"{conf}:{number}"
    return str(conf)


def check_phase_coverage(app: Sphinx, env: BuildEnvironment) -> None:
    """Every declared phase must have conversation-starter questions."""
    covered = {record.phase for record in playbook_domain(env).all_items()}
    conf = Path(app.confdir, "conf.py")
    for phase in vocabulary(app.config).phases.values():
        if phase.key not in covered:
            warn(
                ChecklistWarning.PHASE_WITHOUT_QUESTIONS,
                f"phase {phase.key!r} ({phase.label}) has no conversation-starter question: "
                f"add a checklist with ':phase: {phase.key}' and items "
                f"'{phase.prefix}-NN', or remove the phase from playbook_phases",
                _declaration(conf, phase.key),
            )


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    places = Places(env)
    check_duplicate_ids(env, places)
    check_links(env, places)
    check_replacements(env, places)
    check_phase_coverage(app, env)
    check_facts(env)

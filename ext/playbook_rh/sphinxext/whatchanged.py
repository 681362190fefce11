"""What changed in the questions since the previous release: the ``whatchanged`` directive.

Each release of the knowledge base keeps the ``needs.json`` it published under
``releases/<release>/needs.json`` (``python -m playbook_rh.cli.release`` freezes it). The
directive compares the questions of this build with those of the previous release and
lists, per question ID, what was added, reworded (question or guidance), moved (phase
or page), renamed (a new ID whose ``:replaces:`` names a former one) or removed.

The comparison is made when the page is written, from sphinx-needs' final data; the
page counts as an aggregate, so it is written again whenever any page is re-read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ub_needs_exchange
from docutils import nodes
from packaging.version import InvalidVersion, Version
from sphinx.util.docutils import SphinxDirective

from playbook_rh.core.bounded_files import FileProblem, read_regular_text
from playbook_rh.core.questions import MAX_BYTES, Question, Questions, questions_from_records
from playbook_rh.sphinxext import tables
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.needs import needs_view
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The warning subtype of every problem with a frozen release (type ``checklist``).
RELEASE_FILE = "needs.json"

#: Change kinds in the order a row lists them, with their French label.
KIND_LABELS = {
    "added": "Ajoutée",
    "renamed": "Nouvel identifiant",
    "reworded": "Reformulée",
    "moved": "Déplacée",
    "removed": "Supprimée",
}
#: For the summary line: (singular, plural) of "n question(s) <kind>".
KIND_COUNTS = {
    "added": ("ajoutée", "ajoutées"),
    "renamed": ("renumérotée", "renumérotées"),
    "reworded": ("reformulée", "reformulées"),
    "moved": ("déplacée", "déplacées"),
    "removed": ("supprimée", "supprimées"),
}
HEADERS = ("Question", "Intitulé", "Changement", "Détail")


class whatchanged(nodes.General, nodes.Element):
    """Placeholder for the table of changes, built when the page is written."""


@dataclass(frozen=True)
class Release:
    name: str
    version: Version
    path: Path
    """Its ``needs.json``."""


@dataclass(frozen=True)
class QuestionChange:
    id: str
    question: Question
    """The question as it is now; as it was, for a removed one."""
    kinds: tuple[str, ...]
    details: tuple[str, ...]


def _words(text: str) -> str:
    """Text with its line breaks and spacing evened out: re-wrapping is no rewording."""
    return " ".join(text.split())


def _id_key(item_id: str) -> tuple[str, int, str]:
    prefix, _, number = item_id.partition("-")
    return (prefix, int(number) if number.isdigit() else 0, item_id)


def compare(previous: Questions, current: Questions,
            page_title: dict[str, str] | None = None) -> list[QuestionChange]:
    """Every question that differs between two releases, in phase then ID order."""
    titles = page_title or {}
    before = previous.by_id()
    after = current.by_id()
    changes: list[QuestionChange] = []
    renamed: set[str] = set()
    for question in current.items:
        former = before.get(question.id)
        kinds: list[str] = []
        details: list[str] = []
        if former is None:
            old_ids = [old for old in question.replaces if old in before and old not in after]
            if not old_ids:
                changes.append(QuestionChange(question.id, question, ("added",), ()))
                continue
            renamed.update(old_ids)
            former = before[old_ids[0]]
            kinds.append("renamed")
            details.append(f"remplace {', '.join(old_ids)}")
        if _words(former.title) != _words(question.title):
            kinds.append("reworded")
            details.append(f"question reformulée ; avant : « {former.title} »")
        if _words(former.guidance) != _words(question.guidance):
            if "reworded" not in kinds:
                kinds.append("reworded")
            details.append("conseils modifiés")
        if former.phase != question.phase:
            kinds.append("moved")
            details.append(f"phase : {former.phase_label} → {question.phase_label}")
        if former.docname != question.docname:
            if "moved" not in kinds:
                kinds.append("moved")
            details.append(f"page : {titles.get(former.docname, former.docname)} → "
                           f"{titles.get(question.docname, question.docname)}")
        if kinds:
            changes.append(QuestionChange(question.id, question, tuple(kinds), tuple(details)))
    for question in previous.items:
        if question.id not in after and question.id not in renamed:
            changes.append(QuestionChange(question.id, question, ("removed",), ()))
    return sorted(changes, key=lambda change: (change.question.phase_order,
                                               _id_key(change.id)))


# -- Releases ------------------------------------------------------------------------------

def releases_dir(srcdir: str | Path, config: Config) -> Path:
    """The folder of frozen releases; from the source folder and the configuration (a
    directive has no application: ``env.app`` is deprecated since Sphinx 9)."""
    return Path(srcdir, config.playbook_releases_dir)


def find_releases(directory: Path, where: tuple[str, int]) -> list[Release]:
    """The frozen releases, oldest first; a folder that is not one is warned about."""
    found: list[Release] = []
    if not directory.is_dir():
        return found
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        try:
            version = Version(folder.name)
        except InvalidVersion:
            _warn(f"release folder {folder.name!r} is not named after a release (such as "
                  f"0.2.0): rename {folder} to the release it holds", where)
            continue
        path = folder / RELEASE_FILE
        if not os.path.lexists(path):  # a FIFO or a folder there is said by load_release
            _warn(f"release {folder.name} has no {RELEASE_FILE}: freeze it with "
                  f"`python -m playbook_rh.cli.release` or remove {folder}", where)
            continue
        found.append(Release(folder.name, version, path))
    return sorted(found, key=lambda release: release.version)


def previous_release(releases: list[Release], current: str) -> Release | None:
    """The latest release before ``current`` (the ``release`` of conf.py)."""
    try:
        now: Version | None = Version(current)
    except InvalidVersion:
        now = None
    earlier = [release for release in releases
               if release.name != current and (now is None or release.version < now)]
    return earlier[-1] if earlier else None


def load_release(release: Release) -> Questions | None:
    """The questions a release published; ``None``, after a located warning, if unreadable.

    The file is read as every file a user places is (:mod:`.bounded_files`): a regular
    file only (a FIFO would hang the build), at most :data:`.questions.MAX_BYTES` bytes
    counted as read."""
    try:
        text = read_regular_text(release.path, MAX_BYTES)
        version = ub_needs_exchange.parse(text).select_version(None)
    except (FileProblem, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        _warn(f"release {release.name}: {release.path} cannot be read ({reason}); "
              "restore it from version control: a release is the regular file "
              "needs.json that `make needs` wrote", _file_location(release.path))
        return None
    except ub_needs_exchange.ExchangeError as error:
        _warn(f"release {release.name}: {release.path.name} cannot be read "
              f"({error.message}); restore it from version control", _file_location(
                  release.path, error))
        return None
    except RecursionError:
        _warn(f"release {release.name}: {release.path.name} is nested too deeply to be a "
              "needs.json; restore it from version control", _file_location(release.path))
        return None
    for diagnostic in version.diagnostics:
        _warn(f"release {release.name}: {diagnostic.message} ({diagnostic.path})",
              _file_location(release.path))
    try:
        questions = questions_from_records(
            ((record.key, record.fields) for record in version.records()), release.path)
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        _warn(f"release {release.name}: {release.path.name} is not a needs.json the "
              f"playbook's build wrote (a question's fields do not have their types: "
              f"{error}); restore it from version control", _file_location(release.path))
        return None
    if not questions.items:
        _warn(f"release {release.name}: {release.path.name} holds no question; freeze it "
              "again from a `make needs` build of that release", _file_location(release.path))
        return None
    return questions


def _file_location(path: Path, error: Exception | None = None) -> str:
    """``path:line`` of a release file: the line of a JSON error, else the first."""
    cause = error.__cause__ if error is not None else None
    line = cause.lineno if isinstance(cause, json.JSONDecodeError) else 1
    return f"{path}:{line}"


def _warn(message: str, location: str | tuple[str, int]) -> None:
    warn(ChecklistWarning.RELEASE, message, location)


# -- The directive and its rendering --------------------------------------------------------

class WhatChangedDirective(SphinxDirective):
    """``{whatchanged}``: the questions changed since the previous release."""

    def run(self) -> list[Node]:
        # Re-read when a frozen file is edited or removed. A new release folder needs no
        # re-read: it comes with a new `release` in conf.py, which rebuilds everything.
        for path in sorted(releases_dir(self.env.srcdir, self.config).glob(f"*/{RELEASE_FILE}")):
            self.env.note_dependency(str(path))
        node = whatchanged()
        self.set_source_info(node)
        return [node]


def current_questions(app: Sphinx) -> Questions:
    needs = needs_view(app)
    records: Iterable[tuple[str, dict[str, Any]]] = (
        (item_id, dict(need.items())) for item_id, need in needs.items())
    return questions_from_records(records, Path(app.srcdir))


def resolve_whatchanged(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    for placeholder in list(doctree.findall(whatchanged)):
        where = (fromdocname, placeholder.line or 1)
        placeholder.replace_self(render(app, fromdocname, where))


def render(app: Sphinx, fromdocname: str, where: tuple[str, int]) -> list[Node]:
    release: str = app.config.release
    previous = previous_release(find_releases(releases_dir(app.srcdir, app.config), where), release)
    if previous is None:
        return [_paragraph("Première version : aucune version précédente.", "first")]
    before = load_release(previous)
    if before is None:
        return [_paragraph(f"La version {previous.name} n'a pas pu être lue : la "
                           "comparaison est indisponible.", "unreadable")]
    titles = {name: title.astext() for name, title in app.env.titles.items()}
    changes = compare(before, current_questions(app), titles)
    since = f"la version {previous.name}"
    if not changes:
        return [_paragraph(f"Aucune question n'a changé depuis {since}.", "none")]
    return [_paragraph(f"Depuis {since} : {summary(changes)}.", "summary"),
            _table(app, fromdocname, changes)]


def summary(changes: list[QuestionChange]) -> str:
    counts = {kind: sum(kind in change.kinds for change in changes) for kind in KIND_LABELS}
    parts = []
    for kind, count in counts.items():
        if count:
            singular, plural = KIND_COUNTS[kind]
            parts.append(f"{count} question{'s' if count > 1 else ''} "
                         f"{plural if count > 1 else singular}")
    return ", ".join(parts)


def _paragraph(text: str, state: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["playbook-changes", f"playbook-changes-{state}"])


def _table(app: Sphinx, fromdocname: str, changes: list[QuestionChange]) -> nodes.table:
    table, body = tables.table(HEADERS, (12, 40, 16, 32), "playbook-changes")
    for change in changes:
        question = change.question
        label = nodes.literal("", change.id)
        if "removed" in change.kinds:
            item: Node = label
        else:
            item = reference_to(app, fromdocname, question.docname, change.id, label,
                                question.title)
        kinds = nodes.inline()
        for position, kind in enumerate(change.kinds):
            if position:
                kinds += nodes.Text(", ")
            kinds += nodes.inline("", KIND_LABELS[kind],
                                  classes=["playbook-change-kind", f"playbook-change-{kind}"])
        row = tables.row([item, nodes.Text(question.title), kinds,
                          nodes.Text(" ; ".join(change.details))])
        row["classes"] += ["playbook-change", *(f"playbook-change-{k}" for k in change.kinds)]
        body += row
    return table


def setup_changes(app: Sphinx) -> None:
    """Register the directive, its node and handlers (called from the extension's setup)."""
    app.add_directive("whatchanged", WhatChangedDirective)
    app.add_node(whatchanged)
    app.connect("doctree-resolved", resolve_whatchanged)

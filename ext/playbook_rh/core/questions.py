"""The questions, as the knowledge base publishes them in ``needs.json``.

The command line never keeps a second copy of the questions: it reads the
``needs.json`` that ``make needs`` writes from the Markdown, with sphinx-needs' own
reader of the format (``ub_needs_exchange``).
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ub_needs_exchange

from playbook_rh.core.bounded_files import FileProblem, read_regular_file

NEED_TYPE = "question"
#: Where to look for needs.json when none is given, in order.
DEFAULT_PLACES = (Path("needs.json"), Path("_build/needs/needs.json"))
#: The largest needs.json read: many times the playbook's, far under what memory holds.
MAX_BYTES = 64 * 2**20


#: The order questions are read in: phase, then page and line (the ID breaks ties).
READING_ORDER = operator.attrgetter("phase_order", "docname", "lineno", "id")


class QuestionsError(Exception):
    """needs.json cannot be found or read; the message says how to fix it."""


class Question(NamedTuple):
    """One question as needs.json publishes it; immutable.

    A named tuple rather than a frozen dataclass: ``playbook-rh status`` builds
    thousands at each run, and a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__`` (17 ms for 5,000 questions, against 2 ms for a tuple).
    """

    id: str
    title: str
    phase: str
    phase_label: str
    phase_order: int
    owners: tuple[str, ...]
    owner_labels: tuple[str, ...]
    guidance: str
    replaces: tuple[str, ...]
    docname: str
    lineno: int
    applies: str = ""
    """When the question applies (a condition of :mod:`.profile`); empty: always."""


@dataclass(frozen=True)
class Questions:
    """Every question in reading order (phase, then page and line), by ID too."""

    items: tuple[Question, ...]
    source: Path

    def by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.items}

    def renamed(self) -> dict[str, str]:
        """Former ID -> current ID, from the items' ``replaces``."""
        return {old: question.id for question in self.items for old in question.replaces}

    def phases(self) -> list[tuple[str, str]]:
        """(key, label) of every phase, in order."""
        return list(self._phases.items())

    @functools.cached_property
    def _phases(self) -> dict[str, str]:
        # asked for several times per command, of thousands of questions: read once
        seen: dict[str, str] = {}
        for question in self.items:
            if question.phase not in seen:
                seen[question.phase] = question.phase_label
        return seen

    def of_phase(self, phase: str) -> list[Question]:
        return [question for question in self.items if question.phase == phase]


def find_needs_file(given: Path | None) -> Path:
    if given is not None:
        return given
    from_environment = os.environ.get("PLAYBOOK_NEEDS")
    if from_environment:
        return Path(from_environment)
    for place in DEFAULT_PLACES:
        if place.is_file():
            return place
    raise QuestionsError(
        "no needs.json found: run `make needs` in the playbook's repository, or pass "
        "--needs PATH (or set PLAYBOOK_NEEDS) to a needs.json of the published playbook"
    )


def load_questions(path: Path) -> Questions:
    """The questions of the needs.json ``path``; :class:`QuestionsError` for anything
    that is not a needs.json the build wrote (a FIFO, a huge file, crafted fields)."""
    try:
        text = read_regular_file(path, MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise QuestionsError(f"{path}: no such file: run `make needs`, or give the path of "
                             "a needs.json with --needs") from None
    except (FileProblem, OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise QuestionsError(f"{path}: not a readable needs.json: {reason}") from None
    try:
        version = ub_needs_exchange.parse(text).select_version(None)
        # (key, fields) of each record, read in C
        questions = questions_from_records(map(_KEY_AND_FIELDS, version.records()), path)
    except ub_needs_exchange.ExchangeError as error:
        raise QuestionsError(f"{path}: not a readable needs.json: {error.message}") from None
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise QuestionsError(f"{path}: not a needs.json the playbook's build wrote (a "
                             f"question's fields do not have their types: {error}); build "
                             "it again with `make needs`") from None
    if not questions.items:
        raise QuestionsError(f"{path}: holds no question (need type {NEED_TYPE!r})")
    return questions


class _Texts(dict[tuple[Any, ...], tuple[str, ...]]):
    """A list field's items (owners, their labels, former IDs) -> the same as texts.
    The same lists recur from question to question (a handful of roles): each distinct
    one is converted once, the others found by one subscript in C."""

    def __missing__(self, items: tuple[Any, ...]) -> tuple[str, ...]:
        texts = self[items] = tuple(map(str, items))
        return texts


#: The fields a question is read from, in :class:`Question`'s order after its ID (the
#: need's ``type`` first), each with what it is when a record lacks it.
_FIELDS: dict[str, Any] = {
    "type": None, "title": "", "phase": "", "phase_label": None, "phase_order": None,
    "owner": None, "owner_labels": None, "content": None, "replaces": None,
    "docname": None, "lineno": None, "applies": None,
}
_read_fields = operator.itemgetter(*_FIELDS)


_KEY_AND_FIELDS = operator.attrgetter("key", "fields")


def questions_from_records(records: Iterable[tuple[str, Any]], source: Path) -> Questions:
    """Questions from need records: a needs.json's, or sphinx-needs' own during a build
    (both answer ``[field]`` and ``.get(field)``).

    Written for speed (``playbook-rh status`` reads thousands): the fields of a record
    read by one ``itemgetter`` in C (one ``get`` each when a field is missing), a value
    converted only when it is not of its type already (``str()`` costs little on a
    text, ``int()`` does not), the question built by position (``tuple.__new__``,
    without the named tuple's ``__new__`` in Python), sorted by a key read in C. What
    it makes of missing, empty and wrongly typed values is pinned by
    ``tests/test_questions.py``.
    """
    questions: list[Question] = []
    append = questions.append
    texts = _Texts()
    new_question = tuple.__new__
    for key, fields in records:
        try:
            values = _read_fields(fields)
        except KeyError:
            get = fields.get
            values = [get(name, default) for name, default in _FIELDS.items()]
        (kind, title, phase, phase_label, phase_order, owners, owner_labels, guidance,
         replaces, docname, lineno, applies) = values
        if kind != NEED_TYPE:
            continue
        phase = str(phase)
        append(new_question(Question, (
            key,
            str(title),
            phase,
            str(phase_label) if phase_label else phase,
            phase_order if phase_order.__class__ is int else int(phase_order or 0),
            texts[tuple(owners)] if isinstance(owners, list) else (),
            texts[tuple(owner_labels)] if isinstance(owner_labels, list) else (),
            str(guidance) if guidance else "",
            texts[tuple(replaces)] if replaces and isinstance(replaces, list) else (),
            str(docname) if docname else "",
            lineno if lineno.__class__ is int else int(lineno or 0),
            str(applies) if applies else "",
        )))
    questions.sort(key=READING_ORDER)
    return Questions(tuple(questions), source)

"""A run read against the current questions: what is answered, what is left, late.

Used by the command line (``playbook-rh status``, ``export``, ``validate``) and by the
report build (``make html RUN=...``), so both count progress the same way.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import NamedTuple

from playbook_rh.core.questions import Question, Questions
from playbook_rh.core.runs import Answer, Run
from playbook_rh.core.scope import Scope

BLANK = Answer()
_STATUS = operator.attrgetter("status")


class Progress(NamedTuple):
    """How many of ``total`` questions are complete, under a label (a phase, an owner)."""

    label: str
    total: int
    complete: int

    @property
    def percent(self) -> float:
        return 100.0 * self.complete / self.total if self.total else 100.0


@dataclass
class Assessment:
    """A run read against the current questions (see :func:`assess`)."""

    questions: Questions
    run: Run
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answer per current question ID (former IDs already carried over)."""
    unknown: list[tuple[str, int]] = field(default_factory=list)
    """IDs of the run no question has, nor had: (ID, line)."""
    renamed: list[tuple[str, str, int]] = field(default_factory=list)
    """(former ID, current ID, line) for answers carried over to a renamed item."""
    missing: list[str] = field(default_factory=list)
    """Questions the run has no entry for (new since the run was started)."""
    run_path: Path = Path("run.yaml")
    """The file the run was read from, for messages."""
    scope: Scope | None = None
    """The run's profile and the questions it leaves out (None: every one applies)."""
    applicable: list[Question] = field(default_factory=list)
    """The questions that apply, in order: the ones progress counts."""
    out_of_scope: list[Question] = field(default_factory=list)
    """The questions the profile leaves out (their answers are kept, not counted)."""

    def answer(self, question: Question) -> Answer:
        return self.answers.get(question.id, BLANK)

    @functools.cached_property
    def _complete(self) -> frozenset[str]:
        """The IDs whose answer is complete. Each count and list below asks it of
        thousands of questions: read once, after :func:`assess` has filled the answers.
        :attr:`.Answer.complete`, the one definition, depends on the status alone
        (``tests/test_runs.py`` checks it): asked once per status of the run, not once
        per answer, and the answers picked in C."""
        answers = self.answers
        statuses = list(map(_STATUS, answers.values()))
        complete = {status for status in set(statuses) if Answer(status).complete}
        return frozenset(compress(answers, map(complete.__contains__, statuses)))

    def progress(self, questions: list[Question], label: str) -> Progress:
        complete = self._complete
        return Progress(label, len(questions),
                        len([1 for question in questions if question.id in complete]))

    def overall(self) -> Progress:
        return self.progress(self.applicable, "Ensemble")

    def of_phase(self, phase: str) -> list[Question]:
        """The questions of ``phase`` that apply."""
        return [question for question in self.applicable if question.phase == phase]

    def by_phase(self) -> list[Progress]:
        """Per phase; a phase the profile leaves out entirely is not shown."""
        phases = self.questions.phases()
        members: dict[str, list[Question]] = {key: [] for key, _label in phases}
        for question in self.applicable:  # one pass, not one per phase
            members[question.phase].append(question)
        rows = [self.progress(members[key], label) for key, label in phases]
        return [row for row in rows if row.total] if self.out_of_scope else rows

    def by_owner(self) -> list[Progress]:
        """Per person or role in charge: the run's owner, else the question's roles."""
        groups: dict[str, list[Question]] = {}
        answers = self.answers
        for question in self.applicable:
            owner = answers.get(question.id, BLANK).owner
            names = [owner] if owner else list(question.owner_labels or question.owners)
            for name in names or ["(sans responsable)"]:
                groups.setdefault(name, []).append(question)
        return [self.progress(questions, name) for name, questions in sorted(groups.items())]

    def open_items(self) -> list[Question]:
        complete = self._complete
        return [q for q in self.applicable if q.id not in complete]

    def overdue_items(self, today: datetime.date) -> list[Question]:
        """The questions that apply whose answer is overdue: asked of their answers
        only, not of the answers to questions the profile leaves out."""
        answers = self.answers
        return [q for q in self.applicable if answers.get(q.id, BLANK).overdue(today)]

    def answered_out_of_scope(self) -> list[Question]:
        """Questions left out by the profile that the run holds an answer to."""
        answers = self.answers
        return [q for q in self.out_of_scope if answers.get(q.id, BLANK) != BLANK]


def assess(run: Run, questions: Questions, scope: Scope | None = None) -> Assessment:
    """The run against the questions; ``scope`` leaves out those that do not apply.

    A run in use answers current questions only: its answers are then taken as they
    are, in one step; the former IDs and the lines of the others are looked up only
    when the run holds any."""
    assessment = Assessment(questions, run, scope=scope)
    if scope is None or not scope.out:
        assessment.applicable.extend(questions.items)
    else:
        assessment.applicable, assessment.out_of_scope = scope.split(questions.items)
    current = {question.id for question in questions.items}
    if run.items.keys() <= current:
        assessment.answers.update(run.items)
    else:
        _carry_over(assessment, current)
    answers = assessment.answers
    assessment.missing = [q.id for q in assessment.applicable if q.id not in answers]
    return assessment


def _carry_over(assessment: Assessment, current: set[str]) -> None:
    """The answers of a run that holds former or unknown IDs, in the run's order."""
    run = assessment.run
    renamed_to = assessment.questions.renamed()
    for item_id, answer in run.items.items():
        if item_id in current:
            assessment.answers[item_id] = answer
        elif item_id in renamed_to:
            new_id = renamed_to[item_id]
            assessment.renamed.append((item_id, new_id, run.lines.get(item_id, 0)))
            # the entry under the new ID, if the run has one too, wins
            assessment.answers.setdefault(new_id, answer)
        else:
            assessment.unknown.append((item_id, run.lines.get(item_id, 0)))
    for new_id in {new for _, new, _ in assessment.renamed}:
        if new_id in run.items:
            assessment.answers[new_id] = run.items[new_id]

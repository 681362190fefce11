"""The owner roles of ``conf.py`` (``playbook_owners``) as a way into the questions.

The people who must act are roles (HR, the DPO, legal...), not phases: the command
line picks a role's questions (``list``/``export --owner``) and counts open, done and
overdue items per role (``status --by owner``) with this module, the same way
everywhere. A question belongs to every role its ``owner`` field names.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from playbook_rh.core.assessment import Assessment
from playbook_rh.core.questions import Question
from playbook_rh.core.vocabulary import Vocabulary

#: What ``status --by`` can group items by.
GROUPINGS = ("owner", "phase")

#: The group of items no owner role is given for (the build warns about them).
NO_ROLE = ("", "(sans rôle)")


class UnknownRole(ValueError):
    """A role given on the command line is not declared; the message lists those that are."""


def role_key(vocabulary: Vocabulary, given: str) -> str:
    """The declared role ``given`` names, by its key (``dpo``) in any case."""
    wanted = given.strip().lower()
    if wanted in vocabulary.owners:
        return wanted
    declared = ", ".join(f"{key} ({label})" for key, label in vocabulary.owners.items())
    raise UnknownRole(f"unknown owner role {given!r}; the roles declared in "
                      f"playbook_owners are: {declared}")


def of_role(questions: Iterable[Question], role: str) -> list[Question]:
    """The questions ``role`` owns, in the order given."""
    return [question for question in questions if role in question.owners]


class Tally(NamedTuple):
    """Items of one group: not complete yet (open), complete (done or not applicable),
    and, among the open ones, those past their due date (overdue)."""

    key: str
    label: str
    open: int
    done: int
    overdue: int

    @property
    def total(self) -> int:
        return self.open + self.done


def tally(assessment: Assessment, by: str, vocabulary: Vocabulary, today: datetime.date,
          questions: Sequence[Question] | None = None) -> list[Tally]:
    """Open, done and overdue items per owner role (each declared role, in
    ``playbook_owners`` order, even one with no item) or per phase; an item with two
    roles counts for both. ``questions`` defaults to every question of the assessment."""
    chosen = list(assessment.questions.items if questions is None else questions)
    groups: dict[str, tuple[str, list[Question]]]
    if by == "owner":
        groups = {key: (label, []) for key, label in vocabulary.owners.items()}
        for question in chosen:
            for key in question.owners or (NO_ROLE[0],):
                groups.setdefault(key, (key or NO_ROLE[1], []))[1].append(question)
    else:
        groups = {}
        for question in chosen:
            groups.setdefault(question.phase, (question.phase_label, []))[1].append(question)
    tallies = []
    for key, (label, members) in groups.items():
        done = sum(1 for question in members if assessment.answer(question).complete)
        overdue = sum(1 for question in members if assessment.answer(question).overdue(today))
        tallies.append(Tally(key, label, len(members) - done, done, overdue))
    return tallies

"""Item IDs are never reused: the next free ID of a phase skips every ID the phase
has, had (``replaces``) or published in a release (``releases/*/needs.json``)."""

from __future__ import annotations

from pathlib import Path

from playbook_rh.core.questions import Questions, QuestionsError, load_questions
from playbook_rh.core.vocabulary import ID_PATTERN


def taken_ids(questions: Questions, releases: Path) -> set[str]:
    taken = {q.id for q in questions.items} | {old for q in questions.items for old in q.replaces}
    for release in sorted(releases.glob("*/needs.json")) if releases.is_dir() else []:
        try:
            published = load_questions(release)
        except QuestionsError as error:
            # its IDs could be handed out again: refuse rather than guess
            raise QuestionsError(f"a released needs.json cannot be read, so its IDs are "
                                 f"unknown: {error}") from None
        taken |= {q.id for q in published.items}
        taken |= {old for q in published.items for old in q.replaces}
    return {item_id for item_id in taken if ID_PATTERN.match(item_id)}


def next_free_id(questions: Questions, phase: str, releases: Path) -> str:
    prefix = questions.of_phase(phase)[0].id.split("-")[0]
    numbers = [int(item_id.split("-")[1]) for item_id in taken_ids(questions, releases)
               if item_id.split("-")[0] == prefix]
    proposed = f"{prefix}-{max(numbers, default=0) + 1:02d}"
    if not ID_PATTERN.match(proposed):
        raise QuestionsError(f"phase {phase} is full: {prefix}-{max(numbers)} is taken and an "
                             f"ID has at most three digits ({proposed} is not an ID); add "
                             "the item to another phase, or declare a new phase")
    return proposed

"""Which questions apply to an organisation: its profile, read from its run file, and
the questions' conditions (:mod:`.profile`).

The command line (``status``, ``export``, ``run``, ``new``) and the report build
(``make html RUN=...``) scope a run through here, so they leave out the same questions
and count progress alike. Scoping never touches the answers: an answer to a question
that no longer applies is kept, and shown as out of scope.

No Sphinx here: the command line imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from playbook_rh.core.profile import (
    YES_NO_WORDS,
    ConditionError,
    Criteria,
    Profile,
    Tree,
    Value,
    applies,
    describe,
    parse_condition,
    value_text,
)
from playbook_rh.core.questions import Question
from playbook_rh.core.runs import Problem, Run, RunError


class Scope(NamedTuple):
    """The questions a profile leaves out, with the condition each fails."""

    criteria: Criteria
    profile: Profile
    out: dict[str, Tree]
    """Question ID -> the condition that leaves it out."""

    def applies(self, question: Question) -> bool:
        return question.id not in self.out

    def split(self, questions: Iterable[Question]) -> tuple[list[Question], list[Question]]:
        """(the questions that apply, those left out), each in the order given: one
        pass, for thousands of questions."""
        out = self.out
        applicable: list[Question] = []
        left_out: list[Question] = []
        for question in questions:
            (left_out if question.id in out else applicable).append(question)
        return applicable, left_out

    def reasons(self, questions: Iterable[Question]) -> list[tuple[str, list[str]]]:
        """(the condition in words, IDs left out by it), in the questions' order."""
        # the questions of one condition share its tree (scope_of parses each once)
        by_tree: dict[int, tuple[Tree, list[str]]] = {}
        for question in questions:
            tree = self.out.get(question.id)
            if tree is not None:
                by_tree.setdefault(id(tree), (tree, []))[1].append(question.id)
        grouped: dict[str, list[str]] = {}
        for tree, item_ids in by_tree.values():
            grouped.setdefault(describe(tree, self.criteria), []).extend(item_ids)
        return list(grouped.items())


def profile_words(profile: Mapping[str, Value], criteria: Criteria) -> str:
    """« Effectif : de 11 à 49 salariés ; Réseau social interne : non »."""
    parts = []
    for key, value in profile.items():
        criterion = criteria.get(key)
        if criterion is not None:
            parts.append(f"{criterion.label} : {criterion.values[value].lower()}")
    return " ; ".join(parts) if parts else "aucun critère renseigné"


def read_value(text: str, key: str, criteria: Criteria) -> Value:
    """The value ``text`` gives criterion ``key``; ValueError says what is allowed."""
    criterion = criteria.get(key)
    if criterion is None:
        known = ", ".join(criteria) or "none (playbook_profile declares none)"
        raise ValueError(f"unknown criterion {key!r}; the criteria are {known}")
    value = criterion.value_of(text)
    if value is None:
        raise ValueError(f"{key} {text!r} is not one of {', '.join(criterion.written())}")
    return value


def read_profile(run: Run, criteria: Criteria, path: Path) -> Profile:
    """The run's profile checked against ``criteria``; :class:`RunError` lists every
    mistake with its line. A criterion written with no value is unknown."""
    profile: Profile = {}
    problems: list[Problem] = []
    for key, text in run.profile.items():
        if not text:
            continue
        try:
            profile[key] = read_value(text, key, criteria)
        except ValueError as error:
            problems.append(Problem(path, run.profile_lines.get(key),
                                    f"profile: {error}: correct it, or remove the line (the "
                                    "criterion is then unknown)"))
    if problems:
        raise RunError(problems)
    return profile


def profile_text(profile: Mapping[str, Value]) -> dict[str, str]:
    """The profile as a run file writes it (``true``/``false`` for yes-no)."""
    return {key: value_text(value) for key, value in profile.items()}


def parse_profile_option(text: str, criteria: Criteria) -> Profile:
    """``headcount=11-49,internal-network=false`` (``--profile``); ValueError if wrong."""
    profile: Profile = {}
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        key, equals, value = part.partition("=")
        if not equals:
            raise ValueError(f"{part!r} is not written criterion=value")
        profile[key.strip()] = read_value(value.strip(), key.strip(), criteria)
    return profile


def yes_no_answer(text: str) -> bool | None:
    """A yes-no answer typed in French or as in a run file."""
    word = text.strip().lower()
    if word in ("o", "oui", "y", "yes"):
        return True
    if word in ("n", "non", "no"):
        return False
    return YES_NO_WORDS.get(word)


def scope_of(questions: Iterable[Question], criteria: Criteria,
             profile: Mapping[str, Value]) -> Scope:
    """The questions ``profile`` leaves out. Each distinct condition is parsed once; one
    the criteria no longer accept (a needs.json older than its vocabulary) leaves
    nothing out: only the build can report it."""
    scope = Scope(criteria, dict(profile), {})
    if not profile:
        return scope
    # condition -> its tree when the profile rules it out, else None: one verdict each
    ruled_out: dict[str, Tree | None] = {}
    for question in questions:
        if not question.applies:
            continue
        if question.applies not in ruled_out:
            try:
                tree = parse_condition(question.applies, criteria).tree
            except ConditionError:
                tree = None
            ruled_out[question.applies] = (tree if tree is not None
                                           and not applies(tree, profile) else None)
        tree = ruled_out[question.applies]
        if tree is not None:
            scope.out[question.id] = tree
    return scope


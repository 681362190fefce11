"""The organisation's profile on the command line: asked by ``new``, and what every
command says about the questions it leaves out.

The profile's criteria come from the vocabulary the build exported beside
``needs.json`` (``playbook_profile`` of ``conf.py``); which questions apply is
:mod:`playbook_rh.core.scope`'s.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from playbook_rh.core.assessment import Assessment
from playbook_rh.core.profile import BANDS, YES_NO, Criteria, Criterion, Profile, Value
from playbook_rh.core.questions import find_needs_file
from playbook_rh.core.scope import parse_profile_option, profile_words, yes_no_answer
from playbook_rh.core.vocabulary_file import load_criteria


def criteria_from(args: argparse.Namespace) -> Criteria:
    """The profile's criteria of conf.py, exported beside needs.json."""
    return load_criteria(find_needs_file(args.needs))


def profile_option(text: str, criteria: Criteria) -> Profile:
    """``--profile key=value,...``; ValueError says what is wrong and what is allowed."""
    try:
        return parse_profile_option(text, criteria)
    except ValueError as error:
        raise ValueError(f"--profile: {error}") from None


def _choice(criterion: Criterion, given: str) -> Value | None:
    """The value typed: its number in the list, its key, or (bands) a number counted."""
    values = list(criterion.values)
    if given.isdigit() and criterion.kind == BANDS and int(given) > len(values):
        count = int(given)  # a headcount rather than a line number
        return next(value for value, first in reversed(list(zip(values, criterion.bounds,
                                                                  strict=True)))
                    if count >= first)
    if given.isdigit() and 1 <= int(given) <= len(values):
        return values[int(given) - 1]
    return criterion.value_of(given)


def ask_profile(criteria: Criteria, read: Callable[[], str], out: TextIO) -> Profile:
    """Each criterion's question in turn; Enter leaves one unknown (every question
    it would leave out is kept). EOFError when the input ends."""
    profile: Profile = {}
    if not criteria:
        return profile
    print("Profil de l’organisation : il écarte les questions qui ne la concernent pas "
          "(Entrée : ne pas répondre, toutes les questions restent).", file=out)
    for criterion in criteria.values():
        while True:
            if criterion.kind == YES_NO:
                prompt = f"{criterion.question} [o/n, Entrée=passer] : "
            else:
                print(criterion.question, file=out)
                for number, label in enumerate(criterion.values.values(), start=1):
                    print(f"  {number}. {label}", file=out)
                prompt = "Votre choix [numéro, Entrée=passer] : "
            out.write(prompt)
            out.flush()
            line = read()
            if line == "":
                raise EOFError
            given = line.strip()
            if not given:
                break
            value = yes_no_answer(given) if criterion.kind == YES_NO else \
                _choice(criterion, given.lower())
            if value is not None:
                profile[criterion.key] = value
                break
            print("  Réponse non comprise.", file=out)
    return profile


def scope_lines(assessment: Assessment) -> list[str]:
    """What the profile leaves out, how many and why (nothing without a profile)."""
    scope = assessment.scope
    if scope is None or not scope.profile:
        return []
    lines = [f"Profil : {profile_words(scope.profile, scope.criteria)}"]
    count = len(assessment.out_of_scope)
    if not count:
        lines.append("Toutes les questions s’appliquent à ce profil.")
        return lines
    lines.append(f"Hors champ ({count}) : ces questions ne s’appliquent pas à ce profil et "
                 "ne comptent pas dans l’avancement.")
    for words, item_ids in scope.reasons(assessment.out_of_scope):
        lines.append(f"  {', '.join(item_ids)} — {words}")
    kept = assessment.answered_out_of_scope()
    if kept:
        lines.append(f"Réponses conservées hors champ ({len(kept)}) : "
                     f"{', '.join(question.id for question in kept)}")
    return lines

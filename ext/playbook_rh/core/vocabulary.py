"""The closed vocabularies of the playbook, and the patterns every tool shares.

Two kinds of definitions live here, each once:

- what is part of the formats themselves, and so the same in every playbook and every
  tool that reads a run file (the command line, the browser, another organisation's
  scripts): the form of an item ID, of a phase prefix and of a vocabulary key, the
  status of a question nobody answered (:data:`TODO`), the one ticking an item records
  (:data:`DONE`) and the statuses that count as complete (:data:`COMPLETE`);
- the model of what ``conf.py`` declares (phases, owner roles, statuses and their
  French labels), with :func:`read_vocabulary`, the one check of those settings. The
  Sphinx extension runs it at ``config-inited`` (:mod:`playbook_rh.sphinxext.config`),
  the command line on the vocabulary the build exported
  (:mod:`playbook_rh.core.vocabulary_file`), so both accept and refuse the same.

No Sphinx here: the command line imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

#: An item ID: the phase prefix, a hyphen, two or three digits (``REC-03``). Written so
#: that JavaScript's ``RegExp`` reads it as Python's ``re`` does (the browser gets it).
ID_PATTERN = re.compile(r"^[A-Z]{2,5}-[0-9]{2,3}$")
#: A phase prefix, the start of its items' IDs.
PREFIX_PATTERN = re.compile(r"^[A-Z]{2,5}$")
#: A key of a vocabulary (phase, owner role, status).
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")

#: The status of a question nobody answered yet: every item of a new run, an item a
#: run has no entry for, an entry without ``status:``.
TODO = "todo"
#: The status ticking an item records (the site's checkbox, ``f`` in ``playbook-rh run``).
DONE = "done"
#: Statuses that count as complete when progress is measured, in every playbook.
COMPLETE = (DONE, "not-applicable")
#: Statuses ``playbook_statuses`` must declare: the tools write them.
REQUIRED_STATUSES = (TODO, DONE)


class Phase(NamedTuple):
    """One phase of HR's handling of social media; its items share an ID prefix."""

    key: str
    label: str
    prefix: str
    order: int


class Vocabulary(NamedTuple):
    """What ``conf.py`` declares: phases in reading order, owner roles and statuses
    (key -> French label, in order), and the status of an item that gives none."""

    phases: dict[str, Phase]
    owners: dict[str, str]
    statuses: dict[str, str]
    default_status: str

    def phase_of_prefix(self, prefix: str) -> Phase | None:
        for phase in self.phases.values():
            if phase.prefix == prefix:
                return phase
        return None

    @property
    def complete(self) -> tuple[str, ...]:
        """The declared statuses that count as complete, in declared order."""
        return tuple(key for key in self.statuses if key in COMPLETE)


class VocabularyProblem(NamedTuple):
    """One mistake in a setting; ``setting`` is its name in ``conf.py``."""

    setting: str
    message: str


class _Reader:
    def __init__(self) -> None:
        self.problems: list[VocabularyProblem] = []

    def problem(self, setting: str, message: str) -> None:
        self.problems.append(VocabularyProblem(setting, message))

    def key(self, setting: str, key: object) -> bool:
        if isinstance(key, str) and KEY_PATTERN.match(key):
            return True
        self.problem(setting, f"key {key!r} must be lowercase letters, digits and "
                              "hyphens, starting with a letter")
        return False

    def label(self, setting: str, key: str, label: object) -> bool:
        if isinstance(label, str) and label.strip():
            return True
        self.problem(setting, f"the label of {key!r} must be non-empty text, "
                              f"not {label!r}")
        return False

    def labels(self, setting: str, value: object) -> dict[str, str]:
        if not isinstance(value, Mapping) or not value:
            self.problem(setting, "must be a non-empty dict of key -> French label, "
                                  f"not {_shown(value)}")
            return {}
        return {key: label for key, label in value.items()
                if self.key(setting, key) and self.label(setting, key, label)}

    def phases(self, value: object) -> dict[str, Phase]:
        setting = "playbook_phases"
        if not isinstance(value, Mapping) or not value:
            self.problem(setting, "must be a non-empty dict of key -> "
                                  f"{{'label': ..., 'prefix': ...}}, not {_shown(value)}")
            return {}
        phases: dict[str, Phase] = {}
        prefixes: dict[str, str] = {}
        for key, entry in value.items():
            if not self.key(setting, key):
                continue
            if not isinstance(entry, Mapping) or not {"label", "prefix"} <= entry.keys():
                self.problem(setting, f"{key!r} needs a dict with a 'label' and a "
                                      f"'prefix', not {_shown(entry)}")
                continue
            unknown = sorted(str(name) for name in entry.keys() - {"label", "prefix"})
            if unknown:
                self.problem(setting, f"{key!r}: unknown key(s) {', '.join(map(repr, unknown))}; "
                                      "a phase has a 'label' and a 'prefix' (the reading "
                                      "order is the order of the dict)")
                continue
            prefix = entry["prefix"]
            if not self.label(setting, key, entry["label"]):
                continue
            if not isinstance(prefix, str) or not PREFIX_PATTERN.match(prefix):
                self.problem(setting, f"{key!r}: prefix {prefix!r} must be 2 to 5 capital "
                                      "letters")
                continue
            if prefix in prefixes:
                self.problem(setting, f"prefix {prefix!r} is used by both "
                                      f"{prefixes[prefix]!r} and {key!r}: give each phase "
                                      "its own")
                continue
            prefixes[prefix] = key
            phases[key] = Phase(key, entry["label"], prefix, len(phases))
        return phases


def _shown(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def read_vocabulary(phases: object, owners: object, statuses: object,
                    default_status: object) -> tuple[Vocabulary, list[VocabularyProblem]]:
    """The vocabulary from the raw settings, and every problem found in them.

    Every mistake is one problem, so a caller reports them all at once; a wrong entry
    is left out of the vocabulary (a wrong setting as a whole gives an empty one).
    """
    reader = _Reader()
    read_statuses = reader.labels("playbook_statuses", statuses)
    # against the keys as written: a wrong label is one problem, not three
    declared = list(statuses) if isinstance(statuses, Mapping) else []
    missing = [key for key in REQUIRED_STATUSES if key not in declared]
    if declared and missing:
        reader.problem("playbook_statuses",
                       f"must declare {' and '.join(map(repr, missing))}: the run files "
                       f"and the tools use {', '.join(map(repr, REQUIRED_STATUSES))}")
    default = default_status if isinstance(default_status, str) else ""
    if declared and default not in declared:
        reader.problem("playbook_default_status",
                       f"{default_status!r} is not one of playbook_statuses "
                       f"({', '.join(map(str, declared))})")
    if default not in read_statuses and read_statuses:
        default = TODO if TODO in read_statuses else next(iter(read_statuses))
    vocabulary = Vocabulary(
        phases=reader.phases(phases),
        owners=reader.labels("playbook_owners", owners),
        statuses=read_statuses,
        default_status=default,
    )
    return vocabulary, reader.problems


def vocabulary_settings(vocabulary: Vocabulary) -> dict[str, Any]:
    """The settings :func:`read_vocabulary` reads, as ``conf.py`` writes them."""
    return {
        "playbook_phases": {phase.key: {"label": phase.label, "prefix": phase.prefix}
                            for phase in vocabulary.phases.values()},
        "playbook_owners": dict(vocabulary.owners),
        "playbook_statuses": dict(vocabulary.statuses),
        "playbook_default_status": vocabulary.default_status,
    }

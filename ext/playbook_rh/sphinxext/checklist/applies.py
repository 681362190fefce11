"""An item's ``:applies:`` condition: read with located warnings, shown in words.

The condition language is :mod:`playbook_rh.core.profile`'s; this module only turns
its errors into ``checklist`` warnings and draws the line « S’applique aux
organisations … » under an item or a question in a table.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes

from playbook_rh.core.profile import (
    Condition,
    ConditionError,
    Criteria,
    Tree,
    describe,
    parse_condition,
)
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

#: The warning of each kind of mistake :class:`ConditionError` reports.
WARNINGS = {
    "malformed": ChecklistWarning.MALFORMED_CONDITION,
    "unknown_criterion": ChecklistWarning.UNKNOWN_CRITERION,
    "unknown_value": ChecklistWarning.UNKNOWN_VALUE,
}


def read_condition(text: str, criteria: Criteria, item_id: str,
                   location: tuple[str, int]) -> Condition | None:
    """The item's condition, or None (warned) if it cannot be used: the item then
    applies to every organisation, which is the safe side."""
    try:
        return parse_condition(text, criteria)
    except ConditionError as error:
        warn(WARNINGS[error.kind],
             f"item {item_id}: :applies: {text.strip()!r}, column {error.column}: "
             f"{error.message}; meanwhile the item applies to every organisation",
             location)
        return None


class Described:
    """Conditions in words, each distinct condition parsed once."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self.words: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if text not in self.words:
            try:
                self.words[text] = describe(parse_condition(text, self.criteria).tree,
                                            self.criteria)
            except ConditionError:  # warned about when the page was read
                self.words[text] = ""
        return self.words[text]


def applies_line(words: str) -> nodes.paragraph:
    """The line under an item: « S’applique aux organisations de 50 salariés ou plus. »"""
    return nodes.paragraph("", words, classes=["playbook-item-applies"])


def applies_note(words: str) -> nodes.inline:
    """The same words under a question in a table cell."""
    return nodes.inline("", "", nodes.Text(" "), nodes.emphasis("", words),
                        classes=["playbook-question-applies"])


def condition_trees(conditions: Iterable[tuple[str, str]],
                    criteria: Criteria) -> dict[str, Tree]:
    """Item ID -> its compiled condition, for the browser (items without one left out)."""
    trees: dict[str, Tree] = {}
    parsed: dict[str, Tree | None] = {}
    for item_id, text in conditions:
        if not text:
            continue
        if text not in parsed:
            try:
                parsed[text] = parse_condition(text, criteria).tree
            except ConditionError:  # warned about when the page was read
                parsed[text] = None
        tree = parsed[text]
        if tree is not None:
            trees[item_id] = tree
    return trees

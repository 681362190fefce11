"""An item's ``:applies:`` condition: read with located warnings, shown in words.

The condition language is :mod:`playbook_rh.core.profile`'s; this module only turns
its errors into ``checklist`` warnings and draws the line « S’applique aux
organisations … » under an item or a question in a table. Items share a few
conditions: each distinct one is parsed and described once per build process.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes

from playbook_rh.core.profile import (
    Condition,
    ConditionError,
    Criteria,
    Tree,
    describe,
    parse_condition,
)
from playbook_rh.sphinxext.config import profile_criteria
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The warning of each kind of mistake :class:`ConditionError` reports.
WARNINGS = {
    "malformed": ChecklistWarning.MALFORMED_CONDITION,
    "unknown_criterion": ChecklistWarning.UNKNOWN_CRITERION,
    "unknown_value": ChecklistWarning.UNKNOWN_VALUE,
}


class Conditions:
    """The criteria of ``playbook_profile``, read once, and the conditions met so far,
    parsed and put in words once each."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self._parsed: dict[str, Condition | ConditionError] = {}
        self._words: dict[str, str] = {}

    def parse(self, text: str) -> Condition:
        """The condition ``text``; :class:`ConditionError` if it cannot be used."""
        if text not in self._parsed:
            try:
                self._parsed[text] = parse_condition(text, self.criteria)
            except ConditionError as error:
                self._parsed[text] = error
        parsed = self._parsed[text]
        if isinstance(parsed, ConditionError):
            raise parsed
        return parsed

    def words(self, text: str) -> str:
        """The condition in French; empty for one that cannot be used (warned about
        when its page was read)."""
        if text not in self._words:
            try:
                self._words[text] = describe(self.parse(text).tree, self.criteria)
            except ConditionError:
                self._words[text] = ""
        return self._words[text]

    def trees(self, conditions: Iterable[tuple[str, str]]) -> dict[str, Tree]:
        """Item ID -> its compiled condition, for the browser (items without one, or
        with one that cannot be used, left out)."""
        trees: dict[str, Tree] = {}
        for item_id, text in conditions:
            if text:
                try:
                    trees[item_id] = self.parse(text).tree
                except ConditionError:
                    continue
        return trees


_conditions: WeakKeyDictionary[Sphinx, Conditions] = WeakKeyDictionary()


def conditions_of(app: Sphinx) -> Conditions:
    if app not in _conditions:
        _conditions[app] = Conditions(profile_criteria(app.config))
    return _conditions[app]


def read_condition(app: Sphinx, text: str, item_id: str,
                   location: tuple[str, int]) -> Condition | None:
    """The item's condition, or None (warned) if it cannot be used: the item then
    applies to every organisation, which is the safe side."""
    try:
        return conditions_of(app).parse(text)
    except ConditionError as error:
        warn(WARNINGS[error.kind],
             f"item {item_id}: :applies: {text.strip()!r}, column {error.column}: "
             f"{error.message}; meanwhile the item applies to every organisation",
             location)
        return None


def applies_line(words: str) -> nodes.paragraph:
    """The line under an item: « S’applique aux organisations de 50 salariés ou plus. »"""
    return nodes.paragraph("", words, classes=["playbook-item-applies"])


def applies_note(words: str) -> nodes.inline:
    """The same words under a question in a table cell."""
    return nodes.inline("", "", nodes.Text(" "), nodes.emphasis("", words),
                        classes=["playbook-question-applies"])

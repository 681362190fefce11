"""Every problem an author can cause, as one documented warning subtype.

Checklist problems are of ``type="checklist"``, problems with figures and their
sources of ``type="fact"``. All carry a ``location`` (file and line), so a project can
silence one with ``suppress_warnings = ["checklist.<subtype>"]`` and editors and CI
can annotate the line (``path:line: WARNING: ... [checklist.<subtype>]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import TYPE_CHECKING

from sphinx.util import logging

from playbook_rh.core.safe_text import shown

if TYPE_CHECKING:
    from docutils import nodes

LOGGER = logging.getLogger("playbook")
#: (page, file) while a directive of a file included in that page runs.
_INCLUDED_FILE: ContextVar[tuple[str, str] | None] = ContextVar("included_file", default=None)


@contextmanager
def relocated(docname: str, source: str) -> Iterator[None]:
    """Warnings located ``(docname, line)`` meanwhile point at ``source:line`` instead:
    the lines are those of a file included in the page."""
    token = _INCLUDED_FILE.set((docname, source))
    try:
        yield
    finally:
        _INCLUDED_FILE.reset(token)


class _Subtypes(Enum):
    """Warning subtypes of one type; each member's value is ``(subtype, meaning)``."""

    @property
    def warning_type(self) -> str:
        raise NotImplementedError

    @property
    def subtype(self) -> str:
        return str(self.value[0])

    @property
    def description(self) -> str:
        return str(self.value[1])


class ChecklistWarning(_Subtypes):
    """The subtypes of ``checklist`` warnings."""

    MISSING_ID = ("missing_id", "An item has no ID before its question.")
    MALFORMED_ID = ("malformed_id", "An ID is not written PREFIX-NN (capitals, hyphen, digits).")
    PREFIX_MISMATCH = ("prefix_mismatch", "An item's ID prefix is not its phase's prefix.")
    DUPLICATE_ID = ("duplicate_id", "Two items (on one page or two) share an ID.")
    UNKNOWN_PHASE = ("unknown_phase", "A checklist names no phase, or an undeclared one.")
    UNKNOWN_OWNER = ("unknown_owner", "An owner role is missing or not in playbook_owners.")
    UNKNOWN_STATUS = ("unknown_status", "A status is not in playbook_statuses.")
    UNKNOWN_FIELD = ("unknown_field", "An item carries a field it does not take.")
    UNKNOWN_LINK = ("unknown_link", "An item links to an ID no item has.")
    EMPTY = ("empty", "A checklist has no item.")
    NOT_TASK_LIST = ("not_task_list", "A checklist's body holds more than a task list.")
    NO_QUESTION = ("no_question", "An item has an ID but no question text.")
    PHASE_WITHOUT_QUESTIONS = ("phase_without_questions", "A declared phase has no question.")
    REJECTED = ("rejected", "sphinx-needs refused the item (its message says why).")
    RUN = ("run", "The run file given with RUN= cannot be read, or names unknown items.")
    RELEASE = ("release", "A frozen release (releases/<release>/needs.json) is unreadable.")
    NEEDS_INTERNALS = ("needs_internals", "This sphinx-needs release moved the internal the "
                       "playbook uses to speed up rebuilds; it falls back to the documented "
                       "API.")
    LOOKALIKE_ID = ("lookalike_id", "An ID holds a letter of another alphabet that looks "
                    "like a Latin one (Cyrillic, Greek), or is followed by a no-break space.")
    TICKED_IN_SOURCE = ("ticked_in_source", "An item is written '- [x]': boxes are ticked "
                        "by those who run the checklist, not in the source.")
    DUPLICATE_FIELD = ("duplicate_field", "An item gives the same field twice.")
    FIELD_AFTER_BLANK_LINE = ("field_after_blank_line", "An item's field comes after a "
                              "blank line, where it would read as guidance.")
    RAW_HTML = ("raw_html", "A question or its guidance holds raw HTML, which the PDF "
                "playbooks cannot print.")
    SELF_LINK = ("self_link", "An item links to itself.")
    REPLACES_LIVE_ID = ("replaces_live_id", "An item replaces itself or the ID of an item "
                        "that still exists.")
    REPLACED_TWICE = ("replaced_twice", "Two items replace the same former ID.")
    REPLACEMENT_CYCLE = ("replacement_cycle", "Items replace each other in a circle.")
    MALFORMED_CONDITION = ("malformed_condition", "An item's :applies: condition is not "
                           "written in the condition language (its column is given).")
    UNKNOWN_CRITERION = ("unknown_criterion", "An :applies: condition names a criterion "
                         "playbook_profile does not declare.")
    UNKNOWN_VALUE = ("unknown_value", "An :applies: condition compares a criterion with a "
                     "value or number it does not have.")
    DASHBOARD_OPTION = ("dashboard_option", "A dashboard directive (questions-table, "
                        "questions-count) has an option value it does not take.")
    ROLE_PAGE = ("role_page", "A declared owner role has no page listing its questions "
                 "(role-questions) while other roles have one, or role-questions names "
                 "an undeclared role.")

    @property
    def warning_type(self) -> str:
        return "checklist"


class FactWarning(_Subtypes):
    """The subtypes of ``fact`` warnings (figures and the sources they come from)."""

    MALFORMED = ("malformed", "A fact role is not written {fact}`text <source-key>`.")
    UNKNOWN_SOURCE = ("unknown_source", "A fact names a source no source directive declares.")
    DUPLICATE_SOURCE = ("duplicate_source", "Two source directives declare the same key.")
    BAD_DATE = ("bad_date", "A date is not written YYYY, YYYY-MM or YYYY-MM-DD, or is no "
                "real day (30 February).")
    FUTURE_DATE = ("future_date", "A fact or a source is dated after the day of the build "
                   "(playbook_today).")
    SOURCE_WITHOUT_TITLE = ("source_without_title", "A source directive has no :title:.")
    REVIEW = ("review", "A page's legal_review front matter is not a past day YYYY-MM-DD, "
              "or names no legal_reviewer.")

    @property
    def warning_type(self) -> str:
        return "fact"


def warn(
    kind: ChecklistWarning | FactWarning,
    message: str,
    location: str | tuple[str, int | None] | nodes.Node | None,
) -> None:
    """Emit one located warning of ``kind``'s type and subtype.

    The message, and a location given as text (``path:line``), reach the terminal and
    the CI log with every control character a visible escape (:func:`.safe_text.shown`):
    a file named with ESC, a line break or a bidi override, or such a character quoted
    from the source, cannot rewrite the screen or forge another warning line.
    """
    included = _INCLUDED_FILE.get()
    if included and isinstance(location, tuple) and location[0] == included[0]:
        location = f"{included[1]}:{location[1]}"
    if isinstance(location, str):
        location = shown(location)
    LOGGER.warning(shown(message), type=kind.warning_type, subtype=kind.subtype,
                   location=location)

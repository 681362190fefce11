"""The options the dashboard directives share: filters on the closed vocabularies, and
a choice among named values; each bad value a located ``checklist.dashboard_option``
warning, the rest of the directive kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from playbook_rh.core.vocabulary import Vocabulary
from playbook_rh.sphinxext.checklist.parsing import split_list
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.dashboards.selection import Filters
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn


class DashboardDirective(SphinxDirective):
    """A dashboard directive: questions chosen by filters on their fields (phases,
    owner roles and statuses checked against the vocabularies; tags are free)."""

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "phase": directives.unchanged,
        "owner": directives.unchanged,
        "status": directives.unchanged,
        "tag": directives.unchanged,
        "class": directives.class_option,
    }

    def option_location(self, name: str) -> tuple[str, int]:
        """Where option ``name`` is written, else the directive's line."""
        for offset, line in enumerate(self.block_text.splitlines()):
            if line.strip().startswith(f":{name}:"):
                return (self.env.docname, self.lineno + offset)
        return (self.env.docname, self.lineno)

    def bad_value(self, name: str, value: str, allowed: Sequence[str], what: str,
                  instead: str) -> None:
        warn(ChecklistWarning.DASHBOARD_OPTION,
             f"{self.name}: ':{name}:' names {value!r}, which is not {what}; use "
             f"{', '.join(allowed)} ({instead})",
             self.option_location(name))

    def values(self, name: str, allowed: Sequence[str] | None,
               what: str = "") -> tuple[str, ...]:
        """The comma-separated values of filter option ``name``; those outside
        ``allowed`` (when given) are warned about, and match no question."""
        kept: list[str] = []
        for value in split_list(self.options.get(name) or ""):
            if allowed is not None and value not in allowed:
                self.bad_value(name, value, allowed, what, "meanwhile it matches no question")
            if value not in kept:
                kept.append(value)
        return tuple(kept)

    def choice(self, name: str, allowed: Sequence[str], default: str, what: str,
               instead: str = "") -> str:
        """One value among ``allowed``; ``default`` when the option is not given, or
        (warned about) when it names another value."""
        value = (self.options.get(name) or "").strip()
        if not value:
            return default
        if value not in allowed:
            self.bad_value(name, value, allowed, what, instead or f"meanwhile {default!r}")
            return default
        return value

    def filters(self) -> Filters:
        vocab: Vocabulary = vocabulary(self.config)
        return Filters(
            phases=self.values("phase", list(vocab.phases), "a phase of playbook_phases"),
            owners=self.values("owner", list(vocab.owners),
                               "an owner role of playbook_owners"),
            statuses=self.values("status", list(vocab.statuses),
                                 "a status of playbook_statuses"),
            tags=self.values("tag", None),
        )

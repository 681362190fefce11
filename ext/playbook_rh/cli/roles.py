"""What the command shows per owner role: ``status --by owner`` (or ``--by phase``), a
table of open, done and overdue items per group (counted by :mod:`playbook_rh.core.roles`)."""

from __future__ import annotations

from collections.abc import Sequence

from playbook_rh.core.roles import Tally
from playbook_rh.core.safe_text import shown

#: The table's column headers, in French like the rest of ``status``.
HEADERS = ("Ouvertes", "Traitées", "En retard", "Total")
GROUP_HEADERS = {"owner": "Rôle", "phase": "Phase"}


def tally_lines(by: str, tallies: Sequence[Tally]) -> list[str]:
    """The table, aligned for a terminal: a header, then one line per group."""
    first = GROUP_HEADERS[by]
    # the labels come from the exported vocabulary, a file like any other
    labels = [shown(row.label) for row in tallies]
    width = max([len(first), *(len(label) for label in labels)])
    header = f"{first:<{width}}  " + "  ".join(f"{title:>9}" for title in HEADERS)
    lines = [header, "-" * len(header)]
    for row, label in zip(tallies, labels, strict=True):
        cells = (row.open, row.done, row.overdue, row.total)
        lines.append(f"{label:<{width}}  " + "  ".join(f"{cell:>9}" for cell in cells))
    return lines


def tally_data(tallies: Sequence[Tally]) -> list[dict[str, object]]:
    """The table for ``--json``: one object per group."""
    return [{"key": row.key, "label": row.label, "open": row.open, "done": row.done,
             "overdue": row.overdue, "total": row.total} for row in tallies]

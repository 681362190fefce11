"""Legal review dates: when each page that states law was last checked, and by whom.

A page records its last legal review in its front matter::

    ---
    legal_review: "2026-12-01"
    legal_reviewer: "Équipe éditoriale du playbook"
    ---

A review is due once ``months`` months have passed since that date. This module holds
what the build and the ``review`` command share; it imports neither Sphinx nor docutils.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

#: The front-matter keys a page records its review with.
REVIEW_DATE_KEY = "legal_review"
REVIEWER_KEY = "legal_reviewer"
#: How long a legal review holds, when the project does not say.
DEFAULT_REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Review:
    """The last legal review of one page."""

    page: str
    """The page, as the reader of this record names it (a docname or a path)."""
    reviewed: datetime.date
    reviewer: str

    def due_on(self, months: int) -> datetime.date:
        """The day the next review is due (month arithmetic from dateutil)."""
        due: datetime.date = self.reviewed + relativedelta(months=months)
        return due

    def is_due(self, months: int, today: datetime.date) -> bool:
        return today >= self.due_on(months)


class ReviewError(ValueError):
    """A page's review metadata cannot be read; the message says how to fix it."""


def review_from_metadata(page: str, metadata: Mapping[str, object],
                         today: datetime.date) -> Review | None:
    """The page's review, None when it records none; ReviewError when it is malformed.

    The date must be a day (YYYY-MM-DD) that is not in the future, and a reviewer must
    be named: a review nobody signed, or dated ahead, cannot be relied on.
    """
    if REVIEW_DATE_KEY not in metadata:
        if REVIEWER_KEY in metadata:
            raise ReviewError(f"{REVIEWER_KEY!r} is given without {REVIEW_DATE_KEY!r}; "
                              f"add {REVIEW_DATE_KEY}: \"YYYY-MM-DD\", the day of the review")
        return None
    raw = metadata[REVIEW_DATE_KEY]
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        reviewed = raw
    else:
        try:
            reviewed = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ReviewError(f"{REVIEW_DATE_KEY} {str(raw)!r} is not a day written "
                              "YYYY-MM-DD (for example \"2026-12-01\")") from None
        if len(str(raw).strip()) != len("YYYY-MM-DD"):
            raise ReviewError(f"{REVIEW_DATE_KEY} {str(raw)!r} is not a day written "
                              "YYYY-MM-DD (for example \"2026-12-01\")")
    if reviewed > today:
        raise ReviewError(f"{REVIEW_DATE_KEY} {reviewed.isoformat()} is in the future; "
                          "give the day the page was actually reviewed")
    reviewer = str(metadata.get(REVIEWER_KEY) or "").strip()
    if not reviewer:
        raise ReviewError(f"{REVIEW_DATE_KEY} is given without {REVIEWER_KEY!r}; say who "
                          "reviewed the page")
    return Review(page, reviewed, reviewer)


def front_matter_lines(text: str) -> list[str]:
    """The lines of a page's front matter: between its first two ``---`` lines, the
    first one opening the file (as MyST reads it); none when the page has none."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    end = next((number for number, line in enumerate(lines[1:], start=1)
                if line.strip() == "---"), None)
    return [] if end is None else lines[1:end]


def key_lines(block: list[str]) -> dict[str, int]:
    """The file line of each top-level key of a front matter (its block starts on line
    2), the first when a key is repeated."""
    where: dict[str, int] = {}
    for number, line in enumerate(block, start=2):
        if ":" in line and not line[:1].isspace():
            where.setdefault(line.split(":", 1)[0].strip(), number)
    return where


def review_line(where: Mapping[str, int]) -> int:
    """The line a problem with the review points at: its date's key, else its
    reviewer's, else the first line of the file."""
    return where.get(REVIEW_DATE_KEY, where.get(REVIEWER_KEY, 1))

"""What counts as a figure in the content, for the test that every figure is sourced.

A figure is a number in the prose: a percentage, an amount, a count, a year or a
dated event. Each must be written with the ``fact`` role, which names its source.
Numbers that are not figures are listed here, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Blocks whose text is not prose: code, and the bibliographic source declarations.
SKIPPED_BLOCKS = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\s*(?:\{source\}|\{code-block\}|\{needtable\}|\{needpie\}|"
    r"\{toctree\}|[a-z]*$).*?^(?P=fence)\s*$",
    re.MULTILINE | re.DOTALL,
)
NOT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a fact (figure, event or rule), marked up with its source",
     re.compile(r"\{(?:fact|event|rule)\}`[^`]*`")),
    ("a role's target (IDs, documents, terms)", re.compile(r"\{[a-z:-]+\}`[^`]*`")),
    ("inline code", re.compile(r"`[^`]*`")),
    ("a link's address", re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")),
    ("a directive option (checklist fields, sphinx-design options)",
     re.compile(r"^\s*:[\w-]+:.*$", re.MULTILINE)),
    ("a checklist item ID", re.compile(r"\b[A-Z]{2,5}-[0-9]{2,3}\b")),
    ("an article of a French code (L1221-6, R1321-1)",
     re.compile(r"\b[LRD]\.?\s?[0-9]{3,4}(?:-[0-9]+)+\b")),
    ("an article of a code numbered without a letter (art. 225-1 et 225-2 du Code pénal)",
     re.compile(r"\b(?:articles?|art\.)\s+[0-9]+(?:-[0-9]+)+(?:\s*(?:,|et|à)\s*[0-9]+(?:-[0-9]+)*)*",
                re.IGNORECASE)),
    ("an article number of a law or regulation (article 5, art. 9, articles 5, 6 et 14)",
     re.compile(r"\b(?:articles?|art\.)\s+[0-9]+(?:\s*(?:,|et|à)\s*[0-9]+)*", re.IGNORECASE)),
    ("a paragraph or point of an article or annex (art. 26, § 7 ; annexe III, point 4)",
     re.compile(r"§\s?[0-9]+|\bpoints?\s[0-9]+\b")),
    ("the page's front matter (legal_review date)", re.compile(r"\A---\n.*?\n---\n", re.DOTALL)),
    ("a case number of the EU courts (aff. C-252/21)", re.compile(r"\b[CT]-[0-9]+/[0-9]{2}\b")),
    ("the usual name of the Article 29 Working Party (G29)", re.compile(r"\bG29\b")),
    ("a text's official number (n° 02-017, avis 2/2017)",
     re.compile(r"\bn°\s?[0-9][0-9-]*|\b[0-9]+/[0-9]{4}\b")),
    ("a law's name (loi du 29 juillet 1881, loi n° ...)",
     re.compile(r"\bloi du [0-9]{1,2}(?:er)? \w+ [0-9]{4}")),
    ("a case citation ([2013] NSWDC 295)", re.compile(r"\[[0-9]{4}\] [A-Z]+ [0-9]+")),
    ("a licence's name and version (CC BY-SA 4.0)",
     re.compile(r"\bCC BY(?:-[A-Z]{2})* [0-9]\.[0-9]\b")),
    ("a phase's number in the playbook's own structure (phase 1 to 4)",
     re.compile(r"\b[Pp]hase [1-4]\b")),
    ("a grid's column counts ({grid} 1 2 2 3)",
     re.compile(r"^[`:]{3,}\{grid\}[ 0-9]*$", re.MULTILINE)),
    ("an ordered-list marker", re.compile(r"^\s*[0-9]+[.)]\s", re.MULTILINE)),
    ("a heading level or anchor", re.compile(r"\(#[^)]*\)|\{#[^}]*\}")),
)
DIGIT = re.compile(r"[0-9]+(?:[  .,][0-9]+)*\s?%?")


def unsourced_figures(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of every number in ``path`` that is not marked up as a fact."""
    text = path.read_text(encoding="utf-8")

    def blank(match: re.Match[str]) -> str:
        # keep line breaks, so line numbers stay right
        return re.sub(r"[^\n]", " ", match.group(0))

    text = SKIPPED_BLOCKS.sub(blank, text)
    for _reason, pattern in NOT_FIGURES:
        text = pattern.sub(blank, text)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in DIGIT.finditer(line):
            found.append((number, match.group(0).strip()))
    return found

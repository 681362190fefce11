"""French typography, added by the build so authors type plain spaces.

In French a narrow no-break space (U+202F) goes before ``; ! ?``, a no-break space
(U+00A0) before ``:`` and inside « », and the apostrophe is typographic (’). Authors
write ``Question ?``; the HTML reader never sees ``?`` alone at the start of a line.
In LaTeX, babel's French module (Sphinx's choice for xelatex here) spaces high
punctuation and guillemets itself (it removes a typed space and sets its own): a
U+202F there would double the space, so only the apostrophe rule applies to LaTeX.

It runs on the resolved doctree (last ``doctree-resolved`` handler), so text the build
generates (tables of needs, item links, figure tables) is treated too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

APOSTROPHE: tuple[re.Pattern[str], str] = (re.compile(r"(?<=\w)'(?=\w)"), "’")
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ \u00a0\u202f]+([;!?])"), NARROW_NBSP + r"\1"),
    (re.compile(r"(?<=\w)([;!?])(?=\s|$)"), NARROW_NBSP + r"\1"),
    (re.compile(r"[ \u00a0\u202f]+:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NBSP + "»"),
    APOSTROPHE,
)

#: Text inside these is code, markup or an address: left as written.
LITERAL_NODES = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math,
                 nodes.math_block, nodes.comment, nodes.doctest_block, nodes.target)


#: Whether a text can need any rule at all: most text nodes are skipped on this test.
TRIGGER = re.compile(r"[;!?:«»']")

#: How many treated texts are remembered (a few MB at most).
TEXTS_REMEMBERED = 16384


def french(text: str) -> str:
    if not TRIGGER.search(text):
        return text
    return _french_rules(str(text))


@lru_cache(maxsize=TEXTS_REMEMBERED)
def _french_rules(text: str) -> str:
    """The rules, once a distinct text: the same texts come back on every page (the
    owner line of each item, labels) and in every table (each question on its page,
    its dashboard and its owners' pages). Six substitutions a text, otherwise."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def _is_address(node: nodes.Element) -> bool:
    return isinstance(node, nodes.reference) and node.astext().startswith(
        ("http:", "https:", "mailto:")
    )


def french_apostrophes(text: str) -> str:
    """The apostrophe rule alone: what LaTeX output needs (see the module's docstring)."""
    if "'" not in text:
        return text
    return APOSTROPHE[0].sub(APOSTROPHE[1], text)


def _treat(element: nodes.Element, rules: Callable[[str], str] = french) -> None:
    """Apply the rules to the text below ``element``, never entering code or addresses.

    One walk down the tree: no per-node search up through the parents.
    """
    stack = [element]
    while stack:
        parent = stack.pop()
        for index, child in enumerate(parent.children):
            if isinstance(child, nodes.Text):
                text = str(child)
                treated = rules(text)
                if treated is not text and treated != text:
                    parent.children[index] = nodes.Text(treated)
                    parent.children[index].parent = parent
            elif isinstance(child, LITERAL_NODES) or (
                    isinstance(child, nodes.reference) and _is_address(child)):
                continue
            else:
                stack.append(child)


def treats_french(app: Sphinx) -> bool:
    """Whether this build adds French typography (French pages, written as HTML)."""
    return (app.config.language or "").startswith("fr") and app.builder.format == "html"


def apply_french_typography(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if treats_french(app):
        _treat(doctree)
    elif (app.config.language or "").startswith("fr") and app.builder.format == "latex":
        _treat(doctree, french_apostrophes)

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


#: Set on an element whose text had the page's rules applied when it was built (a
#: dashboard's table, thousands of rows): the walk does not enter it again.
ALREADY_TREATED = "playbook_typography_applied"

#: How the walk takes a node of each class (worked out once a class, see _kind_of).
_TEXT, _ENTER, _LEAVE, _UNLESS_ADDRESS = range(4)
_kinds: dict[type[nodes.Node], int] = {}


def _kind_of(node_class: type[nodes.Node]) -> int:
    if issubclass(node_class, nodes.Text):
        return _TEXT
    if issubclass(node_class, LITERAL_NODES):
        return _LEAVE
    if issubclass(node_class, nodes.reference):
        return _UNLESS_ADDRESS
    return _ENTER


def _treat(element: nodes.Element, rules: Callable[[str], str] = french) -> None:
    """Apply the rules to the text below ``element``, never entering code or addresses.

    One walk down the tree: no per-node search up through the parents. Every node of
    every page goes through it, so a node's class is looked up once (``_kinds``) rather
    than tested against the literal classes node by node.
    """
    kinds = _kinds
    stack = [element]
    while stack:
        parent = stack.pop()
        children = parent.children
        for index, child in enumerate(children):
            kind = kinds.get(type(child))
            if kind is None:
                kind = kinds[type(child)] = _kind_of(type(child))
            if kind == _TEXT:
                treated = rules(child)
                if treated is not child and treated != child:
                    children[index] = nodes.Text(treated)
                    children[index].parent = parent
            elif ((kind == _ENTER or (kind == _UNLESS_ADDRESS and not _is_address(child)))
                  and ALREADY_TREATED not in child.attributes):
                stack.append(child)


def as_written(text: str) -> str:
    return text


def rules_of(app: Sphinx) -> Callable[[str], str]:
    """What this build does to a text: for what the extension builds at write time
    with its typography already applied (marked :data:`ALREADY_TREATED`)."""
    if treats_french(app):
        return french
    if _french_on_paper(app):
        return french_apostrophes
    return as_written


def treats_french(app: Sphinx) -> bool:
    """Whether this build adds French typography (French pages, written as HTML)."""
    return (app.config.language or "").startswith("fr") and app.builder.format == "html"


def _french_on_paper(app: Sphinx) -> bool:
    return (app.config.language or "").startswith("fr") and app.builder.format == "latex"


def apply_french_typography(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if treats_french(app):
        _treat(doctree)
    elif _french_on_paper(app):
        _treat(doctree, french_apostrophes)

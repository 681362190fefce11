"""Parse the body of a ``checklist`` directive: a Markdown task list.

This module knows Markdown lines, not Sphinx: it returns the items it found and the
problems it met, each with the index of the body line it belongs to, so the directive
can locate both in the source file. An item reads::

    - [ ] REC-03 Avez-vous une page entreprise sur LinkedIn ?
      :owner: marketing, hr
      :links: REC-02
      :applies: headcount >= 50

      Guidance, in Markdown, indented under the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playbook_rh.core.vocabulary import ID_PATTERN
from playbook_rh.sphinxext.warnings_ import ChecklistWarning

ITEM_LINE = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\](?:[ \t]+(?P<rest>.*))?$")
OTHER_LIST_LINE = re.compile(r"^(?:[-*+]|[0-9]+[.)])(?:[ \t]+|$)")
FIELD_LINE = re.compile(r"^:(?P<name>[A-Za-z][\w-]*):(?:[ \t]+(?P<value>.*))?$")
#: A first word that was meant as an ID but is not one (``rec-3``, ``REC3``, ``REC_01``).
ID_LIKE = re.compile(r"^[A-Za-z]{1,8}[-_ ]?[0-9]+\S*$|^[A-Z]{2,}-\S*$")

ITEM_FIELDS = ("owner", "tags", "links", "status", "replaces", "applies")


@dataclass
class Problem:
    kind: ChecklistWarning
    message: str
    index: int
    """Index of the body line the problem is on."""


@dataclass
class ParsedItem:
    id: str
    question: str
    index: int
    """Index of the item's own line in the body."""
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Field name -> (value, body line index)."""
    guidance: list[tuple[str, int]] = field(default_factory=list)
    """The guidance lines, dedented, each with its body line index."""


def split_list(value: str) -> list[str]:
    """``"hr, legal"`` -> ``["hr", "legal"]``."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _blocks(lines: list[str], problems: list[Problem]) -> list[tuple[int, list[int]]]:
    """Group the body into (item line index, continuation line indexes)."""
    blocks: list[tuple[int, list[int]]] = []
    stray = False  # inside a block that is not an item: its indented lines are skipped
    for index, line in enumerate(lines):
        if not line.strip():
            if blocks and not stray:
                blocks[-1][1].append(index)
            continue
        if _indent(line) > 0:
            if blocks and not stray:
                blocks[-1][1].append(index)
            elif not stray:
                problems.append(Problem(
                    ChecklistWarning.NOT_TASK_LIST,
                    "indented text before the first item; start the body with "
                    "'- [ ] ID question'",
                    index,
                ))
                stray = True
            continue
        if ITEM_LINE.match(line):
            blocks.append((index, []))
            stray = False
        elif OTHER_LIST_LINE.match(line):
            problems.append(Problem(
                ChecklistWarning.NOT_TASK_LIST,
                f"list item without a checkbox: {line.strip()!r}; write it as "
                "'- [ ] ID question'",
                index,
            ))
            stray = True
        else:
            problems.append(Problem(
                ChecklistWarning.NOT_TASK_LIST,
                f"text outside the task list: {line.strip()!r}; a checklist holds only "
                "'- [ ] ID question' items (indent guidance under its item)",
                index,
            ))
            stray = True
    return blocks


def _item(lines: list[str], index: int, rest_indexes: list[int],
          problems: list[Problem]) -> ParsedItem | None:
    match = ITEM_LINE.match(lines[index])
    assert match is not None
    head = (match.group("rest") or "").strip()
    first, _, question = head.partition(" ")
    question = question.strip()
    if not ID_PATTERN.match(first):
        if first and ID_LIKE.match(first):
            problems.append(Problem(
                ChecklistWarning.MALFORMED_ID,
                f"malformed ID {first!r}: write the phase prefix in capitals, a hyphen and "
                "two or three digits, for example 'REC-03'",
                index,
            ))
        else:
            problems.append(Problem(
                ChecklistWarning.MISSING_ID,
                "item without an ID: write it as '- [ ] PREFIX-NN question' with the next "
                "free number of the phase (IDs are stable: never derive them from position)",
                index,
            ))
        return None
    if not question:
        problems.append(Problem(
            ChecklistWarning.NO_QUESTION,
            f"item {first} has no question: write the question on the item's line, after "
            "the ID",
            index,
        ))
        return None
    item = ParsedItem(id=first, question=question, index=index)

    body = [i for i in rest_indexes]
    while body and not lines[body[-1]].strip():
        body.pop()
    nonblank = [_indent(lines[i]) for i in body if lines[i].strip()]
    dedent = min(nonblank) if nonblank else 0
    position = 0
    while position < len(body) and lines[body[position]].strip():
        field_match = FIELD_LINE.match(lines[body[position]].strip())
        if field_match is None:
            break
        name = field_match.group("name")
        value = (field_match.group("value") or "").strip()
        if name not in ITEM_FIELDS:
            problems.append(Problem(
                ChecklistWarning.UNKNOWN_FIELD,
                f"item {item.id}: unknown field ':{name}:'; an item takes "
                + ", ".join(f":{n}:" for n in ITEM_FIELDS),
                body[position],
            ))
        else:
            item.fields[name] = (value, body[position])
        position += 1
    guidance = body[position:]
    while guidance and not lines[guidance[0]].strip():
        guidance.pop(0)
    item.guidance = [(lines[i][dedent:], i) for i in guidance]
    return item


def parse_checklist(lines: list[str]) -> tuple[list[ParsedItem], list[Problem]]:
    """The items of a checklist body, and the problems met, in line order."""
    problems: list[Problem] = []
    items: list[ParsedItem] = []
    for index, rest in _blocks(lines, problems):
        item = _item(lines, index, rest, problems)
        if item is not None:
            items.append(item)
    problems.sort(key=lambda problem: problem.index)
    return items, problems

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
import unicodedata
from dataclasses import dataclass, field

from playbook_rh.core.vocabulary import ID_PATTERN
from playbook_rh.sphinxext.warnings_ import ChecklistWarning

ITEM_LINE = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\](?:[ \t]+(?P<rest>.*))?$")
OTHER_LIST_LINE = re.compile(r"^(?:[-*+]|[0-9]+[.)])(?:[ \t]+|$)")
FIELD_LINE = re.compile(r"^:(?P<name>[A-Za-z][\w-]*):(?:[ \t]+(?P<value>.*))?$")
#: A first word that was meant as an ID but is not one (``rec-3``, ``REC3``, ``REC_01``).
ID_LIKE = re.compile(r"^[A-Za-z]{1,8}[-_ ]?[0-9]+\S*$|^[A-Z]{2,}-\S*$")

ITEM_FIELDS = ("owner", "tags", "links", "status", "replaces", "applies")
#: A code fence of the guidance: fields are not looked for inside one.
FENCE = re.compile(r"^(`{3,}|~{3,})")
#: Letters of other alphabets drawn like capitals of an ID, and what they look like.
LOOKALIKES = dict(zip(
    "АВЕКМНОРСТХУІЈЅԁаеорсухіј" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTXYIJSdaeopcyxij" "ABEZHIKMNOPTYX", strict=True))


def describe_character(character: str) -> str:
    """``'Е'`` -> ``'Е' (U+0415 CYRILLIC CAPITAL LETTER IE, which looks like 'E')``."""
    name = unicodedata.name(character, "unnamed character")
    seen = LOOKALIKES.get(character)
    if seen is None and unicodedata.category(character) == "Zs":
        seen = " "
    looks = f", which looks like {seen!r}" if seen else ""
    return f"{character!r} (U+{ord(character):04X} {name}{looks})"


def looks_like_an_id(text: str) -> bool:
    """An ID once its look-alike letters are read as the Latin ones: ``RЕC-01``."""
    return not ID_PATTERN.match(text) and bool(
        ID_PATTERN.match("".join(LOOKALIKES.get(character, character) for character in text)))


def unusual_characters(text: str) -> str:
    """What in ``text`` is not plain ASCII, described for a message; "" if nothing."""
    odd = dict.fromkeys(character for character in text if not character.isascii()
                        or (character.isspace() and character not in " \t"))
    return ", ".join(describe_character(character) for character in odd)


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
    parts = head.split(None, 1)  # any space, the no-break ones included
    if not ID_PATTERN.match(first) and parts and ID_PATTERN.match(parts[0]):
        separator = head[len(parts[0])]
        problems.extend([] if separator == "\t" else [Problem(
            ChecklistWarning.LOOKALIKE_ID,
            f"item {parts[0]}: the ID is followed by {describe_character(separator)}, not a "
            "plain space; retype the space after the ID",
            index,
        )])
        first, question = parts[0], (parts[1] if len(parts) > 1 else "").strip()
    if not ID_PATTERN.match(first):
        odd = unusual_characters(first)
        if looks_like_an_id(first):
            problems.append(Problem(
                ChecklistWarning.LOOKALIKE_ID,
                f"ID {first!r} holds {odd}: a letter of another alphabet that only looks "
                "like the Latin one; retype the ID on a plain keyboard",
                index,
            ))
        elif first and (ID_LIKE.match(first) or odd):
            problems.append(Problem(
                ChecklistWarning.MALFORMED_ID,
                f"malformed ID {first!r}: write the phase prefix in capitals, a hyphen and "
                "two or three digits, for example 'REC-03'"
                + (f" (it holds {odd})" if odd else ""),
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
    if match.group("mark") != " ":
        problems.append(Problem(
            ChecklistWarning.TICKED_IN_SOURCE,
            f"item {item.id} is ticked in the source ('- [{match.group('mark')}]'): its box "
            "is for whoever runs the checklist; write '- [ ]' (a run file records answers)",
            index,
        ))

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
        elif name in item.fields:
            problems.append(_twice(item, name, body[position], lines))
        else:
            item.fields[name] = (value, body[position])
        position += 1
    guidance = _late_fields(item, body[position:], lines, dedent, problems)
    while guidance and not lines[guidance[0]].strip():
        guidance.pop(0)
    item.guidance = [(lines[i][dedent:], i) for i in guidance]
    return item


def _twice(item: ParsedItem, name: str, index: int, lines: list[str]) -> Problem:
    first = item.fields[name][1]
    return Problem(
        ChecklistWarning.DUPLICATE_FIELD,
        f"item {item.id}: ':{name}:' is given twice (first as {lines[first].strip()!r}, "
        f"which is kept); write one ':{name}:' line, its values separated by commas",
        index,
    )


def _late_fields(item: ParsedItem, rest: list[int], lines: list[str], dedent: int,
                 problems: list[Problem]) -> list[int]:
    """The guidance lines, less the item fields written in them after a blank line.

    Such a field would be a paragraph of guidance (or nothing) for the reader; it is
    taken as the field the author meant, and warned about.
    """
    guidance: list[int] = []
    fence = ""
    after_blank = True
    for index in rest:
        text = lines[index]
        stripped = text.strip()
        opening = FENCE.match(stripped)
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        field_match = FIELD_LINE.match(stripped) if after_blank and not fence else None
        if (field_match and field_match.group("name") in ITEM_FIELDS
                and _indent(text) <= dedent):
            name = field_match.group("name")
            if name in item.fields:
                problems.append(_twice(item, name, index, lines))
            else:
                item.fields[name] = ((field_match.group("value") or "").strip(), index)
                problems.append(Problem(
                    ChecklistWarning.FIELD_AFTER_BLANK_LINE,
                    f"item {item.id}: ':{name}:' comes after a blank line, where it would "
                    "read as guidance; move it up with the other fields, right under the "
                    "item's line (no blank line before the fields)",
                    index,
                ))
            continue
        after_blank = not stripped
        guidance.append(index)
    return guidance


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

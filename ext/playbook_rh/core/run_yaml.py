"""Read a run file's YAML into a small tree of mappings and text, with line numbers.

Run files are block mappings of text: every scalar is read as text (a date is parsed
from its text later), and ``null``, ``~`` or nothing, unquoted, mean "no value".

Two readers give the same tree. The fast one reads, line by line, the plain subset
that ``playbook`` itself writes (``key: value``, quoted strings, comments); it is what
keeps ``playbook-rh status`` quick on thousands of items. Anything outside that subset
(flow collections, block scalars, multi-line strings, anchors, tags...) goes to
PyYAML's safe composer, which also reports syntax errors with their line. Neither
ever expands an alias: PyYAML composes an alias as the node it names, and the
conversion below refuses any node met twice, so an alias "bomb" stays a few nodes.

Writing an answer (:func:`with_item`) goes through ruamel.yaml's round trip, so what
people wrote by hand (comments, blank lines, key order, quotes, ``answer: |`` blocks)
is kept; only the lines of the item written change. ruamel.yaml is imported only
there: reading never needs it.
"""

from __future__ import annotations

import functools
import io
import json
import re
from dataclasses import dataclass, field
from sys import intern
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from playbook_rh.core.safe_text import surrogate_pattern

if TYPE_CHECKING:
    import ruamel.yaml
    import yaml

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: NOT_FAST's characters below U+0100, as the inside of a character class: C0 controls
#: but tab and line breaks, DEL, C1 controls (NEL among them).
NOT_FAST_LATIN1 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
#: NOT_FAST's characters above: U+2028, U+2029, surrogates, U+FFFE and U+FFFF. Kept out
#: of the pieces' classes below: a class holding a character above U+00FF takes the
#: regular expression compiler some 0.4 ms, and an item's expression holds dozens.
NOT_FAST_BEYOND_LATIN1 = "\u2028\u2029\ud800-\udfff\ufffe\uffff"
#: What YAML does not allow raw in a file (as PyYAML's reader: C0 controls but tab and
#: line breaks, DEL, C1 controls, surrogates, U+FFFE and U+FFFF), and what it reads as a
#: line break besides LF and CR (NEL, a C1 control, and U+2028, U+2029): a text holding
#: any is left to PyYAML. Written as the characters it finds, not as those it allows:
#: searching a long text is five times quicker so (tests/test_fast_run.py checks it
#: finds the same characters as the complement of what YAML allows). A character class,
#: compiled on first use (:func:`not_fast_pattern`): its surrogates take the compiler
#: 0.8 ms, and reading looks for it otherwise (:func:`holds_not_fast`).
NOT_FAST = f"[{NOT_FAST_LATIN1}{NOT_FAST_BEYOND_LATIN1}]"
#: NOT_FAST's characters below U+0100 (a class compiled in a tenth of the time).
_LATIN1_NOT_FAST = re.compile(f"[{NOT_FAST_LATIN1}]")


def beyond_latin1_not_fast(text: str) -> bool:
    """Whether ``text`` holds a character of NOT_FAST above U+00FF. Looked for by loops in
    C (an encoding, a search of one character), some 60 times quicker than
    searching for NOT_FAST: a text of Latin-1 only holds none, and a lone surrogate cannot
    be encoded in UTF-16. tests/test_fast_run.py checks it against NOT_FAST over every
    code point."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        return False
    if "\u2028" in text or "\u2029" in text or "\ufffe" in text or "\uffff" in text:
        return True
    try:
        text.encode("utf-16-le")
    except UnicodeEncodeError:
        return True
    return False


@functools.cache
def not_fast_pattern() -> re.Pattern[str]:
    """NOT_FAST, compiled: to write its characters as escapes."""
    return re.compile(NOT_FAST)


def holds_not_fast(text: str) -> bool:
    """Whether ``text`` holds a character of NOT_FAST (as ``not_fast_pattern().search``,
    checked over every code point by tests/test_fast_run.py)."""
    return _LATIN1_NOT_FAST.search(text) is not None or beyond_latin1_not_fast(text)


class Text(NamedTuple):
    """A scalar value, always text, and its line."""

    value: str
    line: int
    plain: bool = True
    """Unquoted: ``null``, ``~`` and the empty string then mean "no value"."""

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULLS


@dataclass(slots=True)
class Mapping:
    """A mapping and its line."""

    line: int
    entries: list[tuple[str, int, Node]] = field(default_factory=list)
    """(key, line of the key, value), in file order, duplicates kept."""


class Other(NamedTuple):
    """A sequence, or anything a run file has no use for."""

    line: int
    kind: str


Node: TypeAlias = Text | Mapping | Other


#: The problems every reader of run files reports, each ending with how to fix it.
EMPTY = "the run file is empty; create one with `playbook-rh new`"
KEY_NOT_TEXT = ("keys must be plain text: write each key as a word (an item ID such as "
                "REC-03, or a field name)")
MEND_YAML = "correct this line (text holding ': ' or ' #' goes in quotes)"


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# -- the fast reader -------------------------------------------------------------------

# The pieces of the fast subset, each matching within one line (none crosses a line
# break): the line reader below and the reader of a run's items
# (:func:`playbook_rh.core.runs.fast_run`) are built from them, so both read alike.
# None matches a character of NOT_FAST below U+0100 (each class leaves them out): the
# reader of a run's items needs no search of NOT_FAST over them, only a look for those
# above (:func:`beyond_latin1_not_fast`); tests/test_fast_run.py checks each piece
# against every code point.
_OUT = NOT_FAST_LATIN1
#: A key, written plain.
KEY = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
# The scalars are written as runs of one character class between the exceptions (not
# as an alternative per character): the same language, read several times quicker.
#: A double-quoted scalar on one line (escapes read by :func:`unquoted`).
DOUBLE_QUOTED = rf'"[^"\\\n{_OUT}]*(?:\\[^\n{_OUT}][^"\\\n{_OUT}]*)*"'
#: A single-quoted scalar on one line (``''`` is a quote).
SINGLE_QUOTED = rf"'[^'\n{_OUT}]*(?:''[^'\n{_OUT}]*)*'"
#: A plain scalar of one line: no indicator first, no ``: `` or `` #`` inside, no
#: space at either end.
PLAIN = (rf"[^\s#\"'&*!|>%@`\[\]{{}},?:{_OUT}-][^#:\s{_OUT}]*"
         rf"(?:(?::(?! |$)| +(?=[^ #\n])|#)[^#:\s{_OUT}]*)*")
#: A scalar of the fast subset, quoted or plain.
SCALAR = f"(?:{DOUBLE_QUOTED}|{SINGLE_QUOTED}|{PLAIN})"
#: A comment, to the end of its line.
COMMENT = rf"#[^\n{_OUT}]*"
#: What ends a line after its value: a comment, or spaces (``$`` is a line's end:
#: patterns matched on a whole text are compiled with ``re.MULTILINE``). An alternative
#: rather than an optional group: the regular expression engine tries a branch for less
#: than it costs to enter a repeat, once a line of thousands of items.
END = rf"(?: +{COMMENT}| *)$"
#: The same, with the line break: the line break first, the most common end, which
#: the engine tells apart at its first character (a third quicker over a run's items).
END_OF_LINE = rf"(?:\n| +(?:{COMMENT})?\n)"

#: One line of the fast subset: ``key:`` then nothing (a mapping follows, or no
#: value), a scalar, or ``{}``; then an optional comment.
LINE = re.compile(
    rf"^(?P<indent> *)(?P<key>{KEY}):(?: +(?:(?P<empty>\{{\}})|(?P<scalar>{SCALAR})))?{END}"
)


def _double_quoted(content: str) -> str | None:
    """A double-quoted scalar's text; None for an escape JSON does not share with YAML."""
    if "\\" not in content:
        return content
    try:
        value = json.loads(f'"{content}"')
    except ValueError:
        return None
    # an escaped lone surrogate: JSON accepts it, YAML does not
    return value if isinstance(value, str) and not surrogate_pattern().search(value) else None


def unquoted(scalar: str) -> str | None:
    """The text of a scalar :data:`SCALAR` matched: quotes and escapes undone, a plain one
    as written; None for a double-quoted escape outside the fast subset."""
    first = scalar[0]
    if first == '"':
        return _double_quoted(scalar[1:-1])
    if first == "'":
        return scalar[1:-1].replace("''", "'")
    return scalar


def fast_tree(text: str) -> Mapping | None:
    if holds_not_fast(text):
        return None
    if "\r" in text:  # Windows line ends are read as LF; a lone CR is left to PyYAML
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    root = Mapping(1)
    # (indent, mapping) from the root down; a key with no value opens a mapping whose
    # indent is that of the next line
    stack: list[tuple[int, Mapping]] = [(0, root)]
    pending: tuple[int, str, int, Mapping] | None = None  # parent indent, key, line, map
    match_line = LINE.match
    first_key = True
    for number, raw in enumerate(text.split("\n"), start=1):
        match = match_line(raw)
        if match is None:
            stripped = raw.strip(" ")
            if not stripped or stripped.startswith("#"):
                continue  # a blank line or a comment
            return None
        if first_key:
            root.line, first_key = number, False
        spaces, key, empty, scalar = match.groups()
        indent = len(spaces)
        if pending is not None:
            parent_indent, open_key, key_line, child = pending
            pending = None
            if indent > parent_indent:
                child.line = number  # as PyYAML: a mapping starts at its first key
                stack.append((indent, child))
                stack[-2][1].entries.append((open_key, key_line, child))
            else:
                stack[-1][1].entries.append((open_key, key_line, Text("", key_line)))
        while stack[-1][0] > indent:
            stack.pop()
            if not stack:
                return None
        if stack[-1][0] != indent:
            return None
        value: Node
        if scalar is not None:
            first = scalar[0]
            if first != '"' and first != "'":
                value = Text(intern(scalar) if len(scalar) < 32 else scalar, number)
            else:
                decoded = unquoted(scalar)
                if decoded is None:
                    return None
                value = Text(decoded, number, plain=False)
        elif empty is not None:
            value = Mapping(number)
        else:
            pending = (indent, key, number, Mapping(number))
            continue
        stack[-1][1].entries.append((intern(key), number, value))
    if first_key:
        return None  # no key at all (comments only): PyYAML says the file is empty
    if pending is not None:
        _, open_key, key_line, _child = pending
        stack[-1][1].entries.append((open_key, key_line, Text("", key_line)))
    return root


# -- PyYAML, for everything else -------------------------------------------------------

def _event_tree(loader: yaml.SafeLoader) -> Node | None:
    """The tree of the document ``loader`` parses, built from its events.

    PyYAML's composer would first build a node per scalar (with two marks each): a
    flow list of a few megabytes, legal YAML, takes a gigabyte that way. Events are
    read one at a time, and only what a run file holds is kept: a list is skipped
    whole, as one :class:`Other`.
    """
    import yaml

    def line_of(event: yaml.Event) -> int:
        return int(event.start_mark.line) + 1 if event.start_mark is not None else 1

    def next_event() -> yaml.Event:
        event: yaml.Event = loader.get_event()  # type: ignore[no-untyped-call]
        return event

    next_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    next_event()  # document start
    # each open mapping, with the key waiting for its value
    stack: list[tuple[Mapping, tuple[str, int] | None]] = []
    root: Node | None = None
    anchors: dict[str, int] = {}  # an alias is reported on the line of its anchor

    def refuse_alias(event: yaml.AliasEvent) -> YamlError:
        return YamlError(anchors.get(str(event.anchor), line_of(event)),
                         "anchors and aliases (& and *) are not allowed in a run file: "
                         "write each value out in full")

    while True:
        event = next_event()
        if isinstance(event, yaml.AliasEvent):
            raise refuse_alias(event)
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            anchors.setdefault(str(event.anchor), line_of(event))
        if isinstance(event, yaml.MappingEndEvent):
            done: Node = stack.pop()[0]
        elif isinstance(event, yaml.ScalarEvent):
            done = Text(str(event.value), line_of(event), plain=event.style in (None, ""))
        elif isinstance(event, yaml.MappingStartEvent):
            if stack and stack[-1][1] is None:
                raise YamlError(line_of(event), KEY_NOT_TEXT)
            stack.append((Mapping(line_of(event)), None))
            continue
        elif isinstance(event, yaml.SequenceStartEvent):
            if stack and stack[-1][1] is None:
                raise YamlError(line_of(event), KEY_NOT_TEXT)
            done = Other(line_of(event), "a list")
            depth = 1
            while depth:  # the list's content is not kept
                inner = next_event()
                if isinstance(inner, yaml.AliasEvent):
                    raise refuse_alias(inner)
                if isinstance(inner, yaml.NodeEvent) and inner.anchor is not None:
                    anchors.setdefault(str(inner.anchor), line_of(inner))
                if isinstance(inner, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                    depth += 1
                elif isinstance(inner, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                    depth -= 1
        else:  # document end
            break
        if not stack:
            root = done
            continue
        mapping, key = stack[-1]
        if key is None:
            assert isinstance(done, Text)
            stack[-1] = (mapping, (done.value, done.line))
        else:
            mapping.entries.append((key[0], key[1], done))
            stack[-1] = (mapping, None)
    if not loader.check_event(yaml.StreamEndEvent):
        event = next_event()
        raise YamlError(line_of(event), "a run file holds one YAML document, not several: "
                                        "keep one (remove the '---' line that starts the next)")
    return root


def pyyaml_tree(text: str) -> Node:
    import yaml  # only here: the fast reader needs no PyYAML, and starts quicker

    try:
        loader_class: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        loader_class = yaml.SafeLoader
    loader = loader_class(text)
    try:
        root = _event_tree(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(mark.line + 1 if mark else 1,
                        f"not valid YAML: {error.problem or error}; {MEND_YAML}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        raise YamlError(line, f"not valid YAML: character {error.character!r} is not "
                              "allowed in a YAML file; remove it, or write it as an escape "
                              'in double quotes ("\\u0007")') from None
    except yaml.YAMLError as error:
        raise YamlError(1, f"not valid YAML: {error}; {MEND_YAML}") from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlError(1, EMPTY)
    return root


def read_tree(text: str) -> Node:
    """The tree of ``text``; :class:`YamlError` (with its line) if it is not YAML."""
    text = text.removeprefix("\ufeff")
    return fast_tree(text) or pyyaml_tree(text)


# -- writing one item, keeping everything else as written ------------------------------

class Scalar(NamedTuple):
    """A value to write: ``plain`` for a status, a date or a time (written unquoted, as
    people write them), else text (quoted, or in the block style it had)."""

    value: str
    plain: bool = False


def _indent_of(text: str) -> int:
    """The file's indentation step: that of its first indented key (2 by default)."""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped and stripped != line and not stripped.startswith("#"):
            return len(line) - len(stripped)
    return 2


def _round_trip(indent: int) -> ruamel.yaml.YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never fold a long answer over several lines
    yaml.indent(mapping=indent, sequence=indent + 2, offset=indent)
    yaml.representer.add_representer(
        _PlainTimestamp,
        lambda representer, value: representer.represent_scalar(
            "tag:yaml.org,2002:timestamp", str(value)),
    )
    return yaml


class _PlainTimestamp(str):
    """A date or a time, written plain (2026-11-20T14:03:00+01:00) as it was given."""


def _styled(value: Scalar, before: object) -> object:
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if value.plain:
        return _PlainTimestamp(value.value) if value.value[:1].isdigit() else value.value
    block = (LiteralScalarString, FoldedScalarString)
    if isinstance(before, block) and not holds_not_fast(value.value) \
            and "\r" not in value.value:
        return type(before)(value.value)  # an answer written as a block stays one
    if isinstance(before, SingleQuotedScalarString) and not holds_not_fast(value.value) \
            and "\n" not in value.value:
        return SingleQuotedScalarString(value.value)
    return DoubleQuotedScalarString(value.value)


def with_item(text: str, item_id: str, fields: dict[str, Scalar | None],
              order: tuple[str, ...]) -> str:
    """``text``, a run file already read without problems, with the fields of
    ``item_id`` set (None removes one); every other line stays as written: comments,
    blank lines, key order, quoting and block scalars.

    A field the entry did not have goes after the fields that come before it in
    ``order``; an item the file did not have goes at the end of ``items``.
    """
    from ruamel.yaml.comments import CommentedMap

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix("\ufeff")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")  # ruamel.yaml would keep the CR in comments
    yaml = _round_trip(_indent_of(text))
    root = yaml.load(text)
    items = root.get("items")
    if not isinstance(items, CommentedMap) or not items:
        fresh = CommentedMap()
        fresh.fa.set_block_style()  # not `items: {}` grown into a flow mapping
        root["items"] = items = fresh
    entry = items.get(item_id)
    if not isinstance(entry, CommentedMap) or (not entry and entry.fa.flow_style()):
        entry = CommentedMap()
        entry.fa.set_block_style()
        items[item_id] = entry
    for name in order:
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            entry.pop(name, None)
        elif name in entry:
            entry[name] = _styled(value, entry[name])
        else:
            position = sum(1 for key in entry if key in order[:order.index(name)])
            entry.insert(position, name, _styled(value, None))
    buffer = io.StringIO()
    yaml.dump(root, buffer)
    written = buffer.getvalue()
    return bom + (written.replace("\n", "\r\n") if crlf else written)

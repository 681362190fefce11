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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import yaml

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: What YAML does not allow raw in a file (as PyYAML's reader), and what it reads as
#: a line break besides LF and CR: a text holding any is left to PyYAML.
NOT_FAST = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\x85\u2028\u2029]"
)
SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Text:
    value: str
    line: int
    plain: bool = True
    """Unquoted: ``null``, ``~`` and the empty string then mean "no value"."""

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULLS


@dataclass
class Mapping:
    line: int
    entries: list[tuple[str, int, Node]] = field(default_factory=list)
    """(key, line of the key, value), in file order, duplicates kept."""


@dataclass
class Other:
    """A sequence, or anything a run file has no use for."""

    line: int
    kind: str


Node: TypeAlias = Text | Mapping | Other


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# -- the fast reader -------------------------------------------------------------------

#: One line of the fast subset: ``key:`` then nothing (a mapping follows, or no
#: value), a double-quoted string, a single-quoted string, ``{}``, or plain text; then
#: an optional comment.
LINE = re.compile(
    r"^(?P<indent> *)(?P<key>[A-Za-z0-9_][A-Za-z0-9_.-]*):"
    r"(?: +(?:"
    r"\"(?P<double>(?:[^\"\\]|\\.)*)\""
    r"|'(?P<single>(?:[^']|'')*)'"
    r"|(?P<empty>\{\})"
    r"|(?P<plain>[^\s#\"'&*!|>%@`\[\]{},?:-](?:[^#:\s]|:(?! |$)| +(?=[^ #])|#)*)"
    r"))?"
    r"(?: +#.*)? *$"
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
    return value if isinstance(value, str) and not SURROGATE.search(value) else None


def fast_tree(text: str) -> Mapping | None:
    if NOT_FAST.search(text):
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
        spaces, key, double, single, empty, plain = match.groups()
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
        if plain is not None:
            value = Text(plain, number)
        elif double is not None:
            decoded = _double_quoted(double)
            if decoded is None:
                return None
            value = Text(decoded, number, plain=False)
        elif single is not None:
            value = Text(single.replace("''", "'"), number, plain=False)
        elif empty is not None:
            value = Mapping(number)
        else:
            pending = (indent, key, number, Mapping(number))
            continue
        stack[-1][1].entries.append((key, number, value))
    if pending is not None:
        _, open_key, key_line, _child = pending
        stack[-1][1].entries.append((open_key, key_line, Text("", key_line)))
    return root


# -- PyYAML, for everything else -------------------------------------------------------

def _convert(node: yaml.Node, seen: set[int]) -> Node:
    import yaml

    line = int(node.start_mark.line) + 1
    if id(node) in seen:
        raise YamlError(line, "anchors and aliases (& and *) are not allowed in a run file")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return Text(str(node.value), line, plain=not node.style)  # libyaml: "" for plain
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping(line)
        for key, value in node.value:
            converted = _convert(key, seen)
            if not isinstance(converted, Text):
                raise YamlError(converted.line, "keys must be plain text")
            mapping.entries.append((converted.value, converted.line, _convert(value, seen)))
        return mapping
    return Other(line, "a list")


def pyyaml_tree(text: str) -> Node:
    import yaml  # only here: the fast reader needs no PyYAML, and starts quicker

    try:
        loader_class: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        loader_class = yaml.SafeLoader
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(mark.line + 1 if mark else 1,
                        f"not valid YAML: {error.problem or error}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        raise YamlError(line, f"not valid YAML: character {error.character!r} is not "
                              "allowed in a YAML file") from None
    except yaml.YAMLError as error:
        raise YamlError(1, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlError(1, "the run file is empty")
    return _convert(root, set())


def read_tree(text: str) -> Node:
    """The tree of ``text``; :class:`YamlError` (with its line) if it is not YAML."""
    text = text.removeprefix("\ufeff")
    return fast_tree(text) or pyyaml_tree(text)

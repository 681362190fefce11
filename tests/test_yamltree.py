"""The fast reader of run files gives exactly PyYAML's tree, or steps aside."""

from __future__ import annotations

import datetime
import random

import pytest
from playbook_rh.core.run_yaml import (
    Mapping,
    Node,
    Other,
    Text,
    YamlError,
    fast_tree,
    pyyaml_tree,
    read_tree,
)
from playbook_rh.core.runs import Answer, Run, dump_run

from .cli_support import STATUSES

SAME = [
    "a: b",
    'a: "x # y: z"',
    "a: 'it''s'",
    "a: b # comment",
    "a:",
    "a:\nb: c",
    "a: {}",
    "a: https://example.org/a?b=c#d",
    "a: 10:30",
    "a: b#c",
    "a:   b   ",
    "a: null\nb: ~\nc: 'null'",
    'a: "\\u00e9\\n\\t\\"q\\" \\\\ <script>"',
    "# comment\n\nitems:\n  REC-01:\n    status: done\n    # inside\n    owner: \"x\"\n",
    "a:\n  b:\n    c: d\n  e: f\ng: h",
    "a:\n  b:\nc: d",
    "a: yes\nb: 12\nc: 2026-12-31\nd: 2026-11-20T10:00:00+01:00",
    "\ufeffa: b",
]
OUTSIDE = [
    "a: [1, 2]",
    "a: &x b\nc: *x",
    "a: |\n  block\n",
    "a: x: y",
    "a: - x",
    "a: \"multi\n  line\"",
    "a:\n\tb: c",
    "a: plain\n  continued",
    "- a\n- b",
    "a: !!str b",
    'a: "\\x41"',
]


def tree(node: Node) -> object:
    """A comparable form of a tree: lines included."""
    if isinstance(node, Text):
        return ("text", node.value, node.line, node.plain)
    if isinstance(node, Mapping):
        return ("map", node.line, [(key, line, tree(value)) for key, line, value in node.entries])
    assert isinstance(node, Other)
    return ("other", node.line)


@pytest.mark.parametrize("text", SAME)
def test_fast_reader_agrees_with_pyyaml(text: str) -> None:
    fast = fast_tree(text.removeprefix("\ufeff"))
    assert fast is not None, "this text is in the fast reader's subset"
    assert tree(fast) == tree(pyyaml_tree(text.removeprefix("\ufeff")))


@pytest.mark.parametrize("text", OUTSIDE)
def test_fast_reader_steps_aside(text: str) -> None:
    assert fast_tree(text) is None


def test_written_runs_read_back_the_same_by_both_readers() -> None:
    chooser = random.Random(20261126)
    alphabet = "aéè «»’'\"\\:#-–—\t<>&*!|{}[]%@`?,ç\u202f0123456789\n"
    for _ in range(200):
        run = Run(organisation="".join(chooser.choice(alphabet) for _ in range(12)))
        for number in range(chooser.randint(0, 6)):
            run.items[f"REC-{number + 1:02d}"] = Answer(
                status=chooser.choice(list(STATUSES)),
                owner="".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 9))),
                due=chooser.choice([None, datetime.date(2026, 12, 31)]),
                answer="".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 30))),
            )
        text = dump_run(run)
        fast = fast_tree(text)
        assert fast is not None, text
        assert tree(fast) == tree(pyyaml_tree(text)), text


def test_read_tree_falls_back_to_pyyaml() -> None:
    node = read_tree("a: [1, 2]\n")
    assert isinstance(node, Mapping) and isinstance(node.entries[0][2], Other)


@pytest.mark.parametrize("text", [t for t in SAME if not t.startswith("\ufeff")])
def test_windows_line_ends_are_read_fast_and_alike(text: str) -> None:
    crlf = text.replace("\n", "\r\n")
    fast = fast_tree(crlf)
    assert fast is not None
    assert tree(fast) == tree(pyyaml_tree(crlf)) == tree(pyyaml_tree(text))


def test_a_lone_carriage_return_is_left_to_pyyaml() -> None:
    assert fast_tree("a: b\rc: d\n") is None


def test_a_list_is_one_node_whatever_it_holds() -> None:
    """The event reader keeps nothing of a list: a long one costs no memory."""
    node = read_tree("a: [" + ", ".join(["{x: [1, 2]}"] * 10_000) + "]\nb:\n  - c\n  - d\n")
    assert tree(node) == ("map", 1, [("a", 1, ("other", 1)), ("b", 2, ("other", 3))])


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: &x [1, 2]\nb: [c, *x]\n", 1, "anchors and aliases"),
    ("a: &x b\nc:\n  d: *x\n", 1, "anchors and aliases"),
    ("a: b\n--- \nc: d\n", 2, "one YAML document"),
    ("? [a, b]\n: c\n", 1, "keys must be plain text"),
    ("? {a: b}\n: c\n", 1, "keys must be plain text"),
], ids=["alias-in-a-list", "alias-as-a-value", "two-documents", "list-key", "mapping-key"])
def test_what_a_run_file_cannot_hold_is_refused_with_its_line(text: str, line: int,
                                                              words: str) -> None:
    with pytest.raises(YamlError) as caught:
        read_tree(text)
    assert caught.value.line == line and words in caught.value.message

"""The fast path of reading a run file (``runs.fast_run``) gives exactly the run the
full reader (``runs.read_run_tree``: the YAML tree, then every check) gives, or steps
aside: over the corpus of run files, the worked example, files the tools write, and
thousands of files made by changing those at random. It never decides a file is wrong:
when the full reader finds a problem, the fast path has stepped aside, so the problems
reported (codes and lines) are the full reader's."""

from __future__ import annotations

import datetime
import json
import random
import sys
from collections.abc import Collection
from pathlib import Path

import pytest
from playbook_rh.core import run_yaml
from playbook_rh.core.run_yaml import with_item
from playbook_rh.core.runs import (
    ITEM_FIELDS,
    MAX_TEXT,
    Answer,
    Run,
    RunError,
    dump_run,
    fast_run,
    parse_run,
    read_run_tree,
)
from playbook_rh.core.runs import _fields as answer_fields

from .cli_support import STATUSES
from .conftest import REPO
from .test_run_corpus import CASES, CORPUS, generate

PATH = Path("suivi.yaml")
NOT_FAST = run_yaml.not_fast_pattern()


def comparable(run: Run) -> tuple[object, ...]:
    """Everything a run holds, orders included (the items' order is the output's)."""
    return (run.organisation, run.id, run.started, list(run.items.items()),
            list(run.lines.items()),
            list(run.profile.items()), list(run.profile_lines.items()))


def read_both(text: str, statuses: Collection[str] = STATUSES) -> Run | None:
    """The fast path's run, after checking it against the full reader's; None when the
    fast path stepped aside."""
    try:
        full: Run | None = read_run_tree(text, PATH, statuses)
    except RunError:
        full = None
    fast = fast_run(text, statuses)
    if fast is not None:
        assert full is not None, f"the fast path takes a file the full reader refuses:\n{text}"
        assert comparable(fast) == comparable(full), text
    return fast


def sample_run(chooser: random.Random, alphabet: str, items: int) -> Run:
    def text(longest: int) -> str:
        return "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, longest)))

    run = Run(organisation=text(12),
              started=chooser.choice([None, datetime.date(2026, 11, 2)]))
    if chooser.random() < 0.5:
        run.profile = {"headcount": "11-49", "internal-network": chooser.choice(["true",
                                                                                 "false"])}
    for number in range(items):
        run.items[f"{chooser.choice(['REC', 'TRA', 'DIR'])}-{number + 1:02d}"] = Answer(
            status=chooser.choice(list(STATUSES)),
            owner=text(9),
            due=chooser.choice([None, datetime.date(2026, 12, 31), datetime.date(2027, 1, 5)]),
            evidence=chooser.choice(["", text(20)]),
            answer=text(30),
            updated=chooser.choice([None, datetime.datetime(
                2026, 11, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))]),
        )
    return run


#: Characters values are made of: quotes, escapes, YAML indicators, spaces and line
#: breaks (written escaped), typographic characters.
ALPHABET = "aéè «»’'\"\\:#-–—\t<>&*!|{}[]%@`?,ç\u202f0123456789~\n"


def test_files_the_command_writes_are_read_fast() -> None:
    chooser = random.Random(20261201)
    for _ in range(300):
        run = sample_run(chooser, ALPHABET, chooser.randint(1, 8))
        text = dump_run(run)
        fast = read_both(text)
        assert fast is not None, text
        assert comparable(fast) == comparable(parse_run(text, PATH, STATUSES))


def test_an_answer_recorded_by_hand_editing_tools_is_read_fast() -> None:
    """``playbook-rh run`` changes an item's lines with ruamel.yaml: still the fast layout."""
    example = (REPO / "assessments" / "example.yaml").read_text(encoding="utf-8")
    assert read_both(example) is not None
    written = with_item(example, "DIR-02", answer_fields(Answer(
        status="done", owner="Claire l'Hermite", answer='Oui, « cité » : "x" # pas un '
        "commentaire", updated=datetime.datetime(2026, 12, 1, 9, 0,
                                                  tzinfo=datetime.UTC))), ITEM_FIELDS)
    written = with_item(written, "ZZZ-99", answer_fields(Answer(status="todo")), ITEM_FIELDS)
    fast = read_both(written)
    assert fast is not None, written
    assert fast.items["DIR-02"].answer == 'Oui, « cité » : "x" # pas un commentaire'
    assert list(fast.items)[-1] == "ZZZ-99"


#: The layouts the site's export (js-yaml) and people write: plain and single-quoted
#: text, comments, blank lines, another indentation, an empty item, Windows line ends.
LAYOUTS = {
    "plain": "format: playbook-run/1\norganisation: Exemple SA\nitems:\n  REC-01:\n"
             "    status: done\n    owner: Claire Martin (DRH)\n    answer: Oui, c'est fait.\n",
    "single-quoted": "format: playbook-run/1\nitems:\n  REC-01:\n    status: todo\n"
                     "    owner: 'l''équipe'\n    due: 2026-12-15\n",
    "comments": "# en-tête\nformat: playbook-run/1  # le format\nitems:  # les réponses\n\n"
                "  # la première\n  REC-01:  # ici\n    status: done   # fait\n\n"
                "  REC-02: {}\n# fin\n",
    "indent-4": "format: playbook-run/1\nitems:\n    REC-01:\n        status: done\n"
                "    REC-02:\n        answer: \"x\"\n",
    "crlf": "format: playbook-run/1\r\nitems:\r\n  REC-01:\r\n    status: done\r\n",
    "bom": "\ufeffformat: playbook-run/1\nitems:\n  REC-01:\n    status: done",
    "run-id": "format: playbook-run/1\nid: 0b7f3c8e-5a4d-4e0f-9c61-2f8d9a1b7e42\n"
              "organisation: Exemple SA\nitems:\n  REC-01:\n    status: done\n",
    "profile": "format: playbook-run/1\nprofile:\n  headcount: 11-49\n  ambassadors: ~\n"
               "items:\n  REC-01:\n    status: done\n    updated: 2026-11-20 10:00:00\n",
    "null-text": "format: playbook-run/1\nitems:\n  REC-01:\n    owner: ~\n    answer: null\n",
    "escapes": "format: playbook-run/1\nitems:\n  REC-01:\n"
               "    answer: \"Ligne 1\\nLigne 2, \\u00e9t\\u00e9 \\\"cité\\\"\"\n",
    "dates-and-comments": "format: playbook-run/1\nitems:\n  REC-01:\n    due: 2026-12-15 # c\n"
                          "    updated: 2026-11-20T10:00:00Z  # d\n\n  # e\n  REC-02:\n"
                          "    updated: 2026-11-20 10:00:00+01:00\n\n\n",
    "plain-after-quoted": "format: playbook-run/1\nitems:\n  REC-01:\n    owner: \"a\"\n"
                          "  REC-02:\n    status: done\n    owner: b\n  REC-03:\n    answer: c\n"
                          "  REC-04:\n    answer: \"d\"\n",
    "text-forms": "format: playbook-run/1\nitems:\n  REC-01:\n    owner: a:b#c d\n"
                  "    evidence: 'it''s # x'\n    answer: \"\"\n  REC-02:\n    owner: ''\n",
}


@pytest.mark.parametrize("text", list(LAYOUTS.values()), ids=list(LAYOUTS))
def test_the_layouts_people_and_the_site_write_are_read_fast(text: str) -> None:
    assert read_both(text) is not None


#: Files the fast path leaves to the full reader (which reads them, or reports them).
ASIDE = {
    "fields-in-another-order": "items:\n  REC-01:\n    owner: x\n    status: done\n",
    "unknown-status": "items:\n  REC-01:\n    status: fini\n",
    "status-null": "items:\n  REC-01:\n    status: null\n",
    "no-field": "items:\n  REC-01:\n  REC-02:\n    status: done\n",
    "duplicate-item": "items:\n  REC-01:\n    status: done\n  REC-01:\n    status: todo\n",
    "impossible-date": "items:\n  REC-01:\n    due: 2026-02-30\n",
    "impossible-time": "items:\n  REC-01:\n    updated: 2026-11-20T25:00:00\n",
    "quoted-date": "items:\n  REC-01:\n    due: '2026-12-15'\n",
    "block-scalar": "items:\n  REC-01:\n    answer: |\n      x\n",
    "too-long": "items:\n  REC-01:\n    answer: " + "a" * (MAX_TEXT + 1) + "\n",
    "not-an-id": "items:\n  REC-1:\n    status: done\n",
    "key-after-items": "items:\n  REC-01:\n    status: done\nformat: playbook-run/1\n",
    "no-items-line": "items: {}\n",
    "top-level-item": "items:\nREC-01:\n  status: done\n",
    "uneven-fields": "items:\n  REC-01:\n    status: done\n     owner: x\n",
    "lone-cr": "items:\n  REC-01:\n    status: done\r    owner: x\n",
    "control": "items:\n  REC-01:\n    answer: \"a\x1bb\"\n",
    "bad-escape": "items:\n  REC-01:\n    answer: \"\\x41\"\n",
    "tab": "items:\n  REC-01:\n\tstatus: done\n",
    "unknown-key": "format: playbook-run/1\nversion: 2\nitems:\n  REC-01:\n    status: done\n",
    "short-date": "items:\n  REC-01:\n    due: 2026-1-05\n",
    "date-and-more": "items:\n  REC-01:\n    due: 2026-01-05-1\n",
    "time-cut": "items:\n  REC-01:\n    updated: 2026-11-20T10:\n",
    "time-and-space": "items:\n  REC-01:\n    updated: 2026-11-20T10: 00\n",
    "time-spaced-zone": "items:\n  REC-01:\n    updated: 2026-11-20 10:00:00 Z\n",
    "comment-between-fields": "items:\n  REC-01:\n    status: done\n    # x\n    owner: y\n",
}


@pytest.mark.parametrize("text", list(ASIDE.values()), ids=list(ASIDE))
def test_what_the_fast_layout_does_not_cover_is_left_to_the_full_reader(text: str) -> None:
    assert read_both(text) is None


def test_a_status_written_as_null_is_no_status_even_when_declared() -> None:
    """``status: null`` reads as no value: refused even where a status is named null."""
    text = "items:\n  REC-01:\n    status: null\n"
    assert read_both(text, ("todo", "done", "null")) is None


def test_an_answer_at_the_limit_is_read_fast() -> None:
    text = "items:\n  REC-01:\n    answer: \"" + "é" * MAX_TEXT + "\"\n"
    fast = read_both(text)
    assert fast is not None and len(fast.items["REC-01"].answer) == MAX_TEXT


def corpus_texts() -> list[tuple[str, str]]:
    """Every file of the corpus that is text (a file that is not UTF-8 never reaches
    the readers)."""
    texts = []
    for path in sorted(CORPUS.iterdir()):
        if path.name != "cases.json" and path.name != "not-utf8.yaml":
            texts.append((path.name, path.read_text(encoding="utf-8")))
    for name, recipe in CASES["generated"].items():
        texts.append((name, generate(recipe).decode("utf-8")))
    return texts


@pytest.mark.parametrize(("name", "text"), corpus_texts(), ids=[n for n, _ in corpus_texts()])
def test_every_corpus_file_is_read_alike_both_ways(name: str, text: str) -> None:
    """Each file of tests/corpus/runs/: the same run both ways, or the fast path aside
    (then the problems are the full reader's, tested by test_run_corpus.py)."""
    fast = read_both(text)
    if name.startswith("valid-") and name.endswith(".yaml") and fast is None:
        # a valid file outside the fast layout: read by the full reader all the same
        assert comparable(parse_run(text, PATH, STATUSES)) == comparable(
            read_run_tree(text, PATH, STATUSES))


#: What a change at random puts in place of a value, a key or a line.
TOKENS = ["~", "null", "Null", "''", '""', "{}", "[]", "|", ">-", "2026-02-30", "2026-13-01",
          "2026-11-20T25:00:00", "2026-11-20T10:00", "2026-11-20 10:00:00Z", "20261231",
          "done", "Done", "fait", "todo # c", "'it''s'", '"a\\qb"', '"\\ud800"', '"\\u00e9"',
          "a: b", "&x a", "*x", "!!str a", "#x", "x #y", "x# y", "- a", "a  ", "é\u2028",
          "x\x85y", "\x00", "\t", "'open", '"open', "'''", "%x", "@x", "`x", "? x", "-x",
          "REC-01", "REC-1", "rec-01", "REC-0001", "status", "statut", "owner", "items",
          "profile", "format", "a" * (MAX_TEXT + 1), "é" * MAX_TEXT]


def mutated(text: str, chooser: random.Random) -> str:
    """``text`` with one to three changes at random: lines removed, doubled, swapped,
    indented, commented; values, keys or characters replaced; line ends changed."""
    for _ in range(chooser.randint(1, 3)):
        lines = text.split("\n")
        index = chooser.randrange(len(lines))
        line = lines[index]
        change = chooser.randrange(11)
        if change == 0:
            del lines[index]
        elif change == 1:
            lines.insert(index, line)
        elif change == 2 and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], line
        elif change == 3:
            shift = chooser.choice([-2, -1, 1, 2])
            lines[index] = " " * max(0, len(line) - len(line.lstrip(" ")) + shift) \
                + line.lstrip(" ")
        elif change == 4:
            lines.insert(index, " " * chooser.randint(0, 6)
                         + chooser.choice(["", "# note", "#", "  "]))
        elif change == 5:
            lines[index] = line + chooser.choice([" # note", "  ", "#x", " x"])
        elif change == 6 and ":" in line:
            key, _, _value = line.partition(":")
            lines[index] = f"{key}: {chooser.choice(TOKENS)}"
        elif change == 7 and ":" in line:
            key, _, value = line.partition(":")
            indent = key[:len(key) - len(key.lstrip(' '))]
            lines[index] = f"{indent}{chooser.choice(TOKENS)}:{value}"
        elif change == 8 and line:
            at = chooser.randrange(len(line))
            lines[index] = line[:at] + chooser.choice(ALPHABET + "\r\x85\u2028\x00\ufeff") \
                + line[at + 1:]
        elif change == 9:
            return chooser.choice(["\r\n", "\r"]).join(lines)
        else:
            lines = lines[:index]
        text = "\n".join(lines)
    return text


def test_files_changed_at_random_are_read_alike_both_ways() -> None:
    """Property: for any change of a file the tools write, the fast path gives the full
    reader's run or steps aside; both outcomes happen often."""
    chooser = random.Random(2026_12_01)
    taken = aside = 0
    for _ in range(3000):
        run = sample_run(chooser, "aé «»'\":#-\\ 0", chooser.randint(1, 4))
        if chooser.random() < 0.3:
            text = json.dumps({"format": "playbook-run/1", "items": {
                item_id: {"status": answer.status} for item_id, answer in run.items.items()}},
                indent=chooser.choice([None, 2]))
        else:
            text = mutated(dump_run(run), chooser)
        if read_both(text) is None:
            aside += 1
        else:
            taken += 1
    assert taken > 300 and aside > 300, (taken, aside)


def test_not_fast_finds_what_yaml_does_not_allow_raw() -> None:
    """NOT_FAST is written as the characters it finds, for speed: the same characters as
    the complement of what YAML allows raw, plus what it reads as a line break."""
    allowed = ("[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
               "|[\x85\u2028\u2029]")
    import re

    complement = re.compile(allowed)
    found = run_yaml.not_fast_pattern()
    assert [code for code in range(sys.maxunicode + 1)
            if bool(found.match(chr(code))) != bool(complement.match(chr(code)))] == []


#: A run with every part the fast path reads: a head with comments, blank and comment
#: lines between items, each kind of text (double-quoted with and without an escape,
#: single-quoted, plain with ``:`` and ``#``), comments after values, ``{}``.
EVERY_PART = ("# a\nformat: playbook-run/1  # b\norganisation: \"x y\"\nitems:  # c\n"
              "  REC-01:\n    status: done  # d\n    owner: \"a b\"\n"
              "    due: 2026-12-15\n    evidence: 'c''d'\n    answer: \"e\\u00e9 f\"\n"
              "    updated: 2026-11-20T10:00:00+01:00\n\n  # g\n  REC-02: {}\n"
              "  REC-03:\n    owner: h:i#j k\n  # l\n")
#: The characters of NOT_FAST: all those below U+0100, and each end of each range above.
NOT_FAST_SAMPLE = [chr(code) for code in range(0x100) if NOT_FAST.match(chr(code))] \
    + ["\u2028", "\u2029", "\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff"]


def test_a_character_of_not_fast_anywhere_sends_the_file_to_the_full_reader() -> None:
    """The fast path looks for NOT_FAST's characters through its expressions' classes
    (those below U+0100) and C loops (those above), not ``NOT_FAST.search``: in every
    position of a run, added or in place of a character, each is still found."""
    whole = read_both(EVERY_PART)
    assert whole is not None and len(whole.items) == 3
    for at in range(len(EVERY_PART) + 1):
        for character in NOT_FAST_SAMPLE:
            assert fast_run(EVERY_PART[:at] + character + EVERY_PART[at:], STATUSES) is None
            assert fast_run(EVERY_PART[:at] + character + EVERY_PART[at + 1:],
                            STATUSES) is None


def test_the_other_characters_are_read_alike_in_every_position() -> None:
    """A character of each kind the fast subset tells apart, in place of each character
    of a run: both readers agree; and every character of Latin-1 that is not NOT_FAST's,
    and a few above, in a text of each kind: the fast path takes the run."""
    kinds = "x -:#\"'\\{}\t\xa0é\u2019"
    taken = 0
    for at in range(len(EVERY_PART)):
        for character in kinds:
            if read_both(EVERY_PART[:at] + character + EVERY_PART[at + 1:]) is not None:
                taken += 1
    assert taken > len(EVERY_PART) * 2, taken
    others = [chr(code) for code in range(0x100) if not NOT_FAST.match(chr(code))]
    others += ["\u2019", "\u202f", "\ufeff", "\ufffd", "\U0001f600"]
    for character in others:  # in a text of each kind
        for text in (EVERY_PART.replace("a b", f"a{character}b"),
                     EVERY_PART.replace("c''d", f"c{character}d"),
                     EVERY_PART.replace("h:i", f"h{character}i")):
            if character not in "\"'\\#" and not character.isspace():
                assert read_both(text) is not None, repr(character)


def test_not_fast_beyond_latin1_is_found_as_not_fast_finds_it() -> None:
    """``beyond_latin1_not_fast`` (C loops) finds exactly NOT_FAST's characters above
    U+00FF: each of them, alone in a text of any width; none of the others, all together,
    nor any text of Latin-1 alone."""
    found = run_yaml.beyond_latin1_not_fast
    above = [chr(code) for code in range(0x100, sys.maxunicode + 1)]
    refused = [character for character in above if NOT_FAST.match(character)]
    assert len(refused) == 2 + 2048 + 2
    for character in refused:
        for text in (f"a{character}b", f"\u2019{character}", f"{character}\U0001f600"):
            assert found(text), repr(character)
    assert not found("".join(c for c in above if not NOT_FAST.match(c)))
    assert not found("".join(chr(code) for code in range(0x100)))


def test_holds_not_fast_finds_what_not_fast_finds() -> None:
    """``holds_not_fast`` (a class of Latin-1, then C loops) says of each code point, in a
    text of each width, what NOT_FAST says; and nothing of all the others together."""
    holds = run_yaml.holds_not_fast
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if NOT_FAST.match(character):
            assert holds(f"a{character}") and holds(f"\u2019{character}b"), hex(code)
            assert holds(f"\U0001f600{character}"), hex(code)
    allowed = "".join(chr(code) for code in range(sys.maxunicode + 1)
                      if not NOT_FAST.match(chr(code)))
    assert not holds(allowed) and not holds(allowed[:0x100]) and not holds("")


@pytest.mark.parametrize("piece", ["DOUBLE_QUOTED", "SINGLE_QUOTED", "PLAIN", "COMMENT"])
def test_each_piece_refuses_exactly_not_fast_below_latin1(piece: str) -> None:
    """The pieces of the fast subset are those of YAML's plain subset with
    NOT_FAST_LATIN1 left out of each class: for every character of Latin-1, in each place
    of a piece, the piece matches as it would without that, unless NOT_FAST finds it."""
    import re

    pattern = getattr(run_yaml, piece)
    without = re.compile(pattern.replace(run_yaml.NOT_FAST_LATIN1, ""), re.MULTILINE)
    assert without.pattern != pattern
    compiled = re.compile(pattern, re.MULTILINE)
    places = {"DOUBLE_QUOTED": ['"a{}b"', '"{}"', '"\\{}"'],
              "SINGLE_QUOTED": ["'a{}b'", "'{}'"],
              "PLAIN": ["{}a", "a{}", "a {}b", "a:{}", "a#{}"],
              "COMMENT": ["#{}", "# a{}b"]}[piece]
    for code in range(0x100):
        character = chr(code)
        for place in places:
            text = place.format(character)
            expected = bool(without.fullmatch(text)) and not NOT_FAST.match(character)
            assert bool(compiled.fullmatch(text)) == expected, (piece, text)

"""Run files: an organisation's answers to the playbook, kept as YAML in its own repo.

A run file maps item IDs to what the organisation recorded::

    format: playbook-run/1
    id: 0b7f3c8e-5a4d-4e0f-9c61-2f8d9a1b7e42   # optional: this run's own identifier
    organisation: Exemple SA
    started: 2026-11-02
    profile:                    # optional: criteria of playbook_profile (conf.py)
      headcount: 11-49
      internal-network: false
    items:
      REC-01:
        status: done            # a key of playbook_statuses (conf.py)
        owner: Claire Martin (DRH)
        due: 2026-12-15
        evidence: https://intranet.example/politique-reseaux-sociaux.pdf
        answer: Politique adoptée en comité de direction.
        updated: 2026-11-20T14:03:00+01:00

Statuses are those ``conf.py`` declares: readers are given them (the command line
reads them from the vocabulary the build exported, :mod:`.vocabulary_file`). What an
ID looks like and which statuses count as complete are the core's
(:mod:`.vocabulary`).

Reading never trusts the file (:mod:`.run_yaml`): every value is text, anchors
and aliases (the "billion laughs") are refused, its size is bounded, and every problem
comes back with its line. Reading takes only a regular file, and counts the bytes it
reads (:mod:`.bounded_files`). Writing is atomic (a temporary file renamed over the old
one) under a lock, so a crash keeps the previous answers and two writers do not corrupt
the file; recording an answer changes only that item's lines, and goes through a
symbolic link to the file it names.
"""

from __future__ import annotations

import datetime
import errno
import functools
import json
import os
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from playbook_rh.core.bounded_files import FileProblem, kind_of, read_regular_file
from playbook_rh.core.profile import YES_NO_WORDS
from playbook_rh.core.run_yaml import (
    COMMENT,
    EMPTY,
    END,
    END_OF_LINE,
    NOT_FAST_LATIN1,
    NULLS,
    SCALAR,
    Mapping,
    Node,
    Scalar,
    Text,
    YamlError,
    beyond_latin1_not_fast,
    fast_tree,
    not_fast_pattern,
    read_tree,
    unquoted,
    with_item,
)
from playbook_rh.core.safe_text import shown_path, unwritable
from playbook_rh.core.vocabulary import COMPLETE, ID_PATTERN, KEY_PATTERN, TODO

#: The run format's name and version: the first line of every run file.
FORMAT = "playbook-run/1"
MAX_BYTES = 5 * 1024 * 1024
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
TEXT_FIELDS = ("owner", "evidence", "answer")
#: The longest text a text field of an item holds, in characters: what the site lets a
#: reader type, and what every reader (this one, the browser's) accepts from a file.
MAX_TEXT = 2000
ITEM_FIELDS = ("status", "owner", "due", "evidence", "answer", "updated")
TOP_FIELDS = ("format", "id", "organisation", "started", "profile", "items")


class Problem(NamedTuple):
    """One problem of a run file: where (file and line) and what to do."""

    path: Path
    line: int | None
    """None when the problem is the file itself (missing, unreadable)."""
    message: str

    def __str__(self) -> str:
        path = shown_path(self.path)  # a file named with ESC or a line break
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.message}"


class RunError(Exception):
    """A run file that cannot be used; each problem names its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class Answer(NamedTuple):
    """What the organisation recorded for one item; immutable (a new answer replaces it:
    ``answer._replace(status=...)``).

    A named tuple rather than a frozen dataclass, as :class:`.questions.Question`: a run
    of thousands of items builds one each, and a frozen dataclass sets each field through
    ``object.__setattr__`` (about three times the cost of the whole tuple).
    """

    status: str = TODO
    owner: str = ""
    due: datetime.date | None = None
    evidence: str = ""
    answer: str = ""
    updated: datetime.datetime | None = None

    @property
    def complete(self) -> bool:
        return self.status in COMPLETE

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today and not self.complete


@dataclass
class Run:
    """A run file as read: the organisation, its profile and its answers."""

    organisation: str = ""
    id: str = ""
    """The run's own identifier (``playbook-rh new`` and the site write a random UUID):
    tells two runs of one organisation apart, in the calendar's UIDs."""
    started: datetime.date | None = None
    items: dict[str, Answer] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each item in the file it was read from (for messages)."""
    profile: dict[str, str] = field(default_factory=dict)
    """The organisation's profile as written (criterion -> value text); checked against
    the criteria of conf.py by :func:`playbook_rh.core.scope.read_profile`."""
    profile_lines: dict[str, int] = field(default_factory=dict)

    def answer(self, item_id: str) -> Answer:
        return self.items.get(item_id, Answer())


# -- reading ---------------------------------------------------------------------------

def date_of(value: str) -> datetime.date:
    """The date ``value`` writes as YYYY-MM-DD; ValueError otherwise."""
    if not DATE.match(value):  # fromisoformat also takes 20261231, 2026-W53-4
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def timestamp_of(value: str) -> datetime.datetime:
    """The date and time ``value`` writes (YYYY-MM-DDTHH:MM:SS+01:00); ValueError
    otherwise."""
    if not TIMESTAMP.match(value):
        raise ValueError(value)
    return datetime.datetime.fromisoformat(value.replace(" ", "T", 1))


class _Reader:
    """Turns the tree of a run file into a :class:`Run`, collecting every problem."""

    def __init__(self, path: Path, statuses: Collection[str]) -> None:
        self.path = path
        self.statuses = statuses
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, node: Node, what: str) -> list[tuple[str, int, Node]]:
        if not isinstance(node, Mapping):
            fix = ("start from `playbook-rh new`" if what == "the run file"
                   else "write one 'key: value' per line, indented under it")
            self.problem(node.line, f"{what} must be a mapping of 'key: value' lines: {fix}")
            return []
        entries: list[tuple[str, int, Node]] = []
        seen: dict[str, int] = {}
        for name, line, value in node.entries:
            if name in seen:
                self.problem(line, f"{what}: {name!r} appears twice (first on line "
                                   f"{seen[name]}): keep one")
                continue
            seen[name] = line
            entries.append((name, line, value))
        return entries

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, Text):
            self.problem(node.line, f"{what} must be text, not a list or a mapping: write "
                                    "the value on the key's line")
            return ""
        return "" if node.is_null else node.value

    def date(self, node: Node, what: str) -> datetime.date | None:
        value = self.text(node, what)
        if not value:
            return None
        try:
            return date_of(value)
        except ValueError:
            self.problem(node.line, f"{what} {value!r} is not a date written YYYY-MM-DD: "
                                    "write a day of the calendar so, such as 2026-12-31")
            return None

    def timestamp(self, node: Node, what: str) -> datetime.datetime | None:
        value = self.text(node, what)
        if not value:
            return None
        try:
            return timestamp_of(value)
        except ValueError:
            self.problem(node.line, f"{what} {value!r} is not a date and time "
                                    "(YYYY-MM-DDTHH:MM:SS+01:00): write it so, or remove "
                                    "the line")
            return None

    def item(self, item_id: str, node: Node) -> Answer:
        values: dict[str, Any] = {}
        for name, line, value in self.mapping(node, f"item {item_id}"):
            what = f"item {item_id}: {name}"
            if name == "status":
                status = self.text(value, what)
                if status not in self.statuses:
                    self.problem(value.line, f"{what} {status!r} is not one of "
                                             f"{', '.join(self.statuses)}: write one of them")
                    continue
                values["status"] = status
            elif name in TEXT_FIELDS:
                text = self.text(value, what)
                if len(text) > MAX_TEXT:
                    self.problem(value.line, f"{what} is {len(text)} characters long; a "
                                             f"field holds at most {MAX_TEXT}: shorten it")
                    continue
                values[name] = text
            elif name == "due":
                values["due"] = self.date(value, what)
            elif name == "updated":
                values["updated"] = self.timestamp(value, what)
            else:
                self.problem(line, f"item {item_id}: unknown field {name!r}; an item takes "
                                   f"{', '.join(ITEM_FIELDS)}: correct its name or remove it")
        return Answer(**values)

    def run(self, root: Node) -> Run:
        run = Run()
        entries = self.mapping(root, "the run file")
        if isinstance(root, Mapping) and "items" not in {name for name, _, _ in entries}:
            self.problem(root.line, "the run file has no 'items:' section: add one (`items: "
                                    "{}` for none yet), or start from `playbook-rh new`")
        for name, line, value in entries:
            if name == "format":
                stated = self.text(value, "format")
                if stated != FORMAT:
                    self.problem(value.line, f"format {stated!r} is not {FORMAT!r}, the only "
                                             f"one this version reads: write `format: {FORMAT}` "
                                             "(a file of a newer format needs a newer "
                                             "playbook-rh)")
            elif name == "organisation":
                run.organisation = self.text(value, "organisation")
            elif name == "id":
                run.id = self.text(value, "id")
            elif name == "started":
                run.started = self.date(value, "started")
            elif name == "profile":
                if isinstance(value, Text) and value.is_null:
                    continue
                for key, key_line, criterion in self.mapping(value, "profile"):
                    run.profile[key] = self.text(criterion, f"profile: {key}")
                    run.profile_lines[key] = key_line
            elif name == "items":
                if isinstance(value, Text) and value.is_null:
                    continue
                for item_id, item_line, item_value in self.mapping(value, "items"):
                    if not ID_PATTERN.match(item_id):
                        self.problem(item_line, f"{item_id!r} is not an item ID (such as "
                                                "REC-03): correct it (`playbook-rh list` "
                                                "shows the IDs)")
                        continue
                    run.items[item_id] = self.item(item_id, item_value)
                    run.lines[item_id] = item_line
            else:
                self.problem(line, f"unknown key {name!r}; a run file has "
                                   f"{', '.join(TOP_FIELDS)}: correct its name or remove it")
        return run


def parse_run(text: str, path: Path, statuses: Collection[str]) -> Run:
    """Read a run from ``text``, whose items take one of ``statuses`` (the keys of
    ``playbook_statuses``); :class:`RunError` lists every problem, located."""
    if not text or text.isspace():  # as ``not text.strip()``, without copying megabytes
        raise RunError([Problem(path, 1, EMPTY)])
    run = fast_run(text, statuses)
    return run if run is not None else read_run_tree(text, path, statuses)


def read_run_tree(text: str, path: Path, statuses: Collection[str]) -> Run:
    """The full reader of a run file (not empty): its YAML tree, then every check of
    every value; :class:`RunError` lists every problem, located."""
    try:
        root = read_tree(text)
    except YamlError as error:
        raise RunError([Problem(path, error.line, error.message)]) from None
    reader = _Reader(path, statuses)
    run = reader.run(root)
    if reader.problems:
        raise RunError(reader.problems)
    return run


# -- reading fast: the layout the tools write ------------------------------------------
#
# ``playbook-rh status`` reads a run of thousands of items in a fraction of a second
# because most of a run file is its items, laid out as ``playbook`` (and the site's
# export) write them: an item ID, then its fields one per line, in the order of
# ITEM_FIELDS. One regular expression, built from the fast subset's pieces
# (:mod:`.run_yaml`) and the patterns of an ID and a status, reads a whole item; no tree
# is built and nothing already checked by the expression is checked again. The pieces
# refuse the characters of NOT_FAST below U+0100: the items are not searched for those
# apart (the head, before ``items:``, is, by :func:`.run_yaml.fast_tree`), only for
# those above, in C (:func:`.run_yaml.beyond_latin1_not_fast`). Anything else (another
# layout, a problem) is left to the full reader, which reads it and reports the
# problems: the fast path never decides a file is wrong. tests/test_fast_run.py checks
# that both readers give the same run, over the corpus of run files and over generated
# ones, and that a character of NOT_FAST anywhere sends a file to the full reader.

#: The line that opens the items (``items:``, nothing after but a comment).
ITEMS_LINE = re.compile(rf"^items:{END}\n", re.MULTILINE)
#: Blank lines and comment lines, at any indentation. The look-ahead turns an item's line
#: away at its first character after the indentation, before any backtracking.
SKIPPED = rf"(?:(?=[ ]*[#\n])(?: *{COMMENT}| *)\n)*"
SKIPPED_LINES = re.compile(SKIPPED)
#: The first item's line and the line after it: their indentations.
FIRST_ITEM = re.compile(rf"{SKIPPED}( +)[^ #\n][^\n]*\n{SKIPPED}( *)")
#: What a date (``due``) and a date and time (``updated``) written plain are made of: an
#: item's expression takes these runs of characters, several times quicker to match than
#: DATE and TIMESTAMP, and :func:`date_of` and :func:`timestamp_of` then check each
#: distinct value whole. Each is a plain scalar read as written when it is a date or a
#: time, and one that is not sends the file to the full reader (which reports it).
DATE_CHARACTERS = r"[0-9][0-9-]*"
TIME_CHARACTERS = r"[0-9][0-9:.TZ+-]*(?: [0-9][0-9:.Z+-]*|)"
#: An item's ``ID: {}``, its answer: one for all.
NO_ANSWER = Answer()


def _bare(pattern: re.Pattern[str]) -> str:
    """A pattern of one whole value, without its anchors: to be part of a longer one."""
    return pattern.pattern.removeprefix("^").removesuffix("$")


@functools.lru_cache(maxsize=16)
def _item_pattern(item_indent: int, field_indent: int, any_text: bool) -> re.Pattern[str]:
    """One item: its ID line, then each field of ITEM_FIELDS at most once, in order; or
    ``ID: {}``. Statuses, dates and times are written plain (as the tools write them);
    text is any scalar of the fast subset. A text in double quotes without escapes and
    not too long, the most common, is caught apart (``owner``...): it is its own value;
    any other text is in another group (``owner_scalar``...), which matches nothing
    unless ``any_text``: the expression for double-quoted text only, what the command
    writes, is compiled in a third of the time (some 2 ms less), and the other only for
    a run that needs it (:func:`fast_run`). A field left out matches the empty branch
    (``(?:...|)``): cheaper for the engine than an optional group. Blank and comment
    lines before an item are read apart (:data:`SKIPPED_LINES`): they are rare, and a
    repeat entered at every item costs more than a second call."""
    value = {"status": rf"(?P<status>{_bare(KEY_PATTERN)})",
             "due": rf"(?P<due>{DATE_CHARACTERS})",
             "updated": rf"(?P<updated>{TIME_CHARACTERS})"}
    scalar = SCALAR if any_text else "(?!)"
    for name in TEXT_FIELDS:
        value[name] = (rf'(?:"(?P<{name}>[^"\\\n{NOT_FAST_LATIN1}]{{0,{MAX_TEXT}}})"'
                       rf"|(?P<{name}_scalar>{scalar}))")
    fields = "".join(
        rf"(?:{' ' * field_indent}{name}: +{value[name]}{END_OF_LINE}|)"
        for name in ITEM_FIELDS
    )
    return re.compile(
        rf"{' ' * item_indent}(?P<id>{_bare(ID_PATTERN)}):"
        rf"(?:{END_OF_LINE}{fields}| +(?P<empty>\{{\}}){END_OF_LINE})",
        re.MULTILINE,
    )


def _text_of(scalar: str | None) -> str | None:
    """A text field's value as the full reader reads it ("" when the field is left out);
    None when the fast path cannot take it (an escape outside the fast subset, a text too
    long)."""
    if scalar is None:
        return ""
    text = "" if scalar in NULLS else unquoted(scalar)
    return None if text is None or len(text) > MAX_TEXT else text


def fast_run(text: str, statuses: Collection[str]) -> Run | None:
    """The run ``text`` holds, when it is laid out as the tools write it and has no
    problem; None otherwise (then :func:`read_run_tree` reads it)."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:  # as fast_tree: Windows line ends read as LF, a lone CR left aside
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if beyond_latin1_not_fast(text):  # those below U+0100 are refused by the expressions
        return None
    opening = ITEMS_LINE.search(text)
    if opening is None:
        return None
    position = opening.end()
    head = fast_tree(text[:position])  # what comes before the items, ``items:`` last
    if head is None:
        return None
    reader = _Reader(Path(), statuses)
    run = reader.run(head)
    if reader.problems:
        return None
    if not text.endswith("\n"):
        text += "\n"
    first = FIRST_ITEM.match(text, position)
    if first is None:
        return None
    item_indent, field_indent = len(first.group(1)), len(first.group(2))
    if field_indent <= item_indent:  # the first item is ``{}``: guess, checked below
        field_indent = 2 * item_indent
    allowed = frozenset(statuses).difference(NULLS)  # ``status: null`` is no status
    line = text.count("\n", 0, position) + 1
    read = _read_items(text, position, line, item_indent, field_indent, allowed)
    if read is None:
        return None
    run.items, run.lines = read
    return run


def _read_items(text: str, position: int, line: int, item_indent: int, field_indent: int,
                allowed: frozenset[str]) -> tuple[dict[str, Answer], dict[str, int]] | None:
    """The answers and lines of the items from ``position`` (at ``line``) to the end, or
    None (:func:`fast_run`).

    Read first with the expression for double-quoted text only: where it stops short
    (an item it does not read, or reads without a field), the item before may hold a
    text written otherwise, and was cut short at it: from that item on, the expression
    for any text reads them."""
    any_text = False
    match_item = _item_pattern(item_indent, field_indent, any_text).match
    match_skipped = SKIPPED_LINES.match
    count = text.count
    # built by position, as questions are (:func:`.questions.questions_from_records`):
    # the six fields in Answer's order, without its ``__new__`` or ``_make`` in Python
    new_answer = tuple.__new__
    items: dict[str, Answer] = {}
    lines: dict[str, int] = {}
    # a run's dates and times repeat (deadlines, answers saved together): each read once
    dates: dict[str, datetime.date] = {}
    times: dict[str, datetime.datetime] = {}
    item_id: str | None = None  # the last item read, from start
    start = position
    try:
        while True:
            match = match_item(text, position)
            if match is None:
                skipped = match_skipped(text, position)  # blank lines, comments
                if skipped is not None and skipped.end() > position:
                    after = skipped.end()
                    line += count("\n", position, after)
                    position = after
                    continue
                if any_text or position == len(text):
                    break
                any_text = True
                match_item = _item_pattern(item_indent, field_indent, any_text).match
                if item_id is not None:  # read the last item again
                    del items[item_id]
                    line = lines.pop(item_id)
                    position, item_id = start, None
                continue
            (item_id, status, owner, owner_scalar, due, evidence, evidence_scalar, answer,
             answer_scalar, updated, empty) = match.groups()
            if item_id in items:
                return None
            end = match.end()
            item_lines = count("\n", position, end)
            if empty is None and item_lines == 1:  # ``ID:`` and no field read under it
                if any_text:
                    return None  # nothing under it
                any_text = True  # its first field may be a text: read it again
                match_item = _item_pattern(item_indent, field_indent, any_text).match
                continue
            lines[item_id] = line
            start = position
            line += item_lines
            position = end
            if empty is not None:
                items[item_id] = NO_ANSWER
                continue
            if status is None:
                status = TODO
            elif status not in allowed:
                return None
            if owner is None:
                owner = _text_of(owner_scalar)
            if evidence is None:
                evidence = _text_of(evidence_scalar)
            if answer is None:
                answer = _text_of(answer_scalar)
            if owner is None or evidence is None or answer is None:
                return None
            if due is not None:
                due = dates.get(due) or dates.setdefault(due, date_of(due))
            if updated is not None:
                updated = times.get(updated) or times.setdefault(updated,
                                                                 timestamp_of(updated))
            items[item_id] = new_answer(Answer, (status, owner, due, evidence, answer,
                                                 updated))
    except ValueError:  # not a date or a time, or one that does not exist
        return None
    if not items or position != len(text):
        return None
    return items, lines


def read_run_text(path: Path) -> str:
    """The text of the run file ``path``: a regular file of at most :data:`MAX_BYTES`
    bytes (counted as read), in UTF-8; :class:`RunError` otherwise."""
    try:
        data = read_regular_file(path, MAX_BYTES)
    except FileNotFoundError:
        raise RunError([Problem(path, None, "no such file; create it with `playbook-rh new "
                                            f"{path}`")]) from None
    except FileProblem as problem:
        raise RunError([Problem(path, None, f"cannot be read: {problem}: give the path of a "
                                            "run file (a file of YAML text; a run file is "
                                            f"at most {MAX_BYTES // 2**20} MiB)"
                                )]) from None
    except OSError as error:
        raise RunError([Problem(path, None, f"cannot be read: {error.strerror}: check the "
                                            "path and that you may read the file")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RunError([Problem(path, line, f"not UTF-8 text: byte {data[error.start]:#04x} "
                                            f"({error.reason}): save the file as UTF-8")]) from None


def load_run(path: Path, statuses: Collection[str]) -> Run:
    return parse_run(read_run_text(path), path, statuses)


# -- writing ---------------------------------------------------------------------------

def _scalar(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    # A JSON string is a valid YAML double-quoted scalar; characters YAML does not
    # allow raw or reads as a line break (NOT_FAST) are written as \\u escapes.
    quoted = json.dumps(str(value), ensure_ascii=False)
    return not_fast_pattern().sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def dump_run(run: Run) -> str:
    lines = [
        "# Suivi du playbook RH et réseaux sociaux : une entrée par question (ID).",
        "# Format documenté sur le site, page « Suivre ses réponses » (run.schema.json).",
        f"format: {FORMAT}",
    ]
    if run.id:
        lines.append(f"id: {_scalar(run.id)}")
    lines.append(f"organisation: {_scalar(run.organisation)}")
    if run.started is not None:
        lines.append(f"started: {_scalar(run.started)}")
    if run.profile:
        lines.append("profile:")
        lines.extend(f"  {key}: {value if value in YES_NO_WORDS else _scalar(value)}"
                     for key, value in run.profile.items())
    if not run.items:
        lines.append("items: {}")
    else:
        lines.append("items:")
    for item_id, answer in run.items.items():
        lines.append(f"  {item_id}:")
        lines.append(f"    status: {answer.status}")
        for name in ("owner", "due", "evidence", "answer", "updated"):
            value = getattr(answer, name)
            if value not in (None, ""):
                lines.append(f"    {name}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


#: How the temporary folder of a write ends: a write killed half-way leaves one, which
#: the next writer of the folder removes (:func:`locked`).
TEMPORARY_SUFFIX = ".playbook-rh.tmp"


class WriteRefused(OSError):
    """The target is not a file we may replace; the message says why."""


def writable_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: through a symbolic link, the file it
    points to (the shared file gets the answer). :class:`WriteRefused` when that is a
    folder, a device, a FIFO..., or a read-only file: replacing it would defeat what
    its owner meant."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        return target  # a new file
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise WriteRefused(errno.EINVAL, f"{kind}, not a file: give the path of a file",
                           str(path))
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteRefused(errno.EACCES, "the file is read-only: nothing was written "
                                         "(make it writable first, for example chmod u+w)",
                           str(path))
    return target


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step: readers see the old file or the new, never half.

    The new text is written in a temporary folder beside the file (same file system,
    so the rename is atomic) holding a ``.gitignore`` of ``*``: if the write is killed,
    what it leaves is not picked up by ``git add .``, and the next writer removes it.
    """
    import shutil  # here and below: reading, what most commands do, needs neither
    import tempfile

    target = writable_target(path)
    directory = target.parent
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX,
                                   dir=directory))
    try:
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        temporary = folder / target.name
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if hasattr(os, "O_DIRECTORY"):
        directory_fd = os.open(directory, os.O_DIRECTORY)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)


def remove_leftovers(directory: Path) -> None:
    """Remove the temporary folders writes killed half-way left in ``directory``; only
    under :func:`locked`, when no other write can be under way."""
    import shutil

    for leftover in directory.glob(f".*{TEMPORARY_SUFFIX}"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the run file's folder while reading and writing it.

    The folder, not the file, is locked: the file is replaced on every write, and a
    lock on the old file would not stop a writer who opened the new one. The folder is
    that of the file a symbolic link points to, where the write happens.
    """
    directory = Path(os.path.realpath(path)).parent
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        yield
        return
    directory_fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(directory_fd, fcntl.LOCK_EX)
        remove_leftovers(directory)
        yield
    finally:
        fcntl.flock(directory_fd, fcntl.LOCK_UN)
        os.close(directory_fd)


def save_run(path: Path, run: Run) -> None:
    """Write ``run`` as a new file (``playbook-rh new``): the format's own layout."""
    write_atomically(path, dump_run(run))


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).astimezone().replace(microsecond=0)


def _fields(answer: Answer) -> dict[str, Scalar | None]:
    """The entry of ``answer`` as the run file holds it; None for a field left empty."""
    return {
        "status": Scalar(answer.status, plain=True),
        "owner": Scalar(answer.owner) if answer.owner else None,
        "due": Scalar(answer.due.isoformat(), plain=True) if answer.due else None,
        "evidence": Scalar(answer.evidence) if answer.evidence else None,
        "answer": Scalar(answer.answer) if answer.answer else None,
        "updated": (Scalar(answer.updated.isoformat(timespec="seconds"), plain=True)
                    if answer.updated else None),
    }


def record_answer(path: Path, item_id: str, answer: Answer,
                  statuses: Collection[str]) -> Run:
    """Store one item's answer, re-reading the file under the lock first so answers
    another process saved meanwhile are kept. Only the item's lines change: what the
    organisation wrote by hand stays (:func:`.run_yaml.with_item`). The new text is read
    back before it replaces the file: a file the tools could not read is never written."""
    given = answer._replace(updated=now())
    for name in TEXT_FIELDS:
        undecodable = unwritable(getattr(given, name))
        if undecodable is not None:
            raise RunError([Problem(path, None, f"{item_id}: the {name} holds bytes that are "
                                                f"not UTF-8 ({undecodable}): nothing was "
                                                "written; type it again in UTF-8")])
    with locked(path):
        text = read_run_text(path)
        run = parse_run(text, path, statuses)
        written = with_item(text, item_id, _fields(given), ITEM_FIELDS)
        try:
            back = parse_run(written, path, statuses)
        except RunError:
            back = None
        expected = {**run.items, item_id: given}
        if back is None or back.items != expected or back.organisation != run.organisation \
                or back.started != run.started or back.id != run.id:
            raise RunError([Problem(path, None, f"{item_id}: the answer could not be written "
                                                "so that it reads back as given; nothing "
                                                "was written")])
        write_atomically(path, written)
    return back

"""Run files: an organisation's answers to the playbook, kept as YAML in its own repo.

A run file maps item IDs to what the organisation recorded::

    format: playbook-run/1
    organisation: Exemple SA
    started: 2026-11-02
    items:
      REC-01:
        status: done            # todo | in-progress | done | not-applicable
        owner: Claire Martin (DRH)
        due: 2026-12-15
        evidence: https://intranet.example/politique-reseaux-sociaux.pdf
        answer: Politique adoptée en comité de direction.
        updated: 2026-11-20T14:03:00+01:00

Reading never trusts the file: it is parsed with the safe loader, anchors and aliases
(the "billion laughs") are refused, its size is bounded, and every problem comes back
with its line. Writing is atomic (a temporary file renamed over the old one) under a
lock, so a crash keeps the previous answers and two writers do not corrupt the file.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml when available: run files of thousands of items stay fast
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

FORMAT = "playbook-run/1"
#: Statuses, as playbook_statuses in conf.py (a test keeps the two equal).
STATUSES = {
    "todo": "À faire",
    "in-progress": "En cours",
    "done": "Fait",
    "not-applicable": "Sans objet",
}
COMPLETE = frozenset({"done", "not-applicable"})
MAX_BYTES = 5 * 1024 * 1024
ID = re.compile(r"^[A-Z]{2,5}-[0-9]{2,3}$")
TEXT_FIELDS = ("owner", "evidence", "answer")
ITEM_FIELDS = ("status", "owner", "due", "evidence", "answer", "updated")
TOP_FIELDS = ("format", "organisation", "started", "items")
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class RunError(Exception):
    """A run file that cannot be used; each problem names its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Answer:
    status: str = "todo"
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
    organisation: str = ""
    started: datetime.date | None = None
    items: dict[str, Answer] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each item in the file it was read from (for messages)."""

    def answer(self, item_id: str) -> Answer:
        return self.items.get(item_id, Answer())


# -- reading ---------------------------------------------------------------------------

def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(self.path, line, message))

    def refuse_aliases(self, root: yaml.Node) -> None:
        """Anchors and aliases have no use in a run file and are how YAML bombs work."""
        seen: set[int] = set()
        queue = deque([root])
        while queue:
            node = queue.popleft()
            if id(node) in seen:
                self.problem(node, "anchors and aliases (& and *) are not allowed in a run file")
                return
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    queue.extend((key, value))
            elif isinstance(node, yaml.SequenceNode):
                queue.extend(node.value)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'key: value' lines")
            return []
        entries: list[tuple[str, yaml.Node, yaml.Node]] = []
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, f"{what}: keys must be plain text")
                continue
            name = str(key.value)
            if name in seen:
                self.problem(key, f"{what}: {name!r} appears twice (first on line {seen[name]})")
                continue
            seen[name] = _line(key)
            entries.append((name, key, value))
        return entries

    def text(self, node: yaml.Node, what: str) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
            self.problem(node, f"{what} must be text (put it between quotes)")
            return ""
        return str(node.value)

    def date(self, node: yaml.Node, what: str) -> datetime.date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return None
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problem(node, f"{what} {value!r} is not a date written YYYY-MM-DD")
            return None

    def timestamp(self, node: yaml.Node, what: str) -> datetime.datetime | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return None
        value = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        try:
            return datetime.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            self.problem(node, f"{what} {value!r} is not a date and time "
                               "(YYYY-MM-DDTHH:MM:SS+01:00)")
            return None

    def item(self, item_id: str, node: yaml.Node) -> Answer:
        values: dict[str, Any] = {}
        for name, key, value in self.mapping(node, f"item {item_id}"):
            what = f"item {item_id}: {name}"
            if name == "status":
                status = self.text(value, what)
                if status not in STATUSES:
                    self.problem(value, f"{what} {status!r} is not one of "
                                        f"{', '.join(STATUSES)}")
                    continue
                values["status"] = status
            elif name in TEXT_FIELDS:
                values[name] = self.text(value, what)
            elif name == "due":
                values["due"] = self.date(value, what)
            elif name == "updated":
                values["updated"] = self.timestamp(value, what)
            else:
                self.problem(key, f"item {item_id}: unknown field {name!r}; an item takes "
                                  f"{', '.join(ITEM_FIELDS)}")
        return Answer(**values)

    def run(self, root: yaml.Node) -> Run:
        run = Run()
        entries = self.mapping(root, "the run file")
        names = {name for name, _, _ in entries}
        if "items" not in names:
            self.problem(root, "the run file has no 'items:' section")
        for name, key, value in entries:
            if name == "format":
                stated = self.text(value, "format")
                if stated != FORMAT:
                    self.problem(value, f"format {stated!r} is not {FORMAT!r}, the only one "
                                        "this version reads")
            elif name == "organisation":
                run.organisation = self.text(value, "organisation")
            elif name == "started":
                run.started = self.date(value, "started")
            elif name == "items":
                if isinstance(value, yaml.ScalarNode) and value.tag == NULL_TAG:
                    continue
                for item_id, item_key, item_value in self.mapping(value, "items"):
                    if not ID.match(item_id):
                        self.problem(item_key, f"{item_id!r} is not an item ID (such as "
                                               "REC-03)")
                        continue
                    run.items[item_id] = self.item(item_id, item_value)
                    run.lines[item_id] = _line(item_key)
            else:
                self.problem(key, f"unknown key {name!r}; a run file has "
                                  f"{', '.join(TOP_FIELDS)}")
        return run


def parse_run(text: str, path: Path) -> Run:
    """Read a run from ``text``; :class:`RunError` lists every problem, located."""
    reader = _Reader(path)
    if not text.strip():
        raise RunError([Problem(path, 1, "the run file is empty; create one with "
                                         "`playbook new`")])
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise RunError([Problem(path, line, f"not valid YAML: {error.problem or error}")])\
            from None
    except yaml.YAMLError as error:
        raise RunError([Problem(path, 1, f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise RunError([Problem(path, 1, "the run file is empty")])
    reader.refuse_aliases(root)
    if reader.problems:
        raise RunError(reader.problems)
    run = reader.run(root)
    if reader.problems:
        raise RunError(reader.problems)
    return run


def load_run(path: Path) -> Run:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise RunError([Problem(path, 0, "no such file; create it with `playbook new "
                                         f"{path}`")]) from None
    if size > MAX_BYTES:
        raise RunError([Problem(path, 1, f"the file is {size // 1024} KiB; a run file is "
                                         f"at most {MAX_BYTES // 1024} KiB")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RunError([Problem(path, 1, f"not UTF-8 text ({error.reason})")]) from None
    return parse_run(text, path)


# -- writing ---------------------------------------------------------------------------

def _scalar(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    # A JSON string is a valid YAML double-quoted scalar: every character round-trips.
    return json.dumps(str(value), ensure_ascii=False)


def dump_run(run: Run) -> str:
    lines = [
        "# Suivi du playbook RH et réseaux sociaux : une entrée par question (ID).",
        "# Format documenté sur le site, page « Suivre ses réponses » (run.schema.json).",
        f"format: {FORMAT}",
        f"organisation: {_scalar(run.organisation)}",
    ]
    if run.started is not None:
        lines.append(f"started: {_scalar(run.started)}")
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


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step: readers see the old file or the new, never half."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory_fd = os.open(directory, os.O_DIRECTORY)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the run file's folder while reading and writing it.

    The folder, not the file, is locked: the file is replaced on every write, and a
    lock on the old file would not stop a writer who opened the new one.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        yield
        return
    directory_fd = os.open(path.resolve().parent, os.O_RDONLY)
    try:
        fcntl.flock(directory_fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(directory_fd, fcntl.LOCK_UN)
        os.close(directory_fd)


def save_run(path: Path, run: Run) -> None:
    write_atomically(path, dump_run(run))


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).astimezone().replace(microsecond=0)


def record_answer(path: Path, item_id: str, answer: Answer) -> Run:
    """Store one item's answer, re-reading the file under the lock first so answers
    another process saved meanwhile are kept."""
    with locked(path):
        run = load_run(path)
        run.items[item_id] = replace(answer, updated=now())
        save_run(path, run)
    return run

"""Turn a build log into GitHub annotations, so a pull request shows each author
mistake on the line that causes it.

    make html 2>&1 | tee build.log
    python -m playbook.annotate < build.log

Every ``path:line: WARNING: message [type.subtype]`` line (Sphinx's form, which editors
parse too) becomes a ``::warning file=path,line=N,title=type.subtype::message``
workflow command, its path made relative to the repository; ``ERROR`` lines become
``::error``. Other lines are left out. Standard library only: it runs without Sphinx.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: ``path:line: LEVEL: message``, ``path: LEVEL: message`` or ``LEVEL: message``.
LOG_LINE = re.compile(
    r"^(?:(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: )?"
    r"(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<message>.*)$"
)
CATEGORY = re.compile(r"\s*\[(?P<category>[\w.-]+)\]$")
LEVELS = {"WARNING": "warning", "ERROR": "error", "CRITICAL": "error", "SEVERE": "error"}


@dataclass(frozen=True)
class Problem:
    level: str
    """``warning`` or ``error``: the workflow command."""
    message: str
    path: str = ""
    line: int | None = None
    category: str = ""
    """``type.subtype`` of a Sphinx warning, when it has one."""


def parse_log(lines: Iterable[str]) -> Iterator[Problem]:
    for raw in lines:
        match = LOG_LINE.match(ANSI.sub("", raw).rstrip("\r\n"))
        if match is None:
            continue
        message = match["message"]
        category = CATEGORY.search(message)
        yield Problem(
            level=LEVELS[match["level"]],
            message=message[: category.start()] if category else message,
            path=match["path"] or "",
            line=int(match["line"]) if match["line"] else None,
            category=category["category"] if category else "",
        )


def relative(path: str, root: Path) -> str:
    """``path`` from the repository's root, as GitHub expects; unchanged if outside it."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(problem: Problem, root: Path) -> str:
    properties = []
    if problem.path:
        properties.append(f"file={_escape_property(relative(problem.path, root))}")
        if problem.line is not None:
            properties.append(f"line={problem.line}")
    if problem.category:
        properties.append(f"title={_escape_property(problem.category)}")
    head = f"::{problem.level}"
    if properties:
        head += " " + ",".join(properties)
    return f"{head}::{_escape_data(problem.message)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playbook.annotate",
                                     description="Build log (stdin) to GitHub annotations.")
    parser.add_argument("--root", type=Path,
                        default=Path(os.environ.get("GITHUB_WORKSPACE") or "."),
                        help="the repository's root, paths are made relative to it "
                             "(default: $GITHUB_WORKSPACE, else here)")
    args = parser.parse_args(argv)
    for problem in parse_log(sys.stdin):
        print(workflow_command(problem, args.root))
    return 0


if __name__ == "__main__":
    sys.exit(main())

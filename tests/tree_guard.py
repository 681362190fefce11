"""The test suite leaves the work tree as it found it.

``git status`` is read when the session starts and again when it ends; whatever the
tests changed in between is reported: a tracked file modified or deleted, a new
untracked file, and a new *ignored* output too (a ``_build/`` left in a test root is
ignored by ``.gitignore``, so plain ``git status`` would not show it). Files that were
already there when the session started are not the suite's doing and do not count, nor
are the caches Python and the tools write beside the code (``__pycache__/``, ...).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Path parts of caches that Python and the test tools write while they run: not outputs.
TOOL_CACHES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv"})


@dataclass(frozen=True)
class TreeState:
    """What ``git status`` shows of a work tree, ignored files included."""

    #: ``git status --porcelain`` entries: "XY path", untracked files listed one by one.
    changes: frozenset[str]
    #: ignored files and directories (a directory ignored as a whole is one entry).
    ignored: frozenset[str]


def git_available(repo: Path) -> bool:
    """Whether ``repo`` is a git work tree and ``git`` can read it."""
    if shutil.which("git") is None:
        return False
    result = subprocess.run(["git", "-C", str(repo), "rev-parse", "--is-inside-work-tree"],
                            capture_output=True, text=True, check=False)
    return result.returncode == 0 and result.stdout.strip() == "true"


def _git(repo: Path, *arguments: str) -> list[str]:
    result = subprocess.run(["git", "-C", str(repo), *arguments],
                            capture_output=True, text=True, check=True)
    return [entry for entry in result.stdout.split("\0") if entry]


def tree_state(repo: Path) -> TreeState:
    """The state of ``repo`` now."""
    changes = _git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    ignored = _git(repo, "ls-files", "-z", "--others", "--ignored", "--exclude-standard",
                   "--directory")
    return TreeState(frozenset(changes), frozenset(ignored))


def _is_tool_cache(path: str) -> bool:
    """A cache a tool writes beside the code; Sphinx's compiled message catalogues
    (``locales/*/LC_MESSAGES/*.mo``, from the ``.po`` beside them, at every build) too."""
    parts = Path(path).parts
    return path.endswith(".mo") or any(
        part in TOOL_CACHES or part.endswith(".egg-info") for part in parts)


def left_behind(before: TreeState, after: TreeState,
                allowed: Iterable[str] = ()) -> list[str]:
    """What the session changed, one line each in ``git status`` form (``?? path``
    untracked, ``!! path`` ignored, `` M path`` modified), then what it removed; paths
    under an ``allowed`` folder (the snapshots ``--snapshot-update`` rewrites) do not
    count."""
    allowed = tuple(folder.rstrip("/") + "/" for folder in allowed)

    def counts(path: str) -> bool:
        return not _is_tool_cache(path) and not (path + "/").startswith(allowed)

    def entries(changes: frozenset[str], ignored: frozenset[str]) -> list[str]:
        return ([entry for entry in sorted(changes) if counts(entry[3:])]
                + [f"!! {path}" for path in sorted(ignored) if counts(path)])

    added = entries(after.changes - before.changes, after.ignored - before.ignored)
    removed = entries(before.changes - after.changes, before.ignored - after.ignored)
    return added + [f"no longer there: {entry}" for entry in removed]

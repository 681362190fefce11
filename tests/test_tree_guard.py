"""The check that the suite leaves the work tree clean (``work_tree_left_clean`` in
conftest) sees what a test leaves behind, and only that."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, require_tool
from .tree_guard import left_behind, tree_state


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c",
                    "user.email=test@example.org", *arguments],
                   capture_output=True, text=True, check=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small clone-like work tree: a page, a test root, the project's .gitignore."""
    require_tool("git")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n", encoding="utf-8")
    (tmp_path / "tests" / "roots" / "test-basic").mkdir(parents=True)
    (tmp_path / "tests" / "roots" / "test-basic" / "index.md").write_text("# Test\n")
    (tmp_path / ".gitignore").write_text((REPO / ".gitignore").read_text(encoding="utf-8"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def test_a_clean_session_leaves_nothing(repo: Path) -> None:
    before = tree_state(repo)
    assert left_behind(before, tree_state(repo)) == []


def test_what_a_test_leaves_is_reported(repo: Path) -> None:
    before = tree_state(repo)
    (repo / "docs" / "page.md").write_text("# Page changée\n", encoding="utf-8")
    (repo / "docs" / "new.md").write_text("# New\n", encoding="utf-8")
    # ignored by .gitignore, so plain `git status` would not show them
    (repo / "tests" / "roots" / "test-basic" / "_build" / "html").mkdir(parents=True)
    (repo / "tests" / "roots" / "test-basic" / "_build" / "html" / "index.html").write_text("")
    (repo / "needs.json").write_text("{}")
    assert left_behind(before, tree_state(repo)) == [
        " M docs/page.md",
        "?? docs/new.md",
        "!! needs.json",
        "!! tests/roots/test-basic/_build/",
    ]


def test_what_was_there_before_the_session_does_not_count(repo: Path) -> None:
    (repo / "notes.txt").write_text("a contributor's own notes\n")
    (repo / "_build" / "html").mkdir(parents=True)  # `make html` run before `make test`
    (repo / "docs" / "page.md").write_text("# Page en cours\n", encoding="utf-8")
    before = tree_state(repo)
    (repo / "_build" / "html" / "index.html").write_text("")
    assert left_behind(before, tree_state(repo)) == []


def test_a_file_added_inside_an_untracked_folder_is_seen(repo: Path) -> None:
    (repo / "scratch").mkdir()
    (repo / "scratch" / "mine.txt").write_text("")
    before = tree_state(repo)
    (repo / "scratch" / "left-by-a-test.txt").write_text("")
    assert left_behind(before, tree_state(repo)) == ["?? scratch/left-by-a-test.txt"]


def test_what_a_test_removes_is_reported(repo: Path) -> None:
    (repo / "_build").mkdir()
    (repo / "_build" / "index.html").write_text("")
    before = tree_state(repo)
    (repo / "docs" / "page.md").unlink()
    (repo / "_build" / "index.html").unlink()
    (repo / "_build").rmdir()
    assert left_behind(before, tree_state(repo)) == [
        " D docs/page.md", "no longer there: !! _build/"]


def test_caches_and_allowed_folders_do_not_count(repo: Path) -> None:
    before = tree_state(repo)
    for cache in ("docs/__pycache__", ".pytest_cache", "docs/pkg.egg-info"):
        (repo / cache).mkdir(parents=True)
        (repo / cache / "x").write_text("")
    (repo / "tests" / "__snapshots__" / "test_snapshots").mkdir(parents=True)
    (repo / "tests" / "__snapshots__" / "test_snapshots" / "item.html").write_text("")
    after = tree_state(repo)
    assert left_behind(before, after, allowed=["tests/__snapshots__"]) == []
    assert left_behind(before, after) == ["?? tests/__snapshots__/test_snapshots/item.html"]


"""Shared fixtures: Sphinx's own testing fixtures, with the roots in tests/roots/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup

from .tree_guard import TreeState, git_available, left_behind, tree_state

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent

#: Set in CI: a missing tool fails instead of skipping.
IN_CI = bool(os.environ.get("CI"))

WARNING_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): WARNING: (?P<message>.*)$")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def app_params(app_params: Any, sphinx_test_tempdir: Path) -> Any:
    """Sphinx's parameters for ``@pytest.mark.sphinx``, the source always a copy: without
    ``srcdir=``, Sphinx 9 reads the test root in place, and anything written beside the
    sources (a test editing a page, an extension writing a file) would land in git.
    Tests naming the same root share one copy, as they share its ``_build``."""
    args, kwargs = app_params
    srcdir = Path(kwargs["srcdir"])
    if srcdir.is_relative_to(ROOTS):
        copy = sphinx_test_tempdir / srcdir.name.removeprefix("test-")
        shutil.copytree(srcdir, copy, dirs_exist_ok=True)
        kwargs = {**kwargs, "srcdir": copy, "builddir": copy / "_build"}
    return type(app_params)(args, kwargs)


# -- the work tree, left as the suite found it ----------------------------------------------

#: Folders the suite may write to on purpose: syrupy's ``--snapshot-update``.
SNAPSHOTS = "tests/__snapshots__"


@pytest.fixture(scope="session", autouse=True)
def work_tree_left_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """``git status`` (ignored outputs included) is the same after the session as before
    it: no test builds inside the repository or leaves a file there. Set up before any
    other fixture and torn down after every other one, so it sees what all the tests and
    fixtures did; a failure is reported as an error at the teardown of the last test."""
    if not git_available(REPO):
        message = f"{REPO} is not a git work tree: the suite's traces in it are not checked"
        if IN_CI:
            pytest.fail(message)
        request.config.issue_config_time_warning(pytest.PytestWarning(message), stacklevel=2)
        yield
        return
    before: TreeState = tree_state(REPO)
    yield
    allowed = [SNAPSHOTS] if request.config.getoption("--snapshot-update", False) else []
    traces = left_behind(before, tree_state(REPO), allowed)
    assert traces == [], (
        "the test suite left the work tree changed (a test must build in a temporary "
        "folder and leave the repository as it found it):\n" + "\n".join(traces))


def require_tool(name: str) -> str:
    """The path of a command-line tool; skip without it, but fail in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def plain(text: str) -> str:
    """Text with the build's French typography undone, for comparing with the source."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


def warnings_of(text: str) -> list[str]:
    """The warning lines of a build log, colour codes removed."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


STRICT = ["-n", "-W", "--keep-going"]


def soup(app: Any, page: str) -> BeautifulSoup:
    """A page the test build wrote, parsed."""
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def build_copy(make_app: Any, root: str, srcdir: Path) -> Any:
    """Build a copy of test root ``root`` in ``srcdir`` (HTML, no warning allowed): two
    copies of one root can then be built in one test, say with and without a feature."""
    srcdir.mkdir()
    for source in (ROOTS / f"test-{root}").iterdir():
        (srcdir / source.name).write_bytes(source.read_bytes())
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    return app


def sphinx_build(builder: str, outdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, *STRICT, "-d", str(outdir / ".doctrees"),
         str(REPO), str(outdir)],
        capture_output=True, text=True, check=False,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("site")
    result = sphinx_build("html", outdir)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    return outdir


@pytest.fixture(scope="session")
def needs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    outdir = tmp_path_factory.mktemp("needs")
    result = sphinx_build("needs", outdir)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    data = json.loads((outdir / "needs.json").read_text(encoding="utf-8"))
    schema = json.loads(
        (Path(__import__("sphinx_needs").__file__).parent / "needsfile.json").read_text()
    )
    jsonschema.validate(data, schema)
    version: dict[str, dict[str, dict[str, object]]] = data["versions"][data["current_version"]]
    return version["needs"]

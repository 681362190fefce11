"""An author's mistake is easy to find, from the real command line.

Copies of small projects provoking every warning subtype are built with
``sphinx-build``'s own entry point and arguments, from the project's folder, as a
contributor or CI runs it (in this process: an interpreter and Sphinx started five
times over cost half of this module's time); every warning must read
``path:line: WARNING: message [type.subtype]``, with a path that exists and a line
within the file: the form editors and GitHub parse. ``python -m playbook_rh.cli.annotate``
turns such a log into GitHub workflow commands.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playbook_rh.cli.annotate import Problem, parse_log, workflow_command
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, FactWarning
from sphinx.cmd.build import main as sphinx_build_main
from sphinx.testing.util import _clean_up_global_state

from .conftest import REPO, ROOTS, STRICT

LOCATED = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): WARNING: (?P<message>.+) "
    r"\[(?P<category>(?P<type>checklist|fact)\.(?P<subtype>\w+))\]$"
)
COMMAND = re.compile(
    r"^::warning file=(?P<file>[^,]+),line=(?P<line>\d+),title=(?P<title>[\w.]+)::(?P<message>.+)$"
)
#: sphinx-needs refusing an item the directive accepted cannot be provoked from Markdown.
#: A sphinx-needs release that moved the adapter's internal is simulated in
#: tests/test_needs_adapter.py, not from Markdown.
NOT_PROVOKED = {"checklist.rejected", "checklist.needs_internals"}
#: Subtypes not yet members of the enums of warnings_.py.
OUTSIDE_ENUMS: set[str] = set()


@dataclass(frozen=True)
class Build:
    project: Path
    returncode: int
    log: str


def break_a_release(project: Path) -> list[str]:
    broken = project / "releases" / "0.1.9" / "needs.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{\n  "versions": {\n    "0.1": oops\n}\n', encoding="utf-8")
    return []


def give_a_bad_run(project: Path) -> list[str]:
    (project / "run.yaml").write_text(
        "format: playbook-run/1\norganisation: Exemple\nitems:\n  REC-01:\n"
        "    status: fini\n", encoding="utf-8")
    return ["-D", "playbook_run=run.yaml"]


#: name -> (test root, what to break in the copy; returns extra sphinx-build options)
PROJECTS: dict[str, tuple[str, Callable[[Path], list[str]] | None]] = {
    "author-errors": ("author-errors", None),
    "fact-errors": ("fact-errors", None),
    "release": ("changes", break_a_release),
    "run": ("basic", give_a_bad_run),
    "review": ("review-errors", None),
}


def build_project(name: str, root: str, prepare: Callable[[Path], list[str]] | None,
                  folder: Path) -> Build:
    """A copy of test root ``root`` broken by ``prepare``, built as `make html` runs it:
    ``sphinx-build``'s ``main`` with relative source and output, from the project's
    folder; its log is what it writes to stderr."""
    project = folder / name
    shutil.copytree(ROOTS / f"test-{root}", project)
    options = prepare(project) if prepare is not None else []
    log = io.StringIO()
    here = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(log):
            returncode = sphinx_build_main(["-b", "html", *STRICT, *options, ".", "_build/html"])
    finally:
        os.chdir(here)
        _clean_up_global_state()  # what the build registered must not reach the next one
    return Build(project, returncode, log.getvalue())


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """Each project built once."""
    folder = tmp_path_factory.mktemp("annotations")
    return {name: build_project(name, root, prepare, folder)
            for name, (root, prepare) in PROJECTS.items()}


@pytest.fixture(params=sorted(PROJECTS))
def build(request: pytest.FixtureRequest, builds: dict[str, Build]) -> Build:
    return builds[request.param]


def warning_lines(log: str) -> list[str]:
    """The warning lines, colour codes removed (Sphinx colours its log when CI is set)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log)
    return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


def test_every_warning_points_at_a_line_of_an_existing_file(build: Build) -> None:
    assert build.returncode != 0, "a strict build with warnings fails"
    assert "Traceback" not in build.log
    lines = warning_lines(build.log)
    assert lines, "the project provokes warnings"
    for line in lines:
        match = LOCATED.match(line)
        assert match, f"not in the form path:line: WARNING: message [type.subtype]: {line}"
        path = Path(match["path"])
        if not path.is_absolute():
            path = build.project / path
        assert path.is_file(), line
        length = len(path.read_text(encoding="utf-8").splitlines())
        assert 1 <= int(match["line"]) <= length, line


def test_annotate_turns_each_warning_into_a_workflow_command(build: Build) -> None:
    result = subprocess.run([sys.executable, "-m", "playbook_rh.cli.annotate"], input=build.log,
                            cwd=build.project, capture_output=True, text=True, check=True)
    commands = result.stdout.splitlines()
    located = [LOCATED.match(line) for line in warning_lines(build.log)]
    assert len(commands) == len(located)
    for command, warning in zip(commands, located, strict=True):
        match = COMMAND.match(command)
        assert match and warning, command
        assert not match["file"].startswith("/"), "GitHub wants paths from the repository root"
        assert (build.project / match["file"]).resolve() == Path(
            build.project, warning["path"]).resolve()
        assert (match["line"], match["title"]) == (warning["line"], warning["category"])
        assert match["message"] == warning["message"].replace("%", "%25")


def test_every_subtype_is_provoked(builds: dict[str, Build]) -> None:
    seen = {match["category"] for build in builds.values()
            for match in map(LOCATED.match, warning_lines(build.log)) if match}
    declared = {f"{kind.warning_type}.{kind.subtype}"
                for kind in (*ChecklistWarning, *FactWarning)}
    assert seen == (declared | OUTSIDE_ENUMS) - NOT_PROVOKED


def test_annotate_reads_every_form_of_log_line(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "page.md"
    log = [
        "reading sources... [ 50%] docs/page",
        f"\x1b[91m{page}:12: WARNING: 100% sûr, a, b: c [checklist.unknown_link]\x1b[39;49;00m",
        f"{page}: WARNING: document isn't included in any toctree [toc.not_included]",
        "WARNING: the config value 'x' is set to a string [config.cache]",
        f"{page}:3: ERROR: Unknown directive type: 'chekclist'",
        "build finished with problems, 4 warnings (with warnings treated as errors).",
    ]
    problems = list(parse_log(log))
    assert problems == [
        Problem("warning", "100% sûr, a, b: c", str(page), 12, "checklist.unknown_link"),
        Problem("warning", "document isn't included in any toctree", str(page), None,
                "toc.not_included"),
        Problem("warning", "the config value 'x' is set to a string", "", None, "config.cache"),
        Problem("error", "Unknown directive type: 'chekclist'", str(page), 3, ""),
    ]
    assert [workflow_command(problem, tmp_path) for problem in problems] == [
        "::warning file=docs/page.md,line=12,title=checklist.unknown_link::100%25 sûr, a, b: c",
        "::warning file=docs/page.md,title=toc.not_included::document isn't included in any "
        "toctree",
        "::warning title=config.cache::the config value 'x' is set to a string",
        "::error file=docs/page.md,line=3::Unknown directive type: 'chekclist'",
    ]


def test_annotate_keeps_paths_outside_the_repository(tmp_path: Path) -> None:
    elsewhere = Problem("warning", "x", "/elsewhere/conf.py", 2, "")
    assert workflow_command(elsewhere, tmp_path) == "::warning file=/elsewhere/conf.py,line=2::x"
    odd = Problem("warning", "a\nb", "dir,1/p:q.md", 1, "")
    assert workflow_command(odd, Path("/nowhere")) == (
        "::warning file=dir%2C1/p%3Aq.md,line=1::a%0Ab")


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "docs/contribuer.md"])
def test_every_subtype_is_explained_to_contributors(guide: str) -> None:
    text = (REPO / guide).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `((?:checklist|fact)\.\w+)` \|", text, re.MULTILINE))
    declared = {f"{kind.warning_type}.{kind.subtype}"
                for kind in (*ChecklistWarning, *FactWarning)}
    assert documented == declared | OUTSIDE_ENUMS

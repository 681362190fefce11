"""An author's mistake is easy to find, from the real command line.

Copies of small projects provoking every warning subtype are built with
``sphinx-build``'s own entry point and arguments, from the project's folder, as a
contributor or CI runs it (in this process: an interpreter and Sphinx started five
times over cost half of this module's time); every warning must read
``path:line: WARNING: message [type.subtype]``, with a path that exists and a line
within the file: the form editors and GitHub parse. In CI, the problem matcher
``.github/playbook-problem-matcher.json`` turns each such line into an annotation: its
regular expressions are tried here on the real logs, with Python and with Node (the
runner's own engine is .NET's: the expressions keep to what the three read alike).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, FactWarning
from sphinx.cmd.build import main as sphinx_build_main
from sphinx.testing.util import _clean_up_global_state

from .conftest import REPO, ROOTS, STRICT, require_tool

LOCATED = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): WARNING: (?P<message>.+) "
    r"\[(?P<category>(?P<type>checklist|fact)\.(?P<subtype>\w+))\]$"
)
MATCHER_FILE = ".github/playbook-problem-matcher.json"
MATCHERS: list[dict[str, Any]] = json.loads(
    (REPO / MATCHER_FILE).read_text(encoding="utf-8"))["problemMatcher"]
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
    "roles": ("roles", None),
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


@dataclass(frozen=True)
class Annotation:
    """What the problem matcher takes from a log line: the matcher's default severity
    and the groups its pattern names ("" for a group that did not take part)."""

    severity: str
    file: str
    line: str
    message: str
    code: str


def annotate_with_python(lines: list[str]) -> list[Annotation | None]:
    """Each line through the matchers in order, as the runner tries them."""
    found: list[Annotation | None] = []
    for text in lines:
        annotation = None
        for matcher in MATCHERS:
            (pattern,) = matcher["pattern"]
            match = re.search(pattern["regexp"], text)
            if match:
                annotation = Annotation(matcher["severity"], *(
                    match[pattern[key]] or "" for key in ("file", "line", "message", "code")))
                break
        found.append(annotation)
    return found


#: The same, in JavaScript: reads the matcher file and the lines (JSON on stdin).
NODE_SCRIPT = """
const fs = require("fs");
const {problemMatcher} = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const lines = JSON.parse(fs.readFileSync(0, "utf8"));
const found = lines.map((text) => {
  for (const matcher of problemMatcher) {
    const [pattern] = matcher.pattern;
    const match = new RegExp(pattern.regexp).exec(text);
    if (match) {
      const group = (key) => match[pattern[key]] || "";
      return [matcher.severity, group("file"), group("line"), group("message"), group("code")];
    }
  }
  return null;
});
process.stdout.write(JSON.stringify(found));
"""


def annotate_with_node(lines: list[str]) -> list[Annotation | None]:
    node = require_tool("node")
    result = subprocess.run([node, "-e", NODE_SCRIPT, str(REPO / MATCHER_FILE)],
                            input=json.dumps(lines), capture_output=True, text=True, check=True)
    return [None if found is None else Annotation(*found) for found in json.loads(result.stdout)]


def test_the_problem_matcher_annotates_each_warning_on_its_line(build: Build) -> None:
    lines = build.log.splitlines()  # as printed, colours included if any
    expected = [None if match is None else Annotation(
        "warning", match["path"], match["line"], match["message"], match["category"])
        for match in (LOCATED.match(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in lines)]
    assert any(expected)
    assert annotate_with_python(lines) == expected
    assert annotate_with_node(lines) == expected


#: Every form of log line, and what the matcher takes from it.
LOG_LINES: dict[str, Annotation | None] = {
    "reading sources... [ 50%] docs/page": None,
    "\x1b[91m/src/docs/page.md:12: WARNING: 100% sûr, a, b: c [checklist.unknown_link]"
    "\x1b[39;49;00m": Annotation("warning", "/src/docs/page.md", "12", "100% sûr, a, b: c",
                                  "checklist.unknown_link"),
    "docs/page.md: WARNING: document isn't included in any toctree [toc.not_included]":
        Annotation("warning", "docs/page.md", "", "document isn't included in any toctree",
                   "toc.not_included"),
    # a whole file, no line: Sphinx writes "path:" for a node with a source and no line
    "/srv/runs/run.yaml:: WARNING: cannot be read: a named pipe [checklist.run]":
        Annotation("warning", "/srv/runs/run.yaml", "", "cannot be read: a named pipe",
                   "checklist.run"),
    "WARNING: the config value 'x' is set to a string [config.cache]":
        Annotation("warning", "", "", "the config value 'x' is set to a string",
                   "config.cache"),
    "WARNING: no category here": Annotation("warning", "", "", "no category here", ""),
    "docs/page.md:3: ERROR: Unknown directive type: 'chekclist'":
        Annotation("error", "docs/page.md", "3", "Unknown directive type: 'chekclist'", ""),
    "docs/page.md:7: CRITICAL: Title level inconsistent":
        Annotation("error", "docs/page.md", "7", "Title level inconsistent", ""),
    "build finished with problems, 4 warnings (with warnings treated as errors).": None,
    "Warning, treated as error:": None,
}


def test_the_problem_matcher_reads_every_form_of_log_line() -> None:
    lines = list(LOG_LINES)
    assert annotate_with_python(lines) == list(LOG_LINES.values())
    assert annotate_with_node(lines) == list(LOG_LINES.values())


def test_the_problem_matcher_is_well_formed() -> None:
    """The keys the runner reads, one owner each, a severity it knows."""
    assert len({matcher["owner"] for matcher in MATCHERS}) == len(MATCHERS)
    for matcher in MATCHERS:
        assert set(matcher) == {"owner", "severity", "pattern"}
        assert matcher["severity"] in ("warning", "error")
        (pattern,) = matcher["pattern"]
        assert set(pattern) == {"regexp", "file", "line", "message", "code"}
        # Only constructs that Python, JavaScript and .NET read alike.
        assert "(?P" not in pattern["regexp"] and "(?<" not in pattern["regexp"]


def test_the_build_workflow_registers_the_matcher_before_building() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["build"]["steps"]]
    register = runs.index(f'echo "::add-matcher::{MATCHER_FILE}"')
    assert register < runs.index("make pdf") < runs.index("make html")
    assert not any("annotate" in run for run in runs)


def test_every_subtype_is_provoked(builds: dict[str, Build]) -> None:
    seen = {match["category"] for build in builds.values()
            for match in map(LOCATED.match, warning_lines(build.log)) if match}
    declared = {f"{kind.warning_type}.{kind.subtype}"
                for kind in (*ChecklistWarning, *FactWarning)}
    assert seen == (declared | OUTSIDE_ENUMS) - NOT_PROVOKED


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "docs/contribuer.md"])
def test_every_subtype_is_explained_to_contributors(guide: str) -> None:
    text = (REPO / guide).read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `((?:checklist|fact)\.\w+)` \|", text, re.MULTILINE))
    declared = {f"{kind.warning_type}.{kind.subtype}"
                for kind in (*ChecklistWarning, *FactWarning)}
    assert documented == declared | OUTSIDE_ENUMS

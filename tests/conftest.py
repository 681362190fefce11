"""Shared fixtures: Sphinx's own testing fixtures, with the roots in tests/roots/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent

#: Set in CI: a missing tool fails instead of skipping.
IN_CI = bool(os.environ.get("CI"))

WARNING_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): WARNING: (?P<message>.*)$")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


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

"""Snapshots of what the build writes: needs.json of a small project, and the HTML and
LaTeX of a checklist item, a fact and the facts table.

Each fragment is compared with its file in ``tests/__snapshots__/test_snapshots/``, so a
dependency upgrade (Sphinx, MyST, sphinx-needs, docutils) shows exactly what changed in
the output. After checking the difference is wanted, rewrite the files with
``make test-fast PYTEST_ARGS="--snapshot-update"`` (CONTRIBUTING.md) and commit them.
What varies between two runs (temporary paths, timestamps, hashes in asset URLs) is
replaced by a placeholder first; invisible French spaces are written as entities so a
lost one shows in the difference.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from .conftest import ROOTS, warnings_of

Builder = Literal["html", "latex"]


@dataclass(frozen=True)
class Fragment:
    """A piece of a test root's output kept as a snapshot: in HTML the element ``where``
    selects (CSS), in LaTeX the lines from the one holding ``where`` to the first line
    holding ``until``."""

    name: str
    root: str
    builder: Builder
    page: str
    where: str
    until: str = ""


#: One line a fragment: a dashboard's table is one more line here, e.g.
#: ``Fragment("dashboard", "dashboards", "html", "tableaux.html", "table.playbook-...")``.
FRAGMENTS = [
    Fragment("checklist-item", "basic", "html", "index.html", "div.playbook-item#REC-01"),
    Fragment("fact", "facts", "html", "index.html", "p:has(> span.playbook-fact)"),
    Fragment("factlist", "facts", "html", "sources.html", "table.playbook-facts"),
    Fragment("checklist-item", "basic", "latex", "projectnamenotset.tex",
             r"\label{\detokenize{index:REC-01}}", r"\end{playbookitem}"),
    Fragment("fact", "facts", "latex", "projectnamenotset.tex",
             "LinkedIn revendiquait", "aujourd’hui."),
    Fragment("factlist", "facts", "latex", "projectnamenotset.tex",
             r"\label{\detokenize{sources:tous-les-chiffres}}", r"\end{savenotes}"),
]

#: What varies between two runs of the same build.
ASSET_HASH = re.compile(r"(\.(?:css|js|svg|png|woff2?))\?v=[0-9a-f]+")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?")
#: Invisible characters the build's French typography adds, made visible.
VISIBLE = {"\u00a0": "&nbsp;", "\u202f": "&#8239;"}


class TextSnapshot(SingleFileSnapshotExtension):
    """A snapshot kept as a text file, readable in a pull request's difference."""

    _write_mode = WriteMode.TEXT


class HTMLSnapshot(TextSnapshot):
    file_extension = "html"


class LaTeXSnapshot(TextSnapshot):
    file_extension = "tex"


class JSONSnapshot(TextSnapshot):
    file_extension = "json"


EXTENSIONS: dict[str, type[TextSnapshot]] = {
    "html": HTMLSnapshot, "latex": LaTeXSnapshot, "needs": JSONSnapshot}


def stable(text: str, srcdir: Path) -> str:
    """``text`` with what varies between runs replaced by placeholders."""
    text = text.replace(str(srcdir), "<srcdir>")
    text = ASSET_HASH.sub(r"\1?v=<hash>", text)
    text = TIMESTAMP.sub("<timestamp>", text)
    return text.rstrip("\n") + "\n"


@dataclass(frozen=True)
class Output:
    srcdir: Path
    outdir: Path


Build = Callable[[str, str], Output]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A test root built with a builder, from a copy, once per module (no warning)."""
    outputs: dict[tuple[str, str], Output] = {}

    def built(root: str, builder: str) -> Output:
        if (root, builder) not in outputs:
            srcdir = tmp_path_factory.mktemp(f"snapshot-{builder}") / root
            shutil.copytree(ROOTS / f"test-{root}", srcdir)
            app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, status=StringIO(),
                                warning=StringIO(), confoverrides={"version": "1.0"})
            try:  # one application at a time: cleanup() unregisters its node classes
                app.build()
                assert warnings_of(app.warning.getvalue()) == []
            finally:
                app.cleanup()
            outputs[root, builder] = Output(app.srcdir, app.outdir)
        return outputs[root, builder]

    return built


def fragment_of(fragment: Fragment, app: Output) -> str:
    text = (app.outdir / fragment.page).read_text(encoding="utf-8")
    if fragment.builder == "html":
        element = BeautifulSoup(text, "html.parser").select_one(fragment.where)
        assert element is not None, f"{fragment.page}: nothing matches {fragment.where}"
        text = str(element)
        for character, entity in VISIBLE.items():
            text = text.replace(character, entity)
    else:
        lines = text.splitlines()
        start = next(n for n, line in enumerate(lines) if fragment.where in line)
        end = next(n for n in range(start, len(lines)) if fragment.until in lines[n])
        text = "\n".join(lines[start:end + 1])
    return stable(text, app.srcdir)


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=[f"{f.builder}-{f.name}" for f in FRAGMENTS])
def test_output(fragment: Fragment, build: Build, snapshot: SnapshotAssertion) -> None:
    output = fragment_of(fragment, build(fragment.root, fragment.builder))
    assert output == snapshot(extension_class=EXTENSIONS[fragment.builder])


def test_needs_json(build: Build, snapshot: SnapshotAssertion) -> None:
    """Every question of the root ``basic`` with every field, and the schema sphinx-needs
    declares: a new or renamed field after an upgrade shows here."""
    app = build("basic", "needs")
    data: dict[str, Any] = json.loads((app.outdir / "needs.json").read_text(encoding="utf-8"))
    for version in data["versions"].values():
        version["creator"]["version"] = "<sphinx-needs version>"
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    assert stable(text, app.srcdir) == snapshot(extension_class=JSONSnapshot)


def test_what_varies_between_runs_is_replaced() -> None:
    text = ('<link href="_static/basic.css?v=b08954a9"/> /tmp/p-1/basic/index.md '
            '"created": "2026-12-01T17:35:46.038569"\n\n')
    assert stable(text, Path("/tmp/p-1/basic")) == (
        '<link href="_static/basic.css?v=<hash>"/> <srcdir>/index.md '
        '"created": "<timestamp>"\n')

"""The browser's code under Node's test runner (``tests/js/*.test.js``): its modules
unit-tested, and the corpus of run files read as the command line reads it.

The tests read the catalogue a real build writes (the test root ``basic``), never a
copy of it. Without Node the tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from playbook_rh.sphinxext.site.checklist_app import (
    CATALOGUE,
    SCRIPT,
    SCRIPT_SOURCES,
    joined_script,
    script_files,
)
from sphinx.testing.util import SphinxTestApp

from .conftest import REPO, ROOTS, require_tool, warnings_of

TESTS = REPO / "tests" / "js"
VENDOR = SCRIPT_SOURCES / "vendor"
#: The vendored js-yaml (vendor/README.md says where it comes from).
JS_YAML_SHA256 = "02970a652376ad653ff069c606ee7440b0514f52ed94a98426cb52426c8e5a02"


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test root ``basic`` built to HTML (no warning), in this process: its
    ``_static`` holds the catalogue and the joined script."""
    source = tmp_path_factory.mktemp("js-basic") / "src"
    shutil.copytree(ROOTS / "test-basic", source)
    app = SphinxTestApp("html", srcdir=source, builddir=source.parent / "build",
                        freshenv=True, status=StringIO(), warning=StringIO())
    try:  # one application at a time: cleanup() unregisters its node classes
        app.build()
        assert warnings_of(app.warning.getvalue()) == []
    finally:
        app.cleanup()
    return Path(app.outdir)


def test_node_tests_pass(basic_site: Path) -> None:
    node = require_tool("node")
    tests = sorted(str(path) for path in TESTS.glob("*.test.js"))
    assert tests
    result = subprocess.run(
        [node, "--test", *tests], capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "PLAYBOOK_CATALOGUE": str(basic_site / "_static" / CATALOGUE)},
    )
    lines = result.stdout.splitlines()
    summary = "\n".join(line for line in lines if line.startswith(("# ", "not ok")))
    failures = "\n".join("\n".join(lines[index:index + 25]) for index, line in
                         enumerate(lines) if line.lstrip().startswith("not ok"))
    assert result.returncode == 0, (failures or result.stdout[-5000:]) + result.stderr
    assert "# fail 0" in summary and "# pass 0" not in summary, summary


def test_the_pages_load_the_sources_joined(basic_site: Path) -> None:
    joined = (basic_site / "_static" / SCRIPT).read_text(encoding="utf-8")
    assert joined == joined_script()
    position = 0
    for path in script_files():  # every source, whole, in order
        name = path.relative_to(SCRIPT_SOURCES).as_posix()
        position = joined.index(f"/* -- {name} -- */", position)
        body = path.read_text(encoding="utf-8").splitlines()[0]
        assert joined.index(body, position) > position
    assert "sourceMappingURL" not in joined  # the map is not shipped: never asked for
    listed = {path.name for path in script_files()}
    on_disk = {path.name for path in SCRIPT_SOURCES.rglob("*.js")}
    assert listed == on_disk, "a source file is not in static/js/sources.json"


def test_vendored_js_yaml_is_the_recorded_release() -> None:
    data = (VENDOR / "js-yaml.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == JS_YAML_SHA256
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert "js-yaml 5.5.0" in readme and JS_YAML_SHA256 in readme
    assert "MIT License" in (VENDOR / "js-yaml.LICENSE").read_text(encoding="utf-8")


def test_the_script_keeps_no_copy_of_the_vocabulary() -> None:
    """Statuses, the ID pattern and the run format come from the catalogue."""
    from playbook_rh.core.runs import FORMAT

    for path in script_files():
        if path.parent.name == "vendor":
            continue
        script = path.read_text(encoding="utf-8")
        for copy in (FORMAT, "[A-Z]{2,5}", '"todo"', '"done"', '"in-progress"',
                     '"not-applicable"', "À faire", "headcount", "internal-network"):
            assert copy not in script, (path.name, copy)

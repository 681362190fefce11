"""The wheel ships what the package's users run, and nothing else.

Users build a playbook's site with the extension and answer its checklists with the
``playbook-rh`` command: the wheel holds ``playbook_rh`` (core, cli, sphinxext, static)
and its metadata; no tests, benchmarks, CI helpers or project files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

from .conftest import REPO

#: The package's parts: what a user's build and the command import or read.
PARTS = {"cli", "core", "sphinxext", "static"}


def tracked(folder: str) -> set[str]:
    result = subprocess.run(["git", "-C", str(REPO), "ls-files", folder],
                            capture_output=True, text=True, check=True)
    return set(result.stdout.split())


#: What ``pip wheel --no-build-isolation`` runs in a process of its own: the PEP 517 hook
#: of the build backend ``[build-system]`` names (pip itself takes seconds to start).
BUILD_WHEEL = """
import importlib, sys, tomllib
backend = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["build-backend"]
importlib.import_module(backend).build_wheel(sys.argv[1])
"""


def test_the_wheel_holds_the_package_and_nothing_else(tmp_path: Path) -> None:
    """Built from a copy of the tracked files (building in place would leave build/)."""
    source = tmp_path / "source"
    for name in tracked("ext") | {"pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT"}:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    subprocess.run([sys.executable, "-c", BUILD_WHEEL, str(tmp_path / "dist")], cwd=source,
                   check=True, capture_output=True, text=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = {PurePosixPath(name) for name in zipfile.ZipFile(wheel).namelist()}
    package = {name for name in names if name.parts[0] == "playbook_rh"}
    metadata = names - package
    assert {name.parts[0] for name in metadata} == {
        "playbook_rh_reseaux_sociaux-0.1.0.dist-info"}
    assert {name.parts[1] for name in package if len(name.parts) > 2} == PARTS
    # Exactly the tracked files of ext/playbook_rh: nothing generated, nothing left over
    # (a module removed from git, like cli/annotate.py, is not shipped by a stale build/).
    assert {f"ext/{name}" for name in package} == tracked("ext/playbook_rh")
    assert not any(part in ("tests", "bench", "__pycache__") for name in names
                   for part in name.parts)

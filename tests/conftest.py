"""Shared fixtures: Sphinx's own testing fixtures, with the roots in tests/roots/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

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

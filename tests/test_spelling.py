"""The French text is spelt right (make spelling, strict)."""

from __future__ import annotations

import subprocess

from .conftest import warnings_of


def test_spelling(spelling: subprocess.CompletedProcess[str]) -> None:
    assert spelling.returncode == 0 and warnings_of(spelling.stderr) == [], spelling.stderr

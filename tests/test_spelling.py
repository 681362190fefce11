"""The French text is spelt right (make spelling, strict)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import IN_CI, REPO, warnings_of


def french_dictionary_available() -> bool:
    try:
        import enchant
    except ImportError:  # pyenchant installed, but the Enchant C library is missing
        return False
    return bool(enchant.dict_exists("fr_FR"))


def test_spelling(tmp_path: Path) -> None:
    if not french_dictionary_available():
        message = "Enchant or its French dictionary is missing (apt: libenchant-2-2 hunspell-fr)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "spelling", "-n", "-W", "--keep-going",
         str(REPO), str(tmp_path)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PLAYBOOK_SPELLING": "1"},
    )
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr

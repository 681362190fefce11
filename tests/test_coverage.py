"""Every declared phase must have its conversation-starter questions."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import WARNING_LINE, warnings_of


@pytest.mark.sphinx("html", testroot="phase-missing", freshenv=True)
def test_phase_without_questions_is_a_located_warning(app: SphinxTestApp) -> None:
    app.build()
    (warning,) = warnings_of(app.warning.getvalue())
    match = WARNING_LINE.match(warning)
    assert match is not None
    conf = (app.srcdir / "conf.py").read_text(encoding="utf-8").splitlines()
    assert match["path"].endswith("conf.py")
    assert '"at-work"' in conf[int(match["line"]) - 1], "points at the phase's declaration"
    assert match["message"] == (
        "phase 'at-work' (Au travail) has no conversation-starter question: add a "
        "checklist with ':phase: at-work' and items 'TRA-NN', or remove the phase from "
        "playbook_phases [checklist.phase_without_questions]"
    )


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_covered_phases_build_cleanly(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []

"""What the extension does to keep large builds affordable, checked for behaviour:
sphinx-needs' validation pass runs only when the project asks for more than types,
and what lives through the build is set aside from the garbage collector while pages
are read and written, and given back after."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, warnings_of

MakeApp = Callable[..., SphinxTestApp]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, False),
    ({"needs_schema_validation_enabled": True}, True),
    ({"needs_schema_definitions": {"schemas": [{"validate": {"local": {}}}]}}, True),
    ({"needs_fields": {"risk": {"schema": {"type": "string", "enum": ["low", "high"]}}}}, True),
    ({"needs_fields": {"risk": {"schema": {"type": "string"}}}}, False),
])
def test_schema_validation_only_when_asked(make_app: MakeApp, tmp_path: Path,
                                           overrides: dict[str, object], expected: bool) -> None:
    srcdir = tmp_path / "basic"  # a copy: the app's _build goes beside its sources
    shutil.copytree(ROOTS / "test-basic", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides=overrides)
    assert app.config.needs_schema_validation_enabled is expected
    app.cleanup()


# a plain sphinx-needs need box: its layout code uses docutils' deprecated OptionParser
@pytest.mark.filterwarnings("ignore:The frontend.Option:DeprecationWarning")
@pytest.mark.sphinx("html", testroot="basic", freshenv=True,
                    confoverrides={"needs_fields": {
                        "risk": {"schema": {"type": "string", "enum": ["low", "high"]}}}})
def test_asked_validation_still_reports(app: SphinxTestApp) -> None:
    """With a constraint declared, sphinx-needs' pass runs and reports a bad value."""
    def bad_need(app_: Any, docname: str, source: list[str]) -> None:
        if docname == "work":
            source[0] += "\n\n```{need} Risque\n:id: RSK-01\n:risk: medium\n```\n"

    app.connect("source-read", bad_need)
    app.build()
    warnings = warnings_of(app.warning.getvalue())
    assert warnings == ["ERROR: Need 'RSK-01' has schema violations:"]
    assert "medium" in app.warning.getvalue()  # the value it rejects, named below


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_what_lives_set_aside_page_by_page(app: SphinxTestApp) -> None:
    """Frozen as each page is read and written (what the pages before it left alive),
    and all given back when the build ends."""
    frozen_while_reading: list[int] = []
    frozen_while_writing: list[int] = []
    app.connect("doctree-read",
                lambda app_, doctree: frozen_while_reading.append(gc.get_freeze_count()))
    app.connect("doctree-resolved",
                lambda app_, doctree, docname: frozen_while_writing.append(gc.get_freeze_count()))
    before = gc.get_freeze_count()
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    assert len(frozen_while_reading) > 1 and min(frozen_while_reading) > before
    assert frozen_while_reading[-1] > frozen_while_reading[0]  # the pages read before
    assert frozen_while_writing and min(frozen_while_writing) > max(frozen_while_reading)
    assert gc.get_freeze_count() == before  # given back at build-finished


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_nothing_set_aside_with_the_collector_off(app: SphinxTestApp) -> None:
    frozen: list[int] = []
    app.connect("doctree-resolved",
                lambda app_, doctree, docname: frozen.append(gc.get_freeze_count()))
    before = gc.get_freeze_count()
    gc.disable()
    try:
        app.build()
    finally:
        gc.enable()
    assert frozen and set(frozen) == {before}

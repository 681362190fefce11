"""What the extension does to keep large builds affordable, checked for behaviour:
sphinx-needs' validation pass runs only when the project asks for more than types,
and what lives through the build is set aside from the garbage collector while pages
are read and written, and given back after (in -j builds, also what each forked reader
inherited and each page resolved for the writer processes)."""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playbook_rh.sphinxext import gc_freeze
from sphinx.testing.util import SphinxTestApp
from sphinx.util import logging

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


@pytest.fixture
def page_by_page_from_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test roots are small: set aside page by page from their size."""
    monkeypatch.setattr(gc_freeze, "PAGE_BY_PAGE_FROM", 1)


@pytest.mark.usefixtures("page_by_page_from_one")
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
def test_a_small_build_sets_nothing_aside_page_by_page(app: SphinxTestApp) -> None:
    """Under PAGE_BY_PAGE_FROM pages, nothing is frozen while pages are read; what
    lives at write-started still is, and all is given back at the end."""
    assert len(list(app.srcdir.rglob("*.md"))) < gc_freeze.PAGE_BY_PAGE_FROM
    reading: list[int] = []
    app.connect("doctree-read", lambda app_, doctree: reading.append(gc.get_freeze_count()))
    before = gc.get_freeze_count()
    app.build()
    assert reading and set(reading) == {before}
    assert gc.get_freeze_count() == before


@pytest.mark.usefixtures("page_by_page_from_one")
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


def note_frozen_while_reading(app: SphinxTestApp) -> None:
    """Each page read says how much is set aside (in a forked reader, the message is
    replayed by the main process)."""
    logger = logging.getLogger(__name__)
    app.connect("doctree-read", lambda app_, doctree: logger.info(
        "frozen while reading: %d", gc.get_freeze_count()))


def frozen_while_reading(app: SphinxTestApp) -> list[int]:
    return [int(count) for count in
            re.findall(r"frozen while reading: (\d+)", app.status.getvalue())]


def note_frozen_while_writing(app: SphinxTestApp) -> list[int]:
    counts: list[int] = []
    app.connect("doctree-resolved", lambda app_, doctree, docname: counts.append(
        gc.get_freeze_count()), priority=999)  # after the extension's own handlers
    return counts


@pytest.mark.usefixtures("page_by_page_from_one")
@pytest.mark.sphinx("html", testroot="parallel", freshenv=True, srcdir="parallel_gc",
                    parallel=2)
def test_in_parallel_builds_readers_and_resolved_pages_are_set_aside(
        app: SphinxTestApp) -> None:
    """A forked reader sets aside what it inherited; in a -j write, each resolved page
    (kept by Sphinx for the writer processes) is set aside once resolved."""
    before = gc.get_freeze_count()
    note_frozen_while_reading(app)
    writing = note_frozen_while_writing(app)
    app.build()
    reading = frozen_while_reading(app)
    assert len(reading) == 11 and min(reading) > before
    assert len(writing) == 11
    assert all(later > earlier for earlier, later in pairwise(writing))
    assert gc.get_freeze_count() == before  # given back at build-finished

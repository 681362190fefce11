"""Parallel reading (``-j 2``): each forked reader sends back only what it read, and the
build says and shows the same as a serial one.

The root ``test-parallel`` has eleven documents: Sphinx reads them in three chunks (5, 5
and 1) with two processes, so the last chunk is read by a process forked after one of
the first two was merged, which inherited that chunk's needs and items. Its page repeats
an ID of each of the first two chunks; another page repeats an ID of the concurrent
chunk.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playbook_rh.sphinxext import needs as adapter
from playbook_rh.sphinxext.domain import SENT_BACK_BY_PAGE

from .conftest import warnings_of
from .test_incremental import MakeApp

if TYPE_CHECKING:
    from collections.abc import Set
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.testing.util import SphinxTestApp

#: What each merge received: (the chunk's pages, the pages of the needs sent back,
#: the pages of the playbook's records sent back).
Merged = list[tuple[set[str], set[str], set[str]]]


def record_merges(app: SphinxTestApp) -> Merged:
    merged: Merged = []

    def merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str],
              other: BuildEnvironment) -> None:
        needs = adapter._stores(app, other)[0][1]  # the needs, by ID
        records = other.domaindata["playbook"]
        merged.append((set(docnames), {need["docname"] for need in needs.values()},
                       {docname for kind in SENT_BACK_BY_PAGE for docname in records[kind]}))

    app.connect("env-merge-info", merge)
    return merged


def located(app: SphinxTestApp) -> list[str]:
    """The build's warnings about the pages, paths relative to its source folder, sorted
    (a second application in one process also warns that its extensions' directives
    were registered by the first)."""
    return sorted(line.replace(f"{app.srcdir}/", "")
                  for line in warnings_of(app.warning.getvalue()) if "[checklist." in line)


def serial_warnings(make_app: MakeApp, app: SphinxTestApp, tmp_path: Path) -> list[str]:
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial",
                      freshenv=True)
    serial.build()
    return located(serial)


def assert_same_as_serial(make_app: MakeApp, app: SphinxTestApp, tmp_path: Path) -> None:
    warnings = located(app)
    assert "Traceback" not in app.warning.getvalue()
    for item_id, first in (("REC-01", "page-01.md:7"), ("REC-02", "page-02.md:7"),
                           ("REC-07", "page-07.md:7")):
        assert any(f"duplicate ID {item_id}: already used at {first}" in line
                   and line.endswith("[checklist.duplicate_id]") for line in warnings), warnings
    assert any("REC-99" in line and "[checklist.unknown_link]" in line for line in warnings)
    assert warnings == serial_warnings(make_app, app, tmp_path)


@pytest.mark.sphinx("html", testroot="parallel", freshenv=True, srcdir="parallel_on",
                    parallel=2)
def test_each_reader_sends_back_only_its_pages(make_app: MakeApp, app: SphinxTestApp,
                                               tmp_path: Path) -> None:
    merged = record_merges(app)
    app.build()
    assert len(merged) == 3
    for docnames, need_pages, record_pages in merged:
        assert need_pages <= docnames, (docnames, need_pages)
        assert record_pages <= docnames, (docnames, record_pages)
    assert_same_as_serial(make_app, app, tmp_path)


@pytest.mark.sphinx("html", testroot="parallel", freshenv=True, srcdir="parallel_off",
                    parallel=2, confoverrides={"playbook_needs_internals": False})
def test_switched_off_a_later_reader_sends_back_what_it_inherited(
        make_app: MakeApp, app: SphinxTestApp, tmp_path: Path) -> None:
    """sphinx-needs' own way: the last chunk's process, forked once one of the first two
    chunks was merged, sends back that chunk's needs too; the build is the same. (Which
    chunk is merged last depends on the machine's load: the one-page chunk is found by
    its page, not by its place.)"""
    merged = record_merges(app)
    app.build()
    [(last_docnames, last_need_pages, last_record_pages)] = [
        merge for merge in merged if merge[0] == {"zz-doublons"}]
    assert len(last_need_pages - last_docnames) >= 4
    assert last_record_pages <= last_docnames  # the playbook's own records: always
    assert_same_as_serial(make_app, app, tmp_path)


@pytest.mark.sphinx("html", testroot="parallel", freshenv=True, srcdir="parallel_moved",
                    parallel=2)
def test_moved_stores_are_said_once_and_the_build_goes_on(
        make_app: MakeApp, app: SphinxTestApp, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapter, "NEEDS_STORES",
                        ("sphinx_needs.data", "SphinxNeedsData", ("_env_needs", "_gone")))
    app.cleanup()
    fresh: Any = make_app("html", srcdir=app.srcdir, freshenv=True, parallel=2)
    fresh.build()
    moved = [line for line in located(fresh) if "[checklist.needs_internals]" in line]
    assert len(moved) == 1, moved
    assert re.match(r"^conf\.py:1: WARNING: this sphinx-needs release has no "
                    r"sphinx_needs\.data\.SphinxNeedsData\._env_needs or _gone", moved[0])
    without = [line for line in located(fresh) if line not in moved]
    assert without == serial_warnings(make_app, fresh, tmp_path)

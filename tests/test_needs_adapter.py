"""The one door to sphinx-needs: with its internal switched off, or moved by a
sphinx-needs release, the build is the same (the documented API does the work) and a
moved internal is said once, as a located warning, never a traceback."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playbook_rh.sphinxext import needs as adapter

from .conftest import warnings_of
from .test_incremental import MakeApp, table_rows, touch_later

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def resolve_a_duplicate(make_app: MakeApp, app: SphinxTestApp,
                        **overrides: object) -> tuple[SphinxTestApp, str]:
    """The incremental scenario that needs a page's needs forgotten before it is read
    again: a duplicate ID, then its resolution on the side sphinx-needs kept."""
    app.build()
    extra = app.srcdir / "extra.md"
    touch_later(extra, extra.read_text(encoding="utf-8").replace("TRA-02", "TRA-01"))
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir, confoverrides=overrides)
    again.build()
    assert "duplicate ID TRA-01" in again.warning.getvalue()
    travail = app.srcdir / "travail.md"
    touch_later(travail, travail.read_text(encoding="utf-8").replace("TRA-01", "TRA-03"))
    again.cleanup()
    last = make_app("html", srcdir=app.srcdir, confoverrides=overrides)
    last.build()
    return last, again.warning.getvalue() + last.warning.getvalue()


def assert_both_items_survive(app: SphinxTestApp) -> None:
    rows = table_rows(app)
    assert rows["TRA-01"] == "Question d'une page que l'on supprimera ?"
    assert rows["TRA-03"] == "Question sur la politique ?"


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="internals_off",
                    confoverrides={"playbook_needs_internals": False})
def test_switched_off_the_documented_api_gives_the_same_build(
        make_app: MakeApp, app: SphinxTestApp) -> None:
    last, log = resolve_a_duplicate(make_app, app, playbook_needs_internals=False)
    assert_both_items_survive(last)
    assert "needs_internals" not in log
    assert "delete_need" not in log  # del_need's own notice is not shown


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="internals_moved")
def test_a_moved_internal_is_said_once_and_the_build_goes_on(
        make_app: MakeApp, app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapter, "REMOVE_DOC",
                        ("sphinx_needs.data", "SphinxNeedsData", "forget_document"))
    last, log = resolve_a_duplicate(make_app, app)
    assert_both_items_survive(last)
    moved = [line for line in warnings_of(log) if "[checklist.needs_internals]" in line]
    assert moved, log
    assert all(re.match(r"^\S*/conf\.py:1: WARNING: this sphinx-needs release has no "
                        r"sphinx_needs\.data\.SphinxNeedsData\.forget_document", line)
               for line in moved), moved
    assert len(moved) <= 2  # once per build, at most: the two builds that read pages
    assert "Traceback" not in log


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="internals_on")
def test_with_the_internal_the_same_build(make_app: MakeApp, app: SphinxTestApp) -> None:
    last, log = resolve_a_duplicate(make_app, app)
    assert_both_items_survive(last)
    assert "needs_internals" not in log


def purge_handlers(app: SphinxTestApp) -> list[str]:
    return [listener.handler.__name__ for listener in app.events.listeners["env-purge-doc"]]


def delete_a_page(make_app: MakeApp, app: SphinxTestApp) -> SphinxTestApp:
    """A page with an item removed after a first build: its item leaves the dashboard."""
    app.build()
    assert "TRA-02" in table_rows(app)
    (app.srcdir / "extra.md").unlink()
    index = app.srcdir / "index.md"
    touch_later(index, index.read_text(encoding="utf-8").replace("extra\n", ""))
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir, confoverrides=app.config.overrides)
    again.build()
    assert warnings_of(again.warning.getvalue()) == []
    assert "TRA-02" not in table_rows(again)
    return again


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="purge_on")
def test_with_the_internal_pages_forgotten_are_not_purged_twice(app: SphinxTestApp) -> None:
    """The builds of tests/test_incremental.py run this way (the switch is on by default):
    a deleted page's items leave the dashboard there."""
    assert "purge_needs" not in purge_handlers(app)
    assert "_purge_unless_forgotten" in purge_handlers(app)


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="purge_off",
                    confoverrides={"playbook_needs_internals": False})
def test_switched_off_sphinx_needs_purges_its_own_way(make_app: MakeApp,
                                                      app: SphinxTestApp) -> None:
    assert "purge_needs" in purge_handlers(app)
    assert "_purge_unless_forgotten" not in purge_handlers(app)
    delete_a_page(make_app, app)


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="purge_moved")
def test_a_moved_purge_handler_keeps_sphinx_needs_own(
        make_app: MakeApp, app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Looked up by each application (the test's app was set up before the patch); the
    build is then the one of sphinx-needs' own purge, as switched off above."""
    monkeypatch.setattr(adapter, "PURGE_HANDLER", ("sphinx_needs.directives.need", "gone"))
    app.cleanup()
    fresh = make_app("html", srcdir=app.srcdir, freshenv=True)
    assert "purge_needs" in purge_handlers(fresh)
    assert "_purge_unless_forgotten" not in purge_handlers(fresh)

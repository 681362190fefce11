"""Incremental and parallel builds stay correct.

After one page is edited, added or deleted, the pages showing data from other pages
(the playbook's dashboards, sphinx-needs' needtable and needpie, back-links) are
fresh, and unchanged pages are not re-read; a dashboard's page is written again only
when what it shows changed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import plain, soup, warnings_of

READ = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")
WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")

MakeApp = Callable[..., SphinxTestApp]


def touch_later(path: Path, text: str) -> None:
    """Write ``text`` with a modification time Sphinx cannot mistake for the last build's."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


def rebuild(
    make_app: MakeApp, app: SphinxTestApp, **kwargs: Any
) -> tuple[SphinxTestApp, list[str]]:
    """Build the same project again, as `make html` would; returns the pages re-read."""
    app.cleanup()  # one live application at a time: node classes are registered globally
    again = make_app("html", srcdir=app.srcdir, **kwargs)
    again.build()
    log = re.sub(r"\x1b\[[0-9;]*m", "", again.status.getvalue())
    assert "config changed" not in log, log
    assert warnings_of(again.warning.getvalue()) == []
    return again, sorted(READ.findall(log))


def table_rows(app: SphinxTestApp) -> dict[str, str]:
    page = soup(app, "tableau.html")
    rows = {}
    for row in page.select("table tbody tr"):
        cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
        rows[cells[0]] = plain(cells[1])
    return rows


def written(app: SphinxTestApp) -> set[str]:
    """The pages the last build wrote."""
    return set(WRITTEN.findall(re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())))


def pie_counts(app: SphinxTestApp) -> dict[str, int]:
    """The pie's counts, read from its SVG description (« Label : 2 (50,0 %); ... »)."""
    page = soup(app, "camembert.html")
    desc = page.select_one("svg.playbook-pie desc")
    assert desc is not None
    counts = {}
    for wedge in desc.get_text().split("; "):
        label, _, rest = wedge.partition("\u00a0: ")
        counts[label] = int(rest.split(" ", 1)[0])
    return counts


@pytest.fixture
def built(make_app: MakeApp, app: SphinxTestApp) -> SphinxTestApp:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    return app


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="nothing_changed_reads_nothing"
)
def test_nothing_changed_reads_nothing(make_app: MakeApp, built: SphinxTestApp) -> None:
    _, read = rebuild(make_app, built)
    assert read == []


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="edited_question_reaches_the_dashboard"
)
def test_edited_question_reaches_the_dashboard(make_app: MakeApp, built: SphinxTestApp) -> None:
    assert table_rows(built)["REC-01"] == "Question de recrutement numéro un ?"
    page = built.srcdir / "recrutement.md"
    touch_later(page, page.read_text(encoding="utf-8").replace("numéro un", "reformulée"))
    again, read = rebuild(make_app, built)
    assert read == ["recrutement"]
    assert table_rows(again)["REC-01"] == "Question de recrutement reformulée ?"


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="new_link_reaches_the_target_page"
)
def test_new_link_reaches_the_target_page(make_app: MakeApp, built: SphinxTestApp) -> None:
    page = built.srcdir / "recrutement.md"
    touch_later(page, page.read_text(encoding="utf-8").replace(
        "numéro deux ?\n", "numéro deux ?\n  :links: TRA-01\n"))
    again, read = rebuild(make_app, built)
    assert read == ["recrutement"], "the target page is written again, not re-read"
    work = soup(again, "travail.html")
    back = work.select_one("#TRA-01 .playbook-item-links-back a")
    assert back is not None and back["href"] == "recrutement.html#REC-02"

    # and the back-link goes away with the link
    touch_later(page, page.read_text(encoding="utf-8").replace("  :links: TRA-01\n", ""))
    again, _ = rebuild(make_app, again)
    work = soup(again, "travail.html")
    assert work.select_one("#TRA-01 .playbook-item-links-back") is None


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="deleted_and_added"
)
def test_deleted_and_added_pages_reach_the_dashboard(
    make_app: MakeApp, built: SphinxTestApp
) -> None:
    assert "TRA-02" in table_rows(built)
    assert pie_counts(built) == {"Recrutement": 2, "Au travail": 2}
    (built.srcdir / "extra.md").unlink()
    index = built.srcdir / "index.md"
    touch_later(index, index.read_text(encoding="utf-8").replace("extra\n", "nouvelle\n"))
    touch_later(built.srcdir / "nouvelle.md", (
        "# Nouvelle\n\n```{checklist}\n:phase: recruitment\n:owner: hr\n\n"
        "- [ ] REC-03 Une question ajoutée ?\n```\n"
    ))
    again, read = rebuild(make_app, built)
    assert read == ["index", "nouvelle"]
    rows = table_rows(again)
    assert "TRA-02" not in rows
    assert rows["REC-03"] == "Une question ajoutée ?"
    assert pie_counts(again) == {"Recrutement": 3, "Au travail": 1}


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="duplicate_resolved"
)
def test_duplicate_resolved_on_one_side_restores_the_other(
    make_app: MakeApp, built: SphinxTestApp
) -> None:
    extra = built.srcdir / "extra.md"
    original = extra.read_text(encoding="utf-8")
    touch_later(extra, original.replace("TRA-02", "TRA-01"))
    built.cleanup()
    again = make_app("html", srcdir=built.srcdir)
    again.build()
    assert "duplicate ID TRA-01" in again.warning.getvalue()
    # the author renumbers the copy on the page sphinx-needs kept: both survive
    touch_later(built.srcdir / "travail.md", (built.srcdir / "travail.md").read_text(
        encoding="utf-8").replace("TRA-01", "TRA-03"))
    again, read = rebuild(make_app, again)
    assert "extra" in read and "travail" in read
    rows = table_rows(again)
    assert rows["TRA-01"] == "Question d'une page que l'on supprimera ?"
    assert rows["TRA-03"] == "Question sur la politique ?"


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="parallel", parallel=2
)
def test_parallel_build_matches_serial(make_app: MakeApp, app: SphinxTestApp,
                                       tmp_path: Path) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    app.cleanup()
    serial = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial", freshenv=True)
    serial.build()
    for page in ("recrutement.html", "travail.html", "tableau.html", "camembert.html"):
        parallel_body = soup(app, page).select_one("[role=main]")
        serial_body = soup(serial, page).select_one("[role=main]")
        assert str(parallel_body) == str(serial_body), page


#: The pages of the playbook's own dashboards in the root.
DASHBOARDS = {"tableau", "tableau-recrutement", "camembert"}


@pytest.mark.sphinx(
    "html", testroot="incremental", freshenv=True, srcdir="only_changed_aggregates"
)
def test_only_aggregates_whose_content_changed_are_rewritten(
    make_app: MakeApp, built: SphinxTestApp
) -> None:
    """The playbook's own aggregates are written again only when what they show changed;
    sphinx-needs' own (needtable, needpie) whenever any page was read."""
    page = built.srcdir / "recrutement.md"
    # a narrative edit: no fact, source or item changes
    touch_later(page, page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n")
    again, _ = rebuild(make_app, built)
    assert "recrutement" in written(again)
    assert "tableau-travail" in written(again)  # sphinx-needs' aggregates: always
    assert not (DASHBOARDS | {"faits"}) & written(again), "they show the same"
    # a fact cited: the fact table changes
    touch_later(page, page.read_text(encoding="utf-8")
                + "\nUn salarié sur {fact}`deux <enquete-2024>`.\n")
    again, _ = rebuild(make_app, again)
    assert "faits" in written(again)
    assert "deux" in soup(again, "faits.html").select_one("table.playbook-facts").get_text()
    # an at-work question reworded: the tables showing it, not the recruitment table,
    # nor the pie (same counts); every sphinx-needs aggregate is fresh
    travail = built.srcdir / "travail.md"
    touch_later(travail, travail.read_text(encoding="utf-8").replace(
        "Question sur la politique", "Question sur la charte"))
    again, _ = rebuild(make_app, again)
    assert {"tableau", "tableau-travail"} <= written(again)
    assert not {"tableau-recrutement", "camembert", "faits"} & written(again)
    assert "charte" in soup(again, "tableau.html").get_text()
    assert "charte" in soup(again, "tableau-travail.html").get_text()
    # a recruitment question reworded: both tables show it
    touch_later(page, page.read_text(encoding="utf-8").replace("numéro deux", "deuxième"))
    again, _ = rebuild(make_app, again)
    assert {"tableau", "tableau-recrutement"} <= written(again)
    assert "camembert" not in written(again)
    assert "deuxième" in soup(again, "tableau-recrutement.html").get_text()
    # an owner changed: only the table with an owner column shows it
    touch_later(page, page.read_text(encoding="utf-8").replace(
        "numéro un ?\n", "numéro un ?\n  :owner: legal\n"))
    again, _ = rebuild(make_app, again)
    assert "tableau" in written(again)
    assert not {"tableau-recrutement", "camembert"} & written(again)
    assert "Juridique" in soup(again, "tableau.html").select_one("tbody tr").get_text()
    # a question added: the counts change
    touch_later(page, page.read_text(encoding="utf-8").replace(
        "- [ ] REC-02", "- [ ] REC-04 Une question de plus ?\n- [ ] REC-02"))
    again, _ = rebuild(make_app, again)
    assert written(again) >= DASHBOARDS
    assert pie_counts(again) == {"Recrutement": 3, "Au travail": 2}

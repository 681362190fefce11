"""A page per owner role (``role-questions``): the role's questions, phase by phase, as
the same checklist items the phase pages show; a located warning for a role without a
page or an undeclared role; kept fresh when an item changes owner. The real site's
role pages and PDFs are checked in test_site.py and test_pdf.py."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import soup, warnings_of

MakeApp = Callable[..., SphinxTestApp]


def listed(page: BeautifulSoup) -> dict[str, list[str]]:
    """Phase section -> the IDs of the items it lists."""
    return {str(section["id"]): [item["data-item"] for item in
                                 section.select(".playbook-checklist .playbook-item")]
            for section in page.select("section.playbook-role-phase")}


def complete(srcdir: Path) -> None:
    """Give every declared role its page, and drop the page's undeclared role."""
    legal = srcdir / "roles" / "legal.md"
    legal.write_text(legal.read_text(encoding="utf-8").replace(
        "```{role-questions} compta\n```\n", ""), encoding="utf-8")
    (srcdir / "roles" / "dpo.md").write_text("# DPO\n\n```{role-questions} dpo\n```\n",
                                             encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "roles/legal\n", "roles/legal\nroles/dpo\n"), encoding="utf-8")


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_a_missing_role_page_and_an_unknown_role_are_located(app: SphinxTestApp) -> None:
    app.build()
    check_warnings(app)


@pytest.mark.sphinx("html", testroot="roles", freshenv=True, parallel=2)
def test_a_parallel_build_knows_the_role_pages_too(app: SphinxTestApp) -> None:
    app.build()  # the pages are read by two processes, their role pages merged
    check_warnings(app)


def check_warnings(app: SphinxTestApp) -> None:
    found = warnings_of(app.warning.getvalue())
    conf = Path(app.srcdir, "conf.py")
    assert len(found) == 2, found
    assert found[0] == (
        f"{Path(app.srcdir, 'roles', 'legal.md')}:8: WARNING: role-questions names 'compta', "
        "which is not an owner role; use one of hr, legal, dpo (declared in playbook_owners) "
        "[checklist.role_page]")
    assert found[1] == (
        f"{conf}:8: WARNING: owner role 'dpo' (DPO) has no page listing its questions: add "
        "a page holding '{role-questions} dpo' (docs/roles/dpo.md, in a toctree), as the "
        "other roles have [checklist.role_page]")


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_a_role_page_lists_its_questions_by_phase_as_checklist_items(
        app: SphinxTestApp) -> None:
    app.build()
    hr = soup(app, "roles/hr.html")
    assert listed(hr) == {"phase-recruitment": ["REC-01", "REC-02"],
                          "phase-at-work": ["TRA-02"]}
    assert [title.get_text(strip=True).rstrip("¶") for title in
            hr.select("section.playbook-role-phase h2")] == ["Recrutement", "Au travail"]
    item = hr.select_one('.playbook-item[data-item="REC-01"]')
    # what a phase page's item has: box, ID, question, owner line, links
    assert item.select_one("input.playbook-checkbox")["id"] == "check-REC-01"
    assert item.select_one(".playbook-item-id").get_text() == "REC-01"
    assert item.select_one(".playbook-question").get_text().startswith("Qui publie l’offre")
    assert item.select_one(".playbook-item-owner").get_text() == \
        "Responsables\u00a0: Ressources humaines, Juridique"
    assert item.select_one(".playbook-item-links a")["href"] == "../travail.html#TRA-01"
    # the phase's checklist, where the guidance is, is one click away
    pointer = hr.select_one("section#phase-at-work > p a")
    assert pointer["href"] == "../travail.html"
    # the browser app works on it as on a phase page; search finds questions elsewhere
    assert any("playbook.js" in script.get("src", "") for script in hr.select("script"))
    assert all("no-search" in listing["class"] for listing in hr.select(".playbook-checklist"))
    assert listed(soup(app, "roles/legal.html")) == {"phase-recruitment": ["REC-01"],
                                                     "phase-at-work": ["TRA-01"]}


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_every_role_with_its_page_builds_without_warning(app: SphinxTestApp) -> None:
    complete(Path(app.srcdir))
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    empty = soup(app, "roles/dpo.html").select_one(".playbook-questions-empty")
    assert empty.get_text() == "Aucune question n’est confiée à ce rôle pour l’instant."


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_a_role_page_follows_an_item_changing_owner(app: SphinxTestApp,
                                                    make_app: MakeApp) -> None:
    srcdir = Path(app.srcdir)
    complete(srcdir)
    app.build()
    assert listed(soup(app, "roles/legal.html"))["phase-at-work"] == ["TRA-01"]
    page = srcdir / "travail.md"
    page.write_text(page.read_text(encoding="utf-8").replace("  :owner: hr\n",
                                                             "  :owner: legal\n"),
                    encoding="utf-8")
    later = time.time() + 5  # a modification time Sphinx cannot take for the last build's
    os.utime(page, (later, later))
    app.cleanup()
    again = make_app("html", srcdir=srcdir)
    again.build()
    assert warnings_of(again.warning.getvalue()) == []
    assert listed(soup(again, "roles/legal.html"))["phase-at-work"] == ["TRA-01", "TRA-02"]
    assert "phase-at-work" not in listed(soup(again, "roles/hr.html"))


#: A question written with inline markup: emphasis, code, a link to a page, a link to an
#: item (sphinx-needs' role).
MARKED_UP = ("- [ ] REC-02 Suivez-vous les *candidatures* sur `LinkedIn` ({doc}`travail`, "
             "{need}`TRA-01`) ?\n  :owner: hr, legal\n")


def mark_up(srcdir: Path) -> None:
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "- [ ] REC-02 Suivez-vous les candidatures ?\n", MARKED_UP), encoding="utf-8")


def question_markup(page: BeautifulSoup, item_id: str) -> list[tuple[str, str]]:
    """(tag, text) of each element of an item's question, links with their target."""
    question = page.select_one(f'.playbook-item[data-item="{item_id}"] .playbook-question')
    return [(element.name, element.get_text() + (f" -> {element['href']}"
                                                 if element.name == "a" else ""))
            for element in question.find_all(True)]


@pytest.mark.sphinx("html", testroot="roles", srcdir="roles-markup", freshenv=True)
def test_a_role_page_renders_a_question_written_with_markup_as_its_phase_page(
        app: SphinxTestApp) -> None:
    complete(Path(app.srcdir))
    mark_up(Path(app.srcdir))
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    role = question_markup(soup(app, "roles/hr.html"), "REC-02")
    phase = question_markup(soup(app, "index.html"), "REC-02")
    tags = [tag for tag, _text in role]
    assert "em" in tags and "code" in tags, role
    assert ("em", "candidatures") in role
    # the same nodes as on the phase page; links resolved from the role page's folder
    assert [(tag, text.replace("../", "")) for tag, text in role] == phase
    assert any(text.endswith("-> ../travail.html") for tag, text in role if tag == "a")
    assert any(text.endswith("-> ../travail.html#TRA-01") for tag, text in role if tag == "a")
    shown = soup(app, "roles/hr.html").select_one(
        '.playbook-item[data-item="REC-02"] .playbook-question').get_text()
    assert "*" not in shown and "{doc}" not in shown and "`" not in shown


@pytest.mark.sphinx("latex", testroot="roles", srcdir="roles-markup-latex", freshenv=True)
def test_a_role_pdf_prints_a_question_written_with_markup(app: SphinxTestApp) -> None:
    complete(Path(app.srcdir))
    mark_up(Path(app.srcdir))
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = (app.outdir / "playbook-role-legal.tex").read_text(encoding="utf-8")
    assert r"\sphinxstyleemphasis{candidatures}" in tex
    assert r"\sphinxcode{\sphinxupquote{LinkedIn}}" in tex
    assert "*candidatures*" not in tex and "{doc}`" not in tex

"""Figures carry their source and the date they were stated; the sources page lists
them all with their age."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from playbook_rh.sphinxext.typography import ALREADY_TREATED, _treat, french
from sphinx.testing.util import SphinxTestApp

from .conftest import WARNING_LINE, plain, soup, warnings_of


@pytest.mark.sphinx("html", testroot="facts", freshenv=True)
def test_figures_show_their_year_and_link_their_source(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "index.html")
    old, new, in_item, dated, rule = page.select("span.playbook-fact")
    assert plain(old.get_text()) == "près de 347 millions de membres2015"
    link = old.select_one("sup.playbook-fact-aged a")
    assert link["href"] == "sources.html#source-aquent-2015"
    assert "chiffre ancien" in link["title"]
    assert new.select_one("sup:not(.playbook-fact-aged) a").get_text() == "2024"
    assert "mars 2024" in new.select_one("a")["title"]  # the date stated overrides
    assert in_item.find_parent(class_="playbook-item-guidance") is not None
    # a figure that already says its year is not followed by the year again
    assert plain(dated.get_text()) == "le 29 novembre 2013réf."
    # events and rules keep their date but never age, however old they are
    assert "playbook-fact-event" in dated["class"]
    assert "playbook-fact-rule" in rule["class"]
    for timeless in (dated, rule):
        assert timeless.select_one("sup.playbook-fact-aged") is None
        assert timeless.select_one("sup a").get_text() == "réf."  # no year beside a date
        assert "ancien" not in timeless.select_one("a")["title"]


@pytest.mark.sphinx("html", testroot="facts", freshenv=True)
def test_sources_page_lists_every_fact_with_its_kind_and_age(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "sources.html")
    assert page.select_one("#source-mickle-2013") is not None
    rows = [[plain(cell.get_text(" ", strip=True)) for cell in row.find_all("td")]
            for row in page.select("table.playbook-facts tbody tr")]
    mickle = "District Court of New South Wales, Mickle v Farley [2013] NSWDC 295"
    assert rows == [
        ["près de 347 millions de membres", "chiffre", "Chiffres",
         "Aquent, Pourquoi les marketeurs doivent impliquer les RH sur les réseaux sociaux",
         "2015", "11 ans (ancien)"],
        ["plus d'un milliard de membres", "chiffre", "Chiffres", "LinkedIn, About LinkedIn",
         "mars 2024", "2 ans"],
        ["85 000 dollars australiens", "chiffre", "Chiffres", mickle,
         "29 novembre 2013", "13 ans (ancien)"],
        ["le 29 novembre 2013", "événement", "Chiffres", mickle, "29 novembre 2013", "–"],
        ["trois mois", "règle", "Chiffres", mickle, "29 novembre 2013", "–"],
    ]
    first_figure = page.select_one("table.playbook-facts tbody tr a")
    assert first_figure["href"] == "index.html#fact-0"


@pytest.mark.sphinx("latex", testroot="facts", freshenv=True)
def test_figures_print_with_their_year(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert re.search(r"347 millions de membres\$\^\{\\text\{.{0,200}\{2015\}", tex)


@pytest.mark.sphinx("html", testroot="fact-errors", freshenv=True)
def test_fact_problems_are_located_warnings(app: SphinxTestApp) -> None:
    app.build()
    found = set()
    for line in warnings_of(app.warning.getvalue()):
        match = WARNING_LINE.match(line)
        assert match, line
        subtype = re.search(r"\[fact\.(\w+)\]$", match["message"])
        assert subtype, line
        found.add((match["path"].rsplit("/", 1)[1], int(match["line"]), subtype[1]))
    assert found == {
        ("index.md", 7, "malformed"),
        ("index.md", 9, "unknown_source"),
        ("index.md", 11, "bad_date"),
        ("sources.md", 8, "duplicate_source"),
        ("sources.md", 13, "source_without_title"),
        ("sources.md", 13, "bad_date"),
        ("index.md", 20, "bad_date"),  # 30 February
        ("index.md", 22, "future_date"),
        ("sources.md", 17, "future_date"),
        # the fact's own line, in a paragraph that starts two lines above
        ("index.md", 26, "unknown_source"),
    }
    log = app.warning.getvalue()
    assert "date '2024-02-30' is no real day: février 2024 has no day 30" in log
    assert "date '2099' is after the day of the build (2026-11-26)" in log
    assert "source 'future': date '2099-01' is after the day of the build" in log
    # a refused date is not shown: no age below zero in the table of facts
    table = (app.outdir / "sources.html").read_text(encoding="utf-8")
    assert "9 %" in table and "-73" not in table


def test_french_typography_rules() -> None:
    assert french("Question ?") == "Question\u202f?"
    assert french("Vraiment!") == "Vraiment\u202f!"
    assert french("a ; b") == "a\u202f; b"
    assert french("Responsable : DRH") == "Responsable\u00a0: DRH"
    assert french("« bonjour »") == "«\u00a0bonjour\u00a0»"
    assert french("l'article") == "l’article"
    for untouched in ("https://example.org/?q=1", "10:30", "Note: x"):
        assert french(untouched) == untouched


def test_typography_walk_leaves_code_addresses_and_what_is_already_treated() -> None:
    page = nodes.section("", nodes.paragraph("", "Une question ?"),
                         nodes.paragraph("", "", nodes.literal("", "a ; b"),
                                         nodes.reference("", "https://x.org/?q", refuri="u"),
                                         nodes.reference("", "l'offre", refid="REC-01")))
    table = nodes.table("", nodes.paragraph("", "Texte tel quel ?"))
    table[ALREADY_TREATED] = True
    page += table
    _treat(page)
    assert page[0].astext() == "Une question\u202f?"
    assert [child.astext() for child in page[1].children] == [
        "a ; b", "https://x.org/?q", "l’offre"]
    assert table.astext() == "Texte tel quel ?"  # built with its typography: not walked


@pytest.mark.sphinx("html", testroot="facts", freshenv=True)
def test_html_has_french_typography_but_code_is_untouched(app: SphinxTestApp) -> None:
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "nos chiffres\u202f?" in html
    assert " ?" not in BeautifulSoup(html, "html.parser").select_one("article, body").get_text()

"""The dashboards: the playbook's own ``questions-table`` and ``questions-count``, in HTML
and LaTeX, and sphinx-needs' own aggregates still working on the playbook's pages."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp

from .conftest import require_tool, soup, warnings_of

MakeApp = Callable[..., SphinxTestApp]
NARROW_NBSP, NBSP = "\u202f", "\u00a0"


def sections(page: BeautifulSoup) -> dict[str, Tag]:
    return {str(section["id"]): section for section in page.select("section section")}


def ids(table: Tag) -> list[str]:
    return [row.find("td").get_text(strip=True) for row in table.select("tbody tr")]


def chart_counts(svg: Tag) -> dict[str, int]:
    """The counts an SVG chart says, read from its description (« Label : 2 (50,0 %) »)."""
    counts = {}
    for part in svg.select_one("desc").get_text().split("; "):
        label, _, rest = part.partition(f"{NBSP}: ")
        counts[label] = int(rest.split(" ", 1)[0])
    return counts


@pytest.mark.sphinx("html", testroot="dashboards", freshenv=True)
def test_questions_table_filters_groups_and_columns(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "tableaux.html")
    found = sections(page)

    simple = found["simple"].select_one("table.playbook-questions")
    # every question, in phase order then numeric ID order; default columns
    assert ids(simple) == ["REC-01", "REC-02", "REC-03", "REC-11", "REC-100",
                           "TRA-01", "TRA-02"]
    assert [th.get_text() for th in simple.select("thead th")] == [
        "ID", "Question", "Responsables"]
    first = simple.select("tbody tr")[0].find_all("td")
    assert first[0].select_one("a")["href"] == "index.html#REC-01"
    # French typography and escaping, as in the rest of the page
    assert first[1].get_text() == f"Qui publie l’offre «{NBSP}en premier{NBSP}»{NARROW_NBSP}?"
    assert first[2].get_text() == "Ressources humaines, Marketing"
    second = simple.select("tbody tr")[1].find_all("td")
    assert second[1].get_text() == (
        f"Les candidats & leurs profils <18 ans> sont-ils vérifiés{NARROW_NBSP}?")
    assert "&amp; leurs profils &lt;18 ans&gt;" in str(second[1])
    # the questions are searched on their own pages, not on every dashboard
    assert "no-search" in simple["class"]

    wide = found["une-phase-toutes-les-colonnes"].select_one("table")
    assert "playbook-wide" in wide["class"]
    assert [th.get_text() for th in wide.select("thead th")] == [
        "ID", "Question", "Phase", "Responsables", "État", "Étiquettes", "Liens"]
    assert ids(wide) == ["REC-01", "REC-02", "REC-03", "REC-11", "REC-100"]
    rows = {row.find("td").get_text(): [td.get_text() for td in row.find_all("td")]
            for row in wide.select("tbody tr")}
    assert rows["REC-02"][2:] == ["Recrutement", "Juridique", "Fait", "", ""]
    assert rows["REC-03"][5] == "avis, charte"
    link = wide.select_one("tbody tr td:last-child a")
    assert link.get_text() == "TRA-01" and link["href"] == "travail.html#TRA-01"

    # grouped: a rubric and a table a value; two owners, two groups
    by_owner = found["par-responsable"]
    assert [rubric.get_text() for rubric in by_owner.select("p.rubric")] == [
        "Ressources humaines", "Juridique", "Marketing"]
    hr, legal, marketing = (ids(table) for table in by_owner.select("table"))
    assert hr == ["REC-01", "REC-03", "REC-11", "REC-100", "TRA-02"]
    assert legal == ["REC-02", "TRA-02"]
    assert marketing == ["REC-01", "TRA-01"]
    by_tag = found["par-etiquette"]
    assert [rubric.get_text() for rubric in by_tag.select("p.rubric")] == [
        "avis", "charte", "Sans étiquette"]
    assert [ids(table) for table in by_tag.select("table")][:2] == [
        ["REC-03"], ["REC-03", "TRA-02"]]

    # filters: any value of an option, every option
    crossed = found["filtres-croises"].select_one("table")
    assert ids(crossed) == ["REC-01", "REC-03", "REC-11", "REC-100", "TRA-02"]
    assert ids(found["une-etiquette"].select_one("table")) == ["REC-03", "TRA-02"]
    empty = found["vide"]
    assert empty.select("table") == [] and "Aucune question." in empty.get_text()


@pytest.mark.sphinx("html", testroot="dashboards", freshenv=True)
def test_questions_count_as_accessible_svg(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "compteurs.html")
    charts = page.select("svg")
    assert [chart["class"] for chart in charts] == [
        ["playbook-pie"], ["playbook-bars"], ["playbook-pie"], ["playbook-pie"]]
    assert len({chart["id"] for chart in charts}) == 4, "one id a chart"
    by_phase, by_owner, by_status, by_tag = charts
    for chart in charts:
        assert chart["role"] == "img"
        assert chart.select_one("title")["id"] == chart["aria-labelledby"]
        assert chart.select_one("desc")["id"] == chart["aria-describedby"]
    assert by_phase.select_one("title").get_text() == "Questions par phase"
    assert chart_counts(by_phase) == {"Recrutement": 5, "Au travail": 2}
    assert by_phase.select_one(".playbook-pie-legend") is not None  # :legend:
    # a question with two owners counts for each
    assert by_owner.select_one("title").get_text() == "Questions par responsable"
    assert chart_counts(by_owner) == {"Ressources humaines": 5, "Juridique": 2, "Marketing": 2}
    assert len(by_owner.select("rect.playbook-bars-bar")) == 3
    # every status of the vocabulary, 0 included, within the filters
    assert chart_counts(by_status) == {"À faire": 4, "En cours": 0, "Fait": 1, "Sans objet": 0}
    assert chart_counts(by_tag) == {"avis": 1, "charte": 2, "Sans étiquette": 5}
    assert "Aucune question à compter." in page.get_text()
    assert page.select("img") == []


@pytest.mark.sphinx("latex", testroot="dashboards", freshenv=True)
def test_latex_gets_plain_tables(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    counts = tex.split(r"\label{\detokenize{compteurs::doc}}")[1]
    # the counts: a table each, under their title (no image, no SVG)
    assert counts.count(r"\begin{longtable}") == 4  # tables that break across pages
    assert "Questions par phase" in counts and "Questions par responsable" in counts
    assert re.search(r"Recrutement\s+\\sphinxbeforeendvarwidth.*?5\s.*?71,4\u00a0\\%",
                     counts, re.DOTALL)
    assert "Aucune question à compter." in counts
    assert "svg" not in tex and "need_pie" not in tex
    # the tables of questions link each ID to its item
    tables = tex.split(r"\label{\detokenize{tableaux::doc}}")[1].split(
        r"\label{\detokenize{compteurs::doc}}")[0]
    assert r"\hyperref[\detokenize{index:REC-100}]" in tables
    assert r"\hyperref[\detokenize{travail:TRA-02}]" in tables
    # on paper, only the apostrophes (babel spaces the punctuation), as elsewhere
    assert "Qui publie l’offre « en premier » ?" in tables
    assert "l'offre" not in tables


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.sphinx("html", testroot="needs-aggregates", freshenv=True)
def test_sphinx_needs_aggregates_still_work(app: SphinxTestApp) -> None:
    """needtable, needpie and needflow, drawn by sphinx-needs itself on our pages."""
    require_tool("dot")
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "sphinx-needs.html")
    table = page.select_one("table")
    for text in ("REC-01", "REC-02", "TRA-01", "Juridique"):
        assert text in table.get_text()
    assert table.select_one("a[href='travail.html#TRA-01']") is not None  # a link column
    pie = page.select_one("img[src*='need_pie']")
    assert pie is not None and (app.outdir / str(pie["src"])).is_file()
    flow = page.select_one("img.graphviz[src*='needflow']")
    assert flow is not None and (app.outdir / str(flow["src"])).is_file()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.sphinx("latex", testroot="needs-aggregates", freshenv=True)
def test_sphinx_needs_aggregates_in_latex(app: SphinxTestApp) -> None:
    require_tool("dot")
    app.build()
    # sphinx-needs draws a Graphviz needflow for HTML only, and says so
    assert [re.sub(r"^.*WARNING: ", "", line) for line in warnings_of(app.warning.getvalue())
            ] == ["NeedflowGraphiz is only supported for HTML output. [needs.needflow]"]
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "need_pie_" in tex and "TRA-01" in tex


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.sphinx("html", testroot="needs-aggregates", freshenv=True,
                    srcdir="needs_aggregates_fresh")
def test_sphinx_needs_aggregates_stay_fresh(make_app: MakeApp, app: SphinxTestApp) -> None:
    """After an edit elsewhere, the page of sphinx-needs' aggregates is written again
    (they can show any field: always), without being read again."""
    require_tool("dot")
    app.build()
    flow_before = soup(app, "sphinx-needs.html").select_one("img.graphviz")["src"]
    page = app.srcdir / "travail.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Qui anime", "Qui modère"),
                    encoding="utf-8")
    later = time.time() + 5
    os.utime(page, (later, later))
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert warnings_of(again.warning.getvalue()) == []
    log = re.sub(r"\x1b\[[0-9;]*m", "", again.status.getvalue())
    assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log) == ["travail"]
    assert "sphinx-needs" in re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", log)
    fresh = soup(again, "sphinx-needs.html")
    assert "Qui modère" in fresh.select_one("table").get_text().replace("\u2019", "'")
    # the flow shows titles too: it is drawn again, as another picture
    assert fresh.select_one("img.graphviz")["src"] != flow_before

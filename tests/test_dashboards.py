"""The dashboards' needtables and needpies, as the extension draws them in HTML.

needtables with plain field columns are written straight to HTML, and must give the
very HTML sphinx-needs gives; needpies become inline SVG with sphinx-needs' counts.
What only sphinx-needs draws (link columns, an exploded pie, any LaTeX) is left to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playbook_rh.sphinxext.dashboards import html_tables
from sphinx.testing.util import SphinxTestApp

from .conftest import build_copy, soup, warnings_of

MakeApp = Callable[..., SphinxTestApp]
NARROW_NBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the needtables the extension drew itself (the others: sphinx-needs)."""
    ids: list[str] = []
    draw = html_tables._draw

    def spy(app: Any, doctree: Any, fromdocname: str, node: Any, config: Any) -> None:
        draw(app, doctree, fromdocname, node, config)
        ids.append(node["ids"][0])

    monkeypatch.setattr(html_tables, "_draw", spy)
    yield ids


def sections(app: SphinxTestApp) -> dict[str, str]:
    page = soup(app, "tableaux.html")
    return {str(section["id"]): str(section) for section in page.select("section section")}


def test_tables_are_the_html_sphinx_needs_writes(
    make_app: MakeApp, tmp_path: Path, drawn: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = build_copy(make_app, "dashboards", tmp_path / "fast")
    # the four tables of plain fields were drawn here; the links table by sphinx-needs
    assert len(drawn) == 4
    fast_sections = sections(fast)
    fast.cleanup()

    def left_to_sphinx_needs(*args: object) -> None:
        raise html_tables._Unsupported("reference build")

    monkeypatch.setattr(html_tables, "_draw", left_to_sphinx_needs)
    reference = build_copy(make_app, "dashboards", tmp_path / "reference")
    reference_sections = sections(reference)
    reference.cleanup()

    assert fast_sections.keys() == reference_sections.keys()
    assert len(fast_sections) == 5
    for name, html in reference_sections.items():
        assert fast_sections[name] == html, name


@pytest.mark.sphinx("html", testroot="dashboards", freshenv=True)
def test_tables_rows_and_options(app: SphinxTestApp, drawn: list[str]) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "tableaux.html")
    simple, interactive, capped, empty, links = page.select("section section")

    rows = simple.select("table.NEEDS_TABLE tbody tr")
    assert [row["data-need-id"] for row in rows] == ["REC-01", "REC-02", "REC-03",
                                                     "TRA-01", "TRA-02"]
    assert [row["class"] for row in rows[:2]] == [["need", "row-even"], ["need", "row-odd"]]
    first = rows[0].find_all("td")
    assert first[0].select_one("a")["href"] == "index.html#REC-01"
    # French typography and escaping, as in the rest of the page
    assert first[1].get_text() == f"Qui publie l’offre «{NBSP}en premier{NBSP}»{NARROW_NBSP}?"
    assert rows[1].find_all("td")[1].get_text() == (
        f"Les candidats & leurs <profils> sont-ils vérifiés{NARROW_NBSP}?")
    assert "&amp; leurs &lt;profils&gt;" in str(rows[1])
    # a list field: its values separated as sphinx-needs separates them
    assert [em.get_text() for em in first[2].select("em")] == ["; "]
    assert first[2].get_text() == "Ressources humaines; Marketing"

    table = interactive.select_one("table")
    assert table is not None
    assert {"NEEDS_DATATABLES", "extra-class", "playbook-wide"} <= set(table["class"])
    assert table["data-needstable-page-size"] == "10"
    assert [row["data-need-id"] for row in table.select("tbody tr")] == [
        "REC-01", "REC-02", "REC-03"]
    header = [th["data-col"] for th in table.select("thead th")]
    assert header == ["id", "title", "phase", "phase_order", "status", "tags"]
    assert table.select_one("th[data-col=phase_order]")["data-type"] == "number"
    widths = [col["style"] for col in table.select("colgroup col")]
    assert widths == ["width: 10.0%", "width: 50.0%", "width: 15.0%", "width: 5.0%",
                      "width: 10.0%", "width: 10.0%"]
    assert table.select("tbody tr")[1].select_one("td.needs_status").get_text() == "done"

    assert len(capped.select("tbody tr")) == 2
    assert empty.select("table") == [] and "Aucune question ici." in empty.get_text()
    # link columns are sphinx-needs' own: linked IDs, in both directions
    assert links.select_one("tr[data-need-id=REC-01] td.needs_links a")["href"] == (
        "travail.html#TRA-01")
    assert links.select_one("tr[data-need-id=TRA-01] td.needs_links_back a")["href"] == (
        "index.html#REC-01")
    # the interactive table's script is loaded on this page
    assert page.select_one("script[src*='needstable.js']") is not None


@pytest.mark.sphinx("html", testroot="dashboards", freshenv=True)
def test_pies_are_inline_svg_with_sphinx_needs_counts(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "camemberts.html")
    pies = page.select("svg.playbook-pie")
    assert len(pies) == 2  # the empty pie says so; the exploded pie is an image

    by_phase, small = pies
    assert by_phase["role"] == "img"
    assert by_phase.select_one("title").get_text() == "Questions par phase"
    assert by_phase.select_one("desc").get_text() == (
        f"Recrutement{NBSP}: 3 (60,0{NARROW_NBSP}%); Au travail{NBSP}: 2 (40,0{NARROW_NBSP}%)")
    assert by_phase.select_one(".playbook-pie-legend") is not None  # :legend:

    # a wedge under 5 % hides its texts and forces the legend, as sphinx-needs does
    entries = [entry.get_text() for entry in small.select(".playbook-pie-legend-entry")]
    assert entries == [f"Grande 95,2{NARROW_NBSP}% (20)", f"Petite 4,8{NARROW_NBSP}% (1)"]
    fills = [wedge["fill"] for wedge in small.select(".playbook-pie-wedge")]
    assert fills == ["#123456", "darkred"]

    # nothing to count: sphinx-needs' notice, no chart
    assert "Rien" not in {title.get_text() for title in page.select("svg title")}
    assert page.select_one("p.needs_filter_warning").get_text() == "No needs passed the filters"
    # options only matplotlib draws: left to sphinx-needs, as an image
    images = page.select("img[src*='need_pie']")
    assert len(images) == 1 and images[0]["alt"].startswith("Éclaté")
    assert (app.outdir / "camemberts.html").parent.joinpath(str(images[0]["src"])).is_file()
    assert page.select("script[src*='matplotlib'], img[src^='http']") == []


@pytest.mark.sphinx("latex", testroot="dashboards", freshenv=True)
def test_latex_keeps_sphinx_needs_drawings(app: SphinxTestApp) -> None:
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert tex.count("need_pie_") == 3  # the two SVG pies of the HTML, and the exploded one
    # the tables are sphinx-needs' docutils tables: 4 drawn (the empty one is a notice)
    assert tex.count("\\begin{tabular}") == 4
    assert "REC-03" in tex

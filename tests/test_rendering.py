"""How a checklist reads: in HTML a checklist entry, in LaTeX a printable item."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import soup, warnings_of


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_html_item_is_a_checklist_entry(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "index.html")
    items = page.select("div.playbook-checklist > div.playbook-item")
    assert [item["id"] for item in items] == ["REC-01", "REC-02"]
    first = items[0]
    checkbox = first.select_one("input[type=checkbox].playbook-checkbox")
    assert checkbox is not None and checkbox["aria-labelledby"] == "question-REC-01"
    permalink = first.select_one("a.playbook-item-id")
    assert permalink["href"] == "#REC-01" and permalink.get_text() == "REC-01"
    question = first.select_one("#question-REC-01")
    # French typography: a narrow no-break space before '?', added by the build
    assert question.get_text() == "Avez-vous une page entreprise\u202f?"
    assert question.select_one("strong").get_text() == "page"  # Markdown in the question
    owner = first.select_one(".playbook-item-owner").get_text()
    assert owner == "Responsables\u00a0: Ressources humaines, Marketing"
    guidance = first.select_one(".playbook-item-guidance")
    assert "Une bonne réponse nomme la personne qui publie." in guidance.get_text()
    assert guidance.select_one("ul li").get_text().strip() == "point un"
    link = first.select_one(".playbook-item-links a")
    assert link["href"] == "work.html#TRA-01" and link.get_text() == "TRA-01"
    # the second item takes the checklist's default owner
    assert items[1].select_one(".playbook-item-owner").get_text() == (
        "Responsable\u00a0: Ressources humaines"
    )
    # no sphinx-needs box: the need is data, the checklist entry is its rendering
    assert page.select("table.need") == [] and page.select(".needs_meta") == []


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_html_back_links_and_need_role(app: SphinxTestApp) -> None:
    app.build()
    work = soup(app, "work.html")
    back = work.select_one("#TRA-01 .playbook-item-links-back a")
    assert back["href"] == "index.html#REC-01"
    role = soup(app, "index.html").select_one("a[href='work.html#TRA-01'] .xref.need")
    assert role is not None and "TRA-01" in role.get_text()
    # the needtable lists every item, hidden needs included
    table_ids = {cell.get_text(strip=True) for cell in work.select("table td:first-child")}
    assert {"REC-01", "REC-02", "TRA-01"} <= table_ids


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True)
def test_latex_items_have_checkbox_anchor_and_text(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    for item_id, question in (("REC-01", "entreprise ?"), ("REC-02", "candidatures ?"),
                              ("TRA-01", "politique ?")):
        start = tex.index(rf"\label{{\detokenize{{{'index' if item_id[0] == 'R' else 'work'}:"
                          rf"{item_id}}}}}")
        entry = tex[start:start + 600]
        assert r"\playbookbox{}" in entry, "the checkbox must be visible on paper"
        assert question in entry
    # items are paragraphs in an environment, never one-cell tables that cannot break
    # across pages; each ends with the space to write the answer
    item = tex.split(r"\label{\detokenize{index:REC-01}}")[1].split(r"\end{playbookitem}")[0]
    assert "tabulary" not in item and "longtable" not in item
    assert item.rstrip().endswith(r"\playbookanswer")
    assert "<input" not in tex
    assert (app.outdir / "playbook.sty").is_file()

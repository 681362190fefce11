"""The knowledge base itself: sourced figures, deep enough checklists, a glossary
that is used, every page reachable. Reads the Markdown and the real build."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import REPO
from .content_rules import unsourced_figures
from .test_site import SOURCE_QUESTIONS

CONTENT = sorted([*REPO.glob("docs/*.md"), *REPO.glob("checklists/*.md")])
MIN_QUESTIONS = 6
MIN_GUIDANCE = 150  # characters: why it matters and what a good answer looks like


def test_every_figure_is_sourced() -> None:
    problems = [
        f"{path.relative_to(REPO)}:{line}: {text!r} is a figure: write it "
        f"{{fact}}`{text} <source-key>`"
        for path in CONTENT
        for line, text in unsourced_figures(path)
    ]
    assert problems == [], "\n".join(problems)


def test_figure_rule_catches_an_unmarked_figure(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Environ 40 % des salariés.\n"
        "Un {fact}`chiffre de 25 % <source>` sourcé, REC-01 et l'article L1221-6.\n"
        "En 2018, Klout a fermé.\n",
        encoding="utf-8",
    )
    assert unsourced_figures(page) == [(1, "40 %"), (3, "2018")]


def test_every_phase_goes_beyond_the_source(needs: dict[str, dict[str, object]]) -> None:
    per_phase = Counter(str(need["phase"]) for need in needs.values())
    for phase in SOURCE_QUESTIONS:
        assert per_phase[phase] >= MIN_QUESTIONS, (phase, per_phase[phase])


def test_every_question_has_guidance(needs: dict[str, dict[str, object]]) -> None:
    thin = [item_id for item_id, need in needs.items()
            if len(str(need["content"]).strip()) < MIN_GUIDANCE]
    assert thin == []


def test_phases_link_to_each_other(needs: dict[str, dict[str, object]]) -> None:
    crossing: dict[str, int] = defaultdict(int)
    for need in needs.values():
        for target in need["links"]:  # type: ignore[attr-defined]
            if needs[target]["phase"] != need["phase"]:
                crossing[str(need["phase"])] += 1
    for phase in SOURCE_QUESTIONS:
        assert crossing[phase] >= 2, f"phase {phase} links to no other phase's questions"


def test_glossary_terms_are_used(site: Path) -> None:
    glossary = BeautifulSoup((site / "docs" / "glossaire.html").read_text(encoding="utf-8"),
                             "html.parser")
    terms = {str(term["id"]) for term in glossary.select("dl.glossary dt[id]")}
    assert len(terms) >= 10
    used: set[str] = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        used.update(re.findall(r'href="[^"]*glossaire\.html#(term-[^"]+)"', html))
    assert terms - used == set(), "glossary terms no page links to"


@pytest.mark.parametrize("page", ["docs/a-propos", "docs/glossaire", "docs/sources"])
def test_reference_pages_exist(site: Path, page: str) -> None:
    assert (site / f"{page}.html").is_file()


def test_about_page_says_it_is_not_legal_advice(site: Path) -> None:
    text = (site / "docs" / "a-propos.html").read_text(encoding="utf-8")
    assert "conseil juridique" in text
    assert "CC BY-SA 4.0" in text


def test_sources_page_lists_the_figures(site: Path) -> None:
    html = BeautifulSoup((site / "docs" / "sources.html").read_text(encoding="utf-8"),
                         "html.parser")
    rows = html.select("table.playbook-facts tbody tr")
    assert len(rows) >= 10
    assert any("(ancien)" in row.get_text() for row in rows), "aged figures are shown as such"


def test_every_page_is_in_the_navigation(site: Path) -> None:
    home = BeautifulSoup((site / "docs" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    navigation = {str(a["href"]).split("#")[0] for a in home.select(".sidebar-tree a")}
    for path in CONTENT:
        name = path.relative_to(REPO).with_suffix(".html")
        if name == Path("docs/index.html"):
            continue
        relative = Path("..") / name if name.parts[0] != "docs" else Path(name.name)
        assert str(relative) in navigation or str(name) in navigation, name


def test_french_typography_in_the_html(site: Path) -> None:
    html = (site / "checklists" / "recrutement.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").select_one("article").get_text()
    assert "\u202f?" in text and "\u00a0:" in text
    for mark in "?;!:":
        assert f" {mark}" not in text, f"an ordinary space before {mark!r}"
    assert "'" not in text.replace("\n", ""), "a straight apostrophe in French text"

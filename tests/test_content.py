"""The knowledge base itself: sourced figures, deep enough checklists, a glossary
that is used, every page reachable. Reads the Markdown and the real build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import REPO
from .content_rules import unsourced_figures
from .test_site import SOURCE_QUESTIONS

CONTENT = sorted([*REPO.glob("docs/*.md"), *REPO.glob("checklists/*.md")])
#: Questions each phase asks at least: the source's few, and what HR directors, DPOs
#: and works councils ask first (issue 11).
MIN_QUESTIONS = 11
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
    short = {phase: per_phase[phase] for phase in SOURCE_QUESTIONS
             if per_phase[phase] < MIN_QUESTIONS}
    assert short == {}, f"phases with fewer than {MIN_QUESTIONS} questions"


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


#: What a page that states law cites: an article of a code, a regulation, a judgment.
STATES_LAW = re.compile(
    r"\bart\.\s?[LRD]\.?\s?\d|\bCode (?:du travail|civil|pénal|de commerce)\b|\bRGPD\b|"
    r"\bCass\.\s|règlement \(UE\)|\bloi n°")
FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.DOTALL)


def reviewed(path: Path) -> bool:
    front = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    return front is not None and all(
        re.search(rf"^{key}:\s*\S", front["body"], re.MULTILINE)
        for key in ("legal_review", "legal_reviewer"))


#: Pages that cite law without stating it, and why.
CITES_WITHOUT_STATING = {
    REPO / "docs" / "contribuer.md": "shows contributors how to write a citation",
}


def test_every_page_that_states_law_records_its_legal_review() -> None:
    missing = [str(path.relative_to(REPO)) for path in CONTENT
               if STATES_LAW.search(FRONT_MATTER.sub("", path.read_text(encoding="utf-8")))
               and path not in CITES_WITHOUT_STATING and not reviewed(path)]
    assert missing == [], "pages stating law without legal_review and legal_reviewer"


def test_sources_page_lists_every_review(site: Path) -> None:
    html = BeautifulSoup((site / "docs" / "sources.html").read_text(encoding="utf-8"),
                         "html.parser")
    listed = html.select("table.playbook-reviews tbody tr")
    assert len(listed) == len([path for path in CONTENT if reviewed(path)]) > 0


#: A fact whose text is only a date is an event, not a figure: a figure ages, a date
#: does not (« Klout a fermé le 25 mai 2018 » is an {event}).
DATE_ONLY = re.compile(r"^(?:le |en |depuis |au )?(?:1er|\d{1,2})?\s?(?:janvier|février|mars|"
                       r"avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)?"
                       r"\s?\d{4}$")


def test_facts_have_the_right_kind(site: Path) -> None:
    """Dates are events, not figures; events and rules never show as aged."""
    dated_figures = [
        f"{path.relative_to(REPO)}: {{fact}}`{text}`"
        for path in CONTENT
        for text in re.findall(r"\{fact\}`([^`<]+?)\s*<", path.read_text(encoding="utf-8"))
        if DATE_ONLY.match(" ".join(text.split()))
    ]
    assert dated_figures == [], "write dates with {event}"
    html = BeautifulSoup((site / "docs" / "sources.html").read_text(encoding="utf-8"),
                         "html.parser")
    kinds: Counter[str] = Counter()
    for row in html.select("table.playbook-facts tbody tr"):
        cells = [" ".join(cell.get_text().split()) for cell in row.find_all("td")]
        kinds[cells[1]] += 1
        if cells[1] != "chiffre":
            assert "ancien" not in cells[-1], cells
    assert {"chiffre", "événement", "règle"} <= set(kinds), kinds


#: Runs of six words the knowledge base shares with the source on purpose: attributed
#: quotations (the article's own title, on the sources page).
ATTRIBUTED = {("docs/sources.md", "pourquoi les marketeurs doivent impliquer les rh")}
SHARED_RUN = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): \d+ words as in the source: "
                        r"«(?P<text>.*)»$")


def test_content_is_original_at_six_words() -> None:
    """Close paraphrases too (issue 11): no run of six words shared with the source,
    attributed quotations excepted."""
    tool = REPO.parent / "shared" / "tools" / "originality.py"
    if not tool.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: CI lays shared/ beside the clone")
        pytest.skip("shared/ is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), "--words", "6"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    runs = [match for match in map(SHARED_RUN.match, result.stdout.splitlines()) if match]
    assert runs or result.returncode == 0, result.stdout + result.stderr
    copied = [run.group(0) for run in runs
              if (run["path"], run["text"].strip()) not in ATTRIBUTED]
    assert copied == [], "\n".join(copied)

"""The real knowledge base, built end to end as `make html` and `make needs` build it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import IN_CI, REPO, plain, sphinx_build, warnings_of

#: Conversation starters of the source article, per phase: the floor of the content.
SOURCE_QUESTIONS = {
    "executives": 6,
    "pre-employment": 3,
    "recruitment": 5,
    "at-work": 4,
    "enterprise-networks": 2,
}
CHECKLIST_PAGES = {
    "executives": "checklists/direction",
    "pre-employment": "checklists/pre-embauche",
    "recruitment": "checklists/recrutement",
    "at-work": "checklists/au-travail",
    "enterprise-networks": "checklists/reseaux-entreprise",
}
#: The owner roles in the order of playbook_owners, as the dashboard counts them.
OWNER_ORDER = ("marketing", "hr", "legal", "dpo", "executives", "managers", "it")
PHASE_PAGES = {
    "executives": "docs/pourquoi-les-rh",
    "pre-employment": "docs/pre-embauche",
    "recruitment": "docs/recrutement",
    "at-work": "docs/au-travail",
    "enterprise-networks": "docs/reseaux-entreprise",
}
def test_site_builds_strictly(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "docs" / "index.html").is_file()


def test_every_phase_has_its_conversation_starters(needs: dict[str, dict[str, object]]) -> None:
    per_phase = Counter(str(need["phase"]) for need in needs.values())
    for phase, floor in SOURCE_QUESTIONS.items():
        assert per_phase[phase] >= floor, f"phase {phase}: {per_phase[phase]} questions"
    assert set(per_phase) == set(SOURCE_QUESTIONS), "a phase outside the vocabulary"


def test_every_item_is_complete_in_needs_json(needs: dict[str, dict[str, object]]) -> None:
    for item_id, need in needs.items():
        assert need["id"] == item_id
        assert need["type"] == "question"
        assert str(need["title"]).strip()
        assert need["owner"], f"{item_id} has no owner"
        phase = str(need["phase"])
        assert need["docname"] == CHECKLIST_PAGES[phase], f"{item_id} lives on its phase page"
        assert isinstance(need["lineno"], int) and need["lineno"] > 0


def test_each_phase_page_links_its_checklist(site: Path) -> None:
    for phase, page in PHASE_PAGES.items():
        html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"),
                             "html.parser")
        target = Path(CHECKLIST_PAGES[phase]).name + ".html"
        hrefs = [str(a.get("href", "")) for a in html.select("article a")]
        assert any(href.split("#")[0].endswith(target) for href in hrefs), page


def test_dashboard_lists_every_question_and_counts(site: Path,
                                                   needs: dict[str, dict[str, object]]) -> None:
    page = site / "checklists" / "tableau-de-bord.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    # One table a phase, in the order of the vocabulary, each listing its questions
    # linked to their items.
    tables = html.select("table.playbook-questions")
    assert len(tables) == len(CHECKLIST_PAGES)
    for table, (phase, docname) in zip(tables, CHECKLIST_PAGES.items(), strict=True):
        listed = [cell.get_text(strip=True) for cell in table.select("td:first-child")]
        assert sorted(listed) == sorted(item_id for item_id, need in needs.items()
                                        if need["phase"] == phase), phase
        for link in table.select("td:first-child a"):
            assert link["href"] == f"{Path(docname).name}.html#{link.get_text()}"
    # The counts, drawn as SVG in the page: one wedge per phase, then per owner role,
    # in the order of the vocabularies, each with its count.
    pies = [str(desc.get_text()) for desc in html.select("svg.playbook-pie desc")]
    assert len(pies) == 2, "counts by phase and by owner"
    by_phase, by_owner = ([int(wedge.split("\u00a0: ")[1].split(" ")[0])
                           for wedge in pie.split("; ")] for pie in pies)
    phases = Counter(str(need["phase"]) for need in needs.values())
    assert by_phase == [phases[phase] for phase in CHECKLIST_PAGES]
    owners = Counter(str(owner) for need in needs.values()
                     for owner in need["owner"])  # type: ignore[attr-defined]
    assert by_owner == [owners[owner] for owner in OWNER_ORDER]
    # sphinx-needs draws nothing there: no matplotlib picture, no needtable markup
    assert html.select("img[src*='need_pie'], table.NEEDS_TABLE") == []


def test_checklist_pages_render_items_not_need_boxes(site: Path,
                                                     needs: dict[str, dict[str, object]]) -> None:
    for need in needs.values():
        html = BeautifulSoup((site / f"{need['docname']}.html").read_text(encoding="utf-8"),
                             "html.parser")
        item = html.select_one(f"div.playbook-item#{need['id']}")
        assert item is not None and item.select_one("input[type=checkbox]") is not None
        assert html.select("table.need") == []


def test_no_page_requests_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"),
                               ("iframe", "src")):
            for element in html.find_all(tag):
                value = str(element.get(attribute, ""))
                if tag == "link" and "stylesheet" not in (element.get("rel") or []):
                    continue
                assert not value.startswith(("http:", "https:", "//")), (page, value)


def test_content_is_original() -> None:
    tool = REPO.parent / "shared" / "tools" / "originality.py"
    if not tool.is_file():
        if IN_CI:
            pytest.fail(f"{tool} is missing: CI lays shared/ beside the clone")
        pytest.skip("shared/ is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool)], cwd=REPO, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def rebuild(source: Path, outdir: Path) -> str:
    """An incremental HTML build of ``source`` into ``outdir``, as ``make html`` runs it;
    its log."""
    result = sphinx_build("html", outdir, source)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    return result.stdout


def touch_later(page: Path, seconds: int) -> None:
    """Give ``page`` a modification time Sphinx cannot take for its last reading."""
    later = time.time() + seconds
    os.utime(page, (later, later))


def test_real_site_incremental_rebuild(site_source: Path, site: Path) -> None:
    """Edit one question of the real content: only its page is re-read, the dashboard
    shows the new wording, and nothing says ``config changed``.

    The session's own build is edited (its sources are a copy), then put back and rebuilt,
    so the site is built once per session; the pages other tests read are as before."""
    page = site_source / "checklists" / "recrutement.md"
    text = page.read_text(encoding="utf-8")
    first_question = text.split("- [ ] REC-01 ", 1)[1].split("\n", 1)[0]
    dashboard = site / "checklists" / "tableau-de-bord.html"
    try:
        page.write_text(text.replace(first_question, "Question reformulée pour le test ?"),
                        encoding="utf-8")
        touch_later(page, 5)
        log = rebuild(site_source, site)
        assert "config changed" not in log
        assert "1 changed" in log and "0 added" in log
        assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log) == [
            "checklists/recrutement"
        ]
        shown = plain(dashboard.read_text(encoding="utf-8"))
        assert "Question reformulée pour le test ?" in shown
        assert first_question.split(" ?")[0][:30] not in shown
    finally:
        page.write_text(text, encoding="utf-8")
        touch_later(page, 10)
        rebuild(site_source, site)
    assert "Question reformulée" not in plain(dashboard.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("page", "pdf"), [
    ("docs/index", "pdf/playbook-rh-reseaux-sociaux.pdf"),
    ("docs/pourquoi-les-rh", "pdf/playbook-direction.pdf"),
    ("checklists/direction", "pdf/playbook-direction.pdf"),
    ("docs/recrutement", "pdf/playbook-recrutement.pdf"),
    ("checklists/recrutement", "pdf/playbook-recrutement.pdf"),
    ("checklists/reseaux-entreprise", "pdf/playbook-reseaux-entreprise.pdf"),
])
def test_pages_link_their_printable_playbook(site: Path, page: str, pdf: str) -> None:
    html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    link = html.select_one("p.playbook-download a")
    assert link is not None
    assert (site / page).parent.joinpath(str(link["href"])).resolve() == (site / pdf).resolve()


@pytest.mark.parametrize("role", OWNER_ORDER)
def test_every_role_has_its_page_of_questions_and_its_pdf(
        site: Path, needs: dict[str, dict[str, object]], role: str) -> None:
    """Every owner role of conf.py: a page listing exactly its questions (the build also
    warns, checklist.role_page, about a role without one) that links its own PDF."""
    page = f"docs/roles/{role}"
    html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    listed = [item["data-item"] for item in html.select(".playbook-checklist .playbook-item")]
    owned = [item_id for item_id, need in needs.items() if role in need["owner"]]  # type: ignore[operator]
    assert sorted(listed) == sorted(owned) and len(listed) == len(set(listed))
    # each item's condition in words, as on its phase's page
    for item_id in owned:
        condition = html.select_one(f'.playbook-item[data-item="{item_id}"] '
                                    ".playbook-item-applies")
        assert (condition is not None) == bool(needs[item_id]["applies"]), item_id
    link = html.select_one("p.playbook-download a")
    assert link is not None
    assert (site / page).parent.joinpath(str(link["href"])).resolve() == \
        (site / "pdf" / f"playbook-role-{role}.pdf").resolve()

"""Legal review dates: read from each page's front matter, shown under the page's title
(HTML and LaTeX), listed on the sources page, and checked by ``playbook-rh review``, which
fails when one is due while the strict build never does."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from playbook_rh.core.french_dates import french_date, french_day
from playbook_rh.core.reviews import (
    Review,
    ReviewError,
    front_matter_lines,
    key_lines,
    review_from_metadata,
    review_line,
)
from sphinx.testing.util import SphinxTestApp

from .cli_support import run_main
from .conftest import ROOTS, WARNING_LINE, plain, soup, warnings_of

TODAY = datetime.date(2026, 12, 1)


def test_french_dates_say_1er() -> None:
    assert french_day(datetime.date(2026, 12, 1)) == "1er décembre 2026"
    assert french_date("2026-12-02") == "2 décembre 2026"
    assert french_date("2024-03") == "mars 2024"
    assert french_date("2015") == "2015"
    assert french_date("2026-02-30") == "2026-02-30"  # not a day: shown as written


@pytest.mark.parametrize(("metadata", "problem"), [
    ({"legal_review": "2026-13-01", "legal_reviewer": "X"}, "YYYY-MM-DD"),
    ({"legal_review": "2026-1-1", "legal_reviewer": "X"}, "YYYY-MM-DD"),
    ({"legal_review": "2026", "legal_reviewer": "X"}, "YYYY-MM-DD"),
    ({"legal_review": "2026-12-02", "legal_reviewer": "X"}, "in the future"),
    ({"legal_review": "2026-11-01"}, "legal_reviewer"),
    ({"legal_review": "2026-11-01", "legal_reviewer": "  "}, "legal_reviewer"),
    ({"legal_reviewer": "X"}, "without 'legal_review'"),
])
def test_malformed_reviews_are_refused(metadata: dict[str, object], problem: str) -> None:
    with pytest.raises(ReviewError, match=re.escape(problem)):
        review_from_metadata("page", metadata, TODAY)


def test_a_review_problem_points_at_its_own_key() -> None:
    """The date's key, not the reviewer's that happens to start with the same word."""
    text = '---\nlegal_reviewer: "X"\n  legal_review: nested\nlegal_review: "hier"\n---\n# T\n'
    where = key_lines(front_matter_lines(text))
    assert where == {"legal_reviewer": 2, "legal_review": 4}
    assert review_line(where) == 4
    assert review_line(key_lines(front_matter_lines('---\nlegal_reviewer: "X"\n---\n'))) == 2
    assert front_matter_lines("# No front matter\n---\n") == []
    assert front_matter_lines("---\nlegal_review: open\n") == []  # never closed


def test_a_review_is_due_after_its_months() -> None:
    review = review_from_metadata(
        "page", {"legal_review": datetime.date(2025, 12, 1), "legal_reviewer": "X"}, TODAY)
    assert review == Review("page", datetime.date(2025, 12, 1), "X")
    assert review.due_on(12) == TODAY
    assert review.is_due(12, TODAY)
    assert not review.is_due(12, TODAY - datetime.timedelta(days=1))
    assert review_from_metadata("page", {"title": "x"}, TODAY) is None
    # month arithmetic, not 30-day months: 31 August + 6 months is the end of February
    assert Review("p", datetime.date(2026, 8, 31), "X").due_on(6) == datetime.date(2027, 2, 28)


@pytest.mark.sphinx("html", testroot="reviews", freshenv=True)
def test_review_shows_under_the_title_and_on_the_sources_page(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "index.html")
    line = page.select_one("section > h1 ~ p.playbook-legal-review")
    assert line is not None
    assert [sup.get_text() for sup in line.select("sup")] == ["er", "er"]
    assert plain(line.get_text()) == (
        "Relecture juridique du 1er mars 2026, par Maître Dupont ; prochaine relecture "
        "au plus tard le 1er mars 2027.")
    assert soup(app, "sans-relecture.html").select_one(".playbook-legal-review") is None
    rows = [[" ".join(plain(cell.get_text()).split()) for cell in row.find_all("td")]
            for row in soup(app, "sources.html").select("table.playbook-reviews tbody tr")]
    assert rows == [
        ["Une page ancienne", "30 novembre 2025", "Équipe éditoriale", "30 novembre 2026",
         "à revoir"],
        ["Accueil", "1er mars 2026", "Maître Dupont", "1er mars 2027", "à jour"],
    ]


@pytest.mark.sphinx("latex", testroot="reviews", freshenv=True)
def test_review_prints_in_the_pdf(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    # the first of the month as French typography prints it: 1 with a superscript "er"
    assert "Relecture juridique du" in tex
    assert "{1$^{\\text{er}}$ mars 2026}" in tex


@pytest.mark.sphinx("html", testroot="review-errors", freshenv=True)
def test_review_problems_are_located_warnings(app: SphinxTestApp) -> None:
    app.build()
    found = set()
    for line in warnings_of(app.warning.getvalue()):
        match = WARNING_LINE.match(line)
        assert match, line
        assert match["message"].endswith("[fact.review]"), line
        found.add((Path(match["path"]).name, int(match["line"])))
    assert found == {("future.md", 2), ("malformed.md", 2), ("unsigned.md", 2),
                     ("orphan-reviewer.md", 2)}


def test_review_command_lists_pages_and_fails_when_one_is_due(
        capsys: pytest.CaptureFixture[str]) -> None:
    root = ROOTS / "test-reviews"
    due = run_main(capsys, "review", "--source", root, "--today", "2026-12-01")
    assert due.code == 1, due
    assert re.search(r"ancienne\.md\s+reviewed 2025-11-30\s+next by 2026-11-30\s+DUE", due.out)
    assert re.search(r"index\.md\s+reviewed 2026-03-01\s+next by 2027-03-01\s+ok", due.out)
    assert "sans-relecture" not in due.out
    assert "1 review(s) due" in due.out
    fine = run_main(capsys, "review", "--source", root, "--today", "2026-11-29")
    assert fine.code == 0, fine
    assert "No review is due." in fine.out
    longer = run_main(capsys, "review", "--source", root, "--today", "2026-12-01",
                      "--months", "24")
    assert longer.code == 0, longer


def test_review_period_comes_from_conf_py(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-reviews", project)
    conf = project / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace(
        "playbook_review_months = 12", "playbook_review_months = 6"), encoding="utf-8")
    outcome = run_main(capsys, "review", "--source", project, "--today", "2026-09-02")
    assert outcome.code == 1, outcome
    assert "holds 6 months" in outcome.out
    assert re.search(r"index\.md\s+reviewed 2026-03-01\s+next by 2026-09-01\s+DUE",
                     outcome.out)
    conf.write_text("playbook_review_months = 'a year'\n", encoding="utf-8")
    bad = run_main(capsys, "review", "--source", project)
    assert bad.code == 2
    assert "playbook_review_months must be a whole number" in bad.err
    conf.write_text("x = 1 / 0\n", encoding="utf-8")
    broken = run_main(capsys, "review", "--source", project)
    assert broken.code == 2
    assert "ZeroDivisionError" in broken.err and "Traceback" not in broken.err


def test_review_command_names_malformed_front_matter(
        capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run_main(capsys, "review", "--source", ROOTS / "test-review-errors",
                       "--today", "2026-12-01")
    assert outcome.code == 2
    lines = sorted(outcome.err.splitlines())
    assert [line.split(": ", 1)[0].rsplit("/", 1)[1] for line in lines] == [
        "future.md:2", "malformed.md:2", "orphan-reviewer.md:2", "unsigned.md:2"]


def test_review_command_needs_a_project(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    outcome = run_main(capsys, "review", "--source", tmp_path)
    assert outcome.code == 2
    assert "no conf.py here" in outcome.err

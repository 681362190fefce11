"""The report build: an organisation's answers rendered into the site (RUN=...)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from .cli_support import HOSTILE_NAME, HOSTILE_NAME_SHOWN, raw_controls
from .conftest import WARNING_LINE, plain, soup, warnings_of
from .test_incremental import READ, touch_later

MakeApp = Callable[..., SphinxTestApp]

RUN = """\
format: playbook-run/1
organisation: "Société <b>Test</b>"
items:
  REC-01:
    status: done
    owner: "Claire"
    evidence: "https://intranet.example/politique.pdf"
    answer: "<script>alert('x')</script> & co"
  REC-02:
    status: in-progress
    due: 2026-01-10
  TRA-01:
    status: todo
"""


def build(make_app: MakeApp, srcdir: Path, run: Path | None, **kwargs: Any) -> SphinxTestApp:
    overrides = {"playbook_today": "2026-11-26"}
    if run is not None:
        overrides["playbook_run"] = str(run)
    app = make_app("html", srcdir=srcdir, confoverrides=overrides, **kwargs)
    app.build()
    return app


@pytest.fixture
def srcdir(app: SphinxTestApp) -> Path:
    app.cleanup()  # one live application at a time; the tests build their own
    return Path(app.srcdir)


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-items")
def test_items_show_the_answers_escaped(make_app: MakeApp, srcdir: Path,
                                        tmp_path: Path) -> None:
    run = tmp_path / "run.yaml"
    run.write_text(RUN, encoding="utf-8")
    app = build(make_app, srcdir, run)
    assert warnings_of(app.warning.getvalue()) == []
    html = (app.outdir / "recrutement.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    item = soup(app, "recrutement.html").select_one("#REC-01")
    assert "playbook-status-done" in item["class"]
    assert item.select_one("input.playbook-checkbox").has_attr("checked")
    block = plain(item.select_one(".playbook-item-run").get_text(" ", strip=True))
    assert "Statut : Fait" in block and "Suivi par : Claire" in block
    assert item.select_one(".playbook-run-evidence a")["href"] == (
        "https://intranet.example/politique.pdf"
    )
    late = soup(app, "recrutement.html").select_one("#REC-02 .playbook-overdue")
    assert late is not None and plain(late.get_text()) == "10 janvier 2026 (en retard)"
    assert not soup(app, "travail.html").select_one("#TRA-01 input").has_attr("checked")


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-dashboard")
def test_dashboard_reports_progress(make_app: MakeApp, srcdir: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.yaml"
    run.write_text(RUN, encoding="utf-8")
    app = build(make_app, srcdir, run)
    report = soup(app, "suivi.html").select_one(".playbook-report")
    text = plain(report.get_text(" ", strip=True))
    assert "Suivi : Société <b>Test</b>" in text  # the organisation's name, as text
    assert "1 questions traitées sur 4 (25 %)" in text
    bars = report.select(".playbook-bar")
    assert bars and bars[0]["aria-label"] == "25 %"
    assert "En retard (1)" in text and "À traiter (2)" in text
    overdue_link = report.select("ul")[0].select_one("a")
    assert overdue_link["href"] == "recrutement.html#REC-02"


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-blank")
def test_without_a_run_the_site_is_the_blank_playbook(make_app: MakeApp, srcdir: Path) -> None:
    app = build(make_app, srcdir, None)
    assert soup(app, "suivi.html").select(".playbook-report") == []
    assert soup(app, "recrutement.html").select(".playbook-item-run") == []


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-changed")
def test_changed_run_rewrites_pages_without_rereading(make_app: MakeApp, srcdir: Path,
                                                      tmp_path: Path) -> None:
    run = tmp_path / "run.yaml"
    run.write_text(RUN, encoding="utf-8")
    first = build(make_app, srcdir, run)
    first.cleanup()
    touch_later(run, RUN.replace("status: todo", "status: done"))
    again = build(make_app, srcdir, run)
    log = re.sub(r"\x1b\[[0-9;]*m", "", again.status.getvalue())
    assert READ.findall(log) == [] and "config changed" not in log
    assert soup(again, "travail.html").select_one("#TRA-01 input").has_attr("checked")
    assert "2 questions traitées sur 4" in plain(soup(again, "suivi.html").get_text())


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-errors")
def test_run_problems_are_located_warnings(make_app: MakeApp, srcdir: Path,
                                           tmp_path: Path) -> None:
    run = tmp_path / "run.yaml"
    run.write_text("items:\n  REC-01:\n    status: fini\n", encoding="utf-8")
    app = build(make_app, srcdir, run)
    (warning,) = warnings_of(app.warning.getvalue())
    match = WARNING_LINE.match(warning)
    assert match and match["path"] == str(run) and match["line"] == "3"
    assert "status 'fini' is not one of" in warning and warning.endswith("[checklist.run]")
    assert "Traceback" not in app.warning.getvalue()

    app.cleanup()
    run.write_text("items:\n  REC-01:\n    status: done\n  ZZZ-01:\n    status: done\n",
                   encoding="utf-8")
    app = build(make_app, srcdir, run, freshenv=True)
    (warning,) = warnings_of(app.warning.getvalue())
    assert f"{run}:4: WARNING: ZZZ-01 is not a question of the playbook" in warning


@pytest.mark.sphinx("latex", testroot="incremental", freshenv=True, srcdir="report-latex")
def test_latex_report_ticks_complete_items(make_app: MakeApp, srcdir: Path,
                                           tmp_path: Path) -> None:
    run = tmp_path / "run.yaml"
    run.write_text(RUN, encoding="utf-8")
    app = make_app("latex", srcdir=srcdir,
                   confoverrides={"playbook_run": str(run), "playbook_today": "2026-11-26"})
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    def item(item_id: str) -> str:
        label = rf"\label{{\detokenize{{recrutement:{item_id}}}}}"
        return tex.split(label)[1].split(r"\end{playbookitem}")[0]

    first = item("REC-01")
    assert r"\playbookboxchecked{}" in first and r"\playbookanswer" not in first
    second = item("REC-02")
    assert r"\playbookbox{}" in second and r"\playbookanswer" in second
    assert r"\textless{}script\textgreater{}" in tex
    assert r"\playbookbar{" in tex


@pytest.mark.sphinx("html", testroot="incremental", freshenv=True, srcdir="report-names")
def test_run_warnings_show_a_hostile_file_name_escaped(make_app: MakeApp, srcdir: Path,
                                                      tmp_path: Path) -> None:
    run = tmp_path / HOSTILE_NAME
    run.write_text("items:\n  REC-01:\n    status: fini\n", encoding="utf-8")
    app = build(make_app, srcdir, run)
    log = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    assert raw_controls(log) == [], log
    (warning,) = warnings_of(log)
    assert warning.startswith(f"{tmp_path}/{HOSTILE_NAME_SHOWN}:3: WARNING: item REC-01: "
                              "status 'fini'"), warning

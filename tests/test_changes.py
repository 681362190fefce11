"""« Nouveautés »: what changed in the questions since the previous frozen release.

The root ``test-changes`` is a small playbook at 0.2 whose ``releases/0.1/needs.json``
was written by the ``needs`` builder from the same project at 0.1. Between the two:
REC-02's question and REC-03's guidance were reworded, REC-04 moved to another page,
REC-05 became TRA-03 (``:replaces:``, another phase), TRA-02 was removed, REC-07 and
TRA-04 were added; REC-06's guidance was only re-wrapped, which is no rewording.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playbook_rh.cli.release import ReleaseError, freeze, main, read_project
from playbook_rh.core.questions import Questions, load_questions
from playbook_rh.sphinxext.whatchanged import compare
from sphinx.testing.util import SphinxTestApp

from .cli_support import HOSTILE_NAME, HOSTILE_NAME_SHOWN, fifo_released, raw_controls
from .conftest import ROOTS, WARNING_LINE, plain, soup, warnings_of

MakeApp = Callable[..., SphinxTestApp]
ROOT = ROOTS / "test-changes"
EXPECTED = {
    "REC-02": {"reworded"},
    "REC-03": {"reworded"},
    "REC-04": {"moved"},
    "REC-07": {"added"},
    "TRA-02": {"removed"},
    "TRA-03": {"renamed", "moved"},
    "TRA-04": {"added"},
}


def page(app: SphinxTestApp) -> BeautifulSoup:
    return soup(app, "nouveautes.html")


def rows(app: SphinxTestApp) -> dict[str, tuple[set[str], list[str]]]:
    """ID -> (change kinds, the row's cells)."""
    found = {}
    for row in page(app).select("table.playbook-changes tbody tr"):
        cells = [plain(cell.get_text(" ", strip=True)) for cell in row.find_all("td")]
        classes = [str(name) for name in row.get_attribute_list("class")]
        kinds = {name.removeprefix("playbook-change-")
                 for name in classes if name.startswith("playbook-change-")}
        assert cells[0] not in found, f"{cells[0]} listed twice"
        found[cells[0]] = (kinds, cells)
    return found


def state_line(app: SphinxTestApp) -> str:
    paragraph = page(app).select_one("p.playbook-changes")
    assert paragraph is not None
    return plain(paragraph.get_text())


def touch_later(path: Path, text: str) -> None:
    """Write ``text`` with a modification time Sphinx cannot mistake for the last build's."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.mark.sphinx("html", testroot="changes", freshenv=True)
def test_table_lists_exactly_what_changed(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    found = rows(app)
    assert {item_id: kinds for item_id, (kinds, _) in found.items()} == EXPECTED
    assert state_line(app) == (
        "Depuis la version 0.1 : 2 questions ajoutées, 1 question renumérotée, "
        "2 questions reformulées, 2 questions déplacées, 1 question supprimée.")
    assert found["REC-02"][1][3] == "question reformulée ; avant : « Qui répond aux candidats ? »"
    assert found["REC-03"][1][3] == "conseils modifiés"
    assert found["REC-04"][1][3] == "page : Recrutement → Sourcing"
    assert found["TRA-03"][1][3] == ("remplace REC-05 ; phase : Recrutement → Au travail ; "
                                     "page : Recrutement → Au travail")
    assert found["TRA-02"][1][1] == "Formons-nous les salariés aux réseaux sociaux ?"


@pytest.mark.sphinx("html", testroot="changes", freshenv=True)
def test_current_questions_link_to_their_item(app: SphinxTestApp) -> None:
    app.build()
    links = {link.get_text(): str(link["href"])
             for link in page(app).select("table.playbook-changes tbody a")}
    assert links["REC-04"] == "sourcing.html#REC-04"
    assert links["TRA-03"] == "travail.html#TRA-03"
    assert "TRA-02" not in links, "a removed question has no page to link to"


@pytest.mark.sphinx("html", testroot="changes", freshenv=True,
                    confoverrides={"release": "0.1.0"})
def test_first_release_says_there_is_nothing_to_compare(app: SphinxTestApp) -> None:
    # releases/0.1 is this release (0.1 == 0.1.0): there is no earlier one
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    assert state_line(app) == "Première version : aucune version précédente."
    assert page(app).select("table.playbook-changes") == []


@pytest.mark.sphinx("html", testroot="changes", freshenv=True,
                    confoverrides={"playbook_releases_dir": "nowhere"})
def test_no_releases_folder_is_a_first_release(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    assert state_line(app) == "Première version : aucune version précédente."


def test_a_frozen_release_compared_with_itself_has_no_change(
        make_app: MakeApp, sphinx_test_tempdir: Path) -> None:
    srcdir = sphinx_test_tempdir / "changes-frozen"
    copy_root(srcdir)
    needs = make_app("needs", srcdir=srcdir, freshenv=True)
    needs.build()
    frozen = freeze(needs.outdir / "needs.json", read_project(srcdir), release="0.1.5")
    needs.cleanup()
    assert frozen == srcdir / "releases" / "0.1.5" / "needs.json"

    html = make_app("html", srcdir=srcdir, freshenv=True)
    html.build()
    assert warnings_of(html.warning.getvalue()) == []
    assert state_line(html) == "Aucune question n'a changé depuis la version 0.1.5."
    html.cleanup()


def copy_root(srcdir: Path) -> None:
    shutil.rmtree(srcdir, ignore_errors=True)
    shutil.copytree(ROOT, srcdir)


@pytest.mark.sphinx("html", testroot="changes", srcdir="changes-broken", freshenv=True)
def test_release_problems_are_located_warnings(app: SphinxTestApp) -> None:
    broken = app.srcdir / "releases" / "0.1.9" / "needs.json"
    broken.parent.mkdir()
    broken.write_text('{\n  "versions": {\n    "0.1": oops\n}\n', encoding="utf-8")
    (app.srcdir / "releases" / "brouillon").mkdir()
    app.build()
    found = release_warnings(app)
    # a misnamed folder at the directive asking for it; a bad file at its error's line
    assert [(path, line) for path, line, _ in found] == [
        (app.srcdir / "nouveautes.md", 3),
        (broken, 3),
    ]
    assert "'brouillon' is not named after a release" in found[0][2]
    assert "release 0.1.9: needs.json cannot be read" in found[1][2]
    assert state_line(app) == ("La version 0.1.9 n'a pas pu être lue : la comparaison est "
                               "indisponible.")


def test_compare_ignores_rewrapping_and_follows_renames_only_of_gone_ids() -> None:
    release = load_questions(ROOT / "releases" / "0.1" / "needs.json")
    assert compare(release, release) == []
    by_id = release.by_id()
    assert "\n" in by_id["REC-06"].guidance
    rewrapped = by_id["REC-06"]._replace(guidance=" ".join(by_id["REC-06"].guidance.split()))
    # REC-09 names REC-02 as replaced, but REC-02 is still there: REC-09 is new
    copy = by_id["REC-02"]._replace(id="REC-09", replaces=("REC-02",))
    items = [rewrapped if q.id == "REC-06" else q for q in release.items]
    current = Questions((*items, copy), release.source)
    changes = compare(release, current)
    assert [(change.id, change.kinds) for change in changes] == [("REC-09", ("added",))]


@pytest.mark.sphinx("latex", testroot="changes", freshenv=True)
def test_table_prints(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert re.search(r"TRA\-04.*Qui possède les comptes", tex, re.DOTALL)


def test_page_follows_an_edited_checklist(make_app: MakeApp, sphinx_test_tempdir: Path) -> None:
    """Incremental build: only the edited page is re-read, the table is still fresh."""
    srcdir = sphinx_test_tempdir / "changes-incremental"
    copy_root(srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "TRA-04" in rows(app)
    app.cleanup()

    work = srcdir / "travail.md"
    text = work.read_text(encoding="utf-8")
    touch_later(work, text[: text.index("- [ ] TRA-04")].rstrip() + "\n```\n")
    again = make_app("html", srcdir=srcdir)
    again.build()
    log = re.sub(r"\x1b\[[0-9;]*m", "", again.status.getvalue())
    assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log) == ["travail"]
    assert warnings_of(again.warning.getvalue()) == []
    assert "TRA-04" not in rows(again)
    again.cleanup()


def make_project(root: Path, version: str = "0.2", release: str = "0.2.0") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(f"version = {version!r}\nrelease = {release!r}\n",
                                  encoding="utf-8")
    needs = root / "_build" / "needs" / "needs.json"
    needs.parent.mkdir(parents=True)
    data = json.loads((ROOT / "releases" / "0.1" / "needs.json").read_text(encoding="utf-8"))
    data["current_version"] = "0.2"
    data["versions"] = {"0.2": data["versions"]["0.1"]}
    needs.write_text(json.dumps(data), encoding="utf-8")
    return needs


def test_freeze_copies_once_and_refuses_to_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs = make_project(tmp_path)
    assert main(["--source", str(tmp_path)]) == 0
    frozen = tmp_path / "releases" / "0.2.0" / "needs.json"
    assert frozen.read_bytes() == needs.read_bytes()
    assert "8 questions frozen" in capsys.readouterr().out

    needs.write_text(needs.read_text(encoding="utf-8").replace("Formons", "Formez"),
                     encoding="utf-8")
    assert main(["--source", str(tmp_path)]) == 2  # exit 1 is for an unmet gate only
    assert "already frozen" in capsys.readouterr().err
    assert "Formons" in frozen.read_text(encoding="utf-8"), "the frozen file is untouched"


def test_freeze_refuses_a_stale_or_missing_needs_json(tmp_path: Path) -> None:
    make_project(tmp_path, version="0.3", release="0.3.0")
    with pytest.raises(ReleaseError, match=r"built for version '0\.2'.*run `make needs` again"):
        freeze(tmp_path / "_build" / "needs" / "needs.json", read_project(tmp_path))
    with pytest.raises(ReleaseError, match="build it first with `make needs`"):
        freeze(tmp_path / "missing.json", read_project(tmp_path))
    assert not (tmp_path / "releases").exists()


# -- reading a release: a regular file of bounded size, named safely in warnings -----------

def release_warnings(app: SphinxTestApp) -> list[tuple[Path, int, str]]:
    found = []
    for line in warnings_of(app.warning.getvalue()):
        match = WARNING_LINE.match(line)
        assert match, line
        assert match["message"].endswith("[checklist.release]"), line
        found.append((Path(match["path"]), int(match["line"]), match["message"]))
    return found


@pytest.mark.sphinx("html", testroot="changes", srcdir="changes-fifo", freshenv=True)
def test_a_release_that_is_a_named_pipe_is_a_located_warning(app: SphinxTestApp) -> None:
    frozen = app.srcdir / "releases" / "0.1.9" / "needs.json"
    frozen.parent.mkdir()
    with fifo_released(frozen):  # read as a file, the build would wait for ever
        app.build()
    found = release_warnings(app)
    assert [(path, line) for path, line, _ in found] == [(frozen, 1)], found
    assert "a named pipe (FIFO), not a file" in found[0][2]
    assert "restore it from version control" in found[0][2]
    assert state_line(app) == ("La version 0.1.9 n'a pas pu être lue : la comparaison est "
                               "indisponible.")
    shutil.rmtree(frozen.parent)


@pytest.mark.sphinx("html", testroot="changes", srcdir="changes-big", freshenv=True)
def test_a_release_larger_than_the_limit_is_a_located_warning(
        app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = app.srcdir / "releases" / "0.1.9" / "needs.json"
    frozen.parent.mkdir()
    shutil.copyfile(app.srcdir / "releases" / "0.1" / "needs.json", frozen)
    limit = frozen.stat().st_size - 1  # the limit counts what is read
    monkeypatch.setattr("playbook_rh.sphinxext.whatchanged.MAX_BYTES", limit)
    app.build()
    found = release_warnings(app)
    assert [(path, line) for path, line, _ in found] == [(frozen, 1)], found
    assert f"larger than {limit:,} bytes" in found[0][2]
    shutil.rmtree(frozen.parent)


@pytest.mark.sphinx("html", testroot="changes", srcdir="changes-names", freshenv=True)
def test_release_warnings_show_a_hostile_folder_name_escaped(app: SphinxTestApp) -> None:
    hostile = app.srcdir / "releases" / HOSTILE_NAME
    hostile.mkdir()
    app.build()
    log = app.warning.getvalue()
    assert raw_controls(re.sub(r"\x1b\[[0-9;]*m", "", log)) == []
    lines = [line for line in log.splitlines() if "suivi" in line]
    assert len(lines) == 1 and HOSTILE_NAME_SHOWN in lines[0], lines
    assert "is not named after a release" in lines[0]
    shutil.rmtree(hostile)


@pytest.mark.sphinx("html", testroot="changes", srcdir="changes-crafted", freshenv=True)
def test_a_release_with_crafted_fields_is_a_warning_not_a_crash(app: SphinxTestApp) -> None:
    frozen = app.srcdir / "releases" / "0.1.9" / "needs.json"
    frozen.parent.mkdir()
    data = json.loads((app.srcdir / "releases" / "0.1" / "needs.json").read_text("utf-8"))
    for need in data["versions"]["0.1"]["needs"].values():
        need["lineno"] = "quarante"  # a number the build always writes
    frozen.write_text(json.dumps(data), encoding="utf-8")
    app.build()
    found = release_warnings(app)
    assert [(path, line) for path, line, _ in found] == [(frozen, 1)], found
    assert "not a needs.json the playbook's build wrote" in found[0][2]
    shutil.rmtree(frozen.parent)


def test_freeze_reads_only_a_regular_file_of_bounded_size(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    needs = make_project(tmp_path)
    with fifo_released(tmp_path / "pipe.json") as pipe:
        assert main(["--source", str(tmp_path), "--needs", str(pipe)]) == 2
    err = capsys.readouterr().err
    assert "pipe.json cannot be read (a named pipe (FIFO), not a file)" in err, err
    monkeypatch.setattr("playbook_rh.cli.release.MAX_BYTES", needs.stat().st_size - 1)
    assert main(["--source", str(tmp_path)]) == 2
    assert "larger than" in capsys.readouterr().err
    assert not (tmp_path / "releases").exists()


def test_freeze_refuses_a_release_name_that_is_a_path_and_a_broken_conf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)
    assert main(["--source", str(tmp_path), "--release", "../../elsewhere"]) == 2
    assert "is not a release number such as 0.2.0" in capsys.readouterr().err
    assert not (tmp_path / "releases").exists() and not (tmp_path.parent / "elsewhere").exists()
    (tmp_path / "conf.py").write_text("version = '0.2'\nrelease = 1 / 0\n", encoding="utf-8")
    assert main(["--source", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "conf.py cannot be run (ZeroDivisionError: division by zero)" in err
    assert "Traceback" not in err


def test_freeze_names_a_hostile_path_escaped(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)
    assert main(["--source", str(tmp_path), "--needs", str(tmp_path / HOSTILE_NAME)]) == 2
    err = capsys.readouterr().err
    assert HOSTILE_NAME_SHOWN in err and raw_controls(err) == [] and err.count("\n") == 1

"""Files and file names the command line is given, trusted in nothing: every file is read
only if it is a regular file, and counted in bytes as read (a FIFO, a device or a huge
file is an error naming it, exit 2, never a hang); every path a message names reaches
the terminal with its control characters escaped (ESC, line breaks, carriage returns,
bidirectional overrides), as the values of a run file are."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from playbook_rh.core.vocabulary_file import VOCABULARY_FILE

from .cli_support import (
    HOSTILE_NAME,
    HOSTILE_NAME_SHOWN,
    fifo_released,
    raw_controls,
    run_main,
    write_run,
)
from .conftest import ROOTS

pytestmark = pytest.mark.usefixtures("no_needs_from_environment")


def needs_beside(basic_needs: Path, folder: Path) -> Path:
    """A copy of needs.json in ``folder``, without its vocabulary."""
    folder.mkdir()
    return Path(shutil.copyfile(basic_needs, folder / "needs.json"))


def named_once(text: str) -> bool:
    """The hostile name shows escaped, on one line, and nothing raw reaches the screen."""
    return (HOSTILE_NAME_SHOWN in text and raw_controls(text) == []
            and not any(line.startswith(("faux", "retour")) for line in text.splitlines()))


# -- the vocabulary beside needs.json ------------------------------------------------------

def test_a_vocabulary_that_is_a_named_pipe_is_an_error(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs = needs_beside(basic_needs, tmp_path / "build")
    run = write_run(tmp_path / "run.yaml", {})
    with fifo_released(needs.parent / VOCABULARY_FILE):
        outcome = run_main(capsys, "status", run, "--needs", needs)
    assert outcome.code == 2, outcome
    assert f"{VOCABULARY_FILE}: not a readable vocabulary (a named pipe (FIFO), not a " \
           "file)" in outcome.err, outcome.err
    assert "make needs" in outcome.err


def test_a_vocabulary_larger_than_the_limit_is_an_error(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    needs = needs_beside(basic_needs, tmp_path / "build")
    vocabulary = shutil.copyfile(basic_needs.parent / VOCABULARY_FILE,
                                 needs.parent / VOCABULARY_FILE)
    run = write_run(tmp_path / "run.yaml", {})
    assert run_main(capsys, "status", run, "--needs", needs).code == 0
    monkeypatch.setattr("playbook_rh.core.vocabulary_file.MAX_BYTES",
                        Path(vocabulary).stat().st_size - 1)
    outcome = run_main(capsys, "status", run, "--needs", needs)
    assert outcome.code == 2, outcome
    assert "larger than" in outcome.err


# -- the pages `review` reads ----------------------------------------------------------------

def test_review_reports_a_page_that_is_a_named_pipe(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-reviews", project)
    with fifo_released(project / "tuyau.md"):
        outcome = run_main(capsys, "review", "--source", project, "--today", "2026-11-29")
    assert outcome.code == 2, outcome
    assert re.search(r"tuyau\.md:\d+: front matter cannot be read: a named pipe \(FIFO\), "
                     "not a file", outcome.err), outcome.err


def test_review_names_a_hostile_page_escaped(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-reviews", project)
    # Sphinx finds no page whose name holds a line break: ESC and the override only
    (project / "revue\x1b[2J\u202egpj.md").write_text(
        "---\nlegal_review: \"hier\"\n---\n# Page\n", encoding="utf-8")
    outcome = run_main(capsys, "review", "--source", project, "--today", "2026-11-29")
    assert outcome.code == 2, outcome
    assert "revue\\x1b[2J\\u202egpj.md:2: legal_review 'hier'" in outcome.err, outcome.err
    assert raw_controls(outcome.out + outcome.err) == []


# -- run files with hostile names ------------------------------------------------------------

def test_problems_of_a_run_file_name_it_escaped(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / HOSTILE_NAME, {"REC-01": {"status": "fini"}})
    outcome = run_main(capsys, "validate", run, "--needs", basic_needs)
    assert outcome.code == 2, outcome
    assert named_once(outcome.err), outcome.err
    assert "status 'fini' is not one of" in outcome.err


def test_a_missing_run_file_is_named_escaped(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run_main(capsys, "status", tmp_path / HOSTILE_NAME, "--needs", basic_needs)
    assert outcome.code == 2, outcome
    assert named_once(outcome.err), outcome.err
    assert "create it with `playbook-rh new" in outcome.err


def test_new_and_validate_name_the_file_escaped(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / HOSTILE_NAME
    created = run_main(capsys, "new", run, "--needs", basic_needs, "--profile", "")
    assert created.code == 0, created
    assert named_once(created.out), created.out
    again = run_main(capsys, "new", run, "--needs", basic_needs)
    assert again.code == 2 and named_once(again.err), again.err
    valid = run_main(capsys, "validate", run, "--needs", basic_needs)
    assert valid.code == 0 and named_once(valid.out), valid.out


def test_an_export_to_a_missing_folder_is_named_escaped(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run.yaml", {})
    target = tmp_path / HOSTILE_NAME / "export.csv"
    outcome = run_main(capsys, "export", run, "--format", "csv", "--output", target,
                       "--needs", basic_needs)
    assert outcome.code == 2, outcome
    assert named_once(outcome.err), outcome.err


def test_a_needs_json_with_a_hostile_name_is_named_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run_main(capsys, "list", "--needs", tmp_path / HOSTILE_NAME)
    assert outcome.code == 2, outcome
    assert named_once(outcome.err), outcome.err


def test_an_unknown_argument_is_shown_escaped(basic_needs: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run_main(capsys, "list", "REC", HOSTILE_NAME, "--needs", basic_needs)
    assert outcome.code == 2, outcome
    assert "unrecognized arguments" in outcome.err and named_once(outcome.err), outcome.err


def test_labels_of_crafted_build_files_are_shown_escaped(
        tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """needs.json and the vocabulary beside it are files a person gives too: their labels
    reach the terminal escaped, as the questions do."""
    folder = tmp_path / "build"
    needs = needs_beside(basic_needs, folder)
    data = json.loads(needs.read_text(encoding="utf-8"))
    for need in data["versions"][data["current_version"]]["needs"].values():
        need["phase_label"] = "Phase\x1b[2J\u202e"
    needs.write_text(json.dumps(data), encoding="utf-8")
    vocabulary = json.loads((basic_needs.parent / VOCABULARY_FILE).read_text("utf-8"))
    vocabulary["playbook_statuses"] = {key: f"{label}\x1b[2J\r"
                                       for key, label in vocabulary["playbook_statuses"].items()}
    vocabulary["playbook_owners"] = {key: f"{label}\u202e\n"
                                     for key, label in vocabulary["playbook_owners"].items()}
    (folder / VOCABULARY_FILE).write_text(json.dumps(vocabulary), encoding="utf-8")
    run = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "in-progress"}})
    for command in (("list",), ("status", run), ("status", run, "--by", "owner"),
                    ("status", run, "--by", "phase")):
        outcome = run_main(capsys, *command, "--needs", needs)
        assert outcome.code == 0, (command, outcome)
        assert raw_controls(outcome.out + outcome.err) == [], (command, outcome.out)
        assert "\\x1b[2J" in outcome.out or "\\u202e" in outcome.out, (command, outcome.out)
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))  # the prompt of `run`, then quit
    outcome = run_main(capsys, "run", run, "REC", "--needs", needs)
    assert "Statut actuel : En cours\\x1b[2J\\r" in outcome.out, outcome.out
    assert raw_controls(outcome.out + outcome.err) == [], outcome.out

"""The ``playbook`` command: list, new, run, status (the CI gate), export, validate, next-id.

Most tests call ``playbook_rh.cli.main.main`` in this process against the small needs.json of the
test root ``basic`` (REC-01, REC-02, TRA-01); a few run the real command as a process.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playbook_rh.cli.main import EXPORT_COLUMNS
from playbook_rh.core.runs import MAX_TEXT, Answer, Run, load_run, save_run

from .cli_support import (
    NOT_FILES,
    STATUSES,
    Outcome,
    line_of,
    needs_variant,
    not_a_file,
    process_env,
    run_main,
    run_process,
    run_schema,
    schema_errors,
    write_run,
)
from .conftest import IN_CI, REPO

pytestmark = pytest.mark.usefixtures("no_needs_from_environment")

EXAMPLE = REPO / "assessments" / "example.yaml"
TODAY = "2026-11-12"


@pytest.fixture(scope="session")
def repo_needs(site_needs_json: Path) -> Path:
    """needs.json of the real site: the questions people answer."""
    return site_needs_json


@pytest.fixture(scope="session")
def changed_needs(tmp_path_factory: pytest.TempPathFactory, basic_needs: Path) -> Path:
    """The basic playbook one release later: REC-02 became REC-03, TRA-02 is new."""
    return needs_variant(basic_needs, tmp_path_factory.mktemp("changed") / "needs.json",
                         rename={"REC-02": "REC-03"}, replaces={"REC-03": ["REC-02"]},
                         add={"TRA-02": ("TRA-01", "Formez-vous les managers ?")})


@pytest.fixture(scope="session")
def replaced_needs(tmp_path_factory: pytest.TempPathFactory, basic_needs: Path) -> Path:
    """REC-02 replaces an older REC-09 (an item renamed long ago)."""
    return needs_variant(basic_needs, tmp_path_factory.mktemp("replaced") / "needs.json",
                         replaces={"REC-02": ["REC-09"]})


@pytest.fixture
def fresh_run(tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "run.yaml"
    assert run_main(capsys, "new", path, "--needs", basic_needs).code == 0
    return path


def needs_ids(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    return [key for key, need in needs.items() if need["type"] == "question"]


# -- list ------------------------------------------------------------------------------

def test_list_shows_every_phase_in_order(basic_needs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "list", "--needs", basic_needs)
    assert result.code == 0, result.err
    out = result.out
    assert out.index("== Recrutement (recruitment) ==") < out.index("REC-01") \
        < out.index("REC-02") < out.index("== Au travail (at-work) ==") < out.index("TRA-01")
    assert "REC-01  Avez-vous une **page** entreprise ?" in out
    assert "responsable(s) : Ressources humaines, Marketing" in out
    assert "responsable(s) : Juridique" in out


@pytest.mark.parametrize("phase", ["REC", "rec", "recruitment", " Recruitment "])
def test_list_one_phase_by_key_or_prefix(basic_needs: Path, capsys: pytest.CaptureFixture[str],
                                         phase: str) -> None:
    result = run_main(capsys, "list", phase, "--needs", basic_needs)
    assert result.code == 0
    assert "REC-01" in result.out and "REC-02" in result.out
    assert "TRA-01" not in result.out and "Au travail" not in result.out


def test_list_of_an_unknown_phase_names_the_phases(basic_needs: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "list", "DIR", "--needs", basic_needs)
    assert result.code == 2
    assert "unknown phase 'DIR'" in result.err
    assert "recruitment (REC), at-work (TRA)" in result.err


def test_list_of_the_real_site_has_every_question(repo_needs: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "list", "--needs", repo_needs)
    assert result.code == 0
    listed = re.findall(r"^([A-Z]{2,5}-\d{2,3})  ", result.out, re.MULTILINE)
    assert sorted(listed) == sorted(needs_ids(repo_needs))
    assert len(listed) == len(set(listed)) > 0
    headings = re.findall(r"^== .* \((.*)\) ==$", result.out, re.MULTILINE)
    assert headings == ["executives", "pre-employment", "recruitment", "at-work",
                        "enterprise-networks"]


def test_needs_json_is_found_without_the_option(tmp_path: Path, basic_needs: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_main(capsys, "list")
    assert result.code == 2
    assert "no needs.json found" in result.err and "--needs" in result.err

    monkeypatch.setenv("PLAYBOOK_NEEDS", str(basic_needs))
    assert "TRA-01" in run_main(capsys, "list").out
    monkeypatch.delenv("PLAYBOOK_NEEDS")

    (tmp_path / "_build" / "needs").mkdir(parents=True)
    shutil.copy(basic_needs, tmp_path / "_build" / "needs" / "needs.json")
    assert "TRA-01" in run_main(capsys, "list").out


@pytest.mark.parametrize("content", ["{not json", "[]", '{"versions": {}}',
                                     '{"current_version": "1", "versions": {"1": {"needs": {}}}}'])
def test_an_unreadable_needs_json_is_an_error(tmp_path: Path, content: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    needs = tmp_path / "needs.json"
    needs.write_text(content, encoding="utf-8")
    result = run_main(capsys, "list", "--needs", needs)
    assert result.code == 2
    assert str(needs) in result.err


def test_a_missing_needs_json_is_an_error(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "status", EXAMPLE, "--needs", tmp_path / "nowhere.json")
    assert result.code == 2
    assert "nowhere.json" in result.err


# -- new -------------------------------------------------------------------------------

def test_new_writes_every_question_to_do(tmp_path: Path, basic_needs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.yaml"
    result = run_main(capsys, "new", path, "--organisation", "Exemple SA", "--needs",
                      basic_needs)
    assert result.code == 0
    assert "3 questions" in result.out
    run = load_run(path, STATUSES)
    assert run.organisation == "Exemple SA"
    assert run.started == datetime.date.today()
    assert run.items == {"REC-01": Answer(), "REC-02": Answer(), "TRA-01": Answer()}
    assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_new_for_the_real_site_validates_against_the_schema(
        tmp_path: Path, repo_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.yaml"
    assert run_main(capsys, "new", path, "--needs", repo_needs).code == 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert sorted(data["items"]) == sorted(needs_ids(repo_needs))
    assert schema_errors(data) == []
    assert set(run_schema()["required"]) <= set(data)


def test_new_never_overwrites_without_force(fresh_run: Path, basic_needs: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    save_run(fresh_run, Run(organisation="Précieux", items={"REC-01": Answer(status="done")}))
    before = fresh_run.read_bytes()
    result = run_main(capsys, "new", fresh_run, "--needs", basic_needs)
    assert result.code == 2
    assert "--force" in result.err
    assert fresh_run.read_bytes() == before
    assert run_main(capsys, "new", fresh_run, "--force", "--needs", basic_needs).code == 0
    assert load_run(fresh_run, STATUSES).items["REC-01"] == Answer()


def test_new_in_a_missing_folder_is_an_error(tmp_path: Path, basic_needs: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "new", tmp_path / "nowhere" / "run.yaml", "--needs", basic_needs)
    assert "Traceback" not in result.err, result.err
    assert result.code == 2
    assert "nowhere" in result.err


# -- run -------------------------------------------------------------------------------

def reply(status: str = "", owner: str = "", due: str = "", evidence: str = "",
          note: str = "") -> str:
    """The five lines a person types for one item."""
    return f"{status}\n{owner}\n{due}\n{evidence}\n{note}\n"


class Keyboard(io.StringIO):
    """Standard input that presses Ctrl-C once its lines are used up."""

    def readline(self, size: int | None = -1) -> str:
        line = super().readline(size)
        if not line:
            raise KeyboardInterrupt
        return line


def interact(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             typed: str | io.StringIO, *args: str | Path) -> Outcome:
    monkeypatch.setattr(sys, "stdin", typed if isinstance(typed, io.StringIO)
                        else io.StringIO(typed))
    return run_main(capsys, "run", *args)


def asked(out: str) -> list[str]:
    return re.findall(r"^\[\d+/\d+\] ([A-Z]+-\d+) — ", out, re.MULTILINE)


def test_run_saves_each_answer_as_given(fresh_run: Path, basic_needs: Path,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    note = 'Oui | "cité" <b>gras</b> : 50 %'
    typed = (reply("f", "Claire Martin (DRH)", "2026-12-31", "https://e.example/p.pdf", note)
             + reply("c"))
    result = interact(capsys, monkeypatch, typed, fresh_run, "--needs", basic_needs)
    assert result.code == 0, result.err
    assert asked(result.out) == ["REC-01", "REC-02", "TRA-01"]  # TRA-01 met end of input
    assert "[1/3] REC-01" in result.out
    assert "Une bonne réponse nomme la personne qui publie." in result.out  # guidance
    assert "Arrêt" in result.out
    run = load_run(fresh_run, STATUSES)
    first = run.items["REC-01"]
    assert (first.status, first.owner, first.due, first.evidence, first.answer) == (
        "done", "Claire Martin (DRH)", datetime.date(2026, 12, 31), "https://e.example/p.pdf",
        note)
    assert first.updated is not None
    assert run.items["REC-02"].status == "in-progress"
    assert run.items["REC-02"].updated is not None
    assert run.items["TRA-01"] == Answer()


def test_run_resumes_at_the_first_item_not_reviewed(fresh_run: Path, basic_needs: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    interact(capsys, monkeypatch, reply("f") + reply("s"), fresh_run, "--needs", basic_needs)
    result = interact(capsys, monkeypatch, reply("c", "Juriste"), fresh_run, "--needs",
                      basic_needs)
    assert result.code == 0
    assert "1 question(s) à passer en revue" in result.out
    assert asked(result.out) == ["TRA-01"]
    assert "[1/1] TRA-01" in result.out
    run = load_run(fresh_run, STATUSES)
    assert [run.items[i].status for i in ("REC-01", "REC-02", "TRA-01")] == [
        "done", "not-applicable", "in-progress"]
    assert run.items["TRA-01"].owner == "Juriste"

    before = fresh_run.read_bytes()
    result = interact(capsys, monkeypatch, "", fresh_run, "--needs", basic_needs)
    assert result.code == 0
    assert "déjà été passées en revue" in result.out
    assert asked(result.out) == []
    assert fresh_run.read_bytes() == before

    result = interact(capsys, monkeypatch, reply() * 3, fresh_run, "--all", "--needs",
                      basic_needs)
    assert asked(result.out) == ["REC-01", "REC-02", "TRA-01"]
    assert load_run(fresh_run, STATUSES).items["REC-01"].status == "done"  # Enter keeps it


def test_ctrl_c_keeps_the_answers_already_given(fresh_run: Path, basic_needs: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    typed = Keyboard(reply("f", "Alice") + "c\nBob\n")  # Ctrl-C while on REC-02's due date
    result = interact(capsys, monkeypatch, typed, fresh_run, "--needs", basic_needs)
    assert result.code == 130
    assert f"playbook-rh run {fresh_run}" in result.out  # how to resume
    run = load_run(fresh_run, STATUSES)
    assert run.items["REC-01"].status == "done" and run.items["REC-01"].owner == "Alice"
    assert run.items["REC-02"] == Answer()  # a half-given answer is not saved
    result = interact(capsys, monkeypatch, "", fresh_run, "--needs", basic_needs)
    assert asked(result.out) == ["REC-02"]


def test_quit_and_skip(fresh_run: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = fresh_run.read_bytes()
    result = interact(capsys, monkeypatch, "q\n", fresh_run, "--needs", basic_needs)
    assert result.code == 0
    assert asked(result.out) == ["REC-01"]
    assert fresh_run.read_bytes() == before

    result = interact(capsys, monkeypatch, "p\n" + reply("f") + "q\n", fresh_run, "--needs",
                      basic_needs)
    assert asked(result.out) == ["REC-01", "REC-02", "TRA-01"]
    run = load_run(fresh_run, STATUSES)
    assert run.items["REC-01"] == Answer()  # skipped: still to review
    assert run.items["REC-02"].status == "done"
    result = interact(capsys, monkeypatch, "q\n", fresh_run, "--needs", basic_needs)
    assert asked(result.out) == ["REC-01"]


def test_run_asks_again_what_it_does_not_understand(fresh_run: Path, basic_needs: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "oui\nF\n\n31/12/2026\n2026-02-30\n2026-12-31\n\n\n"
    result = interact(capsys, monkeypatch, typed, fresh_run, "REC", "--needs", basic_needs)
    assert result.out.count("Réponse non comprise") == 1
    assert result.out.count("Date non comprise") == 2
    answer = load_run(fresh_run, STATUSES).items["REC-01"]
    assert answer.status == "done" and answer.due == datetime.date(2026, 12, 31)


def test_run_refuses_an_answer_longer_than_a_file_may_hold(
        fresh_run: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit of the run format (MAX_TEXT) holds at the prompt: what is typed can be
    read back by the command and imported by the browser."""
    too_long, longest = "é" * (MAX_TEXT + 1), "é" * MAX_TEXT
    typed = f"f\n\n\n\n{too_long}\n{longest}\n"
    result = interact(capsys, monkeypatch, typed, fresh_run, "REC", "--needs", basic_needs)
    assert result.out.count(f"Trop long ({MAX_TEXT + 1} caractères)") == 1
    assert load_run(fresh_run, STATUSES).items["REC-01"].answer == longest


def test_enter_keeps_and_dash_clears(tmp_path: Path, basic_needs: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {
        "status": "in-progress", "owner": "Bob", "due": "2026-12-01", "evidence": "doc",
        "answer": "en cours"}})
    interact(capsys, monkeypatch, reply(), path, "REC", "--needs", basic_needs)
    kept = load_run(path, STATUSES).items["REC-01"]
    assert (kept.status, kept.owner, kept.due, kept.evidence, kept.answer) == (
        "in-progress", "Bob", datetime.date(2026, 12, 1), "doc", "en cours")
    assert kept.updated is not None
    interact(capsys, monkeypatch, reply(due="-"), path, "REC", "--all", "--needs", basic_needs)
    assert load_run(path, STATUSES).items["REC-01"].due is None


def test_run_one_phase(fresh_run: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    result = interact(capsys, monkeypatch, reply("f"), fresh_run, "at-work", "--needs",
                      basic_needs)
    assert asked(result.out) == ["TRA-01"]
    assert load_run(fresh_run, STATUSES).items["TRA-01"].status == "done"


def test_run_after_the_questions_changed(tmp_path: Path, changed_needs: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    reviewed = {"status": "done", "updated": "2026-11-02T10:00:00+01:00"}
    path = write_run(tmp_path / "run.yaml",
                     {"REC-01": reviewed, "REC-02": reviewed, "TRA-01": reviewed})
    result = interact(capsys, monkeypatch, reply("c"), path, "--needs", changed_needs)
    # REC-02 is now REC-03 and keeps its review; only the new TRA-02 is asked
    assert asked(result.out) == ["TRA-02"]
    assert load_run(path, STATUSES).items["TRA-02"].status == "in-progress"


def test_run_of_a_bad_file_is_an_error(tmp_path: Path, basic_needs: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("items:\n  REC-01:\n    status: finished\n", encoding="utf-8")
    result = interact(capsys, monkeypatch, reply("f"), path, "--needs", basic_needs)
    assert result.code == 2
    assert f"{path}:3:" in result.err
    assert "finished" in path.read_text(encoding="utf-8")  # left as it was


def read_until(stream: int, seen: bytearray, marker: bytes, count: int) -> None:
    """Read the process's output until ``marker`` has appeared ``count`` times."""
    while seen.count(marker) < count:
        chunk = os.read(stream, 4096)
        assert chunk, f"the process ended before asking: {seen.decode(errors='replace')}"
        seen.extend(chunk)


def interruptible() -> None:
    """In the child, before Python starts: Ctrl-C as in a terminal. A test runner started
    in the background (``nohup``, ``&``) ignores SIGINT, and its children inherit that;
    Python then installs no KeyboardInterrupt handler and the signal would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_in_the_real_command(fresh_run: Path, basic_needs: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "playbook_rh.cli", "run", str(fresh_run), "--needs",
         str(basic_needs)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=process_env(), preexec_fn=interruptible,
    )
    assert process.stdin is not None and process.stdout is not None
    seen = bytearray()
    try:
        prompt = b"Statut ["
        read_until(process.stdout.fileno(), seen, prompt, 1)
        process.stdin.write(reply("f", "Alice", "2026-12-31", "", "premier").encode())
        process.stdin.flush()
        read_until(process.stdout.fileno(), seen, prompt, 2)  # asking about REC-02
        assert load_run(fresh_run, STATUSES).items["REC-01"].answer == "premier"  # saved at once
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert b"Relancez" in seen + out
    run = load_run(fresh_run, STATUSES)
    assert run.items["REC-01"].status == "done" and run.items["REC-01"].owner == "Alice"
    assert run.items["REC-02"] == Answer()
    resumed = run_process("run", fresh_run, "--needs", basic_needs, stdin="q\n")
    assert resumed.returncode == 0
    assert asked(resumed.stdout) == ["REC-02"]


def test_end_of_input_in_the_real_command(fresh_run: Path, basic_needs: Path) -> None:
    result = run_process("run", fresh_run, "--needs", basic_needs, stdin=reply("s"))
    assert result.returncode == 0, result.stderr
    assert load_run(fresh_run, STATUSES).items["REC-01"].status == "not-applicable"


# -- status and the CI gate -------------------------------------------------------------

@pytest.fixture
def progress_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run.yaml", {
        "REC-01": {"status": "done", "owner": "Alice", "due": "2026-10-01"},
        "REC-02": {"status": "in-progress", "due": "2026-11-01"},
        "TRA-01": {"status": "todo", "due": "2027-01-15"},
    })


def test_status_reports_progress_per_phase_and_owner(progress_run: Path, basic_needs: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    result = run_main(capsys, "status", progress_run, "--today", TODAY, "--needs", basic_needs)
    assert result.code == 0, result.err
    out = result.out
    assert "Suivi : Exemple SA" in out
    assert "33.3 % (1/3 questions traitées)" in out
    assert re.search(r"^  Recrutement +\S+  50\.0 % \(1/2\)$", out, re.MULTILINE)
    assert re.search(r"^  Au travail +\S+   0\.0 % \(0/1\)$", out, re.MULTILINE)
    assert re.search(r"^  Alice +\S+ 100\.0 % \(1/1\)$", out, re.MULTILINE)
    assert re.search(r"^  Ressources humaines +\S+   0\.0 % \(0/1\)$", out, re.MULTILINE)
    assert re.search(r"^  Juridique +\S+   0\.0 % \(0/1\)$", out, re.MULTILINE)
    overdue = out.split("En retard (1) :\n", 1)[1].split("\n\n", 1)[0]
    assert overdue.split()[0] == "REC-02" and "2026-11-01" in overdue
    open_items = out.split("À traiter (2) :\n", 1)[1]
    assert re.findall(r"^  ([A-Z]+-\d+)", open_items, re.MULTILINE) == ["REC-02", "TRA-01"]
    assert "[En cours]" in open_items


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_a_bulk_command_gives_the_cycle_collector_back_as_it_found_it(
        progress_run: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    """status pauses Python's cycle collector while it reads (for speed), and restores
    it, whether the command succeeds or fails."""
    import gc

    command = sys.modules["playbook_rh.cli.main"]
    reading = command.questions_from
    seen: list[bool] = []

    def questions_from(args: object) -> object:
        seen.append(gc.isenabled())
        return reading(args)

    monkeypatch.setattr(command, "questions_from", questions_from)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        for args in (("status", progress_run), ("status", progress_run.parent / "none.yaml")):
            run_main(capsys, *args, "--today", TODAY, "--needs", basic_needs)
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]


def test_status_as_json(progress_run: Path, basic_needs: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "status", progress_run, "--json", "--today", "2027-02-01",
                      "--needs", basic_needs)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["organisation"] == "Exemple SA"
    assert (data["percent"], data["complete"], data["total"]) == (33.3, 1, 3)
    assert data["open"] == ["REC-02", "TRA-01"]
    assert data["overdue"] == ["REC-02", "TRA-01"]  # REC-01 is late but done
    assert [(row["label"], row["complete"], row["total"]) for row in data["by_phase"]] == [
        ("Recrutement", 1, 2), ("Au travail", 0, 1)]
    assert data["unknown"] == [] and data["missing"] == []


@pytest.fixture
def gated_run(tmp_path: Path) -> Path:
    """Recruitment complete, at work not: 2 of 3, 66.7 %."""
    return write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done"},
                                             "REC-02": {"status": "not-applicable"},
                                             "TRA-01": {"status": "in-progress"}})


GATES: list[tuple[list[str], int]] = [
    ([], 0),
    (["--fail-under", "0"], 0),
    (["--fail-under", "66"], 0),
    (["--fail-under", "66.6"], 0),
    (["--fail-under", "67"], 1),
    (["--fail-under", "100"], 1),
    (["--require", "REC"], 0),
    (["--require", "recruitment"], 0),
    (["--require", "TRA"], 1),
    (["--require", "REC", "--require", "at-work"], 1),
    (["--fail-under", "50", "--require", "TRA"], 1),
    (["--fail-under", "90", "--require", "REC"], 1),
    (["--require", "DIR"], 2),
    (["--fail-under", "beaucoup"], 2),
    (["--fail-under", "nan"], 2),
    (["--today", "demain"], 2),
]


@pytest.mark.parametrize(("options", "code"), GATES, ids=[" ".join(o) or "none" for o, _ in GATES])
def test_status_gate_exit_codes(gated_run: Path, basic_needs: Path,
                                capsys: pytest.CaptureFixture[str], options: list[str],
                                code: int) -> None:
    result = run_main(capsys, "status", gated_run, *options, "--needs", basic_needs)
    assert result.code == code, result.err
    assert ("gate not met" in result.err) == (code == 1)


def test_status_gate_says_what_is_not_met(gated_run: Path, basic_needs: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "status", gated_run, "--fail-under", "80", "--require", "TRA",
                      "--require", "REC", "--needs", basic_needs)
    assert result.code == 1
    assert "gate not met: progress 66.7 % is under --fail-under 80 %" in result.err
    assert "gate not met: phase at-work is not complete (0/1)" in result.err
    assert "recruitment" not in result.err


def test_status_gate_message_agrees_with_the_threshold(gated_run: Path, basic_needs: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """The gate shows 66.7 %; a threshold of 66.7 is met, or the message shows less."""
    result = run_main(capsys, "status", gated_run, "--fail-under", "66.7", "--needs",
                      basic_needs)
    assert "66.7 % (2/3" in result.out
    shown = re.search(r"progress ([\d.]+) % is under", result.err)
    assert result.code == 0 or (shown is not None and float(shown.group(1)) < 66.7), result.err


def test_status_gate_of_a_complete_run(tmp_path: Path, basic_needs: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done"},
                                             "REC-02": {"status": "done"},
                                             "TRA-01": {"status": "not-applicable"}})
    result = run_main(capsys, "status", path, "--fail-under", "100", "--require", "REC",
                      "--require", "TRA", "--needs", basic_needs)
    assert result.code == 0, result.err
    assert "100.0 % (3/3" in result.out


def test_status_gate_in_the_real_command(gated_run: Path, basic_needs: Path) -> None:
    met = run_process("status", gated_run, "--require", "REC", "--needs", basic_needs)
    assert met.returncode == 0, met.stderr
    not_met = run_process("status", gated_run, "--fail-under", "90", "--needs", basic_needs)
    assert not_met.returncode == 1
    assert "gate not met" in not_met.stderr and "Traceback" not in not_met.stderr
    usage = run_process("status", gated_run, "--require", "XYZ", "--needs", basic_needs)
    assert usage.returncode == 2 and "unknown phase" in usage.stderr


def test_status_of_the_example_against_the_real_site(repo_needs: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    result = run_main(capsys, "status", EXAMPLE, "--json", "--today", TODAY, "--needs",
                      repo_needs)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    run = load_run(EXAMPLE, STATUSES)
    complete = [i for i, a in run.items.items() if a.status in ("done", "not-applicable")]
    assert data["complete"] == len(complete)
    assert data["total"] == len(needs_ids(repo_needs))
    late = sorted(i for i, a in run.items.items()
                  if a.due and a.due < datetime.date(2026, 11, 12) and i not in complete)
    assert sorted(data["overdue"]) == late and late
    assert run_main(capsys, "status", EXAMPLE, "--fail-under", "100", "--needs",
                    repo_needs).code == 1


# -- export ----------------------------------------------------------------------------

NOTE = 'Oui | non, "cité" ; <script>alert(1)</script>\nligne 2 \\ fin'


@pytest.fixture
def noted_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run.yaml", {
        "REC-01": {"status": "done", "owner": "Claire | DRH", "due": "2026-12-15",
                   "evidence": "https://e.example/x?a=1&b=2", "answer": NOTE,
                   "updated": "2026-11-20T14:03:00+01:00"},
        "REC-02": {"status": "in-progress"},
    }, organisation="Exemple | SA")


def test_export_csv(noted_run: Path, basic_needs: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", noted_run, "--format", "csv", "--needs", basic_needs)
    assert result.code == 0, result.err
    reader = csv.DictReader(io.StringIO(result.out, newline=""))
    rows = list(reader)
    assert reader.fieldnames == list(EXPORT_COLUMNS)
    assert [row["id"] for row in rows] == ["REC-01", "REC-02", "TRA-01"]
    first = rows[0]
    assert first["answer"] == NOTE  # as-is: <script> is text, quotes and newline kept
    assert first["owner"] == "Claire | DRH"
    assert first["evidence"] == "https://e.example/x?a=1&b=2"
    assert (first["status"], first["due"], first["phase"]) == ("done", "2026-12-15",
                                                               "Recrutement")
    assert first["updated"].startswith("2026-11-20T14:03:00")
    assert first["question"] == "Avez-vous une **page** entreprise ?"
    assert first["owner_roles"] == "Ressources humaines, Marketing"
    assert rows[1]["status"] == "in-progress"
    assert rows[2]["status"] == "todo" and rows[2]["answer"] == ""  # no entry: to do
    assert "without an entry" in result.err and "TRA-01" in result.err


def test_export_json(noted_run: Path, basic_needs: Path,
                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", noted_run, "--format", "json", "--needs", basic_needs)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["organisation"] == "Exemple | SA"
    assert [item["id"] for item in data["items"]] == ["REC-01", "REC-02", "TRA-01"]
    assert data["items"][0]["answer"] == NOTE
    assert set(data["items"][0]) == set(EXPORT_COLUMNS)
    assert "<script>" in result.out  # text, not escaped into something else


def markdown_rows(text: str) -> list[list[str]]:
    """Rows of a Markdown table, split on the pipes that are not escaped."""
    lines = re.split(r"\r\n|\r|\n", text)  # CommonMark's line endings
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            for line in lines if line.startswith("|")]


def test_export_markdown_keeps_one_row_per_question(noted_run: Path, basic_needs: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", noted_run, "--format", "md", "--needs", basic_needs)
    assert result.code == 0
    assert result.out.startswith("# Exemple \\| SA\n")
    rows = markdown_rows(result.out)
    assert len(rows) == 2 + 3  # header, rule, one row per question
    assert all(len(row) == 6 for row in rows), rows
    assert [row[0] for row in rows[2:]] == ["REC-01", "REC-02", "TRA-01"]
    first = rows[2]
    assert first[2] == STATUSES["done"]
    assert first[3] == "Claire \\| DRH"
    assert first[5].startswith("Oui \\| non")
    assert "<br>ligne 2 \\\\ fin" in first[5]
    assert rows[4][3] == "Juridique"  # no owner named: the question's roles


def test_export_markdown_keeps_html_as_text(noted_run: Path, basic_needs: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A note is text: in Markdown, a <script> must not reach a renderer as a tag."""
    result = run_main(capsys, "export", noted_run, "--format", "md", "--needs", basic_needs)
    assert result.code == 0
    assert "alert(1)" in result.out
    assert "<script>" not in result.out


def test_export_markdown_with_carriage_returns(tmp_path: Path, basic_needs: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done",
                                                        "answer": "copié de Windows\r\nfin\r"}})
    result = run_main(capsys, "export", path, "--format", "md", "--needs", basic_needs)
    rows = markdown_rows(result.out)
    assert len(rows) == 5 and all(len(row) == 6 for row in rows), rows


def test_export_to_a_file(noted_run: Path, tmp_path: Path, basic_needs: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    shown = run_main(capsys, "export", noted_run, "--format", "json", "--needs", basic_needs)
    target = tmp_path / "export.json"
    result = run_main(capsys, "export", noted_run, "--format", "json", "--output", target,
                      "--needs", basic_needs)
    assert result.code == 0 and result.out == ""
    assert target.read_text(encoding="utf-8") == shown.out


def test_export_to_a_missing_folder_is_an_error(noted_run: Path, tmp_path: Path,
                                                basic_needs: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", noted_run, "--format", "csv", "--output",
                      tmp_path / "nowhere" / "export.csv", "--needs", basic_needs)
    assert "Traceback" not in result.err, result.err
    assert result.code == 2
    assert "nowhere" in result.err


def test_export_of_an_unknown_format(noted_run: Path, basic_needs: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", noted_run, "--format", "xml", "--needs", basic_needs)
    assert result.code == 2
    assert "xml" in result.err


# -- validate and changed questions ------------------------------------------------------

def test_the_example_validates_against_the_real_site(repo_needs: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "validate", EXAMPLE, "--needs", repo_needs)
    assert result.code == 0, result.out + result.err
    answers = len(load_run(EXAMPLE, STATUSES).items)
    assert f"valid ({answers} answers, 0 question(s) without an entry)" in result.out
    assert answers == len(needs_ids(repo_needs))


def test_validate_a_run_of_the_basic_playbook(progress_run: Path, basic_needs: Path) -> None:
    result = run_process("validate", progress_run, "--needs", basic_needs)
    assert result.returncode == 0, result.stderr
    assert f"{progress_run}: valid (3 answers, 0 question(s) without an entry)" in result.stdout


def test_an_answer_to_a_question_that_no_longer_exists(tmp_path: Path, basic_needs: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done"},
                                             "REC-07": {"status": "done"},
                                             "TRA-01": {"status": "todo"}})
    result = run_main(capsys, "validate", path, "--needs", basic_needs)
    assert result.code == 1
    line = line_of(path, "REC-07:")
    assert f"{path}:{line}: REC-07 is not a question of the playbook" in result.out
    assert "valid (" not in result.out
    # status and export report it too, but they are not the gate
    status = run_main(capsys, "status", path, "--json", "--needs", basic_needs)
    assert status.code == 0
    assert json.loads(status.out)["unknown"] == ["REC-07"]
    assert f"{path}:{line}: REC-07" in status.err
    assert run_process("validate", path, "--needs", basic_needs).returncode == 1


def test_new_questions_count_as_to_do(progress_run: Path, changed_needs: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "validate", progress_run, "--needs", changed_needs)
    assert result.code == 0
    assert "1 question(s) without an entry count as to do: TRA-02" in result.out
    status = json.loads(run_main(capsys, "status", progress_run, "--json", "--needs",
                                 changed_needs).out)
    assert status["missing"] == ["TRA-02"]
    assert "TRA-02" in status["open"] and status["total"] == 4


def test_a_renamed_question_keeps_its_answers(tmp_path: Path, changed_needs: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write_run(tmp_path / "run.yaml", {
        "REC-01": {"status": "done"},
        "REC-02": {"status": "not-applicable", "answer": "Pas de candidature en ligne."},
        "TRA-01": {"status": "done"}, "TRA-02": {"status": "done"}})
    result = run_main(capsys, "validate", path, "--needs", changed_needs)
    assert result.code == 0, result.out
    assert f"{path}:{line_of(path, 'REC-02:')}: REC-02 is now REC-03" in result.out
    assert "0 question(s) without an entry" in result.out
    gate = run_main(capsys, "status", path, "--require", "REC", "--fail-under", "100",
                    "--needs", changed_needs)
    assert gate.code == 0, gate.err
    rows = list(csv.DictReader(io.StringIO(run_main(
        capsys, "export", path, "--format", "csv", "--needs", changed_needs).out)))
    carried = next(row for row in rows if row["id"] == "REC-03")
    assert carried["status"] == "not-applicable"
    assert carried["answer"] == "Pas de candidature en ligne."
    assert "REC-02" not in [row["id"] for row in rows]


def test_the_entry_under_the_new_id_wins(tmp_path: Path, changed_needs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-02": {"status": "done", "answer": "ancien"},
                                             "REC-03": {"status": "todo", "answer": "nouveau"}})
    data = json.loads(run_main(capsys, "export", path, "--format", "json", "--needs",
                               changed_needs).out)
    row = next(item for item in data["items"] if item["id"] == "REC-03")
    assert (row["status"], row["answer"]) == ("todo", "nouveau")


def test_replaces_carries_answers_of_a_former_id(tmp_path: Path, replaced_needs: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done"},
                                             "REC-09": {"status": "done"}})
    result = run_main(capsys, "validate", path, "--needs", replaced_needs)
    assert result.code == 0
    assert "REC-09 is now REC-02" in result.out
    data = json.loads(run_main(capsys, "status", path, "--json", "--needs",
                               replaced_needs).out)
    assert data["open"] == ["TRA-01"] and data["missing"] == ["TRA-01"]


def test_a_folder_given_as_run_file_is_an_error(tmp_path: Path, basic_needs: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "run.yaml"
    folder.mkdir()
    result = run_main(capsys, "validate", folder, "--needs", basic_needs)
    assert "Traceback" not in result.err, result.err
    assert result.code == 2
    assert str(folder) in result.err


# -- next-id ---------------------------------------------------------------------------

@pytest.mark.parametrize(("phase", "expected"), [("REC", "REC-03"), ("recruitment", "REC-03"),
                                                 ("tra", "TRA-02"), ("at-work", "TRA-02")])
def test_next_id(tmp_path: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
                 phase: str, expected: str) -> None:
    result = run_main(capsys, "next-id", phase, "--releases", tmp_path, "--needs", basic_needs)
    assert result.code == 0
    assert result.out == expected + "\n"


def test_next_id_skips_former_ids(tmp_path: Path, replaced_needs: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "next-id", "REC", "--releases", tmp_path, "--needs",
                      replaced_needs)
    assert result.out == "REC-10\n"


def test_next_id_skips_ids_of_releases(tmp_path: Path, basic_needs: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    # release 0.9 published REC-05 and TRA-04, since removed; 0.8 had a TRA-07 renamed
    needs_variant(basic_needs, tmp_path / "releases" / "0.9" / "needs.json",
                  add={"REC-05": ("REC-02", "Retiré"), "TRA-04": ("TRA-01", "Retiré")})
    needs_variant(basic_needs, tmp_path / "releases" / "0.8" / "needs.json",
                  replaces={"TRA-01": ["TRA-07"]})
    monkeypatch.chdir(tmp_path)  # the default --releases is ./releases
    assert run_main(capsys, "next-id", "REC", "--needs", basic_needs).out == "REC-06\n"
    assert run_main(capsys, "next-id", "TRA", "--needs", basic_needs).out == "TRA-08\n"


def test_next_id_refuses_a_release_it_cannot_read(tmp_path: Path, basic_needs: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """IDs are never reused: a release whose IDs cannot be read cannot be ignored."""
    broken = tmp_path / "releases" / "0.9" / "needs.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"current_version": "0.9", "versions": {"0.9": {"needs": {"REC-0',
                      encoding="utf-8")
    result = run_main(capsys, "next-id", "REC", "--releases", tmp_path / "releases",
                      "--needs", basic_needs)
    assert result.code == 2, result.out
    assert str(broken) in result.err


def test_next_id_of_the_real_site_is_free(tmp_path: Path, repo_needs: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    taken = set(needs_ids(repo_needs))
    releases = REPO / "releases"
    for prefix in ("DIR", "PRE", "REC", "TRA", "RSE"):
        result = run_main(capsys, "next-id", prefix, "--releases", releases, "--needs",
                          repo_needs)
        assert result.code == 0, result.err
        new = result.out.strip()
        assert re.fullmatch(rf"{prefix}-\d{{2,3}}", new) and new not in taken
        numbers = [int(i.split("-")[1]) for i in taken if i.startswith(prefix + "-")]
        assert int(new.split("-")[1]) > max(numbers)


def test_next_id_of_an_unknown_phase(tmp_path: Path, basic_needs: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "next-id", "XYZ", "--releases", tmp_path, "--needs", basic_needs)
    assert result.code == 2 and "unknown phase 'XYZ'" in result.err


# -- the command itself ----------------------------------------------------------------

def test_the_module_and_the_console_script_run() -> None:
    result = run_process("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "playbook-rh 0.1.0"
    script = Path(sys.executable).parent / "playbook-rh"
    if not script.exists():
        message = "the playbook-rh console script is not installed next to this Python"
        if IN_CI:  # `make` installs it: missing in CI is a broken install, not a skip
            pytest.fail(message)
        pytest.skip(message)
    installed = subprocess.run([str(script), "--help"], capture_output=True, text=True,
                               check=False, env=process_env(), timeout=60)
    assert installed.returncode == 0, installed.stderr
    for command in ("list", "new", "run", "status", "export", "validate", "next-id"):
        assert command in installed.stdout
    assert "130" in installed.stdout  # the exit codes are documented in --help


@pytest.mark.parametrize("command", [["status", "--json"], ["export", "--format", "csv"],
                                     ["validate"], ["status", "--fail-under", "100"]])
def test_a_bulk_command_ends_its_process_with_all_it_wrote(
        progress_run: Path, basic_needs: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """A bulk command's process ends without tearing the interpreter down
    (``process_main``): what it printed reaches a pipe and a file whole, and its exit code
    is kept (1: a gate not met)."""
    args = [command[0], str(progress_run), *command[1:], "--needs", str(basic_needs),
            *(["--today", TODAY] if command[0] == "status" else [])]
    expected = run_main(capsys, *args)
    buffered = {key: value for key, value in process_env().items()
                if key != "PYTHONUNBUFFERED"}  # as people run it: output held until flushed
    piped = subprocess.run([sys.executable, "-m", "playbook_rh.cli", *args],
                           capture_output=True, text=True, check=False, env=buffered,
                           timeout=60)
    assert (piped.returncode, piped.stdout, piped.stderr) == \
        (expected.code, expected.out, expected.err)
    assert piped.stdout.strip() or piped.stderr.strip()
    written = tmp_path / "written.txt"
    with written.open("wb") as output:
        to_file = subprocess.run([sys.executable, "-m", "playbook_rh.cli", *args],
                                 stdout=output, stderr=subprocess.PIPE, check=False,
                                 env=buffered, timeout=60)
    assert to_file.returncode == expected.code
    assert written.read_text(encoding="utf-8") == expected.out


@pytest.mark.skipif(not Path("/dev/full").exists() and not os.environ.get("CI"),
                    reason="no /dev/full on this system (CI runs it on Linux)")
@pytest.mark.parametrize("command", [["validate"], ["status"], ["--version"]])
def test_an_output_that_cannot_be_written_is_one_message(
        progress_run: Path, basic_needs: Path, command: list[str]) -> None:
    """A full disk (``/dev/full``), even for what stays in the buffer until the end: exit
    2 and one line that says so, not the interpreter's "Exception ignored" at exit."""
    args = command if command[0].startswith("-") else \
        [command[0], str(progress_run), "--needs", str(basic_needs)]
    buffered = {key: value for key, value in process_env().items()
                if key != "PYTHONUNBUFFERED"}
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "playbook_rh.cli", *args],
                                stdout=full, stderr=subprocess.PIPE, text=True,
                                check=False, env=buffered, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"playbook-rh {command[0]}: ")
    assert "No space left on device" in result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_command_line_mistake_is_exit_2_without_traceback() -> None:
    for args in ([], ["frobnicate"], ["status"], ["export", "run.yaml"]):
        result = run_process(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "usage: playbook" in result.stderr
        assert "Traceback" not in result.stderr


# -- issue 14: nothing injected into a terminal or a spreadsheet ---------------------------

#: Cells a spreadsheet would run (OWASP, "CSV injection"), with what the export holds.
FORMULAS = {
    "=HYPERLINK(\"http://e.example\",\"clic\")": "'=HYPERLINK(\"http://e.example\",\"clic\")",
    "+33 1 23 45 67 89": "'+33 1 23 45 67 89",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "Réponse = oui": "Réponse = oui",  # only the first character counts
}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("cell", list(FORMULAS), ids=[repr(c)[:12] for c in FORMULAS])
def test_export_csv_neutralises_formulas(tmp_path: Path, basic_needs: Path,
                                         capsys: pytest.CaptureFixture[str], cell: str) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {
        "status": "done", "owner": cell, "evidence": cell, "answer": cell}})
    result = run_main(capsys, "export", path, "--format", "csv", "--needs", basic_needs)
    assert result.code == 0, result.err
    first = csv_rows(result.out)[0]
    assert (first["owner"], first["evidence"], first["answer"]) == (FORMULAS[cell],) * 3
    raw = run_main(capsys, "export", path, "--format", "csv", "--raw", "--needs", basic_needs)
    assert raw.code == 0
    assert csv_rows(raw.out)[0]["answer"] == cell


CONTROLS = "a\x1b[2J\x1b]0;titre\x07b\x9b31mc\x08\x00\u202ed"


@pytest.fixture
def controlled_run(tmp_path: Path) -> Path:
    """A run file holding terminal escape sequences, in every text a command shows
    (written as YAML escapes: YAML allows none of them raw)."""
    path = tmp_path / "run.yaml"
    text = json.dumps(CONTROLS)
    path.write_text(f"organisation: {text}\nitems:\n  REC-01:\n    status: in-progress\n"
                    f"    owner: {text}\n    due: 2026-01-01\n    evidence: {text}\n"
                    f"    answer: {json.dumps(CONTROLS + chr(10) + 'suite')}\n",
                    encoding="utf-8")
    return path


def raw_controls(text: str) -> list[str]:
    """The control and bidirectional characters of ``text``, but line breaks."""
    return [c for c in text if (ord(c) < 32 and c not in "\n\r") or 0x7f <= ord(c) <= 0x9f
            or 0x202a <= ord(c) <= 0x202e]


@pytest.mark.parametrize("command", [["status"], ["status", "--json"],
                                     ["export", "--format", "csv"],
                                     ["export", "--format", "md"],
                                     ["export", "--format", "json"]],
                         ids=["status", "status-json", "csv", "md", "json"])
def test_control_characters_never_reach_the_output(controlled_run: Path, basic_needs: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   command: list[str]) -> None:
    result = run_main(capsys, command[0], controlled_run, *command[1:], "--today", TODAY,
                      "--needs", basic_needs) if command[0] == "status" else run_main(
        capsys, command[0], controlled_run, *command[1:], "--needs", basic_needs)
    assert result.code in (0, 1), result.err
    assert raw_controls(result.out + result.err) == []
    escaped = "a\\x1b[2J\\x1b]0;titre\\x07b\\x9b31mc\\x08\\x00\\u202ed"
    if command[-1] in ("json", "--json"):
        data = json.loads(result.out)  # escaped as JSON: the same text, nothing lost
        assert data["organisation"] == CONTROLS
    elif command[-1] == "md":  # a backslash is escaped in Markdown: it shows as one
        assert escaped.replace("\\", "\\\\") in result.out
    else:
        assert escaped in result.out


def test_every_unsafe_character_takes_the_escaping_path() -> None:
    """``shown`` returns a printable text as it is, without its regular expression:
    sound only if no character it escapes is printable. Every code point is checked."""
    from playbook_rh.core.safe_text import shown, unsafe_pattern

    unsafe = [chr(code) for code in range(0x110000)
              if unsafe_pattern(one_line=True).fullmatch(chr(code))]
    assert len(unsafe) > 2000  # the controls, separators, bidi marks and surrogates
    assert [c for c in unsafe if c.isprintable()] == []
    for character in unsafe:
        assert character not in shown(f"a{character}b")
    assert shown("Été : 50\u202f% « ok »") == "Été : 50\u202f% « ok »"


def test_control_characters_never_reach_the_run_prompts(controlled_run: Path,
                                                        basic_needs: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    result = interact(capsys, monkeypatch, reply("f"), controlled_run, "REC", "--needs",
                      basic_needs)
    assert result.code == 0, result.err
    assert raw_controls(result.out) == []
    assert "[a\\x1b[2J" in result.out  # the current owner, shown escaped
    assert load_run(controlled_run, STATUSES).items["REC-01"].owner == CONTROLS  # kept


# -- issue 14: exports go to a new file or replace a regular one ---------------------------

@pytest.mark.parametrize("kind", ["run-file", "link-to-run-file", *NOT_FILES])
def test_export_output_refuses_what_is_not_an_export_file(noted_run: Path, tmp_path: Path,
                                                          basic_needs: Path, kind: str) -> None:
    before = noted_run.read_bytes()
    if kind == "run-file":
        output = noted_run
    elif kind == "link-to-run-file":
        output = tmp_path / "export.csv"
        output.symlink_to(noted_run)
    else:
        output = not_a_file(kind, tmp_path / "export.csv")
    result = run_process("export", noted_run, "--format", "csv", "--output", output,
                         "--needs", basic_needs)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(output) in result.stderr
    assert noted_run.read_bytes() == before
    if kind == "device":
        assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    if kind == "folder":
        assert list(output.iterdir()) == []


def test_export_output_through_a_link_writes_the_linked_file(noted_run: Path, tmp_path: Path,
                                                             basic_needs: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    target = tmp_path / "partage.csv"
    target.write_text("ancien\n", encoding="utf-8")
    link = tmp_path / "export.csv"
    link.symlink_to(target)
    result = run_main(capsys, "export", noted_run, "--format", "csv", "--output", link,
                      "--needs", basic_needs)
    assert result.code == 0, result.err
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith('"id","phase"')


# -- issue 14: what is typed or given is written only if it reads back ----------------------

def test_bytes_that_are_not_utf8_at_the_prompt_are_asked_again(fresh_run: Path,
                                                               basic_needs: Path) -> None:
    """A Latin-1 terminal sends é as the byte 0xe9: refused, asked again, and the file
    holds what was typed in UTF-8 afterwards."""
    typed = (b"f\n\xe9quipe RH\n\xc3quipe\n" + "Équipe RH\n".encode() + b"\n\n"
             + "r\xe9ponse\n".encode("latin-1") + "réponse\n".encode() + b"q\n")
    result = subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", "run", str(fresh_run), "--needs",
         str(basic_needs)], input=typed, capture_output=True, check=False,
        env=process_env(), timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8")
    assert out.count("Caractères illisibles (\\xe9)") == 2
    assert out.count("Caractères illisibles (\\xc3)") == 1
    answer = load_run(fresh_run, STATUSES).items["REC-01"]
    assert (answer.status, answer.owner, answer.answer) == ("done", "Équipe RH", "réponse")


def test_text_decoded_with_surrogateescape_at_the_prompt_is_asked_again(
        fresh_run: Path, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A C locale's standard input hands Python the same bytes as lone surrogates."""
    latin = b"\xe9quipe".decode("utf-8", "surrogateescape")
    typed = f"f\n{latin}\nÉquipe\n\n\n\n"
    result = interact(capsys, monkeypatch, typed, fresh_run, "REC", "--needs", basic_needs)
    assert result.code == 0
    assert "Caractères illisibles (\\xe9)" in result.out
    assert load_run(fresh_run, STATUSES).items["REC-01"].owner == "Équipe"


def test_an_argument_that_is_not_utf8_is_refused(tmp_path: Path, basic_needs: Path) -> None:
    path = tmp_path / "run.yaml"
    organisation = b"Soci\xe9t\xe9".decode("utf-8", "surrogateescape")  # argv from Latin-1
    result = run_process("new", path, "--organisation", organisation, "--needs", basic_needs)
    assert result.returncode == 2
    assert "not UTF-8 (\\xe9)" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


def test_a_path_that_is_not_utf8_is_written_and_read_back(tmp_path: Path,
                                                          basic_needs: Path) -> None:
    path = tmp_path / b"suivi-\xe9t\xe9.yaml".decode("utf-8", "surrogateescape")
    created = run_process("new", path, "--organisation", "Été SA", "--needs", basic_needs)
    assert created.returncode == 0, created.stderr
    # shown escaped, as the bytes it holds (as the values of a run file), not a crash
    assert "suivi-\\xe9t\\xe9.yaml" in created.stdout
    answered = run_process("run", path, "REC", "--needs", basic_needs, stdin=reply("f"))
    assert answered.returncode == 0, answered.stderr
    assert load_run(path, STATUSES).organisation == "Été SA"
    assert run_process("validate", path, "--needs", basic_needs).returncode == 0


# -- issue 14: no traceback, ever -----------------------------------------------------------

def test_run_with_standard_input_closed(fresh_run: Path, basic_needs: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", "run", str(fresh_run), "--needs",
         str(basic_needs)], stdin=None, capture_output=True, text=True, check=False,
        env=process_env(), timeout=60, preexec_fn=lambda: os.close(0))
    assert result.returncode == 2, result.stderr
    assert "standard input is closed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["status"], ["export", "--format", "csv"], ["validate"]])
def test_standard_output_closed(progress_run: Path, basic_needs: Path,
                                command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", command[0], str(progress_run),
         *command[1:], "--needs", str(basic_needs)], capture_output=True, text=True,
        check=False, env=process_env(), timeout=60, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2, result.stderr
    assert "standard output is closed" in result.stderr
    assert "Traceback" not in result.stderr


def test_out_of_memory_is_a_message(progress_run: Path, basic_needs: Path,
                                    capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cli = sys.modules["playbook_rh.cli.main"]

    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cli, "load_run", exhausted)
    result = run_main(capsys, "status", progress_run, "--needs", basic_needs)
    assert result.code == 2
    assert "not enough memory" in result.err


CRAFTED_FIELDS = {
    "phase-order-text": {"phase_order": "premier"},
    "lineno-list": {"lineno": [1, 2]},
    "lineno-mapping": {"lineno": {"a": 1}},
    "owner-number": {"owner": 3, "owner_labels": None},
}


@pytest.mark.parametrize("fields", list(CRAFTED_FIELDS.values()), ids=list(CRAFTED_FIELDS))
def test_a_crafted_needs_json_is_a_message(tmp_path: Path, basic_needs: Path,
                                           progress_run: Path, fields: dict[str, object],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """In this process (twelve interpreters cost two seconds): an exception escaping
    ``main`` fails the test as its traceback would fail the real command."""
    needs = needs_variant(basic_needs, tmp_path / "crafted" / "needs.json",
                          fields={"REC-01": fields})
    for command in (["list"], ["status", progress_run], ["validate", progress_run]):
        result = run_main(capsys, *command, "--needs", needs)
        assert "Traceback" not in result.err, result.err
        assert result.code in (0, 2), result.err
        if result.code == 2:
            assert str(needs) in result.err


@pytest.mark.parametrize("kind", ["nested", "fifo", "device"])
def test_a_needs_json_that_is_no_file_is_a_message(tmp_path: Path, progress_run: Path,
                                                   kind: str) -> None:
    needs = tmp_path / "needs.json"
    if kind == "nested":
        needs.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(needs)
    else:
        needs = Path("/dev/zero")
    result = run_process("status", progress_run, "--needs", needs)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(needs) in result.stderr


# -- issue 14: the run command -------------------------------------------------------------

@pytest.mark.parametrize("order", [
    ["{file}", "REC", "--all"], ["{file}", "--all", "REC"], ["--all", "{file}", "REC"],
    ["{file}", "--needs", "{needs}", "REC", "--all"], ["REC"],
], ids=["phase-then-option", "option-then-phase", "option-first", "needs-between",
        "phase-only"])
def test_run_takes_its_options_in_any_order(fresh_run: Path, basic_needs: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch,
                                            order: list[str]) -> None:
    interact(capsys, monkeypatch, reply("f") + reply("s") + reply("c"), fresh_run,
             "--needs", basic_needs)  # every item reviewed: only --all asks again
    args = [part.format(file=fresh_run, needs=basic_needs) for part in order]
    if order == ["REC"]:
        args = [str(fresh_run), "REC", "--all"]
    if "--needs" not in args:
        args += ["--needs", str(basic_needs)]
    result = interact(capsys, monkeypatch, "q\n", *args)
    assert result.code == 0, result.err
    assert asked(result.out) == ["REC-01"]


def test_a_second_phase_is_still_refused(fresh_run: Path, basic_needs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "run", fresh_run, "REC", "--all", "TRA", "--needs", basic_needs)
    assert result.code == 2
    assert "unrecognized arguments: TRA" in result.err


def test_dash_clears_every_field(tmp_path: Path, basic_needs: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_run(tmp_path / "run.yaml", {"REC-01": {
        "status": "in-progress", "owner": "Bob", "due": "2026-12-01", "evidence": "doc",
        "answer": "en cours"}})
    result = interact(capsys, monkeypatch, reply("", "-", "-", "-", "-"), path, "REC",
                      "--needs", basic_needs)
    assert result.code == 0, result.err
    cleared = load_run(path, STATUSES).items["REC-01"]
    assert (cleared.status, cleared.owner, cleared.due, cleared.evidence, cleared.answer) == (
        "in-progress", "", None, "", "")
    assert "owner:" not in path.read_text(encoding="utf-8")


def test_guidance_is_printed_as_plain_text(tmp_path: Path, basic_needs: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    guidance = ("Le {term}`RGPD` s'applique ; {fact}`près de 347 millions de membres "
                "<aquent-2015>` en 2015, voir le {term}`règlement intérieur <reglement>` "
                "et **la charte** ([page](https://e.example/charte)).")
    needs = needs_variant(basic_needs, tmp_path / "roles" / "needs.json",
                          fields={"REC-01": {"content": guidance}})
    path = write_run(tmp_path / "run.yaml", {})
    result = interact(capsys, monkeypatch, "q\n", path, "--needs", needs)
    assert "Le RGPD s'applique ; près de 347 millions de membres en 2015, voir le " \
           "règlement intérieur et la charte (page (https://e.example/charte))." in \
           " ".join(result.out.split())
    assert "{term}" not in result.out and "{fact}" not in result.out and "`" not in result.out


def test_next_id_of_a_full_phase_says_so(tmp_path: Path, basic_needs: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    needs = needs_variant(basic_needs, tmp_path / "full" / "needs.json",
                          add={"REC-999": ("REC-02", "La dernière ?")})
    result = run_main(capsys, "next-id", "REC", "--needs", needs,
                      "--releases", tmp_path / "none")
    assert result.code == 2
    assert "phase recruitment is full" in result.err and "REC-1000 is not an ID" in result.err
    assert result.out == ""
    almost = needs_variant(basic_needs, tmp_path / "almost" / "needs.json",
                           add={"REC-998": ("REC-02", "L'avant-dernière ?")})
    assert run_main(capsys, "next-id", "REC", "--needs", almost, "--releases",
                    tmp_path / "none").out.strip() == "REC-999"

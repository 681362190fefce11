"""Run files: the format, reading with located errors, atomic locked writes."""

from __future__ import annotations

import datetime
import fcntl
import os
import runpy
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from playbook_rh.core import runs
from playbook_rh.core.run_schema import run_schema as generated_schema
from playbook_rh.core.runs import (
    FORMAT,
    Answer,
    Run,
    RunError,
    load_run,
    parse_run,
    record_answer,
    save_run,
)
from playbook_rh.core.vocabulary import ID_PATTERN

from .cli_support import (
    CRITERIA,
    NOT_FILES,
    STATUSES,
    line_of,
    not_a_file,
    process_env,
    run_main,
    run_process,
    run_schema,
    schema_errors,
)
from .conftest import REPO, build_in_a_fork

pytestmark = pytest.mark.usefixtures("no_needs_from_environment")

EXAMPLE = REPO / "assessments" / "example.yaml"


def temporary_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


FULL = Answer(status="in-progress", owner="Claire Martin (DRH)",
              due=datetime.date(2026, 12, 15), evidence="https://intranet.example/p.pdf",
              answer="Politique « adoptée » : oui",
              updated=datetime.datetime(2026, 11, 20, 14, 3,
                                        tzinfo=datetime.timezone(datetime.timedelta(hours=1))))


# -- vocabulary and schema ---------------------------------------------------------------

def test_a_blank_answer_is_to_do_in_conf_py_too() -> None:
    conf = runpy.run_path(str(REPO / "conf.py"))
    assert Answer().status in conf["playbook_statuses"]
    assert conf["playbook_default_status"] == Answer().status


def test_schema_file_is_the_schema_generated_from_the_run_model() -> None:
    assert run_schema() == generated_schema(STATUSES, CRITERIA), (
        "static/run.schema.json differs from the run model: write it again with "
        "`python -m playbook_rh.cli.run_schema`")


def test_schema_knows_the_statuses_and_fields() -> None:
    schema = run_schema()
    answer = schema["$defs"]["answer"]
    assert answer["properties"]["status"]["enum"] == list(STATUSES)
    assert list(answer["properties"]) == list(runs.ITEM_FIELDS)
    assert list(schema["properties"]) == list(runs.TOP_FIELDS)
    assert schema["properties"]["format"]["const"] == FORMAT == "playbook-run/1"
    assert schema["properties"]["items"]["propertyNames"]["pattern"] == ID_PATTERN.pattern


def test_generated_schema_follows_the_statuses_it_is_given() -> None:
    status = generated_schema({"todo": "À faire", "blocked": "Bloqué", "done": "Fait"})[
        "$defs"]["answer"]["properties"]["status"]
    assert status["enum"] == ["todo", "blocked", "done"]
    assert status["description"] == "à faire, bloqué, fait; done count as complete."


def test_example_validates_against_the_schema() -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert data["items"], "the example has answers"
    assert schema_errors(data) == []
    # the schema is not a rubber stamp: a bad status and an unknown field are caught
    data["items"]["DIR-01"]["status"] = "finished"
    data["items"]["DIR-02"]["colour"] = "red"
    assert len(schema_errors(data)) == 2


def test_example_is_read_by_the_reader() -> None:
    run = load_run(EXAMPLE, STATUSES)
    assert run.organisation == "Maison Lumen (exemple fictif)"
    assert run.started == datetime.date(2026, 9, 1)
    assert run.items["DIR-02"].due == datetime.date(2026, 12, 15)
    assert run.items["DIR-08"].status == "not-applicable"
    assert run.lines["DIR-01"] == line_of(EXAMPLE, "DIR-01:")


def test_a_saved_run_validates_against_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple SA", started=datetime.date(2026, 11, 2),
                       items={"REC-01": FULL, "REC-02": Answer()}))
    record_answer(path, "TRA-01", Answer(status="done", due=datetime.date(2027, 1, 5)),
                  STATUSES)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data["items"]) == {"REC-01", "REC-02", "TRA-01"}
    assert schema_errors(data) == []


def test_an_empty_run_is_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run())
    assert load_run(path, STATUSES).items == {}
    assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


# -- writing what is read ----------------------------------------------------------------

def test_every_field_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    run = Run(organisation="Société « Exemple » : SA", started=datetime.date(2026, 11, 2),
              items={"REC-01": FULL, "TRA-01": Answer(status="not-applicable")})
    save_run(path, run)
    back = load_run(path, STATUSES)
    assert back.organisation == run.organisation
    assert back.started == run.started
    assert back.items == run.items
    assert back.lines == {"REC-01": line_of(path, "REC-01:"), "TRA-01": line_of(path, "TRA-01:")}


TRICKY_TEXTS = {
    "yaml-syntax": "#1: - [a] {b} & *c ! | > % @ `d` 'e' \"f\"",
    "booleans-and-numbers": "yes",
    "null-word": "null",
    "date-like": "2026-12-15",
    "spaces-around": "  espace devant, derrière  ",
    "newlines": "ligne 1\nligne 2\r\nligne 3\r",
    "tab-and-escape": "a\tb\x1b[31m\\n",
    "html": "<script>alert('x')</script>",
    "emoji-and-accents": "Élodie ✓ 😀",
    "nul": "a\x00b",
    "bom-inside": "a\ufeffb",
    "line-separator": "a\u2028 b",
    "next-line": "a\x85b",
    "delete": "a\x7fb",
    "c1-control": "a\x80b\x9fc",
    "noncharacter": "a\ufffeb",
}


@pytest.mark.parametrize("text", list(TRICKY_TEXTS.values()), ids=list(TRICKY_TEXTS))
def test_any_text_is_saved_as_given(tmp_path: Path, text: str) -> None:
    """What a person types is stored as typed, and the file stays readable."""
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": Answer()}))
    record_answer(path, "REC-02",
                  Answer(status="done", owner=text, evidence=text, answer=text), STATUSES)
    back = load_run(path, STATUSES)  # a RunError here: one answer made every answer unreadable
    assert back.items["REC-02"].answer == text
    assert back.items["REC-02"].owner == text
    assert back.items["REC-02"].evidence == text
    assert set(back.items) == {"REC-01", "REC-02"}


def test_record_answer_keeps_the_other_items_and_dates_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": FULL, "REC-02": Answer()}))
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    run = record_answer(path, "REC-02", Answer(status="done", answer="oui"), STATUSES)
    back = load_run(path, STATUSES)
    assert back.items == run.items
    assert back.items["REC-01"] == FULL
    updated = back.items["REC-02"].updated
    assert updated is not None and updated.tzinfo is not None
    assert updated >= before
    assert back.items["REC-02"].answer == "oui"


def test_saving_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run())
    path.chmod(0o600)  # answers an organisation keeps private
    record_answer(path, "REC-01", Answer(status="done"), STATUSES)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- nothing is lost -----------------------------------------------------------------------

def test_a_crash_while_saving_keeps_the_old_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": FULL}))
    before = path.read_bytes()

    def crash(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        save_run(path, Run(organisation="Autre", items={}))
    assert path.read_bytes() == before
    assert temporary_files(tmp_path) == []
    monkeypatch.undo()
    assert load_run(path, STATUSES).items == {"REC-01": FULL}


def test_an_interrupt_while_recording_keeps_the_old_file_and_frees_the_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": FULL}))
    before = path.read_bytes()

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        record_answer(path, "REC-02", Answer(status="done"), STATUSES)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert temporary_files(tmp_path) == []
    # the folder's lock was released: another writer can take it at once
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(folder, fcntl.LOCK_UN)
    finally:
        os.close(folder)
    record_answer(path, "REC-02", Answer(status="done"), STATUSES)
    assert set(load_run(path, STATUSES).items) == {"REC-01", "REC-02"}


#: Answers each writer of the test below records. Each write reads and rewrites the
#: whole file (40 to 60 ms a write, most of it in ruamel.yaml): two times 30 writes keep
#: the two writers' read-modify-write cycles overlapping for a second or more.
WRITES = 30

WRITER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from playbook_rh.core.runs import Answer, record_answer
    STATUSES = ("todo", "in-progress", "done", "not-applicable")
    path, prefix = Path(sys.argv[1]), sys.argv[2]
    sys.stdin.readline()  # start together
    for number in range(1, {WRITES} + 1):
        record_answer(path, f"{{prefix}}-{{number:02d}}", Answer(status="done",
                      answer=f"{{prefix}} {{number}}"), STATUSES)
""")

#: Reads the file each time it changes (another inode, time or size), from the start to
#: the end of the writes (a second line on its input), then prints how many reads failed
#: and how many it made: a read as soon as a write begins or ends, however slow the
#: machine, and no processor taken from the writers between two writes.
READER = textwrap.dedent("""
    import os, selectors, sys
    from pathlib import Path
    from playbook_rh.core.runs import RunError, load_run
    STATUSES = ("todo", "in-progress", "done", "not-applicable")
    path = Path(sys.argv[1])
    sys.stdin.readline()
    writers_done = selectors.DefaultSelector()
    writers_done.register(sys.stdin, selectors.EVENT_READ)
    failures = reads = 0
    seen = None
    while True:
        done = writers_done.select(timeout=0.001)
        try:
            status = os.stat(path)
            version = (status.st_ino, status.st_mtime_ns, status.st_size)
        except FileNotFoundError:
            version = None
        if version != seen or reads == 0:
            seen = version
            try:
                load_run(path, STATUSES)
            except RunError as error:
                failures += 1
                print(error, file=sys.stderr)
            reads += 1
        if done:
            break
    print(failures, reads)
""")


def test_two_writers_and_a_reader_at_once(tmp_path: Path) -> None:
    """No answer is lost, and a reader never sees a half-written file: it reads from the
    writers' start to their end, whatever the machine's speed."""
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple"))
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(path), *extra],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=process_env())
        for code, extra in ((WRITER, ["AAA"]), (WRITER, ["BBB"]), (READER, []))
    ]
    for process in processes:  # all three start together
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    *writers, reader = processes
    results = [writer.communicate(timeout=120) for writer in writers]
    results.append(reader.communicate("writers done\n", timeout=120))
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    failures, reads = results[2][0].split()
    assert failures == "0", "a reader saw a half-written file: " + results[2][1]
    assert int(reads) > 1, "the reader did not read while the writers wrote"
    run = load_run(path, STATUSES)
    expected = {f"{prefix}-{n:02d}": f"{prefix} {n}" for prefix in ("AAA", "BBB")
                for n in range(1, WRITES + 1)}
    assert {item_id: answer.answer for item_id, answer in run.items.items()} == expected
    assert all(answer.status == "done" for answer in run.items.values())
    assert temporary_files(tmp_path) == []


# -- reading never trusts the file ---------------------------------------------------------

#: The classic "billion laughs": 9 levels of 9 references, 6 * 9**9 strings once expanded
BOMB = "\n".join(
    ["format: playbook-run/1", "items: {}", 'a: &a ["lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(9)]
) + "\n"
#: The same with mappings, inside an item where a mapping is expected
MAPPING_BOMB = "\n".join(
    ["format: playbook-run/1", "items:", "  REC-01:",
     '    answer: &a {"k0": lol, "k1": lol, "k2": lol, "k3": lol}']
    + [f"    x{i}: &{chr(98 + i)} {{" + ", ".join(f"k{n}: *{chr(97 + i)}" for n in range(9))
       + "}" for i in range(9)]
) + "\n"

HEAD = "format: playbook-run/1\norganisation: Exemple\nitems:\n"

#: name -> (content, line of the problem, words of the message)
BAD_RUNS: dict[str, tuple[str, int, str]] = {
    "malformed-tab": (HEAD + "  REC-01:\n\tstatus: done\n", 5, "not valid YAML"),
    "malformed-indent": (HEAD + "  REC-01:\n    status: done\n   owner: x\n", 6,
                         "not valid YAML"),
    "unclosed-quote": ('format: "playbook-run/1\nitems: {}\n', 3, "not valid YAML"),
    "text-as-list": (HEAD + "  REC-01:\n    status: done\n    evidence: [a, b]\n", 6,
                     "evidence must be text"),
    "text-as-block-list": (HEAD + "  REC-01:\n    owner:\n      - Alice\n      - Bob\n", 6,
                           "owner must be text"),
    "text-as-mapping": (HEAD + "  REC-01:\n    answer: {oui: non}\n", 5,
                        "answer must be text"),
    "status-as-list": (HEAD + "  REC-01:\n    status: [done]\n", 5, "status"),
    "organisation-as-mapping": ("organisation:\n  nom: Exemple\nitems: {}\n", 2,
                                "organisation must be text"),
    "items-as-text": ("items: REC-01\n", 1, "items must be a mapping"),
    "item-not-a-mapping": (HEAD + "  REC-01: done\n", 4, "item REC-01 must be a mapping"),
    "items-a-list": (HEAD + "  - REC-01\n", 4, "items must be a mapping"),
    "run-a-list": ("- REC-01\n- REC-02\n", 1, "the run file must be a mapping"),
    "no-items": ("format: playbook-run/1\norganisation: Exemple\n", 1, "no 'items:' section"),
    "unknown-status": (HEAD + "  REC-01:\n    status: finished\n", 5,
                       "'finished' is not one of todo, in-progress, done, not-applicable"),
    "status-in-french": (HEAD + "  REC-01:\n    status: Fait\n", 5, "'Fait' is not one of"),
    "impossible-date": (HEAD + "  REC-01:\n    due: 2026-02-30\n", 5, "not a date"),
    "date-in-words": (HEAD + "  REC-01:\n    due: demain\n", 5, "not a date"),
    "date-day-first": (HEAD + "  REC-01:\n    due: 31/12/2026\n", 5, "not a date"),
    "bad-started": ("started: 2026-13-01\nitems: {}\n", 1, "started '2026-13-01' is not a date"),
    "bad-updated": (HEAD + "  REC-01:\n    updated: hier\n", 5, "not a date and time"),
    "unknown-item-field": (HEAD + "  REC-01:\n    status: done\n    colour: red\n", 6,
                           "unknown field 'colour'"),
    "unknown-top-key": (HEAD + "  REC-01:\n    status: done\nextra: 1\n", 6,
                        "unknown key 'extra'"),
    "duplicate-item": (HEAD + "  REC-01:\n    status: done\n  REC-01:\n    status: todo\n",
                       6, "'REC-01' appears twice (first on line 4)"),
    "duplicate-field": (HEAD + "  REC-01:\n    status: done\n    status: todo\n", 6,
                        "'status' appears twice (first on line 5)"),
    "duplicate-top-key": (HEAD + "  REC-01:\n    status: done\norganisation: Autre\n", 6,
                          "'organisation' appears twice (first on line 2)"),
    "not-an-id": (HEAD + "  rec-1:\n    status: done\n", 4, "'rec-1' is not an item ID"),
    "other-format": ("format: playbook-run/2\nitems: {}\n", 1, "'playbook-run/2'"),
    "alias": (HEAD + "  REC-01: &done {status: done}\n  REC-02: *done\n", 4,
              "anchors and aliases"),
    "alias-bomb": (BOMB, 3, ""),
    "alias-bomb-of-mappings": (MAPPING_BOMB, 4, "anchors and aliases"),
    "python-tag": ('items: !!python/object/apply:os.system ["echo owned"]\n', 1,
                   "items must be a mapping"),
    "python-tag-status": (HEAD + "  REC-01:\n    status: !!python/name:os.system\n", 5,
                          "status"),
    "surrogate-escape": (HEAD + '  REC-01:\n    answer: "\\ud800"\n', 5, ""),
    "empty": ("", 1, "empty"),
    "blank": ("\n  \n\n", 1, "empty"),
    "only-comments": ("# Suivi\n# rien encore\n", 1, ""),
    # a problem of the whole file: located at the file, with no line
    "huge": (HEAD + "# " + "x" * (5 * 1024 * 1024) + "\n", None, "a run file is at most 5 MiB"),
}


@pytest.mark.parametrize("name", list(BAD_RUNS))
def test_a_bad_run_file_is_refused_with_its_line(tmp_path: Path, basic_needs: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 name: str) -> None:
    content, line, words = BAD_RUNS[name]
    path = tmp_path / "run.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_main(capsys, "validate", path, "--needs", basic_needs)
    assert result.code == 2, result
    where = f"{path}:{line}" if line is not None else str(path)
    assert f"playbook-rh validate: {where}: " in result.err, result.err
    assert words in result.err
    assert "valid (" not in result.out
    # load_run says the same, as a RunError listing located problems
    with pytest.raises(RunError) as caught:
        load_run(path, STATUSES)
    assert all(problem.path == path and problem.line == line
               for problem in caught.value.problems[:1])


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(HEAD + "  REC-01:\n    status: finished\n    due: 2026-13-45\n"
                    "    owner: [a]\n    colour: red\nextra: 1\n", encoding="utf-8")
    with pytest.raises(RunError) as caught:
        load_run(path, STATUSES)
    assert [problem.line for problem in caught.value.problems] == [5, 6, 7, 8, 9]


@pytest.mark.parametrize("bomb", [BOMB, MAPPING_BOMB], ids=["lists", "mappings"])
def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path, bomb: str) -> None:
    assert len(bomb) < 1000
    with pytest.raises(RunError):  # at once: a loader that expanded it would not return
        parse_run(bomb, tmp_path / "bomb.yaml", STATUSES)


def test_a_missing_file_is_named(tmp_path: Path, basic_needs: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.yaml"
    result = run_main(capsys, "validate", path, "--needs", basic_needs)
    assert result.code == 2
    assert str(path) in result.err and "no such file" in result.err
    assert "playbook-rh new" in result.err


UNREADABLE_TEXT: dict[str, tuple[bytes, int]] = {
    "non-utf8": (("format: playbook-run/1\nitems: {}\norganisation: Société\n"
                  ).encode("latin-1"), 3),
    "control-character": (HEAD.encode() + b"  REC-01:\n    answer: |\n      a\x7fb\n", 6),
}


@pytest.mark.parametrize("name", list(UNREADABLE_TEXT))
def test_unreadable_text_is_located_at_its_line(tmp_path: Path, basic_needs: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                name: str) -> None:
    content, line = UNREADABLE_TEXT[name]
    path = tmp_path / "run.yaml"
    path.write_bytes(content)
    result = run_main(capsys, "validate", path, "--needs", basic_needs)
    assert result.code == 2
    assert f"{path}:{line}: " in result.err, result.err


@pytest.mark.parametrize("value", ["20261215", '"2026-W50-2"', '"2026-350"'])
def test_dates_are_read_as_the_schema_writes_them(tmp_path: Path, value: str) -> None:
    """The reader takes the dates the JSON Schema takes: YYYY-MM-DD, nothing else."""
    content = HEAD + f"  REC-01:\n    due: {value}\n"
    data = yaml.safe_load(content)
    assert schema_errors(data) != []
    with pytest.raises(RunError, match="YYYY-MM-DD"):
        parse_run(content, tmp_path / "run.yaml", STATUSES)


def test_bad_files_never_print_a_traceback(tmp_path: Path, basic_needs: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A message and exit 2, not a Python traceback: every command on every file in this
    process, and each file and each command once through the real command, as a process
    (a process each costs the import of the command again)."""
    cases = {
        "bomb.yaml": BOMB.encode(),
        "latin1.yaml": "organisation: Société\nitems: {}\n".encode("latin-1"),
        "empty.yaml": b"",
        "huge.yaml": BAD_RUNS["huge"][0].encode(),
        "types.yaml": BAD_RUNS["text-as-list"][0].encode(),
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    commands = (["validate"], ["status"], ["export", "--format", "csv"])
    for number, name in enumerate([*cases, "missing.yaml"]):
        for command in commands:
            result = run_main(capsys, command[0], tmp_path / name, *command[1:], "--needs",
                              basic_needs)
            assert result.code == 2, (name, command, result.err)
            assert "Traceback" not in result.err, result.err
            assert f"{tmp_path / name}:" in result.err
        command = commands[number % len(commands)]
        process = run_process(command[0], tmp_path / name, *command[1:], "--needs",
                              basic_needs)
        assert process.returncode == 2, (name, command, process.stderr)
        assert "Traceback" not in process.stderr, process.stderr
        assert f"{tmp_path / name}:" in process.stderr


def test_an_escaped_lone_surrogate_never_crashes_a_command(tmp_path: Path,
                                                          basic_needs: Path) -> None:
    """``"\\ud800"`` is no character: whatever reads it, no command may end in a traceback
    (writing it as UTF-8, to the screen or to the file, is impossible)."""
    path = tmp_path / "run.yaml"
    path.write_text(BAD_RUNS["surrogate-escape"][0], encoding="utf-8")
    commands = [["validate"], ["status"], ["export", "--format", "csv"],
                ["export", "--format", "md"], ["run", "REC"]]
    for command in commands:
        result = run_process(command[0], path, *command[1:], "--needs", basic_needs,
                             stdin="f\n\n\n\n\n")
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode in (0, 2), (command, result.stderr)


#: Characters YAML does not allow raw, or folds: the fast reader of playbook_rh.core.run_yaml
#: must read them as PyYAML does, or step aside (tests/test_yamltree.py has the rest).
ODD_SNIPPETS = {
    "line-separator-quoted": 'items:\n  REC-01:\n    answer: "a\u2028 b"\n',
    "next-line-quoted": 'items:\n  REC-01:\n    answer: "a\x85b"\n',
    "delete-plain": "items:\n  REC-01:\n    answer: a\x7fb\n",
    "delete-quoted": 'items:\n  REC-01:\n    answer: "a\x7fb"\n',
    "c1-control-quoted": 'items:\n  REC-01:\n    answer: "a\x9bb"\n',
    "surrogate-escape": 'items:\n  REC-01:\n    answer: "\\ud800"\n',
}


@pytest.mark.parametrize("text", list(ODD_SNIPPETS.values()), ids=list(ODD_SNIPPETS))
def test_both_yaml_readers_agree_on_odd_characters(text: str) -> None:
    """A file must not be valid, or read differently, depending on which reader the
    rest of the file sends it to."""
    yamltree = pytest.importorskip("playbook_rh.core.run_yaml")
    fast = yamltree.fast_tree(text)
    if fast is None:
        return
    try:
        slow = yamltree.pyyaml_tree(text)
    except yamltree.YamlError as error:
        pytest.fail(f"the fast reader takes what PyYAML refuses: line {error.line}: "
                    f"{error.message}")
    assert fast == slow


# -- writing keeps what people wrote by hand (issue 14) ------------------------------------

#: The worked example as an organisation edits it: comments above and beside values,
#: blank lines, an answer as a block scalar, keys in their own order, single quotes, a
#: comment between two items.
HAND_EDITS = [
    ("  DIR-02:\n", "  # La direction veut un exercice avant la fin de l'année.\n\n  DIR-02:\n"),
    ("    status: in-progress\n    owner: \"Inès Morel\"\n",
     "    owner: 'Inès Morel'   # intérim en décembre\n    status: in-progress\n"),
    ("  DIR-06:\n    status: todo\n",
     "  DIR-06:\n    status: todo\n    answer: |\n      Première ligne.\n"
     "      Seconde ligne : « citée ».\n\n"),
]


def hand_edited_example(folder: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in HAND_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "suivi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed from ``before`` and added in ``after`` (a line diff)."""
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def item_lines(text: str, item_id: str) -> list[str]:
    """The lines of ``item_id``'s entry: its key and the lines indented under it."""
    lines = text.splitlines()
    start = lines.index(f"  {item_id}:")
    block = [lines[start]]
    for line in lines[start + 1:]:
        if line.startswith("    ") or not line.strip():
            block.append(line)
        else:
            break
    return block


def test_an_answer_changes_only_the_lines_of_its_item(tmp_path: Path) -> None:
    path = hand_edited_example(tmp_path)
    before = path.read_text(encoding="utf-8")
    old = load_run(path, STATUSES)
    record_answer(path, "DIR-02", old.items["DIR-02"]._replace(
        status="done", answer="Exercice fait le 3 décembre."), STATUSES)
    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed and added
    inside = item_lines(before, "DIR-02") + item_lines(after, "DIR-02")
    assert all(line in inside for line in removed + added), (removed, added)
    # every comment, the header included, and the key order the person chose are kept
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    assert "    owner: 'Inès Morel'   # intérim en décembre" in after
    entry = item_lines(after, "DIR-02")
    assert entry.index("    owner: 'Inès Morel'   # intérim en décembre") \
        < entry.index("    status: done")
    assert "      Seconde ligne : « citée »." in after  # the block scalar of DIR-06
    back = load_run(path, STATUSES)
    assert back.items["DIR-02"].answer == "Exercice fait le 3 décembre."
    assert {k: v for k, v in back.items.items() if k != "DIR-02"} == {
        k: v for k, v in old.items.items() if k != "DIR-02"}


def test_a_new_field_and_a_new_item_go_where_they_belong(tmp_path: Path) -> None:
    path = hand_edited_example(tmp_path)
    before = path.read_text(encoding="utf-8")
    record_answer(path, "DIR-06", Answer(status="in-progress", owner="Léa",
                                         due=datetime.date(2027, 2, 1),
                                         answer="Une ligne\net une autre"), STATUSES)
    record_answer(path, "ZZZ-01", Answer(status="done"), STATUSES)
    after = path.read_text(encoding="utf-8")
    entry = item_lines(after, "DIR-06")
    keys = [line.split(":")[0].strip() for line in entry[1:] if line.startswith("    ")
            and not line.startswith("      ")]
    assert keys == ["status", "owner", "due", "answer", "updated"]
    assert "    answer: |-" in entry  # still a block scalar, as the person wrote it
    assert after.rstrip().endswith("status: done\n    updated: " + after.rstrip()
                                   .rsplit("updated: ", 1)[1])
    removed, _added = changed_lines(before, after)
    assert set(removed) <= set(item_lines(before, "DIR-06"))
    back = load_run(path, STATUSES)
    assert back.items["DIR-06"].answer == "Une ligne\net une autre"
    assert back.items["ZZZ-01"].status == "done"


@pytest.mark.parametrize("items", ["items: {}", "items:", "items: ~"])
def test_the_first_answer_of_an_empty_run_is_a_block(tmp_path: Path, items: str) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(f"# nos réponses\nformat: {FORMAT}\n{items}\n", encoding="utf-8")
    record_answer(path, "REC-01", Answer(status="done", owner="Alice"), STATUSES)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# nos réponses\n")
    assert "\n  REC-01:\n    status: done\n    owner: \"Alice\"\n" in text
    assert load_run(path, STATUSES).items["REC-01"].owner == "Alice"


def test_windows_line_ends_and_a_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_bytes(b"\xef\xbb\xbf# r\xc3\xa9ponses\r\nitems:\r\n  REC-01:\r\n"
                     b"    status: todo\r\n")
    record_answer(path, "REC-01", Answer(status="done"), STATUSES)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# r\xc3\xa9ponses\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert load_run(path, STATUSES).items["REC-01"].status == "done"


# -- what cannot be read back is never written ----------------------------------------------

#: Text as Python holds what was not UTF-8: a Latin-1 terminal's "é" (0xe9), a CP1252
#: quote, a byte alone, read with surrogateescape (argv, a C locale's stdin).
UNDECODABLE = {
    "latin-1": b"\xe9quipe RH".decode("utf-8", "surrogateescape"),
    "cp1252-quote": b"\x93oui\x94".decode("utf-8", "surrogateescape"),
    "truncated-utf8": "caf" + b"\xc3".decode("utf-8", "surrogateescape"),
}


@pytest.mark.parametrize("field", ["owner", "evidence", "answer"])
@pytest.mark.parametrize("text", list(UNDECODABLE.values()), ids=list(UNDECODABLE))
def test_bytes_that_are_not_utf8_are_refused_and_the_file_kept(tmp_path: Path, text: str,
                                                                field: str) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": FULL}))
    before = path.read_bytes()
    with pytest.raises(RunError, match="not UTF-8"):
        record_answer(path, "REC-02", Answer(status="done")._replace(**{field: text}),
                      STATUSES)
    assert path.read_bytes() == before
    assert load_run(path, STATUSES).items == {"REC-01": FULL}


@pytest.mark.parametrize("text", list(TRICKY_TEXTS.values()), ids=list(TRICKY_TEXTS))
def test_any_text_replaces_a_block_answer_and_reads_back(tmp_path: Path, text: str) -> None:
    """A block scalar cannot hold every character: the writer changes the style, never
    the text."""
    path = tmp_path / "run.yaml"
    path.write_text("items:\n  REC-01:\n    answer: |\n      avant\n", encoding="utf-8")
    record_answer(path, "REC-01", Answer(status="done", answer=text), STATUSES)
    assert load_run(path, STATUSES).items["REC-01"].answer == text


# -- writes go where the user means --------------------------------------------------------

def test_a_symlinked_run_file_is_updated_through_the_link(tmp_path: Path) -> None:
    shared = tmp_path / "partage"
    shared.mkdir()
    target = shared / "suivi.yaml"
    save_run(target, Run(organisation="Exemple", items={"REC-01": Answer()}))
    link = tmp_path / "run.yaml"
    link.symlink_to(Path("partage") / "suivi.yaml")
    record_answer(link, "REC-01", Answer(status="done", answer="via le lien"), STATUSES)
    assert link.is_symlink()
    assert load_run(target, STATUSES).items["REC-01"].answer == "via le lien"
    assert temporary_files(tmp_path) == [] and temporary_files(shared) == []


def test_a_read_only_run_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": Answer()}))
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(runs.WriteRefused, match="read-only"):
        record_answer(path, "REC-01", Answer(status="done"), STATUSES)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert temporary_files(tmp_path) == []


@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_write_never_replaces_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    target = not_a_file(kind, tmp_path / "run.yaml")
    with pytest.raises(runs.WriteRefused, match="not a file"):
        runs.write_atomically(target, "items: {}\n")
    assert (target.is_dir() if kind == "folder" else
            stat.S_ISFIFO(target.stat().st_mode) if kind == "fifo" else
            stat.S_ISCHR(target.stat().st_mode))


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from playbook_rh.core import runs
    def killed(source, target):
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace = killed  # killed at the last step: the new text is on disk, not renamed
    runs.record_answer(Path(sys.argv[1]), "REC-02", runs.Answer(status="done"),
                       ("todo", "in-progress", "done", "not-applicable"))
""")


def test_a_killed_write_leaves_nothing_git_adds_and_the_next_write_cleans_up(
        tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    path = repository / "run.yaml"
    save_run(path, Run(organisation="Exemple", items={"REC-01": FULL}))
    before = path.read_bytes()
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)],
                            env=process_env(), capture_output=True, check=False, timeout=60)
    assert killed.returncode == -9, killed.stderr
    assert path.read_bytes() == before
    leftovers = temporary_files(repository)
    assert len(leftovers) == 1, "the kill left the write's temporary folder"
    git = ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@e"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], check=True,
                            capture_output=True, text=True).stdout.split()
    assert staged == ["run.yaml"]
    record_answer(path, "REC-02", Answer(status="done"), STATUSES)
    assert temporary_files(repository) == []
    assert set(load_run(path, STATUSES).items) == {"REC-01", "REC-02"}


# -- reading is bounded ----------------------------------------------------------------

def test_a_fifo_is_refused_at_once(tmp_path: Path, basic_needs: Path) -> None:
    fifo = tmp_path / "run.yaml"
    os.mkfifo(fifo)
    # in a process: a reader that waited for a writer would hang the test, not fail it
    result = run_process("validate", fifo, "--needs", basic_needs)
    assert result.returncode == 2
    assert "named pipe" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(RunError, match="named pipe"):
        load_run(fifo, STATUSES)


def test_the_size_limit_counts_the_bytes_read() -> None:
    with pytest.raises(RunError, match="device"):  # /dev/zero: stat says 0 bytes
        load_run(Path("/dev/zero"), STATUSES)


def test_a_file_growing_past_the_limit_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """What is read is counted, not what stat said before reading."""
    path = tmp_path / "run.yaml"
    path.write_text(HEAD + "# " + "x" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setattr(runs, "MAX_BYTES", 1000)
    monkeypatch.setattr(os, "stat", lambda *args, **kwargs: pytest.fail("stat is not trusted"))
    with pytest.raises(RunError, match="larger than 1,000 bytes"):
        load_run(path, STATUSES)


#: The answer of every item of :func:`legal_run`, like the worked example's.
LEGAL_ANSWER = {
    "status": "in-progress", "owner": "Inès Morel (communication)", "due": "2026-12-15",
    "answer": "Scénarios de crise rédigés pour deux cas ; l'exercice reste à organiser.",
    "updated": "2026-11-03T16:10:00+01:00"}


def legal_items(items: int) -> dict[str, dict[str, str]]:
    """The items of :func:`legal_run`: ``items`` IDs (fewer once repeats are merged)."""
    return {f"{chr(65 + n // 26000 % 26)}{chr(65 + n // 1000 % 26)}Z-{n % 900 + 100}":
            dict(LEGAL_ANSWER) for n in range(items)}  # copies: one object would be aliased


def legal_run(items: int, *, flow: bool) -> str:
    """A legal run of ``items`` entries, block style (as ``yaml.safe_dump`` writes it) or
    flow style (JSON). Every item has the same answer, so the block is dumped once and
    repeated under each ID: PyYAML took 10 to 20 s to dump the 5 MB of the memory test,
    and the memory test checks the text equal to its dump on a smaller run."""
    entries = legal_items(items)
    if flow:
        import json

        return json.dumps({"format": FORMAT, "items": entries}, ensure_ascii=False)
    answer = yaml.safe_dump({"items": {"ID": LEGAL_ANSWER}}, allow_unicode=True,
                            sort_keys=False).removeprefix("items:\n  ID:\n")
    return f"format: {FORMAT}\nitems:\n" + "".join(f"  {item_id}:\n{answer}"
                                                   for item_id in entries)


MEASURE = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from playbook_rh.core.runs import read_run_text
    text = read_run_text(Path(sys.argv[1]))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from playbook_rh.core.runs import parse_run
    parse_run(text, Path(sys.argv[1]), ("todo", "in-progress", "done", "not-applicable"))
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024)
""")


@pytest.mark.parametrize("flow", [False, True], ids=["block", "flow"])
def test_memory_stays_a_small_multiple_of_the_file(tmp_path: Path, flow: bool) -> None:
    """A legal run of almost 5 MB, in the style people write or as JSON: reading it
    takes a small multiple of its size, whatever its style."""
    if not flow:  # the style people write is the one PyYAML writes
        assert legal_run(1_500, flow=False) == yaml.safe_dump(
            {"format": FORMAT, "items": legal_items(1_500)}, allow_unicode=True,
            sort_keys=False)
    path = tmp_path / "run.yaml"
    text = legal_run(23_500, flow=flow)
    path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    assert 4_000_000 < size < runs.MAX_BYTES
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path)], env=process_env(),
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    # about 9 times today; PyYAML's node tree took 13 (block) and 32 (flow) times
    assert int(result.stdout) < 12 * size, f"{int(result.stdout) / size:.1f} times the file"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_the_build_refuses_a_run_that_is_no_file(tmp_path: Path, kind: str) -> None:
    """``make html RUN=`` reads the run through the same core function: a FIFO is a
    located warning (the strict build fails), not a build that waits forever."""
    from .cli_support import BASIC_ROOT

    if kind == "fifo":
        run = tmp_path / "run.yaml"
        os.mkfifo(run)
    else:
        run = Path("/dev/zero")
    out = tmp_path / "site"
    result = build_in_a_fork(
        ["-b", "html", "-q", "-W", "-d", str(out / ".doctrees"), "-D", f"playbook_run={run}",
         str(BASIC_ROOT), str(out)], tmp_path / "build", timeout=600)
    assert result.returncode != 0
    assert f"{run}" in result.stderr
    assert ("named pipe" if kind == "fifo" else "a device") in result.stderr, result.stderr
    assert f"{run}:: WARNING:" in result.stderr  # the whole file: no line (not ":None")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("status", ["todo", "in-progress", "done", "not-applicable", "other"])
def test_whether_an_answer_is_complete_depends_on_its_status_alone(status: str) -> None:
    """The assessment asks Answer.complete once per status of a run, not once per answer
    (core/assessment.py): no other field may change it."""
    alone = runs.Answer(status).complete
    for due in (None, datetime.date(2020, 1, 1), datetime.date(2099, 1, 1)):
        filled = runs.Answer(status, owner="Alice", due=due, evidence="e", answer="a",
                             updated=datetime.datetime(2026, 11, 20, 10, 0))
        assert filled.complete is alone
    assert alone is (status in ("done", "not-applicable"))

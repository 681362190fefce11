"""The corpus of run files (``tests/corpus/runs/``) read by ``playbook-rh validate``:
each file accepted or refused as ``cases.json`` says, with the same problems (the
same case, on the same line) as the browser's code reports for it
(``tests/js/corpus.test.js``, run by ``tests/test_js.py``). The command's messages are
in English and the browser's in French: a pattern per problem code ties them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playbook_rh.core.runs import RunError, load_run

from .cli_support import STATUSES, run_main
from .conftest import REPO

CORPUS = REPO / "tests" / "corpus" / "runs"
CASES: dict[str, Any] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))

#: What the command line says for each problem code of the corpus.
MESSAGES = {
    "empty": "the run file is empty",
    "too-big": r"a run file is at most \d+ MiB",
    "not-utf8": "not UTF-8 text: byte 0x",
    "yaml-syntax": "not valid YAML",
    "several-documents": "one YAML document, not several",
    "key-not-text": "keys must be plain text",
    "yaml-alias": r"anchors and aliases \(& and \*\) are not allowed",
    "not-mapping": "must be a mapping of 'key: value' lines",
    "not-text": "must be text, not a list or a mapping",
    "duplicate-key": r"appears twice \(first on line \d+\)",
    "no-items": "has no 'items:' section",
    "format": "is not 'playbook-run/1', the only one this version reads",
    "unknown-key": "unknown key '[^']+'; a run file has",
    "not-an-id": r"is not an item ID \(such as REC-03\)",
    "unknown-id": "is not a question of the playbook",
    "status": "status '[^']*' is not one of todo, in-progress, done, not-applicable",
    "unknown-field": "unknown field '[^']+'; an item takes",
    "date": "is not a date written YYYY-MM-DD",
    "timestamp": r"is not a date and time \(YYYY-MM-DDTHH:MM:SS\+01:00\)",
    "too-long": r"is \d+ characters long; a field holds at most \d+",
}


def generate(recipe: dict[str, Any]) -> bytes:
    """A file too big for git, made as tests/js/corpus.test.js makes it."""
    head, unit = recipe["head"].encode(), recipe["line"].encode()
    return head + unit * -(-(recipe["bytes"] - len(head)) // len(unit))


def problems_reported(path: Path, output: str) -> list[tuple[str, int | None]]:
    """(message, line) of each problem the command printed about ``path``."""
    found: list[tuple[str, int | None]] = []
    pattern = re.compile(rf"^(?:playbook-rh validate: )?{re.escape(str(path))}(?::(\d+))?: (.*)$")
    for text in output.splitlines():
        match = pattern.match(text)
        if match and "question(s) without an entry" not in match.group(2):
            found.append((match.group(2), int(match.group(1)) if match.group(1) else None))
    return found


def check(path: Path, expected: dict[str, Any], needs: Path,
          capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run_main(capsys, "validate", path, "--needs", needs)
    if "valid" in expected:
        assert outcome.code == 0, outcome.out + outcome.err
        assert outcome.out.rstrip().endswith("question(s) without an entry)")
        answered = [answer for answer in load_run(path, STATUSES).items.values()
                    if answer != type(answer)()]
        assert len(answered) == expected["valid"]
        return
    codes = [code for code, _line in expected["problems"]]
    # exit 1: answers to questions the playbook no longer has; 2: a file not read
    assert outcome.code == (1 if codes == ["unknown-id"] else 2), outcome.out + outcome.err
    reported = problems_reported(path, outcome.out + outcome.err)
    lines = expected.get("cli_lines") or [line for _code, line in expected["problems"]]
    assert [line for _message, line in reported] == lines, reported
    for (message, _line), code in zip(reported, codes, strict=True):
        assert re.search(MESSAGES[code], message), (code, message)
    if codes != ["unknown-id"]:
        with pytest.raises(RunError):
            load_run(path, STATUSES)


def test_every_file_has_its_case() -> None:
    files = sorted(path.name for path in CORPUS.iterdir() if path.name != "cases.json")
    assert files == sorted(CASES["cases"])
    codes = {code for case in [*CASES["cases"].values(), *CASES["generated"].values()]
             for code, _line in case.get("problems", ())}
    assert codes <= set(MESSAGES), codes - set(MESSAGES)


@pytest.mark.parametrize("name", sorted(CASES["cases"]))
def test_the_command_line_reads_the_corpus(
        name: str, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        request: pytest.FixtureRequest) -> None:
    expected = CASES["cases"][name]
    if "cli_differs" in expected:
        request.applymarker(pytest.mark.xfail(reason=expected["cli_differs"], strict=True))
    check(CORPUS / name, expected, basic_needs, capsys)


@pytest.mark.parametrize("name", sorted(CASES["generated"]))
def test_the_command_line_reads_the_generated_corpus(
        name: str, basic_needs: Path, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    recipe = CASES["generated"][name]
    path = tmp_path / name
    path.write_bytes(generate(recipe))
    check(path, recipe, basic_needs, capsys)


#: How a message says what to do: after its last ':' or ';', a verb in the imperative
#: (or the command that makes a run file).
HOW_TO_FIX = re.compile(r"[:;] [^:;]*\b(?:create|write|correct|remove|keep|add|give|save|"
                        r"shorten|check|start|restore)\b[^;]*$|`playbook-rh new`")


@pytest.mark.parametrize("name", sorted(name for name, case in CASES["cases"].items()
                                        if "problems" in case))
def test_every_problem_of_a_run_file_says_how_to_fix_it(
        name: str, basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / name
    outcome = run_main(capsys, "validate", path, "--needs", basic_needs)
    reported = problems_reported(path, outcome.out + outcome.err)
    assert reported, outcome
    for message, _line in reported:
        assert HOW_TO_FIX.search(message), message


def test_a_file_of_comments_only_says_how_to_make_a_run(
        basic_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("comments-only.yaml", "empty.yaml"):
        outcome = run_main(capsys, "validate", CORPUS / name, "--needs", basic_needs)
        assert outcome.err.rstrip().endswith(
            f"{CORPUS / name}:1: the run file is empty; create one with `playbook-rh new`"), \
            outcome.err

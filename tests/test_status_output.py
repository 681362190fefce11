"""What ``status`` and ``export`` print for a small run, byte for byte.

The command is written for speed (``bench/status.py``: thousands of items in under
0.3 s), which makes its code less plain than it could be; these snapshots hold its
output still while it changes. The run touches every case the report has: a profile
leaving questions out (a whole phase, and one answered anyway), a renamed item, an ID
no question has, a question with no entry, one with no owner role, overdue items (and
one late but done), owners from the run and from the roles, text holding control
characters and spreadsheet formulas, and a needs.json record missing optional fields.

The needs.json is written here as the build writes it (its fields, not Sphinx's whole
record), so the test needs no build. After checking a difference is wanted, rewrite the
files with ``--snapshot-update`` (CONTRIBUTING.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playbook_rh import __version__
from playbook_rh.core.profile import read_criteria
from playbook_rh.core.vocabulary import read_vocabulary
from playbook_rh.core.vocabulary_file import write_vocabulary
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from .cli_support import run_main

PHASES = {
    "executives": {"label": "Convaincre la direction", "prefix": "DIR"},
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Au travail", "prefix": "TRA"},
    "enterprise-networks": {"label": "Réseaux d'entreprise", "prefix": "RSE"},
}
OWNERS = {"hr": "Ressources humaines", "legal": "Juridique", "dpo": "Délégué à la protection"}
STATUSES = {"todo": "À faire", "in-progress": "En cours", "done": "Fait",
            "not-applicable": "Sans objet"}
PROFILE = {
    "headcount": {"label": "Effectif", "question": "Combien de salariés ?", "kind": "bands",
                  "bands": {"moins-de-11": "Moins de 11", "11-49": "De 11 à 49",
                            "50-299": "De 50 à 299", "300-plus": "300 ou plus"},
                  "bounds": [0, 11, 50, 300], "unit": "salariés"},
    "internal-network": {"label": "Réseau social interne", "question": "Réseau interne ?",
                         "kind": "yes-no", "yes": "qui ont un réseau social interne"},
}
SITE = "https://playbook.example.org/"

#: (ID, phase, title, owner roles, page, line, fields that differ from the usual).
QUESTIONS: list[tuple[str, str, str, list[str], str, int, dict[str, Any]]] = [
    ("DIR-01", "executives", "Qui porte le sujet ?", ["hr"], "direction", 4, {}),
    ("DIR-02", "executives", "Quel budget ?", [], "direction", 9, {}),
    ("REC-01", "recruitment", "Que vérifie-t-on ?", ["hr", "legal"], "recrutement", 5, {}),
    ("REC-02", "recruitment", "Le CSE est-il consulté ?", ["legal"], "recrutement", 12,
     {"applies": "headcount >= 50"}),
    ("REC-03", "recruitment", "Qui répond aux candidats ?", ["hr"], "recrutement", 20,
     {"replaces": ["REC-09"]}),
    ("REC-04", "recruitment", "=SUM(A1) \x1b[31mrouge\x1b[0m \u202eà l'envers",
     ["dpo"], "recrutement", 30, {}),
    # read before TRA-01: the same page, an earlier line
    ("TRA-02", "at-work", "Qui modère ?", ["legal"], "travail", 2, {}),
    ("TRA-01", "at-work", "Une charte existe-t-elle ?", ["legal", "hr"], "travail", 7, {}),
    # a record without its optional fields: no owner labels, no replaces, no applies
    ("TRA-03", "at-work", "Qui forme les managers ?", ["hr"], "travail", 15,
     {"owner_labels": None, "replaces": None, "applies": None}),
    ("RSE-01", "enterprise-networks", "Le réseau interne a-t-il une charte ?", ["hr"],
     "reseaux", 3, {"applies": "internal-network"}),
    ("RSE-02", "enterprise-networks", "Qui l'anime ?", ["dpo"], "reseaux", 8,
     {"applies": "internal-network and headcount >= 11"}),
]

RUN = """\
format: playbook-run/1
organisation: "Exemple SA"
started: 2026-11-02
profile:
  headcount: 11-49
  internal-network: false
items:
  DIR-01:
    status: done
    owner: "Alice"
    due: 2026-10-01
  DIR-02:
    status: in-progress
    due: 2026-11-01
  REC-01:
    status: todo
    owner: "=cmd|' /C calc'!A0"
    due: 2026-12-31
    evidence: "https://e.example/x?a=1&b=2"
  REC-02:
    status: done
    answer: "Oui, gardé hors champ"
  REC-04:
    status: not-applicable
    updated: 2026-11-20T14:03:00+01:00
  REC-09:
    status: in-progress
    owner: "Bob \\e[2J"
    due: 2026-11-25
  TRA-01:
    status: todo
    due: 2026-11-20
    answer: "Oui | non, \\"cité\\" <b>gras</b>\\nligne 2 \\\\ fin"
  TRA-02:
    status: in-progress
    owner: "Alice"
  RSE-01:
    status: todo
  ZZZ-99:
    status: done
"""

#: The same answers without a profile: every question applies.
PLAIN_RUN = re.sub(r"profile:\n(?:  .*\n)+", "", RUN)

COMMANDS = {
    "status": ("status", "RUN"),
    "status-json": ("status", "RUN", "--json"),
    "status-by-owner": ("status", "RUN", "--by", "owner"),
    "status-by-owner-json": ("status", "RUN", "--by", "owner", "--json"),
    "status-by-phase": ("status", "RUN", "--by", "phase"),
    "status-gate": ("status", "RUN", "--fail-under", "90", "--require", "DIR",
                    "--require", "at-work"),
    "status-without-profile": ("status", "PLAIN"),
    "status-without-profile-json": ("status", "PLAIN", "--json"),
    "export-csv": ("export", "RUN", "--format", "csv"),
    "export-csv-raw": ("export", "RUN", "--format", "csv", "--raw"),
    "export-csv-legal": ("export", "RUN", "--format", "csv", "--owner", "legal"),
    "export-json": ("export", "RUN", "--format", "json"),
    "export-md": ("export", "RUN", "--format", "md"),
    "export-md-without-profile": ("export", "PLAIN", "--format", "md"),
    "export-ics": ("export", "RUN", "--format", "ics"),
}
#: The calendar's stamp: the time of the export (its PRODID names the version too).
DTSTAMP = re.compile(r"^DTSTAMP:\d{8}T\d{6}Z", re.MULTILINE)
#: A carriage return as the snapshot shows it (the calendar's line ends: a text file read
#: back loses them).
CARRIAGE_RETURN = "\u240d"


class TextSnapshot(SingleFileSnapshotExtension):
    """The output kept as a text file, readable in a pull request's difference."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


def need(item_id: str, phase: str, title: str, owners: list[str], page: str, line: int,
         changes: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item_id, "type": "question", "title": title, "phase": phase,
        "phase_label": PHASES[phase]["label"], "phase_order": list(PHASES).index(phase),
        "owner": owners, "owner_labels": [OWNERS[key] for key in owners],
        "content": "Pourquoi la question compte.", "docname": f"checklists/{page}",
        "lineno": line, "replaces": [], "applies": "",
    }
    for key, value in changes.items():
        if value is None:
            del fields[key]
        else:
            fields[key] = value
    return fields


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("status-output")
    # the order of needs.json is not the reading order: the command sorts
    needs = {question[0]: need(*question) for question in reversed(QUESTIONS)}
    needs_file = folder / "needs.json"
    needs_file.write_text(json.dumps({"current_version": "1.0",
                                      "versions": {"1.0": {"needs": needs}}},
                                     ensure_ascii=False, indent=2), encoding="utf-8")
    vocabulary, problems = read_vocabulary(PHASES, OWNERS, STATUSES, "todo")
    criteria, criteria_problems = read_criteria(PROFILE)
    assert problems == [] and criteria_problems == []
    write_vocabulary(folder, vocabulary, criteria, SITE)
    (folder / "run.yaml").write_text(RUN, encoding="utf-8")
    (folder / "plain.yaml").write_text(PLAIN_RUN, encoding="utf-8")
    return {"NEEDS": needs_file, "RUN": folder / "run.yaml", "PLAIN": folder / "plain.yaml"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_output_is_unchanged(name: str, inputs: dict[str, Path],
                             capsys: pytest.CaptureFixture[str],
                             snapshot: SnapshotAssertion) -> None:
    args = [inputs.get(part, part) for part in COMMANDS[name]]
    result = run_main(capsys, *args, "--today", "2026-11-26", "--needs", inputs["NEEDS"]) \
        if args[0] == "status" else run_main(capsys, *args, "--needs", inputs["NEEDS"])
    folder = str(inputs["RUN"].parent)
    output = (f"exit {result.code}\n--- standard output\n{result.out}"
              f"--- standard error\n{result.err}").replace(folder, "<folder>")
    output = output.replace(f"playbook-rh {__version__}", "playbook-rh <version>")
    output = DTSTAMP.sub("DTSTAMP:<now>", output).replace("\r", CARRIAGE_RETURN)
    assert output == snapshot(extension_class=TextSnapshot)


def test_the_run_covers_what_the_report_shows(inputs: dict[str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The cases the snapshots are there for are in the run (so that they cannot pass
    on a run that lost them)."""
    result = run_main(capsys, "status", inputs["RUN"], "--json", "--today", "2026-11-26",
                      "--needs", inputs["NEEDS"])
    data = json.loads(result.out)
    assert data["out_of_scope"] == ["REC-02", "RSE-01", "RSE-02"]
    assert data["unknown"] == ["ZZZ-99"] and data["missing"] == ["TRA-03"]
    assert data["overdue"] == ["DIR-02", "REC-03", "TRA-01"]
    assert "(sans responsable)" in [row["label"] for row in data["by_owner"]]
    assert [row["label"] for row in data["by_phase"]] == [
        "Convaincre la direction", "Recrutement", "Au travail"]
    assert "REC-09 is now REC-03" in result.err

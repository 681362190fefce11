"""How fast `playbook-rh status` answers on a large run, as a whole process.

Generates a needs.json of N questions (some with an ``:applies:`` condition) and a run
with a profile answering all of them, then times
`python -m playbook_rh.cli status` end to end (interpreter start-up included), beside the
floor of starting Python and importing nothing. Target (issue 5): under 0.3 s at
5,000 items on this 2-core machine.

The package's bytecode is written first (:func:`compile_package`): the command is timed as
``pip install`` leaves it, not compiling its own modules at every run.

    .venv/bin/python bench/status.py [--items 5000] [--repeat 7] [--needs-from needs.json]

By default each question holds only the fields the command reads (about 400 bytes); the
needs.json ``make needs`` writes holds sphinx-needs' 49 fields and the real guidance
(about 1,900 bytes a question, written in ASCII): ``--needs-from needs.json`` gives the
generated questions that shape, to measure what a playbook of that size would cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playbook_rh.core.profile import read_criteria
from playbook_rh.core.vocabulary import read_vocabulary
from playbook_rh.core.vocabulary_file import write_vocabulary
from profile_criteria import PROFILE  # bench/, beside this script

PHASES = [
    ("executives", "Convaincre la direction", "DIR"),
    ("pre-employment", "Pré-embauche", "PRE"),
    ("recruitment", "Recrutement", "REC"),
    ("at-work", "Au travail", "TRA"),
    ("enterprise-networks", "Réseaux d'entreprise", "RSE"),
]
STATUSES = {"todo": "À faire", "in-progress": "En cours", "done": "Fait",
            "not-applicable": "Sans objet"}
#: The run's profile and the items' conditions (criteria: profile_criteria.py):
#: one item in three has one, so scoping does real work.
RUN_PROFILE = ["profile:", "  headcount: 11-49", "  internal-network: false"]
CONDITIONS = ["", "headcount >= 50", "", "internal-network and not (headcount < 11)", "",
              "ambassadors or headcount >= 300"]


def template_records(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The records of a needs.json ``make needs`` wrote, and its version's other keys
    (``needs_schema``...): each generated question then has a record of the real
    shape (sphinx-needs' fields, real guidance), not only the fields the command reads."""
    document = json.loads(path.read_text(encoding="utf-8"))
    version = document["versions"][document["current_version"]]
    records = [record for record in version["needs"].values()
               if record.get("type") == "question"]
    if not records:
        raise SystemExit(f"{path}: holds no question: give the needs.json of `make needs`")
    return records, {key: value for key, value in version.items() if key != "needs"}


def write_inputs(folder: Path, items: int,
                 template: Path | None = None) -> tuple[Path, Path]:
    records, version = template_records(template) if template else ([{}], {})
    needs = {}
    run_lines = ["format: playbook-run/1", 'organisation: "Bench"', *RUN_PROFILE, "items:"]
    per_phase = -(-items // len(PHASES))
    for index in range(items):
        order = index // per_phase
        key, label, prefix = PHASES[order]
        # IDs have at most three digits: past 1,000 a phase's items take more prefixes
        position = index % per_phase
        item_id = f"{prefix[:2]}{chr(65 + position // 1000)}-{position % 1000:03d}"
        needs[item_id] = {
            **records[index % len(records)],
            "id": item_id, "type": "question", "title": f"Question numéro {index} ?",
            "phase": key, "phase_label": label, "phase_order": order,
            "owner": ["hr"], "owner_labels": ["Ressources humaines"],
            "content": "Pourquoi la question compte, et ce qu'est une bonne réponse.",
            "docname": f"checklists/{key}", "lineno": index + 1, "replaces": [],
            "applies": CONDITIONS[index % len(CONDITIONS)],
        }
        run_lines += [f"  {item_id}:", f"    status: {list(STATUSES)[index % 4]}",
                      f'    owner: "Personne {index % 13}"', "    due: 2026-12-31",
                      f'    answer: "Réponse {index}"', "    updated: 2026-11-20T10:00:00+01:00"]
    needs_file = folder / "needs.json"
    if template is None:  # only what the command reads
        text = json.dumps({"current_version": "1", "versions": {"1": {"needs": needs}}},
                          ensure_ascii=False)
    else:  # as sphinx-needs writes it (needsfile.py: ASCII, keys sorted)
        text = json.dumps({"current_version": "1",
                           "versions": {"1": {**version, "needs": needs}}}, sort_keys=True)
    needs_file.write_text(text, encoding="utf-8")
    # what `make needs` writes beside needs.json: the vocabulary of conf.py
    vocabulary, problems = read_vocabulary(
        {key: {"label": label, "prefix": prefix} for key, label, prefix in PHASES},
        {"hr": "Ressources humaines"}, STATUSES, "todo")
    criteria, problems = read_criteria(PROFILE)
    assert not problems, problems
    write_vocabulary(folder, vocabulary, criteria)
    run_file = folder / "run.yaml"
    run_file.write_text("\n".join(run_lines) + "\n", encoding="utf-8")
    return needs_file, run_file


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``command``, and its
    peak memory in MB (issue 14: reading stays a small multiple of the file).

    CPU time is reported too: on this shared 2-core machine, wall-clock time rises
    with whatever else runs, CPU time much less.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: a gate, not an error
        raise SystemExit(f"{command} failed with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compile_package() -> None:
    """Write the bytecode (``__pycache__``) of playbook_rh's modules, as ``pip install``
    does for a package it installs. Why: ``make`` installs the package editable, whose
    bytecode Python writes at first import, except when PYTHONDONTWRITEBYTECODE is set
    (as in some sandboxes and containers); every run of the command then compiles its
    5,000 lines again, about a sixth of its instructions, which no installed command
    does."""
    import compileall

    import playbook_rh

    if not compileall.compile_dir(Path(playbook_rh.__file__).parent, quiet=1):
        raise SystemExit("bench/status.py: the package's bytecode could not be written")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--needs-from", type=Path, metavar="NEEDS_JSON",
                        help="give each question the shape of this needs.json's records "
                             "(`make needs` writes one); default: only the fields the "
                             "command reads")
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as folder:
        needs_file, run_file = write_inputs(Path(folder), args.items, args.needs_from)
        needs_size = needs_file.stat().st_size
        status = [sys.executable, "-m", "playbook_rh.cli", "status", str(run_file),
                  "--needs", str(needs_file), "--today", "2026-11-26"]
        floor = [sys.executable, "-c", "pass"]
        timed(status)  # warm the file cache
        run_size = run_file.stat().st_size
        samples: dict[str, list[tuple[float, float, float]]] = {"status": [], "floor": []}
        for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
            samples["status"].append(timed(status))
            samples["floor"].append(timed(floor))
    wall, cpu, memory = (statistics.median(s[i] for s in samples["status"]) for i in (0, 1, 2))
    floor_wall, floor_cpu = (statistics.median(s[i] for s in samples["floor"]) for i in (0, 1))
    print("| items | playbook status, wall (CPU) | python start-up, wall (CPU) | "
          "ratio (wall) |")
    print("|---|---|---|---|")
    print(f"| {args.items} | {wall:.3f} s ({cpu:.3f} s) | {floor_wall:.3f} s "
          f"({floor_cpu:.3f} s) | {wall / floor_wall:.1f}x |")
    shape = f"records shaped as {args.needs_from}" if args.needs_from else \
        "records of the fields the command reads"
    print(f"\nneeds.json: {needs_size / 2**20:.1f} MB ({shape})")
    print(f"peak memory of status: {memory:.0f} MB for a run file of "
          f"{run_size / 2**20:.1f} MB (the interpreter and needs.json included)")
    print(f"medians of {args.repeat} interleaved runs; load average before: "
          f"{os.getloadavg()[0]:.2f}")
    verdict = "PASS" if wall < 0.3 else "FAIL"
    print(f"{verdict}: target under 0.3 s at 5,000 items (median wall {wall:.3f} s, "
          f"CPU {cpu:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

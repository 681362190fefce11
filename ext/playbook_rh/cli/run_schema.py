"""Write ``static/run.schema.json`` again, generated from the run model and the
statuses and profile criteria of ``conf.py`` (:mod:`playbook_rh.core.run_schema`); a
test fails while they differ.

    python -m playbook_rh.cli.run_schema [--source .]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

from playbook_rh import STATIC
from playbook_rh.core.profile import read_criteria
from playbook_rh.core.run_schema import run_schema
from playbook_rh.core.runs import write_atomically
from playbook_rh.core.vocabulary import read_vocabulary

SCHEMA = STATIC / "run.schema.json"


def schema_text(source: Path) -> str:
    """The schema, as the file holds it, for the statuses of ``source/conf.py``."""
    with contextlib.chdir(source):
        settings = runpy.run_path(str((source / "conf.py").resolve()))
    vocabulary, problems = read_vocabulary(*(settings.get(name) for name in (
        "playbook_phases", "playbook_owners", "playbook_statuses",
        "playbook_default_status")))
    criteria, criteria_problems = read_criteria(settings.get("playbook_profile", {}))
    problems += criteria_problems
    if problems:
        raise SystemExit("\n".join(f"{source / 'conf.py'}: {problem.setting}: "
                                   f"{problem.message}" for problem in problems))
    return json.dumps(run_schema(vocabulary.statuses, criteria), ensure_ascii=False,
                      indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("."),
                        help="the Sphinx project's folder, holding conf.py (default: .)")
    args = parser.parse_args(argv)
    write_atomically(SCHEMA, schema_text(args.source))
    print(f"{SCHEMA} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

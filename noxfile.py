"""The test suite against the lowest and the highest versions pyproject.toml allows.

``nox`` runs both sessions; ``nox -s tests-lowest -- -m "not slow"`` passes pytest
arguments. tests-lowest installs every runtime dependency at its lower bound, on the
oldest Python allowed: the constraints are read from pyproject.toml, so the range
stated there is the range tested. tests-highest installs the newest release of each,
on the newest Python the project runs on. Both install the project as users get it
(not editable) and use pip as it is configured on the machine (its index, mirror or
wheel folder).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement

ROOT = Path(__file__).parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

#: The oldest Python allowed (requires-python) and the newest one tested.
LOWEST_PYTHON = "3.11"
HIGHEST_PYTHON = "3.13"

nox.options.sessions = ["tests-lowest", "tests-highest"]
#: A Python that is not there fails the session; it is never skipped.
nox.options.error_on_missing_interpreters = True
nox.options.default_venv_backend = "venv"


def lower_bounds(dependencies: list[str]) -> list[str]:
    """``name==version`` for the lower bound of each runtime dependency: a dependency
    without one would make the "lowest" session test whatever pip picks."""
    pins = []
    for line in dependencies:
        requirement = Requirement(line)
        floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(floors) != 1:
            raise ValueError(f"pyproject.toml: {line!r} needs exactly one '>=' lower bound")
        pins.append(f"{requirement.name}=={floors[0]}")
    return pins


def show_versions(session: nox.Session) -> None:
    """Print the versions the tests run against, for the log."""
    names = [Requirement(line).name for line in PROJECT["dependencies"]]
    session.run(
        "python", "-c",
        "import sys; from importlib.metadata import version; "
        "print('Python', sys.version.split()[0]); "
        "[print(name, version(name)) for name in sys.argv[1:]]",
        *names, silent=False,
    )


def run_tests(session: nox.Session) -> None:
    session.run("python", "-m", "pip", "check")
    show_versions(session)
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="tests-lowest", python=LOWEST_PYTHON)
def tests_lowest(session: nox.Session) -> None:
    """The tests with every runtime dependency at the lower bound pyproject.toml states."""
    constraints = Path(session.create_tmp()) / "lowest-constraints.txt"
    constraints.write_text("\n".join(lower_bounds(PROJECT["dependencies"])) + "\n",
                           encoding="utf-8")
    session.log("Lower bounds:\n" + constraints.read_text(encoding="utf-8"))
    session.install("--constraint", str(constraints), ".[test]")
    run_tests(session)


@nox.session(name="tests-highest", python=HIGHEST_PYTHON)
def tests_highest(session: nox.Session) -> None:
    """The tests with the newest release of every dependency that pyproject.toml allows."""
    session.install("--upgrade", "--upgrade-strategy", "eager", ".[test]")
    run_tests(session)

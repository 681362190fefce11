"""Freeze a release: keep the ``needs.json`` it publishes under ``releases/<release>/``.

    make needs
    python -m playbook.release

The frozen file is the record of what the release published: the « Nouveautés » page
compares the next release with it, and ``playbook-rh next-id`` never hands out an ID it
holds. A release is frozen once: an existing one is never overwritten (bump
``version`` and ``release`` in ``conf.py`` for the next one).
"""

from __future__ import annotations

import argparse
import contextlib
import runpy
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ub_needs_exchange

from playbook_rh.core.questions import NEED_TYPE
from playbook_rh.sphinxext.config import setting

DEFAULT_NEEDS = Path("_build/needs/needs.json")
#: The setting read here, as the extension declares it.
RELEASES_DIR = setting("playbook_releases_dir")


class ReleaseError(Exception):
    """The release cannot be frozen; the message says what to do."""


@dataclass(frozen=True)
class Project:
    version: str
    release: str
    releases: Path


def read_project(source: Path) -> Project:
    """``version``, ``release`` and the releases folder, from ``conf.py`` as Sphinx runs it."""
    conf = source / "conf.py"
    if not conf.is_file():
        raise ReleaseError(f"{conf} not found: run this from the playbook's repository "
                           "or pass --source")
    with contextlib.chdir(source):
        settings = runpy.run_path(str(conf.resolve()))
    releases = str(settings.get(RELEASES_DIR.name, RELEASES_DIR.default))
    return Project(str(settings.get("version", "")), str(settings.get("release", "")),
                   source / releases)


def check_needs(path: Path, version: str) -> int:
    """The number of questions in ``path``, once it is known to be this version's."""
    if not path.is_file():
        raise ReleaseError(f"{path} not found: build it first with `make needs`")
    try:
        selected = ub_needs_exchange.load(path).select_version(None)
    except ub_needs_exchange.ExchangeError as error:
        raise ReleaseError(f"{path} is not a readable needs.json: {error.message}") from None
    if selected.name != version:
        raise ReleaseError(f"{path} was built for version {selected.name!r}, but conf.py says "
                           f"{version!r}: run `make needs` again")
    count = sum(1 for record in selected.records() if record.fields.get("type") == NEED_TYPE)
    if not count:
        raise ReleaseError(f"{path} holds no question: is it the playbook's needs.json?")
    return count


def freeze(needs: Path, project: Project, release: str | None = None) -> Path:
    """Copy ``needs`` to ``<releases>/<release>/needs.json``; returns the new file."""
    name = release or project.release
    if not name:
        raise ReleaseError("conf.py sets no `release`: set it (e.g. 0.2.0) or pass --release")
    count = check_needs(needs, project.version)
    target = project.releases / name / "needs.json"
    if target.exists():
        raise ReleaseError(
            f"release {name} is already frozen in {target}; a published release is never "
            "rewritten: bump `version` and `release` in conf.py for the next one")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(needs, target)
    print(f"release {name}: {count} questions frozen in {target}")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playbook.release",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=Path("."),
                        help="the repository (where conf.py is); default: here")
    parser.add_argument("--needs", type=Path, help=f"the needs.json to freeze; default: "
                        f"{DEFAULT_NEEDS} under --source (written by `make needs`)")
    parser.add_argument("--release", help="the release's name; default: conf.py's release")
    args = parser.parse_args(argv)
    try:
        project = read_project(args.source)
        freeze(args.needs or args.source / DEFAULT_NEEDS, project, args.release)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

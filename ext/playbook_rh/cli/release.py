"""Freeze a release: keep the ``needs.json`` it publishes under ``releases/<release>/``.

    make needs
    python -m playbook_rh.cli.release

The frozen file is the record of what the release published: the « Nouveautés » page
compares the next release with it, and ``playbook-rh next-id`` never hands out an ID it
holds. A release is frozen once: an existing one is never overwritten (bump
``version`` and ``release`` in ``conf.py`` for the next one).

The needs.json given is read as every file a user names is (a regular file of bounded
size, :mod:`playbook_rh.core.bounded_files`), and the bytes checked are those written,
atomically. Exit status 2, with a message naming the file and what to do, when the
release cannot be frozen.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import runpy
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ub_needs_exchange
from packaging.version import InvalidVersion, Version

from playbook_rh.core.bounded_files import FileProblem, read_regular_text
from playbook_rh.core.questions import MAX_BYTES, NEED_TYPE
from playbook_rh.core.runs import locked, write_atomically
from playbook_rh.core.safe_text import shown
from playbook_rh.sphinxext.config import setting

DEFAULT_NEEDS = Path("_build/needs/needs.json")
EXIT_ERROR = 2
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
    try:
        with contextlib.chdir(source):
            settings = runpy.run_path(str(conf.resolve()))
    except Exception as error:  # conf.py is the project's code: any mistake in it
        raise ReleaseError(f"{conf} cannot be run ({type(error).__name__}: {error}): fix "
                           "it (`make html` shows where)") from None
    releases = str(settings.get(RELEASES_DIR.name, RELEASES_DIR.default))
    return Project(str(settings.get("version", "")), str(settings.get("release", "")),
                   source / releases)


def read_needs(path: Path) -> str:
    """The text of the needs.json ``path``: a regular file, of bounded size, UTF-8."""
    try:
        return read_regular_text(path, MAX_BYTES)
    except FileNotFoundError:
        raise ReleaseError(f"{path} not found: build it first with `make needs`") from None
    except (FileProblem, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise ReleaseError(f"{path} cannot be read ({reason}): give the needs.json "
                           "that `make needs` wrote") from None


def check_needs(text: str, path: Path, version: str) -> int:
    """The number of questions in ``text`` (read from ``path``), once it is known to be
    this version's."""
    try:
        selected = ub_needs_exchange.parse(text).select_version(None)
        count = sum(1 for record in selected.records()
                    if record.fields.get("type") == NEED_TYPE)
    except ub_needs_exchange.ExchangeError as error:
        raise ReleaseError(f"{path} is not a readable needs.json: {error.message}: build "
                           "it again with `make needs`") from None
    except (RecursionError, AttributeError, TypeError) as error:
        raise ReleaseError(f"{path} is not a needs.json the playbook's build wrote "
                           f"({type(error).__name__}): build it again with `make needs`"
                           ) from None
    if selected.name != version:
        raise ReleaseError(f"{path} was built for version {selected.name!r}, but conf.py says "
                           f"{version!r}: run `make needs` again")
    if not count:
        raise ReleaseError(f"{path} holds no question: is it the playbook's needs.json?")
    return count


def freeze(needs: Path, project: Project, release: str | None = None) -> Path:
    """Write what ``needs`` holds to ``<releases>/<release>/needs.json``; returns the new
    file."""
    name = release or project.release
    if not name:
        raise ReleaseError("conf.py sets no `release`: set it (e.g. 0.2.0) or pass --release")
    try:
        Version(name)
    except InvalidVersion:  # also keeps the name a folder of releases/, never a path
        raise ReleaseError(f"release {name!r} is not a release number such as 0.2.0 (the "
                           "« Nouveautés » page compares releases by number): set "
                           "`release` in conf.py, or pass --release") from None
    text = read_needs(needs)
    count = check_needs(text, needs, project.version)
    target = project.releases / name / "needs.json"
    if os.path.lexists(target):
        raise ReleaseError(
            f"release {name} is already frozen in {target}; a published release is never "
            "rewritten: bump `version` and `release` in conf.py for the next one")
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        if os.path.lexists(target):  # frozen by another process meanwhile
            raise ReleaseError(f"release {name} was frozen in {target} meanwhile; a "
                               "published release is never rewritten")
        write_atomically(target, text)
    print(f"release {name}: {count} questions frozen in {shown(str(target))}")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playbook_rh.cli.release",
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
        print(f"error: {shown(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:  # the releases folder cannot be made or written...
        where = f"{error.filename}: " if error.filename else ""
        print(shown(f"error: {where}{error.strerror or error}"), file=sys.stderr)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers of the ``playbook`` command's tests: small needs.json files, run files, the
command run in-process or as a real process."""

from __future__ import annotations

import contextlib
import copy
import datetime
import json
import os
import runpy
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from playbook_rh.core.profile import Criteria, read_criteria
from playbook_rh.core.vocabulary import Vocabulary, read_vocabulary
from playbook_rh.core.vocabulary_file import vocabulary_beside
from sphinx.testing.util import SphinxTestApp

from ..conftest import REPO, ROOTS

BASIC_ROOT = ROOTS / "test-basic"


def conf_vocabulary(source: Path) -> Vocabulary:
    """The vocabulary the ``conf.py`` of ``source`` declares (checked as the build does)."""
    settings = runpy.run_path(str(source / "conf.py"))
    vocabulary, problems = read_vocabulary(
        settings["playbook_phases"], settings["playbook_owners"],
        settings["playbook_statuses"], settings["playbook_default_status"])
    assert problems == [], problems
    return vocabulary


#: The statuses of the real site's conf.py (the basic test root declares the same).
STATUSES = conf_vocabulary(REPO).statuses


def conf_criteria(source: Path) -> Criteria:
    """The profile's criteria the ``conf.py`` of ``source`` declares."""
    criteria, problems = read_criteria(runpy.run_path(str(source / "conf.py"))
                                       .get("playbook_profile", {}))
    assert problems == [], problems
    return criteria


#: The profile's criteria of the real site's conf.py.
CRITERIA = conf_criteria(REPO)


def build_needs(source: Path, builddir: Path, **settings: str) -> Path:
    """Build ``source`` with the needs builder into ``builddir/needs``, ``settings``
    overriding its conf.py; the path of needs.json. In this process: needs.json is what
    the command's tests read, not what they test (tests/test_needs_json.py does), and a
    new process would import Sphinx and the extension again (over a second each)."""
    app = SphinxTestApp("needs", srcdir=source, builddir=builddir, freshenv=True,
                        confoverrides=settings, status=StringIO(), warning=StringIO())
    try:  # one application at a time: cleanup() unregisters its node classes
        app.build()
        assert app.statuscode == 0, app.warning.getvalue()
    finally:
        app.cleanup()
    path = Path(app.outdir) / "needs.json"
    assert path.is_file(), app.warning.getvalue()
    return path


def session_needs(factory: pytest.TempPathFactory) -> Path:
    """needs.json of the test root ``basic``, built once per session even when two test
    modules ask for it (the real site's is the ``site_needs_json`` fixture)."""
    builddir = factory.getbasetemp() / "cli-needs-basic"
    path = builddir / "needs" / "needs.json"
    if not path.is_file():
        build_needs(BASIC_ROOT, builddir, version="1.0")
    return path


def needs_variant(source: Path, target: Path, *,
                  rename: Mapping[str, str] | None = None,
                  replaces: Mapping[str, Sequence[str]] | None = None,
                  drop: Sequence[str] = (),
                  add: Mapping[str, tuple[str, str]] | None = None,
                 fields: Mapping[str, Mapping[str, Any]] | None = None) -> Path:
    """A copy of the needs.json ``source`` where the questions changed.

    ``rename``: old ID -> new ID; ``replaces``: (new) ID -> former IDs; ``drop``: IDs
    removed; ``add``: new ID -> (ID of the question it is copied from, title). Keys and
    ``id`` fields stay equal, so ``ub_needs_exchange`` reads it without a diagnostic.
    ``fields``: ID -> fields set on that question (its guidance, or crafted values).
    """
    data = json.loads(source.read_text(encoding="utf-8"))
    version = data["versions"][data["current_version"]]
    rename = dict(rename or {})
    needs: dict[str, dict[str, Any]] = {}
    for key, need in version["needs"].items():
        if key in drop:
            continue
        new_key = rename.get(key, key)
        need = copy.deepcopy(need)
        need["id"] = new_key
        needs[new_key] = need
    for new_id, (model, title) in (add or {}).items():
        need = copy.deepcopy(version["needs"][model])
        need.update(id=new_id, title=title, lineno=int(need["lineno"]) + 1000,
                    links=[], links_back=[])
        needs[new_id] = need
    for item_id, former in (replaces or {}).items():
        needs[item_id]["replaces"] = list(former)
    for item_id, values in (fields or {}).items():
        needs[item_id].update(values)
    version["needs"] = needs
    version["needs_amount"] = len(needs)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    vocabulary = vocabulary_beside(source)  # the build writes the two files together
    vocabulary_beside(target).write_bytes(vocabulary.read_bytes())
    return target


def yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_run(path: Path, items: Mapping[str, Mapping[str, str]], *,
              organisation: str = "Exemple SA") -> Path:
    """A run file, written by hand as a person would (dates unquoted, text quoted)."""
    lines = ["format: playbook-run/1", f"organisation: {yaml_scalar(organisation)}",
             "started: 2026-11-02", "items:" if items else "items: {}"]
    for item_id, fields in items.items():
        lines.append(f"  {item_id}:")
        for name, value in fields.items():
            shown = value if name in ("status", "due", "updated") else yaml_scalar(value)
            lines.append(f"    {name}: {shown}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: What a write must never replace: a folder, a named pipe, a device.
NOT_FILES = ("folder", "fifo", "device")


def not_a_file(kind: str, place: Path) -> Path:
    """A ``kind`` of :data:`NOT_FILES` made at ``place`` (the device is os.devnull)."""
    if kind == "folder":
        place.mkdir()
    elif kind == "fifo":
        os.mkfifo(place)
    else:
        return Path(os.devnull)
    return place


def line_of(path: Path, text: str) -> int:
    """The number of the first line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def run_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        files("playbook_rh").joinpath("static/run.schema.json").read_text(encoding="utf-8")
    )
    return schema


def as_json(value: object) -> object:
    """A safe-loaded YAML value as JSON has it: dates and times as ISO strings."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def schema_errors(data: object) -> list[str]:
    """What run.schema.json (with its formats checked) finds wrong in a safe-loaded run."""
    validator = jsonschema.Draft202012Validator(
        run_schema(), format_checker=jsonschema.FormatChecker()
    )
    return [f"{list(error.absolute_path)}: {error.message}"
            for error in validator.iter_errors(as_json(data))]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Outcome:
    """``playbook ARGS`` in this process: its exit code and what it printed."""
    from playbook_rh.cli.main import main

    capsys.readouterr()
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as stop:  # argparse refuses the command line
        code = stop.code if isinstance(stop.code, int) else 2
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def process_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PLAYBOOK_NEEDS"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_process(*args: str | Path, stdin: str = "", cwd: Path | None = None,
                ) -> subprocess.CompletedProcess[str]:
    """``python -m playbook_rh.cli ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", *[str(arg) for arg in args]],
        input=stdin, capture_output=True, text=True, check=False, cwd=cwd,
        env=process_env(), timeout=60,
    )


@contextlib.contextmanager
def fifo_released(place: Path) -> Iterator[Path]:
    """A named pipe at ``place`` that no reader can wait on for ever: while the block
    runs, a watchman opens it for writing whenever a reader has it open, and closes it
    (the reader sees the end of the file). A reader that refuses a FIFO never meets the
    watchman; one that waits is released after at most a second, and its test fails on
    what it then reports, instead of hanging the suite."""
    os.mkfifo(place)
    stop = threading.Event()

    def release() -> None:
        while not stop.wait(0.2):
            try:  # succeeds only while a reader holds the pipe open
                descriptor = os.open(place, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            time.sleep(0.5)  # a reader that opened without waiting has looked by now
            os.close(descriptor)

    watchman = threading.Thread(target=release, daemon=True)
    watchman.start()
    try:
        yield place
    finally:
        stop.set()
        watchman.join()


#: A file name with what must never reach a terminal raw: ESC (a "clear the screen"
#: sequence), a line break, a carriage return and a right-to-left override.
HOSTILE_NAME = "suivi\x1b[2J\nfaux\rretour\u202egpj.yaml"
#: The same name as every message must show it.
HOSTILE_NAME_SHOWN = "suivi\\x1b[2J\\nfaux\\rretour\\u202egpj.yaml"


def raw_controls(text: str) -> list[str]:
    """The control characters of ``text`` a terminal would act on (line ends apart)."""
    return [character for character in text.replace("\n", "")
            if unicodedata.category(character) in ("Cc", "Cf") and character != "\t"
            and character not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"]

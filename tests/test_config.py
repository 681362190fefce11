"""The playbook's settings: declared once (``sphinxext/config.py``), checked once at
``config-inited``, and the vocabulary of ``conf.py`` handed to the command line and
the browser without a copy.

Each mistake must be one located error naming ``conf.py`` and the setting, and the
build must stop there: never Sphinx's crash report ("please report this bug").
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from playbook_rh.core.runs import FORMAT
from playbook_rh.core.vocabulary import COMPLETE, DONE, ID_PATTERN, TODO
from playbook_rh.core.vocabulary_file import VOCABULARY_FILE, load_vocabulary
from playbook_rh.sphinxext.config import SETTINGS, SettingsRefused
from sphinx.cmd.build import main as sphinx_build_main
from sphinx.testing.util import _clean_up_global_state

from .cli_support import build_needs, run_main, session_needs, write_run
from .conftest import REPO, ROOTS, STRICT, build_in_a_fork, warnings_of

EXT = REPO / "ext" / "playbook_rh"


def project(tmp_path: Path, *lines: str, root: str = "basic") -> Path:
    """A copy of a test root whose conf.py ends with ``lines``."""
    srcdir = tmp_path / "project"
    srcdir.mkdir()
    for source in (ROOTS / f"test-{root}").iterdir():
        if source.is_file():
            (srcdir / source.name).write_bytes(source.read_bytes())
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("".join(f"{line}\n" for line in lines))
    return srcdir


def refused(make_app: Any, srcdir: Path, **options: Any) -> tuple[SettingsRefused, list[str]]:
    """Start a build that must stop on its settings: the stop and the error lines."""
    warning = io.StringIO()
    saved_path = sys.path.copy()
    try:
        with pytest.raises(SettingsRefused) as stop:
            make_app("html", srcdir=srcdir, freshenv=True, warning=warning, **options)
    finally:
        # What SphinxTestApp does when Sphinx fails with an Exception, not a SystemExit:
        # the directives, roles and nodes registered so far must not leak into the next app.
        sys.path[:] = saved_path
        _clean_up_global_state()
    return stop.value, warnings_of(warning.getvalue())


def conf_line(srcdir: Path, name: str) -> int:
    lines = (srcdir / "conf.py").read_text(encoding="utf-8").splitlines()
    return max(number for number, line in enumerate(lines, start=1)
               if re.match(rf"{name}\s*=", line))


# -- declared once ------------------------------------------------------------------------

def test_settings_are_declared_in_one_module_only() -> None:
    elsewhere = [path.relative_to(EXT).as_posix() for path in EXT.rglob("*.py")
                 if "add_config_value" in path.read_text(encoding="utf-8")
                 and path.name != "config.py"]
    assert elsewhere == []


def test_every_setting_is_typed_and_described() -> None:
    for setting in SETTINGS:
        assert setting.name.startswith("playbook_")
        assert isinstance(setting.default, setting.type), setting.name
        assert len(setting.description) > 20, setting.name
        if setting.check is not None:
            assert setting.check(setting.default) is None, setting.name


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_sphinx_knows_each_setting_with_its_description(app: Any) -> None:
    declared = {setting.name: setting for setting in SETTINGS}
    registered = {name for name in app.config._options if name.startswith("playbook_")}
    assert registered == set(declared)
    for name, setting in declared.items():
        assert app.config._options[name].description == setting.description
        assert app.config._options[name].rebuild == setting.rebuild


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(playbook_\w+)` \|", readme, re.MULTILINE))
    assert documented == {setting.name for setting in SETTINGS}


# -- checked once, with one clear message -------------------------------------------------

MISTAKES = {
    "clashing prefix": ('playbook_phases = {"recruitment": {"label": "Recrutement", '
                        '"prefix": "REC"}, "at-work": {"label": "Au travail", "prefix": "REC"}}',
                        "playbook_phases", "prefix 'REC' is used by both 'recruitment' and "
                                           "'at-work'"),
    "phases of a wrong type": ('playbook_phases = ["recruitment", "at-work"]',
                               "playbook_phases", "must be a non-empty dict"),
    "phase without prefix": ('playbook_phases = {"recruitment": {"label": "Recrutement"}}',
                             "playbook_phases", "'recruitment' needs a dict with a 'label' "
                                                "and a 'prefix'"),
    "phase with an unknown key": ('playbook_phases = {"recruitment": {"label": "Recrutement", '
                                  '"prefix": "REC", "order": 2}}', "playbook_phases",
                                  "'recruitment': unknown key(s) 'order'; a phase has a "
                                  "'label' and a 'prefix'"),
    "prefix in lowercase": ('playbook_phases = {"recruitment": {"label": "Recrutement", '
                            '"prefix": "rec"}}', "playbook_phases", "2 to 5 capital letters"),
    "owner key in capitals": ('playbook_owners = {"HR": "Ressources humaines"}',
                              "playbook_owners", "key 'HR' must be lowercase"),
    "status label empty": ('playbook_statuses = {"todo": "", "done": "Fait"}',
                           "playbook_statuses", "the label of 'todo' must be non-empty"),
    "no done status": ('playbook_statuses = {"todo": "À faire", "fini": "Fini"}',
                       "playbook_statuses", "must declare 'done'"),
    "unknown default status": ('playbook_default_status = "fini"',
                               "playbook_default_status", "'fini' is not one of "
                                                          "playbook_statuses"),
    "today not a day": ('playbook_today = "demain"', "playbook_today",
                        "must be a day written YYYY-MM-DD"),
    "today impossible": ('playbook_today = "2026-02-30"', "playbook_today",
                         "must be a day written YYYY-MM-DD"),
    "age as text": ('playbook_fact_max_age = "5"', "playbook_fact_max_age",
                    "must be a whole number, not str '5'"),
    "age as a boolean": ("playbook_fact_max_age = True", "playbook_fact_max_age",
                         "must be a whole number"),
    "age negative": ("playbook_fact_max_age = -1", "playbook_fact_max_age", "0 or more"),
    "review of no month": ("playbook_review_months = 0", "playbook_review_months",
                           "1 or more"),
    "releases nowhere": ('playbook_releases_dir = " "', "playbook_releases_dir",
                         "must name a folder"),
    "run as a number": ("playbook_run = 3", "playbook_run", "must be text"),
    "profile of a wrong type": ('playbook_profile = ["headcount"]', "playbook_profile",
                                "must be a dict of criterion key"),
    "profile bands without bounds": (
        'playbook_profile = {"headcount": {"label": "Effectif", "question": "Combien ?", '
        '"kind": "bands", "bands": {"petite": "Petite", "grande": "Grande"}}}',
        "playbook_profile", "'headcount': 'bounds' must list each band's first number"),
    "switch as text": ('playbook_needs_internals = "yes"', "playbook_needs_internals",
                       "must be True or False"),
}


@pytest.mark.parametrize(("line", "setting", "message"), MISTAKES.values(), ids=MISTAKES)
def test_a_wrong_setting_is_one_located_error_and_stops_the_build(
        make_app: Any, tmp_path: Path, line: str, setting: str, message: str) -> None:
    srcdir = project(tmp_path, line)
    stop, errors = refused(make_app, srcdir)
    assert stop.code == 2
    assert len(errors) == 1, errors
    expected = f"{srcdir / 'conf.py'}:{conf_line(srcdir, setting)}: ERROR: {setting} in conf.py: "
    assert errors[0].startswith(expected), errors[0]
    assert message in errors[0]


def test_every_mistake_is_reported_before_the_build_stops(make_app: Any,
                                                           tmp_path: Path) -> None:
    srcdir = project(tmp_path, 'playbook_today = "hier"', "playbook_review_months = -2",
                     'playbook_owners = {"hr": 1}')
    stop, errors = refused(make_app, srcdir)
    assert stop.count == 3
    assert [error.split(": ERROR: ")[1].split(" ")[0] for error in errors] == [
        "playbook_today", "playbook_review_months", "playbook_owners"]


def test_a_wrong_setting_given_on_the_command_line_says_so(make_app: Any,
                                                            tmp_path: Path) -> None:
    _stop, errors = refused(make_app, project(tmp_path),
                            confoverrides={"playbook_today": "26/11/2026"})
    assert errors == ["ERROR: playbook_today (given with -D): must be a day written "
                      "YYYY-MM-DD, or empty for the day of the build, not '26/11/2026'"]


def test_sphinx_build_prints_the_message_and_no_crash_report(tmp_path: Path) -> None:
    srcdir = project(tmp_path, MISTAKES["clashing prefix"][0])
    result = build_in_a_fork(["-b", "html", *STRICT, str(srcdir), str(tmp_path / "out")],
                             tmp_path / "sphinx-build")
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert warnings_of(output) == [
        f"{srcdir / 'conf.py'}:{conf_line(srcdir, 'playbook_phases')}: ERROR: playbook_phases "
        "in conf.py: prefix 'REC' is used by both 'recruitment' and 'at-work': give each "
        "phase its own"]
    for crash in ("Traceback", "report", "sphinx-err-", "Configuration error"):
        assert crash not in output


def test_sound_settings_build_without_a_message(make_app: Any, tmp_path: Path) -> None:
    srcdir = project(tmp_path, 'playbook_today = "2026-11-26"', "playbook_fact_max_age = 0",
                     'playbook_statuses = {"todo": "À faire", "blocked": "Bloqué", '
                     '"done": "Fait"}')
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert warnings_of(app.warning.getvalue()) == []


# -- one vocabulary, read by the command line and the browser -----------------------------

BLOCKED = 'playbook_statuses = {"todo": "À faire", "blocked": "Bloqué", "done": "Fait"}'


@pytest.fixture(scope="module")
def blocked_needs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """needs.json of the basic root whose conf.py declares a status of its own (built once:
    the tests only read it)."""
    folder = tmp_path_factory.mktemp("blocked")
    return build_needs(project(folder, BLOCKED), folder / "needs")


@pytest.fixture
def basic_needs_copy(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """A copy of the session's needs.json of the basic root and the vocabulary beside it,
    for a test that breaks them."""
    built = session_needs(tmp_path_factory)
    folder = tmp_path / "needs"
    shutil.copytree(built.parent, folder, ignore=shutil.ignore_patterns(".doctrees"))
    return folder / built.name



def test_needs_build_exports_the_vocabulary_of_conf_py(blocked_needs: Path) -> None:
    needs = blocked_needs
    document = json.loads((needs.parent / VOCABULARY_FILE).read_text(encoding="utf-8"))
    assert document["playbook_statuses"] == {"todo": "À faire", "blocked": "Bloqué",
                                             "done": "Fait"}
    assert document["playbook_phases"]["recruitment"] == {"label": "Recrutement",
                                                          "prefix": "REC"}
    assert (document["run_format"], document["id_pattern"]) == (FORMAT, ID_PATTERN.pattern)
    assert (document["todo"], document["done"], document["complete"]) == (TODO, DONE, [DONE])
    assert load_vocabulary(needs).statuses == document["playbook_statuses"]


def test_the_command_line_takes_its_statuses_from_conf_py(
        tmp_path: Path, blocked_needs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs = blocked_needs
    run = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "blocked"},
                                            "REC-02": {"status": "done"}})
    result = run_main(capsys, "status", run, "--needs", needs, "--today", "2026-11-26")
    assert result.code == 0, result.err
    assert "REC-01  [Bloqué]" in result.out
    # a status conf.py does not declare is refused, located
    write_run(run, {"REC-01": {"status": "in-progress"}})
    result = run_main(capsys, "validate", run, "--needs", needs)
    assert result.code == 2
    assert f"{run}:6: item REC-01: status 'in-progress' is not one of todo, blocked, done" \
        in result.err


def test_the_command_line_needs_the_vocabulary_beside_needs_json(
        tmp_path: Path, basic_needs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs = basic_needs_copy
    (needs.parent / VOCABULARY_FILE).unlink()
    run = write_run(tmp_path / "run.yaml", {"REC-01": {"status": "done"}})
    result = run_main(capsys, "status", run, "--needs", needs)
    assert result.code == 2
    assert f"{needs.parent / VOCABULARY_FILE}: missing" in result.err
    assert "make needs" in result.err
    # the questions alone need no vocabulary
    assert run_main(capsys, "list", "--needs", needs).code == 0


def test_a_broken_exported_vocabulary_is_refused(tmp_path: Path, basic_needs_copy: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    needs = basic_needs_copy
    path = needs.parent / VOCABULARY_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    document["playbook_statuses"] = {"todo": "À faire"}
    path.write_text(json.dumps(document), encoding="utf-8")
    run = write_run(tmp_path / "run.yaml", {})
    result = run_main(capsys, "status", run, "--needs", needs)
    assert result.code == 2
    assert f"{path}: playbook_statuses: must declare 'done'" in result.err


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_the_browser_catalogue_carries_the_vocabulary(app: Any) -> None:
    app.build()
    text = (app.outdir / "_static" / "playbook-catalogue.js").read_text(encoding="utf-8")
    catalogue = json.loads(text.split(" = ", 1)[1].rstrip(";\n"))
    vocabulary = catalogue["vocabulary"]
    assert vocabulary["playbook_statuses"] == app.config.playbook_statuses
    assert vocabulary["run_format"] == FORMAT
    assert vocabulary["id_pattern"] == ID_PATTERN.pattern
    assert vocabulary["complete"] == list(COMPLETE)
    assert (vocabulary["todo"], vocabulary["done"]) == (TODO, DONE)


def sphinx_build_output(srcdir: Path, outdir: Path, *options: str) -> tuple[int, str]:
    """``sphinx-build``'s own entry point and arguments (its ``main``), in this process as
    test_annotations.py runs it: the exit code and what it printed. The test above runs
    the real command, in its own process."""
    printed = io.StringIO()
    saved_path = sys.path.copy()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            code = sphinx_build_main(["-b", "html", *STRICT, *options, str(srcdir),
                                      str(outdir)])
    except SystemExit as stop:  # the settings' refusal: the process ends with its code
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.path[:] = saved_path  # conf.py's sys.path entries and registrations stay here
        _clean_up_global_state()
    output = printed.getvalue()
    for crash in ("Traceback", "report", "sphinx-err-", "Configuration error",
                  "Extension error"):
        assert crash not in output, output
    return code, output


def test_a_switch_given_with_d_that_is_not_0_or_1_is_one_message(tmp_path: Path) -> None:
    """Sphinx reads -D values of True/False settings itself, and stops on anything but
    0 or 1 with its crash report, before any extension can check them."""
    code, output = sphinx_build_output(project(tmp_path), tmp_path / "out",
                                       "-D", "playbook_needs_internals=maybe")
    assert code == 2
    assert warnings_of(output) == [
        "ERROR: playbook_needs_internals (given with -D): must be 0 or 1 "
        "(-D playbook_needs_internals=1), not 'maybe'"]


def test_a_vocabulary_missing_from_conf_py_names_the_file(tmp_path: Path) -> None:
    srcdir = project(tmp_path)
    conf = srcdir / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(re.sub(r"(?ms)^playbook_phases = \{.*?^\}\n", "", text), encoding="utf-8")
    assert "playbook_phases" not in conf.read_text(encoding="utf-8")
    code, output = sphinx_build_output(srcdir, tmp_path / "out")
    assert code == 2
    assert warnings_of(output) == [
        f"ERROR: playbook_phases (not set in {conf}): must be a non-empty dict of key -> "
        "{'label': ..., 'prefix': ...}, not dict {}"]

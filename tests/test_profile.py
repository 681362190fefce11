"""The organisation's profile: the condition language (core/profile.py), items that
say when they apply, and runs scoped by their profile (command line and report)."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from playbook_rh.core.profile import (
    ConditionError,
    Criteria,
    applies,
    describe,
    evaluate,
    parse_condition,
    read_criteria,
)
from playbook_rh.core.run_schema import run_schema
from playbook_rh.core.runs import Answer, load_run, record_answer
from playbook_rh.core.vocabulary_file import VOCABULARY_FILE, load_criteria
from sphinx.testing.util import SphinxTestApp

from .cli_support import as_json, build_needs, run_main, run_process
from .conftest import ROOTS, plain, soup, warnings_of
from .test_incremental import rebuild, touch_later

pytestmark = pytest.mark.usefixtures("no_needs_from_environment")

ROOT = ROOTS / "test-profile"


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    declared, problems = read_criteria(runpy.run_path(str(ROOT / "conf.py"))["playbook_profile"])
    assert problems == []
    return declared


# -- the language: every operator ------------------------------------------------------

HIGH = {"crit": "headcount", "in": ["50-299", "300-plus"]}
NETWORK = {"crit": "internal-network", "in": [True]}

TREES = {
    "internal-network": NETWORK,
    "internal-network = true": NETWORK,
    "internal-network = false": {"crit": "internal-network", "in": [False]},
    "internal-network != true": {"crit": "internal-network", "in": [False]},
    "headcount = 11-49": {"crit": "headcount", "in": ["11-49"]},
    "headcount != 11-49": {"crit": "headcount", "in": ["moins-de-11", "50-299", "300-plus"]},
    "sector = public": {"crit": "sector", "in": ["public"]},
    "sector != public": {"crit": "sector", "in": ["private"]},
    "headcount >= 50": HIGH,
    "headcount>=50": HIGH,
    "headcount > 49": HIGH,
    "headcount < 50": {"crit": "headcount", "in": ["moins-de-11", "11-49"]},
    "headcount <= 49": {"crit": "headcount", "in": ["moins-de-11", "11-49"]},
    "headcount >= 0": {"crit": "headcount", "in": ["moins-de-11", "11-49", "50-299",
                                                   "300-plus"]},
    "not internal-network": {"not": NETWORK},
    "not not internal-network": {"not": {"not": NETWORK}},
    "headcount >= 50 and internal-network": {"all": [HIGH, NETWORK]},
    "headcount >= 50 or internal-network": {"any": [HIGH, NETWORK]},
    # and binds tighter than or; chains are flattened
    "internal-network or headcount >= 50 and sector = public": {"any": [NETWORK, {"all": [
        HIGH, {"crit": "sector", "in": ["public"]}]}]},
    "(internal-network or headcount >= 50) and sector = public": {"all": [
        {"any": [NETWORK, HIGH]}, {"crit": "sector", "in": ["public"]}]},
    "internal-network and headcount >= 50 and sector = public": {"all": [
        NETWORK, HIGH, {"crit": "sector", "in": ["public"]}]},
    "not (internal-network or headcount >= 50)": {"not": {"any": [NETWORK, HIGH]}},
}


@pytest.mark.parametrize(("text", "tree"), TREES.items(), ids=list(TREES))
def test_every_operator_compiles_to_the_json_tree(criteria: Criteria, text: str,
                                                  tree: dict[str, Any]) -> None:
    condition = parse_condition(text, criteria)
    assert condition.tree == tree
    assert json.loads(json.dumps(condition.tree)) == tree  # what the browser gets


def test_the_text_is_kept_with_spaces_normalised(criteria: Criteria) -> None:
    assert parse_condition("  headcount >=  50\tand internal-network ",
                           criteria).text == "headcount >= 50 and internal-network"


# -- the language: every mistake, with its column ---------------------------------------

MISTAKES = {
    "": ("malformed", 1, "the condition is empty"),
    "taille >= 50": ("unknown_criterion", 1, "unknown criterion 'taille'; the criteria are "
                                             "headcount, internal-network, sector"),
    "internal-network and Reseau": ("unknown_criterion", 22, "unknown criterion 'Reseau'"),
    "headcount = 12": ("unknown_value", 13, "'headcount' has no value '12'; its values are "
                                            "moins-de-11, 11-49, 50-299, 300-plus"),
    "sector = federal": ("unknown_value", 10, "its values are public, private"),
    "internal-network = maybe": ("unknown_value", 20, "its values are true, false"),
    "headcount >= 49": ("unknown_value", 14, "bands start at 0, 11, 50, 300"),
    "headcount > 50": ("unknown_value", 13, "bands end at 10, 49, 299"),
    "headcount <= 50": ("unknown_value", 14, "bands end at 10, 49, 299"),
    "headcount < 0": ("unknown_value", 13, "is never true: no band matches"),
    "headcount": ("malformed", 1, "'headcount' is not a yes-no criterion: compare it, as in "
                                  "'headcount >= 50'"),
    "sector": ("malformed", 1, "as in 'sector = public'"),
    "internal-network >= 11": ("malformed", 18, "'>=' compares numbers: 'internal-network' "
                                                "is a yes-no criterion"),
    "sector < 11": ("malformed", 8, "'sector' is a choice criterion"),
    "headcount >= many": ("malformed", 14, "'>=' needs a number, found 'many'"),
    "headcount = and": ("malformed", 13, "expected a value after '=', found 'and'"),
    "headcount >= 50 and": ("malformed", 20, "the condition ends too early"),
    "not": ("malformed", 4, "the condition ends too early"),
    "and internal-network": ("malformed", 1, "expected a criterion, found 'and'"),
    "(internal-network": ("malformed", 18, "the parenthesis opened at column 1 is not closed"),
    "internal-network)": ("malformed", 17, "unexpected ')' (no parenthesis is open)"),
    "internal-network sector = public": ("malformed", 18, "join conditions with 'and' or "
                                                          "'or'"),
    "internal-network && sector = public": ("malformed", 18, "unexpected character '&'"),
}


@pytest.mark.parametrize(("text", "expected"), MISTAKES.items(), ids=list(MISTAKES))
def test_every_mistake_is_reported_with_its_column(criteria: Criteria, text: str,
                                                   expected: tuple[str, int, str]) -> None:
    kind, column, fragment = expected
    with pytest.raises(ConditionError) as raised:
        parse_condition(text, criteria)
    assert (raised.value.kind, raised.value.column) == (kind, column)
    assert fragment in raised.value.message
    assert str(raised.value).startswith(f"column {column}: ")


# -- three-valued evaluation --------------------------------------------------------------

@pytest.mark.parametrize(("text", "profile", "expected"), [
    ("headcount >= 50", {}, None),
    ("headcount >= 50", {"headcount": "50-299"}, True),
    ("headcount >= 50", {"headcount": "11-49"}, False),
    ("not internal-network", {}, None),
    ("not internal-network", {"internal-network": False}, True),
    ("headcount >= 50 and internal-network", {"headcount": "11-49"}, False),
    ("headcount >= 50 and internal-network", {"headcount": "300-plus"}, None),
    ("headcount >= 50 and internal-network", {"headcount": "300-plus",
                                              "internal-network": True}, True),
    ("headcount >= 50 or internal-network", {"internal-network": True}, True),
    ("headcount >= 50 or internal-network", {"internal-network": False}, None),
    ("headcount >= 50 or internal-network", {"headcount": "11-49",
                                             "internal-network": False}, False),
])
def test_evaluation_is_three_valued(criteria: Criteria, text: str, profile: dict[str, Any],
                                    expected: bool | None) -> None:
    tree = parse_condition(text, criteria).tree
    assert evaluate(tree, profile) is expected
    # an item applies unless its condition is definitely false
    assert applies(tree, profile) is (expected is not False)


def test_an_item_without_condition_always_applies() -> None:
    assert applies(None, {"headcount": "11-49"})


# -- in words -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("headcount >= 50", "S’applique aux organisations de 50 salariés ou plus."),
    ("headcount < 11", "S’applique aux organisations de moins de 11 salariés."),
    ("headcount = 11-49", "S’applique aux organisations de 11 à 49 salariés."),
    ("headcount != 11-49",
     "S’applique aux organisations de moins de 11 salariés ou de 50 salariés ou plus."),
    ("internal-network", "S’applique aux organisations qui ont un réseau social interne."),
    ("not internal-network",
     "S’applique aux organisations qui n’ont pas de réseau social interne."),
    ("headcount >= 50 and internal-network", "S’applique aux organisations de 50 salariés "
                                             "ou plus et qui ont un réseau social interne."),
    ("not (headcount >= 50 and internal-network)", "S’applique aux organisations de moins "
     "de 50 salariés ou qui n’ont pas de réseau social interne."),
    ("sector = public", "S’applique aux organisations pour lesquelles « Secteur » vaut "
                        "« Public »."),
])
def test_a_condition_in_words(criteria: Criteria, text: str, words: str) -> None:
    assert describe(parse_condition(text, criteria).tree, criteria) == words


# -- the criteria in conf.py ----------------------------------------------------------------

@pytest.mark.parametrize(("setting", "fragment"), [
    ([], "must be a dict"),
    ({"Size": {}}, "key 'Size' must be lowercase"),
    ({"size": {"label": "Taille", "question": "?", "kind": "scale"}},
     "'kind' 'scale' is not one of yes-no, choice, bands"),
    ({"size": {"label": "", "question": "?", "kind": "yes-no"}}, "must be non-empty text"),
    ({"size": {"label": "T", "question": "?", "kind": "bands", "bands": {"a": "A", "b": "B"},
               "bounds": [0]}}, "'bounds' must list each band's first number, 2"),
    ({"size": {"label": "T", "question": "?", "kind": "bands", "bands": {"a": "A", "b": "B"},
               "bounds": [10, 5]}}, "in increasing order"),
    ({"size": {"label": "T", "question": "?", "kind": "choice", "choices": {"true": "Oui"}}},
     "value key 'true'"),
    ({"size": {"label": "T", "question": "?", "kind": "yes-no", "choices": {}}},
     "unknown key(s) 'choices'"),
])
def test_wrong_criteria_are_reported(setting: object, fragment: str) -> None:
    criteria, problems = read_criteria(setting)
    assert criteria == {}
    assert len(problems) == 1 and problems[0].setting == "playbook_profile"
    assert fragment in problems[0].message


# -- the build --------------------------------------------------------------------------------

@pytest.mark.sphinx("html", testroot="profile", freshenv=True)
def test_items_show_their_condition_in_words(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    page = soup(app, "index.html")
    line = page.select_one("#REC-01 .playbook-item-applies")
    assert plain(line.get_text()) == "S'applique aux organisations de 50 salariés ou plus."
    assert page.select_one("#REC-02 .playbook-item-applies") is None
    assert plain(page.select_one("#REC-03 .playbook-item-applies").get_text()) == (
        "S'applique aux organisations de moins de 11 salariés ou pour lesquelles "
        "« Secteur » vaut « Public ».")
    # the dashboard's table: a line under the question
    rows = {row.select_one("td").get_text(strip=True): row
            for row in soup(app, "tableau.html").select("table.playbook-questions tbody tr")}
    note = rows["RSE-02"].select_one(".playbook-question-applies")
    assert plain(note.get_text(strip=True)) == (
        "S'applique aux organisations qui ont un réseau social interne et de 11 salariés "
        "ou plus.")
    assert rows["REC-02"].select_one(".playbook-question-applies") is None
    # without JavaScript every item shows: nothing is hidden by the build
    assert len(page.select(".playbook-item")) == 3


@pytest.mark.sphinx("html", testroot="profile", freshenv=True)
def test_the_browser_gets_the_criteria_and_the_compiled_conditions(app: SphinxTestApp) -> None:
    app.build()
    text = (app.outdir / "_static" / "playbook-catalogue.js").read_text(encoding="utf-8")
    catalogue = json.loads(text.split(" = ", 1)[1].rstrip(";\n"))
    assert catalogue["applies"] == {
        "REC-01": HIGH,
        "REC-03": {"any": [{"crit": "headcount", "in": ["moins-de-11"]},
                           {"crit": "sector", "in": ["public"]}]},
        "RSE-01": NETWORK,
        "RSE-02": {"all": [NETWORK, {"not": {"crit": "headcount", "in": ["moins-de-11"]}}]},
    }
    profile = catalogue["vocabulary"]["playbook_profile"]
    assert list(profile) == ["headcount", "internal-network", "sector"]
    assert profile["headcount"]["bounds"] == [0, 11, 50, 300]


@pytest.fixture(scope="module")
def profile_needs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_needs(ROOT, tmp_path_factory.mktemp("profile-needs"))


def test_needs_json_and_the_vocabulary_carry_the_conditions(profile_needs: Path,
                                                            criteria: Criteria) -> None:
    data = json.loads(profile_needs.read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    assert needs["REC-01"]["applies"] == "headcount >= 50"
    assert needs["REC-02"]["applies"] == ""
    assert (profile_needs.parent / VOCABULARY_FILE).is_file()
    assert load_criteria(profile_needs) == criteria


# -- runs with a profile ------------------------------------------------------------------------

def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SMALL = """\
format: playbook-run/1
organisation: "Petite SARL"
profile:
  headcount: 11-49
  internal-network: false
items:
  REC-01:
    status: done
    answer: "Consulté l'an dernier"
  REC-02:
    status: done
  REC-03:
    status: todo
"""


def test_status_leaves_out_what_does_not_apply_and_says_why(
        profile_needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write(tmp_path / "run.yaml", SMALL)
    result = run_main(capsys, "status", run, "--needs", profile_needs, "--today", "2026-11-26")
    assert result.code == 0, result.err
    assert "Profil : Effectif : de 11 à 49 ; Réseau social interne : non" in result.out
    assert "Hors champ (3)" in result.out
    assert "REC-01 — S’applique aux organisations de 50 salariés ou plus." in result.out
    assert "RSE-01 — S’applique aux organisations qui ont un réseau social interne." \
        in result.out
    # REC-01 is done but out of scope: progress counts REC-02 of REC-02 and REC-03 only
    assert "50.0 % (1/2 questions traitées)" in result.out
    assert "Réseaux d'entreprise" not in result.out.split("Par responsable")[0]
    assert "Réponses conservées hors champ (1) : REC-01" in result.out
    data = json.loads(run_main(capsys, "status", run, "--needs", profile_needs,
                               "--json").out)
    assert (data["complete"], data["total"]) == (1, 2)
    assert data["out_of_scope"] == ["REC-01", "RSE-01", "RSE-02"]
    assert data["profile"] == {"headcount": "11-49", "internal-network": "false"}
    assert data["missing"] == []  # RSE-01 and RSE-02 have no entry: they do not apply


def test_without_a_profile_every_question_counts(profile_needs: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run = write(tmp_path / "run.yaml", SMALL.replace("  headcount: 11-49\n", "").replace(
        "  internal-network: false\n", "").replace("profile:\n", ""))
    data = json.loads(run_main(capsys, "status", run, "--needs", profile_needs,
                               "--json").out)
    assert (data["complete"], data["total"], data["out_of_scope"]) == (2, 5, [])


def test_a_partial_profile_leaves_out_only_what_is_surely_false(
        profile_needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write(tmp_path / "run.yaml", SMALL.replace("  headcount: 11-49\n", ""))
    data = json.loads(run_main(capsys, "status", run, "--needs", profile_needs,
                               "--json").out)
    # internal-network false rules out RSE-01 and RSE-02; headcount unknown keeps REC-01
    assert data["out_of_scope"] == ["RSE-01", "RSE-02"]


def test_export_keeps_answers_out_of_scope_and_marks_them(
        profile_needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write(tmp_path / "run.yaml", SMALL)
    result = run_main(capsys, "export", run, "--needs", profile_needs, "--format", "json")
    rows = {row["id"]: row for row in json.loads(result.out)["items"]}
    assert sorted(rows) == ["REC-01", "REC-02", "REC-03"]  # RSE-01/02: no answer, left out
    assert rows["REC-01"]["in_scope"] == "no" and rows["REC-02"]["in_scope"] == "yes"
    assert rows["REC-01"]["answer"] == "Consulté l'an dernier"
    assert "Hors champ (3)" in result.err
    markdown = run_main(capsys, "export", run, "--needs", profile_needs, "--format", "md").out
    assert "| REC-01 | Le CSE est-il consulté ? | Fait (hors champ) |" in markdown
    assert "Hors champ (3) : ces questions ne s’appliquent pas à ce profil" in markdown


def test_changing_the_profile_deletes_no_answer(profile_needs: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    run = write(tmp_path / "run.yaml", SMALL)
    before = run.read_text(encoding="utf-8")
    assert run_main(capsys, "status", run, "--needs", profile_needs).code == 0
    assert run.read_text(encoding="utf-8") == before
    write(run, SMALL.replace("headcount: 11-49", "headcount: 50-299"))
    data = json.loads(run_main(capsys, "status", run, "--needs", profile_needs,
                               "--json").out)
    assert (data["complete"], data["total"]) == (2, 3)  # REC-01's answer counts again


def test_new_records_the_profile_given_and_validate_reads_it_back(
        profile_needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        criteria: Criteria) -> None:
    run = tmp_path / "new.yaml"
    result = run_main(capsys, "new", run, "--needs", profile_needs, "--profile",
                      "headcount=11-49, internal-network=false,sector=public")
    assert result.code == 0, result.err
    assert "2 questions, all to do; 3 left out by the profile" in result.out
    data = yaml.safe_load(run.read_text(encoding="utf-8"))
    assert data["profile"] == {"headcount": "11-49", "internal-network": False,
                               "sector": "public"}
    assert sorted(data["items"]) == ["REC-02", "REC-03"]
    schema = run_schema({"todo": "À faire", "done": "Fait"}, criteria)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(as_json(data))) == []
    assert load_run(run, ["todo", "done"]).profile["internal-network"] == "false"
    result = run_main(capsys, "validate", run, "--needs", profile_needs)
    assert result.code == 0, result.err
    assert "3 question(s) left out by the profile" in result.out


def test_new_without_a_terminal_records_no_profile(profile_needs: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "new.yaml"
    result = run_main(capsys, "new", run, "--needs", profile_needs)  # stdin: not a TTY
    assert result.code == 0, result.err
    assert "5 questions, all to do (" in result.out
    assert "profile" not in yaml.safe_load(run.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("option", "message"), [
    ("taille=11-49", "--profile: unknown criterion 'taille'; the criteria are headcount, "
                     "internal-network, sector"),
    ("headcount=30", "--profile: headcount '30' is not one of moins-de-11, 11-49"),
    ("internal-network=oui", "--profile: internal-network 'oui' is not one of true, false"),
    ("headcount", "--profile: 'headcount' is not written criterion=value"),
])
def test_a_wrong_profile_option_is_a_usage_error(profile_needs: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 option: str, message: str) -> None:
    run = tmp_path / "new.yaml"
    result = run_main(capsys, "new", run, "--needs", profile_needs, "--profile", option)
    assert result.code == 2
    assert message in result.err
    assert not run.exists()


def test_new_asks_the_profile_at_a_terminal(profile_needs: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["30\n", "peut-être\n", "n\n", "\n"])

    class Terminal:
        def isatty(self) -> bool:
            return True

        def readline(self) -> str:
            return next(answers)

    monkeypatch.setattr("sys.stdin", Terminal())
    run = tmp_path / "asked.yaml"
    result = run_main(capsys, "new", run, "--needs", profile_needs)
    assert result.code == 0, result.err
    assert "Combien de salariés ?" in result.out and "Réponse non comprise." in result.out
    # 30 employees: the band 11-49; "peut-être" asked again, then no; sector skipped
    assert yaml.safe_load(run.read_text(encoding="utf-8"))["profile"] == {
        "headcount": "11-49", "internal-network": False}


@pytest.mark.parametrize(("profile", "line", "message"), [
    ("  headcount: 12\n", 4, "profile: headcount '12' is not one of moins-de-11"),
    ("  taille: 11-49\n", 4, "profile: unknown criterion 'taille'; the criteria are"),
    ("  internal-network: yes\n", 4, "profile: internal-network 'yes' is not one of true, "
                                     "false"),
])
def test_a_wrong_profile_in_a_run_file_is_located(profile_needs: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  profile: str, line: int,
                                                  message: str) -> None:
    run = write(tmp_path / "run.yaml", "format: playbook-run/1\norganisation: X\n"
                                       f"profile:\n{profile}items: {{}}\n")
    result = run_main(capsys, "validate", run, "--needs", profile_needs)
    assert result.code == 2
    assert f"{run}:{line}: {message}" in result.err


def test_the_schema_checks_the_profile(criteria: Criteria) -> None:
    schema = run_schema({"todo": "À faire", "done": "Fait"}, criteria)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"profile": {"headcount": "11-49", "internal-network": False}, "items": {}}
    assert list(validator.iter_errors(good)) == []
    for bad in ({"headcount": "12"}, {"internal-network": "yes"}, {"taille": "11-49"}):
        assert list(validator.iter_errors({"profile": bad, "items": {}})), bad


# -- the report build -----------------------------------------------------------------------

@pytest.mark.sphinx("html", testroot="profile", freshenv=True)
def test_the_report_leaves_out_what_does_not_apply(app: SphinxTestApp, make_app: Any,
                                                   tmp_path: Path) -> None:
    srcdir = Path(app.srcdir)
    app.cleanup()
    run = write(tmp_path / "run.yaml", SMALL)
    report_app = make_app("html", srcdir=srcdir, freshenv=True,
                          confoverrides={"playbook_run": str(run),
                                         "playbook_today": "2026-11-26"})
    report_app.build()
    assert warnings_of(report_app.warning.getvalue()) == []
    report = plain(soup(report_app, "tableau.html").select_one(".playbook-report")
                   .get_text(" ", strip=True))
    assert "1 questions traitées sur 2 (50 %)" in report
    assert "Profil : Effectif : de 11 à 49 ; Réseau social interne : non." in report
    assert "3 questions hors champ" in report
    assert "REC-01 — S'applique aux organisations de 50 salariés ou plus." in report
    assert "Réponses conservées hors champ : REC-01." in report
    page = soup(report_app, "index.html")
    item = page.select_one("#REC-01")
    assert "playbook-out-of-scope" in item["class"]
    assert "Hors champ" in item.select_one(".playbook-run-out-of-scope").get_text()
    assert "Réponse : Consulté" in plain(item.get_text(" ", strip=True))  # kept, shown
    unanswered = soup(report_app, "reseau.html").select_one("#RSE-01")
    assert "playbook-out-of-scope" in unanswered["class"]
    assert unanswered.select_one(".playbook-run-status") is None
    assert "playbook-out-of-scope" not in page.select_one("#REC-02")["class"]


@pytest.mark.sphinx("html", testroot="profile", freshenv=True)
def test_a_wrong_profile_in_the_report_run_is_a_located_warning(
        app: SphinxTestApp, make_app: Any, tmp_path: Path) -> None:
    srcdir = Path(app.srcdir)
    app.cleanup()
    run = write(tmp_path / "run.yaml", SMALL.replace("headcount: 11-49", "headcount: 30"))
    report_app = make_app("html", srcdir=srcdir, freshenv=True,
                          confoverrides={"playbook_run": str(run)})
    report_app.build()
    warnings = warnings_of(report_app.warning.getvalue())
    assert len(warnings) == 1
    assert f"{run}:4: WARNING: profile: headcount '30' is not one of" in warnings[0]
    assert warnings[0].endswith("[checklist.run]")


def test_the_schema_without_criteria_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(run_schema({"todo": "À faire",
                                                             "done": "Fait"}))


@pytest.mark.sphinx("latex", testroot="profile", freshenv=True)
def test_on_paper_a_question_left_out_has_no_room_to_write(app: SphinxTestApp, make_app: Any,
                                                           tmp_path: Path) -> None:
    srcdir = Path(app.srcdir)
    app.cleanup()
    run = write(tmp_path / "run.yaml", SMALL)
    latex_app = make_app("latex", srcdir=srcdir, freshenv=True,
                         confoverrides={"playbook_run": str(run),
                                        "playbook_today": "2026-11-26"})
    latex_app.build()
    assert warnings_of(latex_app.warning.getvalue()) == []
    tex = next(latex_app.outdir.glob("*.tex")).read_text(encoding="utf-8")

    def item(page: str, item_id: str) -> str:
        label = rf"\label{{\detokenize{{{page}:{item_id}}}}}"
        return tex.split(label)[1].split(r"\end{playbookitem}")[0]

    left_out = item("reseau", "RSE-01")
    assert "Hors champ" in left_out and r"\playbookanswer" not in left_out
    assert r"\playbookanswer" in item("index", "REC-03")  # applies, to do: room to write
    # without a run, the condition is printed under the question
    assert "S’applique aux organisations de 50 salariés ou plus." in item("index", "REC-01")


def test_run_walks_only_through_what_applies(profile_needs: Path, tmp_path: Path) -> None:
    run = write(tmp_path / "run.yaml", SMALL.replace("  REC-03:\n    status: todo\n", ""))
    result = run_process("run", run, "--needs", profile_needs, stdin="q\n")
    assert result.returncode == 0, result.stderr
    assert "Hors champ (3)" in result.stdout
    # REC-01 (out of scope) and RSE-01/02 (out of scope) are not asked; REC-02 and REC-03 are
    assert "2 question(s) à passer en revue" in result.stdout
    assert "REC-02" in result.stdout and "RSE-01 —" not in result.stdout.split("revue")[1]


def test_recording_an_answer_keeps_the_profile_and_the_answers_out_of_scope(
        tmp_path: Path) -> None:
    run = write(tmp_path / "run.yaml", SMALL)
    record_answer(run, "REC-03", Answer(status="done"), ["todo", "done"])
    again = load_run(run, ["todo", "done"])
    assert again.profile == {"headcount": "11-49", "internal-network": "false"}
    assert again.items["REC-01"].answer == "Consulté l'an dernier"  # out of scope, kept
    assert again.items["REC-03"].status == "done"


@pytest.mark.sphinx("html", testroot="profile", freshenv=True, srcdir="profile-changed")
def test_a_changed_condition_rewrites_the_dashboard(app: SphinxTestApp, make_app: Any) -> None:
    app.build()
    index = Path(app.srcdir) / "index.md"
    touch_later(index, index.read_text(encoding="utf-8").replace(
        ":applies: headcount >= 50", ":applies: headcount >= 300"))
    again, read = rebuild(make_app, app)
    assert read == ["index"]
    assert warnings_of(again.warning.getvalue()) == []
    rows = {row.select_one("td").get_text(strip=True): row
            for row in soup(again, "tableau.html").select("table.playbook-questions tbody tr")}
    assert plain(rows["REC-01"].select_one(".playbook-question-applies").get_text(
        strip=True)) == "S'applique aux organisations de 300 salariés ou plus."

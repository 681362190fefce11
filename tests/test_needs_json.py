"""needs.json: the hand-off to the command line and other tools."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import ub_needs_exchange
from playbook_rh.core.questions import load_questions
from sphinx.testing.util import SphinxTestApp


def needsfile_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads(
        files("sphinx_needs").joinpath("needsfile.json").read_text(encoding="utf-8")
    )
    return schema


@pytest.mark.sphinx("needs", testroot="basic", freshenv=True, confoverrides={"version": "1.0"})
def test_needs_json_validates_and_carries_every_field(app: SphinxTestApp) -> None:
    app.build()
    path = app.outdir / "needs.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, needsfile_schema())

    version = ub_needs_exchange.load(path).select_version(None)
    assert version.name == "1.0"
    records = {record.key: record.fields for record in version.records()}
    assert sorted(records) == ["REC-01", "REC-02", "TRA-01"]
    first = records["REC-01"]
    assert first["title"] == "Avez-vous une **page** entreprise ?"
    assert first["type"] == "question"
    assert first["phase"] == "recruitment"
    assert first["owner"] == ["hr", "marketing"]
    assert first["docname"] == "index"
    assert first["lineno"] == 11
    assert first["status"] == "todo"
    assert first["tags"] == ["linkedin"]
    assert first["links"] == ["TRA-01"]
    assert first["content"].startswith("Une bonne réponse nomme la personne qui publie.")
    assert first["sections"] == ["Test"]
    assert records["REC-02"]["owner"] == ["hr"]
    assert records["TRA-01"]["links_back"] == ["REC-01"]
    assert all(record.diagnostics == () for record in version.records())


def test_the_sites_needs_json_leaves_out_defaults_that_the_reader_gives_back(
        site_needs_json: Path) -> None:
    """conf.py's needs_json_remove_defaults: a field at its default value is not written,
    and the schema the file carries gives it back to every reader through
    ub_needs_exchange, the command line's included."""
    data = json.loads(site_needs_json.read_text(encoding="utf-8"))
    jsonschema.validate(data, needsfile_schema())
    written = data["versions"][data["current_version"]]
    assert written["needs_defaults_removed"] is True
    records = {record.key: record.fields
               for record in ub_needs_exchange.load(site_needs_json).select_version(None)
               .records()}
    assert records.keys() == written["needs"].keys()
    for key, record in records.items():  # sphinx-needs' own fields, at their default
        assert "is_external" not in written["needs"][key]  # left out...
        assert record["is_external"] is False and record["constraints"] == []  # given back
        assert set(written["needs"][key]) < set(record)
    questions = load_questions(site_needs_json)
    assert {question.id for question in questions.items} == set(records)
    assert all(question.phase and question.owners and question.guidance
               for question in questions.items)

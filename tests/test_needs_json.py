"""needs.json: the hand-off to the command line and other tools."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest
import ub_needs_exchange
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

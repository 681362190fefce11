"""The JSON Schema of run files, generated from the run model (:mod:`.runs`).

``static/run.schema.json`` is this schema for the statuses and the profile's criteria
of the playbook's ``conf.py``; a test fails when the file and :func:`run_schema` differ, and
``python -m playbook_rh.cli.run_schema`` writes the file again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook_rh.core.profile import YES_NO, Criteria, value_text
from playbook_rh.core.runs import FORMAT, ITEM_FIELDS, TOP_FIELDS
from playbook_rh.core.vocabulary import COMPLETE, ID_PATTERN, TODO

TITLE = "Playbook RH et réseaux sociaux : fichier de suivi (run)"
DESCRIPTION = ("An organisation's answers to the playbook's questions, one entry per item "
               "ID. Read by `playbook-rh validate`; written by `playbook-rh new`, "
               "`playbook-rh run` and the site's Export button.")

DATE = {"type": "string", "format": "date"}
TEXT = {"type": "string"}

#: Each field of a run file (:data:`.runs.TOP_FIELDS`), but ``items``, built below.
TOP_FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "format": {"const": FORMAT, "description": "The format and its version."},
    "id": {**TEXT, "description": "The run's own identifier, written once when the run "
                                  "starts (a random UUID; `playbook-rh new`, the site); "
                                  "tells two runs of one organisation apart in calendar "
                                  "exports. Give a copied run a new one."},
    "organisation": {**TEXT, "description": "Who the answers are for."},
    "started": {**DATE, "description": "When the run began (YYYY-MM-DD)."},
}

#: Each field of an item's entry (:data:`.runs.ITEM_FIELDS`), but ``status``.
ITEM_FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "owner": {**TEXT, "description": "The person or role in charge."},
    "due": {**DATE, "description": "Due date (YYYY-MM-DD)."},
    "evidence": {**TEXT, "description": "A link or a document reference."},
    "answer": {**TEXT, "description": "Free-text answer or note."},
    "updated": {"type": "string", "format": "date-time",
                "description": "When the entry was last changed."},
}


def status_schema(statuses: Mapping[str, str]) -> dict[str, Any]:
    complete = [key for key in statuses if key in COMPLETE]
    labels = ", ".join(label.lower() for label in statuses.values())
    return {
        "enum": list(statuses),
        "default": TODO,
        "description": f"{labels}; {' and '.join(complete)} count as complete.",
    }


def profile_schema(criteria: Criteria) -> dict[str, Any]:
    """The ``profile:`` section: each criterion of ``playbook_profile`` and its values."""
    properties: dict[str, Any] = {}
    for criterion in criteria.values():
        labels = "; ".join(f"{value_text(value)}: {label}"
                           for value, label in criterion.values.items())
        described = f"{criterion.label} ({labels})"
        properties[criterion.key] = (
            {"type": "boolean", "description": described} if criterion.kind == YES_NO
            else {"enum": [value_text(value) for value in criterion.values],
                  "description": described})
    return {
        "type": "object",
        "description": "The organisation's profile (criteria of playbook_profile): "
                       "questions whose condition it rules out are left out of the "
                       "progress, their answers kept. A criterion left out is unknown.",
        "additionalProperties": False,
        "properties": properties,
    }


def run_schema(statuses: Mapping[str, str],
               criteria: Criteria | None = None) -> dict[str, Any]:
    """The schema of a run file whose items take ``statuses`` (key -> label) and whose
    profile takes ``criteria``."""
    items = {
        "type": "object",
        "description": "Item ID (PREFIX-NN, as on the site) to what the organisation "
                       "recorded.",
        "propertyNames": {"pattern": ID_PATTERN.pattern},
        "additionalProperties": {"$ref": "#/$defs/answer"},
    }
    top = {**TOP_FIELD_SCHEMAS, "profile": profile_schema(criteria or {}), "items": items}
    answer = {**ITEM_FIELD_SCHEMAS, "status": status_schema(statuses)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "run.schema.json",
        "title": TITLE,
        "description": DESCRIPTION,
        "type": "object",
        "required": ["items"],
        "additionalProperties": False,
        "properties": {name: top[name] for name in TOP_FIELDS},
        "$defs": {
            "answer": {
                "type": "object",
                "additionalProperties": False,
                "properties": {name: answer[name] for name in ITEM_FIELDS},
            },
        },
    }

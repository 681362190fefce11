"""Questions read from need records (``core/questions.py``): what each field becomes
when it is missing, empty or not of its type.

:func:`questions_from_records` is written by hand for speed (one ``itemgetter`` per
record, values converted only when they need it); these cases hold what it makes of
every kind of value, including the records a crafted needs.json holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playbook_rh.core.questions import Question, questions_from_records

SOURCE = Path("needs.json")

#: A record as the build writes it.
USUAL: dict[str, Any] = {
    "id": "REC-01", "type": "question", "title": "Que vérifie-t-on ?",
    "phase": "recruitment", "phase_label": "Recrutement", "phase_order": 1,
    "owner": ["hr", "legal"], "owner_labels": ["Ressources humaines", "Juridique"],
    "content": "Pourquoi.", "docname": "checklists/recrutement", "lineno": 12,
    "replaces": ["REC-09"], "applies": "headcount >= 50",
}
QUESTION = Question("REC-01", "Que vérifie-t-on ?", "recruitment", "Recrutement", 1,
                    ("hr", "legal"), ("Ressources humaines", "Juridique"), "Pourquoi.",
                    ("REC-09",), "checklists/recrutement", 12, "headcount >= 50")

#: field -> value given ("missing": the record lacks the field) -> what the question holds.
CASES: list[tuple[str, object, str, object]] = [
    ("title", "missing", "title", ""),
    ("title", None, "title", "None"),
    ("title", 3, "title", "3"),
    ("phase", "missing", "phase", ""),
    ("phase_label", "missing", "phase_label", "recruitment"),
    ("phase_label", "", "phase_label", "recruitment"),
    ("phase_label", None, "phase_label", "recruitment"),
    ("phase_label", 7, "phase_label", "7"),
    ("phase_order", "missing", "phase_order", 0),
    ("phase_order", None, "phase_order", 0),
    ("phase_order", "3", "phase_order", 3),
    ("phase_order", 2.9, "phase_order", 2),
    ("phase_order", True, "phase_order", 1),
    ("owner", "missing", "owners", ()),
    ("owner", "hr", "owners", ()),
    ("owner", 3, "owners", ()),
    ("owner", [], "owners", ()),
    ("owner", ["hr", 4], "owners", ("hr", "4")),
    ("owner_labels", None, "owner_labels", ()),
    ("content", "missing", "guidance", ""),
    ("content", None, "guidance", ""),
    ("content", 0, "guidance", ""),
    ("content", 5, "guidance", "5"),
    ("replaces", "missing", "replaces", ()),
    ("replaces", "REC-09", "replaces", ()),
    ("replaces", [], "replaces", ()),
    ("docname", None, "docname", ""),
    ("lineno", "missing", "lineno", 0),
    ("lineno", "7", "lineno", 7),
    ("lineno", False, "lineno", 0),
    ("applies", None, "applies", ""),
    ("applies", "missing", "applies", ""),
]


def read(*records: dict[str, Any]) -> list[Question]:
    return list(questions_from_records(((record["id"], record) for record in records),
                                       SOURCE).items)


def test_a_usual_record() -> None:
    [question] = read(USUAL)
    assert question == QUESTION and type(question) is Question
    assert question.applies == "headcount >= 50"  # read by name, as everywhere


@pytest.mark.parametrize(("field", "given", "attribute", "expected"), CASES,
                         ids=[f"{field}-{given!r}" for field, given, _, _ in CASES])
def test_a_field_missing_empty_or_of_another_type(field: str, given: object,
                                                  attribute: str, expected: object) -> None:
    record = dict(USUAL)
    if given == "missing":
        del record[field]
    else:
        record[field] = given
    [question] = read(record)
    assert getattr(question, attribute) == expected
    assert question._replace(**{attribute: getattr(QUESTION, attribute)}) == QUESTION


@pytest.mark.parametrize(("field", "value"), [("phase_order", "premier"),
                                              ("lineno", [1, 2]), ("lineno", {"a": 1}),
                                              ("owner", [{"a": 1}])])
def test_a_value_that_cannot_be_converted_raises(field: str, value: object) -> None:
    """:func:`load_questions` turns these into a message naming the file."""
    with pytest.raises((TypeError, ValueError)):
        read({**USUAL, field: value})


def test_only_questions_are_read_in_reading_order() -> None:
    other = {"id": "X-1", "type": "requirement", "title": "Pas une question"}  # few fields
    later_line = {**USUAL, "id": "REC-02", "lineno": 30}
    earlier_phase = {**USUAL, "id": "DIR-01", "phase": "executives", "phase_order": 0}
    same_place = {**USUAL, "id": "REC-00"}
    assert [q.id for q in read(later_line, other, USUAL, earlier_phase, same_place)] == [
        "DIR-01", "REC-00", "REC-01", "REC-02"]


def test_equal_lists_are_one_tuple() -> None:
    """The owners of thousands of questions are a handful of lists: each kept once."""
    first, second = read(USUAL, {**USUAL, "id": "REC-02", "owner": ["hr", "legal"]})
    assert first.owners == second.owners and first.owners is second.owners

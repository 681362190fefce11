"""The task-list parser, alone: what an author writes, what it makes of it."""

from __future__ import annotations

from playbook_rh.sphinxext.checklist.parsing import parse_checklist
from playbook_rh.sphinxext.warnings_ import ChecklistWarning


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_checklist(text.splitlines())


def test_item_with_fields_and_guidance() -> None:
    items, problems = parse(
        "- [ ] REC-01 Avez-vous une page ?\n"
        "  :owner: hr, marketing\n"
        "  :links: PRE-01\n"
        "\n"
        "  Première ligne de conseil.\n"
        "\n"
        "  - un point\n"
        "- [x] REC-02 Deuxième question ?\n"
    )
    assert problems == []
    first, second = items
    assert (first.id, first.question, first.index) == ("REC-01", "Avez-vous une page ?", 0)
    assert first.fields == {"owner": ("hr, marketing", 1), "links": ("PRE-01", 2)}
    assert first.guidance == [("Première ligne de conseil.", 4), ("", 5), ("- un point", 6)]
    assert (second.id, second.index, second.guidance) == ("REC-02", 7, [])


def test_problems_are_located_on_their_line() -> None:
    items, problems = parse(
        "Intro\n"
        "- [ ] REC-01 Bonne ?\n"
        "  :ownr: hr\n"
        "- [ ] rec-2 Mal écrit\n"
        "- [ ] Pas d'identifiant\n"
        "- pas de case\n"
        "- [ ] REC-03\n"
    )
    assert [item.id for item in items] == ["REC-01"]
    assert [(p.kind, p.index) for p in problems] == [
        (ChecklistWarning.NOT_TASK_LIST, 0),
        (ChecklistWarning.UNKNOWN_FIELD, 2),
        (ChecklistWarning.MALFORMED_ID, 3),
        (ChecklistWarning.MISSING_ID, 4),
        (ChecklistWarning.NOT_TASK_LIST, 5),
        (ChecklistWarning.NO_QUESTION, 6),
    ]


def test_ordered_list_is_not_a_task_list() -> None:
    items, problems = parse("1. [ ] REC-01 Question ?\n")
    assert items == []
    assert [p.kind for p in problems] == [ChecklistWarning.NOT_TASK_LIST]


def test_empty_body_has_no_items_and_no_problems() -> None:
    assert parse("\n\n") == ([], [])


def test_subtypes_are_unique() -> None:
    subtypes = [kind.subtype for kind in ChecklistWarning]
    assert len(subtypes) == len(set(subtypes))

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
        "- [ ] REC-02 Deuxième question ?\n"
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


def test_mistakes_that_used_to_pass_in_silence() -> None:
    items, problems = parse(
        "- [X] REC-01 Cochée ?\n"
        "  :owner: hr\n"
        "  :owner: legal\n"
        "\n"
        "  :links: REC-02\n"
        "  :tags: a\n"
        "\n"
        "  ```text\n"
        "  :status: done\n"
        "  ```\n"
        "- [ ] REC-02\u202fEspace fine ?\n"
        "- [ ] R\u0415C-03 Cyrillique ?\n"
        "- [ ] RE\u00c7-04 Cédille ?\n"
    )
    found = [(problem.kind.subtype, problem.index) for problem in problems]
    assert found == [("ticked_in_source", 0), ("duplicate_field", 2),
                     ("field_after_blank_line", 4), ("field_after_blank_line", 5),
                     ("lookalike_id", 10), ("lookalike_id", 11), ("malformed_id", 12)]
    first, second = items
    # the fields the author meant are kept, the first of two, and leave the guidance
    assert first.fields == {"owner": ("hr", 1), "links": ("REC-02", 4), "tags": ("a", 5)}
    assert [text for text, _ in first.guidance] == ["```text", ":status: done", "```"]
    assert (second.id, second.question) == ("REC-02", "Espace fine ?")
    assert "U+202F NARROW NO-BREAK SPACE" in problems[4].message
    assert "'Ç' (U+00C7 LATIN CAPITAL LETTER C WITH CEDILLA)" in problems[6].message

"""Guidance in plain sentences is made into paragraphs without the Markdown parser:
the doctree must be the one the parser gives, line numbers included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from playbook_rh.sphinxext.checklist.directive import ChecklistDirective
from sphinx.testing.util import SphinxTestApp

from .conftest import build_copy, warnings_of

Shape = list[tuple[str, int | None, str, str]]


def shape(app: SphinxTestApp) -> Shape:
    """Every node of the read page: its kind, line, source and text."""
    doctree = app.env.get_doctree("index")
    return [(node.tagname if isinstance(node, nodes.Element) else "#text",
             getattr(node, "line", None),
             str(getattr(node, "source", None)).replace(str(app.srcdir), "<srcdir>"),
             node.astext() if isinstance(node, nodes.Element) else str(node))
            for node in doctree.findall()]


def test_plain_guidance_gives_the_parsers_doctree(
    make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_items: list[str] = []
    paragraphs = ChecklistDirective._plain_paragraphs

    def spy(self: ChecklistDirective, item: Any, pattern: Any) -> Any:
        result = paragraphs(self, item, pattern)
        if result is not None:
            plain_items.append(item.id)
        return result

    monkeypatch.setattr(ChecklistDirective, "_plain_paragraphs", spy)
    fast = build_copy(make_app, "guidance", tmp_path / "fast")
    fast_shape = shape(fast)
    fast.cleanup()
    # plain sentences (digits, colons and French quotes included) skip the parser;
    # Markdown, lists, quotes and targets do not
    assert plain_items == ["REC-02", "REC-03", "REC-06", "REC-08", "TRA-01"]

    monkeypatch.setattr(ChecklistDirective, "_changed_by_markdown", lambda self: None)
    parsed = build_copy(make_app, "guidance", tmp_path / "parsed")
    parsed_shape = shape(parsed)
    parsed.cleanup()

    assert len(fast_shape) == len(parsed_shape)
    for fast_node, parsed_node in zip(fast_shape, parsed_shape, strict=True):
        assert fast_node == parsed_node
    lines = {text: line for kind, line, _, text in fast_shape if kind == "paragraph"}
    assert lines["Le second paragraphe, avec des chiffres : 3 étapes en 2024.\n"
                 "3 équipes, 12 mois."] == 19  # its first line in index.md


@pytest.mark.sphinx("html", testroot="guidance", freshenv=True,
                    confoverrides={"myst_enable_extensions": ["smartquotes"]})
def test_smartquotes_send_apostrophes_to_the_parser(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Une bonne réponse nomme la personne responsable." in html
    assert "d’abord" in html  # MyST's typographic apostrophe, as in the rest of the page

"""The nodes a checklist is made of, and how each builder renders them.

The directive emits plain nodes every builder understands (containers, paragraphs,
references); the three node classes below only add what docutils has no node for:
a checkbox, and the classes and attributes the HTML and LaTeX writers hang on.
Builders without a visitor fall back on the docutils base class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator


class checklist(nodes.container):
    """A whole checklist: a sequence of :class:`checklist_item`."""


class checklist_item(nodes.container):
    """One question; ``ids`` holds its need ID so ``{need}`` links land on it."""


class checklist_checkbox(nodes.Inline, nodes.Element):
    """The box a reader ticks (HTML) or a facilitator fills in with a pen (LaTeX)."""


def visit_checklist_html(self: HTML5Translator, node: checklist) -> None:
    phase = node.get("phase", "")
    self.body.append(
        self.starttag(node, "div", CLASS="playbook-checklist", **{"data-phase": phase})
    )


def depart_checklist_html(self: HTML5Translator, node: checklist) -> None:
    self.body.append("</div>\n")


def visit_checklist_item_html(self: HTML5Translator, node: checklist_item) -> None:
    attributes = {"data-item": node.get("item_id", ""), "data-phase": node.get("phase", "")}
    self.body.append(self.starttag(node, "div", CLASS="playbook-item", **attributes))


def depart_checklist_item_html(self: HTML5Translator, node: checklist_item) -> None:
    self.body.append("</div>\n")


def visit_checkbox_html(self: HTML5Translator, node: checklist_checkbox) -> None:
    item_id = node["item_id"]
    checked = " checked" if node.get("checked") else ""
    self.body.append(
        f'<input type="checkbox" class="playbook-checkbox" id="check-{item_id}" '
        f'aria-labelledby="question-{item_id}"{checked} />'
    )
    raise nodes.SkipNode


def visit_checklist_latex(self: LaTeXTranslator, node: checklist) -> None:
    self.body.append("\n\n")


def depart_checklist_latex(self: LaTeXTranslator, node: checklist) -> None:
    self.body.append("\n\n")


def visit_checklist_item_latex(self: LaTeXTranslator, node: checklist_item) -> None:
    # Paragraphs in an environment (playbook.sty), never a table: an item must break
    # across pages, not be cut.
    self.body.append("\n\\begin{playbookitem}" + self.hypertarget_to(node, anchor=True) + "\n")


def depart_checklist_item_latex(self: LaTeXTranslator, node: checklist_item) -> None:
    # Room to write, unless a run (RUN=...) already holds the answer.
    answer = "" if node.get("answered") else "\n\\playbookanswer"
    self.body.append(answer + "\n\\end{playbookitem}\n")


def visit_checkbox_latex(self: LaTeXTranslator, node: checklist_checkbox) -> None:
    self.body.append(r"\playbookboxchecked{}~" if node.get("checked") else r"\playbookbox{}~")
    raise nodes.SkipNode


def visit_checkbox_text(self: TextTranslator, node: checklist_checkbox) -> None:
    self.add_text("[ ] ")
    raise nodes.SkipNode


def visit_checkbox_plain(self: nodes.NodeVisitor, node: checklist_checkbox) -> None:
    raise nodes.SkipNode



NODE_VISITORS: dict[type[nodes.Element], dict[str, tuple[object, object]]] = {
    checklist: {
        "html": (visit_checklist_html, depart_checklist_html),
        "latex": (visit_checklist_latex, depart_checklist_latex),
    },
    checklist_item: {
        "html": (visit_checklist_item_html, depart_checklist_item_html),
        "latex": (visit_checklist_item_latex, depart_checklist_item_latex),
    },
    checklist_checkbox: {
        "html": (visit_checkbox_html, None),
        "latex": (visit_checkbox_latex, None),
        "text": (visit_checkbox_text, None),
        "man": (visit_checkbox_plain, None),
        "texinfo": (visit_checkbox_plain, None),
    },
}

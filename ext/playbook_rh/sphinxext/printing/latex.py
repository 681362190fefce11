"""The printed playbooks: what the LaTeX builder needs beyond Sphinx's defaults.

- A per-phase PDF holds only its phase. A reference to a page or an item of another
  phase points at the published site (``html_baseurl``) instead of raising ``NoUri``
  (which sphinx-needs turns into a wrong link or a crash, upstream #1035).
- MyST task-list checkboxes are raw HTML, which LaTeX drops: they become boxes.
- sphinx-design cards print as a bold, linked title over their text.
- A word too long for a line (an address written as text, a reference number, a word
  beyond TeX's 63-letter hyphenation limit) may break anywhere instead of running off
  the page: ``cli/pdf.py`` fails the build on any line that still overflows.
- ``playbook.sty`` (the checkbox, the item layout, the space to write answers) is
  copied beside the ``.tex`` files.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset_file

from playbook_rh import STATIC
from playbook_rh.sphinxext.checklist.nodes import checklist_checkbox

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STYLE = STATIC / "playbook.sty"
#: A run of text without spaces that TeX might not fit on a line; shorter words fit or
#: are hyphenated.
LONG_WORD = re.compile(r"\S{40,}")
#: Where a long word may break: after these characters, else every few letters.
BREAK_AFTER = re.compile(r"[^/.\-_?&=#,;:]*[/.\-_?&=#,;:]*")
LETTERS_BETWEEN_BREAKS = 8
#: Text LaTeX prints as it is written, or that Sphinx already breaks (\sphinxurl).
KEEP_WHOLE = (nodes.literal_block, nodes.math, nodes.math_block, nodes.raw,
              nodes.FixedTextElement)


class PlaybookLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder, linking pages outside the current PDF to the site."""

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        if docname in self.docnames or not self.config.html_baseurl:
            return super().get_target_uri(docname, typ)
        return f"{self.config.html_baseurl.rstrip('/')}/{docname}.html"


class TaskListCheckboxes(SphinxPostTransform):
    """Replace MyST's raw-HTML task-list checkboxes with boxes LaTeX can print."""

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split() and 'type="checkbox"' in raw.astext():
                raw.replace_self(checklist_checkbox(item_id=""))


class PrintableCards(SphinxPostTransform):
    """sphinx-design cards on paper: the title a bold paragraph that links where the
    card does, instead of inline text run into the body and a "stretched" link whose
    hidden text (a page name) LaTeX would print."""

    default_priority = 5  # before references are resolved
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for card in list(self.document.findall(nodes.container)):
            if "sd-card" not in card["classes"]:
                continue
            link = next((xref for xref in card.findall(addnodes.pending_xref)
                         if "sd-stretched-link" in xref["classes"]), None)
            title = next((part for part in card.findall(nodes.container)
                          if "sd-card-title" in part["classes"]), None)
            if link is not None:
                holder = link.parent
                link.parent.remove(link)
                if not holder.children:
                    holder.parent.remove(holder)
            if title is None:
                continue
            strong = nodes.strong()
            if link is not None:
                link["classes"] = []
                link["refexplicit"] = True  # the card's title is the link's text
                link.children = [nodes.Text(title.astext())]
                strong += link
            else:
                strong += nodes.Text(title.astext())
            heading = nodes.paragraph(classes=["playbook-card-title"])
            heading += strong
            title.replace_self(heading)


class BreakableLongWords(SphinxPostTransform):
    """Give words too long for a line places to break (``\\allowbreak``)."""

    default_priority = 900  # after references are resolved and the text is final
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or not LONG_WORD.search(text.astext()):
                continue
            if any(isinstance(ancestor, KEEP_WHOLE) for ancestor in _ancestors(parent)):
                continue
            if isinstance(parent, nodes.reference) and parent.astext() == parent.get(
                    "refuri"):
                continue  # printed with \sphinxurl, which breaks addresses itself
            parent.replace(text, list(_breakable(text.astext())))


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    current: nodes.Node | None = node
    while current is not None:
        found.append(current)
        current = current.parent
    return found


def _breakable(text: str) -> list[nodes.Node]:
    """``text`` as Text nodes with a LaTeX break opportunity inside each long word."""
    pieces: list[nodes.Node] = []
    position = 0
    for word in LONG_WORD.finditer(text):
        pieces.append(nodes.Text(text[position:word.start()]))
        parts = [chunk[start:start + LETTERS_BETWEEN_BREAKS]
                 for chunk in BREAK_AFTER.findall(word.group()) if chunk
                 for start in range(0, len(chunk), LETTERS_BETWEEN_BREAKS)]
        for number, part in enumerate(parts):
            if number:
                pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            pieces.append(nodes.Text(part))
        position = word.end()
    pieces.append(nodes.Text(text[position:]))
    return [piece for piece in pieces if not isinstance(piece, nodes.Text) or piece.astext()]


def copy_style(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "latex":
        copy_asset_file(STYLE, app.outdir)


def setup_latex(app: Sphinx) -> None:
    app.add_builder(PlaybookLaTeXBuilder, override=True)
    app.add_post_transform(TaskListCheckboxes)
    app.add_post_transform(PrintableCards)
    app.add_post_transform(BreakableLongWords)
    app.add_latex_package("playbook")
    app.connect("build-finished", copy_style)

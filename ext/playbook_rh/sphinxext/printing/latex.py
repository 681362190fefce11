"""The printed playbooks: what the LaTeX builder needs beyond Sphinx's defaults.

- A per-phase PDF holds only its phase. A reference to a page or an item of another
  phase points at the published site (``html_baseurl``) instead of raising ``NoUri``
  (which sphinx-needs turns into a wrong link or a crash, upstream #1035).
- MyST task-list checkboxes are raw HTML, which LaTeX drops: they become boxes.
- sphinx-design cards print as a bold, linked title over their text.
- ``playbook.sty`` (the checkbox, the item layout, the space to write answers) is
  copied beside the ``.tex`` files.
"""

from __future__ import annotations

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


def copy_style(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "latex":
        copy_asset_file(STYLE, app.outdir)


def setup_latex(app: Sphinx) -> None:
    app.add_builder(PlaybookLaTeXBuilder, override=True)
    app.add_post_transform(TaskListCheckboxes)
    app.add_post_transform(PrintableCards)
    app.add_latex_package("playbook")
    app.connect("build-finished", copy_style)

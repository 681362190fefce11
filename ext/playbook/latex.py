"""The printed playbooks: what the LaTeX builder needs beyond Sphinx's defaults.

- A per-phase PDF holds only its phase. A reference to a page or an item of another
  phase points at the published site (``html_baseurl``) instead of raising ``NoUri``
  (which sphinx-needs turns into a wrong link or a crash, upstream #1035).
- MyST task-list checkboxes are raw HTML, which LaTeX drops: they become boxes.
- ``playbook.sty`` (the checkbox, the item layout, the space to write answers) is
  copied beside the ``.tex`` files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset_file

from .nodes import checklist_checkbox

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STYLE = Path(__file__).parent / "static" / "playbook.sty"


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


def copy_style(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "latex":
        copy_asset_file(STYLE, app.outdir)


def setup_latex(app: Sphinx) -> None:
    app.add_builder(PlaybookLaTeXBuilder, override=True)
    app.add_post_transform(TaskListCheckboxes)
    app.add_latex_package("playbook")
    app.connect("build-finished", copy_style)

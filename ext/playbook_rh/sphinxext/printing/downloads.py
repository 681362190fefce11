"""A download link to its PDF playbook on each page a PDF is made of.

The PDFs are the ``latex_documents`` of ``conf.py``; ``make pdf`` puts them in the
site's ``pdf/`` folder. A page links to the most specific PDF that holds it: a phase's
page and its checklist to the phase's playbook, the home page to the complete guide.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Where ``make pdf`` puts the PDFs in the site, relative to its root.
SITE_FOLDER = "pdf"


def pdf_of_pages(app: Sphinx) -> dict[str, str]:
    """docname -> PDF file name; a phase's playbook wins over the complete guide."""
    pdfs: dict[str, str] = {}
    root = app.config.root_doc
    for entry in app.config.latex_documents:
        start, target = entry[0], entry[1]
        pdf = str(PurePosixPath(target).with_suffix(".pdf"))
        if start == root:
            pdfs.setdefault(start, pdf)
            continue
        pdfs[start] = pdf
        for child in app.env.toctree_includes.get(start, []):
            pdfs[child] = pdf
    return pdfs


def add_download_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    pdf = pdf_of_pages(app).get(docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if pdf is None or section is None:
        return
    uri = posixpath.relpath(f"{SITE_FOLDER}/{pdf}", posixpath.dirname(docname) or ".")
    link = nodes.paragraph(classes=["playbook-download"])
    reference = nodes.reference("", "", refuri=uri, internal=True)
    reference += nodes.Text("Télécharger le playbook imprimable (PDF)")
    link += reference
    title_index = 1 if section.children and isinstance(section[0], nodes.title) else 0
    section.insert(title_index, link)

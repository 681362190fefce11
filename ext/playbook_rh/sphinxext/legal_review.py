"""Legal review dates in the build: a line under each reviewed page's title, and the
``reviewlist`` table of every page's review (the sources page holds it).

The dates come from each page's front matter (:mod:`.reviews`). Whether a review is
due is never a warning: the strict build must not start failing because time passed.
``playbook-rh review`` (``make review``) is the check that fails when one is due.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from playbook_rh.core.french_dates import french_day
from playbook_rh.core.reviews import (
    Review,
    ReviewError,
    front_matter_lines,
    key_lines,
    review_from_metadata,
    review_line,
)
from playbook_rh.sphinxext import tables
from playbook_rh.sphinxext.domain import playbook_domain
from playbook_rh.sphinxext.facts import today
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.warnings_ import FactWarning, warn

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx


class ReviewRecord(NamedTuple):
    docname: str
    reviewed: str
    """ISO date."""
    reviewer: str


class review_list(nodes.General, nodes.Element):
    """Placeholder for the table of every page's legal review, built at write time."""


class ReviewListDirective(SphinxDirective):
    def run(self) -> list[Node]:
        node = review_list()
        self.set_source_info(node)
        return [node]


def _review(record: ReviewRecord) -> Review:
    return Review(record.docname, datetime.date.fromisoformat(record.reviewed),
                  record.reviewer)


def day_nodes(day: datetime.date) -> nodes.inline:
    r"""A day as French typography prints it: the first of the month as 1\ :sup:`er`."""
    text = french_day(day)
    node = nodes.inline(classes=["playbook-date"])
    if text.startswith("1er "):
        node += nodes.Text("1")
        node += nodes.superscript("", "er")
        node += nodes.Text(text[len("1er"):])
    else:
        node += nodes.Text(text)
    return node


def _front_matter_line(path: Path) -> int:
    """The line of the review's key in the page's front matter (1 if not found)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    return review_line(key_lines(front_matter_lines(text)))


def read_review(app: Sphinx, doctree: nodes.document) -> None:
    """Record the page's review and show it under the page's title."""
    env = app.env
    metadata = env.metadata.get(env.docname, {})
    try:
        review = review_from_metadata(env.docname, metadata, today(app))
    except ReviewError as error:
        warn(FactWarning.REVIEW, f"{error} (front matter of this page)",
             (env.docname, _front_matter_line(env.doc2path(env.docname))))
        return
    if review is None:
        return
    playbook_domain(env).add_review(
        ReviewRecord(env.docname, review.reviewed.isoformat(), review.reviewer))
    months: int = app.config.playbook_review_months
    line = nodes.paragraph(classes=["playbook-legal-review"])
    line += nodes.Text("Relecture juridique du ")
    line += day_nodes(review.reviewed)
    line += nodes.Text(f", par {review.reviewer} ; prochaine relecture au plus tard le ")
    line += day_nodes(review.due_on(months))
    line += nodes.Text(".")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, line)
    else:
        doctree.insert(0, line)


def resolve_review_lists(app: Sphinx, placeholders: list[review_list],
                         fromdocname: str) -> None:
    if not placeholders:
        return
    env = app.env
    months: int = app.config.playbook_review_months
    on = today(app)
    for placeholder in placeholders:
        table, body = tables.table(("Page", "Relue le", "Par", "À revoir avant", "État"),
                                   (30, 16, 26, 16, 12), "playbook-reviews")
        for record in playbook_domain(env).all_reviews():
            review = _review(record)
            title = env.titles.get(record.docname)
            page = reference_to(app, fromdocname, record.docname, "",
                                nodes.Text(title.astext() if title else record.docname))
            state = "à revoir" if review.is_due(months, on) else "à jour"
            body += tables.row([page, day_nodes(review.reviewed),
                                nodes.Text(review.reviewer),
                                day_nodes(review.due_on(months)),
                                nodes.Text(state)])
        placeholder.replace_self(table)


def setup_legal_review(app: Sphinx) -> None:
    app.add_directive("reviewlist", ReviewListDirective)
    app.add_node(review_list)
    app.connect("doctree-read", read_review)

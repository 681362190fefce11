"""``role-questions``: one owner role's questions across the phases, as checklists.

    ```{role-questions} dpo
    ```

The people who must act are roles, not phases: a role's page (``docs/roles/<role>.md``,
with its own introduction) lists every question that role owns, phase after phase.
The directive leaves a placeholder; when the page is written, before its items are
completed (``page.py``, priority 900), the placeholder becomes, for each phase, a
section holding a ``checklist`` of plain :class:`checklist_item` nodes built from the
needs view (the directive must then stand at the end of the page, after its
introduction: the sections nest under the page's title).
The items then go through exactly what a phase's items go through: box, ID and owner
line, links, an organisation's answers (``RUN=``), the browser app (ticking, progress
above each checklist: the role's share of the phase and the whole phase's) and, on
paper, the space to write the answer. Each phase's guidance stays on its own page,
linked from the section.

Every declared role has its page once a project has one: a role without one is a
``checklist.role_page`` warning at its line of ``playbook_owners`` in ``conf.py``, as is a page
naming an undeclared role. One PDF per role (``playbook-role-<role>.pdf``) starts at
that page (``latex_documents`` in ``conf.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms import SphinxTransformer
from sphinx.transforms.post_transforms import ReferencesResolver
from sphinx.util import docname_join
from sphinx.util.docutils import SphinxDirective

from playbook_rh.sphinxext import freshness
from playbook_rh.sphinxext.checklist.directive import INLINE_MARKUP
from playbook_rh.sphinxext.checklist.nodes import checklist, checklist_item
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.dashboards.selection import (
    DashboardItem,
    Filters,
    groups,
    items_from_needs,
    items_from_records,
    select,
)
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.needs import needs_view
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from playbook_rh.sphinxext.domain import PlaybookDomain

#: Where the environment keeps, per page, the roles its ``role-questions`` list.
ENV_KEY = "playbook_role_pages"

#: Builders that write each page on its own (a role page is written under its name).
PAGE_BY_PAGE = frozenset({"html", "dirhtml", "json", "pickle", "text", "xml",
                          "pseudoxml", "linkcheck", "spelling", "needs"})

#: What a role's page says when the role owns no question (yet).
NOTHING = "Aucune question n'est confiée à ce rôle pour l'instant."


class role_questions(nodes.General, nodes.Element):
    """Placeholder for a role's questions, filled in when the page is written."""


def role_pages(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> the roles whose questions the page lists."""
    pages: dict[str, list[str]] = env.__dict__.setdefault(ENV_KEY, {})
    return pages


class RoleQuestionsDirective(SphinxDirective):
    """``role-questions ROLE``: see the module's docstring."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        role = self.arguments[0].strip()
        owners = vocabulary(self.config).owners
        if role not in owners:
            warn(ChecklistWarning.ROLE_PAGE,
                 f"role-questions names {role!r}, which is not an owner role; use one of "
                 f"{', '.join(owners)} (declared in playbook_owners)",
                 (self.env.docname, self.lineno))
            return []
        role_pages(self.env).setdefault(self.env.docname, []).append(role)
        node = role_questions(role=role, classes=self.options.get("class", []))
        self.set_source_info(node)
        return [node]


def role_items(items: Sequence[DashboardItem], role: str, vocab: Any) -> list[DashboardItem]:
    """The role's questions, in phase order, then ID order."""
    return select(items, Filters(owners=(role,)), vocab)


def view_of(node: nodes.Element) -> tuple[Any, ...]:
    return (node["role"],)


def shows(domain: PlaybookDomain, arguments: tuple[Any, ...]) -> object:
    """What the page shows of the other pages: the role's items as read."""
    return role_items(items_from_records(domain.all_items()), arguments[0],
                      vocabulary(domain.env.config))


class RenderedQuestions:
    """The questions as their checklist pages rendered them, for the titles written with
    inline markup (emphasis, code, links, roles): a role page shows the same nodes as
    the phase page, not the Markdown as text. Read from each page's doctree once per
    role page, and only for such titles (most are plain text, drawn without reading)."""

    def __init__(self, app: Sphinx, docname: str, needs: Any) -> None:
        self.app = app
        self.docname = docname
        self.needs = needs
        self.pages: dict[str, dict[str, nodes.inline]] = {}

    def nodes_of(self, item: DashboardItem) -> list[nodes.Node]:
        if not INLINE_MARKUP.search(item.title):
            return [nodes.Text(item.title)]
        if item.docname not in self.pages:
            self.pages[item.docname] = self._questions_of(item.docname)
        rendered = self.pages[item.docname].get(item.id)
        if rendered is None:  # the page is not readable: the text as written
            return [nodes.Text(item.title)]
        fragment = nodes.inline()
        fragment.extend(child.deepcopy() for child in rendered.children)
        self._resolve(fragment)
        return list(fragment.children)

    def _questions_of(self, docname: str) -> dict[str, nodes.inline]:
        try:
            doctree = self.app.env.get_doctree(docname)
        except (OSError, EOFError, KeyError):
            return {}
        found: dict[str, nodes.inline] = {}
        for node in doctree.findall(nodes.inline):
            for node_id in node["ids"]:
                if node_id.startswith(QUESTION_ID_PREFIX) and "playbook-question" in \
                        node["classes"]:
                    found[node_id.removeprefix(QUESTION_ID_PREFIX)] = node
        return found

    def _resolve(self, fragment: nodes.inline) -> None:
        """Cross-references of the copied title (a glossary term, a page), resolved from
        the role page, as Sphinx resolved those of the phase page; a link to an item
        (sphinx-needs' ``need`` role) too: sphinx-needs draws those only on the pages
        that use it, and the role page's items are drawn after its handlers ran."""
        for link in list(fragment.findall(_is_item_link)):
            assert isinstance(link, nodes.Element)
            self._link_item(link)
        references = list(fragment.findall(addnodes.pending_xref))
        if not references:
            return
        for reference in references:
            written_on = reference.get("refdoc", "")
            if reference.get("reftype") == "doc" and written_on:
                # a page named relative to the phase page: the same page, named absolutely
                reference["reftarget"] = "/" + docname_join(written_on,
                                                            reference["reftarget"])
            reference["refdoc"] = self.docname
        transformer = SphinxTransformer(fragment)
        transformer.set_environment(self.app.env)
        transformer.add_transform(ReferencesResolver)
        transformer.apply_transforms()


    def _link_item(self, link: nodes.Element) -> None:
        """``{need}`TRA-01``` as a link to the item, drawn as sphinx-needs draws it with
        its default template (the item's title, then its ID in brackets), or with the
        text given before ``<TRA-01>``."""
        item_id = str(link.get("reftarget", ""))
        need = self.needs.get(item_id)
        drawn = [child.deepcopy() for child in link.children]
        if need is None:
            link.replace_self(drawn)
            return
        if not link.get("refexplicit") and drawn and isinstance(drawn[0], nodes.Element):
            drawn[0].children = []
            drawn[0] += nodes.Text(f"{need['title']} ({item_id})")
        text = drawn[0] if len(drawn) == 1 else nodes.inline("", "", *drawn)
        link.replace_self(reference_to(self.app, self.docname, str(need["docname"] or ""),
                                       item_id, text, item_id))


def _is_item_link(node: nodes.Node) -> bool:
    """A reference of sphinx-needs' ``need`` role (its own node class, told by its
    ``reftype``: only :mod:`..needs` imports sphinx-needs)."""
    return (isinstance(node, nodes.Element) and node.get("reftype") == "need"
            and not isinstance(node, addnodes.pending_xref))


#: The ids of a question's text in an item: ``question-<ID>`` (the checklist directive's).
QUESTION_ID_PREFIX = "question-"


def _item(item: DashboardItem, questions: RenderedQuestions) -> checklist_item:
    """An item as the checklist directive renders it, before it is completed."""
    node: checklist_item = checklist_item(ids=[item.id], item_id=item.id, phase=item.phase,
                                          owners=list(item.owners))
    if item.applies:  # completing the item writes its condition in words
        node["applies"] = item.applies
    head = nodes.paragraph(classes=["playbook-item-head"])
    question = nodes.inline(ids=[f"{QUESTION_ID_PREFIX}{item.id}"],
                            classes=["playbook-question"])
    question += questions.nodes_of(item)
    head += question
    node += head
    return node


def render(app: Sphinx, node: role_questions, docname: str) -> list[nodes.Node]:
    vocab = vocabulary(app.config)
    needs = needs_view(app)
    chosen = role_items(items_from_needs(needs), node["role"], vocab)
    if not chosen:
        return [nodes.paragraph("", NOTHING, classes=["playbook-questions-empty"])]
    drawn: list[nodes.Node] = []
    questions = RenderedQuestions(app, docname, needs)
    for group in groups(chosen, "phase", vocab):
        # A section a phase: a heading on the page, an entry of the PDF's contents.
        section = nodes.section(ids=[f"phase-{group.key}"], classes=["playbook-role-phase"])
        section += nodes.title("", group.label)
        pointer = nodes.paragraph()
        pointer += nodes.Text("Le contexte et les conseils de chaque question : ")
        pointer += reference_to(app, docname, group.items[0].docname, "",
                                nodes.Text(f"la checklist « {group.label} »"))
        pointer += nodes.Text(".")
        section += pointer
        # no-search: a question is found on its phase's page, not on every role's
        listing = checklist(phase=group.key, classes=[*node["classes"], "no-search"])
        listing.extend(_item(item, questions) for item in group.items)
        section += listing
        drawn.append(section)
    return drawn


def draw_role_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before the page's items are completed (``write_page``, priority 900).

    A builder of one file per page sees a role page under its own name; one that joins
    pages into a document (LaTeX: a guide whose contents hold role pages) under the
    document's first page, so the whole tree is searched there."""
    pages = role_pages(app.env)
    if docname not in pages and (not pages or app.builder.name in PAGE_BY_PAGE):
        return
    for node in list(doctree.findall(role_questions)):
        node.replace_self(render(app, node, docname))


class RolePagesCollector(EnvironmentCollector):
    """Keeps :func:`role_pages` right when pages are read again, removed, or read in
    parallel (the directive records, this forgets and merges)."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        role_pages(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str],
                    other: BuildEnvironment) -> None:
        theirs = role_pages(other)
        for docname in docnames:
            if docname in theirs:
                role_pages(env)[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Nothing: the directive records its role as it runs."""


def _role_line(confdir: str | os.PathLike[str], role: str) -> str:
    """Where ``role`` is declared in ``playbook_owners`` of conf.py, as ``path:line``
    (else the setting's line), for editors to jump to."""
    path = Path(confdir, "conf.py")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return f"{path}:1"
    setting = re.compile(r"^\s*playbook_owners\s*=")
    start = next((index for index, text in enumerate(lines) if setting.match(text)), None)
    if start is None:
        return f"{path}:1"
    for index in range(start, len(lines)):
        if f'"{role}"' in lines[index] or f"'{role}'" in lines[index]:
            return f"{path}:{index + 1}"
        if index > start and lines[index].strip() in ("}", ""):
            break  # the end of the setting: the role is written another way
    return f"{path}:{start + 1}"


def check_role_pages(app: Sphinx, env: BuildEnvironment) -> None:
    """Once a project has role pages, every declared role needs one."""
    pages = role_pages(env)
    if not pages:
        return
    covered = {role for roles in pages.values() for role in roles}
    for role, label in vocabulary(app.config).owners.items():
        if role not in covered:
            warn(ChecklistWarning.ROLE_PAGE,
                 f"owner role {role!r} ({label}) has no page listing its questions: add "
                 f"a page holding '{{role-questions}} {role}' (docs/roles/{role}.md, in a "
                 "toctree), as the other roles have",
                 _role_line(app.confdir, role))


def setup_role_questions(app: Sphinx) -> None:
    app.add_directive("role-questions", RoleQuestionsDirective)
    app.add_node(role_questions)
    app.add_env_collector(RolePagesCollector)
    freshness.add_aggregate(role_questions, shows, view_of)
    app.connect("doctree-resolved", draw_role_pages, priority=850)
    app.connect("env-check-consistency", check_role_pages)

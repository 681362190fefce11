"""The report build: ``make html RUN=assessments/example.yaml`` renders an
organisation's answers into the site.

Each item then shows its status, who follows it, its due date, evidence and answer;
the ``runreport`` directive (on the dashboard) shows progress per phase and per owner
as bar charts, and the open and overdue items. Without a run (``playbook_run`` empty)
the site is the blank playbook and ``runreport`` renders nothing.

Answers are data from outside the knowledge base: they only ever become docutils text
nodes, which every writer escapes (a note holding ``<script>`` stays text).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from playbook_rh.core.assessment import BLANK, Assessment, Progress, assess
from playbook_rh.core.french_dates import french_date
from playbook_rh.core.profile import Profile
from playbook_rh.core.questions import Question, questions_from_records
from playbook_rh.core.runs import Run, RunError, parse_run, read_run_text
from playbook_rh.core.scope import profile_words, read_profile, scope_of
from playbook_rh.sphinxext import tables
from playbook_rh.sphinxext.checklist.nodes import checklist_checkbox, checklist_item
from playbook_rh.sphinxext.config import profile_criteria, vocabulary
from playbook_rh.sphinxext.domain import playbook_domain
from playbook_rh.sphinxext.facts import today
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.needs import needs_view
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

URL = re.compile(r"^https?://\S+$")


class run_report(nodes.General, nodes.Element):
    """Placeholder for the progress report, built when the page is written."""


class progress_bar(nodes.Inline, nodes.Element):
    """A horizontal bar: ``percent`` of it filled."""


@dataclass
class LoadedRun:
    path: Path
    run: Run | None
    digest: str
    assessment: Assessment | None = None
    profile: Profile | None = None


_loaded: WeakKeyDictionary[Sphinx, LoadedRun] = WeakKeyDictionary()


def run_path(app: Sphinx) -> Path | None:
    configured: str = app.config.playbook_run
    if not configured:
        return None
    path = Path(configured)
    return path if path.is_absolute() else Path(app.confdir, path)


def load_configured_run(app: Sphinx) -> None:
    path = run_path(app)
    if path is None:
        return
    digest = ""
    profile: Profile = {}
    try:  # read once, by the core's bounded reader: a FIFO or a device is refused
        text = read_run_text(path)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        run: Run | None = parse_run(text, path, vocabulary(app.config).statuses)
        if run is not None:
            profile = read_profile(run, profile_criteria(app.config), path)
    except RunError as error:
        for problem in error.problems:
            warn(ChecklistWarning.RUN, problem.message,
                 f"{problem.path}:{problem.line or ''}")  # "path:" for the whole file, as Sphinx
        run = None
    _loaded[app] = LoadedRun(path, run, digest, profile=profile)


def assessment_of(app: Sphinx) -> Assessment | None:
    """The run read against the final needs; computed once, at the first page written."""
    loaded = _loaded.get(app)
    if loaded is None or loaded.run is None:
        return None
    if loaded.assessment is None:
        needs = needs_view(app)
        questions = questions_from_records(needs.items(), Path("needs"))
        scope = scope_of(questions.items, profile_criteria(app.config), loaded.profile or {})
        loaded.assessment = assess(loaded.run, questions, scope)
        loaded.assessment.run_path = loaded.path
        for item_id, line in loaded.assessment.unknown:
            warn(ChecklistWarning.RUN,
                 f"{item_id} is not a question of the playbook: remove it from the run or "
                 "restore the item", f"{loaded.path}:{line}")
    return loaded.assessment


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page with items, and the report pages, when the run changed."""
    loaded = _loaded.get(app)
    digest = loaded.digest if loaded else ""
    domain = playbook_domain(env)
    if domain.data.get("run_digest", "") == digest:
        return []
    domain.data["run_digest"] = digest
    pages = {docname for docname, items in domain.items_by_doc.items() if items}
    return sorted((pages | domain.aggregate_docs) & env.found_docs)


def _line(label: str, *content: nodes.Node, classes: str) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=[classes])
    paragraph += nodes.strong("", label)
    for node in content:
        paragraph += node
    return paragraph


#: What an item the profile leaves out says instead of its status.
OUT_OF_SCOPE = ("Hors champ : cette question ne s’applique pas au profil de "
                "l’organisation et ne compte pas dans l’avancement.")


def render_out_of_scope(item: checklist_item) -> None:
    """An item the profile leaves out: said so, no room to write; a kept answer shown."""
    item["classes"].append("playbook-out-of-scope")
    item["answered"] = True  # no fill-in space on paper
    block = nodes.container(classes=["playbook-item-run"])
    block += nodes.paragraph("", OUT_OF_SCOPE, classes=["playbook-run-out-of-scope"])
    item += block


def render_item(app: Sphinx, item: checklist_item, question: Question,
                assessment: Assessment, today: datetime.date) -> None:
    answer = assessment.answer(question)
    out_of_scope = assessment.scope is not None and not assessment.scope.applies(question)
    if out_of_scope:
        render_out_of_scope(item)
        if answer == BLANK:  # nothing recorded: nothing more to show
            return
    item["classes"].append(f"playbook-status-{answer.status}")
    item["answered"] = out_of_scope or bool(answer.answer or answer.evidence)
    for box in item.findall(checklist_checkbox):
        box["checked"] = answer.complete
    block = nodes.container(classes=["playbook-item-run"])
    status = nodes.inline("", vocabulary(app.config).statuses[answer.status],
                          classes=["playbook-status", f"playbook-status-{answer.status}"])
    block += _line("Statut : ", status, classes="playbook-run-status")
    if answer.owner:
        block += _line("Suivi par : ", nodes.Text(answer.owner), classes="playbook-run-owner")
    if answer.due:
        text = french_date(answer.due.isoformat())
        due = nodes.inline("", text)
        if answer.overdue(today):
            due = nodes.inline("", f"{text} (en retard)", classes=["playbook-overdue"])
        block += _line("Échéance : ", due, classes="playbook-run-due")
    if answer.evidence:
        evidence: nodes.Node = nodes.Text(answer.evidence)
        if URL.match(answer.evidence):
            evidence = nodes.reference("", answer.evidence, refuri=answer.evidence)
        block += _line("Preuve : ", evidence, classes="playbook-run-evidence")
    if answer.answer:
        block += _line("Réponse : ", nodes.Text(answer.answer), classes="playbook-run-answer")
    item += block


def _table(headers: tuple[str, ...], rows: list[list[nodes.Node]], classes: str) -> nodes.table:
    table, body = tables.table(headers, [10] * len(headers), classes)
    for cells in rows:
        body += tables.row(cells)
    return table


def _progress_rows(progress: list[Progress]) -> list[list[nodes.Node]]:
    return [[nodes.Text(p.label), progress_bar(percent=p.percent),
             nodes.Text(f"{p.percent:.0f} % ({p.complete}/{p.total})")] for p in progress]


def _item_list(app: Sphinx, fromdocname: str, questions: list[Question],
               assessment: Assessment, with_due: bool) -> nodes.Node:
    if not questions:
        return nodes.paragraph("", "Aucune.")
    listing = nodes.bullet_list()
    labels = vocabulary(app.config).statuses
    for question in questions:
        answer = assessment.answer(question)
        paragraph = nodes.paragraph()
        paragraph += reference_to(app, fromdocname, question.docname, question.id,
                                  nodes.literal("", question.id), question.title)
        paragraph += nodes.Text(f" {question.title} — {labels[answer.status]}")
        if answer.owner:
            paragraph += nodes.Text(f", suivi par {answer.owner}")
        if with_due and answer.due:
            paragraph += nodes.Text(f", échéance {french_date(answer.due.isoformat())}")
        item = nodes.list_item()
        item += paragraph
        listing += item
    return listing


def build_report(app: Sphinx, fromdocname: str, assessment: Assessment,
                 today: datetime.date) -> list[nodes.Node]:
    overall = assessment.overall()
    title = assessment.run.organisation or "Suivi"
    intro = nodes.paragraph(classes=["playbook-report-summary"])
    intro += nodes.Text(f"{overall.complete} questions traitées sur {overall.total} "
                        f"({overall.percent:.0f} %). ")
    intro += progress_bar(percent=overall.percent)
    headers = ("", "Avancement", "Questions traitées")
    overdue = assessment.overdue_items(today)
    late = {question.id for question in overdue}  # not the list: thousands of items
    open_items = [q for q in assessment.open_items() if q.id not in late]
    sections: list[nodes.Node] = [nodes.rubric("", f"Suivi : {title}"), intro,
                                  *scope_summary(assessment)]
    for heading, content in (
        ("Avancement par phase",
         _table(headers, _progress_rows(assessment.by_phase()), "playbook-report")),
        ("Avancement par responsable",
         _table(headers, _progress_rows(assessment.by_owner()), "playbook-report")),
        (f"En retard ({len(overdue)})",
         _item_list(app, fromdocname, overdue, assessment, with_due=True)),
        (f"À traiter ({len(open_items)})",
         _item_list(app, fromdocname, open_items, assessment, with_due=True)),
    ):
        sections.append(nodes.rubric("", heading))
        sections.append(content)
    container = nodes.container(classes=["playbook-report"])
    container.extend(sections)
    return [container]


def scope_summary(assessment: Assessment) -> list[nodes.Node]:
    """The profile, and how many questions it leaves out and why."""
    scope = assessment.scope
    if scope is None or not scope.profile:
        return []
    profile = nodes.paragraph(classes=["playbook-report-profile"])
    profile += nodes.strong("", "Profil : ")
    profile += nodes.Text(f"{profile_words(scope.profile, scope.criteria)}.")
    shown: list[nodes.Node] = [profile]
    if not assessment.out_of_scope:
        shown.append(nodes.paragraph("", "Toutes les questions s’appliquent à ce profil."))
        return shown
    count = len(assessment.out_of_scope)
    shown.append(nodes.paragraph(
        "", f"{count} question{'s' if count > 1 else ''} hors champ : "
            f"{'elles ne s’appliquent' if count > 1 else 'elle ne s’applique'} pas à ce "
            "profil et ne comptent pas dans l’avancement.",
        classes=["playbook-report-scope"]))
    reasons = nodes.bullet_list()
    for words, item_ids in scope.reasons(assessment.out_of_scope):
        entry = nodes.list_item()
        entry += nodes.paragraph("", f"{', '.join(item_ids)} — {words}")
        reasons += entry
    shown.append(reasons)
    kept = assessment.answered_out_of_scope()
    if kept:
        shown.append(nodes.paragraph(
            "", "Réponses conservées hors champ : "
                f"{', '.join(question.id for question in kept)}."))
    return shown


def render_run(app: Sphinx, items: list[checklist_item], reports: list[run_report],
               fromdocname: str) -> None:
    assessment = assessment_of(app)
    if assessment is None:
        for placeholder in reports:
            placeholder.parent.remove(placeholder)
        return
    on = today(app)
    questions = assessment.questions.by_id()
    for item in items:
        question = questions.get(item["item_id"])
        if question is not None and item.get("ids"):
            render_item(app, item, question, assessment, on)
    for placeholder in reports:
        placeholder.replace_self(build_report(app, fromdocname, assessment, on))


class RunReportDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        node = run_report()
        self.set_source_info(node)
        return [node]


def visit_bar_html(self: nodes.NodeVisitor, node: progress_bar) -> None:
    percent = max(0.0, min(100.0, float(node["percent"])))
    self.body.append(
        f'<span class="playbook-bar" role="img" aria-label="{percent:.0f} %">'
        f'<span class="playbook-bar-fill" style="width: {percent:.1f}%"></span></span>'
    )
    raise nodes.SkipNode


def visit_bar_latex(self: nodes.NodeVisitor, node: progress_bar) -> None:
    fraction = max(0.0, min(100.0, float(node["percent"]))) / 100
    self.body.append(f"\\playbookbar{{{fraction:.3f}}}")
    raise nodes.SkipNode


def visit_bar_text(self: nodes.NodeVisitor, node: progress_bar) -> None:
    raise nodes.SkipNode


def setup_report(app: Sphinx) -> None:
    app.add_directive("runreport", RunReportDirective)
    app.add_node(run_report)
    app.add_node(progress_bar, html=(visit_bar_html, None), latex=(visit_bar_latex, None),
                 text=(visit_bar_text, None), man=(visit_bar_text, None),
                 texinfo=(visit_bar_text, None))
    app.connect("builder-inited", load_configured_run)
    app.connect("env-updated", pages_to_rewrite)

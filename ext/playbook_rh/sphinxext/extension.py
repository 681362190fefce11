"""The Sphinx extension of the HR × social-media playbook: executable checklists.

A ``checklist`` directive turns a Markdown task list into sphinx-needs needs (one per
question, with a stable ID, its phase, owner roles and status), renders each as a
checklist entry in HTML and LaTeX, and checks what an author can get wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.fileutil import copy_asset_file

from playbook_rh import __version__
from playbook_rh.core.vocabulary import ID_PATTERN
from playbook_rh.sphinxext import freshness
from playbook_rh.sphinxext.checklist import checks
from playbook_rh.sphinxext.checklist.directive import NEED_TYPE, ChecklistDirective
from playbook_rh.sphinxext.checklist.includes import setup_includes
from playbook_rh.sphinxext.checklist.nodes import NODE_VISITORS
from playbook_rh.sphinxext.config import setup_config
from playbook_rh.sphinxext.dashboards.writing import setup_dashboards
from playbook_rh.sphinxext.domain import PlaybookDomain, send_back_only_read_pages
from playbook_rh.sphinxext.facts import (
    FACT_KINDS,
    FactListDirective,
    FactRole,
    SourceDirective,
    fact,
    fact_list,
)
from playbook_rh.sphinxext.forked_reading import on_forked_reader
from playbook_rh.sphinxext.gc_freeze import setup_collector
from playbook_rh.sphinxext.legal_review import review_list, setup_legal_review
from playbook_rh.sphinxext.needs import (
    declare_field,
    declare_need_type,
    send_back_only_read_needs,
    setup_needs,
)
from playbook_rh.sphinxext.page import write_page
from playbook_rh.sphinxext.printing.latex import setup_latex
from playbook_rh.sphinxext.run_report import run_report, setup_report
from playbook_rh.sphinxext.site import setup_site
from playbook_rh.sphinxext.vocabulary_export import setup_vocabulary_export
from playbook_rh.sphinxext.warned_docs import setup_warned_docs
from playbook_rh.sphinxext.whatchanged import setup_changes, whatchanged

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

from playbook_rh import STATIC

#: sphinx-needs warnings the checks of this extension replace with located ones.
REPLACED_NEEDS_WARNINGS = ("needs.duplicate_id", "needs.link_outgoing")


#: Keys of a field's JSON schema that only say its type (which add_need checks).
TYPE_KEYS = frozenset({"type", "items"})


def asks_for_schema_validation(config: Config) -> bool:
    """Whether the project wants sphinx-needs' validation pass over every need.

    The extension checks each item's fields as it reads them, and add_need checks their
    types; the pass adds nothing then, and costs a walk over every need. It stays on
    when the project turns it on, or declares schemas or constraints beyond types.
    """
    raw = getattr(config, "_raw_config", {})
    name = "needs_schema_validation_enabled"
    if name in raw or name in config.overrides:
        return bool(config[name])
    if (config.needs_schema_definitions or config.needs_schema_definitions_from_json
            or config.needs_from_toml):
        return True
    for declaration in (config.needs_fields or {}).values():
        schema = (declaration.get("schema") or {}) if isinstance(declaration, dict) else {}
        items = schema.get("items") or {}
        if set(schema) - TYPE_KEYS or (isinstance(items, dict) and set(items) - {"type"}):
            return True
    links = config.needs_links or {}
    declarations = links.values() if isinstance(links, dict) else links
    return any(isinstance(link, dict) and link.get("schema") for link in declarations)


def register_needs_schema(app: Sphinx, config: Config) -> None:
    """Declare the need type and fields; runs after sphinx-needs resets its registry."""
    declare_need_type(app, NEED_TYPE, "Question", "Q_", "#4f7cac", "node")
    declare_field("phase", "Phase of the HR process (key of playbook_phases)",
              schema={"type": "string"})
    declare_field("phase_label", "French label of the phase", schema={"type": "string"})
    declare_field("phase_order", "Position of the phase in playbook_phases",
              schema={"type": "integer"})
    declare_field("owner", "Owner roles (keys of playbook_owners)",
              schema={"type": "array", "items": {"type": "string"}})
    declare_field("owner_labels", "French labels of the owner roles, for tables",
              schema={"type": "array", "items": {"type": "string"}})
    declare_field("replaces", "Former IDs of this item, so runs keep their answers",
              schema={"type": "array", "items": {"type": "string"}})
    declare_field("applies", "When the item applies: a condition over playbook_profile "
                  "(empty: always)", schema={"type": "string"})
    # IDs are the extension's, checked where they are parsed (ID_PATTERN).
    config.needs_id_regex = ID_PATTERN.pattern
    config.needs_schema_validation_enabled = asks_for_schema_validation(config)
    for name in REPLACED_NEEDS_WARNINGS:
        if name not in config.suppress_warnings:
            config.suppress_warnings.append(name)


def add_static_files(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file("playbook.css")


def copy_static_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_asset_file(STATIC / "playbook.css", Path(app.outdir, "_static"), force=True)


def setup(app: Sphinx) -> dict[str, Any]:
    # First: sphinx-needs' setup() resets its registry of types and fields.
    setup_needs(app)

    setup_config(app)  # every playbook_* setting, checked at config-inited

    setup_latex(app)
    setup_dashboards(app)
    setup_changes(app)
    setup_report(app)
    setup_legal_review(app)
    app.add_domain(PlaybookDomain)
    app.add_directive("checklist", ChecklistDirective)
    app.add_directive("source", SourceDirective)
    app.add_directive("factlist", FactListDirective)
    for kind in FACT_KINDS:
        app.add_role(kind, FactRole())
    app.add_node(fact)
    app.add_node(fact_list)
    for node_class, visitors in NODE_VISITORS.items():
        app.add_node(node_class, **visitors)  # type: ignore[arg-type]

    app.connect("config-inited", register_needs_schema, priority=20)
    app.connect("builder-inited", add_static_files)
    # -j: each forked reader sends back only what it read (forked_reading.py).
    on_forked_reader(app, send_back_only_read_pages)
    app.connect("builder-inited", send_back_only_read_needs)
    freshness.setup_freshness(app)
    freshness.add_aggregate(fact_list, lambda domain, _: (
        list(domain.all_facts()), domain.sources_signature()))
    freshness.add_aggregate(review_list, lambda domain, _: list(domain.all_reviews()))
    for shows_items in (run_report, whatchanged):
        freshness.add_aggregate(shows_items, lambda domain, _: list(domain.all_items()))
    app.connect("env-check-consistency", checks.check_consistency)
    # After sphinx-needs' own handlers: the typography then covers its tables too.
    app.connect("doctree-resolved", write_page, priority=900)
    app.connect("build-finished", copy_static_files)
    setup_site(app)
    setup_vocabulary_export(app)
    setup_collector(app)
    setup_warned_docs(app)  # a build that warned warns again, unchanged
    setup_includes(app)  # where the items of included files really are

    return {
        "version": __version__,
        "env_version": PlaybookDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

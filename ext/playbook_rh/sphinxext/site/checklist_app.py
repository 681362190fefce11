"""The checklists in the browser: the ``checklist-progress`` placeholder, the
catalogue of items written at each build (``playbook-catalogue.js``), and the script
and stylesheet a page loads only when it holds a checklist or the progress table.

The script's sources are kept by concern in ``static/js/`` (storage, run files,
checks, progress, profile, the page's controls) with js-yaml vendored in
``static/js/vendor/``; :func:`joined_script` joins them, in the order
``static/js/sources.json`` gives, into the one ``_static/playbook.js`` the pages load.
No bundler and no network: ``make html`` stays the only command, and the site works
opened from disk (``file://``) and offline."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.fileutil import copy_asset_file

from playbook_rh import STATIC
from playbook_rh.core import runs
from playbook_rh.core.vocabulary_file import vocabulary_document
from playbook_rh.sphinxext.checklist.applies import conditions_of
from playbook_rh.sphinxext.checklist.directive import NEED_TYPE
from playbook_rh.sphinxext.checklist.nodes import checklist
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.needs import needs_view
from playbook_rh.sphinxext.site.urls import is_site
from playbook_rh.sphinxext.typography import french

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

#: Static files of this module, copied into ``_static`` before pages are written (so
#: Sphinx adds their checksum to the links, and browsers never keep a stale copy).
ASSETS = ("playbook-app.css",)

CATALOGUE = "playbook-catalogue.js"
SCRIPT = "playbook.js"
SCRIPT_SOURCES = STATIC / "js"

#: A source map named by a vendored file: not shipped, so not named (no request for it).
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)

class checklist_progress(nodes.General, nodes.Element):
    """Where the reader's progress, phase by phase, is shown (filled by playbook.js)."""

class ChecklistProgressDirective(SphinxDirective):
    """``checklist-progress``: the reader's progress per phase, from their browser."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [checklist_progress()]

#: What the placeholder says without JavaScript (the script replaces it).
NO_SCRIPT_TEXT = (
    "Votre progression, phase par phase, s'affiche ici lorsque JavaScript est activé : "
    "cochez les questions dans les checklists, vos réponses restent dans ce navigateur. "
    "Sans JavaScript, imprimez les checklists ou suivez-les avec la commande playbook-rh."
)

def visit_progress_html(self: HTML5Translator, node: checklist_progress) -> None:
    self.body.append(
        '<div class="playbook-dashboard" data-playbook-dashboard="">'
        f'<p class="playbook-noscript">{html.escape(french(NO_SCRIPT_TEXT))}</p></div>\n'
    )
    raise nodes.SkipNode

def drop_progress_elsewhere(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The placeholder means nothing on paper: other builders never see it."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(checklist_progress)):
        node.parent.remove(node)

def catalogue(app: Sphinx) -> dict[str, Any]:
    """What playbook.js knows of the playbook: phases, their items and former IDs, the
    vocabulary as ``playbook-vocabulary.json`` has it (statuses, ID pattern, run format),
    and the fields of a run file. The script keeps no copy of any of them."""

    needs = needs_view(app)
    questions = sorted(
        (need for need in needs.values() if need["type"] == NEED_TYPE),
        key=lambda need: (need["phase_order"] or 0, need["id"]),
    )
    phases: dict[str, dict[str, Any]] = {}
    replaces: dict[str, str] = {}
    for need in questions:
        phase = phases.setdefault(need["phase"], {
            "key": need["phase"],
            "label": need["phase_label"],
            "page": app.builder.get_target_uri(need["docname"] or ""),
            "items": [],
        })
        phase["items"].append(need["id"])
        for former in need["replaces"] or ():
            replaces[former] = need["id"]
    conditions = conditions_of(app)
    return {
        "vocabulary": vocabulary_document(vocabulary(app.config), conditions.criteria),
        "run": {"top_fields": runs.TOP_FIELDS, "item_fields": runs.ITEM_FIELDS,
                "text_fields": runs.TEXT_FIELDS, "max_bytes": runs.MAX_BYTES,
                "max_answer": runs.MAX_TEXT},
        "phases": list(phases.values()),
        "replaces": replaces,
        # item ID -> its :applies: condition compiled (core/profile.py); criteria in
        # vocabulary.playbook_profile
        "applies": conditions.trees((need["id"], need["applies"]) for need in questions),
    }

def script_literal(value: object) -> str:
    """JSON that is safe inside a script: no ``</script>`` nor ``<!--`` can appear."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))

def script_files(folder: Path = SCRIPT_SOURCES) -> list[Path]:
    """The script's source files in the order they are joined (modules, then the page's
    controls, which start everything): ``sources.json`` says it, for the build and for
    the Node tests alike."""
    order = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    return [folder / name for name in (*order["modules"], order["start"])]


def joined_script(folder: Path = SCRIPT_SOURCES) -> str:
    """The one script the pages load: each source file in order, under a line naming
    it. Every file is a complete statement (a function called at once, or js-yaml's
    UMD wrapper), so joining them needs no bundler."""
    parts = ["/* Joined by the playbook extension from static/js/ at each build: "
             "edit the files there. */\n"]
    for path in script_files(folder):
        source = SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).rstrip()
        parts.append(f"/* -- {path.relative_to(folder).as_posix()} -- */\n{source}\n;\n")
    return "".join(parts)


def write_if_changed(target: Path, text: str) -> None:
    """Unchanged text is not written again (an unchanged date keeps caches valid)."""
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def write_assets(app: Sphinx, builder: Builder) -> None:
    """Before pages are written: copy the stylesheet, join the script, write the
    catalogue."""
    if not is_site(app):
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        copy_asset_file(STATIC / name, static, force=True)  # a newer copy replaces the old
    write_if_changed(static / SCRIPT, joined_script())
    write_if_changed(static / CATALOGUE,
                     "/* Generated by the playbook extension at each build: do not edit. */\n"
                     f"window.playbookCatalogue = {script_literal(catalogue(app))};\n")

#: What the app needs on a page: a checklist or the progress placeholder.
APP_NODES = (checklist, checklist_progress)

#: Whether each page as written holds one of :data:`APP_NODES`, as the extension's one
#: walk of the page (``page.py``) found it: a dashboard of thousands of rows is not
#: walked again at ``html-page-context``.
_holds_app: WeakKeyDictionary[nodes.document, bool] = WeakKeyDictionary()


def note_app_nodes(doctree: nodes.document, holds: bool) -> None:
    _holds_app[doctree] = holds


def _holds(doctree: nodes.document, kinds: tuple[type[nodes.Element], ...]) -> bool:
    """Whether the page holds a node of one of ``kinds``: one plain walk, stopped at the
    first found (a dashboard of thousands of rows holds none: two ``findall`` walked it
    twice, through a generator a level)."""
    stack: list[nodes.Element] = [doctree]
    while stack:
        for child in stack.pop().children:
            if isinstance(child, kinds):
                return True
            if isinstance(child, nodes.Element):
                stack.append(child)
    return False


def add_page_assets(app: Sphinx, doctree: nodes.document | None) -> None:
    """playbook.js and its stylesheet, only where there is something to work through."""
    if doctree is None:
        return
    holds = _holds_app.get(doctree)
    if holds is None:  # a page not written through doctree-resolved
        holds = _holds(doctree, APP_NODES)
    if not holds:
        return
    # Added during html-page-context, they belong to this page only.
    app.add_css_file("playbook-app.css")
    app.add_js_file(CATALOGUE, defer="defer")
    app.add_js_file(SCRIPT, defer="defer")

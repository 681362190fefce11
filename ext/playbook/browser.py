"""The site in the browser: checklists a reader works through, and what a published
site needs around them.

- Checklist pages (and pages holding a ``checklist-progress`` directive) load
  ``playbook.js`` and ``playbook-app.css`` (screen and print rules), plus
  ``playbook-catalogue.js``, written at each build: every item ID with its phase, the
  phases with their checklist page, the statuses, and former IDs (``replaces``), so
  the script can show progress per phase and validate an imported run file.
  Other pages load none of it.
- Pages drop the jQuery-based scripts of sphinx-needs and sphinx-data-viewer, and the
  stylesheet and script of sphinx-design, when nothing on the page uses them: they
  are most of a page's weight, and a checklist page stays under 300 KB.
- Open Graph tags (and a meta description) on every page, from ``html_baseurl``.
- ``sitemap.xml`` (every page, from ``html_baseurl``) and a French ``404.html`` whose
  links and assets resolve from any depth (a ``<base>`` set to the site's path).
- Search folds accents on both sides: the index and the query are stemmed without
  them, so « employe » finds « employé ».
- Theme markup an accessibility audit (axe-core) flags is fixed in the written pages.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape as xml_escape

import sphinx
from docutils import nodes
from sphinx.locale import _
from sphinx.search.fr import SearchFrench
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.fileutil import copy_asset_file

from .directive import NEED_TYPE
from .nodes import checklist
from .typography import french

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
#: Static files of this module, copied into ``_static`` before pages are written (so
#: Sphinx adds their checksum to the links, and browsers never keep a stale copy).
ASSETS = ("playbook.js", "playbook-app.css")
CATALOGUE = "playbook-catalogue.js"
#: Builders that write a browsable site (not singlehtml, epub, ...).
SITE_BUILDERS = frozenset({"html", "dirhtml"})
NOT_FOUND = "404"
DESCRIPTION_LENGTH = 200
LOCALES = {"fr": "fr_FR", "en": "en_US", "de": "de_DE", "es": "es_ES", "it": "it_IT"}


def _is_site(app: Sphinx) -> bool:
    return app.builder.name in SITE_BUILDERS


# -- the dashboard's placeholder ---------------------------------------------------------

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
    "Sans JavaScript, imprimez les checklists ou suivez-les avec la commande playbook."
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


# -- assets ---------------------------------------------------------------------------

def catalogue(app: Sphinx) -> dict[str, Any]:
    """What playbook.js knows of the playbook: phases, items, statuses, former IDs."""
    from sphinx_needs.data import SphinxNeedsData

    needs = SphinxNeedsData(app.env).get_needs_view()
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
    return {
        "format": "playbook-run/1",
        "statuses": dict(app.config.playbook_statuses),
        "phases": list(phases.values()),
        "replaces": replaces,
    }


def script_literal(value: object) -> str:
    """JSON that is safe inside a script: no ``</script>`` nor ``<!--`` can appear."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def write_assets(app: Sphinx, builder: Builder) -> None:
    """Before pages are written: copy the static files and write the catalogue."""
    if not _is_site(app):
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        copy_asset_file(STATIC / name, static, force=True)  # a newer copy replaces the old
    text = ("/* Generated by the playbook extension at each build: do not edit. */\n"
            f"window.playbookCatalogue = {script_literal(catalogue(app))};\n")
    target = static / CATALOGUE
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


#: Scripts and stylesheets a page does without unless its body holds one of the markers.
OPTIONAL_ASSETS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    # jQuery and what runs on it: need boxes' collapse buttons, JSON data viewers,
    # DataTables. The checklist items are needs rendered without a need box.
    (re.compile(r"needs_collapse|sdv-data|no_link|NEEDS_DATATABLES|needs_datatables"),
     frozenset({"jquery.js", "_sphinx_javascript_frameworks_compat.js",
                "jsonview.bundle.js", "jsonview_loader.js", "jsonview.bundle.css",
                "sphinx_needs_collapse.js"})),
    # sphinx-design's grids, cards and tabs.
    (re.compile(r'class="[^"]*\bsd-'),
     frozenset({"sphinx-design.min.css", "design-tabs.js"})),
)


def _basename(asset: Any) -> str:
    return posixpath.basename(os.fspath(getattr(asset, "filename", asset) or ""))


def prune_assets(context: dict[str, Any]) -> None:
    body = context.get("body") or ""
    unused: set[str] = set()
    for marker, names in OPTIONAL_ASSETS:
        if not marker.search(body):
            unused |= names
    for key in ("script_files", "css_files"):
        if key in context:
            # A new list: the builder's own is shared by every page.
            context[key] = [asset for asset in context[key] if _basename(asset) not in unused]


def add_page_assets(app: Sphinx, doctree: nodes.document | None) -> None:
    """playbook.js and its stylesheet, only where there is something to work through."""
    if doctree is None:
        return
    if next(doctree.findall(checklist), None) is None and \
            next(doctree.findall(checklist_progress), None) is None:
        return
    # Added during html-page-context, they belong to this page only.
    app.add_css_file("playbook-app.css")
    app.add_js_file(CATALOGUE, defer="defer")
    app.add_js_file("playbook.js", defer="defer")


# -- social previews ---------------------------------------------------------------------

def _plain(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def page_title(context: dict[str, Any], doctree: nodes.document | None) -> str:
    if doctree is not None:
        title = next(doctree.findall(nodes.title), None)
        if title is not None:
            return _plain(title.astext())
    title = _plain(html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or "")))
    # The index and search pages get their title from their template only.
    generated = {"genindex": _("Index"), "search": _("Search")}
    return title or generated.get(context.get("pagename", ""), "")


def page_description(app: Sphinx, doctree: nodes.document | None) -> str:
    """The page's first real paragraph of text (not a link line, not a checklist)."""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if "playbook-download" in paragraph["classes"]:
                continue
            if any(isinstance(parent, (checklist, nodes.Admonition, nodes.table))
                   for parent in _ancestors(paragraph)):
                continue
            text = _plain(paragraph.astext())
            if len(text) >= 60:
                return _shorten(text)
    return _plain(app.config.html_title or app.config.project)


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def locale_of(language: str | None) -> str:
    language = (language or "en").replace("-", "_")
    return LOCALES.get(language, language)


def base_path(app: Sphinx) -> str:
    """The path of the site on its server, from html_baseurl ("/" by default)."""
    path = urlsplit(app.config.html_baseurl or "").path or "/"
    return path if path.endswith("/") else path + "/"


def site_url(app: Sphinx, pagename: str) -> str:
    baseurl = str(app.config.html_baseurl or "")
    if not baseurl:
        return ""
    if not baseurl.endswith("/"):
        baseurl += "/"
    return baseurl + app.builder.get_target_uri(pagename)


def social_tags(app: Sphinx, pagename: str, context: dict[str, Any],
                doctree: nodes.document | None) -> str:
    site_name = _plain(app.config.html_title or app.config.project)
    title = page_title(context, doctree) or site_name
    description = page_description(app, doctree)
    url = context.get("pageurl") or site_url(app, pagename)
    kind = "website" if pagename == app.config.root_doc else "article"
    tags = [
        ("name", "description", description),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:type", kind),
        ("property", "og:locale", locale_of(app.config.language)),
        ("property", "og:site_name", site_name),
    ]
    if url:
        tags.append(("property", "og:url", url))
    return "".join(
        f'\n<meta {attribute}="{name}" content="{html.escape(value, quote=True)}">'
        for attribute, name, value in tags
    )


# -- the 404 page ------------------------------------------------------------------------

def not_found_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if not _is_site(app):
        return
    home = app.builder.get_target_uri(app.config.root_doc)
    search = app.builder.get_target_uri("search")
    body = f"""
<section id="page-introuvable">
<h1>Page introuvable</h1>
<p>{french("La page demandée n'existe pas, ou plus : elle a été déplacée ou renommée.")}</p>
<ul>
<li><a href="{html.escape(home)}">{french("Revenir à l'accueil du guide")}</a></li>
<li><a href="{html.escape(search)}">Rechercher dans le guide</a></li>
</ul>
</section>
"""
    yield NOT_FOUND, {"title": "Page introuvable", "body": body}, "page.html"


# -- html-page-context ---------------------------------------------------------------------

def on_page_context(app: Sphinx, pagename: str, templatename: str,
                    context: dict[str, Any], doctree: nodes.document | None) -> None:
    if not _is_site(app):
        return
    add_page_assets(app, doctree)  # first: pruning copies the page's list of assets
    prune_assets(context)
    head = social_tags(app, pagename, context, doctree)
    if pagename == NOT_FOUND:
        # Served for any missing URL, at any depth: every relative link and asset of the
        # page (written as if at the site's root) resolves from the site's path. The
        # base must come before the first link, hence first in the metatags.
        head = (f'\n<base href="{html.escape(base_path(app), quote=True)}">'
                '\n<meta name="robots" content="noindex">' + head)
    context["metatags"] = head + (context.get("metatags") or "")


# -- after the build: sitemap, theme fixes -----------------------------------------------

def write_sitemap(app: Sphinx) -> None:
    if not app.config.html_baseurl:
        logger.info("sitemap.xml not written: html_baseurl is not set")
        return
    urls = sorted(site_url(app, docname) for docname in app.env.found_docs)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{xml_escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    Path(app.outdir, "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


#: Theme markup an axe-core audit flags, or that a French reader gets in English, and
#: its fix. Sphinx writes toctree captions as role="heading" without the aria-level
#: that role requires; Furo's two sidebars are unnamed <aside> landmarks that cannot be
#: told apart, its "Back to top" link is outside any landmark, and it has no French
#: translation. The markup is in Sphinx's writer and Furo's templates, out of reach of
#: an extension, so written pages are mended; a page already mended matches nothing.
THEME_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement) for pattern, replacement in (
        (r'<p class="caption" role="heading">',
         '<p class="caption" role="heading" aria-level="2">'),
        (r'<aside class="sidebar-drawer">',
         '<aside class="sidebar-drawer" aria-label="Navigation du site">'),
        (r'<aside class="toc-drawer',
         '<aside aria-label="Sommaire de la page" class="toc-drawer'),
        (r'(<a href="#" class="back-to-top muted-link">.*?<span>)Back to top(</span>\s*</a>)',
         r'<nav aria-label="Haut de page">\1Haut de page\2</nav>'),
        (r'>Skip to content</a>', ">Aller au contenu</a>"),
        (r'(<div class="context">\s*<span>)Next(</span>)', r"\1Suivant\2"),
        (r'(<div class="context">\s*<span>)Previous(</span>)', r"\1Précédent\2"),
        (r'(<span class="toc-title">\s*)On this page(\s*</span>)', r"\1Sur cette page\2"),
        (r'aria-label="Toggle Light / Dark / Auto color theme"',
         'aria-label="Thème clair, sombre ou automatique"'),
        (r'aria-label="Toggle site navigation sidebar"',
         'aria-label="Afficher ou masquer la navigation"'),
        (r'aria-label="Toggle table of contents sidebar"',
         'aria-label="Afficher ou masquer le sommaire"'),
    )
)


#: When each application's build began: pages older than that were fixed before.
_build_started: WeakKeyDictionary[Sphinx, float] = WeakKeyDictionary()


def note_build_start(app: Sphinx) -> None:
    _build_started[app] = time.time()


def fix_theme_markup(app: Sphinx) -> None:
    """Fix the pages this build wrote (by their time: parallel writers leave no list);
    the others were fixed when they were written."""
    started = _build_started.get(app, 0.0)
    pages = set(app.env.found_docs) | {"genindex", "search", NOT_FOUND}
    for pagename in pages:
        path = Path(app.builder.get_outfilename(pagename))  # type: ignore[attr-defined]
        if not path.is_file() or path.stat().st_mtime < started - 1:  # coarse clocks
            continue
        text = path.read_text(encoding="utf-8")
        fixed = text
        for pattern, replacement in THEME_FIXES:
            fixed = pattern.sub(replacement, fixed)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not _is_site(app):
        return
    write_sitemap(app)
    fix_theme_markup(app)


# -- search -------------------------------------------------------------------------------

_COMBINING = re.compile("[\u0300-\u036f]")


def fold_accents(word: str) -> str:
    """« Employé » → « employe »; the JavaScript stemmer below does the same."""
    word = unicodedata.normalize("NFD", word.lower())
    word = unicodedata.normalize("NFC", _COMBINING.sub("", word))
    return word.replace("œ", "oe").replace("æ", "ae")


FOLDING_STEMMER_JS = r"""
/* Accents folded before stemming, as the index was built (ext/playbook/browser.py):
   a query typed without accents finds the accented words. */
window.Stemmer = function () {
  const french = new FrenchStemmer();
  this.stemWord = (word) => french.stemWord(
    word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
      .replace(/œ/g, "oe").replace(/æ/g, "ae"));
};
"""


def _minified_stemmer(name: str) -> str:
    return Path(sphinx.package_dir, "search", "minified-js", name).read_text(encoding="utf-8")


class SearchFrenchFolded(SearchFrench):
    """French search (Snowball stemmer) where accents do not matter."""

    # No raw code: Sphinx would then assign window.Stemmer itself; js_stemmer_code
    # (set below) holds Sphinx's French stemmer and the folding wrapper.
    js_stemmer_rawcode = ""
    stopwords = frozenset(SearchFrench.stopwords) | {
        fold_accents(word) for word in SearchFrench.stopwords
    }

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.js_stemmer_code = "\n".join((
            _minified_stemmer("base-stemmer.js"),
            _minified_stemmer("french-stemmer.js"),
            FOLDING_STEMMER_JS,
        ))
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """Memoised for the whole build: Sphinx memoises per page only, and the Snowball
        stemmer is most of the search index's cost (the same words recur on every page)."""
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = self._stems[word] = super().stem(fold_accents(word))
        return stemmed


# -- setup ----------------------------------------------------------------------------------

def setup_browser(app: Sphinx) -> None:
    """Register what the site needs in the browser; called from the extension's setup."""
    app.add_node(checklist_progress, html=(visit_progress_html, None))
    app.add_directive("checklist-progress", ChecklistProgressDirective)
    app.add_search_language(SearchFrenchFolded)
    app.connect("doctree-resolved", drop_progress_elsewhere)
    app.connect("write-started", write_assets)
    app.connect("html-collect-pages", not_found_page)
    # After the theme's own handler (Furo fills its context at the default priority).
    app.connect("html-page-context", on_page_context, priority=800)
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", on_build_finished)

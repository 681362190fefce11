"""The real knowledge base, built end to end as `make html` and `make needs` build it."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree  # the sitemap is the build's own output

import pytest
from bs4 import BeautifulSoup
from playbook_rh.sphinxext.site.page_weight import OPTIONAL_ASSETS, prune_assets
from playbook_rh.sphinxext.site.theme_fixes import THEME_FIXES

from .conftest import IN_CI, REPO, ROOTS, plain, sphinx_build, warnings_of

#: Conversation starters of the source article, per phase: the floor of the content.
SOURCE_QUESTIONS = {
    "executives": 6,
    "pre-employment": 3,
    "recruitment": 5,
    "at-work": 4,
    "enterprise-networks": 2,
}
CHECKLIST_PAGES = {
    "executives": "checklists/direction",
    "pre-employment": "checklists/pre-embauche",
    "recruitment": "checklists/recrutement",
    "at-work": "checklists/au-travail",
    "enterprise-networks": "checklists/reseaux-entreprise",
}
#: The owner roles in the order of playbook_owners, as the dashboard counts them.
OWNER_ORDER = ("marketing", "hr", "legal", "dpo", "executives", "managers", "it")
PHASE_PAGES = {
    "executives": "docs/pourquoi-les-rh",
    "pre-employment": "docs/pre-embauche",
    "recruitment": "docs/recrutement",
    "at-work": "docs/au-travail",
    "enterprise-networks": "docs/reseaux-entreprise",
}
def test_site_builds_strictly(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "docs" / "index.html").is_file()


def test_every_phase_has_its_conversation_starters(needs: dict[str, dict[str, object]]) -> None:
    per_phase = Counter(str(need["phase"]) for need in needs.values())
    for phase, floor in SOURCE_QUESTIONS.items():
        assert per_phase[phase] >= floor, f"phase {phase}: {per_phase[phase]} questions"
    assert set(per_phase) == set(SOURCE_QUESTIONS), "a phase outside the vocabulary"


def test_every_item_is_complete_in_needs_json(needs: dict[str, dict[str, object]]) -> None:
    for item_id, need in needs.items():
        assert need["id"] == item_id
        assert need["type"] == "question"
        assert str(need["title"]).strip()
        assert need["owner"], f"{item_id} has no owner"
        phase = str(need["phase"])
        assert need["docname"] == CHECKLIST_PAGES[phase], f"{item_id} lives on its phase page"
        assert isinstance(need["lineno"], int) and need["lineno"] > 0


def test_each_phase_page_links_its_checklist(site: Path) -> None:
    for phase, page in PHASE_PAGES.items():
        html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"),
                             "html.parser")
        target = Path(CHECKLIST_PAGES[phase]).name + ".html"
        hrefs = [str(a.get("href", "")) for a in html.select("article a")]
        assert any(href.split("#")[0].endswith(target) for href in hrefs), page


def test_dashboard_lists_every_question_and_counts(site: Path,
                                                   needs: dict[str, dict[str, object]]) -> None:
    page = site / "checklists" / "tableau-de-bord.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    # One table a phase, in the order of the vocabulary, each listing its questions
    # linked to their items.
    tables = html.select("table.playbook-questions")
    assert len(tables) == len(CHECKLIST_PAGES)
    for table, (phase, docname) in zip(tables, CHECKLIST_PAGES.items(), strict=True):
        listed = [cell.get_text(strip=True) for cell in table.select("td:first-child")]
        assert sorted(listed) == sorted(item_id for item_id, need in needs.items()
                                        if need["phase"] == phase), phase
        for link in table.select("td:first-child a"):
            assert link["href"] == f"{Path(docname).name}.html#{link.get_text()}"
    # The counts, drawn as SVG in the page: one wedge per phase, then per owner role,
    # in the order of the vocabularies, each with its count.
    pies = [str(desc.get_text()) for desc in html.select("svg.playbook-pie desc")]
    assert len(pies) == 2, "counts by phase and by owner"
    by_phase, by_owner = ([int(wedge.split("\u00a0: ")[1].split(" ")[0])
                           for wedge in pie.split("; ")] for pie in pies)
    phases = Counter(str(need["phase"]) for need in needs.values())
    assert by_phase == [phases[phase] for phase in CHECKLIST_PAGES]
    owners = Counter(str(owner) for need in needs.values()
                     for owner in need["owner"])  # type: ignore[attr-defined]
    assert by_owner == [owners[owner] for owner in OWNER_ORDER]
    # sphinx-needs draws nothing there: no matplotlib picture, no needtable markup
    assert html.select("img[src*='need_pie'], table.NEEDS_TABLE") == []


def test_checklist_pages_render_items_not_need_boxes(site: Path,
                                                     needs: dict[str, dict[str, object]]) -> None:
    for need in needs.values():
        html = BeautifulSoup((site / f"{need['docname']}.html").read_text(encoding="utf-8"),
                             "html.parser")
        item = html.select_one(f"div.playbook-item#{need['id']}")
        assert item is not None and item.select_one("input[type=checkbox]") is not None
        assert html.select("table.need") == []


def test_no_page_requests_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"),
                               ("iframe", "src")):
            for element in html.find_all(tag):
                value = str(element.get(attribute, ""))
                if tag == "link" and "stylesheet" not in (element.get("rel") or []):
                    continue
                assert not value.startswith(("http:", "https:", "//")), (page, value)


def test_content_is_original() -> None:
    tool = REPO.parent / "shared" / "tools" / "originality.py"
    if not tool.is_file():
        if IN_CI:
            pytest.fail(f"{tool} is missing: CI lays shared/ beside the clone")
        pytest.skip("shared/ is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool)], cwd=REPO, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def rebuild(source: Path, outdir: Path) -> str:
    """An incremental HTML build of ``source`` into ``outdir``, as ``make html`` runs it;
    its log."""
    result = sphinx_build("html", outdir, source)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    return result.stdout


def touch_later(page: Path, seconds: int) -> None:
    """Give ``page`` a modification time Sphinx cannot take for its last reading."""
    later = time.time() + seconds
    os.utime(page, (later, later))


def test_real_site_incremental_rebuild(site_source: Path, site: Path) -> None:
    """Edit one question of the real content: only its page is re-read, the dashboard
    shows the new wording, the sitemap still lists every page, and nothing says
    ``config changed``.

    The session's own build is edited (its sources are a copy), then put back and rebuilt,
    so the site is built once per session; the pages other tests read are as before."""
    page = site_source / "checklists" / "recrutement.md"
    text = page.read_text(encoding="utf-8")
    first_question = text.split("- [ ] REC-01 ", 1)[1].split("\n", 1)[0]
    dashboard = site / "checklists" / "tableau-de-bord.html"
    listed = sorted(sitemap_urls(site))
    try:
        page.write_text(text.replace(first_question, "Question reformulée pour le test ?"),
                        encoding="utf-8")
        touch_later(page, 5)
        log = rebuild(site_source, site)
        assert "config changed" not in log
        assert "1 changed" in log and "0 added" in log
        assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log) == [
            "checklists/recrutement"
        ]
        shown = plain(dashboard.read_text(encoding="utf-8"))
        assert "Question reformulée pour le test ?" in shown
        assert first_question.split(" ?")[0][:30] not in shown
        # sphinx-sitemap alone would list only the pages this build wrote again
        assert sorted(sitemap_urls(site)) == listed
    finally:
        page.write_text(text, encoding="utf-8")
        touch_later(page, 10)
        rebuild(site_source, site)
    assert "Question reformulée" not in plain(dashboard.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("page", "pdf"), [
    ("docs/index", "pdf/playbook-rh-reseaux-sociaux.pdf"),
    ("docs/pourquoi-les-rh", "pdf/playbook-direction.pdf"),
    ("checklists/direction", "pdf/playbook-direction.pdf"),
    ("docs/recrutement", "pdf/playbook-recrutement.pdf"),
    ("checklists/recrutement", "pdf/playbook-recrutement.pdf"),
    ("checklists/reseaux-entreprise", "pdf/playbook-reseaux-entreprise.pdf"),
])
def test_pages_link_their_printable_playbook(site: Path, page: str, pdf: str) -> None:
    html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    link = html.select_one("p.playbook-download a")
    assert link is not None
    assert (site / page).parent.joinpath(str(link["href"])).resolve() == (site / pdf).resolve()


@pytest.mark.parametrize("role", OWNER_ORDER)
def test_every_role_has_its_page_of_questions_and_its_pdf(
        site: Path, needs: dict[str, dict[str, object]], role: str) -> None:
    """Every owner role of conf.py: a page listing exactly its questions (the build also
    warns, checklist.role_page, about a role without one) that links its own PDF."""
    page = f"docs/roles/{role}"
    html = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    listed = [item["data-item"] for item in html.select(".playbook-checklist .playbook-item")]
    owned = [item_id for item_id, need in needs.items() if role in need["owner"]]  # type: ignore[operator]
    assert sorted(listed) == sorted(owned) and len(listed) == len(set(listed))
    # each item's condition in words, as on its phase's page
    for item_id in owned:
        condition = html.select_one(f'.playbook-item[data-item="{item_id}"] '
                                    ".playbook-item-applies")
        assert (condition is not None) == bool(needs[item_id]["applies"]), item_id
    link = html.select_one("p.playbook-download a")
    assert link is not None
    assert (site / page).parent.joinpath(str(link["href"])).resolve() == \
        (site / "pdf" / f"playbook-role-{role}.pdf").resolve()


# -- the published site: sitemap, link previews, 404 page, the theme in French -------------

CHECKLIST = "checklists/recrutement.html"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: Pages of the site that are nobody's destination: not in the sitemap, no link preview.
GENERATED = frozenset({"404.html", "genindex.html", "search.html"})


def site_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html")
                  if not path.relative_to(site).parts[0].startswith("_"))


def sphinx_pages(site: Path) -> dict[str, BeautifulSoup]:
    """The site's pages written by Sphinx (not the root's redirect nor sphinx-needs'
    permalink.html), parsed."""
    pages = {}
    for path in site_pages(site):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        if soup.html is not None and soup.html.get("data-content_root") is not None:
            pages[path] = soup
    return pages


def meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    return {str(tag.get("property") or tag.get("name")): str(tag.get("content"))
            for tag in soup.find_all("meta") if tag.get("content") is not None}


def canonical(soup: BeautifulSoup) -> str:
    link = soup.find("link", rel="canonical")
    assert link is not None
    return str(link["href"])


def sitemap_urls(site: Path) -> list[str]:
    sitemap = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    assert sitemap.tag == f"{SITEMAP}urlset"
    assert [child.tag for child in sitemap] == [f"{SITEMAP}url"] * len(sitemap)
    return [str(loc.text) for loc in sitemap.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_every_page_at_its_address(site: Path) -> None:
    pages = {path: canonical(soup) for path, soup in sphinx_pages(site).items()
             if path not in GENERATED}
    assert len(pages) >= 15
    listed = sitemap_urls(site)
    assert sorted(listed) == sorted(pages.values())  # each once, none of GENERATED
    for path, url in pages.items():
        assert url == "https://playbook-rh-reseaux-sociaux.example.org/" + path
    # One language: no alternate links (locales/ holds the theme's labels, not a translation)
    assert b"xhtml" not in (site / "sitemap.xml").read_bytes()


def test_every_page_has_its_link_preview(site: Path) -> None:
    for path, soup in sphinx_pages(site).items():
        if path in GENERATED:
            continue
        meta = meta_tags(soup)
        assert meta["og:url"] == canonical(soup), path
        assert soup.h1 is not None and plain(meta["og:title"]) in plain(soup.h1.get_text()), path
        assert meta["og:site_name"] == "Playbook RH et réseaux sociaux"
        assert meta["og:locale"] == "fr_FR" and meta["og:type"] == "website"
        # One description for previews and search engines, a real sentence of the page.
        description = meta["og:description"]
        assert description == meta["description"], path
        assert 60 <= len(description) <= 200, (path, description)
        assert not description.startswith(("Relecture juridique", "Télécharger")), path
        text = html.unescape(re.sub(r"<[^>]+>", "", (site / path).read_text(encoding="utf-8")))
        assert " ".join(description.removesuffix("…").split()) in " ".join(text.split()), path
        # No image: no social card drawn, nothing fetched.
        assert not any(name.startswith(("og:image", "twitter:")) for name in meta), path
    checklist = meta_tags(sphinx_pages(site)[CHECKLIST])
    assert plain(checklist["og:title"]).startswith("Checklist : le recrutement")
    assert checklist["description"].startswith("Ces questions aident le marketing et les RH")
    assert not (site / "_images" / "social_previews").exists()


def test_the_404_page_is_french_and_its_links_work_from_any_depth(site: Path) -> None:
    """A host serves 404.html for a missing address at any depth: every link and asset
    is an absolute path under the site's path on its host (from html_baseurl), and
    leads to a file of the site. (tests/test_browser.py follows them in Chromium.)"""
    soup = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html is not None and soup.html.get("lang") == "fr"
    assert plain(soup.title.get_text()).startswith("Page introuvable")
    assert soup.h1 is not None and soup.h1.get_text() == "Page introuvable"
    assert "La page demandée n’existe pas, ou plus\u00a0:" in soup.get_text()
    assert meta_tags(soup)["robots"] == "noindex"
    prefix = urlsplit(canonical(sphinx_pages(site)["docs/index.html"])).path.removesuffix(
        "docs/index.html")
    assert prefix == "/"
    addresses = [str(tag.get(attribute)) for tag in soup.find_all(["a", "link", "script", "img"])
                 for attribute in ("href", "src") if tag.get(attribute)]
    local = [url for url in addresses if not url.startswith(("#", "https:", "http:"))]
    assert len(local) > 20
    for url in local:
        assert url.startswith(prefix), url
        assert (site / urlsplit(url).path.removeprefix(prefix)).is_file(), url
    home = soup.find("a", string="Revenir à l’accueil du guide")
    assert home is not None and home["href"] == prefix + "docs/index.html"


#: Furo's interface strings marked for translation: the catalogue gives them in French.
FURO_ENGLISH = ("Skip to content", "Back to top", "<span>Next</span>", "<span>Previous</span>",
                "On this page", "Made with", "Last updated on")
FURO_FRENCH = ("Aller au contenu", "Haut de page", "<span>Suivant</span>",
               "<span>Précédent</span>", "Sur cette page", "Réalisé avec", "Mis à jour le")


def test_furo_speaks_french(site: Path) -> None:
    for path in site_pages(site):
        text = (site / path).read_text(encoding="utf-8")
        for english in (*FURO_ENGLISH, "Toggle"):
            assert english not in text, (path, english)
    page = (site / "docs" / "recrutement.html").read_text(encoding="utf-8")
    for french in FURO_FRENCH:
        assert french in page, french


def test_the_message_catalogue_is_compiled_by_the_build_not_committed() -> None:
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files", "locales"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked == ["locales/fr/LC_MESSAGES/sphinx.po"]
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q",
                              "locales/fr/LC_MESSAGES/sphinx.mo"], check=False)
    assert ignored.returncode == 0, ".gitignore must leave the compiled catalogue out"


def test_each_theme_fix_is_applied_and_still_needed(site: Path) -> None:
    """Each fix matched the theme's markup (its result is there) and left nothing to
    match: a Furo release that no longer writes that markup fails here, and the fix goes."""
    texts = [(site / path).read_text(encoding="utf-8") for path in site_pages(site)]
    for pattern, replacement in THEME_FIXES:
        result = replacement.split("\\1")[0]
        assert any(result in text for text in texts), result
        assert not any(pattern.search(text) for text in texts), pattern.pattern


# -- the same extensions on a test project: front matter, a site under a sub-path ----------

@pytest.fixture
def subpath_site(make_app: Any, tmp_path: Path) -> Path:
    """A small project with the real site's extensions and catalogue, published under
    /sous-chemin/ (a GitHub Pages project site), built from a copy without sphinx.mo (as
    a fresh clone is)."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", srcdir)
    catalogue = srcdir / "locales" / "fr" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    shutil.copy(REPO / "locales" / "fr" / "LC_MESSAGES" / "sphinx.po", catalogue)
    (srcdir / "apercu.md").write_text(
        "---\norphan: true\nog:description: Une description écrite par l’auteur.\n---\n\n"
        "# Aperçu\n\nUn premier paragraphe assez long pour servir de description, mais"
        " la page en donne une.\n", encoding="utf-8")
    base = "https://exemple.org/sous-chemin/"
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={
        "extensions": ["myst_parser", "playbook_rh", "sphinx_sitemap", "sphinxext.opengraph",
                       "notfound.extension"],
        "html_theme": "furo", "locale_dirs": ["locales"], "html_baseurl": base,
        "sitemap_url_scheme": "{link}", "sitemap_locales": [None],
        "sitemap_excludes": sorted(GENERATED), "ogp_site_url": base,
        "ogp_social_cards": {"enable": False}, "notfound_urls_prefix": "/sous-chemin/",
    })
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    assert (catalogue / "sphinx.mo").is_file()
    return Path(app.outdir)


def test_a_page_description_comes_from_its_front_matter(subpath_site: Path) -> None:
    meta = meta_tags(sphinx_pages(subpath_site)["apercu.html"])
    assert meta["og:description"] == meta["description"] == "Une description écrite par l’auteur."
    index = meta_tags(sphinx_pages(subpath_site)["index.html"])
    assert index["og:description"] == index["description"]


def test_a_site_under_a_sub_path(subpath_site: Path) -> None:
    assert "Aller au contenu" in (subpath_site / "index.html").read_text(encoding="utf-8")
    assert sorted(sitemap_urls(subpath_site)) == [
        "https://exemple.org/sous-chemin/apercu.html",
        "https://exemple.org/sous-chemin/index.html",
        "https://exemple.org/sous-chemin/work.html",
    ]
    soup = BeautifulSoup((subpath_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    local = [str(tag[attribute]) for tag in soup.find_all(["a", "link", "script"])
             for attribute in ("href", "src")
             if tag.get(attribute) and not str(tag[attribute]).startswith(("#", "http"))]
    assert local
    for url in local:
        assert url.startswith("/sous-chemin/"), url
        assert (subpath_site / urlsplit(url).path.removeprefix("/sous-chemin/")).is_file(), url


@pytest.mark.parametrize("body, kept", [
    ('<div class="sd-card docutils">', {"sphinx-design.min.css"}),
    ('<div class="x sd-tab-set">', {"sphinx-design.min.css"}),
    ("<p>sd-card, a class named in the text</p>", set()),
    ('<div class="needs_collapse">', {"jquery.js"}),
    ('<div class="highlight-python notranslate">', {"pygments.css"}),
    ('<p class="playbook-item-head">highlight</p>', set()),
])
def test_page_weight_keeps_an_asset_only_where_its_marker_is(body: str, kept: set[str]) -> None:
    """The text each marker's matches hold, looked for first, never hides a match."""
    names = sorted({"jquery.js", "sphinx-design.min.css", "pygments.css"})
    context: dict[str, Any] = {"body": body, "css_files": names}
    prune_assets(context)
    assert set(context["css_files"]) == kept
    for marker, held, _names in OPTIONAL_ASSETS:
        if marker.search(body):
            assert any(text in body for text in held)

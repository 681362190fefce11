"""Sphinx configuration of the HR × social-media playbook.

The source directory is the repository root: narrative pages live in ``docs/``,
checklists in ``checklists/``; everything else is excluded below.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit


project = "Réseaux sociaux : le guide RH des marketeurs"
author = "Les contributeurs du playbook RH et réseaux sociaux"
copyright = f"2026, {author}"  # noqa: A001 (Sphinx's name)
version = "0.1"
release = "0.1.0"
language = "fr"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_needs",
    "playbook_rh",  # ext/playbook_rh: the checklist directive and the rest of the playbook
    # The published site (settings below, under "HTML"):
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
]

# The home page is docs/index; _build/html/index.html redirects to it (docs/_extra).
root_doc = "docs/index"
html_extra_path = ["docs/_extra"]
exclude_patterns = [
    "_build",
    ".venv",
    "venv",
    ".nox",  # the virtual environments of noxfile.py
    "build",  # what building the wheel leaves
    "ext",
    "tests",
    "bench",
    ".ci",
    ".github",
    "README.md",
    "CONTRIBUTING.md",
    "ARCHITECTURE.md",
    "CHANGELOG.md",
    "LICENSE*",
    "docs/_extra",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "**/.pytest_cache",
    "*.egg-info",
    "locales",
]

# -- MyST ------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "tasklist", "fieldlist", "smartquotes"]
myst_heading_anchors = 3

# -- The playbook's closed vocabularies (read by ext/playbook_rh) -------------------------
# Phases in reading order; each prefix starts the IDs of the phase's questions.
playbook_phases = {
    "executives": {"label": "Convaincre la direction", "prefix": "DIR"},
    "pre-employment": {"label": "Pré-embauche", "prefix": "PRE"},
    "recruitment": {"label": "Recrutement", "prefix": "REC"},
    "at-work": {"label": "Les réseaux sociaux au travail", "prefix": "TRA"},
    "enterprise-networks": {"label": "Réseaux sociaux d'entreprise", "prefix": "RSE"},
}
playbook_owners = {
    "marketing": "Marketing et communication",
    "hr": "Ressources humaines",
    "legal": "Juridique",
    "dpo": "Délégué à la protection des données",
    "executives": "Direction générale",
    "managers": "Managers",
    "it": "Informatique",
}
playbook_statuses = {
    "todo": "À faire",
    "in-progress": "En cours",
    "done": "Fait",
    "not-applicable": "Sans objet",
}
playbook_default_status = "todo"
# The organisation's profile: what an item's `:applies:` condition may name (for
# example `:applies: headcount >= 50 and internal-network`). Kinds: "yes-no", "choice"
# ("choices": value -> label) and "bands" ("bands": value -> label, "bounds": the first
# number of each band). "yes"/"no" and "unit" complete « S’applique aux organisations … ».
playbook_profile = {
    "headcount": {
        "label": "Effectif",
        "question": "Combien de salariés votre organisation emploie-t-elle ?",
        "kind": "bands",
        "bands": {
            "moins-de-11": "Moins de 11 salariés",
            "11-49": "De 11 à 49 salariés",
            "50-299": "De 50 à 299 salariés",
            "300-plus": "300 salariés ou plus",
        },
        "bounds": [0, 11, 50, 300],
        "unit": "salariés",
    },
    "internal-network": {
        "label": "Réseau social interne",
        "question": "Votre organisation a-t-elle un réseau social interne (réseau social "
                    "d’entreprise), ou prévoit-elle d’en lancer un ?",
        "kind": "yes-no",
        "yes": "qui ont ou prévoient un réseau social interne",
        "no": "qui n’ont pas de réseau social interne et n’en prévoient pas",
    },
    "automated-tools": {
        "label": "Outils automatisés ou d’IA",
        "question": "Utilisez-vous, ou prévoyez-vous d’utiliser, des outils automatisés ou "
                    "d’intelligence artificielle pour recruter ou gérer le personnel ?",
        "kind": "yes-no",
        "yes": "qui utilisent ou prévoient des outils automatisés ou d’intelligence "
               "artificielle pour recruter ou gérer leur personnel",
        "no": "qui n’utilisent ni ne prévoient d’outils automatisés ou d’intelligence "
              "artificielle pour recruter ou gérer leur personnel",
    },
    "social-recruiting": {
        "label": "Recrutement par les réseaux sociaux",
        "question": "Recrutez-vous par les réseaux sociaux (offres, recherche ou "
                    "sélection de candidats) ?",
        "kind": "yes-no",
        "yes": "qui recrutent par les réseaux sociaux",
        "no": "qui ne recrutent pas par les réseaux sociaux",
    },
    "ambassadors": {
        "label": "Programme d’ambassadeurs",
        "question": "Avez-vous un programme de salariés ambassadeurs sur les réseaux "
                    "sociaux ?",
        "kind": "yes-no",
        "yes": "qui ont un programme de salariés ambassadeurs",
        "no": "qui n’ont pas de programme de salariés ambassadeurs",
    },
}

# -- sphinx-needs ----------------------------------------------------------------------
# Types and fields are registered by ext/playbook_rh (through its sphinx-needs adapter).
needs_build_json = False  # `make needs` runs the dedicated `needs` builder
# needs.json leaves out the fields at their default value and carries the schema that
# restores them (readers through ub_needs_exchange, the command line's among them, see
# every field): a third smaller, and so read a fifth quicker by `playbook-rh status`.
needs_json_remove_defaults = True
needs_title_optional = False
needs_table_style = "TABLE"

# -- HTML ------------------------------------------------------------------------------
html_theme = "furo"
html_title = "Playbook RH et réseaux sociaux"
html_baseurl = "https://playbook-rh-reseaux-sociaux.example.org/"
html_last_updated_fmt = "%Y-%m-%d"
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": True,
}

# Furo's interface in French: the strings its templates mark for translation come from
# locales/fr/LC_MESSAGES/sphinx.po, which Sphinx compiles to sphinx.mo (not committed)
# at the start of every build. What no catalogue reaches is listed in
# ext/playbook_rh/sphinxext/site/theme_fixes.py.
locale_dirs = ["locales"]

# The sitemap (sphinx-sitemap): every page of the site, at its address under
# html_baseurl; not the 404 page, the search page nor the index.
sitemap_url_scheme = "{link}"  # one French site at html_baseurl: no language/version folder
sitemap_locales = [None]  # one language: no alternate links (locales/ is not a translation)
sitemap_excludes = ["404.html", "search.html", "genindex.html"]

# Open Graph and the meta description (sphinxext-opengraph): title, description, address
# and site name of each page, for link previews. The description is the page's
# `og:description` front matter, else its first paragraph
# (ext/playbook_rh/sphinxext/site/descriptions.py). No image: social cards would be
# drawn for each page with matplotlib and its fonts; the site shows none. (opengraph
# imports matplotlib all the same, about a second of each build: no setting avoids it.)
ogp_site_url = html_baseurl
ogp_site_name = html_title
ogp_type = "website"
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta property="og:locale" content="fr_FR" />']

# The 404 page (sphinx-notfound-page). A host serves it for any missing address, at
# any depth: its links and assets are absolute paths starting with the site's path on
# its host, taken from html_baseurl ("/" at the root of a domain, "/depot/" for a
# project site on GitHub Pages). Overriding html_baseurl with -D? Override this too.
notfound_urls_prefix = urlsplit(html_baseurl).path or "/"
notfound_context = {
    "title": "Page introuvable",
    "metatags": '<meta name="robots" content="noindex" />',
    # French typography typed here (a no-break space before ":", ’), as the build sets it.
    "body": f"""
<section id="page-introuvable">
<h1>Page introuvable</h1>
<p>La page demandée n’existe pas, ou plus : elle a été déplacée ou renommée.</p>
<ul>
<li><a href="{notfound_urls_prefix}{root_doc}.html">Revenir à l’accueil du guide</a></li>
<li><a href="{notfound_urls_prefix}search.html">Rechercher dans le guide</a></li>
</ul>
</section>
""",
}

# -- PDF playbooks (make pdf: LaTeX builder, xelatex) -----------------------------------
# One PDF per phase (its page and, below it in the navigation, its checklist), the
# executives' playbook and the complete guide. File names are stable: links on the
# site and printed copies refer to them.
PDF_PLAYBOOKS = [
    # (start page, file name without .tex/.pdf, what the cover says under the title)
    ("docs/index", "playbook-rh-reseaux-sociaux", "Guide complet"),
    ("docs/pourquoi-les-rh", "playbook-direction", "Convaincre la direction"),
    ("docs/pre-embauche", "playbook-pre-embauche", "Phase 1 : la pré-embauche"),
    ("docs/recrutement", "playbook-recrutement", "Phase 2 : le recrutement"),
    ("docs/au-travail", "playbook-au-travail", "Phase 3 : les réseaux sociaux au travail"),
    ("docs/reseaux-entreprise", "playbook-reseaux-entreprise",
     "Phase 4 : les réseaux sociaux d’entreprise"),
]
# One PDF per owner role: the questions of docs/roles/<role>.md, from every phase, with
# room to write the answers (the role pages are left out of the complete guide).
PDF_PLAYBOOKS += [
    (f"docs/roles/{role}", f"playbook-role-{role}", f"Rôle : {label}")
    for role, label in playbook_owners.items()
]
latex_engine = "xelatex"
latex_documents = [
    # The complete guide has a chapter per page; a phase's playbook, a section per page.
    (start, f"{name}.tex", f"Playbook RH et réseaux sociaux — {label}", author,
     "manual" if start == root_doc else "howto")
    for start, name, label in PDF_PLAYBOOKS
]
latex_use_xindy = False
latex_domain_indices = False
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "extraclassoptions": "openany,oneside",
    "pointsize": "11pt",
    "printindex": "",
    "makeindex": "",
    "sphinxsetup": "hmargin={2.2cm,2.2cm}, vmargin={2.5cm,2.5cm}",
    # French hyphenation and spacing come from polyglossia (Sphinx's default for
    # xelatex); fonts are Sphinx's xelatex default, GNU FreeFont (fonts-freefont-otf),
    # embedded by xelatex.
}

# -- Spelling (make spelling) -----------------------------------------------------------
# Only for the spelling build: it needs the Enchant library and a French Hunspell
# dictionary (.ci/run installs libenchant-2-2 and hunspell-fr), which `make html`
# must not require.
if os.environ.get("PLAYBOOK_SPELLING"):
    extensions.append("sphinxcontrib.spelling")
    spelling_lang = "fr_FR"
    tokenizer_lang = "en_US"  # pyenchant has no French tokenizer; this one splits words well
    spelling_word_list_filename = ["docs/spelling_wordlist.txt"]
    spelling_show_suggestions = True
    spelling_warning = True  # strict build: a misspelt word fails it

# Strict builds (-n -W): nothing is ignored today; list any entry here with its reason.
nitpick_ignore: list[tuple[str, str]] = []

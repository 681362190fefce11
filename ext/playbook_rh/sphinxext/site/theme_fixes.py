"""Theme markup an accessibility audit flags, or that a French reader gets in English,
mended in the pages this build wrote: only what neither a setting nor the message
catalogue reaches.

Furo's interface strings marked for translation ("Skip to content", "Back to top",
"Next", "Previous", "On this page", the footer) come from the project's catalogue,
``locales/fr/LC_MESSAGES/sphinx.po``. What is left is markup of Sphinx's writer and of
Furo's templates, out of reach of an extension and of a catalogue:

- Sphinx writes toctree captions as ``role="heading"`` without the ``aria-level`` that
  role requires (axe: aria-required-attr);
- Furo's two sidebars are unnamed ``<aside>`` landmarks that cannot be told apart
  (axe: landmark-unique); they get French names;
- Furo's "Back to top" link lies outside any landmark (axe: region); it is put in a
  named ``<nav>`` (its text comes from the catalogue);
- three ``aria-label`` of Furo's buttons are English text written into its templates,
  not marked for translation, and the switches that open a part of the navigation are
  named "Toggle navigation of …" by Furo's Python code: no catalogue reaches them.

Each pattern matches the markup of every Furo version ``pyproject.toml`` allows
(tests/test_site.py checks the pages, nox runs it on the lowest and highest); a page
already mended matches nothing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Each fix: the markup and its replacement (see the module's docstring for why).
THEME_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement) for pattern, replacement in (
        (r'<p class="caption" role="heading">',
         '<p class="caption" role="heading" aria-level="2">'),
        (r'<aside class="sidebar-drawer">',
         '<aside class="sidebar-drawer" aria-label="Navigation du site">'),
        (r'<aside class="toc-drawer',
         '<aside aria-label="Sommaire de la page" class="toc-drawer'),
        # The link not yet in the <nav>; the look-behind comes after the start tag, so
        # that the search runs from that text (fast) rather than at every character.
        (r'(<a href="#" class="back-to-top muted-link">'
         r'(?<!<nav aria-label="Haut de page"><a href="#" class="back-to-top muted-link">)'
         r'.*?</a>)',
         r'<nav aria-label="Haut de page">\1</nav>'),
        (r'aria-label="Toggle Light / Dark / Auto color theme"',
         'aria-label="Thème clair, sombre ou automatique"'),
        (r'aria-label="Toggle site navigation sidebar"',
         'aria-label="Afficher ou masquer la navigation"'),
        (r'aria-label="Toggle table of contents sidebar"',
         'aria-label="Afficher ou masquer le sommaire"'),
        (r'aria-label="Toggle navigation of ', 'aria-label="Afficher les sous-pages de '),
    )
)

#: Pages written without a document of their own, besides sphinx-notfound-page's 404.
GENERATED_PAGES = ("genindex", "search")

#: When each application's build began: pages older than that were fixed before.
_build_started: WeakKeyDictionary[Sphinx, float] = WeakKeyDictionary()

def note_build_start(app: Sphinx) -> None:
    _build_started[app] = time.time()

def build_started(app: Sphinx) -> float:
    """When this application's build began (0 if unknown)."""
    return _build_started.get(app, 0.0)

def fix_theme_markup(app: Sphinx) -> None:
    """Fix the pages this build wrote (by their time: parallel writers leave no list);
    the others were fixed when they were written."""
    started = build_started(app)
    not_found = getattr(app.config, "notfound_pagename", "404")
    pages = set(app.env.found_docs) | {*GENERATED_PAGES, not_found}
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

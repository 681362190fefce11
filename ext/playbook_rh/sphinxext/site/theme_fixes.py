"""Theme markup an accessibility audit flags, or that a French reader gets in
English, mended in the pages this build wrote."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from playbook_rh.sphinxext.site.not_found import NOT_FOUND

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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

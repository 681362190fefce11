"""Keep the garbage collector off what lives until the end of the build.

Once every page is read, the environment, with sphinx-needs' data of every item (some
twenty containers an item), stays alive until the build ends. While the pages are
written, each of CPython's full collections would walk all of it again, for nothing:
at thousands of items that is most of the collector's time. ``gc.freeze()`` at
``write-started`` sets what is alive then aside from collections (and keeps ``-j``
writer processes from touching its memory pages); ``gc.unfreeze()`` at
``build-finished`` gives it back, so nothing stays set aside after a build.

In a parallel (``-j``) write, Sphinx resolves every page in the main process and keeps
each resolved doctree until the end of the write phase (it hands them to the forked
writers): some hundred thousand nodes at thousands of items (the dashboards' rows, the
completed items). The collector's full collections would walk them again and again as
they pile up (about 3 s of the main process at 5,000 items, while the writers wait for
it). So each page, once resolved, is set aside too: the young garbage is collected first
(``gc.collect(1)``, cheap), then what lives is frozen. Not in serial writes, where a
page's doctree is garbage once written and must stay collectable.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def set_aside_environment(app: Sphinx, builder: Builder) -> None:
    gc.collect(1)  # the young garbage first (cheap): only what lives is set aside
    gc.freeze()


def set_aside_resolved_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.parallel_ok:
        gc.collect(1)
        gc.freeze()


def give_back(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup_collector(app: Sphinx) -> None:
    # After sphinx-needs' own write-started handlers, which post-process the needs.
    app.connect("write-started", set_aside_environment, priority=990)
    app.connect("build-finished", give_back, priority=990)
    # After every other handler: the page is as it will be written.
    app.connect("doctree-resolved", set_aside_resolved_page, priority=990)

"""Keep the garbage collector off what lives until the end of the build.

CPython's full collections walk every container alive. In a Sphinx build, most of
what is alive stays so until the build ends: sphinx-needs' data of every item (some
twenty containers an item), the playbook's records, and (Sphinx 9) the doctree of
every page read, kept in memory until the page is written. A full collection comes
each time the heap has grown by a quarter, so the builds walked all of it again and
again: about a fifth of a 5,000-item build's time (``bench/README.md``).

So, page by page, what lives is set aside (``gc.freeze()``): when a page starts being
read (``source-read``, also in ``-j`` reader processes) and when a page is written
(first at ``doctree-resolved``), what the previous page left behind is collected first
(``gc.collect()``, which walks only what was made since the page before: cheap), then
what is still alive is frozen. The collector then walks only what the current page
makes. At ``write-started`` what lives (the post-processed needs) is set aside too.
``gc.unfreeze()`` at ``build-finished`` gives everything back, so nothing stays set
aside after a build.

In a parallel (``-j``) write, Sphinx resolves every page in the main process and keeps
each resolved doctree until the end of the write phase (it hands them to the forked
writers): each page, once resolved by every handler, is set aside again, so that what
the handlers added is not walked as the pages pile up.

Only in builds of :data:`PAGE_BY_PAGE_FROM` pages or more: a small site holds too little
for the walks to matter, and a process that runs many small builds (the test suite,
``sphinx-autobuild``) would pay, at each build's first collection, a walk of everything
it holds (about a fifth of ``make test-fast``'s CPU time).

What this keeps: a doctree set aside while it waited to be written is garbage once
written, and is freed when the build ends rather than as soon as it is written, with
what writing added to it. Sphinx held every doctree read until it was written anyway:
the peak memory of a 5,000-item serial build is the same (about 240 MB). Nothing is
done when the collector is off (``gc.disable()``).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


#: The number of pages from which what lives is set aside page by page.
PAGE_BY_PAGE_FROM = 50


def page_by_page(app: Sphinx) -> bool:
    return gc.isenabled() and len(app.env.found_docs) >= PAGE_BY_PAGE_FROM


def set_aside_what_lives(app: Sphinx) -> None:
    """Collect what was made since the last call and is garbage; freeze the rest."""
    if page_by_page(app):
        gc.collect()
        gc.freeze()


def page_read(app: Sphinx, docname: str, source: list[str]) -> None:
    set_aside_what_lives(app)


def page_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    set_aside_what_lives(app)


def set_aside_environment(app: Sphinx, builder: Builder) -> None:
    if gc.isenabled():
        gc.collect(1)  # the young garbage first (cheap): only what lives is set aside
        gc.freeze()


def set_aside_resolved_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.parallel_ok and page_by_page(app):
        gc.collect(1)
        gc.freeze()


def give_back(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup_collector(app: Sphinx) -> None:
    # First at each page: before any other handler adds to what the collector walks.
    app.connect("source-read", page_read, priority=0)
    app.connect("doctree-resolved", page_written, priority=0)
    # After sphinx-needs' own write-started handlers, which post-process the needs.
    app.connect("write-started", set_aside_environment, priority=990)
    # After every other handler: the page is as it will be written (-j writes).
    app.connect("doctree-resolved", set_aside_resolved_page, priority=990)
    app.connect("build-finished", give_back, priority=990)

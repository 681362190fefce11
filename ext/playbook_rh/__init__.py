"""The HR × social-media playbook: its Sphinx extension and its command line.

``playbook_rh`` is the Sphinx extension named in ``conf.py``. The package maps the
path of the data:

- :mod:`playbook_rh.core`: what has no Sphinx in it: IDs, the questions read from
  ``needs.json``, run files, progress, releases, legal review dates, French dates;
- :mod:`playbook_rh.sphinxext`: the Sphinx extension, by feature (the checklist
  directive, facts and sources, dashboards, the run report, printing, the site), with
  :mod:`playbook_rh.sphinxext.needs` as its one door to sphinx-needs;
- :mod:`playbook_rh.cli`: the ``playbook-rh`` command and the build scripts;
- ``static/``: the files pages and PDFs load.

Sphinx imports the extension's modules only when it calls :func:`setup`, so the
command starts without loading Sphinx.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: The files pages, PDFs and the command load (CSS, JavaScript, LaTeX, JSON Schema).
STATIC = Path(__file__).parent / "static"


def setup(app: Sphinx) -> dict[str, Any]:
    from playbook_rh.sphinxext.extension import setup as setup_extension

    return setup_extension(app)

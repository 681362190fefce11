"""The HR × social-media playbook: its Sphinx extension and its command line.

``playbook`` is the Sphinx extension named in ``conf.py``; its setup lives in
:mod:`playbook.extension` and is imported only by Sphinx, so the ``playbook`` command
starts without loading Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    from .extension import setup as setup_extension

    return setup_extension(app)

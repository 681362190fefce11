"""``playbook-vocabulary.json`` beside ``needs.json``: the statuses, phases, owner
roles and profile criteria of ``conf.py`` for the command line (why a file of our own:
:mod:`playbook_rh.core.vocabulary_file`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playbook_rh.core.vocabulary_file import write_vocabulary
from playbook_rh.sphinxext.config import profile_criteria, vocabulary

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def writes_needs_json(app: Sphinx) -> bool:
    """Whether this build writes needs.json into its output folder (sphinx-needs'
    ``needs`` builder, or any builder with ``needs_build_json``)."""
    return app.builder.name == "needs" or bool(app.config.needs_build_json)


def export_vocabulary(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and writes_needs_json(app):
        write_vocabulary(Path(app.outdir), vocabulary(app.config),
                         profile_criteria(app.config))


def setup_vocabulary_export(app: Sphinx) -> None:
    app.connect("build-finished", export_vocabulary)

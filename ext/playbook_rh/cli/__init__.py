"""The ``playbook-rh`` command: run the checklists, check legal review dates, build the
PDFs (``python -m playbook_rh.cli.pdf``) and freeze releases
(``python -m playbook_rh.cli.release``).

Nothing here imports Sphinx at start-up: ``playbook-rh status`` answers in a fraction
of a second. Only ``review`` reads ``conf.py`` with Sphinx's reader.
"""

from __future__ import annotations

from playbook_rh.cli.main import main, process_main

__all__ = ["main", "process_main"]

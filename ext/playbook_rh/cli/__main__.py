"""``python -m playbook_rh.cli``: the ``playbook-rh`` command."""

from playbook_rh.cli.main import process_main

process_main()

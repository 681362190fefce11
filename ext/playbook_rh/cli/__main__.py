"""``python -m playbook_rh.cli``: the ``playbook-rh`` command."""

import sys

from playbook_rh.cli.main import main

sys.exit(main())

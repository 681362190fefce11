"""The dashboards of a page, drawn when it is written, from the needs view.

The questions are taken from the needs view once a build (at the first dashboard
written), then each placeholder is replaced by what its module draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from playbook_rh.sphinxext.dashboards import questions_count, questions_table
from playbook_rh.sphinxext.dashboards.role_questions import setup_role_questions
from playbook_rh.sphinxext.dashboards.selection import DashboardItem, items_from_needs
from playbook_rh.sphinxext.needs import needs_view

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The questions of this build, as the dashboards see them (per application).
_items: WeakKeyDictionary[Sphinx, list[DashboardItem]] = WeakKeyDictionary()

#: The placeholders this module fills in (page.py finds them in its one walk).
PLACEHOLDERS = (questions_table.questions_table, questions_count.questions_count)


def _questions(app: Sphinx) -> list[DashboardItem]:
    if app not in _items:
        _items[app] = items_from_needs(needs_view(app))
    return _items[app]


def _forget_questions(app: Sphinx, env: BuildEnvironment) -> None:
    """Pages were read: the needs of the last build are not this one's."""
    _items.pop(app, None)


def draw_dashboards(app: Sphinx, tables: list[questions_table.questions_table],
                    counts: list[questions_count.questions_count], fromdocname: str) -> None:
    if not tables and not counts:
        return
    items = _questions(app)
    for table in tables:
        table.replace_self(questions_table.render(app, table, fromdocname, items))
    for index, count in enumerate(counts, start=1):
        count.replace_self(questions_count.render(app, count, items,
                                                  f"playbook-counts-{index}"))


def setup_dashboards(app: Sphinx) -> None:
    questions_table.setup_questions_table(app)
    questions_count.setup_questions_count(app)
    setup_role_questions(app)
    app.connect("env-updated", _forget_questions)

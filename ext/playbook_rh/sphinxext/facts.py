"""Facts and the sources they come from.

Every fact of the knowledge base is written with a role that says its kind and names
its source:

- ``{fact}`` a figure (a count, a share, an amount): it ages;
- ``{event}`` an event (a closure, a judgment, a publication): it does not age;
- ``{rule}`` a rule (a legal period, a threshold): it does not age either; the page's
  legal review date says when it was last checked.

::

    LinkedIn comptait {fact}`près de 347 millions de membres <aquent-2015>`.
    {event}`Klout a fermé le 25 mai 2018 <lithium-2018>`.
    ... dans un délai de {rule}`deux mois <code-travail>` ...

``<key>`` names a ``source`` directive (declared once, on the sources page); ``@date``
overrides the date the fact was stated, which is otherwise the source's. Each fact is
shown with the year it was stated; a figure older than ``playbook_fact_max_age`` years
is marked as aged. The ``factlist`` directive lists every fact of the site, with its
kind, page, source, date and, for figures, age.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, ClassVar, NamedTuple, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective, SphinxRole

from playbook_rh.core.french_dates import date_problem, first_day, french_date
from playbook_rh.sphinxext import tables
from playbook_rh.sphinxext.domain import playbook_domain
from playbook_rh.sphinxext.links import reference_to
from playbook_rh.sphinxext.warnings_ import FactWarning, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FACT_SYNTAX = re.compile(
    r"^(?P<text>.+?)\s*<(?P<key>[a-z0-9][a-z0-9-]*)(?:@(?P<date>[^>]*))?>$", re.DOTALL
)

#: The kinds of fact, by role name, with the label the fact table shows. Only figures age.
FACT_KINDS = {"fact": "chiffre", "event": "événement", "rule": "règle"}
AGEING_KINDS = frozenset({"fact"})


class SourceRecord(NamedTuple):
    key: str
    title: str
    publisher: str
    date: str
    url: str
    docname: str
    lineno: int


class FactRecord(NamedTuple):
    text: str
    source: str
    stated: str
    """The date the figure was stated, if the role gives one; else the source's."""
    anchor: str
    docname: str
    lineno: int
    kind: str = "fact"
    """A key of :data:`FACT_KINDS`: the role the fact was written with."""


class fact(nodes.inline):
    """A figure; its source and year are filled in when the page is written."""


class fact_list(nodes.General, nodes.Element):
    """Placeholder for the table of every figure, built when the page is written."""


def checked_date(value: str, what: str, app: Sphinx, location: tuple[str, int],
                 hint: str = "") -> str:
    """``value`` if it is a real, past date; else "" after a located warning.

    A date after the day of the build cannot be when a figure was stated: 2099 would
    give it an age below zero.
    """
    problem = date_problem(value)
    if problem is not None:
        warn(FactWarning.BAD_DATE, f"{what}: date {value!r} {problem}{hint}", location)
        return ""
    on = today(app)
    if first_day(value) > on:
        warn(FactWarning.FUTURE_DATE,
             f"{what}: date {value!r} is after the day of the build ({on.isoformat()}); "
             "give the date it was published", location)
        return ""
    return value


def today(app: Sphinx) -> datetime.date:
    configured: str = app.config.playbook_today
    return datetime.date.fromisoformat(configured) if configured else datetime.date.today()


def age_in_years(stated: str, on: datetime.date) -> int:
    return on.year - int(stated[:4])


class SourceDirective(SphinxDirective):
    """Declare a source: ``{source} key`` with its title, publisher, date and URL."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "title": directives.unchanged,
        "publisher": directives.unchanged,
        "date": directives.unchanged,
        "url": directives.uri,
    }

    def run(self) -> list[Node]:
        key = self.arguments[0].strip()
        location = (self.env.docname, self.lineno)
        title = self.options.get("title", "").strip()
        date = self.options.get("date", "").strip()
        if not title:
            warn(FactWarning.SOURCE_WITHOUT_TITLE,
                 f"source {key!r} has no ':title:'; give the title of the document cited",
                 location)
        date = checked_date(date, f"source {key!r}", self.env.app, location,
                            "; give the date the source was published")
        record = SourceRecord(key, title, self.options.get("publisher", "").strip(), date,
                              self.options.get("url", ""), self.env.docname, self.lineno)
        playbook_domain(self.env).add_source(record)

        entry = nodes.container(ids=[f"source-{key}"], classes=["playbook-source"])
        line = nodes.paragraph()
        line += nodes.strong("", title or key)
        details = [part for part in (record.publisher, french_date(date) if date else "") if part]
        if details:
            line += nodes.Text(", " + ", ".join(details))
        if record.url:
            line += nodes.Text(". ")
            line += nodes.reference("", record.url, refuri=record.url)
        line += nodes.Text(".")
        entry += line
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, entry)
        return [entry]


class FactRole(SphinxRole):
    """``{fact}``, ``{event}`` and ``{rule}``: the kind is the role's name."""

    def _own_line(self) -> int:
        """The line the role is written on, not its paragraph's first line (which is
        all the parser gives): the role's text is looked for in the source from there,
        the n-th time for its n-th use in the paragraph."""
        source = self.get_source_info()[0] or str(self.env.doc2path(self.env.docname))
        texts = cast("dict[str, str]",
                     self.env.temp_data.setdefault("playbook_source_texts", {}))
        if source not in texts:
            try:
                with open(source, encoding="utf-8") as file:
                    texts[source] = file.read()
            except (OSError, UnicodeDecodeError):
                texts[source] = ""
        text = texts[source]
        uses = cast("dict[tuple[str, int, str], int]",
                    self.env.temp_data.setdefault("playbook_role_uses", {}))
        # MyST gives the role as reStructuredText (":fact:`...`"): look for its text
        needle = f"`{self.text}`"
        key = (source, self.lineno, needle)
        start = 0
        for _ in range(self.lineno - 1):
            start = text.find("\n", start) + 1
            if start == 0:
                return self.lineno
        position = start - 1
        for _ in range(uses.get(key, 0) + 1):
            position = text.find(needle, position + 1)
            if position < 0:
                return self.lineno
        uses[key] = uses.get(key, 0) + 1
        return self.lineno + text.count("\n", start, position)

    def run(self) -> tuple[list[Node], list[system_message]]:
        match = FACT_SYNTAX.match(self.text)
        lineno = self._own_line()
        location = (self.env.docname, lineno)
        kind = self.name if self.name in FACT_KINDS else "fact"
        if match is None:
            warn(FactWarning.MALFORMED,
                 f"{kind} {self.text!r} names no source: write "
                 f"{{{kind}}}`{self.text} <source-key>` with the key of a source declared "
                 "on the sources page", location)
            return [nodes.Text(self.text)], []
        stated = (match["date"] or "").strip()
        if match["date"] is not None:
            stated = checked_date(stated, f"fact {match['text']!r}", self.env.app, location)
        anchor = f"fact-{self.env.new_serialno('playbook-fact')}"
        record = FactRecord(match["text"], match["key"], stated, anchor, self.env.docname,
                            lineno, kind)
        playbook_domain(self.env).add_fact(record)
        node = fact(ids=[anchor], classes=["playbook-fact", f"playbook-fact-{kind}"],
                    source=record.source, stated=stated, kind=kind)
        node += nodes.Text(record.text)
        return [node], []


class FactListDirective(SphinxDirective):
    """The table of every figure of the site (the sources page holds it)."""

    def run(self) -> list[Node]:
        node = fact_list()
        self.set_source_info(node)
        return [node]


def _source_label(source: SourceRecord) -> str:
    return ", ".join(part for part in (source.publisher, source.title) if part)


def resolve_facts(app: Sphinx, figures: list[fact], tables: list[fact_list],
                  fromdocname: str) -> None:
    """Give each figure its year, linked to its source, and build the figure tables."""
    if not figures and not tables:
        return
    domain = playbook_domain(app.env)
    sources = domain.sources_by_key()
    on = today(app)
    max_age: int = app.config.playbook_fact_max_age
    for node in figures:
        source = sources.get(node["source"])
        stated = node["stated"] or (source.date if source else "")
        if source is None or not stated:
            continue
        aged = (node.get("kind", "fact") in AGEING_KINDS
                and age_in_years(stated, on) >= max_age)
        # A figure shows the year it was stated, unless it says it already ("en 2018");
        # an event or a rule carries its own date, or none: a plain marker, the source's
        # year beside « depuis le 2 février 2025 » would read as another date.
        figure = node.get("kind", "fact") in AGEING_KINDS
        label = stated[:4] if figure and stated[:4] not in node.astext() else "réf."
        year = nodes.inline("", label, classes=["playbook-fact-year"])
        title = f"{_source_label(source)} ({french_date(stated)})"
        if aged:
            title += " : chiffre ancien, à actualiser"
        marker = nodes.superscript(classes=["playbook-fact-aged"] if aged else [])
        marker += reference_to(app, fromdocname, source.docname, f"source-{source.key}",
                               year, title)
        node += marker

    for placeholder in tables:
        placeholder.replace_self(_fact_table(app, fromdocname, app.env, on, max_age))


def _fact_table(app: Sphinx, fromdocname: str, env: BuildEnvironment, on: datetime.date,
                max_age: int) -> nodes.Node:
    domain = playbook_domain(env)
    sources = domain.sources_by_key()
    table, body = tables.table(("Fait", "Nature", "Page", "Source", "Daté du", "Âge"),
                               (28, 10, 18, 26, 10, 8), "playbook-facts")
    for record in domain.all_facts():
        source = sources.get(record.source)
        stated = record.stated or (source.date if source else "")
        title = env.titles.get(record.docname)
        page = reference_to(app, fromdocname, record.docname, "",
                            nodes.Text(title.astext() if title else record.docname))
        figure = reference_to(app, fromdocname, record.docname, record.anchor,
                              nodes.Text(record.text))
        cited = (reference_to(app, fromdocname, source.docname, f"source-{source.key}",
                              nodes.Text(_source_label(source)))
                 if source else nodes.Text(record.source))
        if record.kind not in AGEING_KINDS:
            age_text = "–"  # an event or a rule does not age
        elif stated:
            years = age_in_years(stated, on)
            age_text = f"{years} an{'s' if years > 1 else ''}"
            if years >= max_age:
                age_text += " (ancien)"
        else:
            age_text = "?"
        body += tables.row([figure, nodes.Text(FACT_KINDS[record.kind]), page, cited,
                            nodes.Text(french_date(stated)), nodes.Text(age_text)])
    return table


def check_facts(env: BuildEnvironment) -> None:
    domain = playbook_domain(env)
    first_of: dict[str, SourceRecord] = {}
    for source in domain.all_sources():
        if source.key in first_of:
            earlier = first_of[source.key]
            warn(FactWarning.DUPLICATE_SOURCE,
                 f"source {source.key!r} is already declared at "
                 f"{env.doc2path(earlier.docname)}:{earlier.lineno}; give this one another key",
                 (source.docname, source.lineno))
        else:
            first_of[source.key] = source
    for record in domain.all_facts():
        if record.source not in first_of:
            warn(FactWarning.UNKNOWN_SOURCE,
                 f"fact {record.text!r} names source {record.source!r}, which no source "
                 "directive declares; declare it on the sources page or correct the key",
                 (record.docname, record.lineno))

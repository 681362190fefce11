"""``playbook-rh export --format ics``: the due dates of a run in people's calendars.

One **all-day event** (``VEVENT`` with a ``DATE`` start) per item with a due date,
not a task (``VTODO``): calendar programs differ most on tasks (Google Calendar and
many phone calendars do not import them, others file them in a separate task list),
while every one shows an all-day event on its day. The event is transparent (it does
not block the day in free/busy searches); its title is the item's ID and question, its
description the owner roles (and the person the run names), the status and the answer,
and its ``URL`` the item on the published site (``html_baseurl``, exported by the build
in ``playbook-vocabulary.json``).

The ``UID`` of an item's event is the same at every export of the same run and
differs from item to item and run to run, so importing a newer export updates the
events instead of adding copies, and two runs imported into one calendar stay apart.
A run is told by its ``id`` (a random UUID that ``playbook-rh new`` and the site write
once, when the run starts); a run file without one (written before ``id`` existed, or
by hand) by its organisation and start date, as before, so its UIDs do not change.
The file is written with the ``icalendar`` library (RFC 5545 escaping, line folding
at 75 octets, CRLF line ends); this is the one module that imports it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from urllib.parse import urlsplit

import icalendar

from playbook_rh import __version__
from playbook_rh.core.assessment import Assessment
from playbook_rh.core.plain_text import plain_text
from playbook_rh.core.questions import Question
from playbook_rh.core.safe_text import shown
from playbook_rh.core.vocabulary import Vocabulary

PRODID = f"-//playbook-rh//playbook-rh {__version__}//FR"
#: The right-hand side of the UIDs when the site's address is unknown.
DEFAULT_DOMAIN = "playbook-rh.invalid"


def run_identity(assessment: Assessment) -> str:
    """What tells runs apart in UIDs: the run's ``id``; without one, the organisation
    and the start date (the UIDs of runs written before ``id`` existed stay the same)."""
    run = assessment.run
    if run.id.strip():
        text = f"id\n{run.id.strip()}"
    else:
        started = run.started.isoformat() if run.started else ""
        text = f"{run.organisation.strip()}\n{started}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def text(value: str) -> str:
    """A run's or a question's text for a TEXT value: line breaks kept (the library
    writes them ``\\n``), every control character a visible escape (RFC 5545 allows
    none), as everything the command writes (:mod:`playbook_rh.core.safe_text`)."""
    return shown(value.replace("\r\n", "\n").replace("\r", "\n"), one_line=False)


def item_uid(identity: str, item_id: str, site_url: str) -> str:
    domain = urlsplit(site_url).hostname or DEFAULT_DOMAIN
    return f"{item_id}-{identity}@{domain}"


def item_url(site_url: str, question: Question) -> str:
    """The item on the published site: its page, at its anchor (the item's ID)."""
    if not site_url or not question.docname:
        return ""
    return f"{site_url}{question.docname}.html#{question.id}"


def description(question: Question, assessment: Assessment, vocabulary: Vocabulary,
                url: str) -> str:
    answer = assessment.answer(question)
    roles = ", ".join(question.owner_labels or question.owners) or "—"
    lines = [f"Responsable(s) : {roles}"]
    if answer.owner:
        lines.append(f"Personne en charge : {answer.owner}")
    lines.append(f"Phase : {question.phase_label}")
    lines.append(f"Statut : {vocabulary.statuses.get(answer.status, answer.status)}")
    if answer.answer:
        lines.append(f"Réponse : {answer.answer}")
    if answer.evidence:
        lines.append(f"Preuve : {answer.evidence}")
    if url:
        lines.append(url)
    return text("\n".join(lines))


def calendar_file(assessment: Assessment, vocabulary: Vocabulary, site_url: str,
             questions: Sequence[Question], stamp: datetime.datetime) -> bytes:
    """The iCalendar file: one all-day event per question of ``questions`` with a due
    date; ``stamp`` (UTC) is every event's ``DTSTAMP``, when the file was made."""
    identity = run_identity(assessment)
    document = icalendar.Calendar()
    document.add("prodid", PRODID)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    title = assessment.run.organisation or "Suivi du playbook"
    # an X- property's value is not typed: TEXT said explicitly, so it is escaped
    document.add("x-wr-calname", icalendar.vText(text(f"Playbook RH — {title}")))
    for question in questions:
        answer = assessment.answer(question)
        if answer.due is None:
            continue
        url = item_url(site_url, question)
        event = icalendar.Event()
        event.add("uid", item_uid(identity, question.id, site_url))
        event.add("dtstamp", stamp)
        event.add("dtstart", answer.due)  # a date: an all-day event (VALUE=DATE)
        event.add("dtend", answer.due + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", text(f"{question.id} — {plain_text(question.title)}"))
        event.add("description", description(question, assessment, vocabulary, url))
        if url:
            event.add("url", url)
        document.add_component(event)
    ics: bytes = document.to_ical()
    return ics

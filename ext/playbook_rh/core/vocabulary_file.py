"""The vocabulary the build hands to the command line and to other tools.

``conf.py`` is the one place the statuses, phases and owner roles are declared. The
command line never reads ``conf.py`` (it runs where only the published files are, and
must start fast), so the build exports them: ``make needs`` writes
``playbook-vocabulary.json`` beside ``needs.json``, and the command reads the file
beside the ``needs.json`` it was given. A file of our own rather than fields of
needs.json: sphinx-needs has no documented way to add data to its export, and its
reader and schema (``ub_needs_exchange``, ``needsfile.json``) describe needs only.

The file also carries what the formats fix (ID pattern, run format, the statuses the
tools write and those that count as complete), so a tool in another language reads
every rule from it, and the address of the published site (``html_baseurl``), so the
command can link an item to its page (the calendar export). The browser gets the same
document inside its catalogue (``playbook-catalogue.js``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playbook_rh.core.bounded_files import FileProblem, read_regular_text
from playbook_rh.core.profile import SETTING as PROFILE_SETTING
from playbook_rh.core.profile import Criteria, criteria_settings, read_criteria
from playbook_rh.core.runs import FORMAT, write_atomically
from playbook_rh.core.vocabulary import (
    DONE,
    ID_PATTERN,
    TODO,
    Vocabulary,
    read_vocabulary,
    vocabulary_settings,
)

VOCABULARY_FILE = "playbook-vocabulary.json"
VOCABULARY_FORMAT = "playbook-vocabulary/1"
#: The largest vocabulary file read (the playbook's is about 4 KB): a regular file only,
#: counted as read (:mod:`.bounded_files`).
MAX_BYTES = 2**20


class VocabularyFileError(Exception):
    """The exported vocabulary is missing or unreadable; the message says what to do."""


def vocabulary_document(vocabulary: Vocabulary, criteria: Criteria | None = None,
                        site_url: str = "") -> dict[str, Any]:
    """What ``playbook-vocabulary.json`` holds (and the browser's catalogue too):
    ``criteria`` are the profile's (``playbook_profile``), ``site_url`` is
    ``html_baseurl`` ("" when the site's address is not set)."""
    return {
        "format": VOCABULARY_FORMAT,
        "run_format": FORMAT,
        "id_pattern": ID_PATTERN.pattern,
        **vocabulary_settings(vocabulary),
        PROFILE_SETTING: criteria_settings(criteria or {}),
        "todo": TODO,
        "done": DONE,
        "complete": list(vocabulary.complete),
        "site_url": site_url,
    }


def write_vocabulary(folder: Path, vocabulary: Vocabulary,
                     criteria: Criteria | None = None, site_url: str = "") -> Path:
    target = folder / VOCABULARY_FILE
    text = json.dumps(vocabulary_document(vocabulary, criteria, site_url), ensure_ascii=False,
                      indent=2) + "\n"
    try:
        same = read_regular_text(target, MAX_BYTES) == text
    except (FileProblem, OSError):
        same = False
    if not same:  # in one step: a command reading it meanwhile sees the old or the new
        write_atomically(target, text)
    return target


def vocabulary_beside(needs: Path) -> Path:
    return needs.parent / VOCABULARY_FILE


def load_vocabulary(needs: Path) -> Vocabulary:
    """The vocabulary exported with the ``needs.json`` at ``needs``, checked as the
    build checks ``conf.py``."""
    path, document = _document(needs)
    vocabulary, problems = read_vocabulary(
        document.get("playbook_phases"), document.get("playbook_owners"),
        document.get("playbook_statuses"), document.get("playbook_default_status"))
    if problems:
        raise VocabularyFileError(f"{path}: " + "; ".join(
            f"{problem.setting}: {problem.message}" for problem in problems))
    return vocabulary


def load_criteria(needs: Path) -> Criteria:
    """The profile's criteria exported with the ``needs.json`` at ``needs`` (none in a
    file exported before profiles existed)."""
    path, document = _document(needs)
    criteria, problems = read_criteria(document.get(PROFILE_SETTING, {}))
    if problems:
        raise VocabularyFileError(f"{path}: " + "; ".join(
            f"{problem.setting}: {problem.message}" for problem in problems))
    return criteria


def _document(needs: Path) -> tuple[Path, dict[str, Any]]:
    path = vocabulary_beside(needs)
    try:
        document = json.loads(read_regular_text(path, MAX_BYTES))
    except FileNotFoundError:
        raise VocabularyFileError(
            f"{path}: missing; `make needs` writes it beside {needs.name} (the statuses, "
            "phases and owner roles of conf.py): copy both files together") from None
    except (FileProblem, OSError, ValueError, RecursionError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise VocabularyFileError(f"{path}: not a readable vocabulary ({reason}): copy the "
                                  f"one `make needs` writes beside {needs.name}") from None
    if not isinstance(document, dict) or document.get("format") != VOCABULARY_FORMAT:
        stated = document.get("format") if isinstance(document, dict) else None
        raise VocabularyFileError(f"{path}: format {stated!r} is not {VOCABULARY_FORMAT!r}, "
                                  "the only one this version reads: run `make needs` again")
    return path, document


def load_site_url(needs: Path) -> str:
    """The published site's address exported with the ``needs.json`` at ``needs``, ending
    with ``/``; "" when the build had no ``html_baseurl`` (or predates the key)."""
    path = vocabulary_beside(needs)
    try:
        document = json.loads(read_regular_text(path, MAX_BYTES))
    except (FileProblem, OSError, ValueError, RecursionError):
        return ""  # load_vocabulary reports an unreadable file; no address here then
    url = document.get("site_url") if isinstance(document, dict) else None
    if not isinstance(url, str) or not url.strip():
        return ""
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"

"""The pages of a Sphinx project and their legal reviews, read without building it.

``playbook-rh review`` must answer in a second and must not fail because a page has a
warning: it reads ``conf.py`` with Sphinx's own reader (for ``exclude_patterns`` and
``playbook_review_months``), finds the pages as Sphinx finds them, and reads only each
page's front matter (the YAML block between the first two ``---`` lines, as MyST reads
it) with PyYAML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.project import Project
from sphinx.util.tags import Tags

from playbook_rh.core.bounded_files import FileProblem, read_regular_text
from playbook_rh.core.reviews import (
    Review,
    ReviewError,
    front_matter_lines,
    key_lines,
    review_from_metadata,
    review_line,
)
from playbook_rh.sphinxext.config import problem_with, setting

#: The setting read here, as the extension declares it.
MONTHS = setting("playbook_review_months")

#: The source files a page can be written in.
SOURCE_SUFFIXES = (".md", ".rst")
#: The largest page read: far more than any page, far under what memory holds (a page
#: that is not a regular file, a FIFO named ``*.md``, is reported, not waited for).
MAX_PAGE_BYTES = 16 * 2**20


class ScanError(Exception):
    """The project cannot be read (its conf.py fails); the message says why."""


@dataclass(frozen=True)
class PageReview:
    path: str
    """The page's file, relative to the source folder."""
    review: Review | None
    problem: str = ""
    line: int = 1


def review_months(source: Path) -> tuple[int, list[str]]:
    """``playbook_review_months`` from ``source/conf.py``, and its exclude patterns."""
    source = source.resolve()
    try:
        config = Config.read(source, overrides={}, tags=Tags())
        config.add(MONTHS.name, MONTHS.default, MONTHS.rebuild, frozenset({MONTHS.type}),
                   MONTHS.description)
        months = config[MONTHS.name]
        excluded = list(config.exclude_patterns)
    except ConfigError as error:
        # Sphinx's message carries conf.py's traceback: the last line says what failed.
        lines = [line for line in str(error).splitlines() if line.strip()]
        raise ScanError(f"{source / 'conf.py'}: {lines[-1] if lines else error}") from None
    if (problem := problem_with(MONTHS, months)) is not None:
        raise ScanError(f"{source / 'conf.py'}: {MONTHS.name} {problem}")
    return months, excluded


def front_matter(path: Path) -> tuple[dict[str, object], dict[str, int]]:
    """The page's front matter, and the line of each of its top-level keys."""
    block = front_matter_lines(read_regular_text(path, MAX_PAGE_BYTES))
    data = (yaml.safe_load("\n".join(block)) or {}) if block else {}
    if not isinstance(data, dict):
        return {}, {}
    return data, key_lines(block)


def scan(source: Path, excluded: list[str], today: datetime.date) -> list[PageReview]:
    """Every page with a legal review (or a malformed one), in path order."""
    source = source.resolve()
    project = Project(source, SOURCE_SUFFIXES)
    found: list[PageReview] = []
    for docname in sorted(project.discover(exclude_paths=excluded)):
        path = project.doc2path(docname, absolute=True)
        relative = Path(path).relative_to(source).as_posix()
        try:
            metadata, where = front_matter(path)
        except (FileProblem, OSError, yaml.YAMLError, RecursionError) as error:
            found.append(PageReview(relative, None, f"front matter cannot be read: {error}"))
            continue
        try:
            review = review_from_metadata(relative, metadata, today)
        except ReviewError as error:
            found.append(PageReview(relative, None, str(error), review_line(where)))
            continue
        if review is not None:
            found.append(PageReview(relative, review))
    return found

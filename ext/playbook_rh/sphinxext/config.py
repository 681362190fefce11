"""Every setting of the playbook, declared once: name, default, type, what it does.

The settings are plain ``playbook_*`` values of ``conf.py`` (TOML-like data: text,
numbers, dicts), registered with Sphinx from :data:`SETTINGS`. They are checked once,
at ``config-inited``, before anything reads them. Each mistake is one located error,
``conf.py:LINE: ERROR: playbook_x in conf.py: what is wrong``, and the build stops
there (exit status 2): no page can be checked against a vocabulary that is not sound,
and a build that went on would bury the one message under its consequences. The
closed vocabularies are checked by :func:`playbook_rh.core.vocabulary.read_vocabulary`,
the check the command line runs on the exported vocabulary too.

Anchor: sphinx-design's ``sphinx_design/config.py`` (typed values with descriptions
and validators in one module).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from playbook_rh.core.profile import Criteria, read_criteria
from playbook_rh.core.reviews import DEFAULT_REVIEW_MONTHS
from playbook_rh.core.safe_text import shown
from playbook_rh.core.vocabulary import TODO, Vocabulary, read_vocabulary
from playbook_rh.sphinxext.warnings_ import LOGGER

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Checks one value; returns what is wrong with it, or None.
Check = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    rebuild: Literal["env", "html", ""]
    """What a change rebuilds (Sphinx's ``rebuild``): every page read, written, nothing."""
    type: type
    description: str
    check: Check | None = None
    """Beyond the type; the vocabularies are checked together, by read_vocabulary."""


def whole_number(least: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            return None
        return f"must be a whole number, {least} or more, not {value!r}"
    return check


def day_or_empty(value: Any) -> str | None:
    if value == "":
        return None
    try:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            datetime.date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return f"must be a day written YYYY-MM-DD, or empty for the day of the build, not {value!r}"


def non_empty(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must name a folder"


SETTINGS: tuple[Setting, ...] = (
    Setting("playbook_phases", {}, "env", dict,
            "Phases in reading order: key -> {'label': French label, 'prefix': the ID "
            "prefix of its items, 2 to 5 capitals}"),
    Setting("playbook_owners", {}, "env", dict, "Owner roles: key -> French label"),
    Setting("playbook_statuses", {}, "env", dict,
            "Statuses of an item and of a run's answers: key -> French label, in order; "
            "must declare 'todo' and 'done'"),
    Setting("playbook_default_status", TODO, "env", str,
            "Status of an item that gives none (a key of playbook_statuses)"),
    Setting("playbook_profile", {}, "env", dict,
            "Criteria of an organisation's profile, which items' :applies: conditions "
            "name: key -> {'label', 'question', 'kind': 'yes-no' | 'choice' | 'bands', "
            "...} (see core/profile.py)"),
    Setting("playbook_fact_max_age", 5, "", int,
            "Age in years past which a figure is marked as aged", whole_number(0)),
    Setting("playbook_today", "", "", str,
            "The day ages and reviews are counted to (YYYY-MM-DD; empty: the day of the "
            "build), for reproducible builds", day_or_empty),
    Setting("playbook_review_months", DEFAULT_REVIEW_MONTHS, "env", int,
            "How many months a page's legal review holds", whole_number(1)),
    Setting("playbook_releases_dir", "releases", "env", str,
            "Folder of the frozen releases (<release>/needs.json), from conf.py's folder",
            non_empty),
    Setting("playbook_run", "", "html", str,
            "A run file rendered into the site (make html RUN=...); the run is data "
            "rendered at write time: changing it rewrites pages, re-reads none"),
    Setting("playbook_needs_internals", True, "", bool,
            "Use sphinx-needs' remove_doc to forget a page's needs in one pass (off: "
            "del_need per item)"),
)

#: How messages name the type a setting must have.
TYPE_NAMES = {dict: "a dict", str: "text (a str)", int: "a whole number",
              bool: "True or False"}

VOCABULARY_SETTINGS = ("playbook_phases", "playbook_owners", "playbook_statuses",
                       "playbook_default_status")
#: Checked by read_criteria, types included.
PROFILE_SETTING = "playbook_profile"


def setup_config(app: Sphinx) -> None:
    for setting in SETTINGS:
        app.add_config_value(setting.name, setting.default, setting.rebuild,
                             types=frozenset({setting.type}),
                             description=setting.description)
    refuse_unreadable_overrides(app)
    # Before every other handler (sphinx-needs' run at 500, Sphinx's own type check at
    # 800), so that none of them reads a wrong value.
    app.connect("config-inited", check_settings, priority=10)


#: -D values Sphinx reads as True or False; anything else makes it crash.
SWITCH_VALUES = ("0", "1", True, False)


def refuse_unreadable_overrides(app: Sphinx) -> None:
    """Take out a ``-D`` value of a True/False setting that is not 0 or 1, to report it
    with the other mistakes: Sphinx would stop on it with its crash report before any
    check could run ("please report this bug")."""
    refused: dict[str, str] = {}
    overrides = getattr(app.config, "overrides", None)
    if not isinstance(overrides, dict):  # not started by sphinx-build or Sphinx's API
        return
    for declared in SETTINGS:
        value = overrides.get(declared.name)
        if declared.type is bool and value is not None and value not in SWITCH_VALUES:
            overrides[declared.name] = declared.default  # reported with the others
            refused[declared.name] = f"must be 0 or 1 (-D {declared.name}=1), not {value!r}"
    app._playbook_refused_overrides = refused  # type: ignore[attr-defined]


def setting_location(app: Sphinx, name: str) -> tuple[str, str | None]:
    """Where a setting was given: (how the message names it, conf.py:line or None)."""
    if name in app.config.overrides:
        return f"{name} (given with -D)", None
    if app.confdir is None:
        return name, None
    conf = Path(app.confdir, "conf.py")
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return f"{name} in conf.py", None
    assignment = re.compile(rf"^{re.escape(name)}\s*(?::[^=]*)?=")
    numbers = [number for number, line in enumerate(lines, start=1) if assignment.match(line)]
    if not numbers:
        # A location without a line would be taken for a page name, before any page
        # exists: name the file in the message instead.
        return f"{name} (not set in {conf})", None
    # the last assignment is the value Sphinx read
    return f"{name} in conf.py", f"{conf}:{numbers[-1]}"


class SettingsRefused(SystemExit):
    """Stops the build once every wrong setting has been reported (exit status 2).

    Not a :class:`~sphinx.errors.ConfigError`: Sphinx 9 prints any exception raised
    while it starts as a crash report asking for a bug report, traceback included,
    which is the wrong answer to a mistake in ``conf.py``.
    """

    def __init__(self, count: int) -> None:
        super().__init__(2)
        self.count = count


def setting(name: str) -> Setting:
    return next(declared for declared in SETTINGS if declared.name == name)


def problem_with(setting: Setting, value: Any) -> str | None:
    """What is wrong with ``value`` for ``setting`` (not a vocabulary), or None."""
    if not isinstance(value, setting.type) or (
            setting.type is int and isinstance(value, bool)):
        return f"must be {TYPE_NAMES[setting.type]}, not {type(value).__name__} {value!r}"
    return setting.check(value) if setting.check is not None else None


def problems_of(config: Config) -> list[tuple[str, str]]:
    """(setting, what is wrong) for every mistake in the playbook's settings."""
    problems = []
    for declared in SETTINGS:
        if declared.name in (*VOCABULARY_SETTINGS, PROFILE_SETTING):
            continue  # read_vocabulary and read_criteria check them, types included
        if (problem := problem_with(declared, config[declared.name])) is not None:
            problems.append((declared.name, problem))
    _vocabulary, mistakes = read_vocabulary(*(config[name] for name in VOCABULARY_SETTINGS))
    problems += [(mistake.setting, mistake.message) for mistake in mistakes]
    _criteria, mistakes = read_criteria(config[PROFILE_SETTING])
    problems += [(mistake.setting, mistake.message) for mistake in mistakes]
    return problems


def check_settings(app: Sphinx, config: Config) -> None:
    """Report every wrong setting, located, then stop the build if there was one."""
    refused: dict[str, str] = getattr(app, "_playbook_refused_overrides", {})
    problems = [problem for problem in problems_of(config) if problem[0] not in refused]
    problems += list(refused.items())
    for name, message in problems:
        named, location = setting_location(app, name)
        # a folder named with control characters reaches the terminal escaped
        LOGGER.error(shown(f"{named}: {message}"),
                     location=shown(location) if location is not None else None)
    if problems:
        raise SettingsRefused(len(problems))


def vocabulary(config: Config) -> Vocabulary:
    """The vocabularies declared in ``conf.py`` (checked at ``config-inited``)."""
    return read_vocabulary(*(config[name] for name in VOCABULARY_SETTINGS))[0]


def profile_criteria(config: Config) -> Criteria:
    """The criteria of ``playbook_profile`` (checked at ``config-inited``)."""
    return read_criteria(config[PROFILE_SETTING])[0]

"""The closed vocabularies of the playbook: phases, owner roles and statuses.

They are declared once, in ``conf.py``, and read through :func:`vocabulary`.
A configuration mistake is a :class:`~sphinx.errors.ConfigError`: it is the
maintainer's, not an author's, and no page can be built without a sound vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.config import Config

#: An item ID: the phase prefix, a hyphen, two or three digits (``REC-03``).
ID_PATTERN = re.compile(r"^(?P<prefix>[A-Z]{2,5})-(?P<number>[0-9]{2,3})$")
PREFIX_PATTERN = re.compile(r"^[A-Z]{2,5}$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Phase:
    """One phase of HR's handling of social media; its items share an ID prefix."""

    key: str
    label: str
    prefix: str
    order: int


@dataclass(frozen=True)
class Vocabulary:
    phases: dict[str, Phase]
    owners: dict[str, str]
    statuses: dict[str, str]
    default_status: str

    def phase_of_prefix(self, prefix: str) -> Phase | None:
        for phase in self.phases.values():
            if phase.prefix == prefix:
                return phase
        return None


def _labels(config: Config, name: str) -> dict[str, str]:
    value = getattr(config, name)
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{name} must be a non-empty dict of key -> French label in conf.py")
    for key, label in value.items():
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise ConfigError(
                f"{name}: key {key!r} must be lowercase letters, digits and hyphens"
            )
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f"{name}[{key!r}] must be a non-empty label")
    return dict(value)


def _phases(config: Config) -> dict[str, Phase]:
    value: Any = config.playbook_phases
    if not isinstance(value, dict) or not value:
        raise ConfigError(
            "playbook_phases must be a non-empty dict of key -> "
            "{'label': ..., 'prefix': ...} in conf.py"
        )
    phases: dict[str, Phase] = {}
    prefixes: dict[str, str] = {}
    for order, (key, entry) in enumerate(value.items()):
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise ConfigError(
                f"playbook_phases: key {key!r} must be lowercase letters, digits and hyphens"
            )
        if not isinstance(entry, dict) or not {"label", "prefix"} <= entry.keys():
            raise ConfigError(f"playbook_phases[{key!r}] needs a 'label' and a 'prefix'")
        prefix = entry["prefix"]
        if not isinstance(prefix, str) or not PREFIX_PATTERN.match(prefix):
            raise ConfigError(
                f"playbook_phases[{key!r}]: prefix {prefix!r} must be 2 to 5 capital letters"
            )
        if prefix in prefixes:
            raise ConfigError(
                f"playbook_phases: prefix {prefix!r} is used by both "
                f"{prefixes[prefix]!r} and {key!r}"
            )
        prefixes[prefix] = key
        phases[key] = Phase(key=key, label=str(entry["label"]), prefix=prefix, order=order)
    return phases


def vocabulary(config: Config) -> Vocabulary:
    """The vocabularies declared in ``conf.py``, checked.

    :raises ConfigError: if a vocabulary is malformed.
    """
    statuses = _labels(config, "playbook_statuses")
    default_status = config.playbook_default_status
    if default_status not in statuses:
        raise ConfigError(
            f"playbook_default_status {default_status!r} is not one of playbook_statuses "
            f"({', '.join(statuses)})"
        )
    return Vocabulary(
        phases=_phases(config),
        owners=_labels(config, "playbook_owners"),
        statuses=statuses,
        default_status=default_status,
    )

"""The organisation's profile, and when a question applies to it.

``conf.py`` declares the criteria of a profile (``playbook_profile``: headcount band,
whether the organisation runs an internal network, ...), each with its French label,
the question that asks it and its values. A checklist item may say when it applies,
``:applies: headcount >= 50 and internal-network``, in this small language::

    condition := term ("or" term)*
    term      := factor ("and" factor)*
    factor    := "not" factor | "(" condition ")" | atom
    atom      := CRIT | CRIT ("=" | "!=") VALUE | CRIT ("<" | "<=" | ">" | ">=") NUMBER

A bare ``CRIT`` is for a yes-no criterion (it means "yes"); numeric comparisons are
for bands, against a number where bands meet (``>=`` and ``<`` take a band's first
number, ``>`` and ``<=`` its last). This module is the language's only parser. A
condition compiles to a JSON tree (``{"all": [...]}``, ``{"any": [...]}``,
``{"not": X}`` and atoms ``{"crit": "headcount", "in": ["50-299", "300-plus"]}``)
that the browser and the command line evaluate without parsing anything. With a
partial profile evaluation is three-valued: a criterion not given is unknown, and a
question applies unless its condition is definitely false.

No Sphinx here: the command line imports this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import Any, Literal, NamedTuple, TypeAlias

from playbook_rh.core.vocabulary import KEY_PATTERN, VocabularyProblem

SETTING = "playbook_profile"

YES_NO, CHOICE, BANDS = "yes-no", "choice", "bands"
KINDS = (YES_NO, CHOICE, BANDS)

#: A criterion's value in a profile: a boolean for yes-no, a value key otherwise.
Value: TypeAlias = bool | str
#: A profile: criterion key -> value; a criterion left out is unknown.
Profile: TypeAlias = dict[str, Value]
#: A compiled condition, as JSON.
Tree: TypeAlias = dict[str, Any]

#: A value key of a choice or a band (``50-299``, ``moins-de-11``).
VALUE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: How a yes-no value is written in a condition, a run file and the command line.
YES_NO_WORDS: dict[str, bool] = {"true": True, "false": False}


class Criterion(NamedTuple):
    """One question of the profile and the values it takes, in order."""

    key: str
    label: str
    question: str
    kind: str
    values: dict[Value, str]
    """Value -> French label (yes-no: ``True`` -> "Oui", ``False`` -> "Non")."""
    bounds: tuple[int, ...] = ()
    """Bands: each band's first number, in the order of :attr:`values`."""
    unit: str = ""
    """Bands: what is counted (``salariés``), for conditions in words."""
    yes: str = ""
    no: str = ""
    """Yes-no: what completes « S’applique aux organisations … » for each answer."""

    def value_of(self, text: str) -> Value | None:
        """The value ``text`` names (a value key; ``true``/``false`` for yes-no)."""
        if self.kind == YES_NO:
            return YES_NO_WORDS.get(text)
        return text if text in self.values else None

    def written(self) -> list[str]:
        """The values as a condition or a run file writes them."""
        return [value_text(value) for value in self.values]


#: The criteria ``conf.py`` declares, in order.
Criteria: TypeAlias = dict[str, Criterion]


def value_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# -- the criteria in conf.py -----------------------------------------------------------

def _problem(problems: list[VocabularyProblem], message: str) -> None:
    problems.append(VocabularyProblem(SETTING, message))


def _text(entry: Mapping[str, Any], name: str) -> str | None:
    value = entry.get(name)
    return value if isinstance(value, str) and value.strip() else None


def _labels(key: str, name: str, value: object,
            problems: list[VocabularyProblem]) -> dict[Value, str] | None:
    if not isinstance(value, Mapping) or not value:
        _problem(problems, f"{key!r}: {name!r} must be a non-empty dict of value key -> "
                           f"French label, not {value!r}")
        return None
    labels: dict[Value, str] = {}
    for value_key, label in value.items():
        if not isinstance(value_key, str) or not VALUE_PATTERN.match(value_key) \
                or value_key in YES_NO_WORDS:
            _problem(problems, f"{key!r}: value key {value_key!r} must be lowercase "
                               "letters, digits and hyphens (not true or false)")
            return None
        if not isinstance(label, str) or not label.strip():
            _problem(problems, f"{key!r}: the label of {value_key!r} must be non-empty text")
            return None
        labels[value_key] = label
    return labels


def _bands(key: str, entry: Mapping[str, Any],
           problems: list[VocabularyProblem]) -> tuple[dict[Value, str], tuple[int, ...]] | None:
    bands = entry.get("bands")
    labels = _labels(key, "bands", bands, problems)
    if labels is None:
        return None
    bounds = entry.get("bounds")
    if (not isinstance(bounds, list | tuple) or len(bounds) != len(labels)
            or not all(isinstance(b, int) and not isinstance(b, bool) and b >= 0
                       for b in bounds)
            or any(low >= high for low, high in pairwise(bounds))):
        _problem(problems, f"{key!r}: 'bounds' must list each band's first number, "
                           f"{len(labels)} whole numbers in increasing order (such as "
                           f"[0, 11, 50, 300]), not {bounds!r}")
        return None
    return labels, tuple(bounds)


def _criterion(key: str, entry: object,
               problems: list[VocabularyProblem]) -> Criterion | None:
    if not isinstance(entry, Mapping):
        _problem(problems, f"{key!r} needs a dict with 'label', 'question' and 'kind', "
                           f"not {entry!r}")
        return None
    label, question, kind = _text(entry, "label"), _text(entry, "question"), entry.get("kind")
    if label is None or question is None:
        _problem(problems, f"{key!r}: 'label' and 'question' must be non-empty text")
        return None
    if kind not in KINDS:
        _problem(problems, f"{key!r}: 'kind' {kind!r} is not one of {', '.join(KINDS)}")
        return None
    known = {"label", "question", "kind",
             *{YES_NO: ("yes", "no"), CHOICE: ("choices",),
               BANDS: ("bands", "bounds", "unit")}[kind]}
    unknown = sorted(str(name) for name in entry if name not in known)
    if unknown:
        _problem(problems, f"{key!r}: unknown key(s) {', '.join(map(repr, unknown))}; a "
                           f"{kind} criterion takes {', '.join(sorted(known))}")
        return None
    if kind == YES_NO:
        phrases = [entry.get(name, "") for name in ("yes", "no")]
        if not all(isinstance(phrase, str) for phrase in phrases):
            _problem(problems, f"{key!r}: 'yes' and 'no' must be text completing "
                               "« S’applique aux organisations … »")
            return None
        return Criterion(key, label, question, kind, {True: "Oui", False: "Non"},
                         yes=phrases[0], no=phrases[1])
    if kind == CHOICE:
        choices = _labels(key, "choices", entry.get("choices"), problems)
        return None if choices is None else Criterion(key, label, question, kind, choices)
    bands = _bands(key, entry, problems)
    unit = entry.get("unit", "")
    if not isinstance(unit, str):
        _problem(problems, f"{key!r}: 'unit' must be text (such as 'salariés')")
        return None
    return None if bands is None else Criterion(key, label, question, kind, bands[0],
                                                bounds=bands[1], unit=unit)


def read_criteria(value: object) -> tuple[Criteria, list[VocabularyProblem]]:
    """The criteria of ``playbook_profile``, and every problem found in them (a wrong
    criterion is left out)."""
    problems: list[VocabularyProblem] = []
    if not isinstance(value, Mapping):
        _problem(problems, f"must be a dict of criterion key -> {{'label': ..., "
                           f"'question': ..., 'kind': ...}}, not {type(value).__name__}")
        return {}, problems
    criteria: Criteria = {}
    for key, entry in value.items():
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            _problem(problems, f"key {key!r} must be lowercase letters, digits and hyphens, "
                               "starting with a letter")
            continue
        criterion = _criterion(key, entry, problems)
        if criterion is not None:
            criteria[key] = criterion
    return criteria, problems


def criteria_settings(criteria: Criteria) -> dict[str, Any]:
    """``playbook_profile`` as ``conf.py`` writes it (and the exported vocabulary)."""
    settings: dict[str, Any] = {}
    for criterion in criteria.values():
        entry: dict[str, Any] = {"label": criterion.label, "question": criterion.question,
                                 "kind": criterion.kind}
        if criterion.kind == YES_NO:
            entry.update({name: phrase for name, phrase in
                          (("yes", criterion.yes), ("no", criterion.no)) if phrase})
        elif criterion.kind == CHOICE:
            entry["choices"] = dict(criterion.values)
        else:
            entry.update({"bands": dict(criterion.values), "bounds": list(criterion.bounds)})
            if criterion.unit:
                entry["unit"] = criterion.unit
        settings[criterion.key] = entry
    return settings


# -- conditions --------------------------------------------------------------------------

ConditionProblemKind = Literal["malformed", "unknown_criterion", "unknown_value"]


class ConditionError(Exception):
    """A condition that cannot be used: ``kind`` says which mistake, ``column`` where
    (1-based, in the condition's text)."""

    def __init__(self, kind: ConditionProblemKind, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.kind = kind
        self.message = message
        self.column = column


class Condition(NamedTuple):
    """A parsed condition: its text as written (spaces normalised) and its tree."""

    text: str
    tree: Tree


TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|!=|=|<|>|\(|\))|(?P<word>[A-Za-z0-9][A-Za-z0-9_-]*)"
                   r"|(?P<other>\S))")
KEYWORDS = ("and", "or", "not")
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
NUMBER = re.compile(r"^[0-9]+$")


class _Token(NamedTuple):
    """A word or an operator of a condition, and its column (for messages)."""

    text: str
    column: int
    is_word: bool


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:  # only trailing spaces are left
            break
        kind = match.lastgroup
        column = match.start(kind) + 1 if kind else position + 1
        if kind == "other":
            raise ConditionError("malformed", f"unexpected character {match.group(kind)!r}; "
                                 "a condition uses criteria, values, = != < <= > >=, "
                                 "and, or, not and parentheses", column)
        if kind is not None:
            tokens.append(_Token(match.group(kind), column, kind == "word"))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, criteria: Criteria) -> None:
        self.text = text
        self.criteria = criteria
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def end_column(self) -> int:
        return len(self.text.rstrip()) + 1

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ConditionError("malformed", "the condition ends too early", self.end_column())
        self.position += 1
        return token

    def at(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text == text

    def condition(self) -> Tree:
        parts = [self.term()]
        while self.at("or"):
            self.take()
            parts.append(self.term())
        return _joined("any", parts)

    def term(self) -> Tree:
        parts = [self.factor()]
        while self.at("and"):
            self.take()
            parts.append(self.factor())
        return _joined("all", parts)

    def factor(self) -> Tree:
        token = self.take()
        if token.text == "not":
            return {"not": self.factor()}
        if token.text == "(":
            inner = self.condition()
            closing = self.peek()
            if closing is None or closing.text != ")":
                column = closing.column if closing else self.end_column()
                raise ConditionError("malformed", f"the parenthesis opened at column "
                                     f"{token.column} is not closed", column)
            self.take()
            return inner
        return self.atom(token)

    def atom(self, token: _Token) -> Tree:
        if not token.is_word or token.text in KEYWORDS:
            raise ConditionError("malformed", f"expected a criterion, found {token.text!r}",
                                 token.column)
        criterion = self.criteria.get(token.text)
        if criterion is None:
            known = ", ".join(self.criteria) or "none: playbook_profile declares none"
            raise ConditionError("unknown_criterion", f"unknown criterion {token.text!r}; "
                                 f"the criteria are {known} (playbook_profile in conf.py)",
                                 token.column)
        operator = self.peek()
        if operator is None or operator.text not in COMPARISONS:
            if criterion.kind != YES_NO:
                raise ConditionError("malformed", f"{criterion.key!r} is not a yes-no "
                                     "criterion: compare it, as in "
                                     f"{_example(criterion)}", token.column)
            return {"crit": criterion.key, "in": [True]}
        self.take()
        value = self.take()
        if value.text in KEYWORDS or not value.is_word:
            raise ConditionError("malformed", f"expected a value after {operator.text!r}, "
                                 f"found {value.text!r}", value.column)
        if operator.text in ("=", "!="):
            chosen = criterion.value_of(value.text)
            if chosen is None:
                raise ConditionError("unknown_value", f"{criterion.key!r} has no value "
                                     f"{value.text!r}; its values are "
                                     f"{', '.join(criterion.written())}", value.column)
            matching = [chosen] if operator.text == "=" else [
                other for other in criterion.values if other != chosen]
            return {"crit": criterion.key, "in": matching}
        return self.comparison(criterion, operator, value)

    def comparison(self, criterion: Criterion, operator: _Token, value: _Token) -> Tree:
        if criterion.kind != BANDS:
            raise ConditionError("malformed", f"{operator.text!r} compares numbers: "
                                 f"{criterion.key!r} is a {criterion.kind} criterion; "
                                 f"write {criterion.key} = VALUE", operator.column)
        if not NUMBER.match(value.text):
            raise ConditionError("malformed", f"{operator.text!r} needs a number, found "
                                 f"{value.text!r}", value.column)
        number = int(value.text)
        bands = list(criterion.values)
        firsts = list(criterion.bounds)
        if operator.text in (">=", "<"):
            if number not in firsts:
                raise ConditionError("unknown_value", f"{criterion.key} {operator.text} "
                                     f"{number}: bands start at "
                                     f"{', '.join(map(str, firsts))}; compare with one of "
                                     "these", value.column)
            split = firsts.index(number)
        else:
            lasts = [first - 1 for first in firsts[1:]]
            if number not in lasts:
                raise ConditionError("unknown_value", f"{criterion.key} {operator.text} "
                                     f"{number}: bands end at "
                                     f"{', '.join(map(str, lasts))} (they start at "
                                     f"{', '.join(map(str, firsts))}); compare with one of "
                                     "these, or use >= or <", value.column)
            split = lasts.index(number) + 1
        matching = bands[split:] if operator.text in (">=", ">") else bands[:split]
        if not matching:
            raise ConditionError("unknown_value", f"{criterion.key} {operator.text} "
                                 f"{number} is never true: no band matches", value.column)
        return {"crit": criterion.key, "in": matching}


def _example(criterion: Criterion) -> str:
    if criterion.kind == BANDS and len(criterion.bounds) > 1:
        return f"'{criterion.key} >= {criterion.bounds[-2]}'"
    return f"'{criterion.key} = {next(iter(criterion.written()), 'VALUE')}'"


def _joined(operator: str, parts: list[Tree]) -> Tree:
    if len(parts) == 1:
        return parts[0]
    flat: list[Tree] = []
    for part in parts:
        flat.extend(part.get(operator, [part]))
    return {operator: flat}


def parse_condition(text: str, criteria: Criteria) -> Condition:
    """The condition ``text`` over ``criteria``; :class:`ConditionError` if malformed or
    naming a criterion or value ``conf.py`` does not declare."""
    if not text.strip():
        raise ConditionError("malformed", "the condition is empty; write for example "
                             "'headcount >= 50' or remove the field", 1)
    parser = _Parser(text, criteria)
    tree = parser.condition()
    extra = parser.peek()
    if extra is not None:
        hint = " (join conditions with 'and' or 'or')" if extra.text not in (")",) else \
            " (no parenthesis is open)"
        raise ConditionError("malformed", f"unexpected {extra.text!r}{hint}", extra.column)
    return Condition(" ".join(text.split()), tree)


# -- evaluation ------------------------------------------------------------------------

def evaluate(tree: Tree, profile: Mapping[str, Value]) -> bool | None:
    """True, False, or None when the profile does not say (three-valued logic)."""
    if "crit" in tree:
        value = profile.get(tree["crit"])
        return None if value is None else value in tree["in"]
    if "not" in tree:
        inner = evaluate(tree["not"], profile)
        return None if inner is None else not inner
    results = [evaluate(part, profile) for part in tree["all" if "all" in tree else "any"]]
    decisive = "all" not in tree  # True decides an "any", False an "all"
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def applies(tree: Tree | None, profile: Mapping[str, Value]) -> bool:
    """Whether a question applies: unless its condition is definitely false."""
    return tree is None or evaluate(tree, profile) is not False


# -- in words --------------------------------------------------------------------------

def _negated(tree: Tree, criteria: Criteria) -> Tree:
    """``tree`` with every ``not`` pushed down onto the atoms (De Morgan)."""
    if "crit" in tree:
        return tree
    if "not" in tree:
        inner = tree["not"]
        if "not" in inner:
            return _negated(inner["not"], criteria)
        if "crit" in inner:
            criterion = criteria.get(inner["crit"])
            values = list(criterion.values) if criterion else []
            return {"crit": inner["crit"], "in": [v for v in values if v not in inner["in"]]}
        flipped = "any" if "all" in inner else "all"
        return {flipped: [_negated({"not": part}, criteria)
                          for part in inner["all" if "all" in inner else "any"]]}
    operator = "all" if "all" in tree else "any"
    return {operator: [_negated(part, criteria) for part in tree[operator]]}


def _band_words(criterion: Criterion, values: list[Value]) -> str:
    """Runs of contiguous bands, as « de 50 salariés ou plus »."""
    bands = list(criterion.values)
    chosen = sorted(bands.index(value) for value in values if value in bands)
    runs: list[tuple[int, int]] = []
    for index in chosen:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    unit = f" {criterion.unit}" if criterion.unit else ""
    words = []
    for first, last in runs:
        low = criterion.bounds[first]
        if last == len(bands) - 1:
            words.append(f"de {low}{unit} ou plus" if low else "de toute taille")
        elif first == 0 and low == 0:
            words.append(f"de moins de {criterion.bounds[last + 1]}{unit}")
        else:
            words.append(f"de {low} à {criterion.bounds[last + 1] - 1}{unit}")
    return " ou ".join(words)


def _atom_words(tree: Tree, criteria: Criteria) -> str:
    criterion = criteria.get(tree["crit"])
    if criterion is None:
        return f"pour lesquelles « {tree['crit']} » vaut {', '.join(map(str, tree['in']))}"
    values: list[Value] = list(tree["in"])
    if criterion.kind == YES_NO and len(values) == 1:
        phrase = criterion.yes if values[0] else criterion.no
        if phrase:
            return phrase
    if criterion.kind == BANDS and criterion.unit:
        return _band_words(criterion, values)
    labels = [f"« {criterion.values.get(value, value_text(value))} »" for value in values]
    shown = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " ou " + labels[-1]
    return f"pour lesquelles « {criterion.label} » vaut {shown}" if labels else \
        f"pour lesquelles « {criterion.label} » n’a aucune valeur"


def _words(tree: Tree, criteria: Criteria, nested: bool) -> str:
    if "crit" in tree:
        return _atom_words(tree, criteria)
    operator = "all" if "all" in tree else "any"
    joined = (" et " if operator == "all" else " ou ").join(
        _words(part, criteria, True) for part in tree[operator])
    return f"({joined})" if nested else joined


def describe(tree: Tree, criteria: Criteria) -> str:
    """The condition in French: « S’applique aux organisations de 50 salariés ou plus
    et qui ont un réseau social interne. »"""
    return f"S’applique aux organisations {_words(_negated(tree, criteria), criteria, False)}."

"""Text from a run file, made safe for the programs that show it.

A run file is written by hand or by another tool: its text may hold control characters
(ESC starts a terminal's escape sequences), bidirectional overrides, or cells a
spreadsheet runs as formulas. Every way out of the command line goes through here:

- :func:`shown` for a terminal, a Markdown export and a CSV export: each unsafe
  character becomes a visible escape (``\\x1b``, ``\\u202e``), so nothing is lost and
  nothing is interpreted; :func:`shown_path` for a file's name in a message or a
  build warning (a file may be named with ESC, a line break or a bidi override too);
- :func:`json_safe` for JSON: the same characters as JSON ``\\u`` escapes (the value
  read back is unchanged);
- :func:`spreadsheet_cell` for CSV: OWASP's CSV-injection rule on top of :func:`shown`.

:func:`unwritable` says which text cannot be written to a UTF-8 file at all (the
undecodable bytes Python keeps as lone surrogates), for the checks before a write.
"""

from __future__ import annotations

import functools
import os
import re

#: What never reaches a terminal raw: C0 controls (but tab and line breaks, see
#: :func:`shown`), DEL, C1 controls (``\x9b`` is a second ESC [ on many terminals),
#: the Unicode line and paragraph separators, the bidirectional embeddings, overrides
#: and isolates (text that shows in another order than it is stored), and lone
#: surrogates (bytes that were not UTF-8). A character class, compiled on first use by
#: :func:`unsafe_pattern`.
UNSAFE_CHARACTERS = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
#: Characters a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


@functools.cache
def unsafe_pattern(*, one_line: bool = False) -> re.Pattern[str]:
    """:data:`UNSAFE_CHARACTERS` compiled; with ``one_line``, tab, line feed and carriage
    return too (for a text shown on one line). Compiled when first needed, not at import:
    a class of characters past U+00FF takes about a millisecond to compile, twice, at
    every start of the command, and most texts never need it (:func:`shown`)."""
    return re.compile(f"[\t\n\r]|{UNSAFE_CHARACTERS}" if one_line else UNSAFE_CHARACTERS)


@functools.cache
def surrogate_pattern() -> re.Pattern[str]:
    """A lone surrogate: a byte that was not UTF-8, kept by Python's ``surrogateescape``.
    Compiled when first needed, as :func:`unsafe_pattern` (2 M instructions: the range
    is past U+00FF); reading a run never needs it."""
    return re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if character in ESCAPES:
        return ESCAPES[character]
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, one_line: bool = True) -> str:
    """``text`` with every unsafe character written as a visible escape; with
    ``one_line``, line breaks and tabs too (a field shown on one line of a list)."""
    if text.isprintable():  # most texts, at C speed: every unsafe character is not printable
        return text
    pattern = unsafe_pattern(one_line=one_line)
    return pattern.sub(_escape, text)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as a message names it: on one line, every unsafe character (and a byte
    of the name that was not UTF-8) a visible escape, as :func:`shown` writes values."""
    return shown(os.fspath(path))


def json_safe(json_text: str) -> str:
    """A JSON document (``ensure_ascii=False``) whose unsafe characters are ``\\u``
    escapes: the same values, nothing a terminal interprets."""
    return unsafe_pattern().sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


def spreadsheet_cell(text: str, *, raw: bool = False) -> str:
    """One CSV cell: unsafe characters escaped (line breaks kept: CSV quotes them);
    unless ``raw``, a cell a spreadsheet would run as a formula starts with ``'``."""
    cell = shown(text, one_line=False)
    if not raw and text.startswith(FORMULA_START):
        return "'" + cell
    return cell


def unwritable(text: str) -> str | None:
    """The undecodable bytes of ``text``, shown (``\\xe9``), when it holds any; None when
    it can be written as UTF-8."""
    found = dict.fromkeys(surrogate_pattern().findall(text))
    if not found:
        return None
    return ", ".join(shown(byte) for byte in found)

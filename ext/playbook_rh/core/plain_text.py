"""An item's guidance, written in MyST Markdown, as plain text for a terminal.

``needs.json`` holds the guidance as its authors wrote it: roles such as
``{term}`RGPD``` or ``{fact}`près de 347 millions <aquent-2015>``` and Markdown
emphasis and links. ``playbook-rh run`` prints what a reader of the site sees: the
role's text without its target, a link's text with its address.
"""

from __future__ import annotations

import re

#: A MyST role: ``{name}`content```; the content may end with ``<target>`` (a term,
#: a document, a fact's source and date), which the reader does not see.
ROLE = re.compile(r"\{[A-Za-z][\w:.-]*\}`(?P<content>[^`]*)`")
TARGET = re.compile(r"^(?P<text>.*?)\s*<[^<>]*>$", re.DOTALL)
#: ``[text](address)``: shown as "text (address)".
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<address>[^)\s]+)\)")
#: ``**strong**`` and ``*emphasis*`` around words (underscores are left: they also
#: join words).
EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(?P<text>.+?)(?<=\S)\1")
CODE = re.compile(r"`(?P<text>[^`]+)`")


def _role_text(match: re.Match[str]) -> str:
    content = match["content"]
    target = TARGET.match(content)
    if target is not None and target["text"]:
        return target["text"]
    return content


def plain_text(markdown: str) -> str:
    """``markdown`` with its roles, links, emphasis and code marks read as text."""
    text = ROLE.sub(_role_text, markdown)
    text = LINK.sub(lambda match: f"{match['text']} ({match['address']})", text)
    text = CODE.sub(lambda match: match["text"], text)
    return EMPHASIS.sub(lambda match: match["text"], text)

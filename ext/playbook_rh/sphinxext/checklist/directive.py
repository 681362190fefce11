"""The ``checklist`` directive: a Markdown task list in, one need per item out.

    ```{checklist}
    :phase: recruitment
    :owner: hr

    - [ ] REC-01 Avez-vous une stratégie de recrutement sur LinkedIn ?
      :owner: hr, marketing
      :links: PRE-01

      Pourquoi la question compte, à quoi ressemble une bonne réponse.
    ```

The directive gives the phase and the default owner role; each item carries its own
stable ID and may override its owner(s), add tags, link to other items, name the IDs
it replaces and carry indented guidance. Every problem is a located ``checklist``
warning; the bad part is dropped and the rest of the checklist still renders.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from myst_parser.mocking import MockState
from sphinx.util.docutils import SphinxDirective

from playbook_rh.core.vocabulary import ID_PATTERN, Phase, Vocabulary
from playbook_rh.sphinxext.checklist.applies import read_condition
from playbook_rh.sphinxext.checklist.includes import note_included_item, read_from
from playbook_rh.sphinxext.checklist.nodes import checklist, checklist_item
from playbook_rh.sphinxext.checklist.parsing import (
    ParsedItem,
    looks_like_an_id,
    parse_checklist,
    split_list,
    unusual_characters,
)
from playbook_rh.sphinxext.checklist.raw_html import warn_raw_html
from playbook_rh.sphinxext.config import vocabulary
from playbook_rh.sphinxext.domain import ItemRecord, playbook_domain
from playbook_rh.sphinxext.needs import NeedRejected, add_question
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, warn

NEED_TYPE = "question"
#: Characters that may start inline markup: a question without any is plain text.
INLINE_MARKUP = re.compile(r"[*_`\[\]{}<>\\&!$~|\"]|https?:|www\.")
#: What starts a Markdown block other than a paragraph (or a target, or a comment).
BLOCK_START = re.compile(r"[#>*+=_|:~`$<\[(%\t-]|\d{1,9}[.)](?:\s|$)")
#: Markdown inline syntax, and the hard line break (a backslash, or two trailing spaces).
MARKDOWN_IN_TEXT = re.compile(INLINE_MARKUP.pattern + r"|\t")
MARKDOWN_IN_TEXT_QUOTES = re.compile(MARKDOWN_IN_TEXT.pattern + "|'")
#: MyST extensions that change plain words (these pages go through the parser).
REWRITES_PLAIN_TEXT = frozenset({"replacements", "linkify", "substitution"})
#: MyST's mocked state counts the lines it is given for nested and inline parses from 0.
MYST_LINE_SHIFT = -1


class ChecklistDirective(SphinxDirective):
    has_content = True
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "phase": directives.unchanged,
        "owner": directives.unchanged,
        "status": directives.unchanged,
        "class": directives.class_option,
    }

    @property
    def _is_myst(self) -> bool:
        return isinstance(self.state, MockState)

    def _line(self, index: int) -> int:
        """The 1-based source line of body line ``index``.

        MyST counts ``content_offset`` from the directive's own line and numbers the
        body lines from 0; docutils gives absolute offsets for both.
        """
        if self._is_myst:
            return int(self.lineno) + int(self.content_offset) + index + 1
        return int(self.content.items[index][1]) + 1

    def _option_location(self, name: str) -> tuple[str, int]:
        """Where option ``name`` is written, else the directive's line.

        The block text starts on the directive's line (docutils: ``.. checklist::``;
        MyST: what follows ``{checklist}`` on the fence line).
        """
        for offset, line in enumerate(self.block_text.splitlines()):
            if line.strip().startswith(f":{name}:"):
                return (self.env.docname, self.lineno + offset)
        return self._location()

    def _parse_offset(self, index: int) -> int:
        """The ``input_offset`` for ``nested_parse`` of a block starting at ``index``."""
        if self._is_myst:
            return self._line(index) - int(self.lineno) + MYST_LINE_SHIFT
        return self._line(index) - 1

    def _location(self, index: int | None = None) -> tuple[str, int]:
        return (self.env.docname, self.lineno if index is None else self._line(index))

    def run(self) -> list[nodes.Node]:
        with read_from(self.get_source_info()[0], self.env):
            return self._read()

    def _read(self) -> list[nodes.Node]:
        vocab = vocabulary(self.config)
        phase = self._phase(vocab)
        if phase is None:
            return []
        default_owners = self._owners(
            self.options.get("owner", ""), vocab, self._option_location("owner"), ""
        )
        default_status = self._status(
            self.options.get("status"), vocab, self._option_location("status")
        )

        # What sphinx-needs would otherwise work out again for every item.
        page = self.env.doc2path(self.env.docname)
        self._doctype = os.path.splitext(page)[1]
        # Worked out once a checklist, not once an item: where its items are written
        # (their page, or a file the page includes), the domain, the application.
        self._source = self.get_source_info()[0]
        self._included = bool(self._source) and (
            os.path.normpath(self._source) != os.path.normpath(page))
        self._domain = playbook_domain(self.env)
        self._app = self.env.app
        lines = list(self.content)
        items, problems = parse_checklist(lines)
        for problem in problems:
            warn(problem.kind, problem.message, self._location(problem.index))
        if not items and not any(
            problem.kind is not ChecklistWarning.UNKNOWN_FIELD for problem in problems
        ):
            warn(
                ChecklistWarning.EMPTY,
                f"checklist of phase {phase.key!r} has no item; add lines such as "
                f"'- [ ] {phase.prefix}-01 question'",
                self._location(),
            )
            return []

        container = checklist(phase=phase.key, classes=self.options.get("class", []))
        self.set_source_info(container)
        rendered: list[tuple[ParsedItem, checklist_item]] = []
        for item in items:
            item_node = self._item(item, phase, vocab, default_owners, default_status)
            if item_node is not None:
                container += item_node
                rendered.append((item, item_node))
        parsed = self._parse_guidance(lines, rendered)
        for position, (item, item_node) in enumerate(rendered):
            # Raw HTML comes from the parser only: plain questions and plain guidance
            # (most items) have none to look for.
            if position in parsed or INLINE_MARKUP.search(item.question):
                warn_raw_html(item.id, item_node, self.env.docname)
        return [container]

    def _phase(self, vocab: Vocabulary) -> Phase | None:
        key = self.options.get("phase", "").strip()
        if key in vocab.phases:
            return vocab.phases[key]
        known = ", ".join(vocab.phases)
        message = (
            f"checklist with unknown phase {key!r}" if key else "checklist without a phase"
        )
        warn(
            ChecklistWarning.UNKNOWN_PHASE,
            f"{message}: give ':phase:' one of {known} (declared in playbook_phases)",
            self._option_location("phase"),
        )
        return None

    def _owners(
        self, value: str, vocab: Vocabulary, location: tuple[str, int], item_id: str
    ) -> list[str]:
        owners: list[str] = []
        for owner in split_list(value):
            if owner in vocab.owners:
                owners.append(owner)
            else:
                subject = f"item {item_id}" if item_id else "checklist"
                warn(
                    ChecklistWarning.UNKNOWN_OWNER,
                    f"{subject}: unknown owner role {owner!r}; use one of "
                    f"{', '.join(vocab.owners)} (declared in playbook_owners)",
                    location,
                )
        return owners

    def _status(
        self, value: str | None, vocab: Vocabulary, location: tuple[str, int]
    ) -> str | None:
        if value is None:
            return None
        status = value.strip()
        if status in vocab.statuses:
            return status
        warn(
            ChecklistWarning.UNKNOWN_STATUS,
            f"unknown status {status!r}; use one of {', '.join(vocab.statuses)} "
            "(declared in playbook_statuses)",
            location,
        )
        return None

    def _ids(self, item: ParsedItem, name: str) -> list[str]:
        value, index = item.fields.get(name, ("", item.index))
        ids: list[str] = []
        for target in split_list(value):
            if ID_PATTERN.match(target):
                ids.append(target)
            else:
                warn(
                    ChecklistWarning.LOOKALIKE_ID if looks_like_an_id(target)
                    else ChecklistWarning.MALFORMED_ID,
                    f"item {item.id}: ':{name}:' names {target!r}, which is not an ID; "
                    "write IDs such as 'REC-03', separated by commas"
                    + (f" (it holds {odd})" if (odd := unusual_characters(target)) else ""),
                    self._location(index),
                )
        return ids

    def _item(
        self,
        item: ParsedItem,
        phase: Phase,
        vocab: Vocabulary,
        default_owners: list[str],
        default_status: str | None,
    ) -> checklist_item | None:
        lineno = self._line(item.index)
        location = (self.env.docname, lineno)
        prefix = item.id.split("-", 1)[0]
        if prefix != phase.prefix:
            owner_phase = vocab.phase_of_prefix(prefix)
            hint = f" (the prefix of phase {owner_phase.key!r})" if owner_phase else ""
            warn(
                ChecklistWarning.PREFIX_MISMATCH,
                f"item {item.id} is in a checklist of phase {phase.key!r}, whose IDs start "
                f"with '{phase.prefix}-'{hint}; renumber it or move it to its phase",
                location,
            )
            return None

        owners = default_owners
        if "owner" in item.fields:
            value, index = item.fields["owner"]
            owners = self._owners(value, vocab, self._location(index), item.id)
        elif not owners and not self.options.get("owner"):
            warn(
                ChecklistWarning.UNKNOWN_OWNER,
                f"item {item.id} has no owner role: give the checklist an ':owner:' option "
                "or the item an ':owner:' field",
                location,
            )
        status = default_status
        if "status" in item.fields:
            value, index = item.fields["status"]
            status = self._status(value, vocab, self._location(index)) or status
        links = self._ids(item, "links")
        replaces = self._ids(item, "replaces")
        tags = split_list(item.fields.get("tags", ("", 0))[0])
        applies = ""
        if "applies" in item.fields:
            value, index = item.fields["applies"]
            condition = read_condition(self._app, value, item.id, self._location(index))
            applies = condition.text if condition is not None else ""

        if self._included:
            note_included_item(self.env, item.id, lineno, self._source)
        self._domain.add_item(ItemRecord(item.id, self.env.docname, lineno, phase.key, tuple(links),
                                   item.question, tuple(owners),
                                   status or vocab.default_status, tuple(tags),
                                   tuple(replaces), applies))
        is_duplicate = False
        need_nodes: list[nodes.Node] = []
        try:
            need_nodes = add_question(
                self._app,
                self.state,
                self.env.docname,
                lineno,
                need_type=NEED_TYPE,
                title=item.question,
                id=item.id,
                content="\n".join(text for text, _ in item.guidance),
                status=status or vocab.default_status,
                tags=tags,
                hide=True,  # the checklist item below is the rendering, not a need box
                doctype=self._doctype,
                # Every value is already of its field's type, and a question is literal
                # text: no parsing of strings for dynamic functions or variants.
                allow_type_coercion=False,
                # sphinx-needs' defaults, given as values: it would deep-copy each default
                constraints=[],
                collapse=False,
                parent_needs=[],
                phase=phase.key,
                phase_label=phase.label,
                phase_order=phase.order,
                owner=owners,
                owner_labels=[vocab.owners[owner] for owner in owners],
                links=links,
                replaces=replaces,
                applies=applies,
            )
        except NeedRejected as error:
            if error.kind == "duplicate_id":
                # Reported once for every build mode by the consistency check.
                is_duplicate = True
            else:
                warn(
                    ChecklistWarning.REJECTED,
                    f"item {item.id} could not be recorded: {error.message}",
                    location,
                )
                return None
        item_node = self._render(item, phase, owners, lineno, is_duplicate)
        if applies:
            item_node["applies"] = applies
        # sphinx-needs' hidden node, after the item's first line: sphinx-needs walks up
        # from its previous sibling to find the item's sections, then removes it.
        item_node[1:1] = need_nodes
        return item_node

    def _render(
        self,
        item: ParsedItem,
        phase: Phase,
        owners: list[str],
        lineno: int,
        is_duplicate: bool,
    ) -> checklist_item:
        node: checklist_item = checklist_item(
            ids=[] if is_duplicate else [item.id],
            item_id=item.id,
            phase=phase.key,
            owners=owners,
        )
        node.source, node.line = self._source, lineno

        # The question only: the box, the ID link and the owner line are added when
        # the page is written (items.complete_items).
        head = nodes.paragraph(classes=["playbook-item-head"])
        question = nodes.inline(ids=[f"question-{item.id}"], classes=["playbook-question"])
        if INLINE_MARKUP.search(item.question):
            inline_nodes, messages = self.parse_inline(
                item.question, lineno=lineno + (MYST_LINE_SHIFT if self._is_myst else 0)
            )
            question += inline_nodes
            node += messages
        else:  # plain text, most questions: no parser needed
            question += nodes.Text(item.question)
        head += question
        node.insert(0, head)
        return node

    def _parse_guidance(self, lines: list[str], rendered: list[tuple[ParsedItem, checklist_item]],
                        ) -> set[int]:
        """Give every item its guidance, parsing the Markdown of all items in one pass;
        return the positions (in ``rendered``) of the items whose guidance was parsed.

        Guidance in plain sentences becomes paragraphs directly (:meth:`_plain_paragraphs`).
        The rest is parsed in one pass of the Markdown parser: the body with every other
        line blanked, so line numbers stay right and items stay apart; each top-level
        node goes to the item whose lines it starts on. Should a block run over into the
        next item (an unclosed code fence), each of these items is parsed on its own.
        """
        blocks: dict[int, list[nodes.Node]] = {}
        to_parse: list[int] = []
        changed_by_markdown = self._changed_by_markdown()
        for position, (item, _node) in enumerate(rendered):
            if not item.guidance:
                continue
            paragraphs = (self._plain_paragraphs(item, changed_by_markdown)
                          if changed_by_markdown is not None else None)
            if paragraphs is None:
                to_parse.append(position)
            else:
                blocks[position] = paragraphs
        if to_parse:
            blocks.update(self._parse_markdown(lines, rendered, to_parse))
        for position, block in sorted(blocks.items()):
            guidance = nodes.container(classes=["playbook-item-guidance"])
            guidance.extend(block)
            # before the links and back-links added when the page is written
            item_node = rendered[position][1]
            item_node += guidance
        return set(to_parse)

    def _parse_markdown(self, lines: list[str], rendered: list[tuple[ParsedItem, checklist_item]],
                        positions: list[int]) -> dict[int, list[nodes.Node]]:
        text = [""] * len(lines)
        owner_of_line: dict[int, int] = {}
        for position in positions:
            for line_text, index in rendered[position][0].guidance:
                text[index] = line_text
                owner_of_line[self._line(index)] = position
        first = rendered[positions[0]][0].guidance[0][1]
        last = rendered[positions[-1]][0].guidance[-1][1]
        parsed = nodes.container()
        self._nested_parse(text[first:last + 1], first, parsed)
        blocks: dict[int, list[nodes.Node]] = {position: [] for position in positions}
        current = positions[0]
        for child in parsed.children:
            line = child.line if isinstance(child, nodes.Element) else None
            if line is not None and line in owner_of_line:
                current = owner_of_line[line]
            blocks[current].append(child)
        if any(not block for block in blocks.values()):
            for position, block in blocks.items():
                item = rendered[position][0]
                block[:] = []
                self._nested_parse([t for t, _ in item.guidance], item.guidance[0][1],
                                   container := nodes.container())
                block.extend(container.children)
        return blocks

    def _changed_by_markdown(self) -> re.Pattern[str] | None:
        """What in a line of text the page's Markdown would turn into something else.

        ``None`` when Markdown changes plain words too (typographic replacements,
        links found in text, substitutions): then all guidance goes to the parser.
        """
        if not self._is_myst:
            return None
        renderer = getattr(self.state, "_renderer", None)
        extensions = set(getattr(getattr(renderer, "md_config", None), "enable_extensions",
                                 None) or self.config.myst_enable_extensions)
        if extensions & REWRITES_PLAIN_TEXT:
            return None
        return MARKDOWN_IN_TEXT_QUOTES if "smartquotes" in extensions else MARKDOWN_IN_TEXT

    def _plain_paragraphs(self, item: ParsedItem, changed_by_markdown: re.Pattern[str],
                          ) -> list[nodes.Node] | None:
        """The guidance as paragraphs, as the Markdown parser would make them, when it
        is plain sentences (no markup, no line starting a block); else ``None``.

        Most guidance is a sentence or two: this spares the parser a pass per page.
        """
        paragraphs: list[nodes.Node] = []
        source = self.state.document["source"]
        lines: list[tuple[str, int]] = []
        for text, index in [*item.guidance, ("", -1)]:
            if text:
                if text != text.strip() or BLOCK_START.match(text) or changed_by_markdown.search(
                    text
                ):
                    return None
                lines.append((text, index))
                continue
            if not lines:
                continue
            paragraph = nodes.paragraph("\n".join(line for line, _ in lines))
            for number, (line, _index) in enumerate(lines):
                if number:
                    paragraph += nodes.Text("\n")
                paragraph += nodes.Text(line)
            paragraph.line, paragraph.source = self._line(lines[0][1]), source
            paragraphs.append(paragraph)
            lines = []
        return paragraphs

    def _nested_parse(self, text: list[str], first_index: int, parent: nodes.Element) -> None:
        source = self.env.doc2path(self.env.docname)
        block = StringList(text, items=[(source, self._line(first_index + offset) - 1)
                                        for offset in range(len(text))])
        self.state.nested_parse(block, self._parse_offset(first_index), parent)

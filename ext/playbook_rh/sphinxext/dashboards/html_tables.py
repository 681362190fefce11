"""sphinx-needs' ``needtable``, its rows written straight to HTML.

sphinx-needs builds every cell of a needtable as docutils nodes (an entry, a paragraph,
a reference, text) that the HTML writer, the search index and the typography pass then
walk again, one by one. At thousands of questions that is the dashboards' main cost.
For an HTML builder, this module draws the tables whose columns are plain fields
(the ``id`` linked to its item, ``title``, ``owner_labels``, ...) itself, before
sphinx-needs' handler: the table, its column widths and its header stay docutils nodes,
built as sphinx-needs builds them, and the rows are written as the HTML they would
have become. Filtering, sorting and the ``max_items`` cap are sphinx-needs' own
functions, so the rows are the same, in the same order, with the same warnings.

Anything else (link columns, ``show_parts``, ``style_row``, a caption, the filters
shown, string-link fields, another builder) is left to sphinx-needs.
``tests/test_html_tables.py`` checks that both give the same HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx_needs.config import NeedsSphinxConfig
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.needtable import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_PAGE_SIZES,
    HAS_INTERACTIVE_TABLE,
    Needtable,
    NeedtableHeader,
    NeedtableTable,
    validate_page_size,
    validate_page_sizes,
)
from sphinx_needs.directives.utils import no_needs_found_paragraph, report_max_items
from sphinx_needs.filter_common import apply_max_items, process_filters, sort_key
from sphinx_needs.logging import get_logger, log_warning
from sphinx_needs.need_item import NeedItem
from sphinx_needs.needs_schema import FieldsSchema, LinkSchema
from sphinx_needs.string_links import string_link_field_names
from sphinx_needs.utils import check_and_calc_base_url_rel_path

from playbook_rh.sphinxext.typography import french, treats_french

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx_needs.need_item import NeedPartItem

LOGGER = get_logger(__name__)

#: What the HTML writer escapes in text (docutils' ``special_characters``).
HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;",
                           "@": "&#64;"})
#: The separator sphinx-needs puts between the values of a list field.
LIST_SEPARATOR = "<em>; </em>"


class needtable_rows(nodes.Element):
    """The body rows of a needtable, already written as HTML (one string per row,
    without the ``<tr>`` tag, which takes the writer's odd/even class)."""


def visit_rows_html(translator: HTML5Translator, node: needtable_rows) -> None:
    indices: list[int] = translator._table_row_indices
    for row_id, row_classes, attributes, cells in node["rows"]:
        indices[-1] += 1
        parity = "row-even" if indices[-1] % 2 == 0 else "row-odd"
        translator.body.append(
            f'<tr class="{row_classes} {parity}" data-need-id="{_escape(row_id)}"'
            f"{attributes}>{cells}</tr>\n"
        )
    raise nodes.SkipNode


def _escape(text: str) -> str:
    """Text or an attribute value, escaped as the HTML writer escapes both."""
    return text.translate(HTML_TEXT)


class _Unsupported(Exception):
    """A table this module does not draw: sphinx-needs draws it."""


def _style(node: Needtable, config: NeedsSphinxConfig) -> str:
    style = str(node["style"])
    if style == "" or style.upper() not in ("TABLE", "DATATABLES"):
        return config.table_style.upper() if config.table_style else "DATATABLES"
    return style.upper()


def _link_columns(schema: FieldsSchema) -> set[str]:
    """The column names sphinx-needs draws as links, named as its needtable names them."""
    names = {"INCOMING", "OUTGOING"}
    for link in schema.iter_link_fields():
        names.update((link.name.upper(), link.name.upper() + "_BACK",
                      link.display.incoming.upper(), link.display.outgoing.upper()))
    return names


def _check_supported(node: Needtable, schema: FieldsSchema,
                     config: NeedsSphinxConfig) -> None:
    """Raise ``_Unsupported`` for what sphinx-needs must draw itself (decided before
    filtering, so a filter's warnings are given once)."""
    if not config.include_needs:
        raise _Unsupported("needs not included")
    if node.get("show_parts") or node.get("style_row") or node.get("caption"):
        raise _Unsupported("parts, row styles or caption")
    if node.get("show_filters"):
        raise _Unsupported("filters shown")
    links = _link_columns(schema)
    string_links = string_link_field_names(config)
    for option, _title in node["columns"]:
        if option in ("ID", "TITLE"):
            continue
        if option in links:
            raise _Unsupported(f"link column {option}")
        if option.lower() in string_links:
            raise _Unsupported(f"string-link column {option}")


def _skeleton(node: Needtable, schema: FieldsSchema, config: NeedsSphinxConfig, style: str,
              ) -> tuple[NeedtableTable, nodes.tbody]:
    """The table, its column widths and its header row, as sphinx-needs builds them."""
    attributes = node.attributes
    classes = [f"NEEDS_{style}", "colwidths-given", *attributes["classes"]]
    if style != "TABLE":
        classes.extend(config.table_classes)
    table = NeedtableTable(classes=classes, ids=[node["ids"][0] + "-table_node"])
    if style != "TABLE":
        page_size = (attributes.get("page_size")
                     or validate_page_size(config.table_page_size) or DEFAULT_PAGE_SIZE)
        page_sizes = validate_page_sizes(config.table_page_sizes) or list(DEFAULT_PAGE_SIZES)
        table["html_attributes"] = {
            "data-needstable-page-size": str(page_size),
            "data-needstable-page-sizes": ",".join(str(size) for size in page_sizes),
        }
    columns: Sequence[tuple[str, str]] = attributes["columns"]
    group = nodes.tgroup(cols=len(columns))
    widths = attributes["colwidths"]
    for index, (option, _title) in enumerate(columns):
        if widths:
            group += nodes.colspec(colwidth=widths[index])
        else:
            group += nodes.colspec(colwidth=15 if option == "TITLE" else 5)
    headers = []
    for option, title in columns:
        key = option.lower()
        html_attributes = {"scope": "col", "data-col": key}
        field = schema.get_any_field(key)
        if field is not None and not isinstance(field, LinkSchema) and field.type in (
            "integer", "number"
        ):
            html_attributes["data-type"] = "number"
        headers.append(NeedtableHeader("", nodes.paragraph("", title),
                                       classes=[f"needs_col_{key}"],
                                       html_attributes=html_attributes))
    group += nodes.thead("", nodes.row("", *headers))
    body = nodes.tbody()
    group += body
    table += group
    table.line = attributes["lineno"]
    return table, body


def _cell(app: Sphinx, fromdocname: str, need: NeedItem | NeedPartItem, key: str,
          make_ref: bool, prefix: str, typography: bool) -> str:
    """One ``<td>``, as sphinx-needs' ``row_col_maker`` and the HTML writer make it."""
    cell_classes = [f"needs_{key}"]
    parts: list[str] = []
    value = need.get(key)
    if value is not None:
        data = list(value) if isinstance(value, list | set) else [value]
        for index, datum in enumerate(data):
            text = prefix + str(datum)
            shown = _escape(french(text) if typography else text)
            href = ""
            link_classes = "reference internal"
            if make_ref:
                if need["is_external"]:
                    assert need["external_url"] is not None
                    href = check_and_calc_base_url_rel_path(need["external_url"], fromdocname)
                    link_classes += f" {need['external_css']}"
                    cell_classes.append(need["external_css"])
                elif docname := need["docname"]:
                    href = app.builder.get_relative_uri(fromdocname, docname) + "#" + str(datum)
            if href:
                parts.append(f'<a class="{link_classes}" href="{_escape(href)}">{shown}</a>')
            else:
                parts.append(shown)
            if index + 1 < len(data):
                parts.append(LIST_SEPARATOR)
    return f'<td class="{_escape(" ".join(cell_classes))}"><p>{"".join(parts)}</p></td>\n'


def _rows(app: Sphinx, fromdocname: str, needs: list[NeedItem | NeedPartItem],
          columns: Sequence[tuple[str, str]], config: NeedsSphinxConfig,
          ) -> list[tuple[str, str, str, str]]:
    typography = treats_french(app)
    rows = []
    for need in needs:
        if need["is_need"] or isinstance(need, NeedItem):
            row_classes, attributes, prefix, shown = "need", "", "", need
        else:
            row_classes = "need_part"
            attributes = f' data-parent="{_escape(str(need["id_parent"]))}"'
            prefix, shown = config.part_prefix, need.copy_for_needtable()
        cells = "".join(
            _cell(app, fromdocname, shown, "id" if option == "ID" else
                  "title" if option == "TITLE" else option.lower(),
                  option == "ID", prefix if option in ("ID", "TITLE") else "", typography)
            for option, _title in columns
        )
        rows.append((str(need["id_complete"]), row_classes, attributes, cells))
    return rows


def _draw(app: Sphinx, doctree: nodes.document, fromdocname: str, node: Needtable,
          config: NeedsSphinxConfig) -> None:
    schema = SphinxNeedsData(app.env).get_schema()
    _check_supported(node, schema, config)
    style = _style(node, config)
    table, body = _skeleton(node, schema, config, style)
    attributes: Any = node.attributes
    needs = process_filters(app, SphinxNeedsData(app.env).get_needs_view(), attributes,
                            origin="needtable", location=node)
    sort_by = attributes["sort"]
    try:
        needs.sort(key=lambda need: (sort_key(need[sort_by], ignore_case=True),
                                     need["id_complete"]))
    except KeyError:
        log_warning(LOGGER, f"needtable sort key {sort_by!r} is not a field of the needs; "
                    "the rows are left in the filter's order", "filter", location=node)
    needs, total = apply_max_items(needs, attributes.get("max_items"), config)
    body += needtable_rows(rows=_rows(app, fromdocname, needs, attributes["columns"], config))

    replacement: list[nodes.Node] = []
    if not needs:
        replacement.append(no_needs_found_paragraph(attributes.get("filter_warning")))
    elif style == "TABLE":
        wrapper = nodes.container(classes=["needstable_wrapper"])
        wrapper += table
        replacement.append(wrapper)
    else:
        replacement.append(table)
        doctree[HAS_INTERACTIVE_TABLE] = True
    if len(needs) < total:
        replacement.append(report_max_items(len(needs), total, origin="needtable",
                                            location=node))
    node.replace_self(replacement)


def draw_needtables(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Draw the needtables this module supports (before sphinx-needs' own handler)."""
    if app.builder.format != "html":
        return
    found = list(doctree.findall(Needtable))
    if not found:
        return
    config = NeedsSphinxConfig(app.config)
    for node in found:
        try:
            _draw(app, doctree, fromdocname, node, config)
        except _Unsupported:
            continue


def setup_html_tables(app: Sphinx) -> None:
    app.add_node(needtable_rows, html=(visit_rows_html, None))
    # Before sphinx-needs' handler (default priority 500), which draws what is left.
    app.connect("doctree-resolved", draw_needtables, priority=450)

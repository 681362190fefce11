"""Plain docutils tables, as the extension draws them at write time (the figures, the
progress report, what changed): every builder renders them, LaTeX included."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from playbook_rh.sphinxext.detached import holding


def row(cells: Sequence[nodes.Node]) -> nodes.row:
    """A row; each cell's content in a paragraph, built detached (:mod:`.detached`: a
    dashboard has thousands of rows)."""
    return holding(nodes.row(), *(holding(nodes.entry(), holding(nodes.paragraph(), cell))
                                  for cell in cells))


def table(headers: Sequence[str], widths: Sequence[int],
          classes: str) -> tuple[nodes.table, nodes.tbody]:
    """An empty table with its header row; rows go into the returned body.

    Marked ``longtable``: in a PDF such a table breaks across pages and repeats its
    header (the tables of every question or fact run over several pages); and
    ``colwidths-given``: its columns take the widths given, and their text wraps."""
    frame = nodes.table(classes=[classes, "longtable", "colwidths-given"])
    group = nodes.tgroup(cols=len(headers))
    frame += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += row([nodes.Text(header) for header in headers])
    body = nodes.tbody()
    group += body
    return frame, body

"""Plain docutils tables, as the extension draws them at write time (the figures, the
progress report, what changed): every builder renders them, LaTeX included."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes


def row(cells: Sequence[nodes.Node]) -> nodes.row:
    """A row; each cell's content in a paragraph.

    Built detached, so attaching a child only sets its parent (docutils'
    ``setup_child`` does nothing more under a node that has no document yet): done
    directly, it costs half as much, and a dashboard has thousands of rows.
    """
    line = nodes.row()
    entries = line.children
    for cell in cells:
        paragraph = nodes.paragraph()
        paragraph.children.append(cell)
        cell.parent = paragraph
        entry = nodes.entry()
        entry.children.append(paragraph)
        paragraph.parent = entry
        entry.parent = line
        entries.append(entry)
    return line


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

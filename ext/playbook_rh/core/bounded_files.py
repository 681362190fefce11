"""Reading the files a user names, without trusting what they are.

A path may name a FIFO (opening it waits for a writer forever), a device (``/dev/zero``
never ends, and ``stat`` gives it a size of 0), a folder, or a file far larger than
any run. :func:`read_regular_file` opens without waiting, reads only a regular file,
and counts the bytes it actually reads against the limit; :func:`read_regular_text`
does the same for a UTF-8 text (a needs.json, a release, the exported vocabulary, a
page). :func:`kind_of` names what a path is, for the messages of readers and writers.
Every reader of a file a user names or places goes through here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: What a file that is not a regular file is, by the type bits of its mode.
KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
CHUNK = 1 << 16


class FileProblem(Exception):
    """The file cannot be read as asked; the message says why, without its path."""


def kind_of(mode: int) -> str | None:
    """What a file of ``mode`` is, in words; None for a regular file."""
    for test, kind in KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    :class:`FileProblem` when it is anything else or larger; ``FileNotFoundError`` and
    other ``OSError`` as the system gives them.
    """
    # O_NONBLOCK: opening a FIFO does not wait for a writer; a regular file's reads
    # are not changed by it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        kind = kind_of(os.fstat(descriptor).st_mode)
        if kind is not None:
            raise FileProblem(f"{kind}, not a file")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileProblem(f"larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_regular_text(path: Path, limit: int) -> str:
    """The UTF-8 text of ``path``, read as :func:`read_regular_file` reads it.

    :class:`FileProblem` also when the bytes are not UTF-8 (the message gives the line).
    """
    data = read_regular_file(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(f"not UTF-8 text: byte {data[error.start]:#04x} on line "
                          f"{line}") from None

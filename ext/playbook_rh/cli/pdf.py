"""Build the PDF playbooks: ``python -m playbook.pdf`` (what ``make pdf`` runs).

1. checks that TeX Live with XeLaTeX is installed, else says which Debian packages
   to install and stops;
2. runs Sphinx's LaTeX builder (strict) on the knowledge base;
3. compiles every ``.tex`` with latexmk and xelatex, two at a time;
4. fails if a log shows content cut at a page break (``Overfull \\vbox ... while
   \\output is active``: LaTeX's only trace of a box too tall for a page), a line
   running off the page (``Overfull \\hbox`` by more than :data:`OVERFLOW_TOLERANCE_PT`)
   or a character no font of the PDF has (``Missing character``: an emoji, Chinese),
   naming the item (or the page) that holds it;
5. puts the PDFs, under stable names, in ``BUILD/pdf/`` and, when the site was
   built, in ``BUILD/html/pdf/`` where the pages' download links point.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from playbook_rh.core.vocabulary import ID_PATTERN
from playbook_rh.sphinxext.printing.downloads import SITE_FOLDER

TEX_TOOLS = ("xelatex", "latexmk")
DEBIAN_PACKAGES = (
    "texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended texlive-lang-french fonts-freefont-otf latexmk"
)
CUT_CONTENT = re.compile(
    r"^Overfull \\vbox \((?P<amount>[^)]*)\) has occurred while \\output is active"
)
#: A line wider than the text block; LaTeX gives the lines of the .tex it came from.
OVERFULL_LINE = re.compile(
    r"^Overfull \\hbox \((?P<points>[0-9.]+)pt too wide\) "
    r"(?:in paragraph at lines (?P<first>[0-9]+)--[0-9]+|in alignment at lines "
    r"(?P<table>[0-9]+)--[0-9]+|detected at line (?P<line>[0-9]+))"
)
#: Less than this is not seen on paper (LaTeX reports from 0.1pt).
OVERFLOW_TOLERANCE_PT = 2.0
MISSING_CHARACTER = re.compile(
    r"^Missing character: There is no (?P<char>.) \((?P<code>U\+[0-9A-F]+)\)")
#: Where Sphinx's LaTeX writer starts a page (``doc``) or an item (its ID).
TEX_LABEL = re.compile(r"\\label\{\\detokenize\{(?P<doc>[^:}]*):(?P<anchor>[^}]*)\}\}")


class PdfError(Exception):
    """A problem the person running ``make pdf`` must fix; no traceback."""


@dataclass(frozen=True)
class CutContent:
    log: Path
    line: int
    text: str


@dataclass(frozen=True)
class Misprint:
    """Text the PDF does not print as written: a line off the page, a missing glyph."""

    log: Path
    line: int
    where: str
    """The item's ID, or the page, that holds it."""
    text: str


def _places(tex: Path) -> list[tuple[int, str]]:
    """(.tex line, "item REC-01" or "page docs/x") where each item and page starts."""
    places = []
    page = "the start of the document"
    try:
        lines = tex.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for number, line in enumerate(lines, start=1):
        for label in TEX_LABEL.finditer(line):
            if ID_PATTERN.match(label["anchor"]):
                places.append((number, f"item {label['anchor']}"))
            elif label["anchor"] in ("doc", ":doc"):  # a page starts ("docname::doc")
                page = f"page {label['doc']}"
                places.append((number, page))
        if line.startswith(r"\end{playbookitem}"):
            places.append((number + 1, page))
    return places


def _place_of(places: list[tuple[int, str]], line: int) -> str:
    before = [where for number, where in places if number <= line]
    return before[-1] if before else "the start of the document"


def misprints(log: Path) -> list[Misprint]:
    """Lines running off the page and characters without a glyph, from a LaTeX log,
    each with the item (or page) of the ``.tex`` beside the log that holds it."""
    tex = log.with_suffix(".tex")
    places = _places(tex)
    tex_lines = tex.read_text(encoding="utf-8").splitlines() if tex.is_file() else []
    found = []
    missing_at: dict[str, tuple[int, list[str]]] = {}  # place -> (first log line, glyphs)
    overflows: set[tuple[int, str]] = set()
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        if (overfull := OVERFULL_LINE.match(line)) is not None:
            if float(overfull["points"]) <= OVERFLOW_TOLERANCE_PT:
                continue
            at = int(overfull["first"] or overfull["table"] or overfull["line"])
            if (at, overfull["points"]) in overflows:
                continue  # the same line, reported again ("detected at line")
            overflows.add((at, overfull["points"]))
            found.append(Misprint(log, number, _place_of(places, at),
                                  f"a line runs {overfull['points']}pt off the page"))
        elif (missing := MISSING_CHARACTER.match(line)) is not None:
            character = missing["char"]
            holders = {_place_of(places, at) for at, text in
                       enumerate(tex_lines, start=1) if character in text}
            for where in sorted(holders) or ["the document"]:
                glyphs = missing_at.setdefault(where, (number, []))[1]
                described = f"{character!r} ({missing['code']})"
                if described not in glyphs:
                    glyphs.append(described)
    found += [Misprint(log, number, where, f"{', '.join(glyphs)}: in no font of the PDF, "
                       "not printed") for where, (number, glyphs) in missing_at.items()]
    return sorted(found, key=lambda misprint: misprint.line)


def missing_tools() -> list[str]:
    return [tool for tool in TEX_TOOLS if shutil.which(tool) is None]


def cut_content(log: Path) -> list[CutContent]:
    """Where LaTeX cut a box at a page break, as its log tells (nowhere else does)."""
    found = []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        if CUT_CONTENT.match(line):
            found.append(CutContent(log, number, line.strip()))
    return found


def sphinx_latex(source: Path, latex_dir: Path, options: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "latex", *options, str(source), str(latex_dir)],
        check=False,
    )
    if result.returncode != 0:
        raise PdfError("the LaTeX build failed: see its warnings above")


def compile_tex(tex: Path) -> tuple[Path, int, str]:
    result = subprocess.run(
        ["latexmk", "-pdfxe", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
         tex.name],
        cwd=tex.parent, capture_output=True, text=True, check=False,
    )
    return tex, result.returncode, result.stdout[-3000:] + result.stderr[-2000:]


def compile_all(latex_dir: Path, jobs: int) -> list[Path]:
    texs = sorted(latex_dir.glob("*.tex"))
    if not texs:
        raise PdfError(f"no .tex file in {latex_dir}: the LaTeX build produced nothing")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(compile_tex, texs))
    failed = [(tex, output) for tex, code, output in results if code != 0]
    if failed:
        details = "\n\n".join(f"{tex.name}:\n{output}" for tex, output in failed)
        raise PdfError(
            f"xelatex failed on {', '.join(tex.name for tex, _ in failed)}; the end of "
            f"its output follows, the whole log is beside the .tex in {latex_dir}\n{details}"
        )
    problems = [cut for tex in texs for cut in cut_content(tex.with_suffix(".log"))]
    if problems:
        listing = "\n".join(f"  {cut.log}:{cut.line}: {cut.text}" for cut in problems)
        raise PdfError(
            "content was cut at a page break (a box taller than a page); split the item "
            f"or the table that holds it:\n{listing}"
        )
    mistakes = [found for tex in texs for found in misprints(tex.with_suffix(".log"))]
    if mistakes:
        listing = "\n".join(f"  {found.log}:{found.line}: {found.where}: {found.text}"
                            for found in mistakes)
        raise PdfError(
            "text would not print as written; shorten or split the long word, or write "
            f"the character in words (no emoji, no script the PDF fonts lack):\n{listing}"
        )
    return [tex.with_suffix(".pdf") for tex in texs]


def publish(pdfs: list[Path], build: Path) -> list[Path]:
    targets = [build / "pdf"]
    if (build / "html").is_dir():
        targets.append(build / "html" / SITE_FOLDER)
    written = []
    for folder in targets:
        folder.mkdir(parents=True, exist_ok=True)
        for pdf in pdfs:
            temporary = folder / f".{pdf.name}.tmp"
            shutil.copyfile(pdf, temporary)
            temporary.replace(folder / pdf.name)  # atomic: a reader never sees half a file
            written.append(folder / pdf.name)
    return written


def build_pdfs(source: Path, build: Path, options: list[str], jobs: int) -> list[Path]:
    missing = missing_tools()
    if missing:
        raise PdfError(
            f"{' and '.join(missing)} not found: the PDF playbooks need TeX Live with "
            f"XeLaTeX. On Debian or Ubuntu: sudo apt-get install {DEBIAN_PACKAGES}"
        )
    latex_dir = build / "latex"
    sphinx_latex(source, latex_dir, options)
    return publish(compile_all(latex_dir, jobs), build)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playbook.pdf", description=__doc__)
    parser.add_argument("--source", type=Path, default=Path("."), help="Sphinx source dir")
    parser.add_argument("--build", type=Path, default=Path("_build"), help="build dir")
    parser.add_argument("--jobs", type=int, default=2, help="xelatex runs at once")
    parser.add_argument("sphinx_options", nargs="*", default=["-n", "-W", "--keep-going"],
                        help="options for sphinx-build (after --)")
    args = parser.parse_args(argv)
    try:
        written = build_pdfs(args.source, args.build, args.sphinx_options, args.jobs)
    except PdfError as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

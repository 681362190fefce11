"""The PDF playbooks, built for real with xelatex, read back with poppler's tools."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playbook_rh.cli import pdf as pdf_build

from .conftest import ROOTS, run_pdf, tex_tools
from .test_site import CHECKLIST_PAGES, OWNER_ORDER

#: File name -> phases whose every question it must hold.
PLAYBOOKS = {
    "playbook-rh-reseaux-sociaux": set(CHECKLIST_PAGES),
    "playbook-direction": {"executives"},
    "playbook-pre-embauche": {"pre-employment"},
    "playbook-recrutement": {"recruitment"},
    "playbook-au-travail": {"at-work"},
    "playbook-reseaux-entreprise": {"enterprise-networks"},
}
RAW_MARKUP = ("{need}", "{fact}", "```", "<input", ":owner:", ":links:", "**", "- [ ]",
              "\\begin", "\\par")


def squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing do not count."""
    return re.sub(r"[\W_]+", "", text.replace("’", "'")).lower()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("name", sorted(PLAYBOOKS))
def test_playbook_holds_every_question_of_its_phases(
    pdfs: Path, needs: dict[str, dict[str, object]], name: str
) -> None:
    path = pdfs / f"{name}.pdf"
    assert path.is_file()
    text = pdf_text(path)
    flat = squash(text)
    for item_id, need in needs.items():
        if need["phase"] in PLAYBOOKS[name]:
            assert item_id in text, f"{name}: {item_id} is missing"
            assert squash(str(need["title"]).replace("**", "")) in flat, f"{name}: {item_id}"
    for markup in RAW_MARKUP:
        assert markup not in text, f"{name}: raw markup {markup!r}"
    assert "Réponse" in text and "Responsable" in text and "Date" in text


@pytest.mark.parametrize("role", OWNER_ORDER)  # each role's PDF: playbook-role-<role>.pdf
def test_role_playbook_holds_its_questions_with_room_to_answer(
    pdfs: Path, needs: dict[str, dict[str, object]], role: str
) -> None:
    text = pdf_text(pdfs / f"playbook-role-{role}.pdf")
    flat = squash(text)
    owned = [item_id for item_id, need in needs.items()
             if role in need["owner"]]  # type: ignore[operator]
    assert owned
    for item_id, need in needs.items():
        if item_id in owned:
            assert squash(str(need["title"]).replace("**", "")) in flat, f"{role}: {item_id}"
        # an ID the role does not own may only be named in a "see also" line
        assert (re.search(rf"^\f?{item_id} ", text, re.MULTILINE) is not None) == \
            (item_id in owned), f"{role}: {item_id}"
    # the fill-in space of every question, as in the phase playbooks
    assert text.count("Réponse :") == text.count("Date :") == len(owned)
    # the line to name who answers (an item of one owner role also says « Responsable : »)
    assert text.count("Responsable :") >= len(owned)
    for markup in RAW_MARKUP:
        assert markup not in text, f"{role}: raw markup {markup!r}"


@pytest.mark.parametrize("name", sorted(PLAYBOOKS))
def test_fonts_are_embedded(pdfs: Path, name: str) -> None:
    listing = subprocess.run(["pdffonts", str(pdfs / f"{name}.pdf")], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert listing, "no font at all"
    for line in listing:
        # columns: name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", f"{name}: font not embedded: {line}"


def test_page_size_is_a4(pdfs: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdfs / "playbook-recrutement.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89 pts (A4)" in info


def test_phase_playbook_links_other_phases_to_the_site(pdfs: Path) -> None:
    tex = (pdfs.parent / "latex" / "playbook-recrutement.tex").read_text(encoding="utf-8")
    # REC items link to items of other phases: those are not in this PDF
    assert re.search(r"\\sphinxhref\{https://[^}]+/checklists/[a-z-]+\.html\\#[A-Z]{3}-\d\d\}", tex)


@pytest.mark.pdf
def test_cut_content_fails_the_build(tmp_path: Path) -> None:
    tex_tools()
    result = run_pdf(ROOTS / "test-cut-content", tmp_path)
    assert result.returncode == 1
    assert "content was cut at a page break" in result.stderr
    assert re.search(r"cut\.log:\d+: Overfull \\vbox \([\d.]+pt too high\) has occurred while "
                     r"\\output is active", result.stderr)
    assert "Traceback" not in result.stderr


def test_cut_content_is_read_from_the_log(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("Overfull \\hbox (1.0pt too wide) in paragraph\n"
                   "Overfull \\vbox (12.5pt too high) has occurred while \\output is active []\n",
                   encoding="utf-8")
    (cut,) = pdf_build.cut_content(log)
    assert cut.line == 2


def test_missing_tex_names_the_packages(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no xelatex, no latexmk
    assert pdf_build.main(["--build", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("make pdf: xelatex and latexmk not found")
    assert "apt-get install texlive-xetex" in error and "latexmk" in error


def test_cards_print_as_titled_paragraphs(pdfs: Path) -> None:
    """sphinx-design cards: the title in bold and linked, never a hidden link's text."""
    tex = (pdfs.parent / "latex" / "playbook-rh-reseaux-sociaux.tex").read_text(
        encoding="utf-8")
    assert re.search(r"\\sphinxstylestrong\{\{\\hyperref\[\\detokenize\{docs/pourquoi-les-rh"
                     r"::doc\}\]\{\\sphinxcrossref\{\\DUrole\{doc\}\{Pourquoi les RH \?\}", tex)
    text = pdf_text(pdfs / "playbook-rh-reseaux-sociaux.pdf")
    assert "pourquoi-les-rh" not in text and "sd-card" not in text


#: French typography problems in a PDF's text: a straight apostrophe between letters,
#: high punctuation glued to the word before it, guillemets without their space.
TYPOGRAPHY_PROBLEMS = {
    "straight apostrophe": re.compile(r"\w'\w"),
    "no space before ; ! ? or :": re.compile(r"[^\W\d][;!?:](?=\s|$)"),
    "no space inside « »": re.compile(r"«\w|\w»"),
}


#: Lines printed as written, not prose: addresses, and the lines of a code block (a run
#: file's YAML keys such as ``status: done``, a command line).
CODE_LINE = re.compile(r"https?:|www\.|^\s*(?:- )?[a-z_][a-z0-9_-]*:(?:\s|$)|playbook-rh ")


@pytest.mark.parametrize("name", sorted(PLAYBOOKS))
def test_pdfs_have_french_typography(pdfs: Path, name: str) -> None:
    """What a reader sees on paper: curly apostrophes, spaced punctuation and guillemets,
    French dates (babel's French module spaces the punctuation; the build curls the
    apostrophes, those of generated tables and labels included)."""
    text = pdf_text(pdfs / f"{name}.pdf")
    problems = [
        f"{what}: {line.strip()!r}"
        for line in text.splitlines() if not CODE_LINE.search(line)
        for what, pattern in TYPOGRAPHY_PROBLEMS.items() if pattern.search(line)
    ]
    assert problems == []
    flat = " ".join(text.split())
    assert re.search(r"Relecture juridique du (?:1er|[12]?[0-9]|3[01]) (?:janvier|février|mars|"
                     r"avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) "
                     r"20[0-9]{2}", flat), f"{name}: no legal review date in French"


@pytest.mark.pdf
def test_text_the_pdf_cannot_print_fails_the_build_naming_the_item(tmp_path: Path) -> None:
    """Long words and addresses break where they must (nothing runs off the page); an
    emoji and Chinese characters, which no font of the PDF has, fail the build with the
    ID of the item holding them."""
    tex_tools()
    result = run_pdf(ROOTS / "test-pdf-overflow", tmp_path)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    errors = [line.strip() for line in result.stderr.splitlines() if "overflow.log:" in line]
    assert [re.sub(r"^\S+overflow\.log:\d+: ", "", line) for line in errors] == [
        "item REC-03: '👍' (U+1F44D): in no font of the PDF, not printed",
        "item REC-04: '人' (U+4EBA), '力' (U+529B), '资' (U+8D44), '源' (U+6E90): in no font "
        "of the PDF, not printed",
    ]
    log = (tmp_path / "latex" / "overflow.log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull \\hbox" not in log
    printed = squash(pdf_text(tmp_path / "latex" / "overflow.pdf"))
    assert "anticonstitutionnellement" * 8 in printed
    assert "ab12cd34ef" * 20 in printed
    assert squash("example.org/un/chemin/tres/long/qui/ne/contient/aucune/espace/et/continue/"
                  "encore/et/encore/jusqu-a-depasser-la-largeur-de-la-page/index.html") in printed


def test_lines_off_the_page_and_missing_glyphs_are_read_from_the_log(tmp_path: Path) -> None:
    (tmp_path / "x.tex").write_text(
        "\\label{\\detokenize{docs/page::doc}}\n"
        "\\begin{playbookitem}\\phantomsection\\label{\\detokenize{docs/page:REC-07}}\n"
        "Un mot trop long\n"
        "\\end{playbookitem}\n"
        "Du texte de la page, puis un émoji 👍\n", encoding="utf-8")
    (tmp_path / "x.log").write_text(
        "Overfull \\hbox (1.5pt too wide) in paragraph at lines 3--3\n"
        "Overfull \\hbox (40.2pt too wide) in paragraph at lines 3--3\n"
        "Overfull \\hbox (12.0pt too wide) in paragraph at lines 5--5\n"
        "Overfull \\hbox (12.0pt too wide) detected at line 5\n"
        "Missing character: There is no 👍 (U+1F44D) in font [FreeSerif.otf]/OT:script=la\n",
        encoding="utf-8")
    found = [(misprint.line, misprint.where, misprint.text)
             for misprint in pdf_build.misprints(tmp_path / "x.log")]
    assert found == [
        (2, "item REC-07", "a line runs 40.2pt off the page"),  # 1.5pt: not seen on paper
        (3, "page docs/page", "a line runs 12.0pt off the page"),  # once, not twice
        (5, "page docs/page", "'👍' (U+1F44D): in no font of the PDF, not printed"),
    ]

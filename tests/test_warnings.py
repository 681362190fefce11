"""Every author mistake is one located ``checklist`` warning, in every build mode.

The root ``test-author-errors`` provokes each subtype once or more; the build must
report exactly these warnings, each as ``path:line: WARNING: ... [checklist.subtype]``
(the form editors and CI annotate), and no traceback.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playbook_rh.sphinxext.warnings_ import ChecklistWarning, FactWarning
from sphinx.cmd.build import main as sphinx_build_main
from sphinx.testing.util import SphinxTestApp, _clean_up_global_state

from .conftest import ROOTS, STRICT, WARNING_LINE, build_in_a_fork, warnings_of

#: (file, a text on the line the warning points at, subtype, part of the message)
EXPECTED = [
    ("ids.md", "Une question sans identifiant", "missing_id", "item without an ID"),
    ("ids.md", "rec-2", "malformed_id", "malformed ID 'rec-2'"),
    ("ids.md", "TRA-05", "prefix_mismatch", "whose IDs start with 'REC-'"),
    ("ids.md", "- [ ] REC-03", "no_question", "item REC-03 has no question"),
    ("ids.md", "Le même identifiant", "duplicate_id", "duplicate ID REC-01: already used at"),
    ("duplicates-b.md", "Seconde définition", "duplicate_id",
     "duplicate ID TRA-01: already used at"),
    ("vocabulary.md", ":phase: nulle-part", "unknown_phase", "unknown phase 'nulle-part'"),
    ("vocabulary.md", "```{checklist}\n:owner: hr", "unknown_phase", "checklist without a phase"),
    ("vocabulary.md", ":owner: hr, comptabilite", "unknown_owner",
     "unknown owner role 'comptabilite'"),
    ("vocabulary.md", ":owner: stagiaire", "unknown_owner", "unknown owner role 'stagiaire'"),
    ("vocabulary.md", "REC-16", "unknown_owner", "item REC-16 has no owner role"),
    ("vocabulary.md", ":status: fini", "unknown_status", "unknown status 'fini'"),
    ("vocabulary.md", ":proprietaire:", "unknown_field", "unknown field ':proprietaire:'"),
    ("structure.md", "```{checklist}", "empty", "has no item"),
    ("structure.md", "Un paragraphe", "not_task_list", "text outside the task list"),
    ("structure.md", "- une puce", "not_task_list", "list item without a checkbox"),
    ("links.md", "TRA-03", "unknown_link", "item TRA-03 links to TRA-99"),
    ("links.md", ":links: tra 1", "malformed_id", "'tra 1', which is not an ID"),
    ("dashboards.md", ":phase: recrutment", "dashboard_option",
     "questions-table: ':phase:' names 'recrutment', which is not a phase of playbook_phases"),
    ("dashboards.md", ":group-by: team", "dashboard_option",
     "'team', which is not a field to group"),
    ("dashboards.md", ":columns: id, questoin", "dashboard_option",
     "'questoin', which is not a column; use id, question"),
    ("dashboards.md", ":by: colour", "dashboard_option", "questions-count: ':by:' names 'colour'"),
    ("dashboards.md", ":owner: stagiaire", "dashboard_option",
     "'stagiaire', which is not an owner role"),
    ("dashboards.md", ":chart: camembert", "dashboard_option",
     "'camembert', which is not a kind of chart; use pie, bars"),
    ("silent.md", "- [x] REC-20", "ticked_in_source", "item REC-20 is ticked in the source"),
    ("silent.md", ":owner: legal", "duplicate_field",
     "item REC-21: ':owner:' is given twice (first as ':owner: hr', which is kept)"),
    ("silent.md", ":links: REC-20\n", "field_after_blank_line",
     "item REC-22: ':links:' comes after a blank line"),
    ("silent.md", "R\u0415C-23", "lookalike_id",
     "'\u0415' (U+0415 CYRILLIC CAPITAL LETTER IE, which looks like 'E')"),
    ("silent.md", "REC-24\u00a0", "lookalike_id",
     "item REC-24: the ID is followed by '\\xa0' (U+00A0 NO-BREAK SPACE"),
    ("silent.md", "REC-25", "raw_html", "item REC-25: raw HTML '<br>' shows on the site but "
     "vanishes from the PDF"),
    ("silent.md", "Un conseil où <abbr", "raw_html", "raw HTML '<abbr title="),
    ("silent.md", "- [ ] REC-27", "self_link", "item REC-27 links to itself"),
    ("silent.md", "- [ ] REC-28", "replaces_live_id", "item REC-28 replaces itself"),
    ("silent.md", "- [ ] REC-29", "replaces_live_id",
     "item REC-29 replaces REC-20, which is still the ID of an item"),
    ("silent.md", "- [ ] REC-31", "replaced_twice",
     "item REC-31 replaces REC-09, which item REC-30 already replaces"),
    ("silent.md", "- [ ] REC-32", "replacement_cycle", "(REC-32 -> REC-33 -> REC-32)"),
    ("silent.md", "- [ ] REC-33", "replacement_cycle", "(REC-33 -> REC-32 -> REC-33)"),
    ("silent.md", ":links: REC-2\u039f", "malformed_id",
     "(it holds '\u039f' (U+039F GREEK CAPITAL LETTER OMICRON, which looks like 'O'))"),
    ("silent.md", ":links: REC-2\u039f", "lookalike_id",
     "':links:' names 'R\u0395C-20', which is not an ID; write IDs such as 'REC-03', "
     "separated by commas (it holds '\u0395' (U+0395 GREEK CAPITAL LETTER EPSILON, which "
     "looks like 'E'))"),
    ("conditions.md", ":applies: headcount >= 50 and", "malformed_condition",
     "item TRA-20: :applies: 'headcount >= 50 and', column 20: the condition ends too early; "
     "meanwhile the item applies to every organisation"),
    ("conditions.md", ":applies: taille", "unknown_criterion",
     "item TRA-21: :applies: 'taille >= 50', column 1: unknown criterion 'taille'; the "
     "criteria are headcount"),
    ("conditions.md", ":applies: headcount >= 49", "unknown_value",
     "column 14: headcount >= 49: bands start at 0, 50"),
    ("conf.py", '"enterprise-networks"', "phase_without_questions",
     "phase 'enterprise-networks' (Réseaux d'entreprise) has no conversation-starter"),
]


def line_of(path: Path, marker: str) -> int:
    """The line a marker starts on (a marker may span lines: it points at its first)."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(marker)) + 1


def expected(srcdir: Path) -> set[tuple[str, int, str]]:
    return {
        (name, line_of(srcdir / name, marker), subtype) for name, marker, subtype, _ in EXPECTED
    }


def reported(app: SphinxTestApp, log: str) -> list[tuple[str, int, str, str]]:
    found = []
    for line in warnings_of(log):
        match = WARNING_LINE.match(line)
        assert match, f"a warning without file:line: {line}"
        path = Path(match["path"])
        subtype = re.search(r"\[checklist\.(\w+)\]$", match["message"])
        assert subtype, f"a warning that is not of type checklist: {line}"
        found.append((str(path.relative_to(app.srcdir)), int(match["line"]),
                      subtype[1], match["message"]))
    return found


def check_log(app: SphinxTestApp, log: str) -> None:
    found = reported(app, log)
    assert "Traceback" not in log
    assert {(name, line, subtype) for name, line, subtype, _ in found} == expected(app.srcdir)
    assert len(found) == len(EXPECTED), "a problem was reported more than once"
    for name, marker, subtype, fragment in EXPECTED:
        line = line_of(app.srcdir / name, marker)
        messages = [m for n, li, s, m in found if (n, li, s) == (name, line, subtype)]
        assert any(fragment in message for message in messages), (name, subtype, messages)


@pytest.mark.sphinx("html", testroot="author-errors", freshenv=True)
def test_every_subtype_is_reported_with_its_location(app: SphinxTestApp) -> None:
    app.build()
    check_log(app, app.warning.getvalue())


@pytest.mark.sphinx("html", testroot="author-errors", freshenv=True, parallel=2)
def test_parallel_build_reports_the_same(app: SphinxTestApp) -> None:
    app.build()
    check_log(app, app.warning.getvalue())


def test_every_subtype_is_provoked_by_the_root() -> None:
    provoked = {subtype for _, _, subtype, _ in EXPECTED}
    # rejected: sphinx-needs refusing an item the directive accepted cannot be provoked
    # from Markdown (IDs and fields are checked first); it stays as the safety net.
    # run: about the run file of a report build, tested in test_report.py;
    # release: about frozen releases, tested in test_changes.py;
    # needs_internals: a sphinx-needs release that moved the adapter's internal,
    # simulated in test_needs_adapter.py;
    # role_page: about the pages of owner roles, tested in test_role_pages.py (a role page
    # here would make every other role of the root a warning too).
    assert provoked | {"rejected", "run", "release", "needs_internals", "role_page"} == {
        kind.subtype for kind in ChecklistWarning
    }


@pytest.mark.sphinx("html", testroot="author-errors", freshenv=True,
                    confoverrides={"suppress_warnings": ["checklist.duplicate_id"]})
def test_a_subtype_can_be_silenced(app: SphinxTestApp) -> None:
    app.build()
    subtypes = {subtype for _, _, subtype, _ in reported(app, app.warning.getvalue())}
    assert "duplicate_id" not in subtypes
    assert "missing_id" in subtypes


def strict_build(source: Path, outdir: Path, jobs: str, *, own_process: bool = False,
                 ) -> subprocess.CompletedProcess[str]:
    """``make html`` on ``source`` (strict), keeping its environment between calls: in a
    process of its own when asked (forked from this one, which never builds ``source``);
    otherwise through sphinx-build's ``main`` in this process, as test_annotations.py runs
    it (a new interpreter imports Sphinx and the extension again, over a second a build).
    Builds in processes of their own show that what the build remembers is on disk, not in
    a module: two children forked from this process share nothing else."""
    arguments = ["-b", "html", "-j", jobs, *STRICT, "-d", str(outdir / ".doctrees"),
                 str(source), str(outdir)]
    if own_process:
        return build_in_a_fork(arguments, outdir.with_name("sphinx-build"))
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_path = sys.path.copy()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = sphinx_build_main(arguments)
    finally:
        sys.path[:] = saved_path
        _clean_up_global_state()  # what the build registered must not reach the next one
    return subprocess.CompletedProcess(arguments, code, stdout.getvalue(), stderr.getvalue())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failed_build_fails_again_when_nothing_changed(tmp_path: Path, jobs: str) -> None:
    """Sphinx reads only changed pages again and checks them against each other only when
    one was read: without the build's memory of which pages warned, the second run would
    print nothing and pass."""
    source, outdir = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOTS / "test-author-errors", source)
    # The parallel builds that fail run in processes of their own: the second one
    # remembers the first one's warnings from the disk alone.
    first, second = (strict_build(source, outdir, jobs, own_process=jobs != "1")
                     for _ in range(2))
    for result in (first, second):
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
    assert len(warnings_of(first.stderr)) == len(EXPECTED)
    assert sorted(warnings_of(second.stderr)) == sorted(warnings_of(first.stderr))

    # Mended pages are no longer read again for nothing, and their warnings are gone.
    (source / "index.md").write_text("# Erreurs d'auteur\n\n```{toctree}\nlinks\n```\n",
                                     encoding="utf-8")
    for name in ("ids", "duplicates-a", "duplicates-b", "vocabulary", "structure",
                 "dashboards", "silent", "conditions"):
        (source / f"{name}.md").unlink()
    (source / "links.md").write_text(
        "# Liens\n\n```{checklist}\n:phase: at-work\n:owner: legal\n\n"
        "- [ ] TRA-03 Un lien ?\n  :links: TRA-04\n- [ ] TRA-04 Un autre ?\n"
        "\n- [ ] TRA-05 Un item ?\n```\n\n```{checklist}\n:phase: recruitment\n"
        ":owner: hr\n\n- [ ] REC-01 Une question ?\n```\n\n```{checklist}\n"
        ":phase: enterprise-networks\n:owner: hr\n\n- [ ] RSE-01 Une question ?\n```\n",
        encoding="utf-8")
    for _ in range(2):
        mended = strict_build(source, outdir, jobs)
        assert mended.returncode == 0, mended.stderr[-2000:]
        assert warnings_of(mended.stderr) == []
    assert "no targets are out of date" in mended.stdout


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md", "docs/contribuer.md"])
def test_every_subtype_is_in_the_tables_of_warnings(document: str) -> None:
    """The contributors' tables list every subtype, in English and in French."""
    text = (ROOTS.parent.parent / document).read_text(encoding="utf-8")
    for kind in [*ChecklistWarning, *FactWarning]:
        assert f"| `{kind.warning_type}.{kind.subtype}` |" in text, kind.subtype


@pytest.mark.sphinx("html", testroot="includes", freshenv=True)
def test_an_included_checklist_is_located_in_its_file(app: SphinxTestApp) -> None:
    """Items of an included file are located in that file, not at its line numbers in
    the including page; including it twice names both including lines."""
    app.build()
    included, page = app.srcdir / "parts" / "questions.md", app.srcdir / "index.md"
    first, second = (line_of(page, marker) for marker in ("Première", "Seconde"))
    assert sorted(warnings_of(app.warning.getvalue())) == sorted([
        f"{included}:{line_of(included, '- [ ] REC-01')}: WARNING: duplicate ID REC-01: "
        f"{included} is included 2 times (at {page}:{first + 2}, {page}:{second + 2}); "
        "include a checklist once, so that each question has one place "
        "[checklist.duplicate_id]",
        f"{included}:{line_of(included, '- [ ] REC-02')}: WARNING: duplicate ID REC-02: "
        f"{included} is included 2 times (at {page}:{first + 2}, {page}:{second + 2}); "
        "include a checklist once, so that each question has one place "
        "[checklist.duplicate_id]",
        # once, however many times the file is included
        f"{included}:{line_of(included, '- [ ] REC-02')}: WARNING: item REC-02 links to "
        "REC-99, which no checklist item has; correct the ID or remove the link "
        "[checklist.unknown_link]",
    ])


def test_warnings_of_an_included_file_come_back_too(tmp_path: Path) -> None:
    """The file a warning names is not a page: the pages including it are read again."""
    source, outdir = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOTS / "test-includes", source)
    first, second = (strict_build(source, outdir, "1") for _ in range(2))
    assert first.returncode == second.returncode == 1
    assert len(warnings_of(first.stderr)) == 3
    assert sorted(warnings_of(second.stderr)) == sorted(warnings_of(first.stderr))

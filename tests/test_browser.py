"""The site in a real browser: checklists worked through, exported and imported, reset,
printed, audited for accessibility, and kept on this machine.

The real site is built once per session (the ``site`` fixture), served on 127.0.0.1,
and driven by Debian's Chromium through Playwright. With ``CI`` set, a missing
Chromium, Playwright or axe-core fails instead of skipping.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from playbook_rh.core.runs import parse_run
from playbook_rh.sphinxext.site.search import SearchFrenchFolded

from .browser.chromium import ARGUMENTS, CHROMIUM
from .browser.server import serve
from .cli_support import STATUSES
from .conftest import IN_CI, REPO, plain, require_tool, stop_forked_children

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

CHECKLIST = "checklists/recrutement.html"
DASHBOARD = "checklists/tableau-de-bord.html"
ROLE_PAGE = "docs/roles/dpo.html"
AUDITED = ("docs/index.html", "docs/recrutement.html", CHECKLIST, DASHBOARD, ROLE_PAGE)
MAX_PAGE_BYTES = 300 * 1024
EXAMPLE = REPO / "assessments" / "example.yaml"
CORPUS = REPO / "tests" / "corpus" / "runs"


def require_module(name: str) -> Any:
    """A Python package the browser tests need; skip without it, but fail in CI."""
    try:
        return importlib.import_module(name)
    except ImportError:
        message = f"the Python package {name} is not installed (pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


# -- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = require_tool(CHROMIUM)
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGUMENTS)
        yield browser
        browser.close()
        stop_forked_children()


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@dataclass
class Visit:
    """A browser tab on the served site, recording what happens in it."""

    context: BrowserContext
    page: Page
    base: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    accept_dialogs: bool = False

    def watch(self, page: Page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        if self.accept_dialogs:
            dialog.accept()
        else:
            dialog.dismiss()

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None
        return response

    def reload(self) -> None:
        self.page.reload()

    def new_tab(self) -> Page:
        """Another tab of the same browser profile (same storage): a later visit."""
        page = self.context.new_page()
        self.watch(page)
        self.page = page
        return page


@pytest.fixture
def make_visit(browser: Browser, base_url: str) -> Iterator[Callable[..., Visit]]:
    visits: list[Visit] = []

    def make(**options: Any) -> Visit:
        context = browser.new_context(accept_downloads=True, locale="fr-FR", **options)
        visit = Visit(context, context.new_page(), base_url)
        visit.watch(visit.page)
        visits.append(visit)
        return visit

    yield make
    for visit in visits:
        visit.context.close()
    for visit in visits:
        assert visit.errors == [], f"JavaScript errors: {visit.errors}"


@pytest.fixture
def visit(make_visit: Callable[..., Visit]) -> Visit:
    return make_visit()


# -- helpers ---------------------------------------------------------------------------------

def export(visit: Visit, button: str) -> tuple[str, str]:
    """Click an export button; the downloaded file's name and text."""
    with visit.page.expect_download() as info:
        visit.page.get_by_role("button", name=button).first.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def import_file(visit: Visit, content: str | bytes, name: str = "suivi.yaml") -> str:
    """Choose a file with the Import button, as a person would; the message shown."""
    page = visit.page
    page.evaluate("document.querySelectorAll('.playbook-message').forEach(m => m.hidden = true)")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Importer un fichier…").first.click()
    data = content.encode("utf-8") if isinstance(content, str) else content
    chooser.value.set_files({"name": name, "mimeType": "application/octet-stream", "buffer": data})
    message = page.locator(".playbook-message").first
    message.wait_for(state="visible")
    return plain(message.inner_text())


def progress_line(page: Page) -> str:
    """The first progress line, French typography undone."""
    return plain(page.locator(".playbook-progress-label").first.inner_text())


def run_file(items: str, header: str = "format: playbook-run/1\n") -> str:
    return header + "items:\n" + items


# -- working through a checklist ------------------------------------------------------------

def test_ticks_statuses_and_answers_survive_reloads_and_visits(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    assert progress_line(page) == "Phase « Recrutement » : 0 question traitée sur 14 (0 %)"
    page.check("#check-REC-01")
    page.select_option("#status-REC-02", "in-progress")
    page.select_option("#status-REC-03", "not-applicable")
    page.fill("#note-REC-02", "Stratégie LinkedIn en cours d'écriture.")
    assert progress_line(page).startswith("Phase « Recrutement » : 2 questions traitées sur 14")

    visit.reload()
    assert page.is_checked("#check-REC-01")
    assert page.input_value("#status-REC-01") == "done"
    assert page.input_value("#status-REC-02") == "in-progress"
    assert page.input_value("#note-REC-02") == "Stratégie LinkedIn en cours d'écriture."
    assert page.input_value("#status-REC-03") == "not-applicable"
    assert not page.is_checked("#check-REC-03")
    assert progress_line(page) == "Phase « Recrutement » : 2 questions traitées sur 14 (14 %)"

    # Unticking a done item puts it back to do.
    page.uncheck("#check-REC-01")
    assert page.input_value("#status-REC-01") == "todo"
    page.check("#check-REC-01")

    # A later visit, in another tab of the same browser.
    visit.page.close()
    page = visit.new_tab()
    visit.open(CHECKLIST)
    assert page.is_checked("#check-REC-01")
    assert page.input_value("#note-REC-02") == "Stratégie LinkedIn en cours d'écriture."


def test_a_role_page_ticks_the_same_answers_and_shows_progress(visit: Visit) -> None:
    """The DPO's page: its recruitment questions are ticked as on the phase's page (one
    store of answers), with the progress of these questions and of their whole phase."""
    page = visit.page
    visit.open(ROLE_PAGE)
    recruitment = page.locator(".playbook-checklist[data-phase=recruitment]")
    ids = recruitment.locator(".playbook-item").evaluate_all(
        "items => items.map(item => item.dataset.item)")
    assert ids == ["REC-06", "REC-08", "REC-12"]
    page.check("#check-REC-06")
    labels = [plain(text) for text in page.locator(
        "section#phase-recruitment .playbook-progress-label").all_inner_texts()]
    assert labels == ["Cette checklist : 1 question traitée sur 3 (33 %)",
                      "Phase « Recrutement » : 1 question traitée sur 14 (7 %)"]
    visit.open(CHECKLIST)
    assert page.is_checked("#check-REC-06")
    page.select_option("#status-REC-08", "not-applicable")
    visit.open(ROLE_PAGE)
    assert page.input_value("#status-REC-08") == "not-applicable"
    assert progress_line(page).startswith("Cette checklist : ")


def has_progress_table(site: Path) -> None:
    assert "data-playbook-dashboard" in (site / DASHBOARD).read_text(encoding="utf-8"), \
        "checklists/tableau-de-bord.md has no ```{checklist-progress}``` directive"


def test_the_dashboard_shows_progress_per_phase(visit: Visit, site: Path) -> None:
    has_progress_table(site)
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-01")
    page.select_option("#status-REC-04", "not-applicable")
    page.select_option("#status-REC-05", "in-progress")
    visit.open(DASHBOARD)
    table = page.locator("table.playbook-dashboard-table")
    row = table.locator("tbody tr", has=page.locator("th", has_text="Recrutement"))
    assert [plain(cell) for cell in row.locator("td").all_inner_texts()][:2] == \
        ["2 sur 14 (14 %)", "1"]
    assert row.locator("progress").get_attribute("value") == "2"
    total = table.locator("tfoot tr")
    assert total.locator("th").inner_text() == "Ensemble du playbook"
    assert total.locator("td").first.inner_text().startswith("2 sur ")
    row.get_by_role("link", name="Recrutement").click()
    page.wait_for_url(re.compile(re.escape(CHECKLIST) + "$"))
    assert page.is_checked("#check-REC-01")


def test_reset_asks_first(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-01")
    page.get_by_role("button", name="Tout effacer…").click()  # dismissed
    assert visit.dialogs and "Effacer toutes vos réponses" in visit.dialogs[-1]
    assert page.is_checked("#check-REC-01")

    visit.accept_dialogs = True
    page.get_by_role("button", name="Tout effacer…").click()
    assert not page.is_checked("#check-REC-01")
    assert "effacées" in page.locator(".playbook-message").first.inner_text()
    assert visit.dialogs[-1].startswith("Effacer toutes vos réponses enregistrées dans ce "
                                        "navigateur\u202f?")
    visit.reload()
    assert not page.is_checked("#check-REC-01")
    assert page.evaluate("localStorage.length") == 0


# -- export and import -------------------------------------------------------------------------

TRICKY = ("Ligne 1\nLigne 2\t« guillemets » \"doubles\" 'simples' \\ antislash # dièse : "
          "deux-points - tiret {accolades} [crochets] &ancre *alias 😀 \u2028 \x85 fin ")


@pytest.mark.parametrize(("button", "suffix"), [("Exporter (YAML)", ".yaml"),
                                                 ("Exporter (JSON)", ".json")])
def test_export_is_a_valid_run_file_and_imports_back(
        make_visit: Callable[..., Visit], site_needs_json: Path, tmp_path: Path,
        button: str, suffix: str) -> None:
    visit = make_visit()
    page = visit.page
    visit.open(CHECKLIST)
    page.get_by_label("Organisation (facultatif)").fill("Exemple SA « test »")
    page.check("#check-REC-01")
    page.select_option("#status-REC-02", "in-progress")
    page.fill("#note-REC-02", TRICKY)
    name, text = export(visit, button)
    assert name.startswith("suivi-playbook-") and name.endswith(suffix)

    # What the command line reads: every question, the answers exactly as typed.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = parse_run(text, path, STATUSES)
    assert run.organisation == "Exemple SA « test »"
    assert run.items["REC-01"].status == "done"
    assert run.items["REC-02"].status == "in-progress"
    assert run.items["REC-02"].answer == TRICKY
    assert run.items["REC-02"].updated is not None
    assert run.items["PRE-01"].status == "todo"
    assert run.started is not None
    # the run's own identifier, made once when it started (the calendar's UIDs)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        run.id), run.id
    result = subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", "validate", str(path),
         "--needs", str(site_needs_json)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout

    # Into a fresh browser profile, through the Import button.
    other = make_visit()
    other.open(CHECKLIST)
    message = import_file(other, text, name)
    assert "importé : 2 questions renseignées" in message
    assert other.page.is_checked("#check-REC-01")
    assert other.page.input_value("#note-REC-02") == TRICKY
    organisation = other.page.get_by_label("Organisation (facultatif)")
    assert organisation.input_value() == "Exemple SA « test »"
    assert other.dialogs == []  # nothing to replace: no question asked
    # Unchanged: exported again from there, the file is the same, byte for byte.
    assert export(other, button) == (name, text)


def test_the_worked_example_imports(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-08")
    visit.accept_dialogs = True
    message = import_file(visit, EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    assert "« example.yaml » importé" in message
    assert visit.dialogs and "Remplacer les réponses" in visit.dialogs[0]
    expected = parse_run(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE, STATUSES)
    for item_id in ("REC-01", "REC-02", "REC-08"):
        answer = expected.answer(item_id)
        assert page.input_value(f"#status-{item_id}") == answer.status
        assert page.input_value(f"#note-{item_id}") == answer.answer


def test_import_can_be_cancelled(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-08")
    message = import_file(visit, run_file("  REC-01:\n    status: done\n"))
    assert "Import annulé" in message
    assert page.is_checked("#check-REC-08") and not page.is_checked("#check-REC-01")


def test_a_hand_written_file_reads_as_the_command_line_reads_it(visit: Visit) -> None:
    text = (
        "\ufeff--- # début du document\r\n"
        "# Suivi écrit à la main\r\n"
        "format: 'playbook-run/1'\r\n"
        "organisation: Exemple SA   # un commentaire\r\n"
        "started: 2026-11-02\r\n"
        "items:\r\n"
        '  "REC-01":\r\n'
        "    status: done\r\n"
        "    owner: 'Claire l''Hermite'\r\n"
        "    due: 2026-12-15\r\n"
        "    evidence: https://intranet.example/politique.pdf#page=2\r\n"
        '    answer: "Ligne 1\\nLigne 2, \\u00e9t\\u00e9 \\"cité\\""\r\n'
        "    updated: 2026-11-20T14:03:00+01:00\r\n"
        "  REC-02: {}\r\n"
        "  REC-03:\r\n"
        "    status: not-applicable\r\n"
        "    answer: ~\r\n"
    )
    run = parse_run(text, Path("main.yaml"), STATUSES)
    page = visit.page
    visit.open(CHECKLIST)
    assert "importé : 2 questions renseignées" in import_file(visit, text)
    assert page.input_value("#note-REC-01") == run.items["REC-01"].answer
    assert run.items["REC-01"].answer == 'Ligne 1\nLigne 2, été "cité"'
    details = plain(page.locator("#REC-01 .playbook-details").inner_text())
    assert "Responsable : Claire l'Hermite" in details
    assert "Échéance : 2026-12-15" in details
    assert "https://intranet.example/politique.pdf#page=2" in details
    assert page.input_value("#status-REC-03") == run.items["REC-03"].status == "not-applicable"
    organisation = page.get_by_label("Organisation (facultatif)").input_value()
    assert organisation == run.organisation == "Exemple SA"
    assert progress_line(page).startswith("Phase « Recrutement » : 2 questions traitées")


def test_a_hostile_import_stays_text(visit: Visit) -> None:
    hostile = "<script>alert('script')</script><img src=x onerror=\"alert('img')\">"
    text = (
        "format: playbook-run/1\n"
        f"organisation: {_json(hostile)}\n"
        "items:\n"
        "  REC-01:\n"
        "    status: done\n"
        f"    owner: {_json(hostile)}\n"
        "    evidence: \"javascript:alert('lien')\"\n"
        f"    answer: {_json(hostile)}\n"
    )
    page = visit.page
    visit.open(CHECKLIST)
    message = import_file(visit, text, name="<img src=x onerror=alert('nom')>.yaml")
    assert "« <img src=x onerror=alert('nom')>.yaml » importé" in message
    assert page.input_value("#note-REC-01") == hostile
    assert page.get_by_label("Organisation (facultatif)").input_value() == hostile
    assert hostile in page.locator("#REC-01 .playbook-details").inner_text()
    assert page.locator(".playbook-answer script, .playbook-answer img, .playbook-tools img, "
                        ".playbook-answer a").count() == 0
    visit.reload()  # and again from storage
    assert page.input_value("#note-REC-01") == hostile
    page.wait_for_timeout(300)  # an injected image would have failed to load by now
    assert visit.dialogs == []


#: (file of tests/corpus/runs/, what the message says). Every file of the corpus is read
#: by the browser's code under Node and by the command line (tests/test_js.py,
#: tests/test_run_corpus.py); these show how a refusal reaches the reader.
BROKEN = [
    ("bad-status.yaml", "Ligne 4 : REC-01 : statut « finished » inconnu"),
    ("status-inherited-names.yaml", "Ligne 4 : REC-01 : statut « constructor » inconnu"),
    ("bad-dates.yaml", "Ligne 5 : REC-01 : l'échéance (due) « 2026-02-30 » n'est pas une date"),
    ("unknown-field.yaml", "Ligne 5 : REC-01 : champ « colour » inconnu"),
    ("alias.yaml", "Ligne 4 : les ancres et alias (& et *) sont interdits"),
    ("tab-indentation.yaml", "Ligne 3 : YAML mal formé : tabulation dans l'indentation"),
    ("not-utf8.yaml", "Ligne 5 : ce n'est pas du texte UTF-8 (octet 0xe9)"),
    ("empty.yaml", "Ligne 1 : le fichier est vide"),
    ("json-list.json", "Le fichier doit être une suite de lignes « clé: valeur »"),
]


@pytest.mark.parametrize(("name", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_a_broken_file_is_refused_with_its_problem(
        visit: Visit, name: str, expected: str) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-02")
    message = import_file(visit, (CORPUS / name).read_bytes(), name)
    assert f"« {name} » n'a pas été importé, rien n'a changé" in message
    assert expected in message, message
    assert page.is_checked("#check-REC-02")  # the reader's answers are untouched
    assert visit.dialogs == []


def test_a_file_that_is_not_text_is_refused(visit: Visit) -> None:
    visit.open(CHECKLIST)
    message = import_file(visit, b"\xff\xfe\x00format", name="image.png")
    assert "« image.png » n'a pas été importé" in message
    assert "Ligne 1 : ce n'est pas du texte UTF-8 (octet 0xff)" in message


def test_an_answer_too_long_to_type_is_too_long_to_import(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    limit = int(page.locator("#note-REC-01").get_attribute("maxlength") or 0)
    assert limit > 0
    long = "é" * (limit + 1)
    message = import_file(visit, run_file(f"  REC-01:\n    answer: {long}\n"))
    assert f"Ligne 4 : REC-01 : answer fait {limit + 1} caractères" in message
    assert page.input_value("#note-REC-01") == ""
    message = import_file(visit, run_file(f"  REC-01:\n    answer: {long[1:]}\n"))
    assert "importé : 1 question renseignée" in message


def _json(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


# -- keyboard, print, no JavaScript ------------------------------------------------------------

def test_keyboard_only(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.locator("#check-REC-01").focus()
    page.keyboard.press("Space")
    assert page.is_checked("#check-REC-01")
    focused = ""
    for _ in range(30):  # on to the item's status, through its links
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "status-REC-01":
            break
    assert focused == "status-REC-01"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "note-REC-01"
    page.keyboard.type("Au clavier")
    visit.reload()
    assert page.input_value("#note-REC-01") == "Au clavier"
    # The tools are buttons: Enter on "Exporter (YAML)" downloads.
    page.get_by_role("button", name="Exporter (YAML)").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".yaml")


def test_printing_keeps_the_checklist_and_drops_the_chrome(visit: Visit) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-01")
    page.fill("#note-REC-01", "Réponse imprimée")
    page.emulate_media(media="print")
    for hidden in (".sidebar-drawer", ".toc-drawer", ".playbook-tools", ".related-pages",
                   ".theme-toggle-container", "#status-REC-01", "#note-REC-01"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator("#check-REC-01").is_visible()
    assert page.is_checked("#check-REC-01")
    printed = page.locator("#REC-01 .playbook-print-only")
    assert printed.is_visible()
    assert "Statut : Fait" in plain(printed.inner_text())
    assert "Réponse : Réponse imprimée" in plain(printed.inner_text())
    assert page.locator("#REC-02 .playbook-print-blank").is_visible()  # room to write
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_without_javascript_the_checklist_is_static(
        make_visit: Callable[..., Visit], site: Path) -> None:
    has_progress_table(site)
    visit = make_visit(java_script_enabled=False)
    page = visit.page
    visit.open(CHECKLIST)
    assert page.locator(".playbook-item .playbook-checkbox").count() == 14
    assert page.locator(".playbook-question").first.is_visible()
    assert page.locator(".playbook-answer, .playbook-tools").count() == 0
    visit.open(DASHBOARD)
    placeholder = plain(page.locator(".playbook-dashboard").inner_text())
    assert "lorsque JavaScript est activé :" in placeholder


# -- accessibility ------------------------------------------------------------------------------

def audit(page: Page) -> list[str]:
    axe = require_module("axe_playwright_python.sync_playwright").Axe()
    results = axe.run(page)
    if results.violations_count:
        return [str(results.generate_report())]
    return []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violation(make_visit: Callable[..., Visit], color_scheme: str) -> None:
    visit = make_visit(color_scheme=color_scheme)
    page = visit.page
    visit.open(CHECKLIST)
    page.check("#check-REC-01")
    page.select_option("#status-REC-02", "in-progress")
    page.fill("#note-REC-02", "Une réponse")
    import_file(visit, run_file("  REC-99:\n    status: done\n"))  # an error message shown
    reports = audit(page)
    for path in (*AUDITED, "404.html"):
        visit.open(path)
        reports += [f"{path}: {report}" for report in audit(page)]
    assert reports == [], "\n".join(reports)


# -- the site on its own ------------------------------------------------------------------------

def site_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html")
                  if not path.relative_to(site).parts[0].startswith("_"))


def test_no_request_leaves_this_machine(visit: Visit, site: Path) -> None:
    page = visit.page
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(visit.base) or urlsplit(url).scheme in ("data", "blob"):
            route.continue_()
        else:  # recorded, and never sent
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    for path in [*site_pages(site), "docs/page-absente.html", "search.html?q=employeur"]:
        visit.open(path)
        page.wait_for_load_state("networkidle")
    assert outside == []
    assert all(url.startswith(visit.base) or urlsplit(url).scheme in ("data", "blob")
               for url in visit.requests)
    assert len(visit.requests) > len(site_pages(site))


def test_a_checklist_page_weighs_under_300_kb(
        visit: Visit, capsys: pytest.CaptureFixture[str]) -> None:
    page = visit.page
    sizes: dict[str, int] = {}
    def record(response: Response) -> None:
        sizes.setdefault(response.url, len(response.body()))

    page.on("response", record)
    visit.open(CHECKLIST)
    page.wait_for_load_state("networkidle")
    assert visit.base + CHECKLIST in sizes
    assert any(url.split("?")[0].endswith("/playbook.js") for url in sizes)
    total = sum(sizes.values())
    listing = "\n".join(f"{size:>8} {url.removeprefix(visit.base)}"
                        for url, size in sorted(sizes.items(), key=lambda item: -item[1]))
    with capsys.disabled():
        print(f"\n{CHECKLIST}: {total} bytes ({total / 1024:.1f} KiB) in {len(sizes)} files")
    assert total < MAX_PAGE_BYTES, f"{total} bytes:\n{listing}"


def test_pages_load_only_the_assets_they_use(site: Path) -> None:
    checklist = (site / CHECKLIST).read_text(encoding="utf-8")
    home = (site / "docs/index.html").read_text(encoding="utf-8")
    for unused in ("jquery.js", "jsonview", "sphinx_needs_collapse.js", "sphinx-design.min.css"):
        assert unused not in checklist, unused
    assert "playbook.js" in checklist and "playbook-app.css" in checklist
    assert "sphinx-design.min.css" in home  # its grid of cards
    assert "playbook.js" not in home
    for path in site_pages(site):  # Pygments' colours where code is highlighted, only
        text = (site / path).read_text(encoding="utf-8")
        assert ('class="highlight' in text) == ("pygments.css" in text), path


def test_the_404_page_works_at_any_depth(visit: Visit) -> None:
    page = visit.page
    statuses: dict[str, int] = {}
    def record(response: Response) -> None:
        statuses.setdefault(response.url, response.status)

    page.on("response", record)
    response = visit.open("docs/absente/tres/profond.html")
    assert response.status == 404
    assert page.title().startswith("Page introuvable")
    assert page.locator("h1").inner_text() == "Page introuvable"
    stylesheets = [url for url in statuses if "/_static/styles/furo.css" in url]
    assert stylesheets and all(statuses[url] == 200 for url in stylesheets)
    home = page.get_by_role("link", name="Revenir à l’accueil du guide")
    assert home.evaluate("link => link.href") == visit.base + "docs/index.html"
    home.click()
    page.wait_for_url(visit.base + "docs/index.html")


@pytest.mark.parametrize(("plain", "accented"), [("employe", "employé"), ("salaries", "salariés")])
def test_search_ignores_accents(visit: Visit, plain: str, accented: str) -> None:
    page = visit.page
    found: list[list[str]] = []
    for query in (plain, accented):
        visit.open(f"search.html?q={query}")
        # Results appear one by one; the summary line is written once they are all in.
        page.wait_for_function(
            "() => document.querySelector('p.search-summary')?.textContent.trim()")
        found.append(sorted(page.locator("ul.search li > a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))")))
    # Every page found with the accents is found without; titles are also matched on
    # the raw query (« employe » is in « employeur »), so there may be more without.
    assert found[1] and set(found[1]) <= set(found[0])


def test_accents_are_folded_in_the_index() -> None:
    language = SearchFrenchFolded({})
    assert language.stem("Employé") == language.stem("employe") == language.stem("employés")
    assert language.stem("sécurité") == language.stem("securite")
    assert language.stem("cœur") == language.stem("coeur")
    assert "FrenchStemmer" in language.js_stemmer_code


def test_the_site_works_opened_from_disk(visit: Visit, site: Path) -> None:
    """The one joined script and its catalogue need no server (file://, offline)."""
    page = visit.page
    page.goto((site / CHECKLIST).as_uri())
    assert progress_line(page) == "Phase « Recrutement » : 0 question traitée sur 14 (0 %)"
    page.check("#check-REC-01")
    assert progress_line(page).startswith("Phase « Recrutement » : 1 question traitée")
    name, text = export(visit, "Exporter (YAML)")
    assert name.endswith(".yaml") and "  REC-01:\n    status: done\n" in text


# -- answers kept in this browser ----------------------------------------------------------------

STORAGE_KEY = "playbook-rh-reseaux-sociaux:run"


def store(page: Page, data: dict[str, Any]) -> None:
    page.evaluate("([key, value]) => localStorage.setItem(key, JSON.stringify(value))",
                  [STORAGE_KEY, data])


@pytest.mark.parametrize("status", ["constructor", "__proto__", "terminé"])
def test_one_unknown_stored_value_keeps_every_other_answer(visit: Visit, status: str) -> None:
    page = visit.page
    visit.open(CHECKLIST)
    store(page, {"organisation": "Exemple SA", "items": {
        "REC-01": {"status": status, "answer": "Gardée", "colour": "bleu"},
        "REC-02": {"status": "in-progress", "answer": "En cours"},
    }})
    visit.reload()
    assert page.input_value("#status-REC-02") == "in-progress"
    assert page.input_value("#note-REC-02") == "En cours"
    assert page.input_value("#note-REC-01") == "Gardée"
    assert page.input_value("#status-REC-01") == "todo"
    problem = page.locator("#REC-01 .playbook-item-problem")
    assert problem.is_visible()
    assert f"statut « {status} » inconnu" in plain(problem.inner_text())
    assert "champ « colour » inconnu" in plain(problem.inner_text())
    assert "REC-01" in plain(page.locator(".playbook-message").first.inner_text())
    assert page.locator("#REC-02 .playbook-item-problem").is_hidden()

    # The next click keeps it: saved, reloaded and exported as it was.
    page.check("#check-REC-03")
    visit.reload()
    assert page.is_checked("#check-REC-03")
    assert page.input_value("#note-REC-01") == "Gardée"
    _name, text = export(visit, "Exporter (YAML)")
    assert f"status: {status}\n" in text.replace("'", "").replace('"', "")
    assert "colour: bleu\n" in text

    # A status chosen replaces the one kept; the unknown field stays, and is still said.
    page.select_option("#status-REC-01", "done")
    _name, text = export(visit, "Exporter (YAML)")
    assert "  REC-01:\n    status: done\n" in text and "colour: bleu\n" in text
    assert "statut" not in problem.inner_text() and "colour" in problem.inner_text()


# -- the organisation's profile ---------------------------------------------------------------

def profile_select(page: Page, criterion: str) -> Any:
    return page.locator(f'.playbook-profile select[data-criterion="{criterion}"]')


def test_the_profile_folds_what_does_not_apply_and_keeps_its_answers(
        make_visit: Callable[..., Visit], site_needs_json: Path, tmp_path: Path) -> None:
    visit = make_visit()
    page = visit.page
    visit.open(CHECKLIST)
    page.fill("#note-REC-14", "Consultation du CSE prévue en mars.")
    assert progress_line(page) == "Phase « Recrutement » : 0 question traitée sur 14 (0 %)"

    # Set once, on the dashboard: a company of 30 that does not recruit on social media.
    visit.open(DASHBOARD)
    assert profile_select(page, "headcount").count() == 1
    profile_select(page, "headcount").select_option("11-49")
    profile_select(page, "social-recruiting").select_option("false")
    header = page.locator("table.playbook-dashboard-table thead").inner_text()
    assert "Ne s’appliquent pas" in header

    visit.open(CHECKLIST)
    folded = page.locator(".playbook-item.playbook-out-of-scope")
    ids = sorted(folded.evaluate_all("items => items.map(item => item.dataset.item)"))
    assert ids == ["REC-02", "REC-05", "REC-06", "REC-07", "REC-09", "REC-14"]
    assert progress_line(page) == ("Phase « Recrutement » : 0 question traitée sur 8 (0 %) ; "
                                   "6 autres questions ne s'appliquent pas")
    reason = plain(page.locator("#REC-14 .playbook-scope-reason").inner_text())
    assert reason.startswith("Ne s'applique pas au profil de votre organisation.")
    assert "50 salariés" in reason and "Vos réponses restent gardées." in reason
    assert page.locator("#note-REC-14").is_hidden()
    assert page.locator("#REC-01 .playbook-scope").is_hidden()  # no condition: shown
    assert page.locator("#REC-04 .playbook-scope").is_hidden()  # ambassadors unknown: shown
    page.locator("#REC-14").get_by_role("button", name="Afficher la question").click()
    assert page.input_value("#note-REC-14") == "Consultation du CSE prévue en mars."

    # Exported with the answers, valid for the command line, imported back elsewhere.
    name, text = export(visit, "Exporter (YAML)")
    assert "\nprofile:\n  headcount: 11-49\n  social-recruiting: false\n" in text
    assert "Consultation du CSE prévue en mars." in text  # out of scope, still kept
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli", "validate", str(path),
         "--needs", str(site_needs_json)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    other = make_visit()
    other.open(DASHBOARD)
    import_file(other, text, name)
    assert profile_select(other.page, "headcount").input_value() == "11-49"
    assert profile_select(other.page, "social-recruiting").input_value() == "false"
    assert profile_select(other.page, "internal-network").input_value() == ""

    # Back to "not said": everything shows again, nothing was lost.
    visit.open(DASHBOARD)
    profile_select(page, "headcount").select_option("")
    profile_select(page, "social-recruiting").select_option("")
    visit.open(CHECKLIST)
    assert page.locator(".playbook-item.playbook-out-of-scope").count() == 0
    assert page.input_value("#note-REC-14") == "Consultation du CSE prévue en mars."


def test_without_javascript_every_question_shows(make_visit: Callable[..., Visit]) -> None:
    visit = make_visit(java_script_enabled=False)
    visit.open(CHECKLIST)
    assert visit.page.locator("#REC-14 .playbook-question").is_visible()
    assert visit.page.locator(".playbook-profile").count() == 0


def test_a_hostile_file_name_shows_escaped(visit: Visit) -> None:
    """A name that reverses the text after it (U+202E) or holds ESC is shown escaped."""
    visit.open(CHECKLIST)
    message = import_file(visit, b"items: [\n", name="suivi\x1b[2J\u202elmy.exe")
    assert "« suivi\\x1b[2J\\u202elmy.exe » n'a pas été importé" in message, message
    assert "\u202e" not in message and "\x1b" not in message

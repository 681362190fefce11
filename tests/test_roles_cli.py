"""The command per owner role (``list --owner``, ``status --by owner``,
``export --owner``) and the calendar of due dates (``export --format ics``).

Against the test root ``basic`` (REC-01: hr and marketing; REC-02: hr; TRA-01: legal),
its needs.json built with the site's address (``html_baseurl``) so that the calendar
links each item to its page. The calendar file is read back with the ``icalendar``
library, and its bytes checked against RFC 5545 (CRLF, folding, escaping).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
from pathlib import Path

import icalendar
import pytest
from playbook_rh.core.vocabulary_file import VOCABULARY_FILE

from .cli_support import BASIC_ROOT, build_needs, run_main, write_run
from .conftest import ROOTS

PROFILE_ROOT = ROOTS / "test-profile"

SITE = "https://playbook.example.org/guide/"
ROLES = "hr (Ressources humaines), legal (Juridique), marketing (Marketing)"
#: An answer with every character RFC 5545 escapes in text: comma, semicolon,
#: backslash and line break.
TRICKY = "Oui, validé; par le CSE\\la DRH\ndeuxième ligne"
#: What no calendar line may hold raw (RFC 5545 allows no control character in TEXT).
HOSTILE = "Réponse \x1b[31mrouge\x1b[0m\rfin"


@pytest.fixture(scope="module")
def needs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("roles-needs")
    return build_needs(BASIC_ROOT, outdir, html_baseurl=SITE)


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run.yaml", {
        "REC-01": {"status": "in-progress", "due": "2026-11-10", "answer": TRICKY,
                   "owner": "Claire Martin (DRH)"},
        "REC-02": {"status": "done", "due": "2026-11-05"},
        "TRA-01": {"status": "todo"},
    }, organisation="Exemple, SA")


# -- list, status and export per role -------------------------------------------------------

def test_list_owner_shows_only_that_roles_questions(needs: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "list", "--owner", "legal", "--needs", needs)
    assert result.code == 0, result.err
    assert "TRA-01  Avez-vous une politique ?" in result.out
    assert "REC-0" not in result.out
    assert "Recrutement" not in result.out  # a phase without the role's questions is left out
    both = run_main(capsys, "list", "REC", "--owner", "MARKETING", "--needs", needs)
    assert both.code == 0
    assert "REC-01" in both.out and "REC-02" not in both.out and "TRA-01" not in both.out


@pytest.mark.parametrize("command", [("list",), ("status", "RUN", "--by", "owner"),
                                     ("export", "RUN", "--format", "csv")])
def test_an_unknown_role_lists_the_declared_ones(needs: Path, run: Path, command: tuple[str, ...],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    args = [run if part == "RUN" else part for part in command]
    if command[0] == "status":  # --by takes a grouping, not a role: argparse refuses
        result = run_main(capsys, *args[:-1], "rh", "--needs", needs)
        assert result.code == 2 and "invalid choice: 'rh'" in result.err
        return
    result = run_main(capsys, *args, "--owner", "rh", "--needs", needs)
    assert result.code == 2
    assert result.err.strip() == (f"playbook-rh {command[0]}: unknown owner role 'rh'; the "
                                  f"roles declared in playbook_owners are: {ROLES}")
    assert result.out == ""


def test_status_by_owner_counts_open_done_and_overdue(needs: Path, run: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "status", run, "--by", "owner", "--today", "2026-11-20",
                      "--needs", needs)
    assert result.code == 0, result.err
    rows = {line.split("  ")[0].strip(): line.split()[-4:] for line in result.out.splitlines()
            if line and not line.startswith(("Rôle", "-"))}
    # open, done, overdue, total: REC-01 open and late (hr, marketing), REC-02 done (hr),
    # TRA-01 open without a due date (legal)
    assert rows == {"Ressources humaines": ["1", "1", "1", "2"],
                    "Juridique": ["1", "0", "0", "1"],
                    "Marketing": ["1", "0", "1", "1"]}
    assert result.out.index("Ressources humaines") < result.out.index("Juridique") \
        < result.out.index("Marketing")  # playbook_owners' order
    data = json.loads(run_main(capsys, "status", run, "--by", "owner", "--json", "--today",
                               "2026-11-20", "--needs", needs).out)
    assert data[0] == {"key": "hr", "label": "Ressources humaines", "open": 1, "done": 1,
                       "overdue": 1, "total": 2}
    by_phase = json.loads(run_main(capsys, "status", run, "--by", "phase", "--json", "--today",
                                   "2026-11-20", "--needs", needs).out)
    assert [(row["key"], row["open"], row["done"]) for row in by_phase] == [
        ("recruitment", 1, 1), ("at-work", 1, 0)]


def test_status_by_owner_keeps_the_gate(needs: Path, run: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "status", run, "--by", "owner", "--fail-under", "50",
                      "--needs", needs)
    assert result.code == 1
    assert "gate not met: progress 33.3 % is under --fail-under 50 %" in result.err


def test_export_owner_keeps_that_roles_rows(needs: Path, run: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(capsys, "export", run, "--format", "json", "--owner", "hr",
                      "--needs", needs)
    assert result.code == 0, result.err
    assert [row["id"] for row in json.loads(result.out)["items"]] == ["REC-01", "REC-02"]


# -- the calendar ------------------------------------------------------------------------------

def export_ics(capsys: pytest.CaptureFixture[str], run: Path, needs: Path, output: Path,
               *extra: str) -> bytes:
    result = run_main(capsys, "export", run, "--format", "ics", "--output", output,
                      "--needs", needs, *extra)
    assert result.code == 0, result.err
    return output.read_bytes()


def events(data: bytes) -> dict[str, icalendar.Event]:
    """The events of a calendar file read back with the library, by the item ID their
    title starts with."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["summary"]).split(" ")[0]: event for event in calendar.walk("VEVENT")}


def test_the_calendar_has_an_all_day_event_per_due_date(
        needs: Path, run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = export_ics(capsys, run, needs, tmp_path / "run.ics")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0" and "playbook-rh" in str(calendar["prodid"])
    found = events(data)
    assert sorted(found) == ["REC-01", "REC-02"]  # TRA-01 has no due date
    event = found["REC-01"]
    assert event["summary"] == "REC-01 — Avez-vous une page entreprise ?"  # Markdown read
    start = event.decoded("dtstart")
    assert start == datetime.date(2026, 11, 10) and not isinstance(start, datetime.datetime)
    assert event.decoded("dtend") == datetime.date(2026, 11, 11)
    assert str(event["url"]) == f"{SITE}index.html#REC-01"
    description = str(event["description"])
    assert description.splitlines()[0] == "Responsable(s) : Ressources humaines, Marketing"
    assert "Personne en charge : Claire Martin (DRH)" in description
    assert "Statut : En cours" in description
    assert f"Réponse : {TRICKY}" in description  # escaped on the way out, read back intact
    stamp = event.decoded("dtstamp")
    assert isinstance(stamp, datetime.datetime) and stamp.utcoffset() == datetime.timedelta(0)


def test_the_calendar_follows_rfc_5545(needs: Path, run: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = export_ics(capsys, run, needs, tmp_path / "run.ics")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends with CRLF
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "a line is not folded at 75 octets"
    assert any(line.startswith(b" ") for line in lines), "the long description is folded"
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    # commas, semicolons, backslashes and line breaks of a TEXT value are escaped
    assert r"Oui\, validé\; par le CSE\\la DRH\ndeuxième ligne" in unfolded
    for name in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY"):
        assert unfolded.count(f"\r\n{name}:") == 2, name
    assert "\r\nX-WR-CALNAME:Playbook RH — Exemple\\, SA\r\n" in unfolded


def test_uids_are_stable_per_run_and_item(needs: Path, run: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    first = events(export_ics(capsys, run, needs, tmp_path / "first.ics"))
    again = events(export_ics(capsys, run, needs, tmp_path / "again.ics"))
    uids = {item_id: str(event["uid"]) for item_id, event in first.items()}
    assert uids == {item_id: str(event["uid"]) for item_id, event in again.items()}
    assert len(set(uids.values())) == len(uids) == 2
    assert all(re.fullmatch(r"[A-Z]+-\d+-[0-9a-f]{16}@playbook\.example\.org", uid)
               for uid in uids.values())
    # another organisation's run: other UIDs for the same items
    other = write_run(tmp_path / "other.yaml", {"REC-01": {"due": "2026-11-10"}},
                      organisation="Autre SARL")
    theirs = events(export_ics(capsys, other, needs, tmp_path / "other.ics"))
    assert str(theirs["REC-01"]["uid"]) != uids["REC-01"]


def test_the_calendar_of_one_role(needs: Path, run: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert sorted(events(export_ics(capsys, run, needs, tmp_path / "m.ics", "--owner",
                                    "marketing"))) == ["REC-01"]


def test_without_a_site_address_events_have_no_link(run: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    needs = build_needs(BASIC_ROOT, tmp_path / "needs")  # conf.py sets no html_baseurl
    assert json.loads((needs.parent / VOCABULARY_FILE).read_text())["site_url"] == ""
    result = run_main(capsys, "export", run, "--format", "ics", "--output", tmp_path / "a.ics",
                      "--needs", needs)
    assert result.code == 0
    assert "no site address (html_baseurl in conf.py)" in result.err
    found = events((tmp_path / "a.ics").read_bytes())
    assert "url" not in found["REC-01"]
    assert str(found["REC-01"]["uid"]).endswith("@playbook-rh.invalid")


def test_control_characters_stay_visible_escapes(needs: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run.yaml", {"REC-02": {"due": "2026-11-10",
                                                       "answer": HOSTILE}})
    data = export_ics(capsys, run, needs, tmp_path / "h.ics")
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", data.replace(b"\r\n", b""))
    description = str(events(data)["REC-02"]["description"])
    assert "Réponse : Réponse \\x1b[31mrouge\\x1b[0m\nfin" in description


# -- with a profile: only the questions that apply --------------------------------------------

SCOPED = """\
format: playbook-run/1
organisation: "Petite SARL"
profile:
  headcount: 11-49
  internal-network: false
items:
  REC-01:
    status: done
    due: 2026-11-02
  REC-02:
    due: 2026-11-03
  RSE-01:
    due: 2026-11-04
"""


def test_the_role_views_count_only_what_applies(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """REC-01 (50 or more) and RSE-01 (an internal network) do not apply to this run;
    their answers are kept, but neither the table nor the calendar shows them."""
    needs = build_needs(PROFILE_ROOT, tmp_path / "needs")
    run = tmp_path / "run.yaml"
    run.write_text(SCOPED, encoding="utf-8")
    result = run_main(capsys, "status", run, "--by", "owner", "--json", "--today",
                      "2026-11-26", "--needs", needs)
    assert result.code == 0, result.err
    hr = json.loads(result.out)[0]
    # REC-02 and REC-03 apply (REC-03's "sector" is unknown, so it may apply), open;
    # REC-02 is late
    assert (hr["key"], hr["open"], hr["done"], hr["overdue"]) == ("hr", 2, 0, 1)
    text = run_main(capsys, "status", run, "--by", "owner", "--needs", needs).out
    assert "Hors champ (3)" in text  # the table says first what it leaves out, and why
    assert sorted(events(export_ics(capsys, run, needs, tmp_path / "s.ics"))) == ["REC-02"]
    rows = json.loads(run_main(capsys, "export", run, "--format", "json", "--owner", "hr",
                               "--needs", needs).out)["items"]
    assert {row["id"]: row["in_scope"] for row in rows} == {
        "REC-02": "yes", "REC-03": "yes", "REC-01": "no", "RSE-01": "no"}


def with_due_date(path: Path, item_id: str, due: str) -> Path:
    """A run file `new` wrote, with a due date given to one item."""
    text = path.read_text(encoding="utf-8")
    entry = f"  {item_id}:\n    status: todo\n"
    assert entry in text
    path.write_text(text.replace(entry, f"{entry}    due: {due}\n"), encoding="utf-8")
    return path


def test_two_runs_of_one_organisation_started_the_same_day_stay_apart(
        needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uids = []
    for name in ("siege.yaml", "filiale.yaml"):
        run = tmp_path / name
        created = run_main(capsys, "new", run, "--organisation", "Exemple SA", "--needs",
                           needs, "--profile", "")
        assert created.code == 0, created
        assert re.search(r"^id: \"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                         r"[0-9a-f]{12}\"$", run.read_text(encoding="utf-8"), re.MULTILINE)
        with_due_date(run, "REC-01", "2026-11-10")
        first = events(export_ics(capsys, run, needs, tmp_path / f"{name}.ics"))
        again = events(export_ics(capsys, run, needs, tmp_path / f"{name}.again.ics"))
        assert str(first["REC-01"]["uid"]) == str(again["REC-01"]["uid"])  # stable
        uids.append(str(first["REC-01"]["uid"]))
    # same organisation, same start date, same item: imported into one calendar, the
    # two runs' events are two events
    assert uids[0] != uids[1]


def test_answering_keeps_the_runs_identifier_and_its_uids(
        needs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "run.yaml"
    assert run_main(capsys, "new", run, "--needs", needs, "--profile", "").code == 0
    with_due_date(run, "REC-01", "2026-11-10")
    identifier = re.search(r"^id: (.*)$", run.read_text(encoding="utf-8"), re.MULTILINE)
    before = events(export_ics(capsys, run, needs, tmp_path / "before.ics"))
    monkeypatch.setattr("sys.stdin", io.StringIO("c\n\n\n\n\nq\n"))
    run_main(capsys, "run", run, "REC", "--needs", needs)
    text = run.read_text(encoding="utf-8")
    assert "status: in-progress" in text
    assert identifier and identifier.group(0) in text
    after = events(export_ics(capsys, run, needs, tmp_path / "after.ics"))
    assert str(after["REC-01"]["uid"]) == str(before["REC-01"]["uid"])


def test_a_run_without_identifier_keeps_the_uids_it_always_had(
        needs: Path, run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The documented fallback: the organisation and the start date, as before ``id``."""
    found = events(export_ics(capsys, run, needs, tmp_path / "run.ics"))
    identity = hashlib.sha256(b"Exemple, SA\n2026-11-02").hexdigest()[:16]
    assert str(found["REC-01"]["uid"]) == f"REC-01-{identity}@playbook.example.org"

"""The ``playbook-rh`` command: run the checklists of the knowledge base.

Exit codes: 0 success; 1 the CI gate is not met (``status --fail-under`` or
``--require``), ``validate`` found answers to questions that no longer exist, or
``review`` found a page whose legal review is due;
2 a usage error or a file that cannot be read (message with file and line);
130 ``run`` interrupted (the answers already given are saved).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import NoReturn, TextIO

from playbook_rh import __version__
from playbook_rh.cli.scoping import ask_profile, criteria_from, profile_option, scope_lines
from playbook_rh.core.assessment import Assessment, Progress, assess
from playbook_rh.core.questions import (
    Question,
    Questions,
    QuestionsError,
    find_needs_file,
    load_questions,
)
from playbook_rh.core.roles import GROUPINGS, UnknownRole, of_role, role_key, tally
from playbook_rh.core.runs import (
    FORMAT,
    MAX_TEXT,
    Answer,
    Run,
    RunError,
    load_run,
    locked,
    record_answer,
    save_run,
    write_atomically,
)
from playbook_rh.core.safe_text import (
    json_safe,
    shown,
    shown_path,
    spreadsheet_cell,
    unwritable,
)
from playbook_rh.core.scope import profile_text, read_profile, scope_of
from playbook_rh.core.vocabulary import Vocabulary
from playbook_rh.core.vocabulary_file import (
    VocabularyFileError,
    load_site_url,
    load_vocabulary,
)

EXIT_OK, EXIT_GATE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The keys ``run`` answers a status with, by status. A keyboard layout, not a
#: vocabulary: the statuses are conf.py's (a status without a letter here is answered
#: with its number), and ``p`` and ``q`` stay free for "skip" and "quit".
STATUS_LETTERS = {"todo": "t", "in-progress": "c", "done": "f", "not-applicable": "s"}


#: The commands that read a whole run and needs.json at once, and end: tens of thousands
#: of objects, none in a reference cycle (see :func:`collector_paused`).
BULK_COMMANDS = frozenset({"list", "new", "status", "export", "validate", "next-id"})


class UsageError(Exception):
    """A mistake in how the command was called; the message says what to do."""


# -- shared ------------------------------------------------------------------------------

def questions_from(args: argparse.Namespace) -> Questions:
    return load_questions(find_needs_file(args.needs))


def vocabulary_from(args: argparse.Namespace) -> Vocabulary:
    """The statuses (and phases, owners) of conf.py, exported beside needs.json."""
    return load_vocabulary(find_needs_file(args.needs))


def status_keys(vocabulary: Vocabulary) -> dict[str, str]:
    """Key typed -> status, in the order of playbook_statuses."""
    keys: dict[str, str] = {}
    for number, status in enumerate(vocabulary.statuses, start=1):
        letter = STATUS_LETTERS.get(status)
        keys[letter if letter and letter not in keys else str(number)] = status
    return keys


def phase_key(questions: Questions, given: str) -> str:
    """A phase named by its key (recruitment) or its ID prefix (REC), any case."""
    wanted = given.strip().lower()
    for key, _label in questions.phases():
        prefix = questions.of_phase(key)[0].id.split("-")[0].lower()
        if wanted in (key.lower(), prefix):
            return key
    known = ", ".join(f"{key} ({questions.of_phase(key)[0].id.split('-')[0]})"
                      for key, _ in questions.phases())
    raise UsageError(f"unknown phase {given!r}; phases: {known}")


def bar(percent: float, width: int = 20) -> str:
    filled = round(width * percent / 100)
    return "█" * filled + "·" * (width - filled)


def owners_of(question: Question) -> str:
    return ", ".join(question.owner_labels or question.owners)


def report_notices(assessment: Assessment, out: TextIO) -> None:
    path = shown_path(assessment.questions.source)
    run_path = shown_path(assessment.run_path)
    for item_id, line in assessment.unknown:
        print(f"{run_path}:{line}: {item_id} is not a question of the playbook "
              f"({path}) any more: remove it or restore the item", file=out)
    for old, new, line in assessment.renamed:
        print(f"{run_path}:{line}: {old} is now {new}: its answers count for {new}",
              file=out)
    if assessment.missing:
        print(f"{run_path}: {len(assessment.missing)} question(s) without an entry "
              f"count as to do: {', '.join(assessment.missing)}", file=out)


def load_assessment(args: argparse.Namespace) -> tuple[Assessment, Vocabulary]:
    questions = questions_from(args)
    vocabulary = vocabulary_from(args)
    run = load_run(args.file, vocabulary.statuses)
    criteria = criteria_from(args)
    scope = scope_of(questions.items, criteria, read_profile(run, criteria, args.file))
    assessment = assess(run, questions, scope)
    assessment.run_path = args.file
    return assessment, vocabulary


# -- commands ----------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    questions = questions_from(args)
    if args.phase:
        phases = [phase_key(questions, args.phase)]
    else:
        phases = [key for key, _label in questions.phases()]
    labels = dict(questions.phases())
    role = role_key(vocabulary_from(args), args.owner) if args.owner else None
    for key in phases:
        listed = questions.of_phase(key) if role is None \
            else of_role(questions.of_phase(key), role)
        if not listed:
            continue  # a role with no question in this phase
        print(f"== {shown(labels[key])} ({shown(key)}) ==")  # needs.json is given
        for question in listed:
            print(f"{question.id}  {shown(question.title)}")
            print(f"        responsable(s) : {shown(owners_of(question))}")
        print()
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    questions = questions_from(args)
    vocabulary_from(args)  # a run is only started where its statuses can be read back
    undecodable = unwritable(args.organisation or "")
    if undecodable is not None:
        raise UsageError(f"--organisation holds bytes that are not UTF-8 ({undecodable}): "
                         "give it in UTF-8 (set the terminal to UTF-8)")
    if args.file.exists() and not args.force:
        raise UsageError(f"{args.file} exists; pass --force to replace it")
    if not args.file.resolve().parent.is_dir():
        raise UsageError(f"{args.file.parent} is not a folder: create it first")
    criteria = criteria_from(args)
    if args.profile is not None:
        try:
            profile = profile_option(args.profile, criteria)
        except ValueError as error:
            raise UsageError(str(error)) from None
    elif sys.stdin.isatty():
        try:
            profile = ask_profile(criteria, sys.stdin.readline, sys.stdout)
        except EOFError:
            raise UsageError("interrupted before the profile was complete: nothing was "
                             "written") from None
    else:
        profile = {}  # not a person at a terminal: no profile unless --profile gives one
    scope = scope_of(questions.items, criteria, profile)
    import uuid  # only here: the other commands do not need it

    run = Run(organisation=args.organisation or "", id=str(uuid.uuid4()),
              started=datetime.date.today(),
              items={question.id: Answer() for question in questions.items
                     if scope.applies(question)},
              profile=profile_text(profile))
    with locked(args.file):
        save_run(args.file, run)
    left_out = f"; {len(scope.out)} left out by the profile" if scope.out else ""
    print(f"{shown_path(args.file)}: {len(run.items)} questions, all to do{left_out} "
          f"({FORMAT})")
    return EXIT_OK


#: What a person types to clear a field, at any prompt of ``run``.
CLEAR = "-"


def line_reader(stream: TextIO | None) -> Callable[[], str]:
    """Read lines typed at the prompts as UTF-8, whatever the locale says: bytes that
    are not UTF-8 (a Latin-1 terminal) come back as lone surrogates, which :func:`ask`
    refuses. A closed standard input is a usage error."""
    if stream is None:
        raise UsageError("standard input is closed: `run` asks its questions there; "
                         "run it in a terminal, or give the answers on standard input")
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes under it
        return stream.readline

    def read() -> str:
        data: bytes = buffer.readline()
        return data.decode("utf-8", "surrogateescape")

    return read


def ask(prompt: str, read: Callable[[], str], out: TextIO) -> str:
    while True:
        out.write(prompt)
        out.flush()
        line = read()
        if line == "":  # end of input: like quitting
            raise EOFError
        undecodable = unwritable(line)
        line = line.rstrip("\r\n")
        if undecodable is None and len(line) > MAX_TEXT:
            print(f"  Trop long ({len(line)} caractères) : une réponse en compte au plus "
                  f"{MAX_TEXT}. Raccourcissez-la.", file=out)
            continue
        if undecodable is None:
            return line
        print(f"  Caractères illisibles ({undecodable}) : le terminal n'écrit pas en UTF-8. "
              "Retapez la réponse, ou réglez le terminal en UTF-8.", file=out)


def kept_or_cleared(typed: str, current: str) -> str:
    """Enter keeps the current value, ``-`` clears it, anything else replaces it."""
    if typed == CLEAR:
        return ""
    return typed or current


def walk_one(question: Question, answer: Answer, position: str, read: Callable[[], str],
             out: TextIO, vocabulary: Vocabulary) -> Answer | None:
    """Ask for one item; None when the person skips it. EOFError when they quit."""
    import textwrap  # here: only `run` needs these (status starts quicker without)

    from playbook_rh.core.plain_text import plain_text

    print(f"\n[{position}] {question.id} — {shown(plain_text(question.title))}", file=out)
    print(f"Responsable(s) prévu(s) : {shown(owners_of(question))}", file=out)
    if question.guidance.strip():
        print("Conseils :", file=out)
        for paragraph in plain_text(question.guidance).strip().split("\n\n"):
            print(textwrap.indent(textwrap.fill(shown(" ".join(paragraph.split())), 76),
                                  "  "), file=out)
    print(f"Statut actuel : {shown(vocabulary.statuses[answer.status])}", file=out)
    keys = status_keys(vocabulary)
    choices = ", ".join(f"{key}={shown(vocabulary.statuses[status].lower())}"
                        for key, status in keys.items())
    while True:
        choice = ask(f"Statut [{choices}, Entrée=garder, p=passer, q=quitter] : ", read,
                     out).strip().lower()
        if choice == "q":
            raise EOFError
        if choice == "p":
            return None
        if choice == "" or choice in keys:
            status = keys.get(choice, answer.status)
            break
        print(f"  Réponse non comprise : tapez {', '.join(keys)}, p, q ou Entrée.", file=out)
    owner = ask(f"Responsable (personne ou rôle, '-' pour effacer) [{shown(answer.owner)}] : ",
                read, out).strip()
    while True:
        current = answer.due.isoformat() if answer.due else ""
        due_text = ask(f"Échéance AAAA-MM-JJ ('-' pour effacer) [{current}] : ", read,
                       out).strip()
        if due_text in ("", CLEAR):
            due = None if due_text == CLEAR else answer.due
            break
        try:
            due = datetime.date.fromisoformat(due_text)
            break
        except ValueError:
            print("  Date non comprise : écrivez par exemple 2026-12-31.", file=out)
    evidence = ask(f"Preuve (lien ou document, '-' pour effacer) [{shown(answer.evidence)}] : ",
                   read, out).strip()
    note = ask(f"Réponse ou note ('-' pour effacer) [{shown(answer.answer)}] : ", read,
               out).strip()
    return answer._replace(status=status, owner=kept_or_cleared(owner, answer.owner), due=due,
                           evidence=kept_or_cleared(evidence, answer.evidence),
                           answer=kept_or_cleared(note, answer.answer))


def cmd_run(args: argparse.Namespace) -> int:
    read = line_reader(sys.stdin)  # before anything: a closed input is a usage error
    assessment, vocabulary = load_assessment(args)
    questions = assessment.questions
    chosen = assessment.of_phase(phase_key(questions, args.phase)) if args.phase \
        else list(assessment.applicable)
    # resume: items not reviewed yet (no 'updated' date), unless --all
    todo = [q for q in chosen if args.all or assessment.answer(q).updated is None]
    out = sys.stdout
    for line in scope_lines(assessment):
        print(line, file=out)
    if not todo:
        print("Toutes les questions ont déjà été passées en revue (--all pour tout revoir).",
              file=out)
        return EXIT_OK
    print(f"{len(todo)} question(s) à passer en revue. Chaque réponse est enregistrée "
          "aussitôt ; q pour quitter, vous reprendrez là où vous vous êtes arrêté.", file=out)
    try:
        for number, question in enumerate(todo, start=1):
            current = assessment.answer(question)
            given = walk_one(question, current, f"{number}/{len(todo)}", read, out,
                             vocabulary)
            if given is not None:
                record_answer(args.file, question.id, given, vocabulary.statuses)
    except EOFError:
        print("\nArrêt : les réponses données sont enregistrées.", file=out)
    except KeyboardInterrupt:
        print("\nInterrompu : les réponses déjà données sont enregistrées. Relancez "
              f"`playbook-rh run {shown_path(args.file)}` pour reprendre.", file=out)
        return EXIT_INTERRUPTED
    return EXIT_OK


def progress_lines(title: str, rows: Sequence[Progress]) -> list[str]:
    lines = [title]
    labels = [shown(row.label) for row in rows]  # an owner comes from the run file
    width = max((len(label) for label in labels), default=0)
    for row, label in zip(rows, labels, strict=True):
        lines.append(f"  {label:<{width}}  {bar(row.percent)} {row.percent:5.1f} % "
                     f"({row.complete}/{row.total})")
    return lines


def cmd_status(args: argparse.Namespace) -> int:
    assessment, vocabulary = load_assessment(args)
    report_notices(assessment, sys.stderr)
    today = args.today or datetime.date.today()
    overall = assessment.overall()
    required = [phase_key(assessment.questions, phase) for phase in args.require]
    if args.by:
        from playbook_rh.cli.roles import tally_data, tally_lines

        tallies = tally(assessment, args.by, vocabulary, today, assessment.applicable)
        if args.json:
            print(json.dumps(tally_data(tallies), ensure_ascii=False, indent=2))
        else:
            for line in scope_lines(assessment):  # the questions the profile leaves out
                print(shown(line))
            print("\n".join(tally_lines(args.by, tallies)))
    elif args.json:
        print(json_safe(json.dumps(status_data(assessment, today), ensure_ascii=False,
                                   indent=2)))
    else:
        organisation = assessment.run.organisation or os.fspath(args.file)
        print(f"Suivi : {shown(organisation)}")
        for line in scope_lines(assessment):
            print(shown(line))
        print(f"Avancement : {bar(overall.percent)} {overall.percent:.1f} % "
              f"({overall.complete}/{overall.total} questions traitées)")
        print("\n".join(progress_lines("\nPar phase :", assessment.by_phase())))
        print("\n".join(progress_lines("\nPar responsable :", assessment.by_owner())))
        # thousands of lines: printed at once, each status's label shown once
        overdue = assessment.overdue_items(today)
        lines = [f"\nEn retard ({len(overdue)}) :"]
        for question in overdue:
            answer = assessment.answer(question)
            lines.append(f"  {question.id}  échéance {answer.due}  "
                         f"{shown(answer.owner or owners_of(question))}")
        open_items = assessment.open_items()
        lines.append(f"\nÀ traiter ({len(open_items)}) :")
        statuses = {key: shown(label) for key, label in vocabulary.statuses.items()}
        for question in open_items:
            status = statuses[assessment.answer(question).status]
            lines.append(f"  {question.id}  [{status}]  {shown(question.title)}")
        print("\n".join(lines))
    failures = []
    # compared as shown (one decimal), so the message never reads "66.7 % under 66.7 %"
    if args.fail_under is not None and round(overall.percent, 1) < args.fail_under:
        failures.append(f"progress {overall.percent:.1f} % is under --fail-under "
                        f"{args.fail_under:g} %")
    labels = dict(assessment.questions.phases())
    for key in required:
        phase = assessment.progress(assessment.of_phase(key), labels[key])
        if phase.complete < phase.total:
            failures.append(f"phase {key} is not complete ({phase.complete}/{phase.total})")
    for failure in failures:
        print(f"playbook-rh status: gate not met: {failure}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def status_data(assessment: Assessment, today: datetime.date) -> dict[str, object]:
    def rows(progress: list[Progress]) -> list[dict[str, object]]:
        return [{"label": p.label, "complete": p.complete, "total": p.total,
                 "percent": round(p.percent, 1)} for p in progress]

    overall = assessment.overall()
    return {
        "organisation": assessment.run.organisation,
        "percent": round(overall.percent, 1),
        "complete": overall.complete,
        "total": overall.total,
        "by_phase": rows(assessment.by_phase()),
        "by_owner": rows(assessment.by_owner()),
        "open": [q.id for q in assessment.open_items()],
        "overdue": [q.id for q in assessment.overdue_items(today)],
        "unknown": [item_id for item_id, _ in assessment.unknown],
        "missing": assessment.missing,
        "profile": profile_text(assessment.scope.profile) if assessment.scope else {},
        "out_of_scope": [q.id for q in assessment.out_of_scope],
    }


EXPORT_COLUMNS = ("id", "phase", "question", "owner_roles", "status", "owner", "due",
                  "evidence", "answer", "updated", "in_scope")


def export_rows(assessment: Assessment, role: str | None = None) -> list[dict[str, str]]:
    """The questions that apply, then the answers kept for those the profile leaves
    out (``in_scope`` says which); only those of owner role ``role`` when given."""
    rows = []
    kept = assessment.answered_out_of_scope()
    kept_ids = {question.id for question in kept}
    exported = [*assessment.applicable, *kept]
    for question in exported if role is None else of_role(exported, role):
        answer = assessment.answer(question)
        rows.append({
            "id": question.id,
            "phase": question.phase_label,
            "question": question.title,
            "owner_roles": owners_of(question),
            "status": answer.status,
            "owner": answer.owner,
            "due": answer.due.isoformat() if answer.due else "",
            "evidence": answer.evidence,
            "answer": answer.answer,
            "updated": answer.updated.isoformat() if answer.updated else "",
            "in_scope": "no" if question.id in kept_ids else "yes",
        })
    return rows


def markdown_cell(text: str) -> str:
    """One table cell: its text stays text (HTML escaped, control characters shown
    escaped) and on one line."""
    import html  # here: only the Markdown export needs it

    text = html.escape(shown(text, one_line=False), quote=False)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.splitlines()) if text else text


def cmd_export(args: argparse.Namespace) -> int:
    assessment, vocabulary = load_assessment(args)
    report_notices(assessment, sys.stderr)
    if args.output is not None:
        check_output(args.output, args.file)
    for line in scope_lines(assessment):
        print(shown(line), file=sys.stderr)
    role = role_key(vocabulary, args.owner) if args.owner else None
    rows = export_rows(assessment, role)
    buffer = io.StringIO()
    if args.format == "ics":
        from playbook_rh.cli.ics import calendar_file  # icalendar: only for this format

        site_url = load_site_url(find_needs_file(args.needs))
        if not site_url:
            print("playbook-rh export: the build gave no site address (html_baseurl in "
                  "conf.py): the events carry no link to their item", file=sys.stderr)
        # the due dates of the questions that apply (of the role)
        dated = list(assessment.applicable) if role is None \
            else of_role(assessment.applicable, role)
        stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        buffer.write(calendar_file(assessment, vocabulary, site_url, dated,
                                   stamp).decode("utf-8"))
    elif args.format == "csv":
        import csv  # here: only this format needs it

        # every cell quoted: a carriage return inside one stays inside (OWASP's advice too)
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n",
                                quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows({name: spreadsheet_cell(value, raw=args.raw) for name, value
                          in row.items()} for row in rows)
    elif args.format == "json":
        buffer.write(json_safe(json.dumps({"organisation": assessment.run.organisation,
                                           "items": rows}, ensure_ascii=False, indent=2)))
        buffer.write("\n")
    else:
        title = assessment.run.organisation or "Suivi du playbook"
        buffer.write(f"# {markdown_cell(title)}\n\n")
        scope = scope_lines(assessment)  # the profile, what it leaves out and why
        if scope:
            buffer.write("".join(f"{markdown_cell(line.strip())}  \n" for line in scope) + "\n")
        buffer.write("| ID | Question | Statut | Responsable | Échéance | Réponse |\n")
        buffer.write("|---|---|---|---|---|---|\n")
        for row in rows:
            status = vocabulary.statuses[row["status"]]
            if row["in_scope"] == "no":
                status += " (hors champ)"
            cells = [row["id"], row["question"], status,
                     row["owner"] or row["owner_roles"], row["due"], row["answer"]]
            buffer.write("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |\n")
    if args.output:
        with locked(args.output):
            write_atomically(args.output, buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    return EXIT_OK


def check_output(output: Path, run_file: Path) -> None:
    """An export goes to a new path or replaces a regular file, never the run file."""
    try:
        same = output.exists() and os.path.samefile(output, run_file)
    except OSError:
        same = False
    if same:
        raise UsageError(f"--output {output} is the run file itself: give another path "
                         "(the export would replace the answers)")


def cmd_validate(args: argparse.Namespace) -> int:
    assessment, _vocabulary = load_assessment(args)
    report_notices(assessment, sys.stdout)
    if assessment.unknown:
        return EXIT_GATE
    out_of_scope = (f", {len(assessment.out_of_scope)} question(s) left out by the profile"
                    if assessment.out_of_scope else "")
    print(f"{shown_path(args.file)}: valid ({len(assessment.answers)} answers, "
          f"{len(assessment.missing)} question(s) without an entry{out_of_scope})")
    return EXIT_OK


def cmd_next_id(args: argparse.Namespace) -> int:
    from playbook_rh.core.ids import next_free_id

    questions = questions_from(args)
    key = phase_key(questions, args.phase)
    print(next_free_id(questions, key, args.releases))
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------

def cmd_review(args: argparse.Namespace) -> int:
    """List the pages' legal reviews; exit 1 when one is due, 2 when one is malformed."""
    from playbook_rh.cli.review_scan import (  # reads conf.py with Sphinx
        ScanError,
        review_months,
        scan,
    )

    source: Path = args.source
    if not (source / "conf.py").is_file():
        raise UsageError(f"{source}: no conf.py here; give the project's folder with --source")
    try:
        months, excluded = review_months(source)
    except ScanError as error:
        raise UsageError(str(error)) from None
    months = args.months or months
    today = args.today or datetime.date.today()
    pages = scan(source, excluded, today)
    broken = [page for page in pages if page.review is None]
    reviews = [(page, page.review) for page in pages if page.review is not None]
    due = [(page, review) for page, review in reviews if review.is_due(months, today)]
    print(f"Legal reviews: {len(reviews)} page(s), a review holds {months} months, "
          f"counted to {today.isoformat()}")
    named = {page.path: shown_path((source / page.path).as_posix()) for page in pages}
    width = max((len(path) for path in named.values()), default=0)
    for page, review in reviews:
        state = "DUE" if review.is_due(months, today) else "ok"
        print(f"  {named[page.path]:<{width}}  reviewed {review.reviewed.isoformat()}  "
              f"next by {review.due_on(months).isoformat()}  {state:<3}  "
              f"{shown(review.reviewer)}")
    for page in broken:
        print(f"{named[page.path]}:{page.line}: {shown(page.problem)}", file=sys.stderr)
    if broken:
        return EXIT_ERROR
    if due:
        print(f"{len(due)} review(s) due: have these pages checked against their primary "
              "texts, then update legal_review and legal_reviewer in their front matter")
        return EXIT_GATE
    print("No review is due.")
    return EXIT_OK


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


def percent_argument(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"{value!r} is not a percentage from 0 to 100")
    return number


def date_argument(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--needs", type=Path, default=None,
                        help="the playbook's needs.json (default: $PLAYBOOK_NEEDS, "
                             "./needs.json, ./_build/needs/needs.json)")
    parser = argparse.ArgumentParser(
        prog="playbook-rh", description="Run the HR × social-media playbook's checklists.",
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"playbook-rh {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub = commands.add_parser("list", parents=[common], help="the questions, by phase")
    sub.add_argument("phase", nargs="?", help="a phase key (recruitment) or prefix (REC)")
    sub.add_argument("--owner", metavar="ROLE",
                     help="only the questions of an owner role of playbook_owners (dpo)")
    sub.set_defaults(handler=cmd_list)

    sub = commands.add_parser("new", parents=[common], help="a fresh run, every item to do")
    sub.add_argument("file", type=Path)
    sub.add_argument("--organisation", default="")
    sub.add_argument("--force", action="store_true", help="replace an existing file")
    sub.add_argument("--profile", metavar="KEY=VALUE,...",
                     help="the organisation's profile (criteria of playbook_profile, such "
                          "as headcount=11-49,internal-network=false); asked at a terminal "
                          "when not given, none otherwise")
    sub.set_defaults(handler=cmd_new)

    sub = commands.add_parser("run", parents=[common],
                              help="answer the questions one by one, in the terminal")
    sub.add_argument("file", type=Path)
    sub.add_argument("phase", nargs="?")
    sub.add_argument("--all", action="store_true", help="also the items already reviewed")
    sub.set_defaults(handler=cmd_run)

    sub = commands.add_parser("status", parents=[common],
                              help="progress per phase and owner; a CI gate")
    sub.add_argument("file", type=Path)
    sub.add_argument("--fail-under", type=percent_argument, metavar="PCT",
                     help="exit 1 when overall progress is under PCT percent")
    sub.add_argument("--require", action="append", default=[], metavar="PHASE",
                     help="exit 1 unless every question of PHASE is done or not applicable")
    sub.add_argument("--today", type=date_argument, help="the day overdue is counted to")
    sub.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_argument("--by", choices=GROUPINGS,
                     help="instead: a table of open, done and overdue items per owner "
                          "role (or phase)")
    sub.set_defaults(handler=cmd_status)

    sub = commands.add_parser("export", parents=[common],
                              help="CSV, JSON, Markdown or a calendar (ics) of the due dates")
    sub.add_argument("file", type=Path)
    sub.add_argument("--format", choices=("csv", "json", "md", "ics"), required=True)
    sub.add_argument("--owner", metavar="ROLE",
                     help="only the questions of an owner role of playbook_owners (dpo)")
    sub.add_argument("--output", type=Path,
                     help="write there instead of the screen: a new file, or a file to "
                          "replace (not the run file, a folder or a device)")
    sub.add_argument("--raw", action="store_true",
                     help="CSV for a program, not a spreadsheet: no leading ' before a "
                          "cell starting with =, +, -, @, tab or carriage return (by "
                          "default added, so that a spreadsheet does not run it as a "
                          "formula); control characters stay escaped")
    sub.set_defaults(handler=cmd_export)

    sub = commands.add_parser("validate", parents=[common], help="check a run file")
    sub.add_argument("file", type=Path)
    sub.set_defaults(handler=cmd_validate)

    sub = commands.add_parser("review", help="pages whose legal review is due (exit 1)")
    sub.add_argument("--source", type=Path, default=Path("."),
                     help="the Sphinx project's folder, holding conf.py (default: .)")
    sub.add_argument("--months", type=positive_int, metavar="N",
                     help="how long a review holds (default: playbook_review_months "
                          "in conf.py, else 12)")
    sub.add_argument("--today", type=date_argument, help="the day reviews are counted to")
    sub.set_defaults(handler=cmd_review)

    sub = commands.add_parser("next-id", parents=[common],
                              help="the next free ID of a phase (IDs are never reused)")
    sub.add_argument("phase")
    sub.add_argument("--releases", type=Path, default=Path("releases"),
                     help="folder of released needs.json files (their IDs stay taken)")
    sub.set_defaults(handler=cmd_next_id)
    return parser


def output_to_nowhere() -> None:
    """Standard output sent to the null device from now on: what the command still
    prints, and what its buffer holds, has no reader left (a closed pipe, a full disk),
    and the interpreter's own flush at exit must not fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a bulk command runs, then restored.

    Why: reading needs.json and a run builds tens of thousands of dicts, lists and
    records, and the collector, started by the count of objects made, walks them all
    again and again for nothing: none is in a reference cycle, so reference counting
    frees each as before and memory stays what it is (bench/status.py shows the peak).
    About a seventh of ``playbook-rh status`` on 5,000 items (bench/status.py). Not for
    ``run``, which writes through ruamel.yaml once per answer for as long as the person
    goes on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a path with bytes that are not UTF-8
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "run" and args.phase is None and len(extra) == 1 \
            and not extra[0].startswith("-"):
        args.phase = extra.pop()  # `run FILE --all PHASE`: the phase after an option
    if extra:
        parser.error(f"unrecognized arguments: {shown(' '.join(extra))}")
    if sys.stdout is None and getattr(args, "output", None) is None:  # `>&-`
        print(f"playbook-rh {args.command}: standard output is closed: nothing can be "
              "shown (export --output writes to a file)", file=sys.stderr)
        return EXIT_ERROR
    try:
        with collector_paused() if args.command in BULK_COMMANDS else nullcontext():
            return int(args.handler(args))
    # every message below may name a file: shown escaped, whatever its name holds
    except RunError as error:
        for problem in error.problems:
            print(f"playbook-rh {args.command}: {shown(str(problem))}", file=sys.stderr)
        return EXIT_ERROR
    except (QuestionsError, VocabularyFileError, UsageError, UnknownRole) as error:
        print(f"playbook-rh {args.command}: {shown(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `playbook-rh list | head`: the reader left, nothing is wrong
        output_to_nowhere()
        return EXIT_OK
    except OSError as error:  # a folder that does not exist, a file we may not write...
        where = f"{error.filename}: " if error.filename else ""
        print(f"playbook-rh {args.command}: {shown(where + str(error.strerror or error))}",
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        print(f"playbook-rh {args.command}: not enough memory to finish: free some memory "
              "or check that the files given are the playbook's", file=sys.stderr)
        return EXIT_ERROR


def process_main() -> NoReturn:
    """``playbook-rh`` as a process: the console script and ``python -m playbook_rh.cli``.

    What the command printed is flushed here, so that a failing write (a full disk, a
    reader gone) is one message and exit 2, not the interpreter's "Exception ignored"
    at exit. Then a bulk command ends its process without tearing the interpreter down:
    freeing one by one the tens of thousands of objects read from needs.json and the run
    costs about 2 % of ``playbook-rh status`` on 5,000 items, for memory the system takes
    back at once (mypy's command ends the same way). Every file a command writes is
    closed before it returns (:func:`.runs.write_atomically`).
    """
    try:
        code = main()
    except SystemExit as stop:  # argparse: --help, --version, a command line refused
        if not isinstance(stop.code, int | None):
            raise
        code = stop.code or EXIT_OK
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BrokenPipeError:  # `playbook-rh list | head`: the reader left, nothing is wrong
        output_to_nowhere()
    except OSError as error:  # what is left in the buffer goes nowhere, said once
        output_to_nowhere()
        print(f"playbook-rh {shown(command)}: the output could not be written: "
              f"{error.strerror or error}", file=sys.stderr)
        code = EXIT_ERROR
    if command in BULK_COMMANDS:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    process_main()

"""Build-time benchmark of the ``checklist`` directive against its alternatives.

Three projects hold the same N checklist items over P pages:

* ``checklist``: the pages use the ``checklist`` directive (``myst_parser`` and
  ``playbook_rh``; one item in three with an ``:applies:`` condition), plus a dashboard:
  the playbook's own ``questions-count`` (by phase) and ``questions-table`` (one page
  per phase);
* ``needs``: the same items as plain sphinx-needs ``need`` directives, the same
  dashboard drawn with sphinx-needs' ``needpie`` and ``needtable``;
* ``floor``: the same pages as plain MyST task lists, no sphinx-needs, no dashboard.

For each project, in one run and interleaved (the order of the variants rotates from
one repeat to the next), it times a full HTML build from clean, a rebuild with nothing
changed and a rebuild after one item's question was edited, and checks that the
dashboard of the rebuilt site shows the edited question. The machine is noisy: ratios
are taken inside one repeat (side by side), then the median over the repeats.

    /tmp/venv/bin/python bench/run.py                    # 5000 items, 100 pages, 3 repeats
    /tmp/venv/bin/python bench/run.py --items 500 --pages 10 --repeat 1
    /tmp/venv/bin/python bench/run.py --profile          # + cProfile of one full build
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import math
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from profile_criteria import PROFILE  # bench/, beside this script

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EXTENSION = REPO / "ext" / "playbook_rh"
VARIANTS = ("checklist", "needs", "floor")
WITH_DASHBOARD = ("checklist", "needs")
BUILD_TIMEOUT = 3600  # seconds; a build this slow is a finding, not a hang to wait on

# Targets at 5,000 items over 100 pages (issue 12): the full build with -j 1 and with
# -j auto, each against the floor's with the same -j; the edit rebuild against the
# no-change rebuild.
TARGET_FULL_VS_FLOOR = 1.3
TARGET_EDIT_VS_NOCHANGE = 1.5

# ---------------------------------------------------------------------------------------
# Vocabulary and items
# ---------------------------------------------------------------------------------------

#: key -> (label, ID prefix); item IDs are PREFIX-NNN, so a phase holds 1,000 items.
BASE_PHASES: dict[str, tuple[str, str]] = {
    "recruitment": ("Recrutement", "REC"),
    "onboarding": ("Accueil", "ACC"),
    "at-work": ("Au travail", "TRA"),
    "crisis": ("Crise", "CRI"),
    "departure": ("Départ", "DEP"),
}
ITEMS_PER_PHASE = 1000
OWNERS = {
    "hr": "Ressources humaines",
    "legal": "Juridique",
    "marketing": "Marketing",
    "management": "Management",
    "it": "Informatique",
}
STATUSES = {"todo": "À faire", "in-progress": "En cours", "done": "Fait",
            "not-applicable": "Sans objet"}

QUESTION_STARTS = (
    "Avez-vous défini", "Savez-vous qui valide", "Qui vérifie", "Avez-vous documenté",
    "Le service RH connaît-il", "Qui est chargé de suivre", "Avez-vous prévu",
    "Les managers connaissent-ils", "Existe-t-il une règle pour", "Qui met à jour",
)
QUESTION_OBJECTS = (
    "les messages publiés par les salariés", "la charte des réseaux sociaux",
    "les réponses aux commentaires des candidats", "la page entreprise",
    "les publications des ambassadeurs", "le ton des offres d'emploi",
    "les données personnelles des candidats", "les avis laissés par les anciens salariés",
    "le calendrier éditorial", "les photos prises dans les locaux",
)
QUESTION_CONTEXTS = (
    "sur LinkedIn", "pendant la période d'essai", "en cas de crise",
    "avant chaque campagne", "lors du départ d'un salarié", "sur les réseaux personnels",
    "pendant un salon de recrutement", "après un bad buzz",
)
GUIDANCE = (
    "Une bonne réponse nomme la personne responsable et le délai de réponse.",
    "Vérifiez que la règle est écrite, connue des équipes et appliquée.",
    "Le juridique doit pouvoir retrouver la décision et sa date.",
    "Demandez un exemple récent : une réponse sans exemple reste théorique.",
    "Pensez aux prestataires et aux comptes personnels des salariés.",
    "Notez les écarts constatés et qui s'engage à les corriger.",
)


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    prefix: str


@dataclass
class Item:
    id: str
    phase: Phase
    owner: str
    question: str
    guidance: list[str]


@dataclass
class Corpus:
    """The items of every variant, grouped into pages (a page: a list of items)."""

    phases: list[Phase]
    pages: list[list[Item]]


def make_phases(items: int) -> list[Phase]:
    """The five playbook phases, plus as many extra ones as 1,000-item phases need."""
    phases = [Phase(key, label, prefix) for key, (label, prefix) in BASE_PHASES.items()]
    for extra in range(max(0, math.ceil(items / ITEMS_PER_PHASE) - len(phases))):
        letters = chr(ord("A") + extra // 26) + chr(ord("A") + extra % 26)
        phases.append(Phase(f"extra-{extra + 1}", f"Phase {extra + 1}", f"X{letters}"))
    return phases


def make_question(rng: random.Random) -> str:
    return (f"{rng.choice(QUESTION_STARTS)} {rng.choice(QUESTION_OBJECTS)} "
            f"{rng.choice(QUESTION_CONTEXTS)} ?")


def make_corpus(items: int, pages: int, seed: int = 20260101) -> Corpus:
    """``items`` items spread evenly over the phases, then over ``pages`` pages."""
    if pages < 1 or items < pages:
        raise SystemExit("need at least one page and one item per page")
    rng = random.Random(seed)
    phases = make_phases(items)
    all_items: list[Item] = []
    for index in range(items):
        phase = phases[index * len(phases) // items]
        first_of_phase = -(-phases.index(phase) * items // len(phases))  # ceiling
        number = index - first_of_phase
        all_items.append(Item(
            id=f"{phase.prefix}-{number:03d}",
            phase=phase,
            owner=rng.choice(list(OWNERS)),
            question=make_question(rng),
            guidance=rng.sample(GUIDANCE, rng.choice((1, 2))),
        ))
    grouped: list[list[Item]] = [[] for _ in range(pages)]
    for index, item in enumerate(all_items):
        grouped[index * pages // items].append(item)
    return Corpus(phases, grouped)


# ---------------------------------------------------------------------------------------
# Generation of the three projects
# ---------------------------------------------------------------------------------------

def runs_by_phase(items: list[Item]) -> list[tuple[Phase, list[Item]]]:
    """Consecutive items of one phase (a page may straddle two phases)."""
    runs: list[tuple[Phase, list[Item]]] = []
    for item in items:
        if runs and runs[-1][0] == item.phase:
            runs[-1][1].append(item)
        else:
            runs.append((item.phase, [item]))
    return runs


#: One item in three says when it applies, as in the real checklists.
CONDITIONS = ("headcount >= 50", "", "", "internal-network", "", "")


def checklist_block(phase: Phase, items: list[Item]) -> str:
    lines = ["```{checklist}", f":phase: {phase.key}", ":owner: hr", ""]
    for item in items:
        condition = CONDITIONS[int(item.id.split("-")[1]) % len(CONDITIONS)]
        applies = [f"  :applies: {condition}"] if condition else []
        lines += [f"- [ ] {item.id} {item.question}", f"  :owner: {item.owner}", *applies,
                  ""]
        lines += [f"  {text}" for text in item.guidance]
    lines.append("```")
    return "\n".join(lines)


def needs_blocks(phase: Phase, items: list[Item]) -> str:
    blocks = []
    for item in items:
        lines = [f"```{{need}} {item.question}", f":id: {item.id}",
                 f":phase: {phase.key}", f":owner: {item.owner}", ""]
        lines += item.guidance
        lines.append("```")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def tasklist_block(phase: Phase, items: list[Item]) -> str:
    lines = []
    for item in items:
        lines += [f"- [ ] {item.id} {item.question}", "",
                  f"  Responsable : {OWNERS[item.owner]}", ""]
        lines += [f"  {text}" for text in item.guidance]
        lines.append("")
    return "\n".join(lines).rstrip()


BLOCK_WRITERS: dict[str, Callable[[Phase, list[Item]], str]] = {
    "checklist": checklist_block,
    "needs": needs_blocks,
    "floor": tasklist_block,
}


def page_text(variant: str, number: int, items: list[Item]) -> str:
    parts = [f"# Questions, page {number}"]
    for phase, run in runs_by_phase(items):
        parts += [f"## {phase.label}", BLOCK_WRITERS[variant](phase, run)]
    return "\n\n".join(parts) + "\n"


def page_name(number: int) -> str:
    return f"pages/page-{number:03d}"


def conf_text(variant: str, phases: list[Phase]) -> str:
    lines = [f'project = "bench-{variant}"', 'language = "fr"']
    if variant == "checklist":
        lines += [
            'extensions = ["myst_parser", "playbook_rh"]',
            "playbook_phases = " + repr({p.key: {"label": p.label, "prefix": p.prefix}
                                          for p in phases}),
            f"playbook_owners = {OWNERS!r}",
            f"playbook_statuses = {STATUSES!r}",
            'playbook_default_status = "todo"',
            f"playbook_profile = {PROFILE!r}",
        ]
    elif variant == "needs":
        lines += [
            'extensions = ["myst_parser", "sphinx_needs"]',
            'needs_id_regex = r"^[A-Z]{2,5}-[0-9]{2,3}$"',
            # Each entry gives its schema: sphinx-needs 9.1 reads the type from
            # "schema" (a bare {"type": ...} is ignored) and warns at every build
            # about an entry without one.
            'needs_fields = {"phase": {"schema": {"type": "string"}}, '
            '"owner": {"schema": {"type": "string"}}}',
        ]
    else:
        lines += ['extensions = ["myst_parser"]', 'myst_enable_extensions = ["tasklist"]']
    return "\n".join(lines) + "\n"


def dashboard_text(variant: str, phases: list[Phase]) -> str:
    """The dashboard: counts by phase, then one page per phase listing its items.

    At thousands of items a dashboard is split by phase, as a reader would want it;
    an edit then changes one phase's table, and only that page needs writing again.
    """
    if variant == "checklist":
        return "# Tableau de bord\n\n```{questions-count} Questions par phase\n```\n"
    labels = ", ".join(phase.label for phase in phases)
    filters = "\n".join(f'phase == "{phase.key}"' for phase in phases)
    return (
        "# Tableau de bord\n\n"
        f"```{{needpie}} Questions par phase\n:labels: {labels}\n\n{filters}\n```\n"
    )


def dashboard_page(phase: Phase) -> str:
    return f"dashboard-{phase.key}"


def phase_dashboard_text(variant: str, phase: Phase) -> str:
    if variant == "checklist":
        return (f"# {phase.label}\n\n```{{questions-table}}\n:phase: {phase.key}\n"
                ":columns: id, question, phase, owner\n```\n")
    return (
        f"# {phase.label}\n\n"
        f"```{{needtable}}\n:filter: phase == \"{phase.key}\"\n"
        ":columns: id, title, phase, owner\n```\n"
    )


def index_text(variant: str, pages: int, phases: list[Phase]) -> str:
    # Sphinx writes a page again when a page of its toctree is: the phase tables hang
    # from the index, so an edit does not rewrite the pie's page (nor, for `needs`, import
    # matplotlib).
    entries = (["dashboard", *(dashboard_page(phase) for phase in phases)]
               if variant in WITH_DASHBOARD else [])
    entries += [page_name(number) for number in range(1, pages + 1)]
    return ("# Banc d'essai\n\n```{toctree}\n:maxdepth: 1\n\n"
            + "\n".join(entries) + "\n```\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(variant: str, corpus: Corpus, srcdir: Path) -> None:
    """Write the source tree of one variant (replacing any previous one)."""
    shutil.rmtree(srcdir, ignore_errors=True)
    write(srcdir / "conf.py", conf_text(variant, corpus.phases))
    write(srcdir / "index.md", index_text(variant, len(corpus.pages), corpus.phases))
    if variant in WITH_DASHBOARD:
        write(srcdir / "dashboard.md", dashboard_text(variant, corpus.phases))
        for phase in corpus.phases:
            write(srcdir / f"{dashboard_page(phase)}.md", phase_dashboard_text(variant, phase))
    for number, items in enumerate(corpus.pages, start=1):
        write(srcdir / f"{page_name(number)}.md", page_text(variant, number, items))


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------

@dataclass
class Project:
    variant: str
    root: Path
    pythonpath: Path | None = None
    """Where the builds import the extension from (a snapshot), if not installed."""

    def build_environment(self) -> dict[str, str]:
        environ = dict(os.environ)
        if self.pythonpath is not None:
            environ["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.pythonpath), environ.get("PYTHONPATH")]))
        return environ

    @property
    def srcdir(self) -> Path:
        return self.root / "src"

    def outdir(self, jobs: str) -> Path:
        return self.root / f"build-j{jobs}" / "html"

    def doctreedir(self, jobs: str) -> Path:
        return self.root / f"build-j{jobs}" / "doctrees"


@dataclass
class BuildResult:
    seconds: float
    warnings: int
    read: int = 0
    """Documents whose doctree was (re)written: the documents read."""
    written: int = 0
    """HTML pages (re)written."""


def sphinx_command(project: Project, jobs: str) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs,
            "-d", str(project.doctreedir(jobs)), str(project.srcdir), str(project.outdir(jobs))]


def mtimes(directory: Path, pattern: str) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in directory.rglob(pattern)}


def changed(before: dict[Path, int], after: dict[Path, int]) -> int:
    return sum(1 for path, stamp in after.items() if before.get(path) != stamp)


def build(project: Project, jobs: str = "1", clean: bool = False) -> BuildResult:
    """One ``sphinx-build -b html -q``, timed; ``clean`` starts from an empty build dir."""
    if clean:
        shutil.rmtree(project.outdir(jobs).parent, ignore_errors=True)
    doctrees_before = mtimes(project.doctreedir(jobs), "*.doctree")
    html_before = mtimes(project.outdir(jobs), "*.html")
    start = time.perf_counter()
    process = subprocess.run(sphinx_command(project, jobs), capture_output=True, text=True,
                             timeout=BUILD_TIMEOUT, check=False,
                             env=project.build_environment())
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"build of {project.variant} failed ({process.returncode}):\n"
                         f"{process.stderr[-3000:]}")
    warnings = [line for line in process.stderr.splitlines() if "WARNING" in line]
    if warnings:
        print(f"  [{project.variant}] {len(warnings)} warning(s), first: {warnings[0]}",
              file=sys.stderr)
    return BuildResult(
        seconds=seconds,
        warnings=len(warnings),
        read=changed(doctrees_before, mtimes(project.doctreedir(jobs), "*.doctree")),
        written=changed(html_before, mtimes(project.outdir(jobs), "*.html")),
    )


def edited_page(corpus: Corpus) -> int:
    """The number of the page whose first question the edit rebuild changes."""
    return len(corpus.pages) // 2 + 1


def edit_one_question(project: Project, corpus: Corpus, tag: str) -> str:
    """Change the question of the first item of the middle page; return the new text."""
    number = edited_page(corpus)
    item = corpus.pages[number - 1][0]
    base = item.question.split(" (révision", 1)[0].removesuffix(" ?")
    item.question = f"{base} (révision {tag}) ?"
    path = project.srcdir / f"{page_name(number)}.md"
    previous = path.stat().st_mtime_ns
    write(path, page_text(project.variant, number, corpus.pages[number - 1]))
    # Never let a coarse file-system clock hide the edit from Sphinx.
    stamp = max(time.time_ns(), previous + 1_000_000_000)
    os.utime(path, ns=(stamp, stamp))
    return item.question


def is_fresh(project: Project, corpus: Corpus, question: str) -> bool:
    """Whether the dashboard (or, without one, the edited page) shows ``question``."""
    marker = question.rsplit("(", 1)[1].split(")", 1)[0]  # "révision <tag>"
    if project.variant in WITH_DASHBOARD:
        item = corpus.pages[edited_page(corpus) - 1][0]
        page = project.outdir("1") / f"{dashboard_page(item.phase)}.html"
    else:
        page = project.outdir("1") / f"{page_name(edited_page(corpus))}.html"
    return marker in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------

@dataclass
class Samples:
    full: list[float] = field(default_factory=list)
    full_auto: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    fresh: list[bool] = field(default_factory=list)
    warnings: int = 0
    nochange_counts: list[tuple[int, int]] = field(default_factory=list)
    edit_counts: list[tuple[int, int]] = field(default_factory=list)


def rotated(variants: tuple[str, ...], repeat: int) -> list[str]:
    shift = repeat % len(variants)
    return list(variants[shift:] + variants[:shift])


def measure(projects: dict[str, Project], corpora: dict[str, Corpus], repeats: int,
            jobs_auto: bool) -> dict[str, Samples]:
    """Every measurement, interleaved: each step runs for all variants before the next."""
    samples = {variant: Samples() for variant in projects}
    for repeat in range(repeats):
        order = rotated(tuple(projects), repeat)
        print(f"repeat {repeat + 1}/{repeats} (order: {', '.join(order)})", file=sys.stderr)
        for variant in order:
            result = build(projects[variant], clean=True)
            samples[variant].full.append(result.seconds)
            samples[variant].warnings = max(samples[variant].warnings, result.warnings)
            log(variant, "full -j 1", result)
        for variant in order:
            result = build(projects[variant])
            samples[variant].nochange.append(result.seconds)
            samples[variant].nochange_counts.append((result.read, result.written))
            log(variant, "no-change", result)
        for variant in order:
            question = edit_one_question(projects[variant], corpora[variant],
                                         f"{repeat + 1}-{variant}")
            result = build(projects[variant])
            samples[variant].edit.append(result.seconds)
            samples[variant].edit_counts.append((result.read, result.written))
            samples[variant].fresh.append(is_fresh(projects[variant], corpora[variant], question))
            log(variant, "edit", result, fresh=samples[variant].fresh[-1])
        if jobs_auto:
            for variant in order:
                result = build(projects[variant], jobs="auto", clean=True)
                samples[variant].full_auto.append(result.seconds)
                log(variant, "full -j auto", result)
    return samples


def log(variant: str, step: str, result: BuildResult, fresh: bool | None = None) -> None:
    extra = "" if fresh is None else f", {'FRESH' if fresh else 'STALE'}"
    print(f"  {variant:<9} {step:<12} {result.seconds:7.2f} s "
          f"(read {result.read}, wrote {result.written}{extra})", file=sys.stderr)


# ---------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------

def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else math.nan


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """Median of the per-repeat ratios: each pair was measured side by side."""
    return median(n / d for n, d in zip(numerators, denominators, strict=True))


def freshness(samples: Samples, variant: str) -> str:
    if not samples.fresh:
        return "-"
    verdict = "FRESH" if all(samples.fresh) else (
        "STALE" if not any(samples.fresh) else
        f"STALE {samples.fresh.count(False)}/{len(samples.fresh)}")
    where = "dashboard" if variant in WITH_DASHBOARD else "page"
    return f"{verdict} ({where})"


def counts(pairs: list[tuple[int, int]]) -> str:
    return " or ".join(sorted({f"{read}, {written}" for read, written in pairs}))


def report(samples: dict[str, Samples], args: argparse.Namespace, context: list[str]) -> str:
    floor = samples["floor"]
    auto = bool(floor.full_auto)
    header = ["variant", "full -j1 (s)", "× floor"]
    if auto:
        header += ["full -j auto (s)", "× floor"]
    header += ["no-change (s)", "× floor", "edit (s)", "edit / no-change",
               "pages read, written (no-change; edit)", "edited text shown", "warnings"]
    rows = [header, ["---"] * len(header)]
    for variant, s in samples.items():
        row = [variant, f"{median(s.full):.1f}", f"{paired_ratio(s.full, floor.full):.2f}"]
        if auto:
            row += [f"{median(s.full_auto):.1f}",
                    f"{paired_ratio(s.full_auto, floor.full_auto):.2f}"]
        row += [f"{median(s.nochange):.1f}", f"{paired_ratio(s.nochange, floor.nochange):.2f}",
                f"{median(s.edit):.1f}",
                f"{paired_ratio(s.edit, s.nochange):.2f}",
                f"{counts(s.nochange_counts)}; {counts(s.edit_counts)}",
                freshness(s, variant), str(s.warnings)]
        rows.append(row)
    table = "\n".join("| " + " | ".join(row) + " |" for row in rows)

    checklist = samples["checklist"]
    full_ratio = paired_ratio(checklist.full, floor.full)
    edit_ratio = paired_ratio(checklist.edit, checklist.nochange)
    fresh = bool(checklist.fresh) and all(checklist.fresh)
    at_target_size = args.items == 5000 and args.pages == 100
    scope = "" if at_target_size else " (targets are set for 5000 items / 100 pages)"
    targets = [
        f"- {'PASS' if full_ratio <= TARGET_FULL_VS_FLOOR else 'FAIL'}: checklist full build "
        f"{full_ratio:.2f}× floor with -j 1 (target ≤ {TARGET_FULL_VS_FLOOR}×){scope}",
    ]
    if auto:
        auto_ratio = paired_ratio(checklist.full_auto, floor.full_auto)
        targets.append(
            f"- {'PASS' if auto_ratio <= TARGET_FULL_VS_FLOOR else 'FAIL'}: checklist full "
            f"build {auto_ratio:.2f}× floor with -j auto (target ≤ {TARGET_FULL_VS_FLOOR}×)"
            f"{scope}")
    targets += [
        f"- {'PASS' if edit_ratio <= TARGET_EDIT_VS_NOCHANGE and fresh else 'FAIL'}: "
        f"checklist edit rebuild {edit_ratio:.2f}× its no-change rebuild "
        f"(target ≤ {TARGET_EDIT_VS_NOCHANGE}×), dashboard {'FRESH' if fresh else 'STALE'}"
        f"{scope}",
    ]
    return "\n".join([
        f"{args.items} items over {args.pages} pages, {args.repeat} repeat(s), "
        f"medians; ratios are medians of per-repeat ratios.",
        *context,
        "",
        table,
        "",
        "Targets:",
        *targets,
    ])


# ---------------------------------------------------------------------------------------
# The code measured
# ---------------------------------------------------------------------------------------

def extension_digest(directory: Path = EXTENSION) -> str:
    """A short hash of the extension's sources: tells which code was measured."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(directory).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_extension(workdir: Path) -> Path:
    """Copy the extension into ``workdir``; the builds import this copy.

    The extension may be edited while the benchmark runs: every build then measures the
    code as it was when the run started. Returns the directory to put on PYTHONPATH
    (it comes before the editable install's path).
    """
    target = workdir / "_extension"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(EXTENSION, target / EXTENSION.name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


def check_imports_snapshot(project: Project, snapshot: Path) -> None:
    """Fail early unless the builds import the extension from the snapshot."""
    imported = subprocess.run(
        [sys.executable, "-c", "import playbook_rh; print(playbook_rh.__file__)"],
        capture_output=True, text=True, check=True, env=project.build_environment(),
    ).stdout.strip()
    if not Path(imported).resolve().is_relative_to(snapshot.resolve()):
        raise SystemExit(f"the builds would import {imported}, not the snapshot {snapshot}")


def git_state() -> str:
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "ext"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" + uncommitted changes in ext/" if dirty else "")


def environment(digest: str) -> str:
    packages = ", ".join(f"{name} {version(name)}"
                         for name in ("sphinx", "sphinx-needs", "myst-parser", "docutils"))
    return (f"{datetime.date.today().isoformat()}, {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, {packages}; "
            f"extension: {git_state()}, sources {digest}")


# ---------------------------------------------------------------------------------------
# Profiling
# ---------------------------------------------------------------------------------------

def profile(project: Project, workdir: Path, top: int = 30) -> str:
    """cProfile of one clean full build of ``project`` (-j 1), top functions."""
    output = workdir / f"profile-{project.variant}.pstats"
    shutil.rmtree(project.outdir("1").parent, ignore_errors=True)
    command = sphinx_command(project, "1")
    command[1:3] = ["-m", "cProfile", "-o", str(output), "-m", "sphinx"]
    subprocess.run(command, check=True, capture_output=True, timeout=BUILD_TIMEOUT,
                   env=project.build_environment())
    text = io.StringIO()
    stats = pstats.Stats(str(output), stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return f"profile written to {output}\n{text.getvalue()}"


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000, help="items per project")
    parser.add_argument("--pages", type=int, default=100, help="pages per project")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of each measurement")
    parser.add_argument("--workdir", type=Path, default=BENCH / "_work",
                        help="where projects and builds go (git-ignored)")
    parser.add_argument("--no-jobs-auto", dest="jobs_auto", action="store_false",
                        help="skip the extra full build with -j auto")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS),
                        help="the variants to build (floor and checklist always are)")
    parser.add_argument("--profile", action="store_true",
                        help="then profile one clean full build of the checklist variant")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir: Path = args.workdir.resolve()
    snapshot = snapshot_extension(workdir)
    digest = extension_digest(snapshot / EXTENSION.name)
    context = [environment(digest)]
    variants = [variant for variant in VARIANTS
                if variant in {*args.variants, "checklist", "floor"}]
    projects = {variant: Project(variant, workdir / variant, snapshot) for variant in variants}
    check_imports_snapshot(projects["checklist"], snapshot)
    corpora = {variant: make_corpus(args.items, args.pages) for variant in variants}
    for variant, project in projects.items():
        generate(variant, corpora[variant], project.srcdir)
    samples = measure(projects, corpora, args.repeat, args.jobs_auto)
    if extension_digest() != digest:
        context.append(f"(ext/ changed during the run: every build measured the snapshot "
                       f"{digest} taken at the start, not the newer {extension_digest()}.)")
    text = report(samples, args, context)
    print(text)
    write(workdir / "results.md", text + "\n")
    if args.profile:
        print("\n" + profile(projects["checklist"], workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

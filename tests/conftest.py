"""Shared fixtures: Sphinx's own testing fixtures, with the roots in tests/roots/, and the
real site, built once per builder per session.

A test's markers follow from the fixtures it asks for (``pytest_collection_modifyitems``):
one that asks for the real site is ``real_site``, for the PDFs ``pdf``, for Chromium
``browser``; ``make test-fast`` leaves those three out.

``make test-fast`` runs the tests in one process per core (pytest-xdist): a session
fixture is then built once per process, so the real site's are left to ``make test``,
which runs in one process and builds each once.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import main as sphinx_build_main
from sphinx.jinja2glue import BuiltinTemplateLoader

from .tree_guard import TreeState, git_available, left_behind, tree_state

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent

#: Set in CI: a missing tool fails instead of skipping.
IN_CI = bool(os.environ.get("CI"))

WARNING_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): WARNING: (?P<message>.*)$")


#: Fixtures that build the real site (docs/ and checklists/), by module and name -> the
#: markers of the tests that ask for them, directly or through another fixture. By module:
#: a test module's own fixture of the same name (test_roles_cli.py's ``needs``) is not these.
MARKERS_BY_FIXTURE = {
    "conftest.site": ("real_site",),
    "conftest.site_source": ("real_site",),
    "conftest.site_needs_json": ("real_site",),
    "conftest.needs": ("real_site",),
    "conftest.spelling": ("real_site",),
    "conftest.pdfs": ("real_site", "pdf"),
    "test_browser.browser": ("browser",),
}


def fixtures_used(item: pytest.Item) -> dict[str, Any]:
    """The definitions of the fixtures ``item`` uses, directly or through other fixtures,
    by name: for each name the one that applies to ``item`` (a test module's own ``needs``
    hides this file's). pytest has no public API for them: ``_fixtureinfo`` is what its
    own ``--fixtures-per-test`` reads."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:  # not a Python test function (none in this suite)
        return {}
    return {name: definitions[-1] for name, definitions in info.name2fixturedefs.items()
            if definitions}


@pytest.hookimpl(tryfirst=True)  # before pytest's -m reads the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the expensive fixtures it uses, so that no test building the real
    site, the PDFs or driving a browser can slip into ``make test-fast`` unmarked."""
    for item in items:
        markers = {marker for name, definition in fixtures_used(item).items()
                   for marker in MARKERS_BY_FIXTURE.get(
                       f"{definition.func.__module__.rpartition('.')[2]}.{name}", ())}
        for marker in sorted(markers):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def app_params(app_params: Any, sphinx_test_tempdir: Path) -> Any:
    """Sphinx's parameters for ``@pytest.mark.sphinx``, the source always a copy: without
    ``srcdir=``, Sphinx 9 reads the test root in place, and anything written beside the
    sources (a test editing a page, an extension writing a file) would land in git.
    Tests naming the same root share one copy, as they share its ``_build``."""
    args, kwargs = app_params
    srcdir = Path(kwargs["srcdir"])
    if srcdir.is_relative_to(ROOTS):
        copy = sphinx_test_tempdir / srcdir.name.removeprefix("test-")
        shutil.copytree(srcdir, copy, dirs_exist_ok=True)
        kwargs = {**kwargs, "srcdir": copy, "builddir": copy / "_build"}
    return type(app_params)(args, kwargs)


class TemplatesCompiledOnce(jinja2.BytecodeCache):
    """The theme's Jinja templates compiled once per session, not once per test build:
    each Sphinx application makes its own template environment, and compiling the HTML
    theme's templates was about a third of a small test build. Jinja checks each
    template's source against its checksum before reusing the code (``jinja2.BytecodeCache``,
    the documented hook), so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = TemplatesCompiledOnce()


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once() -> Iterator[None]:
    """Every HTML template environment of the session's Sphinx applications gets the
    session's compiled code, those ``sphinx-build``'s ``main`` makes in this process (and
    children it forks) too: Sphinx's ``BuiltinTemplateLoader.init`` (the ``TemplateBridge``
    method that makes the environment) is wrapped for the session."""
    made_by_sphinx = BuiltinTemplateLoader.init

    def init(loader: BuiltinTemplateLoader, builder: Any, theme: Any = None,
             dirs: list[str] | None = None) -> None:
        made_by_sphinx(loader, builder, theme, dirs)
        loader.environment.bytecode_cache = COMPILED_TEMPLATES

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BuiltinTemplateLoader, "init", init)
        yield


@pytest.fixture(scope="session", autouse=True)
def no_debug_records() -> Iterator[None]:
    """No log record below INFO is made in the test processes. Sphinx sets its logger to
    DEBUG and leaves its handlers to drop what the verbosity hides: each application made
    a thousand debug records at its start (every configuration value, event handler, node
    class an extension registers), a quarter of that start, that nobody reads (no test
    builds with ``-vv``, nor asks ``caplog`` for debug records). ``logging.disable`` is the
    standard library's switch above every logger's level."""
    logging.disable(logging.DEBUG)
    yield
    logging.disable(logging.NOTSET)


def stop_forked_children() -> None:
    """Stop the processes ``multiprocessing`` forked from this one. sphinx-sitemap starts
    a ``Manager`` (a forked server process) in every Sphinx application that loads it, and
    nothing stops it while the application lives; forked after Playwright's driver, it
    would hold the driver's input pipe open, so the driver would never see its end and
    the suite would hang at exit (tests/test_browser.py)."""
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(timeout=10)


@pytest.fixture
def make_app(make_app: Any) -> Iterator[Any]:
    """Sphinx's ``make_app`` (and so its ``app``); what the applications forked
    (sphinx-sitemap's server) is stopped after the test."""
    yield make_app
    stop_forked_children()


# -- the work tree, left as the suite found it ----------------------------------------------

#: Folders the suite may write to on purpose: syrupy's ``--snapshot-update``.
SNAPSHOTS = "tests/__snapshots__"


@pytest.fixture(scope="session", autouse=True)
def work_tree_left_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """``git status`` (ignored outputs included) is the same after the session as before
    it: no test builds inside the repository or leaves a file there. Set up before any
    other fixture and torn down after every other one, so it sees what all the tests and
    fixtures did; a failure is reported as an error at the teardown of the last test."""
    if not git_available(REPO):
        message = f"{REPO} is not a git work tree: the suite's traces in it are not checked"
        if IN_CI:
            pytest.fail(message)
        warnings.warn(message, pytest.PytestWarning, stacklevel=1)
        yield
        return
    before: TreeState = tree_state(REPO)
    yield
    allowed = [SNAPSHOTS] if request.config.getoption("--snapshot-update", False) else []
    traces = left_behind(before, tree_state(REPO), allowed)
    assert traces == [], (
        "the test suite left the work tree changed (a test must build in a temporary "
        "folder and leave the repository as it found it):\n" + "\n".join(traces))


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


@pytest.fixture(scope="session", autouse=True)
def temporary_files_removed_together(request: pytest.FixtureRequest,
                                     tmp_path_factory: pytest.TempPathFactory,
                                     ) -> Iterator[None]:
    """What the session's fixtures left in the temporary folder (the test roots copied and
    built: some 5,000 files) is removed at the end of a passed session by 8 threads, in each
    test process: pytest (``tmp_path_retention_policy = "failed"``) would remove it one
    file after the other, waiting for the disk at each (17 s measured on this machine
    while it was busy, 0.4 to 1.3 s with threads). A process where a test failed keeps
    it, as pytest keeps the failed test's folder."""
    yield
    if (request.session.testsfailed
            or request.config.getini("tmp_path_retention_policy") != "failed"):
        return
    with ThreadPoolExecutor(8) as pool:
        for _ in pool.map(remove, [path for path in tmp_path_factory.getbasetemp().iterdir()
                                   if not path.name.startswith(".")]):  # pytest's .lock
            pass


def require_tool(name: str) -> str:
    """The path of a command-line tool; skip without it, but fail in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def plain(text: str) -> str:
    """Text with the build's French typography undone, for comparing with the source."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


def warnings_of(text: str) -> list[str]:
    """The warning lines of a build log, colour codes removed."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


STRICT = ["-n", "-W", "--keep-going"]


def soup(app: Any, page: str) -> BeautifulSoup:
    """A page the test build wrote, parsed."""
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def build_copy(make_app: Any, root: str, srcdir: Path) -> Any:
    """Build a copy of test root ``root`` in ``srcdir`` (HTML, no warning allowed): two
    copies of one root can then be built in one test, say with and without a feature."""
    srcdir.mkdir()
    for source in (ROOTS / f"test-{root}").iterdir():
        (srcdir / source.name).write_bytes(source.read_bytes())
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert warnings_of(app.warning.getvalue()) == []
    return app


def ended_as_the_interpreter_ends(main: Callable[[list[str]], int], arguments: list[str],
                                  ) -> int:
    """``main(arguments)``'s exit code as ``python -m`` would give it: what ``SystemExit``
    says (the extension stops a build on bad settings by raising it), or 1 with the
    traceback printed for any other exception."""
    try:
        return main(arguments)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


def build_in_a_fork(arguments: list[str], output: Path, timeout: float = 600,
                    ) -> subprocess.CompletedProcess[str]:
    """sphinx-build's ``main`` (what ``python -m sphinx`` runs) in a child forked from
    this process, as ``make`` would run it: Sphinx and the extension are already imported
    (a new interpreter takes over a second to import them again), what the build leaves in
    memory dies with the child, and a build that waits forever or reads without end is
    killed after ``timeout`` seconds instead of hanging or filling this process. Its
    standard output and error go through ``output``.out and ``output``.err, removed once
    read."""
    out, err = output.with_suffix(".out"), output.with_suffix(".err")
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.environ["NO_COLOR"] = "1"
            with out.open("w", encoding="utf-8") as stdout, \
                    err.open("w", encoding="utf-8") as stderr:
                sys.stdout, sys.stderr = stdout, stderr
                code = ended_as_the_interpreter_ends(sphinx_build_main, arguments)
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while (waited := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"sphinx-build {' '.join(arguments)} still ran after {timeout} s")
        time.sleep(0.02)
    streams = [stream.read_text(encoding="utf-8") for stream in (out, err)]
    for stream in (out, err):
        stream.unlink()
    return subprocess.CompletedProcess(arguments, os.waitstatus_to_exitcode(waited[1]),
                                       *streams)


def sphinx_build(builder: str, outdir: Path,
                 source: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``sphinx-build`` as ``make`` runs it (strict), outside this process."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, *STRICT, "-d", str(outdir / ".doctrees"),
         str(source), str(outdir)],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )


# -- the real site, built once per builder per session ----------------------------------------

#: What ``site_source`` leaves out of its copy of the repository: no page there (conf.py
#: excludes them from the build); ``ext`` stays, pages link files of it.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "venv", ".nox", "_build", "tests", "bench", ".ci", ".github",
    "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
)


def not_sources(folder: str, names: list[str]) -> set[str]:
    ignored = set(NOT_SOURCES(folder, names))
    if Path(folder) == REPO:
        ignored.add("needs.json")  # written by `make needs`; the releases' ones are sources
    return ignored


@pytest.fixture(scope="session")
def basic_needs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """needs.json of the test root ``basic``: the questions of the command's tests."""
    from .cli_support import session_needs  # cli_support imports this module

    return session_needs(tmp_path_factory)


@pytest.fixture
def no_needs_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PLAYBOOK_NEEDS set where the tests run must not choose the command's questions
    (modules of the command's tests use it for every test: ``pytestmark``)."""
    monkeypatch.delenv("PLAYBOOK_NEEDS", raising=False)


@pytest.fixture(scope="session")
def site_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real site's sources, that the HTML build reads: the incremental test
    edits a page of it (and puts it back) instead of building the site a second time."""
    source = tmp_path_factory.mktemp("site-source") / "src"
    shutil.copytree(REPO, source, ignore=not_sources)
    return source


@pytest.fixture(scope="session")
def site(site_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site in HTML, as ``make html`` builds it (strict); its environment is in
    ``.doctrees`` beside the pages, for an incremental rebuild."""
    outdir = tmp_path_factory.mktemp("site")
    result = sphinx_build("html", outdir, site_source)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    return outdir


@pytest.fixture(scope="session")
def site_needs_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """needs.json of the real site, as ``make needs`` writes it."""
    outdir = tmp_path_factory.mktemp("needs")
    result = sphinx_build("needs", outdir)
    assert result.returncode == 0 and warnings_of(result.stderr) == [], result.stderr
    return outdir / "needs.json"


@pytest.fixture(scope="session")
def needs(site_needs_json: Path) -> dict[str, dict[str, object]]:
    """The real site's questions by ID, from its needs.json, checked against sphinx-needs'
    schema."""
    data = json.loads(site_needs_json.read_text(encoding="utf-8"))
    schema = json.loads(
        (Path(__import__("sphinx_needs").__file__).parent / "needsfile.json").read_text()
    )
    jsonschema.validate(data, schema)
    version: dict[str, dict[str, dict[str, object]]] = data["versions"][data["current_version"]]
    return version["needs"]


def french_dictionary_available() -> bool:
    try:
        import enchant
    except ImportError:  # pyenchant installed, but the Enchant C library is missing
        return False
    return bool(enchant.dict_exists("fr_FR"))


@pytest.fixture(scope="session")
def spelling(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """The real site through sphinxcontrib-spelling, as ``make spelling`` runs it."""
    if not french_dictionary_available():
        message = "Enchant or its French dictionary is missing (apt: libenchant-2-2 hunspell-fr)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    outdir = tmp_path_factory.mktemp("spelling")
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "spelling", *STRICT,
         "-d", str(outdir / ".doctrees"), str(REPO), str(outdir)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PLAYBOOK_SPELLING": "1", "NO_COLOR": "1"},
    )


def tex_tools() -> None:
    for tool in ("xelatex", "latexmk", "pdftotext", "pdffonts"):
        require_tool(tool)


def run_pdf(source: Path, build: Path) -> subprocess.CompletedProcess[str]:
    """``make pdf`` on ``source``, into ``build``."""
    return subprocess.run(
        [sys.executable, "-m", "playbook_rh.cli.pdf", "--source", str(source),
         "--build", str(build), "--", *STRICT],
        capture_output=True, text=True, check=False,
    )


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real PDF playbooks (``make pdf``): the folder of the PDFs; the LaTeX sources are
    in ``../latex``."""
    tex_tools()
    build = tmp_path_factory.mktemp("pdf")
    result = run_pdf(REPO, build)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build / "pdf"

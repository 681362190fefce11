"""The layout's rules, checked (in the spirit of sphinx-needs' test_circular_imports):

- ``playbook_rh.core`` imports neither Sphinx, docutils nor sphinx-needs, nor the rest
  of the package: the command line and other tools use it without a Sphinx;
- ``playbook_rh.sphinxext.needs`` is the only module that imports sphinx-needs;
- module-level imports between the package's modules form no cycle;
- every module imports on its own, in a fresh interpreter.

Imports are read from the source with :mod:`ast`: those under ``if TYPE_CHECKING:``
are not run, so they count for the first two rules and not for cycles.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "ext" / "playbook_rh"
ADAPTER = "playbook_rh.sphinxext.needs"
FRAMEWORKS = ("sphinx", "docutils", "sphinx_needs", "myst_parser", "sphinx_design")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, runs_at_import)`` for every import of ``path``, relative ones resolved;
    ``runs_at_import`` is False under ``if TYPE_CHECKING:`` and inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, at_import: bool) -> None:
        for child in ast.iter_child_nodes(node):
            deferred = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            if deferred:
                visit(child, False)
            elif isinstance(child, ast.Import):
                found.extend((alias.name, at_import) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.rsplit(".", child.level - 1)[0] if child.level > 1 \
                        else package
                    base = f"{anchor}.{base}" if base else anchor
                found.append((base, at_import))
                # `from package import module` imports the module too
                found.extend((f"{base}.{alias.name}", at_import) for alias in child.names
                             if f"{base}.{alias.name}" in MODULES)
            else:
                visit(child, at_import)

    visit(tree, True)
    return found


def top(module: str) -> str:
    return module.split(".", 1)[0]


def test_the_core_imports_no_framework_and_nothing_outside_it() -> None:
    offences = [
        f"{name} imports {imported}"
        for name, path in MODULES.items() if name.startswith("playbook_rh.core")
        for imported, _ in imports(path)
        if top(imported) in FRAMEWORKS
        or (imported.startswith("playbook_rh.") and not imported.startswith("playbook_rh.core"))
    ]
    assert offences == []


def test_only_the_adapter_imports_sphinx_needs() -> None:
    offences = [f"{name} imports {imported}"
                for name, path in MODULES.items() if name != ADAPTER
                for imported, _ in imports(path) if top(imported) == "sphinx_needs"]
    assert offences == []
    assert any(top(imported) == "sphinx_needs" for imported, _ in imports(MODULES[ADAPTER]))


def test_no_import_cycle() -> None:
    graph = {name: sorted({imported for imported, at_import in imports(path)
                           if at_import and imported in MODULES and imported != name})
             for name, path in MODULES.items()}
    visiting: list[str] = []
    done: set[str] = set()

    def walk(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node):], node]
        if node in done:
            return None
        visiting.append(node)
        for target in graph[node]:
            cycle = walk(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for module in graph:
        cycle = walk(module)
        assert cycle is None, " -> ".join(cycle)


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    """The checker itself: a core module importing Sphinx, or a module importing
    sphinx-needs, is reported (so the tests above cannot pass by reading nothing)."""
    bad = PACKAGE / "core" / "_architecture_probe.py"
    bad.write_text("from sphinx.util import logging\nimport sphinx_needs.api\n",
                   encoding="utf-8")
    try:
        found = imports(bad)
    finally:
        bad.unlink()
    assert ("sphinx.util", True) in found and ("sphinx_needs.api", True) in found
    assert len(MODULES) > 40 and ADAPTER in MODULES


#: Imported alone in a fresh interpreter: each core module (which must load no
#: framework), and the entry points that load the rest (the command, the extension).
ALONE = sorted({name for name in MODULES if name.startswith("playbook_rh.core")}
               | {"playbook_rh", "playbook_rh.cli", "playbook_rh.sphinxext.extension"})


@pytest.mark.parametrize("module", ALONE)
def test_entry_points_and_core_modules_import_on_their_own(module: str) -> None:
    """A fresh interpreter per module: an import that only works after another module
    was loaded first fails here. The core and the command load no framework."""
    check = ("import sys, importlib; importlib.import_module(sys.argv[1]); "
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             f"{FRAMEWORKS!r})))")
    result = subprocess.run([sys.executable, "-c", check, module], capture_output=True,
                            text=True, check=False, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    if module.startswith("playbook_rh.core") or module in ("playbook_rh", "playbook_rh.cli"):
        # the core, and the command at start-up, run without any framework
        assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"

"""The project's own promises: documented warnings, the Makefile's targets."""

from __future__ import annotations

import subprocess

from playbook_rh.sphinxext.warnings_ import ChecklistWarning, FactWarning

from .conftest import REPO


def test_readme_documents_every_warning_subtype() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for kind in [*ChecklistWarning, *FactWarning]:
        assert f"`{kind.warning_type}.{kind.subtype}`" in readme, kind.subtype


def test_make_help_is_the_default_and_lists_every_target() -> None:
    result = subprocess.run(["make", "-s", "--no-print-directory"], cwd=REPO,
                            capture_output=True, text=True, check=True)
    for target in ("help", "html", "needs", "serve", "test", "test-fast", "lint", "clean"):
        assert f"  {target} " in result.stdout, target


def test_make_refuses_an_unknown_target_and_lists_the_targets() -> None:
    result = subprocess.run(["make", "--no-print-directory", "htlm"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "make: unknown target 'htlm'; the targets are:" in result.stderr
    for target in ("  html ", "  pdf ", "linkcheck", "latex"):
        assert target in result.stderr, target
    assert "sphinx-build" not in result.stdout + result.stderr.split("targets are:")[0]


def test_make_passes_sphinx_builders_to_sphinx_build() -> None:
    result = subprocess.run(["make", "--no-print-directory", "-n", "linkcheck", "text"],
                            cwd=REPO,
                            capture_output=True, text=True, check=True)
    assert "sphinx-build -M linkcheck " in result.stdout
    assert "sphinx-build -M text " in result.stdout


def test_setup_declares_version_and_parallel_safety() -> None:
    import playbook_rh

    class Recorder:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return lambda *args, **kwargs: None

    metadata = playbook_rh.setup(Recorder())  # type: ignore[arg-type]
    assert metadata["version"] == playbook_rh.__version__
    assert metadata["parallel_read_safe"] is True
    assert metadata["parallel_write_safe"] is True
    assert isinstance(metadata["env_version"], int)

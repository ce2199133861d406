"""The static checks pass, as pyproject.toml configures them: ruff (E, W, F, B, UP, I) on
the whole repository and mypy (strict on core/) on both packages. They run here so that
the README's test command, which CI runs, runs them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def test_ruff_finds_nothing_to_fix() -> None:
    done = run("ruff", "check", "--no-cache", "core", "plugins", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_error() -> None:
    """mypy reads its settings (packages, typing_paths/, strict core) from pyproject.toml."""
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_mypy_resolves_both_packages_without_the_editable_install() -> None:
    """typing_paths/ points mypy and editors at core/ and plugins/ by their package names."""
    for name, folder in (("newsdesk", "core"), ("newsdesk_plugins", "plugins")):
        link = ROOT / "typing_paths" / name
        assert link.is_symlink() and link.resolve() == (ROOT / folder).resolve()

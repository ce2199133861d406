"""A third-party plugin registered through the `newsdesk` entry-point group."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

pytestmark = pytest.mark.integration

MODULE = '''
from newsdesk import hookimpl

@hookimpl
def newsdesk_translate(article):
    article.record["shouty"] = {"upper": article.content.upper()[:20]}
'''


def install_fake_distribution(site: Path) -> None:
    """Write a package and its dist-info, as pip would, into ``site``."""
    (site / "shouty_plugin.py").write_text(MODULE)
    info = site / "shouty_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shouty-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[newsdesk]\nshouty = shouty_plugin\n")


def run(args: list[str], site: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "newsdesk", *args, "--workdir", str(cwd)],
                          capture_output=True, env=env, timeout=60)


def test_an_entry_point_plugin_is_loaded_listed_and_run(tmp_path: Path) -> None:
    """An installed package with an entry point in group `newsdesk` is found, listed
    with its origin and hooks, and runs on every article."""
    site = tmp_path / "site"
    site.mkdir()
    install_fake_distribution(site)
    listed = run(["plugins"], site, tmp_path)
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.decode().splitlines() if x.startswith("shouty\t"))
    assert "entry point shouty_plugin (shouty-plugin)" in line
    assert line.endswith("\ttranslate\truns in worker, executor")
    article = tmp_path / "a.txt"
    article.write_text("quiet words here")
    done = run(["process", str(article)], site, tmp_path)
    assert done.returncode == 0, done.stderr
    assert orjson.loads(done.stdout)["shouty"] == {"upper": "QUIET WORDS HERE"}
    disabled = run(["process", "--disable", "shouty", str(article)], site, tmp_path)
    assert "shouty" not in orjson.loads(disabled.stdout)

"""The README is a front door: short, its plugin example works as written, its test
command is the one CI runs, and its links lead somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson

from tests.docs.pages import DOCS, README, ROOT, page, python_blocks, section


def test_the_readme_stays_a_front_door_of_at_most_160_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 160


def test_the_readme_gives_the_test_command_exactly_as_ci_runs_it() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = [line for line in ci.splitlines() if line.startswith("python3 -m venv")]
    assert command == ['python3 -m venv .venv && .venv/bin/pip install -e \'.[test]\' '
                       '&& .venv/bin/python -m pytest -m ""']
    assert f"    {command[0]}\n" in page("README.md")


def test_every_relative_link_in_the_readme_and_docs_leads_to_a_file() -> None:
    """Links like ``docs/record.md`` or ``../quality.md#clean`` point at files that exist
    (and, with an anchor, at a heading of that page)."""
    broken = []
    for path in [README, *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            dest = (path.parent / file).resolve() if file else path
            if not dest.exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
            elif anchor and dest.is_file():
                headings = re.findall(r"^#+ (.*)$", dest.read_text(encoding="utf-8"), re.M)
                slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
                if anchor not in slugs:
                    broken.append(f"{path.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken


def test_the_readme_plugin_example_is_the_plugin_guide_example() -> None:
    readme = python_blocks(section(page("README.md"), "## One plugin"))[0]
    guide = python_blocks(page("plugins.md"))[0]
    assert readme == guide


def test_the_readme_plugin_example_adds_a_field_to_every_record(tmp_path: Path) -> None:
    """The example, saved as a file in a plugin folder, adds its field to each record and
    is listed by ``newsdesk plugins`` with its hooks."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "wordcount.py").write_text(python_blocks(section(page("README.md"),
                                                                "## One plugin"))[0])
    article = tmp_path / "short.txt"
    article.write_text("A short article of eight words, no more.")
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "process", "--plugins-dir", str(plugins),
         "--workdir", str(tmp_path), str(article)],
        capture_output=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    record = orjson.loads(done.stdout)
    assert record["wordcount"]["words"] == 8
    assert record["wordcount"]["short"] is True
    listed = subprocess.run(
        [sys.executable, "-m", "newsdesk", "plugins", "--plugins-dir", str(plugins),
         "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=60)
    line = next(x for x in listed.stdout.splitlines() if x.startswith("wordcount\t"))
    assert "extract" in line and "index" in line


def test_newsdesk_help_opens_with_a_sentence_for_users() -> None:
    from newsdesk import cli

    done = subprocess.run([sys.executable, "-m", "newsdesk", "--help"],
                          capture_output=True, text=True, timeout=60)
    text = " ".join(done.stdout.split())
    assert " ".join(cli.DESCRIPTION.split()) in text
    assert "argument parsing" not in text

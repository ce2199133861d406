"""The README's plugin example works as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson

README = Path(__file__).resolve().parents[1] / "README.md"


def example() -> str:
    section = README.read_text().split("## Writing a plugin", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "no python example under 'Writing a plugin'"
    return match.group(1)


def test_the_writing_a_plugin_example_adds_a_field_to_every_record(tmp_path: Path) -> None:
    """The example, saved as a file in a plugin folder, adds its field to each record."""
    plugins = tmp_path / "myplugins"
    plugins.mkdir()
    (plugins / "wordcount.py").write_text(example())
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

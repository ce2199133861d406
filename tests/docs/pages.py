"""Helpers for the tests that check what the README and docs/ say."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def page(name: str) -> str:
    """The text of ``README.md`` or of a page under docs/ (``"commands.md"``)."""
    return (README if name == "README.md" else DOCS / name).read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The text under the heading ``title`` (e.g. ``"## Exit codes"``) up to the next
    heading of the same or a higher level."""
    level = len(title.split(" ", 1)[0])
    body = text.split(title + "\n", 1)[1]
    return re.split(rf"^#{{1,{level}}} ", body, maxsplit=1, flags=re.M)[0]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def cli_help(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "newsdesk", *args, "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout

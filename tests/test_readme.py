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


def section(title: str) -> str:
    """The README's text from the heading ``title`` to the next heading of its level."""
    text = README.read_text()
    level = title.split(" ", 1)[0]
    body = text.split(title + "\n", 1)[1]
    return re.split(rf"^{level} ", body, maxsplit=1, flags=re.M)[0]


def cli_help(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "newsdesk", *args, "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_commands_table_lists_every_command_and_only_real_options() -> None:
    """Every subcommand is in the Commands table, and every option the table names exists."""
    table = section("## Commands").split("\n\n", 1)[0]
    top = cli_help()
    commands = re.findall(r"^ {4}(\w+) ", top, re.M) + re.findall(r"^ {4}(\w+)\n", top, re.M)
    assert commands, top
    rows = [(m.group(1), m.group(2)) for m in
            re.finditer(r"^\| `newsdesk (\w+)[^|]*?` \| (.*) \|$", table, re.M)]
    missing = sorted(set(commands) - {command for command, _ in rows})
    assert not missing, f"commands not in the README's table: {missing}"
    for command, text in rows:
        options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))
        known = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", cli_help(command)))
        assert options <= known, f"{command}: {sorted(options - known)} not in its --help"


def test_the_exit_code_table_matches_the_codes_the_cli_returns() -> None:
    """The exit-code table lists exactly the codes defined in newsdesk.errors."""
    from newsdesk import errors

    table = section("### Exit codes")
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", table, re.M)}
    defined = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert documented == defined

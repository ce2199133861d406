"""The README agrees with the code: its plugin example works as written, and its tables
and record example match what the commands do."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

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


def shape(value: object) -> object:
    """The keys of a record, recursively (the first item stands for a list)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [shape(value[0])]
    return type(value).__name__ if value is not None else None


@pytest.mark.slow
def test_the_full_record_example_has_the_fields_a_real_record_has(tmp_path: Path) -> None:
    """The README's four-plugin record example has the fields, nesting and order that
    `newsdesk process` writes for the article shown above it (`story` aside: only `run`
    writes it)."""
    text = section("## The record (schema `newsdesk/1`)")
    after = text.split("With all four stage plugins", 1)[1]
    block = after.split("\n\n    ", 1)[1].split("\n\ngives this record", 1)[0]
    article = textwrap.dedent("    " + block)
    shown = re.search(r"```json\n(.*?)```", after, re.S)
    assert shown
    example = orjson.loads("".join(line.strip() for line in shown.group(1).splitlines())
                           .replace("…", ""))
    (tmp_path / "es.txt").write_text(article + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "process", "--workdir", str(tmp_path),
         str(tmp_path / "es.txt")], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    record = orjson.loads(done.stdout)
    del example["story"]
    assert record["source"]["size"] == example["source"]["size"], "not the article shown"
    assert list(record) == list(example)
    for key in example:
        if isinstance(example[key], list) and example[key] and record[key]:
            assert list(shape(record[key])[0]) == list(shape(example[key])[0]), key
        elif isinstance(example[key], dict):
            assert list(record[key]) == list(example[key]), key


def configuration_text(plugin: str) -> str:
    """The README's configuration part for ``[plugin]``: a subsection or a paragraph."""
    text = README.read_text()
    heading = f"### Configuration (`[{plugin}]`)\n"
    if heading in text:
        return re.split(r"^#", text.split(heading, 1)[1], maxsplit=1, flags=re.M)[0]
    paragraph = text.split(f"**Configuration** (`[{plugin}]`)", 1)[1]
    return paragraph.split("\n\n", 1)[0]


@pytest.mark.parametrize("plugin", ["clean", "extract", "translate", "index"])
def test_every_setting_of_a_plugin_is_named_in_its_readme_section(plugin: str) -> None:
    """Each key of a stage plugin's settings appears in its README configuration text."""
    import dataclasses
    import importlib

    from newsdesk.config import Section

    module = importlib.import_module(f"newsdesk_plugins.{plugin}")
    sections: list[Section] = list(module.newsdesk_config_sections())
    keys = [f.name for s in sections for f in dataclasses.fields(s.schema)]
    assert keys
    text = configuration_text(plugin)
    missing = [k for k in keys if f"`{k}`" not in text]
    assert not missing, f"[{plugin}] settings not in the README: {missing}"

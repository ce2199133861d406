"""docs/commands.md agrees with the CLI: every command, only real options, the exit codes."""

from __future__ import annotations

import re

from tests.docs.pages import cli_help, page, section


def test_the_commands_table_lists_every_command_and_only_real_options() -> None:
    """Every subcommand is in the commands table, and every option the table names exists."""
    table = page("commands.md").split("\n\n## ", 1)[0]
    top = cli_help()
    commands = re.findall(r"^ {4}(\w+) ", top, re.M) + re.findall(r"^ {4}(\w+)\n", top, re.M)
    assert commands, top
    rows = [(m.group(1), m.group(2)) for m in
            re.finditer(r"^\| `newsdesk (\w+)[^|]*?` \| (.*) \|$", table, re.M)]
    missing = sorted(set(commands) - {command for command, _ in rows})
    assert not missing, f"commands not in docs/commands.md: {missing}"
    for command, text in rows:
        options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))
        known = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", cli_help(command)))
        assert options <= known, f"{command}: {sorted(options - known)} not in its --help"


def test_the_exit_code_table_matches_the_codes_the_cli_returns() -> None:
    """The exit-code table lists exactly the codes defined in newsdesk.errors."""
    from newsdesk import errors

    table = section(page("commands.md"), "## Exit codes")
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", table, re.M)}
    defined = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert documented == defined

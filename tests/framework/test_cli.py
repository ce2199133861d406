"""core/cli.py: `process`, `plugins`, `config`, plugin commands, and the one-line errors."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk.app import Settings, build_app
from newsdesk.cli import main
from newsdesk.errors import (
    EXIT_CONFIG,
    EXIT_OK,
    EXIT_PATH,
    EXIT_PLUGIN,
    EXIT_USAGE,
)

from ..fixture_inputs import SampleInput
from .helpers import write_plugin

HELLO = """
    from newsdesk import hookimpl

    @hookimpl
    def newsdesk_register_commands(subparsers):
        parser = subparsers.add_parser("hello", help="greet")
        parser.add_argument("--name", default="world")
        parser.set_defaults(command=hello)

    def hello(args, app):
        print(f"hello {args.name} in {app.config.paths.workdir} for {app.command}")
        return 7
"""


@pytest.fixture(autouse=True)
def _no_config_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def records(out: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in out.splitlines()]


def names(out: str) -> list[tuple[str, int | None]]:
    return [(r["source"]["name"], r["source"].get("line")) for r in records(out)]


def test_process_prints_one_line_per_article_in_input_order(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """`process` prints each file's records in the order the paths were given, a .jsonl
    file's lines in file order, and moves nothing."""
    inbox = workdir / "inbox"
    story = ("The harbour authority reopened the northern pier on Monday after repairs. "
             "Ferries to the islands will run on the summer timetable from next week.")
    (inbox / "b.txt").write_text("Second. " + story)
    (inbox / "a.jsonl").write_text(f'{{"text": "One. {story}"}}\n{{"text": "Two. {story}"}}\n')
    (inbox / "c.html").write_text(f"<html><body><article><p>Third. {story}</p></article>"
                                  "</body></html>")
    paths = [str(inbox / n) for n in ("b.txt", "a.jsonl", "c.html")]
    code, out, _ = run(capsys, "process", "--workdir", str(workdir), *paths)
    assert code == EXIT_OK
    assert out.endswith("\n") and len(out.splitlines()) == 4
    assert names(out) == [("b.txt", None), ("a.jsonl", 1), ("a.jsonl", 2), ("c.html", None)]
    assert all(r["status"] == "ok" for r in records(out))
    assert sorted(p.name for p in workdir.iterdir()) == ["inbox"]
    assert sorted(p.name for p in inbox.iterdir()) == ["a.jsonl", "b.txt", "c.html"]


def test_process_walks_a_folder_in_name_order_skipping_temporary_names(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """A folder is processed file by file in name order, without hidden or partial files."""
    inbox = workdir / "inbox"
    for name in ("2.txt", "10.txt", "1.txt", ".hidden.txt", "4.txt.part"):
        (inbox / name).write_text(f"Story {name}.")
    code, out, _ = run(capsys, "process", "--workdir", str(workdir), str(inbox))
    assert code == EXIT_OK
    assert [n for n, _ in names(out)] == ["1.txt", "10.txt", "2.txt"]


def test_process_gives_bad_files_failed_records_and_succeeds(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """Bad input yields failed records, one per file, and the command still exits 0;
    odd names keep one record per line."""
    inbox = workdir / "inbox"
    (inbox / "scan.txt").write_bytes(b"%PDF-1.5\n")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "line\nbreak новости.txt").write_text("Fine story.")
    code, out, _ = run(capsys, "process", "--workdir", str(workdir), str(inbox))
    assert code == EXIT_OK
    got = {r["source"]["name"]: r["status"] for r in records(out)}
    assert got == {"empty.txt": "failed", "scan.txt": "failed", "line\nbreak новости.txt": "ok"}


def test_process_gives_every_sample_input_the_records_it_must(
    capsys: pytest.CaptureFixture[str], workdir: Path, sample_inputs: list[SampleInput]
) -> None:
    """Each good and bad sample file gives records with the expected statuses, and every
    failed record says why in its errors."""
    inbox = workdir / "inbox"
    for sample in sample_inputs:
        sample.write(inbox)
    code, out, _ = run(capsys, "process", "--workdir", str(workdir), str(inbox))
    assert code == EXIT_OK
    got: dict[str, list[str]] = {}
    for record in records(out):
        got.setdefault(record["source"]["name"], []).append(record["status"])
        if record["status"] == "failed":
            assert record["errors"] and record["errors"][0]["message"]
    assert got == {s.name: list(s.statuses) for s in sample_inputs}


def test_process_refuses_a_symlink_out_of_a_folder_it_walks(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """Walking a folder, a symlink to a file outside it gives a failed record, and the
    target's text appears nowhere in the output."""
    secret = workdir / "secret.txt"
    secret.write_text("SECRET-PAYLOAD")
    inbox = workdir / "inbox"
    (inbox / "link.txt").symlink_to(secret)
    code, out, _ = run(capsys, "process", "--workdir", str(workdir), str(inbox))
    assert code == EXIT_OK
    (record,) = records(out)
    assert record["status"] == "failed" and "points outside" in record["errors"][0]["message"]
    assert "SECRET-PAYLOAD" not in out


def test_plugins_lists_the_builtins_with_origin_and_hooks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`plugins` prints name, origin and hooks of each plugin, tab-separated, folder
    plugins included."""
    hello = write_plugin(tmp_path / "plugins", "hello", HELLO)
    code, out, _ = run(capsys, "plugins", "--workdir", str(tmp_path), "--plugins-dir",
                       str(tmp_path / "plugins"))
    assert code == EXIT_OK
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in out.splitlines()}
    everywhere = "runs in main, worker, executor, driver"
    assert rows["readers"] == ["entry point newsdesk_plugins.readers (newsdesk)",
                               "read, read_by_line", "runs in worker, executor"]
    assert rows["stdout"] == ["entry point newsdesk_plugins.stdout_sink (newsdesk)", "configure",
                              everywhere]
    assert rows["jsonl"] == ["entry point newsdesk_plugins.jsonl_sink (newsdesk)",
                             "config_sections, configure", everywhere]
    assert rows["hello"] == [f"file {hello}", "register_commands", "runs in main"]


STATEFUL = """
from newsdesk import hookimpl

class Counter:
    @hookimpl
    def newsdesk_extract(self, article):
        article.record["counted"] = True

@hookimpl
def newsdesk_configure(config, pm, role):
    pm.register(Counter(), name="counter.instance")
"""


def test_plugins_names_the_plugin_that_registered_an_instance(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An instance registered in `newsdesk_configure` is listed with the plugin that
    registered it, the name `--disable` takes."""
    write_plugin(tmp_path / "plugins", "counter", STATEFUL)
    code, out, _ = run(capsys, "plugins", "--workdir", str(tmp_path), "--plugins-dir",
                       str(tmp_path / "plugins"))
    assert code == EXIT_OK
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in out.splitlines()}
    assert rows["counter.instance"] == [
        "registered by counter at configure time (Counter)", "extract", "runs in worker, executor"]


def test_plugins_leaves_out_a_disabled_plugin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--disable NAME` removes the plugin from the list."""
    code, out, _ = run(capsys, "plugins", "--workdir", str(tmp_path), "--disable", "stdout")
    assert code == EXIT_OK
    listed = [line.split("\t")[0] for line in out.splitlines()]
    assert "stdout" not in listed and "readers" in listed


def test_config_prints_toml_that_reads_back_to_the_same_settings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`config` prints the effective settings as TOML: parsed with tomllib it equals the
    configuration the run would use, file values included."""
    config_file = tmp_path / "custom.toml"
    config_file.write_text('[daemon]\nworkers = 3\nignore = ["*.tmp", "~*"]\n'
                           '[jsonl]\nprefix = "news \\"daily\\""\n[log]\nlevel = "warning"\n')
    code, out, _ = run(capsys, "config", "--workdir", str(tmp_path), "--config", str(config_file))
    assert code == EXIT_OK
    assert out.startswith(f"# effective configuration, from {config_file}\n")
    app = build_app(Settings(workdir=str(tmp_path), config_file=str(config_file), command="config"))
    app.shutdown()
    assert tomllib.loads(out) == app.config.as_dict()
    assert tomllib.loads(out)["daemon"]["workers"] == 3


def test_a_plugin_command_runs_with_the_common_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A command added through newsdesk_register_commands runs with --workdir and
    --plugins-dir, gets its own arguments and the app, and its return is the exit code."""
    write_plugin(tmp_path / "plugins", "hello", HELLO)
    code, out, _ = run(capsys, "hello", "--workdir", str(tmp_path), "--plugins-dir",
                       str(tmp_path / "plugins"), "--name", "desk")
    assert (code, out) == (7, f"hello desk in {tmp_path} for hello\n")


FAILING_COMMAND = """
    from pathlib import Path

    from newsdesk import hookimpl
    from newsdesk.errors import PluginError

    @hookimpl
    def newsdesk_register_commands(subparsers):
        subparsers.add_parser("boom", help="fail").set_defaults(command=boom)

    def boom(args, app):
        raise PluginError("boom: the cluster is not there")

    @hookimpl
    def newsdesk_shutdown(config):
        marker = Path(config.paths.workdir) / "shut-down"
        marker.write_text(str(int(marker.read_text()) + 1) if marker.exists() else "1")
"""


def test_a_command_that_fails_after_configuring_still_shuts_its_plugins_down_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What configuring opened (the index writer and its loading thread, say) is closed
    even when the command stops before its own shutdown, as `spark` without pyspark does."""
    write_plugin(tmp_path / "plugins", "failing", FAILING_COMMAND)
    code, _, err = run(capsys, "boom", "--workdir", str(tmp_path), "--plugins-dir",
                       str(tmp_path / "plugins"))
    assert code == EXIT_PLUGIN and err == "newsdesk: error: boom: the cluster is not there\n"
    assert (tmp_path / "shut-down").read_text() == "1"


@pytest.mark.parametrize(
    "argv",
    [
        ["process"],
        ["frobnicate"],
        ["--bogus"],
        ["process", "--workers", "many", "x.txt"],
        ["plugins", "--log-level", "loud"],
    ],
)
def test_wrong_arguments_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Wrong arguments print one line on stderr and exit with EXIT_USAGE (2)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    _, err = capsys.readouterr()
    assert info.value.code == EXIT_USAGE
    assert err.count("\n") == 1 and err.startswith("newsdesk: error: ")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[daemon\n", "not valid TOML"),
        ("[daemon]\nworkerz = 2\n", "unknown key 'workerz' in [daemon]"),
        ('[daemon]\nworkers = "2"\n', "[daemon] workers must be an integer"),
        ("[nonsense]\n", "unknown section [nonsense]"),
        ('paths = "here"\n', "key 'paths' must be inside a [section]"),
    ],
)
def test_a_bad_config_file_gives_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, fragment: str
) -> None:
    """An invalid configuration file is one stderr line naming the file and the problem,
    exit code EXIT_CONFIG (3)."""
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    code, out, err = run(capsys, "config", "--workdir", str(tmp_path), "--config", str(bad))
    assert code == EXIT_CONFIG
    assert out == ""
    assert err.count("\n") == 1 and str(bad) in err and fragment in err


def test_a_missing_config_file_gives_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--config naming a file that does not exist is a configuration error."""
    code, _, err = run(capsys, "plugins", "--config", str(tmp_path / "none.toml"))
    assert code == EXIT_CONFIG
    assert err == f"newsdesk: error: {tmp_path / 'none.toml'}: configuration file not found\n"


def test_a_missing_path_gives_one_line_and_exit_4(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """`process` on a path that does not exist prints one line and exits EXIT_PATH (4)."""
    missing = workdir / "nope.txt"
    code, out, err = run(capsys, "process", "--workdir", str(workdir), str(missing))
    assert (code, out) == (EXIT_PATH, "")
    assert err == f"newsdesk: error: {missing}: no such file or folder\n"


def test_a_plugin_that_fails_to_import_gives_one_line_and_exit_5(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A broken plugin is one stderr line naming it, exit EXIT_PLUGIN (5), no traceback."""
    write_plugin(tmp_path / "plugins", "broken", "raise ImportError('needs libfoo')\n")
    code, _, err = run(capsys, "plugins", "--plugins-dir", str(tmp_path / "plugins"))
    assert code == EXIT_PLUGIN
    assert err.count("\n") == 1
    assert "broken.py: plugin failed to import: ImportError: needs libfoo" in err


def test_the_installed_command_processes_files_in_a_real_process(
    workdir: Path, newsdesk_exe: Path, cli_env: dict[str, str]
) -> None:
    """The `newsdesk` console script prints the records on stdout, nothing else, exit 0."""
    inbox = workdir / "inbox"
    (inbox / "one.txt").write_text("First story.")
    (inbox / "two.json").write_text('{"title": "T", "text": "Second story."}')
    done = subprocess.run(
        [str(newsdesk_exe), "process", "--workdir", str(workdir), str(inbox / "two.json"),
         str(inbox / "one.txt")],
        capture_output=True, timeout=60, env=cli_env, check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    lines = done.stdout.decode().splitlines()
    assert [orjson.loads(x)["source"]["name"] for x in lines] == ["two.json", "one.txt"]
    assert orjson.loads(lines[0])["input"] == {"title": "T"}
    assert b"Traceback" not in done.stderr


def test_the_installed_command_reports_a_bad_config_in_one_line(
    tmp_path: Path, newsdesk_exe: Path, cli_env: dict[str, str]
) -> None:
    """In a real process a bad configuration file gives exit 3 and one stderr line."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text("[daemon]\nafter = 'burn'\n")
    done = subprocess.run(
        [str(newsdesk_exe), "config", "--workdir", str(tmp_path)],
        capture_output=True, timeout=60, env=cli_env, check=False,
    )
    assert done.returncode == EXIT_CONFIG
    err = done.stderr.decode()
    assert err.count("\n") == 1
    assert "config/newsdesk.toml: [daemon] after must be one of archive, delete, keep" in err


WORKER_ONLY_FAILURE = """
    from newsdesk import hookimpl

    @hookimpl
    def newsdesk_configure(config, pm, role):
        if role == "worker":
            raise RuntimeError("model file models/ner.bin is missing")
"""


def test_a_plugin_failing_to_start_in_a_worker_is_one_line_naming_the_cause(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> None:
    """`process` with a plugin that cannot configure itself in a worker stops with one
    line naming the cause and exit EXIT_PLUGIN (5), not an "unexpected error"."""
    write_plugin(workdir / "plugins", "needsmodel", WORKER_ONLY_FAILURE)
    (workdir / "inbox" / "a.txt").write_text("A story long enough to be read as one.\n")
    code, out, err = run(capsys, "process", "--workdir", str(workdir), "--plugins-dir",
                         str(workdir / "plugins"), str(workdir / "inbox" / "a.txt"))
    assert code == EXIT_PLUGIN
    assert out == ""
    line = [x for x in err.splitlines() if x.startswith("newsdesk: error:")]
    assert len(line) == 1
    assert "could not start its plugins" in line[0] and "models/ner.bin is missing" in line[0]
    assert "unexpected" not in line[0]


RAISES = """
    from newsdesk import hookimpl

    @hookimpl
    def newsdesk_register_commands(subparsers):
        parser = subparsers.add_parser("boom", help="fail")
        parser.set_defaults(command=boom)

    def boom(args, app):
        raise RuntimeError("the reactor is on fire")
"""


def test_an_unexpected_error_is_one_line_and_its_traceback_waits_for_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command that raises gives exit 1 and one stderr line at the default log level;
    with --log-level debug the traceback is logged as well."""
    write_plugin(tmp_path / "plugins", "boom", RAISES)
    args = ["boom", "--workdir", str(tmp_path), "--plugins-dir", "plugins"]
    code, _, err = run(capsys, *args)
    assert code == 1
    assert err.splitlines() == [
        "newsdesk: error: unexpected RuntimeError: the reactor is on fire "
        "(the traceback is logged with --log-level debug)"]
    code, _, err = run(capsys, *args, "--log-level", "debug", "--log-format", "json")
    logged = [orjson.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 1
    assert any(e["event"] == "unexpected error" and e["exception"][0]["exc_type"] == "RuntimeError"
               for e in logged)

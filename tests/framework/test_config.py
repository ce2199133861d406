"""core/config.py: defaults, validation, plugin sections, overrides, locating the file."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk.app import App, Settings, build_app
from newsdesk.config import (
    DEFAULT_IGNORE,
    Config,
    DaemonSettings,
    LogSettings,
    PathsSettings,
    Section,
    load_core,
    locate,
    read_toml,
)
from newsdesk.errors import ConfigError

from .helpers import write_plugin


def load_file(path: Path, overrides: dict[str, dict[str, object]] | None = None) -> Config:
    return load_core(path, read_toml(path), overrides)


def toml_file(tmp_path: Path, text: str, name: str = "newsdesk.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_without_a_file() -> None:
    """With no file every setting takes the default of its dataclass."""
    config = load_core(None, {})
    assert config.paths == PathsSettings()
    assert config.daemon == DaemonSettings()
    assert config.log == LogSettings()
    assert config.daemon.after == "archive"
    assert config.daemon.ignore == DEFAULT_IGNORE
    assert config.where == "the embedded defaults"


def test_folders_resolve_against_workdir_unless_absolute(tmp_path: Path) -> None:
    """Each folder is relative to paths.workdir; an absolute folder stays as given."""
    config = load_core(None, {"paths": {"workdir": str(tmp_path), "failed": "/srv/failed"}})
    assert config.path("inbox") == tmp_path / "inbox"
    assert config.path("state") == tmp_path / "state"
    assert config.path("failed") == Path("/srv/failed")


def test_a_file_overrides_only_the_keys_it_sets(tmp_path: Path) -> None:
    """Keys in the file replace their defaults and the others keep theirs."""
    config = load_file(toml_file(tmp_path, "[daemon]\nworkers = 3\n"))
    assert config.daemon.workers == 3
    assert config.daemon.queue_size == DaemonSettings().queue_size


def test_an_integer_is_accepted_where_a_number_is_expected(tmp_path: Path) -> None:
    """An integer given for a float setting is stored as a float."""
    config = load_file(toml_file(tmp_path, "[daemon]\ntimeout_s = 5\n"))
    assert config.daemon.timeout_s == 5.0
    assert isinstance(config.daemon.timeout_s, float)


@pytest.mark.parametrize(
    ("section", "line", "key", "expected"),
    [
        ("daemon", 'workers = "four"', "[daemon] workers", "an integer"),
        ("daemon", "workers = true", "[daemon] workers", "an integer"),
        ("daemon", "workers = 1.5", "[daemon] workers", "an integer"),
        ("daemon", 'max_file_mb = "big"', "[daemon] max_file_mb", "a number"),
        ("daemon", "ignore = [1, 2]", "[daemon] ignore", "a list of strings"),
        ("daemon", 'ignore = "*.tmp"', "[daemon] ignore", "a list of strings"),
        ("output", 'stdout = "yes"', "[output] stdout", "true or false"),
        ("paths", "inbox = 7", "[paths] inbox", "a string"),
    ],
)
def test_a_wrong_type_names_the_file_the_key_and_what_was_expected(
    tmp_path: Path, section: str, line: str, key: str, expected: str
) -> None:
    """A value of the wrong type is an error naming the file, the key and the expected type."""
    path = toml_file(tmp_path, f"[{section}]\n{line}\n")
    with pytest.raises(ConfigError) as info:
        load_file(path)
    message = str(info.value)
    assert str(path) in message
    assert key in message
    assert f"must be {expected}" in message
    assert "\n" not in message


def test_a_choice_outside_its_values_lists_the_allowed_ones(tmp_path: Path) -> None:
    """A `choices` field refuses any other string and says which are allowed."""
    path = toml_file(tmp_path, '[daemon]\nafter = "shred"\n')
    with pytest.raises(ConfigError, match=r"\[daemon\] after must be one of archive, delete, "
                                          r"keep, got 'shred'") as info:
        load_file(path)
    assert str(path) in str(info.value)


def test_a_choice_among_its_values_is_accepted(tmp_path: Path) -> None:
    """Each allowed value of a `choices` field is taken as given."""
    config = load_file(toml_file(tmp_path, '[daemon]\nafter = "delete"\n[log]\nformat = "json"\n'))
    assert (config.daemon.after, config.log.format) == ("delete", "json")


def test_an_unknown_key_is_an_error_naming_file_section_and_key(tmp_path: Path) -> None:
    """A misspelt key is refused with the file, the section and the keys that exist."""
    path = toml_file(tmp_path, "[daemon]\nworker = 2\n")
    with pytest.raises(ConfigError) as info:
        load_file(path)
    message = str(info.value)
    assert str(path) in message
    assert "unknown key 'worker' in [daemon]" in message
    assert "workers" in message


def test_an_unknown_section_is_an_error_once_plugins_are_known(tmp_path: Path) -> None:
    """A section no plugin declares is refused, naming the file and the section."""
    path = toml_file(tmp_path, "[clen]\nengine = 'x'\n")
    config = load_file(path)
    with pytest.raises(ConfigError) as info:
        config.bind_sections([])
    assert str(path) in str(info.value)
    assert "unknown section [clen]" in str(info.value)


def test_the_section_of_a_disabled_plugin_is_left_unread(tmp_path: Path) -> None:
    """Disabling a plugin (`--disable extract`) needs no edit of the file: its section is
    not an unknown section; a misspelt one still is."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text("[extract]\nmax_chars = 1000\n")
    app = build_app(Settings(workdir=str(tmp_path), command="process",
                             overrides={"plugins": {"disable": ["extract"]}}))
    assert "extract" not in app.config.sections
    (tmp_path / "config" / "newsdesk.toml").write_text("[extrct]\nmax_chars = 1000\n")
    with pytest.raises(ConfigError, match="unknown section \\[extrct\\]"):
        build_app(Settings(workdir=str(tmp_path), command="process",
                           overrides={"plugins": {"disable": ["extract"]}}))


def test_disable_on_the_command_line_adds_to_the_files_list(tmp_path: Path) -> None:
    """`--disable` and `--plugins-dir` extend `plugins.disable` and `plugins.dirs` of the
    file instead of replacing them."""
    path = toml_file(tmp_path, '[plugins]\ndisable = ["stdout"]\ndirs = ["mine"]\n')
    config = load_file(path, {"plugins": {"disable": ["extract", "stdout"], "dirs": ["more"]}})
    assert config.plugins.disable == ["stdout", "extract"]
    assert config.plugins.dirs == ["mine", "more"]


def test_a_key_outside_any_section_is_an_error(tmp_path: Path) -> None:
    """A bare key at the top of the file is refused: every key belongs in a section."""
    path = toml_file(tmp_path, "workers = 2\n")
    with pytest.raises(ConfigError, match="'workers' must be inside a \\[section\\]"):
        load_file(path)


def test_a_section_name_used_as_a_key_is_an_error_even_with_overrides(tmp_path: Path) -> None:
    """`paths = "x"` at the top is a clear error, also when the command line overrides a key
    of [paths] (as the CLI always does for the workdir)."""
    path = toml_file(tmp_path, 'paths = "here"\n')
    with pytest.raises(ConfigError, match="'paths' must be inside a \\[section\\]"):
        load_file(path, {"paths": {"workdir": str(tmp_path)}})


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A file that is not TOML is one error line naming the file."""
    path = toml_file(tmp_path, "[daemon\nworkers = \n")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        read_toml(path)
    assert str(path) in str(info.value)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    """A configuration file that does not exist is an error naming it."""
    with pytest.raises(ConfigError, match="configuration file not found"):
        read_toml(tmp_path / "absent.toml")


def test_overrides_win_over_the_file(tmp_path: Path) -> None:
    """Command-line overrides replace the file's values key by key."""
    path = toml_file(tmp_path, "[daemon]\nworkers = 3\nqueue_size = 9\n")
    config = load_file(path, {"daemon": {"workers": 1}})
    assert (config.daemon.workers, config.daemon.queue_size) == (1, 9)


def test_overrides_are_validated_like_the_file(tmp_path: Path) -> None:
    """An override of the wrong type or outside its choices is refused too."""
    with pytest.raises(ConfigError, match=r"\[daemon\] workers must be an integer"):
        load_core(None, {}, {"daemon": {"workers": "two"}})
    with pytest.raises(ConfigError, match=r"\[daemon\] observer must be one of"):
        load_core(None, {}, {"daemon": {"observer": "inotify"}})


# --- plugin sections --------------------------------------------------------------------

GREETER = """
    from dataclasses import dataclass

    from newsdesk import hookimpl
    from newsdesk.config import Section, choices

    @dataclass
    class GreeterSettings:
        greeting: str = "hello"
        times: int = 1
        tone: str = choices("plain", "loud", default="plain")

    SEEN = {}

    @hookimpl
    def newsdesk_config_sections():
        return [Section("greeter", GreeterSettings)]

    @hookimpl
    def newsdesk_configure(config, pm, role):
        SEEN["settings"] = config.section("greeter")
        SEEN["role"] = role
"""


def greeter_app(tmp_path: Path, toml: str) -> App:
    write_plugin(tmp_path / "plugins", "greeter", GREETER)
    path = toml_file(tmp_path, f'[plugins]\ndirs = ["plugins"]\n{toml}')
    # `config`, not the default `run`: a run's app opens the index and starts its
    # memory-loading thread, which would outlive the test (no shutdown here).
    return build_app(Settings(workdir=str(tmp_path), config_file=str(path), command="config"))


def test_a_plugin_section_is_validated_and_reaches_newsdesk_configure(tmp_path: Path) -> None:
    """A section declared with newsdesk_config_sections is read from the file and handed to
    the plugin in newsdesk_configure."""
    app = greeter_app(tmp_path, '[greeter]\ngreeting = "hi"\ntone = "loud"\n')
    settings = app.config.section("greeter")
    assert (settings.greeting, settings.times, settings.tone) == ("hi", 1, "loud")
    greeter = importlib.import_module("newsdesk_dir_plugin_greeter")  # the loader's name for it
    assert greeter.SEEN == {"settings": settings, "role": "main"}


def test_a_plugin_section_takes_its_defaults_when_absent(tmp_path: Path) -> None:
    """A declared section missing from the file holds its dataclass defaults."""
    app = greeter_app(tmp_path, "")
    assert app.config.section("greeter").greeting == "hello"


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[greeter]\ntimes = "twice"\n', "[greeter] times must be an integer"),
        ('[greeter]\ntone = "whisper"\n', "[greeter] tone must be one of plain, loud"),
        ("[greeter]\ncolour = 1\n", "unknown key 'colour' in [greeter]"),
    ],
)
def test_a_bad_plugin_section_names_the_file_and_key(
    tmp_path: Path, toml: str, fragment: str
) -> None:
    """Plugin sections get the same checks as the framework's: type, choices, unknown keys."""
    with pytest.raises(ConfigError) as info:
        greeter_app(tmp_path, toml)
    assert fragment in str(info.value)
    assert str(tmp_path / "newsdesk.toml") in str(info.value)


def test_two_plugins_cannot_declare_the_same_section() -> None:
    """A section name declared twice with different schemas is an error."""
    config = load_core(None, {})

    @dataclass
    class One:
        size: int = 1

    @dataclass
    class Two:
        size: int = 2

    with pytest.raises(ConfigError, match=r"two plugins declare the configuration section \[x\]"):
        config.bind_sections([Section("x", One), Section("x", Two)])
    with pytest.raises(ConfigError, match=r"\[daemon\]"):
        load_core(None, {}).bind_sections([Section("daemon", One)])


def test_an_undeclared_section_is_a_clear_key_error() -> None:
    """Asking for a section nobody declared names it."""
    with pytest.raises(KeyError, match="no configuration section 'nope' was declared"):
        load_core(None, {}).section("nope")


# --- locate -----------------------------------------------------------------------------


@pytest.fixture
def three_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    explicit = toml_file(tmp_path, "", "explicit.toml")
    env = toml_file(tmp_path, "", "env.toml")
    (tmp_path / "config").mkdir()
    default = toml_file(tmp_path / "config", "", "newsdesk.toml")
    return explicit, env, default


def test_locate_prefers_the_explicit_file(
    tmp_path: Path, three_files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--config wins over $NEWSDESK_CONFIG and over the workdir's file."""
    explicit, env, _ = three_files
    monkeypatch.setenv("NEWSDESK_CONFIG", str(env))
    assert locate(tmp_path, str(explicit)) == explicit


def test_locate_takes_the_environment_next(
    tmp_path: Path, three_files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --config, $NEWSDESK_CONFIG wins over the workdir's file."""
    _, env, _ = three_files
    monkeypatch.setenv("NEWSDESK_CONFIG", str(env))
    assert locate(tmp_path, None) == env


def test_locate_then_takes_the_workdir_file(
    tmp_path: Path, three_files: tuple[Path, Path, Path]
) -> None:
    """Without --config or the variable, WORKDIR/config/newsdesk.toml is read if it exists."""
    assert locate(tmp_path, None) == three_files[2]


def test_locate_falls_back_to_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With none of the three, no file is read and the embedded defaults apply."""
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    assert locate(tmp_path, None) is None


@pytest.mark.parametrize("key", ["prefix", "fsync"])
def test_a_stream_key_left_in_output_is_refused_with_where_it_moved(
        tmp_path: Path, key: str) -> None:
    """The stream files' settings belong to the JSON-lines sink: `[output] prefix` and
    `[output] fsync` are refused at start with one line naming the file and the new place."""
    path = tmp_path / "newsdesk.toml"
    value = "true" if key == "fsync" else '"news"'
    path.write_text(f"[output]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as info:
        load_file(path)
    assert str(info.value) == f"{path}: [output] {key} has moved to [jsonl] {key}"


def test_the_jsonl_sink_reads_its_prefix_from_its_own_section(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text('[jsonl]\nprefix = "wire"\nfsync = false\n')
    app = build_app(Settings(workdir=str(tmp_path), command="run", overrides={
        "plugins": {"disable": ["index", "clean", "extract", "translate"]}}))
    sink = app.pm.get_plugin("jsonl.sink")
    assert (sink.prefix, sink.fsync) == ("wire", False)
    assert sink.path_for("2026-03-03").name == "wire-2026-03-03.jsonl"
    app.shutdown()

"""core/loader.py: entry points, plugin folders, --disable, import failures, duplicates."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from newsdesk.errors import PluginError
from newsdesk.loader import PluginInfo, hooks_of, load_plugins, new_manager

from .helpers import write_plugin

BUILTINS = {"readers": "newsdesk_plugins.readers", "stdout": "newsdesk_plugins.stdout_sink",
            "jsonl": "newsdesk_plugins.jsonl_sink"}

STAMP = """
    from newsdesk import hookimpl

    @hookimpl
    def newsdesk_extract(article):
        article.record["stamp"] = True
"""

InstallDist = Callable[[str, str, str], None]


@pytest.fixture
def install_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallDist]:
    """Install a one-module distribution with a `newsdesk` entry point onto sys.path, the
    way pip would lay it out in site-packages."""
    site = tmp_path / "site"
    site.mkdir()
    modules: list[str] = []

    def install(dist: str, entry: str, module_source: str) -> None:
        module = f"nd_test_{dist}"
        info = site / f"{dist}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[newsdesk]\n{entry} = {module}\n")
        (site / f"{module}.py").write_text(textwrap.dedent(module_source))
        modules.append(module)

    monkeypatch.syspath_prepend(str(site))
    yield install
    for module in modules:
        sys.modules.pop(module, None)


def test_the_builtins_are_found_through_the_entry_point_group() -> None:
    """The built-in plugins load because the package declares them in group `newsdesk`."""
    declared = {ep.name: ep.value for ep in entry_points(group="newsdesk")}
    assert {k: declared.get(k) for k in BUILTINS} == BUILTINS
    infos = {i.name: i.origin for i in load_plugins(new_manager(), [], [])}
    for name, module in BUILTINS.items():
        assert infos[name] == f"entry point {module} (newsdesk)"


def test_a_third_party_entry_point_is_loaded_like_a_builtin(
    install_dist: InstallDist,
) -> None:
    """An installed distribution with an entry point in group `newsdesk` is registered
    under the entry point's name, with its distribution as origin."""
    install_dist("stampdist", "stamp", STAMP)
    pm = new_manager()
    infos = {i.name: i.origin for i in load_plugins(pm, [], [])}
    assert infos["stamp"] == "entry point nd_test_stampdist (stampdist)"
    assert hooks_of(pm, pm.get_plugin("stamp")) == ["newsdesk_extract"]


def test_a_plugin_folder_registers_each_py_file_under_its_stem(tmp_path: Path) -> None:
    """Every .py file of a plugin folder is a plugin named after the file; names starting
    with an underscore are helpers, not plugins."""
    folder = tmp_path / "plugins"
    stamp = write_plugin(folder, "stamp", STAMP)
    write_plugin(folder, "_helper", "VALUE = 1\n")
    (folder / "notes.txt").write_text("not a plugin")
    pm = new_manager()
    infos = load_plugins(pm, [folder], [])
    assert PluginInfo("stamp", f"file {stamp}") in infos
    assert not any(i.name in ("_helper", "notes") for i in infos)
    assert hooks_of(pm, pm.get_plugin("stamp")) == ["newsdesk_extract"]


def test_entry_points_load_before_plugin_folders(tmp_path: Path) -> None:
    """The loaded list starts with the entry points, then each folder's files in name order."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "b_second", STAMP)
    write_plugin(folder, "a_first", STAMP)
    names = [i.name for i in load_plugins(new_manager(), [folder], [])]
    assert names[-2:] == ["a_first", "b_second"]
    assert set(names[:-2]) >= set(BUILTINS)


def test_disable_skips_entry_point_and_folder_plugins(tmp_path: Path) -> None:
    """A disabled name is neither imported nor registered, whatever its origin."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "stamp", STAMP)
    write_plugin(folder, "explodes", "raise RuntimeError('must not be imported')\n")
    pm = new_manager()
    names = [i.name for i in load_plugins(pm, [folder], ["stdout", "stamp", "explodes"])]
    assert "stdout" not in names and "stamp" not in names
    assert not pm.has_plugin("stdout") and not pm.has_plugin("stamp")
    assert "readers" in names


def test_a_folder_plugin_that_fails_to_import_is_one_line_naming_it(tmp_path: Path) -> None:
    """An exception while importing a folder plugin becomes a PluginError naming the file
    and the cause, on one line."""
    folder = tmp_path / "plugins"
    broken = write_plugin(folder, "broken", "import nd_no_such_module_anywhere\n")
    with pytest.raises(PluginError) as info:
        load_plugins(new_manager(), [folder], [])
    message = str(info.value)
    assert str(broken) in message
    assert "ModuleNotFoundError" in message and "nd_no_such_module_anywhere" in message
    assert "\n" not in message
    assert "newsdesk_dir_plugin_broken" not in sys.modules


def test_an_entry_point_that_fails_to_import_is_one_line_naming_it(
    install_dist: InstallDist,
) -> None:
    """An entry point whose module raises on import becomes a PluginError naming the plugin."""
    install_dist("brokendist", "kaput", "raise ValueError('bad model path')\n")
    with pytest.raises(PluginError) as info:
        load_plugins(new_manager(), [], [])
    message = str(info.value)
    assert "plugin 'kaput' (entry point nd_test_brokendist) failed to import" in message
    assert "ValueError: bad model path" in message
    assert "\n" not in message


def test_a_plugin_with_a_malformed_hook_is_refused(tmp_path: Path) -> None:
    """A hook implementation asking for arguments its spec does not have is a PluginError."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "greedy", """
        from newsdesk import hookimpl

        @hookimpl
        def newsdesk_clean(article, model):
            pass
    """)
    with pytest.raises(PluginError, match="plugin 'greedy' is invalid"):
        load_plugins(new_manager(), [folder], [])


def test_a_folder_plugin_may_not_reuse_a_loaded_name(tmp_path: Path) -> None:
    """A folder file named like an entry-point plugin is refused, not silently shadowed."""
    folder = tmp_path / "plugins"
    clash = write_plugin(folder, "readers", STAMP)
    with pytest.raises(PluginError, match="a plugin named 'readers' is already loaded") as info:
        load_plugins(new_manager(), [folder], [])
    assert str(clash) in str(info.value)


def test_two_folders_may_not_hold_the_same_plugin_name(tmp_path: Path) -> None:
    """The same file name in two plugin folders is a duplicate, refused."""
    write_plugin(tmp_path / "one", "stamp", STAMP)
    write_plugin(tmp_path / "two", "stamp", STAMP)
    with pytest.raises(PluginError, match="'stamp' is already loaded"):
        load_plugins(new_manager(), [tmp_path / "one", tmp_path / "two"], [])


def test_a_missing_plugin_folder_is_an_error(tmp_path: Path) -> None:
    """A plugin folder that does not exist is named in a PluginError."""
    with pytest.raises(PluginError, match="plugin folder not found"):
        load_plugins(new_manager(), [tmp_path / "absent"], [])


def test_two_entry_points_may_not_share_a_name(install_dist: InstallDist) -> None:
    """A third-party entry point named like a built-in is refused, naming both, instead of
    one of them silently replacing the other."""
    install_dist("clashdist", "readers", STAMP)
    with pytest.raises(PluginError) as info:
        load_plugins(new_manager(), [], [])
    message = str(info.value)
    assert "'readers'" in message
    assert "nd_test_clashdist (clashdist)" in message
    assert "newsdesk_plugins.readers (newsdesk)" in message


def test_a_misspelt_hook_name_is_refused(tmp_path: Path) -> None:
    """A hook implementation whose name matches no hook spec is a PluginError naming it,
    not a function that silently never runs."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "typo", """
        from newsdesk import hookimpl

        @hookimpl
        def newsdesk_claen(article):
            article.record["never"] = True
    """)
    pm = new_manager()
    with pytest.raises(PluginError, match="plugin 'typo' implements newsdesk_claen, which is "
                                          "not a newsdesk hook"):
        load_plugins(pm, [folder], [])
    assert not pm.has_plugin("typo")


def test_an_optional_hook_of_another_name_is_allowed(tmp_path: Path) -> None:
    """A hook marked optionalhook=True may have no spec (for hooks of a later version)."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "future", """
        from newsdesk import hookimpl

        @hookimpl(optionalhook=True)
        def newsdesk_summarise(article):
            pass
    """)
    assert "future" in [i.name for i in load_plugins(new_manager(), [folder], [])]

"""core/hookcall.py: hooks are called through pluggy (wrappers, monitoring), each
plugin's errors are isolated in the stages and named (plugin and hook) in every phase."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Generator
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsdesk import hookimpl
from newsdesk.app import Settings, build_app
from newsdesk.article import Article
from newsdesk.cli import main
from newsdesk.errors import EXIT_CONFIG, EXIT_PLUGIN
from newsdesk.hookcall import HookError, original
from newsdesk.pipeline import STAGES, read, run_stages

from .helpers import readers_manager, source, write_plugin


def text_article(pm: Any, text: str = "Bridge approved.") -> Article:
    data = text.encode()
    (article,) = read(pm, source("story.txt", data), data)
    return article


class Cleaner:
    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        article.record["text"] = article.content.upper()


class Raiser:
    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        raise ValueError("no body found")


class Wrapper:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl(wrapper=True)
    def newsdesk_clean(self, article: Article) -> Generator[None, Any, Any]:
        self.seen.append(("before", article.record.get("text")))
        result = yield
        self.seen.append(("after", article.record.get("text"), result))
        return result


def test_a_wrapper_around_a_stage_runs_and_sees_what_the_stage_wrote() -> None:
    pm = readers_manager()
    pm.register(Cleaner(), name="cleaner")
    wrapper = Wrapper()
    pm.register(wrapper, name="wrapper")
    article = run_stages(pm, text_article(pm), STAGES)
    assert article.record["text"] == "BRIDGE APPROVED."
    assert wrapper.seen == [("before", None), ("after", "BRIDGE APPROVED.", [])]


def test_a_wrapper_still_runs_when_a_plain_implementation_raises() -> None:
    """The raising plugin's error is recorded under its name; the other implementation
    and the wrapper still run, and the wrapper sees no exception."""
    pm = readers_manager()
    pm.register(Cleaner(), name="cleaner")
    pm.register(Raiser(), name="raiser")
    wrapper = Wrapper()
    pm.register(wrapper, name="wrapper")
    article = run_stages(pm, text_article(pm), STAGES)
    assert article.record["text"] == "BRIDGE APPROVED."
    assert article.status == "partial"
    assert [(e["stage"], e["plugin"], e["type"]) for e in article.errors] == [
        ("clean", "raiser", "ValueError")]
    assert wrapper.seen[-1][0] == "after"


def test_a_wrapper_that_raises_is_recorded_under_its_own_name() -> None:
    class Broken:
        @hookimpl(wrapper=True)
        def newsdesk_extract(self, article: Article) -> Generator[None, Any, Any]:
            yield
            raise RuntimeError("wrapper bug")

    pm = readers_manager()
    pm.register(Broken(), name="broken")
    article = run_stages(pm, text_article(pm), STAGES)
    assert [(e["stage"], e["plugin"], e["message"]) for e in article.errors] == [
        ("extract", "broken", "wrapper bug")]
    assert "translate" in article.timings_ms  # the later stages ran


def test_an_old_style_hookwrapper_around_a_stage_gets_the_result() -> None:
    outcomes: list[Any] = []

    class Old:
        @hookimpl(hookwrapper=True)
        def newsdesk_clean(self, article: Article) -> Generator[None, Any, None]:
            outcome = yield
            outcomes.append(outcome.get_result())

    pm = readers_manager()
    pm.register(Cleaner(), name="cleaner")
    pm.register(Old(), name="old")
    run_stages(pm, text_article(pm), STAGES)
    assert outcomes == [[]]


def test_hookcall_monitoring_sees_every_stage_call() -> None:
    pm = readers_manager()
    pm.register(Cleaner(), name="cleaner")
    calls: list[str] = []
    undo = pm.add_hookcall_monitoring(lambda name, impls, kwargs: calls.append(name),
                                      lambda outcome, name, impls, kwargs: None)
    try:
        run_stages(pm, text_article(pm), STAGES)
    finally:
        undo()
    assert calls == ["newsdesk_read"] + [f"newsdesk_{s}" for s in STAGES]


def test_a_wrapper_on_newsdesk_read_sees_the_articles_and_reading_still_works() -> None:
    got: list[int] = []

    class ReadWrapper:
        @hookimpl(wrapper=True)
        def newsdesk_read(self, source: Any, data: bytes) -> Generator[None, Any, Any]:
            articles = yield
            got.append(len(articles))
            return articles

    pm = readers_manager()
    pm.register(ReadWrapper(), name="readwrap")
    article = text_article(pm)
    assert article.status == "ok" and article.content == "Bridge approved."
    assert got == [1]


def test_a_reader_that_raises_is_named_in_the_failed_article() -> None:
    class Broken:
        @hookimpl(tryfirst=True)
        def newsdesk_read(self, source: Any, data: bytes) -> None:
            raise RuntimeError("reader bug")

    pm = readers_manager()
    pm.register(Broken(), name="broken")
    article = text_article(pm)
    assert article.status == "failed"
    assert article.errors == [{"stage": "read", "plugin": "broken", "type": "RuntimeError",
                               "message": "reader bug"}]


def test_the_shim_keeps_the_plugins_own_function_reachable() -> None:
    pm = readers_manager()
    cleaner = Cleaner()
    pm.register(cleaner, name="cleaner")
    (impl,) = [i for i in pm.hook.newsdesk_clean.get_hookimpls() if i.plugin is cleaner]
    assert original(impl.function) == cleaner.newsdesk_clean


def test_a_hook_outside_the_stages_raises_one_error_naming_plugin_and_hook() -> None:
    class Bad:
        @hookimpl
        def newsdesk_startup(self, config: Any) -> None:
            raise OSError("disk gone")

    pm = readers_manager()
    pm.register(Bad(), name="bad")
    with pytest.raises(HookError) as info:
        pm.hook.newsdesk_startup(config=None)
    assert str(info.value) == "plugin 'bad', hook 'newsdesk_startup': OSError: disk gone"
    assert info.value.exit_code == EXIT_PLUGIN
    assert isinstance(info.value.__cause__, OSError)


PHASES = """
    from newsdesk import hookimpl
    from newsdesk.errors import ConfigError

    PHASE = {phase!r}

    @hookimpl
    def newsdesk_configure(config, role):
        if PHASE == "configure":
            raise ValueError("cannot configure")
        if PHASE == "configure-config":
            raise ConfigError("[bad] level must be 1 to 3")

    @hookimpl
    def newsdesk_startup(config):
        if PHASE == "startup":
            raise RuntimeError("cannot start")

    @hookimpl
    def newsdesk_write(batch):
        if PHASE == "write":
            raise OSError("sink full")
"""


@pytest.mark.parametrize(("phase", "code", "line"), [
    ("configure", EXIT_PLUGIN,
     "plugin 'bad', hook 'newsdesk_configure': ValueError: cannot configure"),
    ("configure-config", EXIT_CONFIG,
     "plugin 'bad', hook 'newsdesk_configure': [bad] level must be 1 to 3"),
    ("startup", EXIT_PLUGIN, "plugin 'bad', hook 'newsdesk_startup': RuntimeError: cannot start"),
    ("write", EXIT_PLUGIN, "plugin 'bad', hook 'newsdesk_write': OSError: sink full"),
])
def test_an_error_in_each_phase_is_one_line_naming_plugin_and_hook(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    phase: str, code: int, line: str,
) -> None:
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    write_plugin(workdir / "plugins", "bad", PHASES.format(phase=phase))
    (workdir / "inbox" / "a.txt").write_text("Bridge approved.")
    got = main(["process", "--workdir", str(workdir), "--plugins-dir", str(workdir / "plugins"),
                "--disable", "clean", "--disable", "extract", "--disable", "translate",
                "--disable", "index", "--workers", "1", str(workdir / "inbox" / "a.txt")])
    _, err = capsys.readouterr()
    assert got == code
    assert line in err
    assert "Traceback" not in err


def test_a_failing_shutdown_is_logged_by_name_and_the_others_still_shut_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    write_plugin(tmp_path / "plugins", "aaa", """
        from newsdesk import hookimpl

        @hookimpl
        def newsdesk_shutdown():
            raise OSError("cannot flush")
    """)
    write_plugin(tmp_path / "plugins", "zzz", """
        from newsdesk import hookimpl

        DONE = []

        @hookimpl
        def newsdesk_shutdown():
            DONE.append(True)
    """)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text('[plugins]\ndirs = ["plugins"]\n')
    app = build_app(Settings(workdir=str(tmp_path), command="process"))
    errors = app.shutdown()
    assert [str(e) for e in errors] == ["plugin 'aaa', hook 'newsdesk_shutdown': OSError: cannot flush"]
    assert sys.modules["newsdesk_dir_plugin_zzz"].DONE == [True]
    assert "plugin 'aaa', hook 'newsdesk_shutdown'" in capsys.readouterr().err


WRAPPER_PLUGIN = """
    from newsdesk import hookimpl

    @hookimpl(wrapper=True)
    def newsdesk_clean(article):
        before = article.record.get("text")
        result = yield
        article.record["wrapclean"] = {"before": before, "after": article.record.get("text"),
                                       "result": result}
        return result
"""


def test_a_wrapper_in_a_plugin_folder_runs_around_the_clean_plugin_in_the_workers(
    tmp_path: Path,
) -> None:
    """End to end: `newsdesk process` with the built-in clean plugin and a third-party
    wrapper around newsdesk_clean in a plugin folder; the wrapper runs in the worker and
    sees the text clean wrote."""
    write_plugin(tmp_path / "plugins", "wrapclean", WRAPPER_PLUGIN)
    article = tmp_path / "a.txt"
    article.write_text(textwrap.dedent("""\
        Council approves the new bridge

        The city council approved the new bridge over the river on Tuesday, after a debate that lasted most of the afternoon.

        The vote ended with a clear majority, and work on the bridge begins in the spring.
        """))
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "process", "--workdir", str(tmp_path),
         "--plugins-dir", str(tmp_path / "plugins"), "--disable", "extract",
         "--disable", "translate", "--disable", "index", "--workers", "1", str(article)],
        capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    record = orjson.loads(done.stdout)
    assert record["wrapclean"]["before"] is None
    assert record["wrapclean"]["after"] == record["text"]
    assert "council approved the new bridge" in record["text"]
    assert record["wrapclean"]["result"] == []

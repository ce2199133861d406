"""The plugin's hooks: its configuration section, its registration, its commands, and a
whole `newsdesk process` run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pluggy
import pytest

from newsdesk.cli import main
from newsdesk.errors import ConfigError
from newsdesk_plugins import translate
from newsdesk_plugins.translate.engines.apertium import Apertium
from newsdesk_plugins.translate.engines.argos import Argos
from newsdesk_plugins.translate.engines.libretranslate import LibreTranslate

from ..plugin_config import plugin_config
from .conftest import needs_apertium


def _config(tmp_path: Path, **values: object) -> object:
    return plugin_config(translate, tmp_path, translate=values)


def test_config_section_defaults_and_registration(tmp_path: Path) -> None:
    """newsdesk_config_sections declares [translate]; newsdesk_configure registers one
    stage instance (replacing an earlier one); in the main process nothing is loaded,
    in a worker the language identifier is, before the first article."""
    config = _config(tmp_path, libretranslate_url="http://127.0.0.1:5000")
    settings = config.section("translate")  # type: ignore[attr-defined]
    assert (settings.target, settings.engine, settings.max_segment_chars) == ("en", "auto", 1500)
    pm = pluggy.PluginManager("newsdesk")
    translate.newsdesk_configure(config=config, pm=pm, role="worker")
    translate.newsdesk_configure(config=config, pm=pm, role="main")
    stage = pm.get_plugin("translate.engine")
    assert [type(e) for e in stage.engines] == [Argos, LibreTranslate, Apertium]
    assert stage.cache.path == tmp_path / "state" / "translate_cache.sqlite"
    assert stage.lid._model is None and stage.cache._db is None
    translate.newsdesk_configure(config=config, pm=pm, role="worker")
    worker = pm.get_plugin("translate.engine")
    assert worker.lid._model is not None
    assert worker.run_id == translate.run_id("worker") != translate.run_id("main")
    assert worker.run_id.startswith(f"{os.getppid()}:")
    worker.newsdesk_shutdown(config=config)
    assert worker.cache._db is None


def test_a_named_engine_is_the_only_one(tmp_path: Path) -> None:
    """engine = "apertium" uses Apertium alone; "none" identifies languages only."""
    pm = pluggy.PluginManager("newsdesk")
    translate.newsdesk_configure(config=_config(tmp_path, engine="apertium"), pm=pm, role="worker")
    assert [e.name for e in pm.get_plugin("translate.engine").engines] == ["apertium"]
    translate.newsdesk_configure(config=_config(tmp_path, engine="none"), pm=pm, role="worker")
    assert pm.get_plugin("translate.engine").engines == []


def test_bad_settings_are_clear_config_errors(tmp_path: Path) -> None:
    """A language that is not a code, or libretranslate without a URL, is refused at configure."""
    pm = pluggy.PluginManager("newsdesk")
    with pytest.raises(ConfigError, match="'English' is not a language code"):
        translate.newsdesk_configure(config=_config(tmp_path, target="English"), pm=pm, role="main")
    with pytest.raises(ConfigError, match="libretranslate_url is empty"):
        translate.newsdesk_configure(config=_config(tmp_path, engine="libretranslate"), pm=pm, role="main")
    with pytest.raises(ConfigError, match="engine"):
        _config(tmp_path, engine="google")


def test_newsdesk_register_commands_adds_translate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`newsdesk translate list` runs (with --workdir) and lists what is installed or says nothing is."""
    assert main(["translate", "list", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "es-en" in out or "no translation engine installed" in out


@needs_apertium
def test_list_shows_the_apertium_pairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With apertium-eng-spa installed, `translate list` shows es-en and en-es under apertium."""
    assert main(["translate", "list", "--workdir", str(tmp_path)]) == 0
    rows = [line.split()[:2] for line in capsys.readouterr().out.splitlines()]
    assert ["es-en", "apertium"] in rows and ["en-es", "apertium"] in rows


def test_list_says_when_a_libretranslate_server_is_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A configured LibreTranslate server that cannot be reached is listed with the reason."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text(
        '[translate]\nlibretranslate_url = "http://127.0.0.1:9"\nlibretranslate_timeout_s = 2.0\n')
    assert main(["translate", "list", "--workdir", str(tmp_path)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "libretranslate" in x)
    assert "http://127.0.0.1:9: no pairs" in line and "failed" in line


@needs_apertium
@pytest.mark.slow
def test_newsdesk_process_writes_segments_and_translation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`newsdesk process` on a mixed-language article runs newsdesk_translate after clean
    and extract: the record has segments, the translated body and the engines used."""
    article = tmp_path / "story.txt"
    article.write_text(
        "Floods close the main road\n\n"
        "Heavy rain flooded the main road into the town on Sunday night, the police said.\n\n"
        "Según el ayuntamiento, 40 familias tuvieron que abandonar sus casas.\n\n"
        "The road is expected to reopen on Wednesday.\n", encoding="utf-8")
    assert main(["process", str(article), "--workdir", str(tmp_path)]) == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    langs = [s["lang"] for s in record["segments"]]
    assert "es" in langs and langs.count("en") >= 2
    spanish = record["segments"][langs.index("es")]
    assert spanish["engine"] == "apertium" and "40" in spanish["translation"]
    assert "families" in record["translation"]["text"] and record["translation"]["engines"] == ["apertium"]
    assert record["status"] == "ok"

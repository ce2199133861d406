"""The plugin's hooks: its configuration section and its registration."""

from __future__ import annotations

from pathlib import Path

import pluggy
import pytest

from newsdesk.config import load_core
from newsdesk.errors import ConfigError
from newsdesk_plugins import extract

from ..plugin_config import configured, plugin_config


def test_config_section_defaults_and_registration(tmp_path: Path) -> None:
    """Declares [extract] with typed defaults and registers one engine instance at configure time."""
    config = plugin_config(extract, tmp_path, extract={"max_chars": 1000})
    settings = config.section("extract")
    assert (settings.max_chars, settings.ner_model) == (1000, "")
    pm = pluggy.PluginManager("newsdesk")
    extract.newsdesk_configure(config=config, pm=pm, role="main")
    extract.newsdesk_configure(config=config, pm=pm, role="main")
    engine = pm.get_plugin("extract.engine")
    assert engine.max_chars == 1000
    assert engine.aliases_file == tmp_path / "config" / "extract_aliases.toml"
    assert engine._rules == {} and engine._natasha is None  # outside a worker nothing is loaded


def test_worker_builds_the_rules_at_configure_time(tmp_path: Path) -> None:
    """A worker builds the entity rules as it starts, so its first article does not pay for them;
    natasha still waits for a Russian article."""
    pm = configured(extract, plugin_config(extract, tmp_path), "worker")
    engine = pm.get_plugin("extract.engine")
    assert engine._rules and engine._phrases is not None and engine._canon is not None
    assert engine._natasha is None


def test_config_rejects_wrong_type() -> None:
    """Refuses a max_chars that is not an integer, naming the key."""
    (section,) = extract.newsdesk_config_sections()
    config = load_core(None, {"extract": {"max_chars": "many"}})
    with pytest.raises(ConfigError, match="max_chars"):
        config.bind_sections([section])


def test_a_ner_model_without_spacy_installed_is_a_clear_config_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy is the `ner` extra: a ner_model set without it installed is refused at
    configure time, saying how to install it."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "spacy" else real(name, *a))
    config = plugin_config(extract, extract={"ner_model": "en_core_web_sm"})
    with pytest.raises(ConfigError, match=r"needs spaCy.*newsdesk\[ner\]"):
        configured(extract, config, "main")


def test_missing_spacy_model_is_a_clear_config_error() -> None:
    """Refuses at configure time a ner_model that is not installed, saying how to install it."""
    config = plugin_config(extract, extract={"ner_model": "xx_no_such_model_sm"})
    with pytest.raises(ConfigError, match="not installed"):
        configured(extract, config, "main")

"""docs/configuration.md has a row for every setting with its real default, and each
built-in plugin's page names its settings."""

from __future__ import annotations

import dataclasses
import importlib
import re
from typing import Any

import pytest

from newsdesk.config import CORE_SECTIONS, Section
from newsdesk.configfile import render
from tests.docs.pages import page, section

PLUGINS = ["clean", "extract", "translate", "index", "jsonl"]
MODULES = {"jsonl": "jsonl_sink"}


def plugin_sections() -> dict[str, type]:
    out: dict[str, type] = {}
    for name in PLUGINS:
        module = importlib.import_module(f"newsdesk_plugins.{MODULES.get(name, name)}")
        sections: list[Section] = list(module.newsdesk_config_sections())
        out.update({s.name: s.schema for s in sections})
    return out


def default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory()  # type: ignore[misc]


ALL = {**CORE_SECTIONS, **plugin_sections()}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_setting_has_a_row_with_its_default(name: str) -> None:
    """Each key of each section (core and built-in plugins) has a row in its section of
    docs/configuration.md whose default is the one in the code, written as TOML."""
    text = section(page("configuration.md"), f"## `[{name}]`")
    rows = {m.group(1): m.group(2) for m in
            re.finditer(r"^\| `(\w+)` \| `(.*?)` \|", text, re.M)}
    keys = {f.name: default_of(f) for f in dataclasses.fields(ALL[name])}
    assert set(rows) == set(keys), f"[{name}]: rows {sorted(rows)} against keys {sorted(keys)}"
    for key, value in keys.items():
        toml = render({name: {key: value}}).split("=", 1)[1].strip()
        assert rows[key] == toml, f"[{name}] {key}: documented {rows[key]}, default {toml}"


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_setting_of_a_plugin_is_named_on_its_page(plugin: str) -> None:
    """Each key of a stage plugin's settings appears in its page's configuration section."""
    text = page(f"plugins/{plugin}.md")
    part = section(text, f"## Configuration (`[{plugin}]`)")
    keys = [f.name for f in dataclasses.fields(ALL[plugin])]
    missing = [k for k in keys if f"`{k}`" not in part]
    assert not missing, f"[{plugin}] settings not on docs/plugins/{plugin}.md: {missing}"

"""config/newsdesk.toml documents every setting, with its default."""

from __future__ import annotations

import tomllib
from pathlib import Path

from newsdesk.app import Settings, build_app

CONFIG = Path(__file__).resolve().parents[1] / "config" / "newsdesk.toml"


def test_the_shipped_config_file_lists_every_setting_with_its_default(tmp_path: Path) -> None:
    """Every section and key the framework and the loaded plugins declare is in
    config/newsdesk.toml, set to its default, and the file has nothing else."""
    defaults = build_app(Settings(workdir=str(tmp_path), command="config")).config.as_dict()
    defaults["paths"]["workdir"] = "."  # the working folder is always set by the command
    shipped = tomllib.loads(CONFIG.read_text())
    assert sorted(shipped) == sorted(defaults)
    for section, values in defaults.items():
        assert shipped[section] == {k: v for k, v in values.items() if v is not None}, section


def test_every_setting_in_the_shipped_file_has_a_comment() -> None:
    """Each key line is preceded by a comment line explaining it."""
    lines = CONFIG.read_text().splitlines()
    for n, line in enumerate(lines):
        if "=" in line and not line.startswith(("#", "[")):
            assert lines[n - 1].startswith("#"), f"no comment above: {line}"

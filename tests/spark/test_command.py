"""``newsdesk spark`` where Spark is not installed, and its refused settings."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from newsdesk.cli import main
from newsdesk.errors import EXIT_PLUGIN, EXIT_USAGE


def test_without_pyspark_spark_says_in_one_line_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "pyspark" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code = main(["spark", "--once", "--workdir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == EXIT_PLUGIN
    assert err.count("\n") == 1
    assert "pyspark" in err and "pip install -e '.[spark]'" in err


def test_a_max_files_per_trigger_under_one_is_refused_at_start(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["spark", "--max-files-per-trigger", "0", "--workdir", str(tmp_path)])
    err = capsys.readouterr().err
    assert stop.value.code == EXIT_USAGE
    assert "must be 1 or more, got 0" in err and err.count("\n") == 1

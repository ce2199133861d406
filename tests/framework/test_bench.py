"""`newsdesk bench`: which plugins a framework-only run leaves out."""

from __future__ import annotations

from pathlib import Path

from newsdesk.app import Settings, build_app
from newsdesk.bench import _stage_plugins


def test_a_framework_only_bench_disables_every_stage_plugin_by_its_loaded_name(
    tmp_path: Path,
) -> None:
    """The stage plugins are named as `--disable` takes them, including one that
    registers its stage instance only under `run` (the index); readers and sinks stay."""
    app = build_app(Settings(workdir=str(tmp_path), command="bench"))
    work = tmp_path / "bench"
    work.mkdir()
    disabled = _stage_plugins(app, work)
    assert {"clean", "extract", "translate", "index"} <= set(disabled)
    assert not {"readers", "jsonl", "stdout"} & set(disabled)
    loaded = {info.name for info in app.plugins}
    assert set(disabled) <= loaded

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


def test_the_daemons_tree_is_read_from_proc_children_and_by_parents_alike() -> None:
    """The memory sampler finds grandchildren (workers under a fork server) without
    starting a process; both ways of reading /proc give the same tree."""
    import os
    import subprocess
    import time

    from newsdesk.bench import _children, _children_by_stat, _direct_children

    shell = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(_children(os.getpid())) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        tree = _children(os.getpid())
        assert shell.pid in tree and len(tree) == 3
        sleeps = set(tree) - {shell.pid}
        assert set(_direct_children(shell.pid)) == set(_children_by_stat(shell.pid)) == sleeps
    finally:
        for pid in _children(shell.pid):
            os.kill(pid, 9)
        shell.kill()
        shell.wait()

"""Workers forked from one fork server share what the plugins' preload modules built."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson

from .helpers import write_plugin

PROBE = """
    import os
    from newsdesk import hookimpl

    @hookimpl
    def newsdesk_worker_preload():
        return ["probe_shared"]

    @hookimpl
    def newsdesk_clean(article):
        import probe_shared
        article.record["probe"] = {"loaded_in": probe_shared.LOADED_IN, "worker": os.getpid()}
"""

OFF = ["--disable", "clean", "--disable", "extract", "--disable", "translate", "--disable", "index"]


def test_two_workers_share_the_module_a_plugin_asks_their_fork_server_to_preload(
        tmp_path: Path) -> None:
    """A module named by ``newsdesk_worker_preload`` is imported once, in the fork server,
    before the workers are forked: both workers of ``newsdesk process`` see the one
    import (its process id is neither worker's), not an import of their own."""
    (tmp_path / "probe_shared.py").write_text("import os\nLOADED_IN = os.getpid()\n")
    write_plugin(tmp_path / "plugins", "probe", PROBE)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text("[daemon]\nworkers = 2\n")
    files = []
    for n in range(6):
        files.append(tmp_path / f"a{n}.txt")
        files[-1].write_text(f"Article {n}.")
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_CONFIG"}
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "process", "--workdir", str(tmp_path),
         "--plugins-dir", str(tmp_path / "plugins"), *OFF, *map(str, files)],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    probes = [orjson.loads(line)["probe"] for line in done.stdout.splitlines()]
    assert len(probes) == 6
    loaded_in = {p["loaded_in"] for p in probes}
    workers = {p["worker"] for p in probes}
    assert len(loaded_in) == 1, textwrap.shorten(str(probes), 300)
    assert not loaded_in & workers

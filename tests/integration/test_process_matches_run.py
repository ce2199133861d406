"""`newsdesk process` and `newsdesk run` group the same files the same way (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from ..index.helpers import STORM_EN, TRAM_DE, TRAM_EN
from ..index.test_names import ELECTION_EN, ELECTION_RU
from .conftest import stream_records

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FILES = {
    "a.txt": "Lyon approves tram line\n\n3 March 2026\n\n" + TRAM_EN,
    "b.txt": "Lyon approves tram line\n\n3 March 2026\n\n" + TRAM_EN + "\n",  # a copy
    "c.txt": "Storm in Porto\n\n4 March 2026\n\n" + STORM_EN,
    "d.txt": "Straßenbahn für Lyon\n\n4. März 2026\n\n" + TRAM_DE,
    "e.txt": "Vaňková re-elected in Brno\n\n3 October 2026\n\n" + ELECTION_EN,
    "f.txt": "Ванькова переизбрана\n\n4 октября 2026\n\n" + ELECTION_RU,
    "g.txt": "Lyon tram line\n\n" + TRAM_EN.replace("Tuesday", "Monday") + " Residents cheered.",
}


def grouping(records: list[dict[str, Any]]) -> tuple[set[frozenset[str]], set[frozenset[str]], set[str]]:
    """(stories, groups of copies: an original with its duplicates, files marked
    date_uncertain), by file name. Which copy is the original depends on which finished
    first (the daemon's workers run side by side), so copies are compared as groups."""
    stories: dict[str, set[str]] = {}
    copies: dict[str, set[str]] = {}
    for r in records:
        stories.setdefault(r["story"], set()).add(r["source"]["name"])
        copies.setdefault(r.get("duplicate_of") or r["id"], set()).add(r["source"]["name"])
    dups = {frozenset(c) for c in copies.values() if len(c) > 1}
    uncertain = {r["source"]["name"] for r in records if r.get("date_uncertain")}
    return {frozenset(s) for s in stories.values()}, dups, uncertain


def test_process_groups_files_as_run_does(tmp_path: Path) -> None:
    """The same seven files (a copy, two stories in two languages each, an undated report)
    give the same stories, duplicates and date_uncertain through `process` and `run --once`."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_CONFIG"}
    folder = tmp_path / "files"
    folder.mkdir()
    for n, (file, text) in enumerate(FILES.items()):
        (folder / file).write_text(text, "utf-8")
        os.utime(folder / file, (1_700_000_000 + n, 1_700_000_000 + n))  # run takes by mtime
    done = subprocess.run([sys.executable, "-m", "newsdesk", "process", "--workdir",
                           str(tmp_path / "p"), str(folder)], capture_output=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    processed = [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]

    inbox = tmp_path / "r" / "inbox"
    inbox.mkdir(parents=True)
    for n, file in enumerate(FILES):
        (inbox / file).write_bytes((folder / file).read_bytes())
        os.utime(inbox / file, (1_700_000_000 + n, 1_700_000_000 + n))
    done = subprocess.run([sys.executable, "-m", "newsdesk", "run", "--once", "--workdir",
                           str(tmp_path / "r")], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    ran = stream_records(tmp_path / "r")

    assert len(processed) == len(ran) == len(FILES)
    p_stories, p_dups, p_uncertain = grouping(processed)
    assert (p_stories, p_dups, p_uncertain) == grouping(ran)
    # and the grouping is the one the files call for
    assert p_dups == {frozenset({"a.txt", "b.txt", "g.txt"})}
    assert {"a.txt", "b.txt", "g.txt"} <= next(s for s in p_stories if "a.txt" in s)
    assert frozenset({"e.txt", "f.txt"}) in p_stories and p_uncertain == {"g.txt"}

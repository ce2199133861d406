"""The plugin in the framework: configuration, registration, the record, site memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.app import Settings, build_app
from newsdesk.article import Source
from newsdesk.errors import ConfigError
from newsdesk.pipeline import read, run_stages
from newsdesk_plugins.clean import CleanSettings
from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import DATA, make_article


def test_clean_stage_writes_its_fields(tmp_path: Path) -> None:
    """Runs as the clean stage of a configured newsdesk and writes text and removed, the
    headline among the removed lines with the role title (extract owns the title field)."""
    app = build_app(Settings(workdir=str(tmp_path), command="process"), role="worker")
    data = (DATA / "en_01_harbour.txt").read_bytes().replace(b"[meta] ", b"").replace(b"[title] ", b"")
    source = Source(path="x.txt", name="x.txt", size=len(data), mtime="", received="")
    (article,) = read(app.pm, source, data)
    run_stages(app.pm, article, ("clean",))
    rec = article.to_record()
    assert rec["status"] == "ok", rec["errors"]
    assert "title" not in rec
    assert [r["text"] for r in rec["removed"] if r["role"] == "title"][0].startswith("Harbour ferry service suspended")
    assert rec["text"].startswith("A passenger ferry lost power")
    assert "\n\n" in rec["text"]
    assert {"text": "Published 14 March 2023, 09:15", "role": "meta"} in rec["removed"]


def test_configuration_is_validated(tmp_path: Path) -> None:
    """Refuses an unknown key in the [clean] section with a one-line error."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdesk.toml").write_text("[clean]\nmax_gap = 3\n")
    with pytest.raises(ConfigError, match="unknown key 'max_gap' in \\[clean\\]"):
        build_app(Settings(workdir=str(tmp_path)), role="worker")


def test_user_lexicon_replaces_the_shipped_one(tmp_path: Path) -> None:
    """Reads config/clean_lexicon.toml from the working folder when it is there."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "clean_lexicon.toml").write_text('[share]\nany = ["zap"]\n')
    app = build_app(Settings(workdir=str(tmp_path)), role="worker")
    engine = app.pm.get_plugin("clean.engine")
    assert engine.cleaner.lexicon_path == str(tmp_path / "config" / "clean_lexicon.toml")


def test_site_memory_removes_chrome_seen_in_many_articles() -> None:
    """Removes a line seen in several earlier articles of the same site as repeated."""
    cleaner = Cleaner(CleanSettings(repeat_min_articles=3))
    chrome = "Our journalism depends on readers like you, so please consider supporting our work today."
    body = "The {} branch of the library opened on Saturday after a renovation that took more than a year to finish."
    for n in range(3):
        a = make_article(f"{body.format(n)}\n\n{chrome}", given={"url": "https://www.example.org/a"}, name=f"{n}.txt")
        cleaner.clean(a)
        assert chrome in a.record["text"]
    a = make_article(f"{body.format('east')}\n\n{chrome}", given={"url": "https://example.org/b"}, name="4.txt")
    cleaner.clean(a)
    assert chrome not in a.record["text"]
    assert {"text": chrome, "role": "repeated"} in a.record["removed"]


def test_site_memory_is_per_site() -> None:
    """Keeps a line that other sites repeat."""
    cleaner = Cleaner(CleanSettings(repeat_min_articles=2))
    line = "The library opened on Saturday after a renovation that took more than a year to finish."
    for n in range(3):
        cleaner.clean(make_article(line, given={"url": f"https://site{n}.example/a"}, name=f"{n}.txt"))
    a = make_article(line, given={"url": "https://site9.example/a"}, name="9.txt")
    cleaner.clean(a)
    assert a.record["text"] == line


def test_site_memory_persists_across_processes(tmp_path: Path) -> None:
    """Saves the per-site counts to the state file and a new cleaner starts from them."""
    path = tmp_path / "state" / "clean_sites.json"
    chrome = "Support independent journalism with a subscription that costs less than a coffee a week."
    body = "The {} bridge reopened on Friday after four months of repairs to its steel deck and railings."
    first = Cleaner(CleanSettings(repeat_min_articles=2), memory_path=path)
    for n in range(2):
        first.clean(make_article(f"{body.format(n)}\n\n{chrome}", given={"site": "Valley Post"}, name=f"{n}.txt"))
    first.memory.save()
    second = Cleaner(CleanSettings(repeat_min_articles=2), memory_path=path)
    a = make_article(f"{body.format('old')}\n\n{chrome}", given={"site": "Valley Post"}, name="9.txt")
    second.clean(a)
    assert {"text": chrome, "role": "repeated"} in a.record["removed"]


def test_site_memory_saves_add_up(tmp_path: Path) -> None:
    """Adds the counts of two processes sharing the state file instead of overwriting."""
    path = tmp_path / "clean_sites.json"
    line = "Sign in to keep reading the stories you follow on every device."
    for worker in range(2):
        memory = Cleaner(CleanSettings(repeat_min_articles=3), memory_path=path).memory
        memory.remember("valley post", f"w{worker}", [line])
        memory.save()
    third = Cleaner(CleanSettings(repeat_min_articles=2), memory_path=path).memory
    assert third.repeated("valley post")

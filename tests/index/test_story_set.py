"""Story grouping on the hand-made labelled set (tests/index/data/stories.jsonl: 17
articles in English, German and French about six events, two of which share their people
and places with another event)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsdesk_plugins.index import IndexSettings, group_settings
from newsdesk_plugins.index.grouping import Grouper, story_id

DATA = Path(__file__).parent / "data" / "stories.jsonl"


def grouped(tmp_path: Path, translations: bool = True) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines()]
    g = Grouper(tmp_path / "s.sqlite3", group_settings(IndexSettings()))
    gold, pred = [], []
    for n, row in enumerate(sorted(rows, key=lambda r: r["published"])):
        rec: dict[str, Any] = {"id": f"{n:064x}", "title": row["title"], "text": row["text"],
                               "lang": row["lang"], "published": row["published"],
                               "entities": [{"name": e} for e in row["entities"]]}
        if translations and "translation" in row:
            rec["translation"] = row["translation"]
        pred.append(g.decide(rec["id"], rec).story)
        gold.append(row["event"])
    return gold, pred


def test_each_event_is_one_story_and_no_story_mixes_events(tmp_path: Path) -> None:
    """With translations, the six events give six stories, each holding exactly the
    articles of its event (the mayor's election bid stays apart from her tram line, the
    Porto cup final from the Porto storm)."""
    gold, pred = grouped(tmp_path)
    by_event: dict[str, set[str]] = {}
    for event, story in zip(gold, pred, strict=True):
        by_event.setdefault(event, set()).add(story)
    assert all(len(stories) == 1 for stories in by_event.values()), by_event
    assert len({next(iter(s)) for s in by_event.values()}) == len(by_event)


def test_without_translations_foreign_articles_never_join_the_wrong_story(
        tmp_path: Path) -> None:
    """Without the translate plugin, an article in another language may stay on its own,
    but it never joins another event's story."""
    gold, pred = grouped(tmp_path, translations=False)
    owner: dict[str, str] = {}
    for event, story in zip(gold, pred, strict=True):
        assert owner.setdefault(story, event) == event


def test_story_ids_differ_for_ids_sharing_a_prefix() -> None:
    """Story ids are hashes of the first article's id: ids with a common prefix (or not
    hex at all) still give distinct stories."""
    assert story_id("0" * 63 + "1") != story_id("0" * 63 + "2")
    assert story_id("line-7").startswith("st-") and len(story_id("line-7")) == 19

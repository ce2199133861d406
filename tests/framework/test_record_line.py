"""A record and its JSON line are made together, serialised once (Article.record_and_line)."""

from __future__ import annotations

import orjson

from newsdesk import output
from newsdesk.article import Article, Source


def _article(**record: object) -> Article:
    article = Article(Source("/in/a.txt", "a.txt", 10, "2026-12-07T00:00:00Z",
                             "2026-12-07T00:00:01Z"), "text", id="ab" * 32)
    article.record.update(record)
    article.timings_ms["clean"] = 1.23456
    return article


def test_the_line_is_the_record_as_the_sinks_would_serialise_it() -> None:
    record, line = _article(title="A title", text="Body ü").record_and_line()
    assert line == output.dumps(record)
    assert line.endswith(b"\n") and orjson.loads(line)["title"] == "A title"


def test_a_field_cut_or_dropped_is_in_the_line_with_its_note() -> None:
    for article in (_article(title="x" * 600), _article(tags={"a", "b"}, title="t")):
        record, line = article.record_and_line()
        assert record["status"] == "partial" and record["errors"]
        assert line == output.dumps(record)
        assert orjson.loads(line)["errors"] == record["errors"]


def test_to_record_is_the_record_of_record_and_line() -> None:
    article = _article(title="Same", text="words")
    assert article.to_record() == article.record_and_line()[0]

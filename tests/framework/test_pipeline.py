"""core/pipeline.py and core/article.py: stages, errors, timings, the record."""

from __future__ import annotations

import hashlib
from typing import Any

import pluggy
import pytest

from newsdesk import SCHEMA, hookimpl
from newsdesk.article import FRAMEWORK_KEYS, Article, content_id
from newsdesk.pipeline import STAGES, read, run_stages

from .helpers import readers_manager, source


class Recorder:
    """A plugin that notes, in the record, each stage it saw."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def _note(self, article: Article, stage: str) -> None:
        article.record.setdefault("seen", []).append(f"{stage}:{self.tag}")

    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        self._note(article, "clean")

    @hookimpl
    def newsdesk_extract(self, article: Article) -> None:
        self._note(article, "extract")

    @hookimpl
    def newsdesk_translate(self, article: Article) -> None:
        self._note(article, "translate")

    @hookimpl
    def newsdesk_index(self, article: Article) -> None:
        self._note(article, "index")


class RaisingCleaner:
    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        raise ValueError("no body found")


class FailingCleaner:
    @hookimpl
    def newsdesk_clean(self, article: Article) -> None:
        article.fail("clean", "failing", "unrecoverable markup")


def text_article(text: str = "Bridge approved.") -> tuple[pluggy.PluginManager, Article]:
    pm = readers_manager()
    data = text.encode()
    (article,) = read(pm, source("story.txt", data), data)
    return pm, article


def test_every_stage_runs_in_order() -> None:
    """newsdesk_clean, newsdesk_extract, newsdesk_translate then newsdesk_index each run
    once, in that order."""
    pm, article = text_article()
    pm.register(Recorder("a"), name="a")
    run_stages(pm, article, STAGES)
    assert article.record["seen"] == ["clean:a", "extract:a", "translate:a", "index:a"]
    assert article.status == "ok"


def test_every_implementation_of_a_stage_runs() -> None:
    """Two plugins of one stage both run, the last registered first (pluggy's order)."""
    pm, article = text_article()
    pm.register(Recorder("a"), name="a")
    pm.register(Recorder("b"), name="b")
    run_stages(pm, article, ("clean",))
    assert article.record["seen"] == ["clean:b", "clean:a"]


def test_a_stage_without_plugins_passes_the_article_on() -> None:
    """With no stage plugin at all the article comes out ok, with a timing for each stage."""
    pm, article = text_article()
    run_stages(pm, article, STAGES)
    assert article.status == "ok"
    assert set(STAGES) <= set(article.timings_ms)


def test_a_raising_plugin_is_recorded_and_everything_else_still_runs() -> None:
    """A plugin's exception becomes an errors entry {stage, plugin, type, message}, the
    status turns "partial", and the other plugins of that stage and the later stages run."""
    pm, article = text_article()
    pm.register(Recorder("before"), name="before")
    pm.register(RaisingCleaner(), name="raiser")
    pm.register(Recorder("after"), name="after")
    run_stages(pm, article, STAGES)
    assert article.errors == [
        {"stage": "clean", "plugin": "raiser", "type": "ValueError", "message": "no body found"}
    ]
    assert article.status == "partial"
    assert article.record["seen"] == [
        "clean:after", "clean:before", "extract:after", "extract:before",
        "translate:after", "translate:before", "index:after", "index:before",
    ]


def test_a_failed_article_skips_every_stage() -> None:
    """An article that failed reading goes through no stage plugin at all."""
    pm = readers_manager()
    pm.register(Recorder("a"), name="a")
    (article,) = read(pm, source("blob.txt", b"%PDF-1.7"), b"%PDF-1.7")
    run_stages(pm, article, STAGES)
    assert article.status == "failed"
    assert "seen" not in article.record
    assert set(article.timings_ms) == {"read"}


def test_failing_an_article_mid_way_skips_the_later_stages() -> None:
    """article.fail() in one stage lets that stage finish but stops the later stages."""
    pm, article = text_article()
    pm.register(Recorder("a"), name="a")
    pm.register(FailingCleaner(), name="failing")
    run_stages(pm, article, STAGES)
    assert article.status == "failed"
    assert article.record["seen"] == ["clean:a"]
    assert article.errors[0]["message"] == "unrecoverable markup"


def test_timings_are_kept_per_stage_and_per_plugin() -> None:
    """timings_ms holds read and each stage run; plugin_ms adds up each plugin's time."""
    pm, article = text_article()
    pm.register(Recorder("a"), name="a")
    per_plugin: dict[str, float] = {}
    run_stages(pm, article, STAGES, per_plugin)
    assert list(article.timings_ms) == ["read", *STAGES]
    assert all(v >= 0 for v in article.timings_ms.values())
    assert set(per_plugin) == {f"{stage}:a" for stage in STAGES}


def test_a_reader_that_raises_unexpectedly_fails_the_article() -> None:
    """A reader plugin's unexpected exception gives a failed article, never an exception."""

    class Broken:
        @hookimpl(tryfirst=True)
        def newsdesk_read(self, source: Any, data: bytes) -> None:
            raise RuntimeError("reader bug")

    pm = readers_manager()
    pm.register(Broken(), name="broken")
    (article,) = read(pm, source("story.txt", b"x"), b"x")
    assert article.status == "failed"
    assert article.errors[0]["type"] == "RuntimeError"


def test_the_first_reader_that_answers_wins() -> None:
    """newsdesk_read is first-result: a plugin reader taking .txt replaces the built-in."""

    class Upper:
        @hookimpl(tryfirst=True)
        def newsdesk_read(self, source: Any, data: bytes) -> list[Article]:
            return [Article(id=content_id(data), source=source, content=data.decode().upper())]

    pm = readers_manager()
    pm.register(Upper(), name="upper")
    (article,) = read(pm, source("story.txt", b"quiet"), b"quiet")
    assert article.content == "QUIET"


# --- the record (core/article.py) -------------------------------------------------------


def test_the_record_has_framework_keys_around_the_stage_fields() -> None:
    """The record starts with schema, id, source, status, then the stages' fields in the
    order they were written, and ends with errors and timings_ms."""
    pm, article = text_article()
    article.record["text"] = "Bridge approved."
    article.record["title"] = "Bridge"
    article.add_error("extract", "people", "model missing")
    record = article.to_record()
    assert list(record) == ["schema", "id", "source", "status", "text", "title", "errors",
                            "timings_ms"]
    assert record["schema"] == SCHEMA == "newsdesk/2"
    assert record["id"] == hashlib.sha256(b"Bridge approved.").hexdigest()
    assert list(record["source"]) == ["path", "name", "size", "mtime", "received"]
    assert record["status"] == "partial"
    assert record["errors"] == [
        {"stage": "extract", "plugin": "people", "type": "Error", "message": "model missing"}
    ]


def test_a_plugin_cannot_overwrite_the_framework_keys() -> None:
    """Framework keys a plugin writes into the record are ignored in the output."""
    _, article = text_article()
    for key in FRAMEWORK_KEYS:
        article.record[key] = "forged"
    record = article.to_record()
    assert all(record[key] != "forged" for key in FRAMEWORK_KEYS)


@pytest.mark.parametrize(
    ("errors", "failed", "status"),
    [(0, False, "ok"), (1, False, "partial"), (2, False, "partial"), (1, True, "failed")],
)
def test_the_status_follows_errors_and_failure(errors: int, failed: bool, status: str) -> None:
    """No error is "ok", any error "partial", and a failure "failed"."""
    _, article = text_article()
    for n in range(errors):
        article.add_error("clean", "p", f"problem {n}")
    article.failed = failed
    assert article.status == status == article.to_record()["status"]


def test_an_exception_without_message_is_named_by_its_type() -> None:
    """An error with an empty message still says what went wrong."""
    _, article = text_article()
    article.add_error("index", "search", KeyError())
    assert article.errors[0] == {"stage": "index", "plugin": "search", "type": "KeyError",
                                 "message": "KeyError"}


def test_timings_are_rounded_to_microseconds() -> None:
    """timings_ms values are milliseconds rounded to three decimals."""
    _, article = text_article()
    article.timings_ms["clean"] = 1.23456789
    assert article.to_record()["timings_ms"]["clean"] == 1.235

"""The tantivy backend: search, filters, replacing by id, and any text a user types."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk_plugins.index.backend import Filters, IndexUnavailable
from newsdesk_plugins.index.documents import to_doc
from newsdesk_plugins.index.tantivy_engine import TantivyBackend

from .helpers import STORM_EN, TRAM_DE, TRAM_EN, record


@pytest.fixture
def index(tmp_path: Path) -> TantivyBackend:
    b = TantivyBackend(tmp_path / "index", writable=True, heap_mb=15)
    b.upsert(to_doc(r) for r in [
        record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03T09:00",
               site="lyon-news.example", entities=["Claire Dubois", "Lyon"], cited=["AFP"]),
        record(STORM_EN, title="Storm hits Portugal", published="2026-03-01",
               site="coast.example", entities=["Portugal", "Porto"]),
        record(TRAM_DE, title="Stadtrat genehmigt Straßenbahn", lang="de",
               published="2026-03-04", site="zeitung.example",
               entities=["Claire Dubois", "Lyon"],
               translation={"lang": "en", "title": "City council approves tram",
                            "text": "The city council of Lyon approved the new tram line."}),
    ])
    b.commit()
    return b


def titles(index: TantivyBackend, query: str, **filters: object) -> list[str]:
    return [h.title for h in index.search(query, Filters(**filters), 10).hits]  # type: ignore[arg-type]


def test_words_find_articles_ranked_with_a_highlighted_snippet(index: TantivyBackend) -> None:
    """A word finds the articles holding it (stemmed in English), the best first, and the
    snippet marks the matched word."""
    res = index.search("storms", Filters(), 10)
    assert [h.title for h in res.hits] == ["Storm hits Portugal"]
    assert "\x02storm\x03" in res.hits[0].snippet
    assert res.hits[0].site == "coast.example"
    assert res.hits[0].when == datetime(2026, 3, 1, tzinfo=UTC)


def test_the_translation_is_searched_and_gives_the_snippet(index: TantivyBackend) -> None:
    """A German article is found by an English word of its translation."""
    found = titles(index, "tram", lang="de")
    assert found == ["Stadtrat genehmigt Straßenbahn"]
    hit = index.search("tram", Filters(lang="de"), 10).hits[0]
    assert "\x02tram\x03" in hit.snippet


def test_filters_narrow_by_language_site_entity_and_dates(index: TantivyBackend) -> None:
    """--lang, --site, --entity (any case) and --since/--until each narrow the results."""
    assert titles(index, "tram", lang="en") == ["Lyon approves tram line"]
    assert titles(index, "", site="coast.example") == ["Storm hits Portugal"]
    assert sorted(titles(index, "", entity="claire DUBOIS")) == [
        "Lyon approves tram line", "Stadtrat genehmigt Straßenbahn"]
    assert titles(index, "", since=datetime(2026, 3, 4, tzinfo=UTC)) == [
        "Stadtrat genehmigt Straßenbahn"]
    assert titles(index, "", until=datetime(2026, 3, 2, tzinfo=UTC)) == ["Storm hits Portugal"]
    assert titles(index, "", cited="afp") == ["Lyon approves tram line"]


def test_an_empty_query_lists_the_newest_first(index: TantivyBackend) -> None:
    """No words: every article, newest first."""
    assert titles(index, "") == ["Stadtrat genehmigt Straßenbahn", "Lyon approves tram line",
                                 "Storm hits Portugal"]


@pytest.mark.parametrize("query", [
    'title:(', '"unclosed', "AND OR NOT", "a:b:c", "((((", "when:[2020 TO", "*", "\x00\x01",
    "tram~~", "-", "+", "^2", "\\", "日本語のニュース", "🙂 tram", "x" * 10_000,
    " ".join(["storm"] * 3000), "site:", "title:storm^", "[* TO *]",
])
def test_any_text_a_user_types_is_safe(index: TantivyBackend, query: str) -> None:
    """Query syntax characters, odd Unicode and very long queries never raise; what the
    engine could not read is said in a note."""
    res = index.search(query, Filters(), 5)
    assert res.total >= 0
    assert all(len(n) < 200 and "\n" not in n for n in res.notes)


def test_bad_syntax_falls_back_to_the_words_with_a_note(index: TantivyBackend) -> None:
    """A query tantivy cannot parse is searched as plain words, and a note says so."""
    res = index.search('storm AND (Portugal', Filters(), 5)
    assert [h.title for h in res.hits] == ["Storm hits Portugal"]
    assert res.notes and "syntax" in res.notes[0]


def test_adding_an_article_again_replaces_it(index: TantivyBackend) -> None:
    """Upserting the same id twice keeps one document, with the newer fields."""
    rec = record(STORM_EN, title="Storm hits Portugal", published="2026-03-01",
                 site="coast.example")
    index.upsert([to_doc({**rec, "title": "Storm hits Portugal hard"})])
    index.upsert([to_doc({**rec, "title": "Storm hits Portugal very hard"})])
    index.commit()
    assert index.count() == 3
    assert titles(index, "storm") == ["Storm hits Portugal very hard"]


def test_a_reader_in_read_only_mode_sees_commits_and_the_writer_is_single(
        index: TantivyBackend, tmp_path: Path) -> None:
    """A read-only backend sees each commit; a second writer is refused with one line."""
    reader = TantivyBackend(tmp_path / "index", writable=False)
    assert reader.count() == 3
    index.delete([record(STORM_EN, title="Storm hits Portugal")["id"]])
    index.commit()
    assert reader.count() == 2
    with pytest.raises(IndexUnavailable, match="another process"):
        TantivyBackend(tmp_path / "index", writable=True)


def test_ids_lists_the_live_documents(index: TantivyBackend) -> None:
    """ids() gives the ids of the documents present, not of deleted ones."""
    storm = record(STORM_EN, title="Storm hits Portugal")["id"]
    assert storm in index.ids() and len(index.ids()) == 3
    index.delete([storm])
    index.commit()
    assert storm not in index.ids() and len(index.ids()) == 2


def test_a_missing_index_is_one_clear_error_for_a_reader(tmp_path: Path) -> None:
    """Opening an index that does not exist read-only says where and how to build it."""
    with pytest.raises(IndexUnavailable, match="reindex"):
        TantivyBackend(tmp_path / "nothing", writable=False)


def test_a_long_article_gets_its_snippet_around_a_late_match(tmp_path: Path) -> None:
    """In a long text the snippet is taken where the query word is, far from the start,
    and a word matched only through its stem is still highlighted."""
    filler = "Nothing of note happened in the valley that week. " * 400
    b = TantivyBackend(tmp_path / "long", writable=True, heap_mb=15)
    b.upsert([to_doc(record(filler + "Then the volcano erupted at dawn. " + filler,
                            title="Valley news"))])
    b.commit()
    hit = b.search("volcano", Filters(), 1).hits[0]
    assert "\x02volcano\x03 erupted" in hit.snippet
    hit = b.search("erupting", Filters(), 1).hits[0]
    assert "\x02erupted\x03" in hit.snippet


@pytest.mark.slow
def test_comparing_with_the_stream_works_past_65000_documents(tmp_path: Path) -> None:
    """compare() lists what is missing and extra in an index of 70,000 documents (more than
    tantivy's aggregation bucket limit)."""
    from newsdesk_plugins.index.backend import IndexDoc

    b = TantivyBackend(tmp_path / "big", writable=True, heap_mb=64, threads=2)
    ids = [f"{n:064x}" for n in range(70_000)]
    b.upsert(IndexDoc(id=i, title="t", text="x", english="", english_title="", lang="",
                      site="", when=None) for i in ids)
    b.commit()
    stream = set(ids[5:]) | {"not-indexed"}
    missing, extra = b.compare(stream)
    assert missing == {"not-indexed"}
    assert extra == set(ids[:5])

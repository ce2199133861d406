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


def test_a_reader_that_already_searched_finds_what_is_committed_later(
        index: TantivyBackend, tmp_path: Path) -> None:
    """A read-only backend kept open between searches finds an article committed after
    its first search, and no longer finds a deleted one."""
    reader = TantivyBackend(tmp_path / "index", writable=False)
    assert [h.title for h in reader.search("volcano", Filters(), 5).hits] == []
    volcano = record("The volcano erupted at dawn.", title="Volcano")
    index.upsert([to_doc(volcano)])
    index.commit()
    assert [h.title for h in reader.search("volcano", Filters(), 5).hits] == ["Volcano"]
    index.delete([volcano["id"]])
    index.commit()
    assert reader.search("volcano", Filters(), 5).hits == []


class _CountingIndex:
    """A tantivy index that counts its reloads (everything else passes through)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.reloads = 0

    def reload(self) -> None:
        self.reloads += 1
        self.inner.reload()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_searches_reload_the_reader_only_after_a_commit(
        index: TantivyBackend, tmp_path: Path) -> None:
    """Searching again without a commit in between reuses the reader; a commit by the
    writer makes the next search reload it once."""
    reader = TantivyBackend(tmp_path / "index", writable=False)
    counting = _CountingIndex(reader.index)
    reader.index = counting  # type: ignore[assignment]
    for _ in range(3):
        reader.search("tram", Filters(), 5)
    assert counting.reloads == 1
    index.upsert([to_doc(record("The volcano erupted at dawn.", title="Volcano"))])
    index.commit()
    assert [h.title for h in reader.search("volcano", Filters(), 5).hits] == ["Volcano"]
    reader.search("volcano", Filters(), 5)
    assert counting.reloads == 2


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


def test_a_snippet_is_looked_for_in_the_first_50000_characters_only(tmp_path: Path) -> None:
    """A word that first appears, only through its stem, after the first 50,000
    characters of a very long text finds the article; its snippet is then the text's
    start, unmarked (a word found as typed is shown where it is)."""
    filler = "Nothing of note happened in the valley that week. " * 1100
    b = TantivyBackend(tmp_path / "huge", writable=True, heap_mb=15)
    b.upsert([to_doc(record(filler + "Then the glacier moved.", title="Valley news"))])
    b.commit()
    hit = b.search("glaciers", Filters(), 1).hits[0]
    assert hit.title == "Valley news"
    assert "\x02" not in hit.snippet and hit.snippet.startswith("Nothing of note")
    hit = b.search("glacier", Filters(), 1).hits[0]
    assert "\x02glacier\x03 moved" in hit.snippet


def test_an_original_that_matches_gives_the_snippet_before_its_translation(
        index: TantivyBackend) -> None:
    """A word of a German original is highlighted in the original; a word only its
    English translation holds is highlighted in the translation."""
    hit = index.search("Straßenbahnlinie", Filters(), 5).hits[0]
    assert "\x02Straßenbahnlinie\x03" in hit.snippet
    hit = index.search("council", Filters(lang="de"), 5).hits[0]
    assert "\x02council\x03" in hit.snippet and "Stadtrat" not in hit.snippet


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


def test_an_original_in_a_stemmed_language_is_found_in_another_form(tmp_path: Path) -> None:
    """A Russian, Spanish or German article is found by another form of its words
    ("Москвы" finds "Москва", "puertos" finds "puerto"), in its title too; Polish, which
    tantivy has no stemmer for, is matched word for word."""
    b = TantivyBackend(tmp_path / "index", writable=True, heap_mb=15)
    b.upsert(to_doc(r) for r in [
        record("В Москва-реке нашли лодку. Мэрия Москва закрыла набережную.", lang="ru",
               title="Лодка на реке"),
        record("El puerto de Valencia reabre mañana tras la tormenta.", lang="es",
               title="Reabre el puerto"),
        record("Die neue Brücke über die Elbe ist eröffnet.", lang="de",
               title="Brücke eröffnet"),
        record("Most na Wiśle otwarto wczoraj po remoncie.", lang="pl", title="Most otwarty"),
    ])
    b.commit()

    def found(query: str) -> list[str]:
        return [h.lang for h in b.search(query, Filters(), 10).hits]

    assert found("Москвы") == ["ru"]
    assert found("лодки") == ["ru"]  # a title word in another case
    assert found("puertos") == ["es"]
    assert found("Brücken") == ["de"]
    assert found("Wiśle") == ["pl"] and found("Wisła") == []


def test_only_the_stemmed_fields_of_languages_in_the_index_are_searched(tmp_path: Path) -> None:
    """An English-only index searches no stemmed original-language field; once a Russian
    article is committed, a reader searches the Russian one too and finds its forms."""
    b = TantivyBackend(tmp_path / "index", writable=True, heap_mb=15)
    b.upsert([to_doc(record(TRAM_EN, title="Lyon approves tram line"))])
    b.commit()
    assert b.search("tram", Filters(), 10).hits and b._stem_fields == []
    b.upsert([to_doc(record("Мэрия Москва закрыла набережную на ремонт.", lang="ru",
                            title="Набережная закрыта"))])
    b.commit()
    assert [h.lang for h in b.search("Москвы", Filters(), 10).hits] == ["ru"]
    assert b._stem_fields == ["text_ru"]

"""The page's JSON-LD as evidence for the record, and bad input clamped with a note."""

from __future__ import annotations

import json
from collections.abc import Callable

from newsdesk.article import Article
from newsdesk_plugins.extract import structured
from newsdesk_plugins.extract.engine import Extractor, run
from newsdesk_plugins.extract.meta import clean_authors, from_html

from .conftest import make_article

BODY = ("<p>The harbour board voted on Tuesday to cut the winter ferry timetable to two crossings a day, "
        "citing falling passenger numbers and the rising cost of fuel.</p>")


def _page(ld: object | str, head: str = "", h1: str = "Harbour board cuts winter ferries") -> str:
    block = ld if isinstance(ld, str) else json.dumps(ld)
    return (f"<html><head>{head}<script type=\"application/ld+json\">{block}</script></head>"
            f"<body><article><h1>{h1}</h1>{BODY}</article></body></html>")


ARTICLE = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Coast Herald"},
        {"@type": "NewsArticle", "headline": "Harbour board cuts winter ferries",
         "datePublished": "2023-11-02T08:15:00+01:00", "dateModified": "2023-11-03T10:00:00+01:00",
         "author": [{"@type": "Person", "name": "Lena Marsh"}, {"@type": "Organization", "name": "Coast Herald"}],
         "publisher": {"@type": "Organization", "name": "Coast Herald"}, "articleBody": "The harbour board voted."},
    ],
}


def test_the_article_node_is_found_in_a_graph_with_its_authors_told_from_organisations() -> None:
    found = structured.read(_page(ARTICLE))
    assert found is not None
    assert found.headline == "Harbour board cuts winter ferries"
    assert found.published == "2023-11-02T08:15:00+01:00"
    assert found.authors == ["Lena Marsh"]
    assert found.organisations == ["Coast Herald"]
    assert found.publisher == "Coast Herald"


def test_a_json_ld_publication_time_keeps_its_offset_and_the_modification_time_is_read_too() -> None:
    out = from_html(_page(ARTICLE))
    assert out["date"] == "2023-11-02T08:15+01:00"
    assert out["modified"] == "2023-11-03T10:00+01:00"
    assert out["authors"] == ["Lena Marsh"]


def test_a_date_without_a_time_stays_a_date() -> None:
    ld = {"@type": "Article", "headline": "Harbour board cuts winter ferries", "datePublished": "2023-11-02"}
    assert from_html(_page(ld))["date"] == "2023-11-02"


def test_broken_json_ld_is_skipped_and_the_other_evidence_wins() -> None:
    head = '<meta property="article:published_time" content="2023-11-02T08:15:00+01:00">'
    page = _page('{"@type": "NewsArticle", "headline": "Harbour', head)
    assert structured.read(page) is None
    out = from_html(page)
    assert out["date"].startswith("2023-11-02")


def test_a_json_ld_date_at_the_epoch_is_not_taken_and_errors_say_so(extractor: Extractor) -> None:
    ld = {"@type": "NewsArticle", "headline": "Coast Herald", "datePublished": "1970-01-01T00:00:00Z"}
    head = ('<title>Harbour board cuts winter ferries | Coast Herald</title>'
            '<meta property="og:site_name" content="Coast Herald">')
    art = make_article(_page(ld, head), "html")
    run(extractor, art)
    assert art.record["title"] == "Harbour board cuts winter ferries"
    assert art.record["published"] is None or not art.record["published"].startswith("1970")
    assert any("1970-01-01T00:00:00Z" in e["message"] and "not taken" in e["message"] for e in art.errors)


def test_a_job_title_is_not_an_author_and_an_agency_beside_a_person_is_not_one() -> None:
    assert clean_authors(["AP Auto Writer"], []) == []
    assert clean_authors(["Andrew Bosworth", "Head of Reality Labs"], []) == ["Andrew Bosworth"]
    assert clean_authors(["Javier Espinoza", "Patricia Nilsson", "Financial Times"], []) == [
        "Javier Espinoza", "Patricia Nilsson"]
    assert clean_authors(["Associated Press"], []) == ["Associated Press"]


def test_a_title_of_two_thousand_characters_is_cut_with_a_note(extract: Callable[..., Article]) -> None:
    long = "Ferries " * 250
    art = extract("The harbour board voted on Tuesday.", title=None, input={"title": long})
    assert len(art.record["title"]) <= 301
    assert any("title of 2000 characters cut" in e["message"] for e in art.errors)


def test_an_author_list_of_two_hundred_names_keeps_twenty_with_a_note(extract: Callable[..., Article]) -> None:
    names = [f"Anna Berg{chr(65 + i % 26)}{chr(65 + i // 26)}" for i in range(200)]
    meta = {"title": "Council votes", "authors": names, "site": None, "url": None, "date": None}
    art = extract("The council voted on Monday.", kind="html", content="<html><body><p>x</p></body></html>",
                  html_meta=meta)
    assert art.record["authors"] == names[:20]
    assert any("200 authors: only the first 20 kept" in e["message"] for e in art.errors)

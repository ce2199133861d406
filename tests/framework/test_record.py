"""core/record.py: the one helper that gives a stage the body and title so far."""

from __future__ import annotations

from newsdesk.article import Article
from newsdesk.record import body_so_far

from .helpers import source


def article(content: str, content_type: str = "text", **record: object) -> Article:
    return Article(id="x", source=source("a.txt"), content=content,
                   content_type=content_type, record=dict(record))  # type: ignore[arg-type]


def test_the_body_so_far_is_cleans_text_when_clean_ran() -> None:
    body = body_so_far(article("RAW INPUT", text="Cleaned body.", title="Headline"))
    assert body == ("Cleaned body.", "Headline", None, True)


def test_without_clean_a_text_input_is_its_own_body() -> None:
    body = body_so_far(article("Raw input.\n\nSecond paragraph."))
    assert body.text == "Raw input.\n\nSecond paragraph." and not body.cleaned


def test_without_clean_an_html_page_gives_its_main_text_not_its_markup() -> None:
    page = ("<html><body><nav>Home | News</nav><article><h1>Bridge</h1><p>The council "
            "approved the new bridge over the river on Tuesday after a long debate that "
            "lasted most of the afternoon.</p></article></body></html>")
    body = body_so_far(article(page, "html"))
    assert "council approved the new bridge" in body.text and "<p>" not in body.text


def test_the_inputs_own_title_is_given_beside_the_records_title() -> None:
    body = body_so_far(article("Text.", input={"title": "Given title", "url": "u"}))
    assert (body.title, body.input_title) == (None, "Given title")
    body = body_so_far(article("Text.", title="", input={"title": ""}))
    assert (body.title, body.input_title) == (None, None)

"""Bad input gives a clear error or a correct result, never a crash or a hang."""

from __future__ import annotations

import random

from newsdesk.article import Article
from newsdesk_plugins.clean import CleanSettings
from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import make_article


def messages(article: Article) -> list[str]:
    return [e["message"] for e in article.errors]


def test_nothing_left_is_partial(cleaner: Cleaner) -> None:
    """Marks an article whose every line is junk as partial, with an error saying nothing is left."""
    a = make_article("Home\nNews\nSport\nShare\n© 2024 Example Media")
    cleaner.clean(a)
    assert a.status == "partial"
    assert a.record["text"] == ""
    assert any("nothing left after cleaning" in m for m in messages(a))


def test_ten_megabyte_single_line() -> None:
    """Cleans only the first max_input_chars of a 10 MB single line and says so."""
    cleaner = Cleaner(CleanSettings(max_input_chars=200_000, repeat_min_articles=0))
    a = make_article("The council met again on Monday to discuss the plan. " * 200_000)
    cleaner.clean(a)
    assert a.status == "partial"
    assert any("only the first 200,000 were cleaned" in m for m in messages(a))
    assert 0 < len(a.record["text"]) <= 200_000


def test_html_without_body(cleaner: Cleaner) -> None:
    """Reports a page with no body element as an error."""
    a = make_article("<html><head><title>Nothing here</title></head></html>", "html", "a.html")
    cleaner.clean(a)
    assert a.status == "partial"
    assert any("no body" in m for m in messages(a))


def test_broken_markup(cleaner: Cleaner) -> None:
    """Reads the story out of markup with unclosed and stray tags."""
    page = ("<html><body><div><p>The mayor said on Monday that the new bridge over the river will open in spring next year, "
            "three months later than planned.<b><i></p></span><p>Work had stopped for six weeks in the summer after "
            "engineers found cracks in one of the concrete pillars.</div></td>")
    a = make_article(page, "html", "a.html")
    cleaner.clean(a)
    assert "new bridge over the river" in a.record["text"]
    assert "cracks in one of the concrete pillars" in a.record["text"]


def test_binary_noise(cleaner: Cleaner) -> None:
    """Turns random characters into an empty body and a clear error, quickly."""
    rng = random.Random(7)
    noise = "".join(chr(rng.randint(33, 0x2FFF)) for _ in range(20_000))
    a = make_article(noise)
    cleaner.clean(a)
    assert a.record["text"] == ""
    assert any("nothing left" in m for m in messages(a))


def test_page_of_navigation_only(cleaner: Cleaner) -> None:
    """Reports a page that is all navigation links as having no main text."""
    links = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(150))
    a = make_article(f"<html><body><nav><ul>{links}</ul></nav></body></html>", "html", "a.html")
    cleaner.clean(a)
    assert a.status == "partial"
    assert a.record["text"] == ""
    assert any("no main text" in m or "nothing left" in m for m in messages(a))


def test_huge_page_is_cut() -> None:
    """Parses only the first max_html_chars of a huge page and says so."""
    cleaner = Cleaner(CleanSettings(max_html_chars=50_000, repeat_min_articles=0))
    para = "<p>The committee agreed on Tuesday to extend the opening hours of the public library.</p>"
    a = make_article("<html><body><article>" + para * 5000 + "</article></body></html>", "html", "a.html")
    cleaner.clean(a)
    assert any("only the first 50,000 were parsed" in m for m in messages(a))


def test_empty_and_whitespace(cleaner: Cleaner) -> None:
    """Reports text with nothing but whitespace as having no text."""
    a = make_article(" \n\t\n ")
    cleaner.clean(a)
    assert a.record["text"] == ""
    assert any("no text" in m for m in messages(a))


def test_html_fragment_without_main_block(cleaner: Cleaner) -> None:
    """Cleans the text of a short HTML fragment trafilatura keeps nothing of."""
    a = make_article("<p>Le syndicat des transports a voté vendredi une enveloppe de 410 millions "
                     "d'euros pour le nouveau pont du port.</p>", "html", "a.html")
    cleaner.clean(a)
    assert a.status == "ok", a.errors
    assert a.record["text"].startswith("Le syndicat des transports")
    assert a.record["html_meta"]["extractor"] == "page-text"


def test_text_in_a_script_without_stop_words(cleaner: Cleaner) -> None:
    """Keeps a sentence in a language without stop-word lists (Chinese) rather than emptying it."""
    a = make_article("今天的新闻很短。")
    cleaner.clean(a)
    assert a.status == "ok", a.errors
    assert a.record["text"] == "今天的新闻很短。"

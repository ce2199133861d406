"""Bad input: no text, another script, a 2 MB article, a table of numbers."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.article import Article
from newsdesk_plugins.extract.engine import Extractor, run

from .conftest import make_article

Extract = Callable[..., Article]
LISTS = ("entities", "facts", "quotes", "cited")


def test_no_text_gives_empty_lists_and_a_note(extract: Extract) -> None:
    """Gives empty lists and says in errors that there was no text."""
    art = extract("", title=None)
    assert all(art.record[key] == [] for key in LISTS)
    assert art.record["lang"] is None
    assert any("no text" in e["message"] for e in art.errors)


def test_uncovered_script_says_so(extract: Extract) -> None:
    """Gives empty lists for a Chinese text and says the script is not covered."""
    art = extract("北京市政府周一宣布，将在全市范围内开展新的空气质量监测计划，以减少污染。")
    assert all(art.record[key] == [] for key in LISTS)
    assert art.record["lang"] == "zh"
    assert any("script" in e["message"] for e in art.errors)


def test_two_megabyte_article_is_cut_and_noted() -> None:
    """Reads only the first max_chars of a 2 MB article and says so, without failing."""
    ex = Extractor(20_000, None, None)
    text = ("Police in Almaty detained 40 people, Reuters reported. " * 40000)[:2_000_000]
    art = make_article(text, record={"text": text, "title": "T", "removed": []})
    run(ex, art)
    assert any("only the first 20000" in e["message"] for e in art.errors)
    assert art.record["entities"] and not art.failed


def test_table_of_numbers_gives_no_facts(extract: Extract) -> None:
    """Takes no counts, entities or quotes from a table of numbers."""
    table = "\n".join(" | ".join(str(r * c * 37 % 1000) for c in range(8)) for r in range(60))
    art = extract(table)
    assert all(art.record[key] == [] for key in LISTS)
    assert art.status in ("ok", "partial")


def test_binary_like_noise_does_not_crash(extract: Extract) -> None:
    """Survives control characters and stray quotation marks without an exception."""
    art = extract("\x01\x02 “ « „ \" ” » \u200b" * 200)
    assert not any(e["type"] not in ("Error",) for e in art.errors)

"""`newsdesk bench`'s generated articles: realistic, about the size asked, all different."""

from __future__ import annotations

import re

import pytest

from newsdesk import benchtext


def test_generated_articles_are_about_the_size_asked_and_all_different() -> None:
    """Each article is within a sentence or two of the size, in its file name's language,
    and no two are alike (a copy would be skipped by the daemon as seen)."""
    files = benchtext.make_articles(40, 5000, benchtext.parse_mix(benchtext.DEFAULT_MIX))
    assert len({data for _, data in files}) == 40
    assert all(4900 <= len(data) <= 6500 for _, data in files)
    langs = {name.rsplit("-", 1)[1].removesuffix(".txt") for name, _ in files}
    assert "en" in langs and len(langs) >= 3
    assert files == benchtext.make_articles(40, 5000, benchtext.parse_mix(benchtext.DEFAULT_MIX))


def test_a_generated_article_has_names_numbers_and_quotes() -> None:
    """What makes extract work: full names, figures and quoted speech."""
    text = benchtext.make_article(1, 5000, __import__("random").Random(3), "en").decode()
    assert re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)
    assert re.search(r"\d+(\.\d)?%|€\d+ million", text)
    assert "“" in text and "”" in text


@pytest.mark.parametrize("mix, message", [
    ("en=1,xx=2", "'xx' is not one of"),
    ("en=abc", "is not LANG=WEIGHT"),
    ("en=0", "no language with a positive weight"),
])
def test_a_language_mix_is_refused_with_what_is_wrong(mix: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        benchtext.parse_mix(mix)

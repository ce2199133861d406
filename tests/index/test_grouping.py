"""Duplicates and stories: what goes into ``duplicate_of`` and ``story``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk_plugins.index import IndexSettings, group_settings
from newsdesk_plugins.index.grouping import Decision, Grouper

from .helpers import STORM_EN, TRAM_DE, TRAM_EN, record


def grouper(tmp_path: Path, **changes: object) -> Grouper:
    settings = IndexSettings(**changes)  # type: ignore[arg-type]
    return Grouper(tmp_path / "index.sqlite3", group_settings(settings))


def decide(g: Grouper, rec: dict[str, Any]) -> Decision:
    return g.decide(str(rec["id"]), rec)


@pytest.fixture
def g(tmp_path: Path) -> Grouper:
    return grouper(tmp_path)


def test_the_same_text_again_is_an_exact_duplicate_of_the_first(g: Grouper) -> None:
    """The same words with other spacing, case and punctuation point to the first article."""
    first = record(TRAM_EN, title="A", published="2026-03-03")
    again = record(TRAM_EN.upper().replace(". ", ".\n\n"), title="B", published="2026-03-03")
    assert decide(g, first).duplicate_of == ""
    assert decide(g, again).duplicate_of == first["id"]


def test_a_lightly_edited_copy_is_a_near_duplicate_in_the_same_story(g: Grouper) -> None:
    """A syndicated copy with a changed sentence and a new last line is a near-duplicate
    of the first article, and shares its story."""
    first = record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
                   entities=["Lyon", "Claire Dubois"])
    edited = TRAM_EN.replace("after a long debate", "after a long and heated debate") + (
        " Copyright Example Wire.")
    copy = record(edited, title="Lyon tram approved", published="2026-03-03",
                  entities=["Lyon", "Claire Dubois"])
    a, b = decide(g, first), decide(g, copy)
    assert b.duplicate_of == first["id"]
    assert b.story == a.story


def test_a_duplicate_of_a_duplicate_points_to_the_first_article(g: Grouper) -> None:
    """Chains collapse: the third copy points to the original, not the second copy."""
    first = record(TRAM_EN, title="1")
    second = record(TRAM_EN + " Updated.", title="2")
    third = record(TRAM_EN + " Updated twice.", title="3")
    decide(g, first)
    assert decide(g, second).duplicate_of == first["id"]
    assert decide(g, third).duplicate_of == first["id"]


def test_a_different_article_or_language_is_not_a_duplicate(g: Grouper) -> None:
    """Another story is no duplicate, and the same words in another language label are
    not a near-duplicate (near-duplicates are within one language)."""
    decide(g, record(TRAM_EN, title="tram"))
    assert decide(g, record(STORM_EN, title="storm")).duplicate_of == ""
    other_lang = record(TRAM_EN + " Fin.", title="x", lang="fr")
    assert decide(g, other_lang).duplicate_of == ""


def test_the_same_event_across_outlets_and_languages_is_one_story(g: Grouper) -> None:
    """A German report with an English translation and the same people and places joins
    the English story; an unrelated article starts its own."""
    en = record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
                entities=["Lyon", "Claire Dubois"])
    de = record(TRAM_DE, title="Stadtrat genehmigt Straßenbahn", lang="de",
                published="2026-03-04", entities=["Lyon", "Claire Dubois"],
                translation={"lang": "en", "title": "Lyon council approves tram line",
                             "text": "The city council of Lyon approved the new tram line on "
                                     "Tuesday after a long debate. Mayor Claire Dubois said "
                                     "the line would connect the northern districts with "
                                     "the centre by 2030."})
    storm = record(STORM_EN, title="Storm hits Portugal", published="2026-03-04",
                   entities=["Portugal", "Porto"])
    s_en, s_de, s_storm = decide(g, en), decide(g, de), decide(g, storm)
    assert s_de.story == s_en.story
    assert s_de.duplicate_of == ""
    assert s_storm.story != s_en.story


def test_an_article_without_english_joins_on_shared_entities_only(g: Grouper) -> None:
    """With no translation, three shared canonical entities are needed to join; two (the
    same mayor and city, perhaps another event) are not enough."""
    ents = ["Lyon", "Claire Dubois", "Sytral"]
    en = record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03", entities=ents)
    three = record(TRAM_DE, title="Straßenbahn", lang="de", published="2026-03-03",
                   entities=ents)
    two = record("Bürgermeisterin Claire Dubois aus Lyon kandidiert für die Region.",
                 title="Lyon", lang="de", published="2026-03-03", entities=ents[:2])
    s = decide(g, en).story
    assert decide(g, three).story == s
    assert decide(g, two).story != s


def test_a_story_takes_articles_within_its_window_only(g: Grouper) -> None:
    """A follow-up six days after the last article joins; one a month later starts anew."""
    day1 = record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
                  entities=["Lyon", "Claire Dubois"])
    text2 = ("Work on the new tram line in Lyon started near the river, Mayor Claire Dubois "
             "said, after the city council approved the project to connect the northern "
             "districts with the centre.")
    day7 = record(text2, title="Lyon tram works start", published="2026-03-09",
                  entities=["Lyon", "Claire Dubois"])
    text3 = ("The first trams ran on the new line in Lyon on Sunday, Mayor Claire Dubois "
             "said, connecting the northern districts with the centre.")
    later = record(text3, title="Lyon tram line opens", published="2026-05-01",
                   entities=["Lyon", "Claire Dubois"])
    s = decide(g, day1).story
    assert decide(g, day7).story == s
    assert decide(g, later).story != s


def test_decisions_survive_a_restart_and_are_stable_by_id(tmp_path: Path) -> None:
    """An article decided before a restart gets the same answer after it, and a new copy
    after the restart is still found as a duplicate of the first."""
    first = record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
                   entities=["Lyon", "Claire Dubois"])
    g1 = grouper(tmp_path)
    d1 = decide(g1, first)
    g1.close()
    g2 = grouper(tmp_path)
    assert decide(g2, first) == d1
    copy = record(TRAM_EN + " Copyright Wire.", title="copy", published="2026-03-03",
                  entities=["Lyon", "Claire Dubois"])
    d2 = decide(g2, copy)
    assert d2.duplicate_of == first["id"] and d2.story == d1.story


def test_stories_are_listed_with_counts_dates_entities_and_a_title(g: Grouper) -> None:
    """The listing counts the articles of a story, its first and last time, its main
    entities and a title."""
    decide(g, record(TRAM_EN, title="Lyon approves tram line", published="2026-03-03",
                     entities=["Lyon", "Claire Dubois"]))
    decide(g, record(TRAM_EN + " More.", title="Lyon tram", published="2026-03-04T12:00",
                     entities=["Lyon", "Claire Dubois"]))
    rows = g.state.story_listing(None, 2, 10)
    assert len(rows) == 1
    row = rows[0]
    assert row["articles"] == 2 and row["title"] == "Lyon approves tram line"
    assert set(row["entities"]) == {"Lyon", "Claire Dubois"}
    assert row["last_seen"] - row["first_seen"] == pytest.approx(36 * 3600)


def test_a_record_with_no_fields_at_all_still_gets_a_story(g: Grouper) -> None:
    """Every other plugin may be off: a bare record gets a story of its own and no error."""
    bare = {"id": "f" * 64, "source": {"received": "2026-03-03T10:00:00Z"}}
    d = decide(g, bare)
    assert d.story and d.duplicate_of == ""


def test_untranslated_passages_are_not_taken_for_english() -> None:
    """With no translation engine, translate copies a German passage into `translation`
    as it is: the English text used for stories and the English field is then only what
    is really English (translated passages, or passages written in English)."""
    from newsdesk_plugins.index.documents import english

    untranslated = record(TRAM_DE, title="Straßenbahn", lang="de",
                          translation={"lang": "en", "text": TRAM_DE, "title": "Straßenbahn",
                                       "engines": [], "title_note": "no engine for de->en"})
    untranslated["segments"] = [{"text": TRAM_DE, "lang": "de", "translation": None,
                                 "note": "no translation engine installed for de->en"}]
    assert english(untranslated) == ("", "")
    mixed = dict(untranslated, segments=[
        {"text": TRAM_DE, "lang": "de", "translation": "The council approved the tram."},
        {"text": "Quote in English.", "lang": "en", "translation": None},
        {"text": "Nur Deutsch hier.", "lang": "de", "translation": None}])
    assert english(mixed)[1] == "The council approved the tram.\n\nQuote in English."
    plain_english = record(TRAM_EN, title="Tram", lang="en")
    assert english(plain_english) == ("Tram", TRAM_EN)

"""Issue 11: entities typed by the text's evidence, speakers only where the text names them.

Texts written for these tests (not taken from any article)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsdesk.article import Article

Extract = Callable[..., Article]


def ents(art: Article) -> set[tuple[str, str]]:
    return {(e["name"], e["type"]) for e in art.record["entities"]}


def speakers(art: Article) -> list[Any]:
    return [q["speaker"] for q in art.record["quotes"]]


def test_an_airline_a_broadcaster_and_an_operator_named_plainly_are_organisations(extract: Extract) -> None:
    art = extract("Two foreign airlines, Air Lumina and Skyreach, stopped flying to Tarvik. "
                  "The broadcaster Kanal 7 showed the runway, and mobile operator Telvo said its "
                  "network was down.")
    found = ents(art)
    assert {("Air Lumina", "ORG"), ("Kanal 7", "ORG"), ("Telvo", "ORG")} <= found
    assert not {n for n, t in found if t == "PER"}


def test_a_foreign_language_daily_is_one_organisation_not_a_person(extract: Extract) -> None:
    art = extract("The Polish daily Gazeta Poranna reported that two citizens had left the city.")
    assert ("Gazeta Poranna", "ORG") in ents(art)
    assert not any(t == "PER" for _, t in ents(art))


def test_a_common_word_opening_a_sentence_and_part_of_a_longer_name_are_no_places(extract: Extract) -> None:
    art = extract("Most recently, crowds gathered again. Commentators spoke of an Arab Spring "
                  "in the steppe.")
    names = {n for n, _ in ents(art)}
    assert "Most" not in names and "Spring" not in names


def test_a_region_named_before_the_word_region_is_a_place(extract: Extract) -> None:
    art = extract("Workers in the Mangystau region joined the strike on Monday.")
    assert ("Mangystau", "LOC") in ents(art)


def test_an_acronym_in_parentheses_is_an_alias_of_the_organisation_before_it(extract: Extract) -> None:
    art = extract("The Steppe Rivers Protection Council (SRPC) met on Friday. Later the SRPC "
                  "published its report.")
    orgs = [e for e in art.record["entities"] if e["type"] == "ORG"]
    assert len(orgs) == 1
    assert orgs[0]["name"] == "Steppe Rivers Protection Council"
    assert "SRPC" in orgs[0]["aliases"] and orgs[0]["mentions"] == 3


def test_a_name_glued_to_said_is_split_and_keeps_its_quote(extract: Extract) -> None:
    art = extract("Governor Arman Beisenovsaid the roads were open.\n\n"
                  "\"We have cleared every road into the city,\" Beisenov said.")
    assert ("Arman Beisenov", "PER") in ents(art)
    assert speakers(art) == ["Arman Beisenov"]


def test_a_dash_line_after_a_blank_line_names_the_speaker(extract: Extract) -> None:
    art = extract("The night was calm in the capital.\n\n"
                  "\"Armed groups tried to enter the station, but they were stopped,\"\n\n"
                  "– said police spokesman Daulet Serikov.\n")
    assert speakers(art) == ["Daulet Serikov"]


def test_a_pronoun_takes_the_person_named_before_the_quote(extract: Extract) -> None:
    art = extract("Union leader Marat Zhaksylykov told reporters the strike would go on. "
                  "\"We are not going anywhere,\" he said.")
    assert speakers(art) == ["Marat Zhaksylykov"]


def test_a_speaker_the_text_does_not_name_is_null_not_the_person_named_earlier(extract: Extract) -> None:
    art = extract("Mayor Arman Kassenov visited the market on Tuesday. \"Nobody here wants "
                  "another night like that,\" a shop owner said.")
    assert speakers(art) == [None]


def test_the_verb_before_a_count_gives_its_event_not_the_counted_noun(extract: Extract) -> None:
    art = extract("Riot police detained dozens of demonstrators outside the town hall.")
    assert [(f["value"], f["min"], f["max"], f["event"]) for f in art.record["facts"]] == [
        (24, 24, 99, "ARREST")]


def test_a_count_value_is_always_a_number_with_min_and_max(extract: Extract) -> None:
    """One type for `value` (DuckDB and pandas read a number column): a range's lower
    bound, with `min` and `max`; a single number has min = max = value."""
    art = extract("Police detained 12 people. Prices rose from 60 to 120 tenge a litre.")
    got = [(f["value"], f["min"], f["max"]) for f in art.record["facts"]]
    assert got == [(12, 12, 12), (60, 60, 120)]


def test_a_count_keeps_its_qualifier_and_takes_its_verb(extract: Extract) -> None:
    art = extract("Officers detained about 900 people, and up to 50 foreigners were evacuated.")
    got = [(f["value"], f["qualifier"], f["event"]) for f in art.record["facts"]]
    assert got == [(900, "about", "ARREST"), (50, "up to", "EVACUATE")]


def test_a_ministry_named_plainly_is_found_and_a_text_without_one_has_none() -> None:
    """"the interior ministry" and "des Innenministeriums" are ministries; a text without the
    words "ministry" or "ministerium" has none (it is not searched further)."""
    from newsdesk_plugins.extract.evidence import ministries, places_by_cue

    def make(s: int, e: int, t: str) -> tuple[int, int, str]:
        return s, e, t

    text = "The interior ministry said so. Ein Sprecher des Innenministeriums widersprach."
    assert ministries(text, make) == [(4, 21, "interior ministry"), (48, 65, "Innenministeriums")]
    assert ministries("The Ministry said so.", make) == []
    assert places_by_cue("Workers in the Mangystau Region joined.", make) == []
    assert places_by_cue("Workers in the Mangystau oblast joined.", make) == [(15, 24, "Mangystau")]

"""The gazetteer's name table (``Phrases``): names found as runs of token texts."""

from __future__ import annotations

import sys

import pytest

from newsdesk_plugins.extract.entities import Phrases, split_words
from newsdesk_plugins.extract.resources import Gazetteer


def _gazetteer(places: dict[str, str], orgs: dict[str, str] | None = None,
               persons: dict[str, str] | None = None) -> Gazetteer:
    return Gazetteer(places=places, orgs=orgs or {}, agencies={}, ambiguous=frozenset(),
                     org_suffixes=frozenset(), org_prefixes=(), titles=frozenset(),
                     speech_verbs=frozenset(), persons=persons or {})


def test_a_name_is_found_as_its_run_of_tokens_with_its_type_and_canonical_name() -> None:
    phrases = Phrases(_gazetteer({"Alma-Ata": "Almaty", "Almaty": "Almaty"}))
    words, _ = split_words("Flights from Alma-Ata and Almaty resumed.")
    assert phrases(words) == [("LOC", "Almaty", 2, 3), ("LOC", "Almaty", 4, 5)]


def test_nested_names_are_each_found_shorter_first_by_their_first_token() -> None:
    phrases = Phrases(_gazetteer({"New York": "New York", "York": "York"},
                                 orgs={"New York Times": "The New York Times"}))
    words, _ = split_words("The New York Times in New York")
    assert phrases(words) == [("LOC", "New York", 1, 3), ("ORG", "The New York Times", 1, 4),
                              ("LOC", "York", 2, 3), ("LOC", "New York", 5, 7), ("LOC", "York", 6, 7)]


def test_a_name_matches_token_texts_whatever_the_spaces_between_them() -> None:
    phrases = Phrases(_gazetteer({"Foo (Bar)": "Foo"}))
    assert phrases(split_words("in Foo(Bar) today")[0]) == [("LOC", "Foo", 1, 5)]
    assert phrases(split_words("in Foo (Bar")[0]) == []  # a name cut short at the end


def test_a_name_listed_under_two_types_is_reported_once_under_each_places_first() -> None:
    phrases = Phrases(_gazetteer({"Jordan": "Jordan"}, persons={"Jordan": "Michael Jordan"}))
    assert phrases(["Jordan"]) == [("LOC", "Jordan", 0, 1), ("PER", "Michael Jordan", 0, 1)]


def test_the_name_table_is_built_and_matched_without_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy (about 100 MB with its PhraseMatcher) is imported only for a user's
    ``ner_model``: the rules' gazetteer never needs it."""
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now fails
    phrases = Phrases(_gazetteer({"Berlin": "Berlin"}))
    assert phrases(split_words("in Berlin")[0]) == [("LOC", "Berlin", 1, 2)]

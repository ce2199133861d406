"""What the extract plugin holds in memory per language."""

from __future__ import annotations

from typing import Any

import pytest


def test_polish_base_forms_come_from_simplemmas_stream_not_its_dictionary_in_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Base forms of an inflected language are read through simplemma's low-memory stream
    (about 30 MB a language) and never load the language's full dictionary (360 MB for
    Polish as a Python dict)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    from newsdesk_plugins.extract.entities import BaseForms

    def full_dictionary(lang: str) -> Any:
        raise AssertionError(f"simplemma's full {lang} dictionary was loaded")

    monkeypatch.setattr(DEFAULT_DICTIONARY_FACTORY, "_get_dictionary", full_dictionary)
    assert BaseForms("pl")(["Szczecinem", "Bydgoszczy", "dzisiaj"]) == ["Szczecin", "Bydgoszcz", "dzisiaj"]


def test_german_known_words_and_adjectives_come_from_simplemmas_stream(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules' other dictionary reads (is a lower-case word known, is a capitalised word
    an adjective) go through the same low-memory stream: German's full dictionary (130
    MB as a dict) is never loaded."""
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    from newsdesk_plugins.extract.entities import RuleEngine, shared_phrases
    from newsdesk_plugins.extract.resources import gazetteer

    def full_dictionary(lang: str) -> Any:
        raise AssertionError(f"simplemma's full {lang} dictionary was loaded")

    engine = RuleEngine("de", gazetteer(), None, shared_phrases())
    monkeypatch.setattr(DEFAULT_DICTIONARY_FACTORY, "_get_dictionary", full_dictionary)
    assert engine.is_adjective("Sächsischen")
    assert not engine.unknown_word("hausarzt")

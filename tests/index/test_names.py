"""Stories across scripts: names compared by sound, entities and names counted as names."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk_plugins.index import IndexSettings, group_settings
from newsdesk_plugins.index.grouping import Grouper
from newsdesk_plugins.index.names import sound_key
from newsdesk_plugins.index.stories import name_groups, name_runs

from .helpers import record

# Written for these tests: a mayor of Brno re-elected; a Czech and a Russian report.
ELECTION_EN = (
    "Mayor Markéta Vaňková won a second term in Brno on Saturday, the electoral commission "
    "said. Her rival Petr Hladík conceded defeat in a speech at the Brno exhibition centre, "
    "and the new council will meet in Špilberk castle next week.")
ELECTION_RU = (
    "Мэр Брно Маркета Ванькова переизбрана на второй срок, сообщила избирательная комиссия. "
    "Ее соперник Петр Гладик признал поражение.")
# The same mayor and city, another happening (a flood), in Russian.
FLOOD_RU = "Мэр Маркета Ванькова осмотрела затопленные улицы Брно."


@pytest.mark.parametrize(("one", "other"), [
    ("Фицо", "Fico"), ("Тшасковский", "Trzaskowski"), ("Бохеньский", "Bocheński"),
    ("Чапутова", "Čaputová"), ("Токаев", "Tokayev"), ("Tokajew", "Tokáyev"),
    ("Kasachstan", "Kazakhstan"), ("Крокус", "Crocus"), ("Гладик", "Hladík"),
])
def test_a_name_in_another_script_or_spelling_has_the_same_sound_key(one: str, other: str) -> None:
    assert sound_key(one) == sound_key(other) or sound_key(one)[:4] == sound_key(other)[:4]


def test_different_names_keep_different_sound_keys() -> None:
    assert len({sound_key(w)[:4] for w in ("Fico", "Tusk", "Orpo", "Brno", "Lyon")}) == 5


def test_a_name_written_over_several_words_is_one_name() -> None:
    """`Markéta Vaňková` is one name; a sentence's first word starts none."""
    runs = name_runs("", "Yesterday Markéta Vaňková met Petr Hladík in Brno.")
    assert len(runs) == 3
    groups = name_groups(runs)
    assert groups["~" + sound_key("Markéta")[:4]] == groups["~" + sound_key("Vaňková")[:4]]


def test_a_russian_report_without_translation_joins_the_story_by_its_names(
        tmp_path: Path) -> None:
    """No translation engine for Russian: the names (in Cyrillic, as extract leaves them)
    still meet the English report's by sound, so the report joins its story."""
    g = Grouper(tmp_path / "s.sqlite3", group_settings(IndexSettings()))
    en = record(ELECTION_EN, title="Vaňková re-elected in Brno", published="2026-10-03",
                entities=["Markéta Vaňková", "Brno", "Petr Hladík", "Špilberk"])
    ru = record(ELECTION_RU, title="Ванькова переизбрана", lang="ru", published="2026-10-04",
                entities=["Маркета Ванькова", "Брно", "Петр Гладик"])
    a = g.decide(en["id"], en)
    assert g.decide(ru["id"], ru).story == a.story


def test_a_report_sharing_only_a_person_and_her_city_stays_apart(tmp_path: Path) -> None:
    """The same mayor and city are not enough: it may be another happening."""
    g = Grouper(tmp_path / "s.sqlite3", group_settings(IndexSettings()))
    en = record(ELECTION_EN, title="Vaňková re-elected in Brno", published="2026-10-03",
                entities=["Markéta Vaňková", "Brno", "Petr Hladík", "Špilberk"])
    ru = record(FLOOD_RU, title="Наводнение", lang="ru", published="2026-10-04",
                entities=["Маркета Ванькова", "Брно"])
    a = g.decide(en["id"], en)
    assert g.decide(ru["id"], ru).story != a.story


# Written for this test: floods near Lisbon, told twice in English with other words.
FLOOD_EN = ("Heavy rain flooded the streets of Sintra and Cascais on Tuesday, the civil "
            "protection agency said. Mayor Basílio Horta asked residents of Sintra to stay at "
            "home, while Prime Minister Luís Montenegro promised help.")
CALAMITY_EN = ("The government of Luís Montenegro will declare a state of calamity in Cascais and "
               "Sintra, the minister Maria Lúcia Amaral announced after meeting Basílio Horta. "
               "The weather service IPMA warned Ericeira, Mafra, Loures and Lisbon of more rain "
               "on Friday.")


def test_four_shared_names_join_a_report_whose_words_differ(tmp_path: Path) -> None:
    """English on both sides, few words in common (another angle, or a rough machine
    translation), but four names in common within days: the same event."""
    g = Grouper(tmp_path / "s.sqlite3", group_settings(IndexSettings()))
    names = ["Sintra", "Cascais", "Basílio Horta", "Luís Montenegro"]
    a = record(FLOOD_EN, title="Floods in Sintra", published="2026-10-06", entities=names)
    b = record(CALAMITY_EN, title="Calamity declared", published="2026-10-07",
               entities=[*names, "Maria Lúcia Amaral"])
    first = g.decide(a["id"], a)
    assert g.decide(b["id"], b).story == first.story


def test_numbers_are_written_alike_in_every_language() -> None:
    """`2.000`, `2,000` and `2000` are one number, `6,8` is 6.8; days, small counts and
    the year of the article's date are left out."""
    from newsdesk_plugins.index.stories import number_keys

    assert number_keys("2.000 muertos, 2,000 dead, über 2000 Tote", 2023) == ["~#2000"] * 3
    assert number_keys("magnitud 6,8 / magnitude 6.8", 2023) == ["~#6.8", "~#6.8"]
    assert number_keys("on 15 May 2024, 3 people, a 35-hour week", 2024) == ["~#35"]


# Written for this test: an earthquake told in English and, without translation, in Russian.
QUAKE_EN = ("A magnitude 6.1 earthquake struck near Izmir on Sunday, killing 114 people, "
            "Governor Yavuz Elban said. Rescue teams searched collapsed buildings all night.")
QUAKE_RU = ("Землетрясение магнитудой 6,1 произошло у Измира, погибли 114 человек, сообщил "
            "губернатор Явуз Элбан.")


def test_a_report_sharing_two_names_and_its_counts_joins_the_story(tmp_path: Path) -> None:
    """Two names alone are not enough (the Brno flood above); two names with the same
    magnitude and death toll are."""
    g = Grouper(tmp_path / "s.sqlite3", group_settings(IndexSettings()))
    en = record(QUAKE_EN, title="Earthquake near Izmir", published="2026-11-01",
                entities=["Izmir", "Yavuz Elban"])
    ru = record(QUAKE_RU, title="Землетрясение", lang="ru", published="2026-11-01",
                entities=["Измир", "Явуз Элбан"])
    first = g.decide(en["id"], en)
    assert g.decide(ru["id"], ru).story == first.story


def test_numbers_are_names_of_their_own_in_the_groups_an_article_brings() -> None:
    """The name groups counted in the worker leave the numbers out: a number key, never a
    letter key, is its own name, as when the daemon grouped runs and numbers together."""
    from newsdesk_plugins.index.stories import article_counts, for_year, stop_words

    text = ("The mayor Claire Dubois met Jean Martin in Lyon on 4 May 2026. About 4,500 "
            "people and 120 officials came; Dubois said 4,500 was a record.")
    counts = article_counts("Lyon tram", "", "", [], text, stop_words())
    together = name_groups(counts.runs + [[k] for k in for_year(counts.numbers, 2026)])
    keys = set(together) | set(counts.groups)
    assert any(k.startswith("~#") for k in together)
    assert {k: counts.groups.get(k, k) for k in keys} == {k: together.get(k, k) for k in keys}

"""Counts: numbers in digits and words, vague quantities, ranges, money, qualifiers, events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsdesk.article import Article

Extract = Callable[..., Article]


def shown(f: dict[str, Any]) -> Any:
    """A count as the tests write it: the number, or [min, max] for a range."""
    assert isinstance(f["value"], (int, float)) and f["value"] == f["min"]
    return f["value"] if f["min"] == f["max"] else [f["min"], f["max"]]


def facts(art: Article) -> list[tuple[Any, str | None]]:
    return [(shown(f), f["event"]) for f in art.record["facts"]]


def test_digits_words_and_qualifiers(extract: Extract) -> None:
    """Reads "at least eight people were killed" and "more than 1,200 demonstrators" with their qualifiers."""
    art = extract("At least eight people were killed in the clashes. More than 1,200 demonstrators gathered in the square.")
    got = art.record["facts"]
    assert (got[0]["value"], got[0]["qualifier"], got[0]["what"], got[0]["event"]) == (8, "at least", "people", "KILL")
    assert (got[1]["value"], got[1]["qualifier"], got[1]["what"], got[1]["event"]) == (1200, "more than", "demonstrators", "PROTEST")


def test_vague_counts_are_ranges(extract: Extract) -> None:
    """Gives "dozens" and "tens of thousands" as ranges."""
    art = extract("Dozens of rioters were arrested overnight. Tens of thousands of people rallied on Sunday.")
    assert facts(art) == [([24, 99], "ARREST"), ([20000, 99999], "PROTEST")]


def test_ranges_money_and_number_words(extract: Extract) -> None:
    """Reads "from 60 to 120 tenge", "$1.2 million" and "two thousand police cars"."""
    art = extract("Gas prices rose from 60 to 120 tenge. The drugs were worth $1.2 million. "
                  "Rioters damaged two thousand police cars.")
    got = art.record["facts"]
    assert (shown(got[0]), got[0]["unit"], got[0]["event"]) == ([60, 120], "KZT", "MONEY")
    assert (got[1]["value"], got[1]["unit"]) == (1200000, "USD")
    assert (got[2]["value"], got[2]["what"], got[2]["event"]) == (2000, "police cars", "DAMAGE")


def test_event_follows_nearest_verb_in_clause(extract: Extract) -> None:
    """Gives each count of one sentence its own event: two killed, five wounded."""
    art = extract("Two workers died and five others were taken to hospital with burns.")
    assert facts(art) == [(2, "KILL"), (5, "WOUND")]


def test_according_to_from_sentence(extract: Extract) -> None:
    """Attributes a count to the agency the sentence cites."""
    art = extract("According to Reuters, police detained 150 people in the capital.")
    assert art.record["facts"][0]["according_to"] == "Reuters"


def test_not_counts_ages_years_times_and_bare_numbers(extract: Extract) -> None:
    """Takes no count from an age, a year, a clock time or a number with no event."""
    art = extract("A 52-year-old man was detained in 2021 at 10:30. The committee has 15 members.")
    assert facts(art) == []


def test_russian_and_german_counts(extract: Extract) -> None:
    """Reads digits with Russian and German event words and German thousands separators."""
    ru = extract("Полиция задержала более 200 человек, еще 18 полицейских получили ранения.")
    assert facts(ru) == [(200, "ARREST"), (18, "WOUND")]
    assert ru.record["facts"][0]["qualifier"] == "more than"
    de = extract("Nach Angaben der Polizei demonstrierten mehr als 100.000 Menschen. Zwölf Polizisten wurden verletzt.")
    assert facts(de) == [(100000, "PROTEST"), (12, "WOUND")]


def test_russian_number_words(extract: Extract) -> None:
    """Reads Russian number words, also inflected ("три", "девяти"), with their events."""
    art = extract("При обстреле погибли три человека. Полиция задержала девять участников акции.")
    assert facts(art) == [(3, "KILL"), (9, "ARREST")]


def test_count_after_and_takes_its_own_clause_event(extract: Extract) -> None:
    """Gives a count after "and" the event of its own clause ("one died and 18 were injured")."""
    art = extract("Officials said one person had died and 18 had been injured.")
    assert facts(art) == [(1, "KILL"), (18, "WOUND")]


def test_verb_after_count_wins_over_counted_thing(extract: Extract) -> None:
    """Counts "35 demonstrators were arrested" as an arrest, not a protest."""
    assert facts(extract("Police said 35 demonstrators were arrested near the square.")) == [(35, "ARREST")]


def test_vague_counts_without_digits_in_any_case_and_script(extract: Extract) -> None:
    """Finds vague counts in sentences with no digit at all, in capitals and in Cyrillic
    (a sentence is passed over only when it has neither digits nor a vague word)."""
    art = extract("HUNDREDS of protesters were detained. Nobody was hurt. Police arrested 12 people.")
    assert facts(art) == [([200, 999], "ARREST"), (12, "ARREST")]
    ru = extract("Сотни человек были задержаны в центре города. Десятки тысяч людей вышли на митинг.")
    assert [shown(f) for f in ru.record["facts"]] == [[200, 999], [20000, 99999]]


def test_a_day_beside_a_month_name_is_a_date_not_a_count(extract: Extract) -> None:
    """"began on January 3" and "am 4. Januar" are dates, in the article's language; the
    counts in the same sentences are still read, and "20 may have died" stays a count."""
    en = extract("The protests began on January 3 and spread to other towns. On 4 January police "
                 "detained 40 protesters. As many as 20 may have died in the fire.")
    assert facts(en) == [(40, "ARREST"), (20, "KILL")]  # "detained" governs the count
    de = extract("Am 4. Januar wurden 12 Demonstranten festgenommen.")
    assert facts(de) == [(12, "ARREST")]
    ru = extract("5 января полиция задержала 40 человек.")
    assert facts(ru) == [(40, "ARREST")]


def test_counts_in_spanish_italian_polish_and_french(extract: Extract) -> None:
    """Counts, qualifiers, the counted thing and the event are read in es, it, pl and fr,
    each language with its own event words (not applied to the others)."""
    es = extract("Al menos 12 personas murieron en el incendio del mercado central de la ciudad. "
                 "Decenas de manifestantes fueron detenidos por la policía durante la noche.")
    assert [(shown(f), f["qualifier"], f["what"], f["event"]) for f in es.record["facts"]] == [
        (12, "at least", "personas", "KILL"), ([20, 99], None, "manifestantes", "ARREST")]
    it = extract("Almeno otto persone sono morte nel crollo del ponte sul fiume. "
                 "Circa 30 persone sono rimaste ferite e centinaia sono state evacuate dalle case vicine.")
    assert facts(it) == [(8, "KILL"), (30, "WOUND"), ([200, 999], "EVACUATE")]
    pl = extract("Policja zatrzymała co najmniej 25 osób podczas wczorajszego protestu w centrum miasta. "
                 "W starciach z demonstrantami 3 policjantów zostało rannych.")
    assert facts(pl) == [(25, "ARREST"), (3, "WOUND")]
    fr = extract("Plus de 200 manifestants ont été interpellés à Paris samedi soir selon la préfecture. "
                 "Des milliers de personnes ont été évacuées après les inondations dans le sud du pays.")
    assert facts(fr) == [(200, "ARREST"), ([2000, 9999], "EVACUATE")]


def test_one_languages_event_words_do_not_apply_to_another(extract: Extract) -> None:
    """Italian "mort-" (died) does not make an English mortgage count a death."""
    en = extract("The bank said 12 mortgage lenders had merged with larger groups this year.")
    assert facts(en) == []


def test_money_with_multiplier_words_in_other_languages(extract: Extract) -> None:
    """"12 millones de euros", "40 milioni di euro", "5 mln zł", "3 milliards d'euros" are
    money with their multiplier and currency, not a bare "millones"."""
    cases = {
        "El gobierno anunció una inversión de 12 millones de euros para reparar el puerto.":
            (12_000_000, "EUR"),
        "Il comune ha stanziato 40 milioni di euro per la ricostruzione del ponte crollato.":
            (40_000_000, "EUR"),
        "Rada miasta przeznaczyła 5 mln zł na remont mostu nad rzeką w centrum.": (5_000_000, "PLN"),
        "Le gouvernement a promis 3 milliards d'euros pour la reconstruction des routes.":
            (3_000_000_000, "EUR"),
    }
    for text, (value, unit) in cases.items():
        got = [(f["value"], f["unit"], f["event"]) for f in extract(text).record["facts"]]
        assert got == [(value, unit, "MONEY")], text


def test_a_counted_thing_names_the_first_event_whose_stem_it_holds() -> None:
    """"wounded protesters" holds a WOUND and a PROTEST stem: the event listed first wins,
    and the answer is the same when asked again (it is cached)."""
    from newsdesk_plugins.extract.facts import _event_named

    assert _event_named("wounded protesters", "en") == "WOUND"
    assert _event_named("wounded protesters", "en") == "WOUND"
    assert _event_named("apples", "en") is None
    assert _event_named.cache_info().maxsize == 4096


def test_words_known_to_start_no_number_are_kept_up_to_a_bound() -> None:
    """A sentence without number words is told apart by its words alone, and the words
    remembered as starting no number never grow past the bound (emptied when full)."""
    from newsdesk_plugins.extract import facts

    facts._NOT_NUMBER_WORDS.pop("en", None)
    assert not facts._may_have_number_words("The Police closed the road.", "en")
    assert {"The", "Police", "closed", "the", "road"} <= facts._NOT_NUMBER_WORDS["en"]
    assert facts._may_have_number_words("The Police closed three roads.", "en")
    assert facts._word_numbers("The Police closed three roads.", "en") == [(18, 23, 3.0)]
    old = facts.NOT_NUMBER_WORDS_MAX
    try:
        facts.NOT_NUMBER_WORDS_MAX = 3
        facts._NOT_NUMBER_WORDS.pop("en", None)
        facts._may_have_number_words("alpha beta gamma delta epsilon zeta", "en")
        assert len(facts._NOT_NUMBER_WORDS["en"]) <= 3
    finally:
        facts.NOT_NUMBER_WORDS_MAX = old

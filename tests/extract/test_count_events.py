"""Issue 11: a count's event comes from the verb that governs its number; qualifiers stay.

Texts written for these tests (not taken from any article)."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.article import Article
from newsdesk_plugins.extract.facts import find_counts, sentences

Extract = Callable[..., Article]


def counts(art: Article) -> list[tuple[object, object, object]]:
    return [(f["value"], f["event"], f["qualifier"]) for f in art.record["facts"]]


def test_a_year_like_number_after_a_qualifier_is_a_count() -> None:
    got = find_counts("Laut der Polizei wurden in Rostock etwa 1900 Fans festgenommen.", 0, "de")
    assert [(c.value, c.event, c.qualifier) for c in got] == [(1900, "ARREST", "about")]
    # without a qualifier the same number is still a year
    assert find_counts("Im Jahr der Wahl, 1990 kamen sie an.", 0, "de") == []


def test_a_german_separable_verb_governs_the_count_it_encloses() -> None:
    got = find_counts("Die Bundespolizei nahm am Bahnhof sieben Männer fest.", 0, "de")
    assert [(c.value, c.event) for c in got] == [(7, "ARREST")]


def test_a_count_after_a_place_preposition_is_no_event_count() -> None:
    got = find_counts("Rescuers said 800 people were evacuated from six hamlets in the valley.", 0, "en")
    assert [(c.value, c.event) for c in got] == [(800, "EVACUATE")]


def test_a_count_governed_by_another_verb_takes_no_event_from_nearby_words() -> None:
    text = ("After the protesters blocked the runway, three regional carriers suspended their "
            "flights to Tarvik.")
    assert find_counts(text, 0, "en") == []
    # an event word completing the verb still counts
    got = find_counts("Four guards were treated in hospital.", 0, "en")
    assert [(c.value, c.event) for c in got] == [(4, "WOUND")]


def test_an_abbreviated_qualifier_does_not_end_the_sentence_and_is_kept(extract: Extract) -> None:
    art = extract("Straż miejska zatrzymała w niedzielę ok. 60 osób podczas protestu kibiców "
                  "w Lublinie. Rannych zostało pięciu policjantów.")
    assert (60, "ARREST", "about") in counts(art)


def test_sentences_keep_their_positions_and_split_at_real_full_stops() -> None:
    text = "Police held ca. 40 men. Later 20 tys. osób came.\nNew line. 62 people waited."
    got = sentences(text)
    assert all(text[s:s + len(x)] == x for s, x in got)
    assert [x.strip() for _, x in got] == ["Police held ca. 40 men.", "Later 20 tys. osób came.",
                                            "New line.", "62 people waited."]


def test_event_words_are_read_in_their_inflected_forms() -> None:
    got = find_counts(" W proteście wzięło udział około 3000 rolników.", 0, "pl")
    assert [(c.value, c.event, c.qualifier) for c in got] == [(3000, "PROTEST", "about")]
    got = find_counts("La policía detuvo a 20 personas durante una marcha de unos 4000 estudiantes.", 0, "es")
    assert [(c.value, c.event) for c in got] == [(20, "ARREST"), (4000, "PROTEST")]
    got = find_counts("Не менее 14 человек получили травмы.", 0, "ru")
    assert [(c.value, c.event) for c in got] == [(14, "WOUND")]


def test_a_sentence_may_hold_a_count_exactly_when_it_has_a_digit_or_a_vague_word_inside() -> None:
    """The one-pass search for the vague words answers as trying each word as a substring."""
    import random

    from newsdesk_plugins.extract import facts

    rnd = random.Random(4)
    for _ in range(5000):
        word = rnd.choice(facts._VAGUE_WORDS)
        filler = "".join(rnd.choice("ab XYZ,ж") for _ in range(rnd.randint(0, 12)))
        piece = rnd.choice([word, word.upper(), word[:-1], word[1:], "7"])
        sentence = filler + piece + filler
        plain = bool(facts._DIGIT.search(sentence)) or any(w in sentence.lower() for w in facts._VAGUE_WORDS)
        assert facts._may_count(sentence) == plain

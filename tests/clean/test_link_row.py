"""A long row of links separated by " | " is nav; a table row and a sentence with bars are not."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_between_paragraphs

EN = [
    "The city's marathon will start an hour earlier this year because of the heat expected on the day of the race.",
    "Runners will set off at seven from the old harbour and finish in the park, as they have done since the first race.",
    "The organisers expect twelve thousand runners and have added four water stations along the second half of the course,"
    " where most runners slowed down last year.",
]
PL = [
    "Maraton miejski wystartuje w tym roku godzinę wcześniej z powodu upału zapowiadanego na dzień biegu.",
    "Biegacze ruszą o siódmej ze starego portu i dobiegną do parku, tak jak od pierwszej edycji zawodów.",
    "Organizatorzy spodziewają się dwunastu tysięcy biegaczy i dodali cztery punkty z wodą na drugiej połowie trasy,"
    " gdzie w zeszłym roku większość zawodników zwolniła.",
]


@pytest.mark.parametrize(("story", "row"), [
    (EN, "RACE DAY: Latest news | Start lists | Results and times (half marathon) | Results and times (full marathon)"
         " | Course map | Photo galleries"),
    (PL, "Strona główna | Wiadomości z regionu | Sport i rekreacja | Kultura i rozrywka | Pogoda na weekend"
         " | Ogłoszenia drobne | Kontakt z redakcją"),
])
def test_long_link_row_inside_the_story(cleaner: Cleaner, story: list[str], row: str) -> None:
    """The row between two paragraphs is removed as nav (English, Polish)."""
    assert removed_between_paragraphs(cleaner, story, row) == "nav"


def test_sentences_with_bars_stay(cleaner: Cleaner) -> None:
    """A line of items that are sentences, bars between them, is kept."""
    line = ("The start moves to seven. | The finish stays in the park. | Four water stations are added. "
            "| The course is the same as last year.")
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines

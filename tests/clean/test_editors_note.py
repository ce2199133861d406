"""An editor's note about the article itself, at the start or the end of the story, is meta."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_roles

EN = [
    "The night ferry between the two islands will run all year from April, the shipping company said on Wednesday.",
    "Until now the crossing stopped in October and started again in May, which left the smaller island without a link.",
    "Islanders have asked for a winter service for more than a decade, and the regional government will pay for half of it.",
]
ES = [
    "El ferry nocturno entre las dos islas funcionará todo el año a partir de abril, según anunció la naviera el miércoles.",
    "Hasta ahora la travesía se suspendía en octubre y se reanudaba en mayo, lo que dejaba a la isla pequeña sin conexión.",
    "Los isleños llevan más de una década pidiendo un servicio de invierno, y el gobierno regional pagará la mitad.",
]


@pytest.mark.parametrize(("story", "note", "first"), [
    (EN, "This article was originally published in the spring edition and has been updated.", False),
    (EN, "This interview has been edited and condensed for clarity.", True),
    (ES, "Este artículo fue publicado originalmente en la edición de primavera.", False),
])
def test_note_at_an_end_of_the_story(cleaner: Cleaner, story: list[str], note: str, first: bool) -> None:
    """The note before the first or after the last paragraph is removed as meta (English, Spanish)."""
    lines = [note] + story if first else story + [note]
    result = cleaner.clean_text("\n\n".join(lines))
    assert result.paragraphs == story
    assert removed_roles(result)[note] == "meta"


def test_same_words_inside_the_story_stay(cleaner: Cleaner) -> None:
    """A story line using the words ("originally published") between paragraphs is kept."""
    line = "The timetable was originally published in January, but the company changed it twice since then."
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines

"""A sentence standing alone in parentheses inside a story ("(Here is how the vote works.)") is a teaser."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_between_paragraphs

EN = [
    "Voters in the district will choose a new council on Sunday, two years early, after the old council failed to pass a budget.",
    "Five parties are standing, and polls suggest that none of them will win enough seats to govern without a partner.",
    "Turnout at the last election was just under fifty percent, and the parties have spent the final week knocking on doors.",
]
IT = [
    "Domenica gli elettori del distretto sceglieranno un nuovo consiglio, con due anni di anticipo, dopo la bocciatura del bilancio.",
    "Si presentano cinque partiti e i sondaggi dicono che nessuno avrà abbastanza seggi per governare senza un alleato.",
    "All'ultima elezione l'affluenza è stata di poco inferiore al cinquanta per cento, e i partiti hanno bussato alle porte.",
]


@pytest.mark.parametrize(("story", "pointer"), [
    (EN, "(Here is how the district's voting system works.)"),
    (IT, "(Ecco come funziona il sistema di voto del distretto.)"),
])
def test_parenthesised_sentence_between_paragraphs(cleaner: Cleaner, story: list[str], pointer: str) -> None:
    """The pointer is removed as a teaser and the story around it is kept whole (English, Italian)."""
    assert removed_between_paragraphs(cleaner, story, pointer) == "teaser"


def test_parenthesis_inside_a_paragraph_stays(cleaner: Cleaner) -> None:
    """A paragraph that opens with a parenthesis but goes on after it is story."""
    line = "(In 2019 the council also fell early.) This time the mayor has promised to stay until a new council is sworn in."
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines

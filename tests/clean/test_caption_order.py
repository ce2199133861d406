"""Photo captions inside a story: one opening with the order of the people in it ("(L-R) …"),
one closing with its credit after a full stop ("… at dawn. Credit: Jane Doe.")."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_between_paragraphs

EN = [
    "The rowing club celebrated its hundredth year on Saturday with a regatta on the lake and a dinner in the boathouse.",
    "More than two hundred former members came back for the day, some of them from as far away as Canada and Australia.",
    "The club was founded by four students in 1924 and now has over three hundred members, half of them under eighteen.",
]
RU = [
    "В субботу гребной клуб отметил столетие регатой на озере и ужином в лодочном сарае, куда пришли члены клуба.",
    "На праздник приехали более двухсот бывших членов клуба, некоторые из них прилетели даже из Канады и Австралии.",
    "Клуб основали четыре студента в 1924 году, сейчас в нём более трёхсот членов, половина из которых младше восемнадцати.",
]


@pytest.mark.parametrize(("story", "caption"), [
    (EN, "(L-R) Maria Lopez, Tom Baker and Ann Cole, who rowed for the club in the 1980s, at the regatta on Saturday."),
    (EN, "L–R: the club's captain, its oldest member and the mayor cut the anniversary cake in the boathouse."),
    (RU, "(Слева направо) Мария Лопес, Том Бейкер и Анна Коул, выступавшие за клуб в 1980-х годах, на регате в субботу."),
])
def test_caption_with_order_marker(cleaner: Cleaner, story: list[str], caption: str) -> None:
    """The caption between two paragraphs is removed with the role caption (English, Russian)."""
    assert removed_between_paragraphs(cleaner, story, caption) == "caption"


def test_sentence_starting_with_from_left_stays(cleaner: Cleaner) -> None:
    """A story sentence that says "from left" without the caption's parentheses is kept."""
    line = "From left to right along the shore, the boats of the twelve visiting clubs lay ready for the start of the race."
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines


@pytest.mark.parametrize(("story", "caption", "credit"), [
    (EN, "The boats of the twelve visiting clubs on the shore before the start of the race.", "Credit: Ann Cole."),
    (RU, "Лодки двенадцати клубов на берегу перед стартом гонки.", "Фото: Анна Коул."),
])
def test_caption_sentence_with_credit_after_it(cleaner: Cleaner, story: list[str], caption: str, credit: str) -> None:
    """A caption sentence with "Credit: Name." after it is split into caption and credit (English, Russian)."""
    result = cleaner.clean_text("\n\n".join(story[:2] + [f"{caption} {credit}"] + story[2:]))
    assert result.paragraphs == story
    assert [(r["text"], r["role"]) for r in result.removed] == [(caption, "caption"), (credit, "credit")]


def test_sentence_with_source_after_it_stays(cleaner: Cleaner) -> None:
    """A story sentence closed by "Source: Name." (a source, not a photo credit) is kept."""
    line = "Membership has doubled since 2010, with the biggest growth among girls under sixteen. Source: Rowing Federation."
    lines = EN[:2] + [line] + EN[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines

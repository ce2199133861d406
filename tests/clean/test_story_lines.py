"""Short story lines survive: one-sentence paragraphs, subheadings, quotes, attributions."""

from __future__ import annotations

from newsdesk_plugins.clean.engine import Cleaner

LONG = [
    "Firefighters battled a large blaze at a timber yard on the edge of town for most of Sunday night.",
    "The fire started in a storage shed shortly after nine and spread quickly to stacks of dry wood nearby.",
    "Residents of three streets were told to keep their windows closed because of the thick smoke.",
    "The cause of the fire is not yet known, and investigators are expected at the site on Monday morning.",
]


def test_subheading_inside_the_story(cleaner: Cleaner) -> None:
    """Keeps a subheading between two paragraphs."""
    lines = LONG[:2] + ["What happens next"] + LONG[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines


def test_one_sentence_paragraph(cleaner: Cleaner) -> None:
    """Keeps a short one-sentence paragraph, also as the last line."""
    lines = LONG[:2] + ["Nobody was hurt."] + LONG[2:] + ["The yard will stay closed."]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines


def test_quote_and_attribution(cleaner: Cleaner) -> None:
    """Keeps a quote on its own line and the "– said X" line after it."""
    lines = LONG[:2] + ["“We could see the flames from the bridge.”", "– said Maria Lopez, a neighbour."] + LONG[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines


def test_question_subheading(cleaner: Cleaner) -> None:
    """Keeps a question used as a subheading."""
    lines = LONG[:2] + ["Was anyone hurt?"] + LONG[2:]
    assert cleaner.clean_text("\n\n".join(lines)).paragraphs == lines


def test_article_of_short_paragraphs_only(cleaner: Cleaner) -> None:
    """Keeps an article whose every paragraph is one short sentence."""
    lines = [
        "The ferry to the island runs again from Monday.",
        "It had stopped for two weeks after a storm damaged the pier.",
        "Repairs cost the county about 80,000 euros.",
        "Tickets bought for the cancelled trips stay valid until June.",
    ]
    result = cleaner.clean_text("\n\n".join(["Ferry service resumes", "Share"] + lines + ["Share"]))
    assert result.paragraphs == lines
    assert result.title == "Ferry service resumes"

"""Each role of a removed line, on small articles made here."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner
from newsdesk_plugins.clean.lines import ROLES

from .clean_helpers import removed_roles

STORY = [
    "The regional council approved a new budget on Monday after a long debate that lasted well into the night.",
    "Spending on schools will rise by four percent, while the road repair fund will stay at last year's level.",
    "The opposition said the plan did not do enough for small towns and voted against it as a bloc.",
]


def roles_of(cleaner: Cleaner, before: list[str], after: list[str]) -> dict[str, str]:
    text = "\n\n".join(before + STORY + after)
    result = cleaner.clean_text(text)
    assert result.paragraphs == STORY
    return removed_roles(result)


@pytest.mark.parametrize(
    ("line", "role", "where"),
    [
        ("Posted 5 January 2022, 10:42", "meta", "head"),
        ("Updated: 12.04.2023 08:30", "meta", "head"),
        ("By Anna Kowalski", "byline", "head"),
        ("Budget vote in the council chamberPAP / EPA / STR", "caption", "tail"),
        ("Photo: Reuters / John Smith", "credit", "tail"),
        ("Share", "share", "tail"),
        ("Follow us on Twitter", "share", "tail"),
        ("1,204", "share", "tail"),
        ("Found a typo? Select it and press Ctrl+Enter", "prompt", "tail"),
        ("Copyright 2024 The Example Post. All rights reserved.", "legal", "tail"),
        ("We use cookies to improve your experience", "legal", "tail"),
        ("Home > World > Europe", "nav", "head"),
        ("Skip to content", "nav", "head"),
        ("Tags: budget, council, schools", "category", "tail"),
        ("(AP)", "signature", "tail"),
        ("jk/dpa", "signature", "tail"),
        ("examplenews.com", "site", "head"),
    ],
)
def test_role_of_a_line(cleaner: Cleaner, line: str, role: str, where: str) -> None:
    """Removes a junk line before or after the story and names its role."""
    before, after = ([line], []) if where == "head" else ([], [line])
    got = roles_of(cleaner, ["Council passes budget after long debate"] + before, after)
    assert got[line.replace("PAP / EPA / STR", "")] == role if role == "caption" else got[line] == role


def test_caption_with_glued_credit_is_split(cleaner: Cleaner) -> None:
    """Removes a photo credit glued to the end of a caption as a caption and a credit."""
    result = cleaner.clean_text("\n\n".join(STORY[:2] + ["Protesters in the main squareTASS / Getty Images"] + STORY[2:]))
    assert {"text": "Protesters in the main square", "role": "caption"} in result.removed
    assert {"text": "TASS / Getty Images", "role": "credit"} in result.removed


def test_an_agency_name_ending_a_capitalised_word_is_not_split_off(cleaner: Cleaner) -> None:
    """"WRAP" does not end in the agency "AP": a glued credit follows a lower-case letter
    or a digit, not a capital."""
    from newsdesk_plugins.clean.lexicon import load

    tail = load().agency_tail_re
    assert tail is not None
    assert tail.search("Weekly news WRAP") is None
    assert tail.search("Riot police at the gate 2022AP") is not None


def test_title_and_duplicate(cleaner: Cleaner) -> None:
    """Takes the headline as title and removes its repeat as a duplicate."""
    head = "Council passes budget after long debate"
    result = cleaner.clean_text("\n\n".join([head, head] + STORY))
    assert result.title == head
    assert [r["role"] for r in result.removed] == ["title", "duplicate"]


def test_title_given_by_the_input(cleaner: Cleaner) -> None:
    """Removes the title given by the input wherever it stands in the text."""
    result = cleaner.clean_text("\n\n".join(STORY[:1] + ["Budget Passes"] + STORY[1:]), title_hint="Budget passes")
    assert result.title == "Budget passes"
    assert result.removed == [{"text": "Budget Passes", "role": "title"}]


def test_teaser_after_see_also(cleaner: Cleaner) -> None:
    """Removes a "see also" lead-in as related and the other story's headline and lead as teasers."""
    got = roles_of(cleaner, [], ["See also", "Mayor promises cheaper bus tickets", "The mayor said on Friday that…"])
    assert got == {"See also": "related", "Mayor promises cheaper bus tickets": "teaser",
                   "The mayor said on Friday that…": "teaser"}


def test_author_box(cleaner: Cleaner) -> None:
    """Removes an "About the author" box and the paragraph under it as bio."""
    got = roles_of(cleaner, [], ["About the author", "Jane Roe has written about local politics for ten years and lives in the city."])
    assert set(got.values()) == {"bio"}


def test_comments_and_form(cleaner: Cleaner) -> None:
    """Removes a comments section (header, commenter, time, text) as comment and a reply form as form."""
    got = roles_of(cleaner, [], ["2 Comments", "Peter", "3 hours ago", "Finally some money for the schools, about time.",
                                 "Leave a Reply", "Your email address will not be published."])
    assert [got[k] for k in ("2 Comments", "Peter", "3 hours ago", "Finally some money for the schools, about time.")] == ["comment"] * 4
    assert got["Leave a Reply"] == "form"


def test_repeated_caption(cleaner: Cleaner) -> None:
    """Removes a caption that comes again without its credit as a caption."""
    lines = STORY[:1] + ["Council chamberReuters / EPA"] + STORY[1:] + ["Council chamber"]
    result = cleaner.clean_text("\n\n".join(lines))
    assert result.removed[-1] == {"text": "Council chamber", "role": "caption"}


def test_every_role_is_documented() -> None:
    """Documents every role on the plugin's page, docs/plugins/clean.md."""
    from pathlib import Path

    section = (Path(__file__).resolve().parents[2] / "docs" / "plugins" / "clean.md").read_text("utf-8")
    for role in ROLES:
        assert f"`{role}`" in section, role


def test_long_legal_notice_closing_the_story(cleaner: Cleaner) -> None:
    """Removes a copyright paragraph too long for a line of fine print as legal when it closes the story."""
    notice = ("This article is protected by copyright. Apart from fair use for private study or review, "
              "no part of it may be copied, stored or passed on in any form without the written permission "
              "of the publisher, who keeps every right to the text and the pictures.")
    got = roles_of(cleaner, [], [notice])
    assert got == {notice: "legal"}


def test_story_line_about_copyright_inside_the_story_stays(cleaner: Cleaner) -> None:
    """Keeps a story paragraph that speaks of copyright when story paragraphs follow it."""
    line = ("The council also voted on a copyright dispute over the town's old coat of arms, which a local "
            "printer had registered as his own design twenty years ago.")
    result = cleaner.clean_text("\n\n".join(STORY[:2] + [line] + STORY[2:]))
    assert result.paragraphs == STORY[:2] + [line] + STORY[2:]


@pytest.mark.parametrize("job", ["analyst", "contributor"])
def test_author_box_sentence_with_other_job_words(cleaner: Cleaner, job: str) -> None:
    """Removes a closing "Name is a <job> for ..." sentence as bio for analysts and contributors too."""
    line = f"Mark Doe is a senior {job} for the Example Herald. He also writes about regional sport and transport."
    got = roles_of(cleaner, [], [line])
    assert got == {line: "bio"}


def test_comments_longer_than_the_story(cleaner: Cleaner) -> None:
    """Removes a comments section under a header and a commenter's time stamp even when the comments outweigh the story."""
    story = STORY + ["The new budget takes effect in January, and the council will review it again in the summer."]
    remarks = [
        "I have lived in this county for forty years and I have never seen the council spend so much on so little, "
        "and I doubt the schools will ever see most of that money once the consultants have taken their share of it.",
        "You say that every year, and every year the roads get worse while the meetings get longer; maybe this time "
        "somebody will actually read the plan before voting on it, though I would not bet my pension on that at all.",
        "Both of you are missing the point: the money for the schools was promised two years ago and never arrived, "
        "so the real question is whether anyone will be held to account if it fails to arrive again this time round.",
    ]
    comments = ["3 Comments"]
    for n, remark in enumerate(remarks):
        comments += [f"reader{n} December 3, 2023 at 9:1{n} am"] + [part.strip() + "." for part in remark.split(",")]
    result = cleaner.clean_text("\n\n".join(story + comments))
    assert result.paragraphs == story
    assert {r["role"] for r in result.removed} <= {"comment", "meta"}


def test_dash_list_under_a_see_also_lead_in(cleaner: Cleaner) -> None:
    """Removes dash-marked headlines listed under a "see also" lead-in inside the story as teasers."""
    links = ["— Mayor promises cheaper bus tickets for pensioners next spring!",
             "— Flooded underpass closed again after the heavy rain on Sunday.",
             "— New library opens its doors with a week of free readings."]
    after = ["The budget takes effect in January, and the council will look at it again in the summer "
             "once the first figures for the spring term are in.",
             "Until then the old rules for school transport stay in force, the council's spokeswoman said, "
             "and parents who have applied for a bus pass under them will keep it.",
             "A public hearing on the road repair fund is planned for March, when residents of the small towns "
             "will be able to put their questions to the councillors in person."]
    result = cleaner.clean_text("\n\n".join(STORY + ["Related stories:"] + links + after))
    assert result.paragraphs == STORY + after
    assert removed_roles(result) == {"Related stories:": "related", **{line: "teaser" for line in links}}


def test_comment_count_above_the_story_keeps_the_story(cleaner: Cleaner) -> None:
    """Keeps the story under a comment count and a date standing above it (the header opens nothing there)."""
    result = cleaner.clean_text("\n\n".join(["12 Comments", "December 3, 2023"] + STORY))
    assert result.paragraphs == STORY


def test_closing_paragraph_of_a_story_about_privacy_stays(cleaner: Cleaner) -> None:
    """Keeps a closing paragraph that speaks of privacy when the story speaks of privacy before it."""
    story = [
        "The regional council approved new rules on Monday for the cameras installed on the town's buses.",
        "Residents had complained that the privacy of passengers was not protected, and the council agreed to blur faces.",
        "The opposition said the plan did not go far enough and voted against it as a bloc after a long debate.",
        "A privacy officer will now check the recordings every month, and the cookies on the council's website "
        "will be reviewed as well, the mayor said.",
    ]
    result = cleaner.clean_text("\n\n".join(story))
    assert result.paragraphs == story

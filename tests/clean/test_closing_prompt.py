"""A sign-up box closing the article (a prompt header and its short pitch) goes as ``prompt``."""

from __future__ import annotations

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_roles

EN = [
    "The city library will open on Sundays from next month, the first time in its history that it has done so.",
    "The change follows a survey in which two thirds of readers said they could only visit at the weekend.",
    "Staff who work on Sundays will get an extra day off during the week, the library's director said on Monday.",
    "The reading rooms and the children's section will be open, but the archive will stay closed on Sundays.",
]
FR = [
    "La bibliothèque municipale ouvrira le dimanche à partir du mois prochain, une première dans son histoire.",
    "Ce changement fait suite à une enquête dans laquelle deux tiers des lecteurs disaient ne venir que le week-end.",
    "Le personnel qui travaillera le dimanche aura un jour de repos supplémentaire en semaine, a précisé la directrice.",
    "Les salles de lecture et l'espace des enfants seront ouverts, mais les archives resteront fermées le dimanche.",
]



def test_newsletter_box_after_english_story(cleaner: Cleaner) -> None:
    """The header and the two sentences of pitch after it are removed, also from an extractor's output."""
    box = ["Newsletter", "Thanks for signing up. Watch for our weekly round-up of the best local stories.",
           "All the week's news from the town, straight to you."]
    for trusted in (False, True):
        result = cleaner.clean_text("\n\n".join(EN + box), trusted=trusted)
        assert result.paragraphs == EN
        assert all(removed_roles(result)[line] == "prompt" for line in box)


def test_newsletter_box_after_french_story(cleaner: Cleaner) -> None:
    """The same in French, under an "Abonnez-vous" header."""
    box = ["Abonnez-vous", "Recevez chaque semaine une sélection des meilleurs articles de la rédaction."]
    result = cleaner.clean_text("\n\n".join(FR + box), trusted=True)
    assert result.paragraphs == FR
    assert all(removed_roles(result)[line] == "prompt" for line in box)


def test_prompt_header_with_story_after_it(cleaner: Cleaner) -> None:
    """A prompt header with more of the story after it than a box's pitch takes nothing with it."""
    lines = EN[:1] + ["Newsletter"] + EN[1:]
    result = cleaner.clean_text("\n\n".join(lines), trusted=True)
    assert result.paragraphs == EN

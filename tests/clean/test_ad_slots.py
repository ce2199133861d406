"""An advertisement slot inside the story ("Advertisement", "Anzeige", "Story continues below") is nav."""

from __future__ import annotations

import pytest

from newsdesk_plugins.clean.engine import Cleaner

from .clean_helpers import removed_between_paragraphs

EN = [
    "The bakery on the market square has won the regional prize for the best rye bread for the third year running.",
    "Its owner, who took over the shop from her father in 2009, still bakes every loaf in the original wood-fired oven.",
    "The prize comes with a stand at the national food fair in Hamburg next spring, which she says she will take up,"
    " although it means closing the shop for a week for the first time since the flood of 2013.",
]
DE = [
    "Die Bäckerei am Marktplatz hat zum dritten Mal in Folge den regionalen Preis für das beste Roggenbrot gewonnen.",
    "Die Inhaberin, die den Laden 2009 von ihrem Vater übernommen hat, backt jedes Brot noch im alten Holzofen.",
    "Zum Preis gehört ein Stand auf der nationalen Lebensmittelmesse in Hamburg im nächsten Frühjahr, den sie annehmen will,"
    " obwohl sie dafür den Laden zum ersten Mal seit dem Hochwasser von 2013 eine Woche lang schließen muss.",
]


@pytest.mark.parametrize(("story", "slot"), [
    (EN, "Advertisement"),
    (EN, "Advertisement - Story continues below"),
    (DE, "Anzeige"),
    (DE, "Weiter nach der Anzeige"),
])
def test_ad_slot_between_paragraphs(cleaner: Cleaner, story: list[str], slot: str) -> None:
    """The slot's line between two paragraphs is removed as nav (English, German)."""
    assert removed_between_paragraphs(cleaner, story, slot) == "nav"

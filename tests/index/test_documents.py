"""What the index reads of a record: the English text from the translate plugin's
segments, in either schema."""

from __future__ import annotations

from newsdesk_plugins.index.documents import english

DE = "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen."
EN = "The council approved the new budget on Tuesday."


def test_english_passages_are_read_through_their_spans_in_schema_2() -> None:
    """A mixed German-English record: the English passage comes from its span into
    text, the German one from its translation."""
    text = f"{DE}\n\n{EN}"
    record = {"schema": "newsdesk/2", "lang": "de", "text": text,
              "segments": [{"lang": "de", "translation": "The city council passed the budget.",
                            "span": [0, len(DE)]},
                           {"lang": "en", "translation": None,
                            "span": [len(DE) + 2, len(text)]}],
              "translation": {"lang": "en", "text": None, "engines": ["x"]}}
    assert english(record)[1] == f"The city council passed the budget.\n\n{EN}"


def test_a_schema_1_record_still_gives_its_copied_passages() -> None:
    """Records written before newsdesk/2 carry each passage as text (reindex reads them)."""
    record = {"schema": "newsdesk/1", "lang": "de", "text": f"{DE}\n\n{EN}",
              "segments": [{"text": DE, "lang": "de", "translation": None, "span": [0, 3]},
                           {"text": EN, "lang": "en", "translation": None, "span": [0, 3]}],
              "translation": {"lang": "en", "text": f"{DE}\n\n{EN}", "engines": []}}
    assert english(record)[1] == EN

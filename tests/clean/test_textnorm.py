"""Text repair and normalisation."""

from __future__ import annotations

import unicodedata

from newsdesk_plugins.clean.textnorm import repair, split_lines


def test_mojibake_is_repaired() -> None:
    """Repairs UTF-8 read as Windows-1252 and keeps curly quotes as written."""
    assert repair("Farmers say this yearâ€™s harvest is poor") == "Farmers say this year’s harvest is poor"


def test_nfc() -> None:
    """Returns text in Unicode NFC."""
    decomposed = unicodedata.normalize("NFD", "Zażółć gęślą jaźń")
    assert repair(decomposed) == unicodedata.normalize("NFC", decomposed)


def test_dashes_and_guillemets_kept() -> None:
    """Keeps dashes and «» quotes as written."""
    assert repair("«Мы готовы», – сказал он.") == "«Мы готовы», – сказал он."


def test_whitespace() -> None:
    """Splits lines, drops blank ones and makes runs of spaces and no-break spaces one space."""
    assert split_lines("  One\u00a0 two \r\n\r\n\tThree\u200b\n") == ["One two", "Three"]

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


def test_every_run_of_spaces_becomes_one() -> None:
    """Every mix of plain, no-break, thin, ideographic and tab spaces inside a line becomes one space."""
    import itertools
    import re

    spaces = [" ", "\t", "\u00a0", "\u2009", "\u200b", "\u202f", "\u205f", "\u3000"]
    run = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
    for a, b in itertools.product(spaces, repeat=2):
        for gap in (a, a + b, b + a + a):
            line = f"x{gap}y z{a}{b}{b}w"
            assert split_lines(line) == [run.sub(" ", line)]


def test_key_of_ascii_and_other_lines() -> None:
    """The comparison key keeps letters and digits, case-folded, one space between runs."""
    from newsdesk_plugins.clean.textnorm import key

    assert key("Read ALSO: the 3 Best_Trains!") == "read also the 3 best trains"
    assert key("  «Straße», — Ёлка 2024 ") == "strasse ёлка 2024"

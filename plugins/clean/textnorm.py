"""Repairing and normalising text: mojibake, Unicode form, whitespace, lines."""

from __future__ import annotations

import re
import unicodedata

_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
#: The spaces of :data:`_SPACES` other than the plain one, and each of them to a plain space.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_ODD_SPACE_TABLE = {ord(c): " " for c in "\t\u00a0\u202f\u205f\u3000"} | {c: " " for c in range(0x2000, 0x200C)}
_PLAIN_RUN = re.compile(r"  +")


def _fix_spaces(text: str) -> str:
    """Return ``text`` with every run of the spaces of :data:`_SPACES` made one plain
    space: the odd spaces made plain first, then runs of plain ones collapsed, each
    step only when the text has something for it (cheaper than one regular
    expression tried at every space)."""
    if _ODD_SPACE.search(text) is not None:
        text = text.translate(_ODD_SPACE_TABLE)
    if "  " in text:
        text = _PLAIN_RUN.sub(" ", text)
    return text


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\u200e\u200f]")


def repair(text: str) -> str:
    """Return ``text`` with mojibake repaired (ftfy), in NFC, quotes and dashes as written.

    ftfy runs only when the text shows the signature of UTF-8 decoded as a
    single-byte code page (a lead byte such as "Ã", "Ð" or "â" followed by a
    continuation byte such as "©", "€" or "™") or holds HTML entities; other
    text is only put in NFC. ftfy's own detector is exact but costs a few
    milliseconds a page, more than all the rest of the cleaning.
    """
    entities = _ENTITY.search(text) is not None
    if text.isascii() and not entities:
        return text
    if not entities and _MOJIBAKE.search(text) is None:
        return unicodedata.normalize("NFC", text)
    import ftfy

    fixed = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
        max_decode_length=1_000_000,
    )
    return unicodedata.normalize("NFC", fixed)


def normalise_line(line: str) -> str:
    """Return one line with control characters dropped and runs of spaces made one."""
    return _SPACES.sub(" ", _CONTROLS.sub("", line)).strip()


def split_lines(text: str) -> list[str]:
    """Return the non-empty normalised lines of ``text``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _fix_spaces(_CONTROLS.sub("", text))
    return [line for line in (raw.strip() for raw in text.split("\n")) if line]


#: A run of letters and digits.
_KEY_RUN = re.compile(r"[^\W_]+")


#: ASCII letters and digits to themselves in lower case, every other byte to a space.
_ASCII_KEY = bytes(
    (ord(chr(c).lower()) if chr(c).isalnum() else 32) if c < 128 else 32 for c in range(256)
)


def key(line: str) -> str:
    """Return a comparison key: case-folded letters and digits only, one space between runs."""
    if line.isascii():
        return " ".join(line.encode("ascii").translate(_ASCII_KEY).decode("ascii").split())
    return " ".join(_KEY_RUN.findall(line.casefold()))

"""Reading dates written in any language the project handles into ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

#: Languages dateparser is asked to read, besides the article's own.
FALLBACK_LANGS = ("en", "ru", "de", "fr", "es", "uk")
#: Day-month order for numeric dates ("03.02.2022"): dotted dates are day first
#: everywhere; slashed dates are month first only on US English sites.
US_TLDS = (".com", ".us", ".gov", ".org", ".net", ".edu")

#: Readings of dates remembered (``_parse``).
PARSED_MAX = 4096

_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b(?!\.\d{4})|\b\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}([./-])\d{1,2}\1\d{2,4}\b")
_HAS_DIGIT = re.compile(r"\d")
_JUNK = re.compile(r"[,;|•·]+\s*(?=[,;|•·\s]*\d{1,2}:\d{2})|,,+")


def date_order(text: str, lang: str | None, site: str | None) -> str:
    """Return dateparser's DATE_ORDER for ``text`` read as ``lang`` on ``site``."""
    match = _NUMERIC_DATE.search(text)
    if match and match.group(1) == ".":
        return "DMY"
    if match and match.group(1) == "/":
        host = (site or "").lower().split("//")[-1].split("/")[0]
        us = not host or host.endswith(US_TLDS)
        return "MDY" if lang in (None, "en") and us else "DMY"
    return "MDY" if lang in (None, "en") else "DMY"


def parse_date(text: str, lang: str | None = None, site: str | None = None) -> str | None:
    """Return ``text`` as ISO 8601 (a date, or a date and time when one is written),
    or None when it does not read as a date."""
    text = _JUNK.sub(" ", text).strip(" ,.;:-–—")
    if not text or not _HAS_DIGIT.search(text) or len(text) > 60:
        return None
    return _parse(text, lang, date_order(text, lang, site))


@lru_cache(maxsize=PARSED_MAX)
def _parse(text: str, lang: str | None, order: str) -> str | None:
    """dateparser's reading of ``text`` (a call costs 2 ms and more: every language is
    tried before a date without a year is given up on), remembered: the same dateline
    date comes in many articles of a day. Nothing in it depends on the day it runs
    (only absolute dates, with day, month and year written)."""
    import dateparser

    langs = [lang] if lang else []
    langs += [code for code in FALLBACK_LANGS if code not in langs]
    settings = {
        "DATE_ORDER": order,
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["absolute-time", "custom-formats"],
    }
    try:
        value = dateparser.parse(text, languages=langs, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if value is None:
        return None
    if _TIME.search(text):
        return str(value.isoformat(timespec="minutes" if value.second == 0 else "seconds"))
    return str(value.date().isoformat())


def flag(iso: str | None, now: datetime | None = None) -> str | None:
    """Return why a date is implausible (in the future, before 1900), or None."""
    if not iso:
        return None
    try:
        value = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return "not an ISO 8601 date"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if value.year < 1900:
        return "before 1900"
    if value > now + timedelta(days=1):
        return "in the future"
    return None

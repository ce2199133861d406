"""The publication time a page states in its structured metadata, read on the page's own clock.

A page states when it was published in JSON-LD (``"datePublished"``), in microdata
(``itemprop="datePublished"``) or in Open Graph (``article:published_time``); many
pages write that instant in UTC while the date their readers see is the local one.
The local clock is taken from the page itself: another timestamp of the same instant
written with its offset (``<time datetime="...-05:00">``), or a displayed date with a
clock time that is the same instant in a time zone of whole or half hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

_STAMP = r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)?)?"
_JSONLD = re.compile(r'"datePublished"\s*:\s*"(' + _STAMP + ")")
_ITEMPROP = re.compile(r"<(?:meta|time)\b[^>]*itemprop=[\"']datePublished[\"'][^>]*>", re.I)
_OPENGRAPH = re.compile(
    r"<meta\b[^>]*(?:property|name)=[\"'](?:article:published_time|og:published_time)[\"'][^>]*>", re.I)
_ATTR = re.compile(r"\b(?:content|datetime)=[\"'](" + _STAMP + ")", re.I)
#: A stamp with its offset, ``\d{4}-\d\d-\d\d`` + ``_OFFSET_TIME``. Pages are searched for the
#: time part (it opens with a literal "T", which the regex engine finds fast; a pattern
#: opening with a digit is tried at every digit of a 300 KB page) and the date checked
#: before it (see ``_offset_stamps``).
_OFFSET_TIME = re.compile(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-]\d\d:?\d\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: A displayed English date with a clock time: "December 26, 2023 - 9:03AM", "Dec. 26, 2023 at 21:03".
#: (The lookahead lets the engine skip positions that cannot open a month name; same matches.)
_SHOWN = re.compile(
    r"(?=[jfmasond])\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"[^<\d]{0,12}?(?P<hour>\d{1,2}):(?P<minute>\d\d)\s*(?P<half>[ap]\.?m\.?)?",
    re.I,
)
#: The part of a ``_SHOWN`` match from the year to the clock time (at most 21 characters,
#: ending at the clock's colon): a page without one shows no date with a time.
_YEAR_TO_CLOCK = re.compile(r"\d{4}[^<\d]{0,12}?\d{1,2}\Z")
_CLOCK_MINUTES = re.compile(r":\d\d")


def _parse(stamp: str) -> datetime | None:
    """An ISO-like stamp ("2023-12-19 15:54", "2023-12-19T15:54+0000", "...Z") as a datetime, or None."""
    stamp = re.sub(r"^(\d{4}-\d\d-\d\d) (?=\d)", r"\1T", stamp.strip())
    stamp = re.sub(r"\s+", "", stamp)
    stamp = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", stamp)
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def stated_published(html: str) -> tuple[datetime, bool] | None:
    """The publication instant the page's structured metadata states: JSON-LD's
    ``datePublished`` first, then microdata's, then Open Graph's, with whether it has a
    time of day; None when none is there."""
    match = _JSONLD.search(html)
    value = _parse(match.group(1)) if match else None
    if match and value:
        return value, "T" in match.group(1) or " " in match.group(1).strip()
    for pattern in (_ITEMPROP, _OPENGRAPH):
        for tag in pattern.finditer(html):
            attr = _ATTR.search(tag.group(0))
            value = _parse(attr.group(1)) if attr else None
            if value and attr:
                return value, "T" in attr.group(1) or " " in attr.group(1).strip()
    return None


def _offset_stamps(html: str) -> Iterator[str]:
    """The stamps with an offset on the page, in order: what ``finditer`` of the whole
    stamp's expression gives (matches that do not overlap), found from their time part."""
    last = 0
    for match in _OFFSET_TIME.finditer(html):
        start = match.start() - 10
        if start >= last and _DATE.fullmatch(html, start, match.start()):
            last = match.end()
            yield html[start:last]


def _may_show_time(html: str) -> bool:
    """False when no ``_SHOWN`` match can be on the page: no year followed by a clock time
    (every match holds one; its colon is found by a literal search, the rest is bounded)."""
    return any(_YEAR_TO_CLOCK.search(html, max(0, m.start() - 18), m.start())
               for m in _CLOCK_MINUTES.finditer(html))


def _shown_offsets(html: str, instant: datetime) -> Iterator[timedelta]:
    """The offsets from ``instant`` of the dates with a clock time the page shows, in
    order, read as they are needed."""
    if not _may_show_time(html):
        return
    for match in _SHOWN.finditer(html):
        hour = int(match.group("hour"))
        half = (match.group("half") or "").lower().replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        try:
            shown = datetime(int(match.group("year")), _MONTHS.index(match.group("month").lower()) + 1,
                             int(match.group("day")), hour, int(match.group("minute")))
        except ValueError:
            continue
        yield shown - instant.replace(tzinfo=None, second=0, microsecond=0)


def local_time(instant: datetime, html: str) -> datetime:
    """``instant`` on the page's own clock: unchanged when it carries a non-UTC offset or
    none at all; else moved to the offset of another timestamp on the page that is the
    same instant, or of a displayed date and time that is the same instant."""
    offset = instant.utcoffset()
    if offset is None or offset != timedelta(0):
        return instant
    for stamp in _offset_stamps(html):
        other = _parse(stamp)
        if other and other.utcoffset() and other == instant:
            return other
    utc = instant.replace(second=0, microsecond=0)
    for shift in _shown_offsets(html, utc):
        if timedelta(hours=-12) <= shift <= timedelta(hours=14) and shift % timedelta(minutes=30) == timedelta(0):
            return instant.astimezone(timezone(shift))
    return instant


def iso_on_page_clock(value: str, html: str) -> str | None:
    """A stamp the page states (``2023-12-20T12:30:00Z``, ``2023-12-20``) as ISO 8601: with
    its offset, a UTC instant moved to the offset the page shows for the same instant; a
    date alone stays a date; None when it does not read as a stamp."""
    match = re.match(_STAMP, value.strip())
    if not match:
        return None
    instant = _parse(match.group(0))
    if instant is None:
        return None
    if "T" not in match.group(0) and " " not in match.group(0).strip():
        return instant.date().isoformat()
    return _iso(local_time(instant, html))


def _iso(value: datetime) -> str:
    """ISO 8601 to the minute, with the offset when there is one (``Z`` for UTC)."""
    text = value.isoformat(timespec="minutes")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def on_page_clock(html: str, day: str | None) -> str | None:
    """``day`` (htmldate's YYYY-MM-DD) on the page's own clock: when it is the UTC day of
    the publication instant the page states, that instant in the page's time zone (ISO
    8601 with the offset, ``Z`` when the page gives no other); else ``day`` unchanged."""
    if not day:
        return day
    stated = stated_published(html)
    if stated is None:
        return day
    instant, has_time = stated
    utc_day = instant.astimezone(UTC).date().isoformat() if instant.tzinfo else None
    if not has_time or day[:10] not in (utc_day, instant.date().isoformat()):
        return day
    return _iso(local_time(instant, html))


#: A date label as a page shows it beside the headline, in the languages the project reads.
_SHOWN_LABEL = re.compile(
    r"\b(?:first published|published|posted|last updated|updated|date|"
    r"опубликовано|обновлено|дата публикации|дата|veröffentlicht|aktualisiert|stand|publié le|mis à jour)"
    r"(?:\s+(?:on|am|le))?\s*:?\s+",
    re.I,
)
_SHOWN_DATE = re.compile(
    r"(?:\w{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"  # December 13, 2023
    r"|\d{1,2}\.?\s+\w{3,12}\.?,?\s+\d{4}"  # 13 December 2023, 8. Januar 2022, 5 января 2022
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}"  # 13.12.2023
    r"|\d{4}-\d\d-\d\d)"  # 2023-12-13
)
_STRIP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>", re.S | re.I)
_FIRST_H1 = re.compile(r"<h1\b", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
#: How far from the headline (in characters of the page's text) a shown date counts as
#: the article's: the byline area just above or below the <h1>, not a related story's.
BEFORE_HEADLINE = 300
AFTER_HEADLINE = 600


def _page_text(fragment: str) -> str:
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(_STRIP.sub(" ", fragment)))


#: Labels of an update, not of the first publication.
_MODIFIED_LABEL = re.compile(r"updated|обновлено|aktualisiert|stand|mis à jour", re.I)


def shown_dates(html: str, site: str | None = None) -> dict[str, str]:
    """The dates the page shows under a label ("Published: Dec. 21, 2023", "Updated
    December 26, 2023", "Опубликовано 5 января 2022") in the byline area around its
    first <h1>, read in the page's language (``<html lang>``): the first of each kind,
    under ``"published"`` (publication labels and bare "Date") and ``"modified"``
    (update labels). Empty when there is none."""
    from newsdesk_plugins.extract.dates import parse_date

    h1 = _FIRST_H1.search(html)
    if h1 is None:
        return {}
    lang_match = _HTML_LANG.search(html[:5000])
    lang = lang_match.group(1).lower() if lang_match else None
    before = _page_text(html[max(0, h1.start() - 20 * BEFORE_HEADLINE) : h1.start()])[-BEFORE_HEADLINE:]
    after = _page_text(html[h1.start() : h1.start() + 200 * AFTER_HEADLINE])[:AFTER_HEADLINE]
    area = before + after
    found: dict[str, str] = {}
    for label in _SHOWN_LABEL.finditer(area):
        value = _SHOWN_DATE.match(area, label.end())
        if value:
            iso = parse_date(value.group(0), lang, site)
            kind = "modified" if _MODIFIED_LABEL.search(label.group(0)) else "published"
            if iso and kind not in found:
                found[kind] = iso
    return found


_TIME_PUBLISHED = re.compile(r"<time\b[^>]*\bitemprop=[\"']datePublished[\"'][^>]*>", re.I)


def time_published(html: str) -> str | None:
    """The publication time of the page's first ``<time itemprop="datePublished">`` (an
    element readers see, unlike head metadata), on the page's own clock; None without one."""
    for tag in list(_TIME_PUBLISHED.finditer(html))[:1]:
        attr = _ATTR.search(tag.group(0))
        value = _parse(attr.group(1)) if attr else None
        if value is None or attr is None:
            continue
        if "T" not in attr.group(1) and " " not in attr.group(1).strip():
            return value.date().isoformat()
        return _iso(local_time(value, html))
    return None

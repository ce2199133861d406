"""From an output record to what the index, the duplicate finder and the story
clusterer read. Every field is optional: any plugin before this one may be off."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsdesk_plugins.index.backend import IndexDoc


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def when(record: dict[str, Any]) -> datetime | None:
    """When the article is about: its publication time, else when it was received."""
    source = record.get("source")
    received = source.get("received") if isinstance(source, dict) else None
    return parse_time(record.get("published")) or parse_time(received)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _translation(record: dict[str, Any]) -> dict[str, Any]:
    value = record.get("translation")
    return value if isinstance(value, dict) else {}


def _passage(record: dict[str, Any], seg: dict[str, Any]) -> str:
    """A segment's own text: its ``span`` into the record's ``text`` (schema
    newsdesk/2), or the copy it carries (newsdesk/1, or a body the record does not hold)."""
    if isinstance(seg.get("text"), str):
        return str(seg["text"])
    span, text = seg.get("span"), record.get("text")
    if (isinstance(text, str) and isinstance(span, list) and len(span) == 2
            and all(isinstance(i, int) for i in span)):
        return text[span[0]:span[1]]
    return ""


def english(record: dict[str, Any]) -> tuple[str, str]:
    """The English title and text to compare across languages.

    From the translate plugin's ``segments`` when there are any: each passage's
    translation when the target language is English, or the passage itself when it is
    in English; passages left untranslated in another language are left out (with no
    engine installed, translate copies them into ``translation`` as they are). Without
    segments, a ``translation`` into English unless it says no engine was used; else the
    article itself when it is in English; else nothing."""
    tr = _translation(record)
    to_english = _str(tr.get("lang")) == "en"
    lang = _str(record.get("lang"))
    segments = record.get("segments")
    translated = isinstance(segments, list) and any(
        isinstance(seg, dict) and _str(seg.get("translation")) for seg in segments)
    if lang == "en" and not translated:
        text = _str(record.get("text"))  # English as written (indexed once, see to_doc)
    elif isinstance(segments, list) and segments:
        parts = []
        for seg in segments:
            if not isinstance(seg, dict):
                continue
            if to_english and _str(seg.get("translation")):
                parts.append(_str(seg.get("translation")))
            elif _str(seg.get("lang")) == "en" and _passage(record, seg):
                parts.append(_passage(record, seg))
        text = "\n\n".join(parts)
        if not text and lang == "en":
            text = _str(record.get("text"))
    elif to_english and _str(tr.get("text")) and tr.get("engines") != []:
        text = _str(tr.get("text"))
    elif lang == "en":
        text = _str(record.get("text"))
    else:
        text = ""
    title = ""
    if to_english and _str(tr.get("title")) and not tr.get("title_note"):
        title = _str(tr.get("title"))
    elif lang == "en":
        title = title_of(record)
    return (title, text) if text else ("", "")


def entity_names(record: dict[str, Any]) -> list[str]:
    """Canonical names of the article's entities (aliases not included)."""
    out = []
    for e in record.get("entities") or []:
        if isinstance(e, dict) and _str(e.get("name")):
            out.append(e["name"])
    return out


def entity_mentions(record: dict[str, Any]) -> list[str]:
    """Canonical names of the article's entities, each as many times as it is mentioned
    (extract's ``mentions``; once when the record does not say)."""
    out = []
    for e in record.get("entities") or []:
        if isinstance(e, dict) and _str(e.get("name")):
            n = e.get("mentions")
            out += [e["name"]] * (n if isinstance(n, int) and 0 < n < 10_000 else 1)
    return out


def entity_forms(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(written form, canonical name) of every entity: the name itself and its aliases."""
    out = []
    for e in record.get("entities") or []:
        if isinstance(e, dict) and _str(e.get("name")):
            out.append((e["name"], e["name"]))
            out += [(a, e["name"]) for a in e.get("aliases") or [] if isinstance(a, str) and a]
    return out


def _entity_terms(record: dict[str, Any]) -> list[str]:
    out = []
    for e in record.get("entities") or []:
        if not isinstance(e, dict):
            continue
        out.append(_str(e.get("name")))
        out += [a for a in e.get("aliases") or [] if isinstance(a, str)]
    return [t for t in out if t]


def cited_names(record: dict[str, Any]) -> list[str]:
    return [_str(c.get("name")) for c in record.get("cited") or []
            if isinstance(c, dict) and _str(c.get("name"))]


def _own_or_input(record: dict[str, Any], key: str) -> str:
    """``record[key]``; without it (no clean plugin), what a JSON input carried as ``key``."""
    value = _str(record.get(key))
    if not value:
        inp = record.get("input")
        if isinstance(inp, dict):
            value = _str(inp.get(key))
    return value


def text_of(record: dict[str, Any]) -> str:
    """The body text; without clean, what a JSON input carried as its text."""
    return _own_or_input(record, "text")


def title_of(record: dict[str, Any]) -> str:
    """The title; without clean or extract, what a JSON input carried as its title."""
    return _own_or_input(record, "title")


def url_of(record: dict[str, Any]) -> str:
    inp = record.get("input")
    for holder in (record, inp if isinstance(inp, dict) else {}, record.get("html_meta") or {}):
        if isinstance(holder, dict) and _str(holder.get("url")):
            return _str(holder.get("url"))
    return ""


def to_doc(record: dict[str, Any]) -> IndexDoc:
    """The index document of an output record."""
    en_title, en_text = english(record)
    return IndexDoc(
        id=_str(record.get("id")),
        title=title_of(record),
        text=text_of(record),
        english=en_text,
        english_title=en_title,
        lang=_str(record.get("lang")),
        site=_str(record.get("site")),
        when=when(record),
        entities=_entity_terms(record),
        cited=cited_names(record),
        story=_str(record.get("story")),
        duplicate_of=_str(record.get("duplicate_of")),
        url=url_of(record),
    )


def indexable(record: dict[str, Any]) -> bool:
    """Whether a record goes into the index: it has an id and did not fail."""
    return bool(_str(record.get("id"))) and record.get("status") != "failed"

"""Title, dates, authors and site: from clean's fields, meta lines, and HTML metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsdesk_plugins.extract import structured
from newsdesk_plugins.extract.dates import parse_date
from newsdesk_plugins.extract.pagedates import on_page_clock, shown_dates, time_published

#: A meta line: a label, then a date ("Posted 5 января 2022, 10:42", "Обновлено: ...").
_DATE_LABEL = re.compile(
    r"^\s*(?P<label>posted|published|first published|updated|last updated|modified|date|"
    r"опубликовано|опубликован[ао]?|обновлено|изменено|дата публикации|"
    r"опубліковано|оновлено|дата публікації|"
    r"veröffentlicht|zuletzt aktualisiert|aktualisiert|stand|publié le|publié|mis à jour|"
    r"publicado|actualizado|modificado|fecha|pubblicato|aggiornato|"
    r"opublikowano|data publikacji|zaktualizowano|aktualizacja)\b\s*"
    r"(?:on|am|le|el|il|o|в)?\s*[:\-–—]?\s*(?P<value>.+)$",
    re.I,
)
_MODIFIED = ("updated", "last updated", "modified", "обновлено", "изменено", "оновлено", "aktualisiert",
             "zuletzt aktualisiert", "stand", "mis à jour", "actualizado", "modificado", "aggiornato",
             "zaktualizowano", "aktualizacja")
_BYLINE = re.compile(
    r"^\s*(?:by|written by|reporting by|von|text:|автор:?|авторы:?|автори:?|par|por|di|autor:|autorka:)"
    r"\s+(?P<names>[^\d|•]{3,120}?)\s*$",
    re.I,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bи\b|&)\s*")
_SITE_LINE = re.compile(r"^\s*(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<site>[^\d|]{2,60}?)\s*$", re.I)


@dataclass
class Meta:
    """What the article says about itself."""

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None


def split_authors(value: str) -> list[str]:
    """Split a byline into names ("A, B and C" -> three names)."""
    names = [n.strip(" .,;") for n in _NAME_SPLIT.split(value)]
    return [n for n in names if n and len(n) <= 60 and any(ch.isalpha() for ch in n)]


def from_lines(lines: list[str], lang: str | None, site: str | None, meta: Meta) -> None:
    """Fill the empty parts of ``meta`` from meta lines (labels, bylines, datelines)."""
    for line in lines:
        line = line.strip()
        if not line or len(line) > 160:
            continue
        labelled = _DATE_LABEL.match(line)
        if labelled:
            iso = parse_date(labelled.group("value"), lang, site)
            if iso:
                if labelled.group("label").lower() in _MODIFIED:
                    meta.modified = meta.modified or iso
                else:
                    meta.published = meta.published or iso
                continue
        byline = _BYLINE.match(line)
        if byline and not meta.authors:
            meta.authors = split_authors(byline.group("names"))
            continue
        copyright_ = _SITE_LINE.match(line)
        if copyright_ and not meta.site:
            meta.site = copyright_.group("site").strip(" .")
            continue
        if not meta.published and len(line) <= 40:
            meta.published = parse_date(line, lang, site)


#: A dateline opening the body: a place (at most four words, no digits), a comma, the
#: date, an optional agency in parentheses, then a dash, colon or full stop ("VARNA, 3
#: December 2026 (BTA) — ...", "Paris, December 3, 2026: ...").
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]{1,2}[^\W\d_]+){0,3}),\s+"
    r"(?P<date>[^()\n—–]{6,40}?)\s*(?:\([^()\n]{1,40}\)\s*)?(?:[—–:.]|-{1,2})\s")


def from_dateline(text: str, lang: str | None, site: str | None, meta: Meta) -> None:
    """Take ``published`` from a dateline opening the body's first paragraph, when the
    page and the meta lines gave none. Only a full date counts (day, month and year:
    ``parse_date`` requires them), so a wire dateline without a year gives nothing."""
    if meta.published:
        return
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    match = _DATELINE.match(first[:200])
    if match:
        meta.published = parse_date(match.group("date"), lang, site)


def from_html(html: str, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return {title, authors, date, modified, site, url} from the page's metadata.

    ``given`` is what trafilatura already found of the page (clean's ``html_meta``:
    title, authors, site, url); without it trafilatura reads the page here. The
    headline and the authors are then decided from the page's own evidence (its
    ``<h1>``, ``<title>``, JSON-LD, publisher and site names); the dates come from
    htmldate and the dates the page shows beside its headline."""
    from htmldate import find_date

    out: dict[str, Any] = {}
    found = _trafilatura_meta(html) if given is None else {
        "title": given.get("title"), "sitename": given.get("site"), "url": given.get("url"),
        "author": ", ".join(a for a in given.get("authors") or [] if isinstance(a, str)) or None,
    }
    ld = structured.read(html)
    problems: list[str] = []
    if found or ld:
        site = found.get("sitename") or (ld.publisher if ld else None)
        out["title"] = choose_title(html, found.get("title") or (ld.headline if ld else None), site)
        host = re.sub(r"^www\.", "", (found.get("url") or "").split("//")[-1].split("/")[0])
        publishers = ([site or "", host, (ld.publisher if ld else None) or ""] + _PUBLISHER.findall(html)[:3]
                      + _COPYRIGHT.findall(html)[:1])
        site_author = _META_AUTHOR.findall(html)[:1]
        author = found.get("author")
        names = split_authors(author.replace(";", ",")) if author else []
        # trafilatura's reading of the byline (it reads JSON-LD too, and the page's byline);
        # the JSON-LD article's own Person authors where it finds none
        persons = clean_authors(names, publishers, site_author[0] if site_author else None)
        ld_names = [n for name in (ld.authors if ld else []) for n in split_authors(name)]
        out["authors"] = persons or clean_authors(ld_names, publishers, site_author[0] if site_author else None)
        out["site"] = site
        out["url"] = found.get("url")
    # The publication date the page shows beside its headline; else a visible <time
    # itemprop=datePublished>; else the JSON-LD article's datePublished; else htmldate's,
    # moved to the page's own clock when htmldate read the UTC day of the page's stated
    # publication time. An "Updated" date shown there is the modification date, never the
    # publication's. A stated date before 1900, at the epoch or in the future is not taken.
    url = out.get("url")
    shown = shown_dates(html, url)
    ld_published = stated(ld.published if ld else None, html, "JSON-LD datePublished", problems)
    ld_modified = stated(ld.modified if ld else None, html, "JSON-LD dateModified", problems)
    out["date"] = (shown.get("published") or time_published(html) or ld_published
                   or on_page_clock(html, find_date(html, original_date=True, extensive_search=True)))
    out["modified"] = (shown.get("modified") or ld_modified
                       or find_date(html, original_date=False, extensive_search=False))
    out["problems"] = problems
    return out


def stated(value: str | None, html: str, what: str, problems: list[str]) -> str | None:
    """A date the page's structured data states, as ISO 8601 on the page's own clock (a UTC
    instant moved to the offset the page shows for it; a date without a time stays a
    date); None, with a note in ``problems``, when it is not a plausible publication date."""
    from newsdesk_plugins.extract.dates import flag
    from newsdesk_plugins.extract.pagedates import iso_on_page_clock

    if not value:
        return None
    iso = iso_on_page_clock(value, html)
    if iso is None:
        return None
    why = flag(iso) or ("the Unix epoch" if iso.startswith("1970-01-01") else None)
    if why:
        problems.append(f"{what} {value!r} is {why}: not taken")
        return None
    return iso


def _trafilatura_meta(html: str) -> dict[str, Any]:
    from trafilatura import extract_metadata

    doc = extract_metadata(html)
    if doc is None:
        return {}
    return {"title": doc.title, "sitename": doc.sitename, "url": doc.url, "author": doc.author}


def is_meta_line(line: str) -> bool:
    """True for a line that is a date label or a byline, not a headline."""
    return bool(_DATE_LABEL.match(line.strip()) or _BYLINE.match(line.strip()))


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")
_AUTHOR_PREFIX = re.compile(r"^(?:view all posts by|posted by|written by|by|author:?)\s+", re.I)
_AUTHOR_SUFFIX = re.compile(r"\s+(?:published|updated|posted)\b.*$", re.I)


def _text(fragment: str) -> str:
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(_TAG.sub(" ", fragment))).strip()


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _without_site(title: str, site: str | None) -> str:
    """The title without the site's name and one-word section labels ("Opinion | ... | Editorial")."""
    parts = _SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    site_key = _key(site or "")
    keep = [p for p in parts if not (site_key and (_key(p) in site_key or site_key in _key(p)))]
    if any(len(p.split()) > 1 for p in keep):
        keep = [p for p in keep if len(p.split()) > 1]
    if not keep or len(keep) == len(parts):
        return title
    return " | ".join(keep)


def choose_title(html: str, title: str | None, site: str | None) -> str | None:
    """The headline: the page's <h1> when it is the metadata title (the on-page form,
    with its own quotation marks), else the metadata title without the site's name;
    a trailing media tag ("[Watch]", "(video)") is dropped."""
    if not title:
        return None
    return _TAG_SUFFIX.sub("", _choose_title(html, re.sub(r"\s+", " ", title).strip(), site)).strip()


_TAG_SUFFIX = re.compile(r"\s*[\[(](?:watch|video|videos|photos?|pictures|gallery|live|listen|podcast)[\])]\s*$", re.I)


def _choose_title(html: str, title: str, site: str | None) -> str:
    from rapidfuzz import fuzz

    bare = _without_site(title, site)
    h1s = [_text(m.group(1)) for m in list(_H1.finditer(html))[:5]]
    h1s = [h for h in h1s if 3 <= len(h) <= 300]
    for h1 in h1s:
        if _key(h1) == _key(bare) or _key(_without_site(h1, site)) == _key(bare):
            return _without_site(h1, site)
    for h1 in h1s:
        if _key(h1) == _key(title):
            return h1 if bare == title else bare  # the <h1> carries the title's section label
    for h1 in h1s:
        extra = len(h1.split()) - len(bare.split())
        if 0 < extra <= 2 and _key(h1).endswith(_key(bare)):
            return bare  # the <h1> carries a section label before the headline
    # The social title (og:title) rewritten for sharing: the <h1> that another of the
    # page's own headlines (<title>, JSON-LD headline, twitter:title) repeats is the headline.
    others = {_key(_without_site(t, site)) for t in _other_titles(html)} - {""}
    for h1 in h1s:
        if _key(_without_site(h1, site)) in others or _key(h1) in others:
            return _without_site(h1, site)
    for h1 in h1s:
        if fuzz.ratio(_key(h1), _key(title)) >= 90 or fuzz.ratio(_key(h1), _key(bare)) >= 90:
            return h1
    # A headline rewritten for the page: an <h1> of several words sharing the title's words.
    for h1 in h1s:
        if len(h1.split()) >= 4 and fuzz.token_set_ratio(h1.lower(), title.lower()) >= 60:
            return h1
    if bare != title:
        return bare
    for h1 in h1s:
        if _key(h1) and _key(h1) in _key(title):
            return h1
    return title


_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title>", re.I | re.S)
_META_TITLE = re.compile(
    r'<meta\b[^>]*(?:name|property)=["\'](?:title|twitter:title|twitter:text:title)["\'][^>]*>', re.I)
_CONTENT = re.compile(r'\bcontent=(?:"([^"]*)"|\'([^\']*)\')', re.I)
_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.){3,300})"')


def _other_titles(html: str) -> list[str]:
    """The page's headlines besides og:title: the first <title>, <meta name=title>,
    twitter:title and the first JSON-LD headlines."""
    import json

    found = [_text(m.group(1)) for m in list(_TITLE_TAG.finditer(html))[:1]]
    for tag in list(_META_TITLE.finditer(html))[:4]:
        content = _CONTENT.search(tag.group(0))
        if content:
            found.append(_text(content.group(1) or content.group(2) or ""))
    for m in list(_HEADLINE.finditer(html))[:8]:
        try:
            found.append(_text(json.loads(f'"{m.group(1)}"')))
        except ValueError:
            continue
    return [t for t in found if t]


_PUBLISHER = re.compile(r'"publisher"\s*:\s*\{[^{}]*?"name"\s*:\s*"([^"]{2,80})"', re.S)
_COPYRIGHT = re.compile(r'<meta[^>]+name=["\']copyright["\'][^>]+content=["\']([^"\']{2,80})', re.I)
_META_AUTHOR = re.compile(r'<meta[^>]+name=["\']author["\'][^>]+content=["\']([^"\']{2,120})', re.I)
_ROLE_WORDS = {"chief", "officer", "head", "editor", "senior", "staff", "writer", "reporter", "contributor",
               "correspondent", "director", "technology", "executive", "of", "and", "the", "manager", "producer"}


#: Words that make a byline a job title or a desk, not a person's name.
_JOB = re.compile(
    r"\b(?:writer|reporter|correspondent|columnist|contributor)s?\b|^(?:head|chief|director|editor) of\b",
    re.I)


def _is_agency(name: str) -> bool:
    from newsdesk_plugins.extract.resources import gazetteer

    return re.sub(r"^the\s+", "", name, flags=re.I) in gazetteer().agencies or name in gazetteer().agencies


def _is_place(word: str) -> bool:
    from newsdesk_plugins.extract.resources import gazetteer

    return word in gazetteer().places


def clean_authors(names: list[str], publishers: list[str], site_author: str | None = None) -> list[str]:
    """Drop what is not a person's name from metadata authors: prefixes ("View all posts
    by"), credentials ("RDN"), handles, links, job titles, sentences, and the site's or
    publisher's own name."""
    keys = [_key(p) for p in publishers if _key(p)]
    out: list[str] = []
    for name in names:
        name = _AUTHOR_SUFFIX.sub("", _AUTHOR_PREFIX.sub("", name)).strip(" ,.")
        name = re.sub(r"\s+The\s+[A-Z].*$", "", name)  # "John O'Connor The Associated Press"
        words = name.split()
        while len(words) > 2 and words[-1].isupper() and len(words[-1]) <= 4:
            words.pop()  # credentials: "Lauren Manaker MS"
        name = " ".join(words)
        key = _key(name)
        if not key or "http" in name or re.search(r"\bwww\b", name.lower()) or (name.isupper() and len(name) <= 4):
            continue
        if name.islower() and " " not in name:
            continue  # a handle ("tpluto")
        if len(words) > 5 or all(w.lower() in _ROLE_WORDS for w in words):
            continue  # a sentence or a job title, not a name
        if _JOB.search(name):
            continue  # "AP Auto Writer", "Head of Reality Labs": a job, not a name
        if any(key == k or (len(key) > 3 and key in k) for k in keys):
            continue  # the site or publisher itself
        if len(words) == 1 and _is_place(name):
            continue  # "Massachusetts": a dateline, not an author
        if name not in out:
            out.append(name)
    if len(out) > 1:
        # an agency or outlet credited beside the people who wrote the story is not an author
        out = [n for n in out if not _is_agency(n)] or out
        out = [n for n in out if len(n.split()) > 1] or out  # "Massachusetts" beside a full name
        # The site-wide <meta name="author"> ("Condé Nast", "AOL Staff") beside the article's own bylines.
        site_key = _key(site_author or "")
        out = [n for n in out if not (site_key and _key(n) in site_key) and not n.lower().endswith(" staff")] or out
    return out

"""The extract stage: runs each part on one article and writes its fields.

Each part (metadata, language, entities, facts, quotes, cited sources) runs on
its own: a part that cannot run leaves its field empty and says why in the
record's ``errors``; the others still run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog

from newsdesk import hookimpl
from newsdesk.article import Article
from newsdesk.record import body_so_far
from newsdesk_plugins.extract import dates, language, meta
from newsdesk_plugins.extract.canonical import Canonicaliser
from newsdesk_plugins.extract.cited import find_cited
from newsdesk_plugins.extract.entities import Mention, Phrases, RuleEngine, shared_phrases
from newsdesk_plugins.extract.facts import find_counts, sentences
from newsdesk_plugins.extract.quotes import find_quotes
from newsdesk_plugins.extract.resources import gazetteer, read_aliases
from newsdesk_plugins.extract.russian import NatashaEngine, shared_natasha

log = structlog.get_logger("newsdesk.extract")
PLUGIN = "extract"
#: Scripts the entity rules read: Latin and Cyrillic letters.
_COVERED = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")


class Extractor:
    """Holds the engines (built lazily, once per process) and runs the stage."""

    def __init__(self, max_chars: int, ner_model: str | None, aliases_file: Path | None) -> None:
        self.max_chars = max_chars
        self.ner_model = ner_model
        self.aliases_file = aliases_file
        self._rules: dict[str, RuleEngine] = {}
        self._phrases: Phrases | None = None
        self._natasha: NatashaEngine | None = None
        self._canon: Canonicaliser | None = None

    # -- engines -------------------------------------------------------------------

    def canon(self) -> Canonicaliser:
        if self._canon is None:
            self._canon = Canonicaliser(read_aliases(self.aliases_file), gazetteer())
        return self._canon

    def ner(self, lang: str | None) -> Callable[[str], list[Mention]]:
        if lang == "ru":
            if self._natasha is None:
                t0 = time.perf_counter()
                self._natasha = shared_natasha()
                log.info("natasha loaded", seconds=round(time.perf_counter() - t0, 2))
            return self._natasha
        key = lang or "xx"
        if key not in self._rules:
            t0 = time.perf_counter()
            if self._phrases is None:
                self._phrases = shared_phrases()
            self._rules[key] = RuleEngine(key, gazetteer(), self.ner_model, self._phrases)
            log.info("entity rules built", lang=key, seconds=round(time.perf_counter() - t0, 2))
        return self._rules[key]

    def warm(self) -> None:
        """Build the gazetteer, the canonical-name tables and the entity rules now (a
        worker does this as it starts: 2-4 s that would otherwise count against the
        first article's time limit). natasha (Russian, about 0.6 s) still loads on
        the first Russian article."""
        t0 = time.perf_counter()
        self.canon()
        self.ner(None)
        language.warm()
        log.info("extract engines ready", seconds=round(time.perf_counter() - t0, 2))

    # -- the stage -------------------------------------------------------------------

    @hookimpl
    def newsdesk_extract(self, article: Article) -> None:
        run(self, article)


def _part(article: Article, what: str, fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - one part failing must not stop the others
        log.warning("extract part failed", part=what, file=article.source.name, exc_info=True)
        article.add_error("extract", PLUGIN, f"{what}: {type(exc).__name__}: {exc}")


def inputs(article: Article) -> tuple[str, str | None, list[dict[str, Any]]]:
    """Return (text, title, removed): the body so far (clean's, or the input itself
    without clean), and clean's removed lines (without clean: a text's first lines)."""
    body = body_so_far(article)
    removed = [r for r in article.record.get("removed") or [] if isinstance(r, dict)]
    if body.cleaned or article.content_type == "html":
        return body.text, body.title, removed
    lines = article.content.splitlines()
    return body.text, body.title, [{"text": line, "role": "line"} for line in lines[:15]]


def run(ex: Extractor, article: Article) -> None:
    rec = article.record
    text, title, removed = inputs(article)
    for key in ("entities", "facts", "quotes", "cited", "authors"):
        rec.setdefault(key, [])
    rec.setdefault("published", None)
    rec.setdefault("modified", None)
    rec.setdefault("site", None)
    rec.setdefault("lang", None)
    if len(text) > ex.max_chars:
        article.add_error("extract", PLUGIN, f"text is {len(text)} characters; only the first {ex.max_chars} were read")
        text = text[: ex.max_chars]

    def do_lang() -> None:
        rec["lang"] = language.identify(text)

    _part(article, "language", do_lang)
    lang = rec["lang"]
    _part(article, "metadata", lambda: _metadata(article, text, title, removed, lang))
    if not text.strip():
        article.add_error("extract", PLUGIN, "no text to read: entities, facts, quotes and sources are empty")
        return
    if not _COVERED.search(text):
        article.add_error("extract", PLUGIN, "text is in a script the extract rules do not cover (Latin and Cyrillic only)")
        return
    people: list[tuple[int, int, str, str]] = []

    def do_entities() -> None:
        mentions = ex.ner(lang)(text)
        entities = ex.canon().group(mentions)
        rec["entities"] = [e.as_dict() for e in entities]
        for e in rec["entities"]:
            for s, t in e["spans"]:
                people.append((s, t, e["name"], e["type"]))
        people.sort()

    _part(article, "entities", do_entities)

    def do_facts() -> None:
        facts = []
        for start, sentence in sentences(text):
            counts = find_counts(sentence, start, lang or "en")
            if not counts:
                continue
            # the sentence's source, the same for each of its counts: read once
            according = _attribution(start, start + len(sentence), people, text)
            for count in counts:
                d = count.as_dict()
                d["according_to"] = according
                facts.append(d)
        rec["facts"] = facts

    _part(article, "facts", do_facts)
    _part(article, "quotes", lambda: rec.__setitem__("quotes", [q.as_dict() for q in find_quotes(text, people)]))

    def do_cited() -> None:
        orgs = [(s, t, n) for s, t, n, kind in people if kind == "ORG"]
        rec["cited"] = find_cited(text, gazetteer().agencies, orgs, gazetteer().is_demonym)

    _part(article, "cited", do_cited)


_ACCORDING = re.compile(r"according to|citing|reported|reports|said|told|по данным|сообщ|laut|zufolge|berichtet", re.I)


def _attribution(start: int, end: int, people: list[tuple[int, int, str, str]], text: str) -> str | None:
    if not _ACCORDING.search(text[start:end]):
        return None
    inside = [p for p in people if start <= p[0] < end and p[3] in ("ORG", "PER")]
    return inside[0][2] if inside else None


_ISO_LOCAL = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:\d\d)?)?")


def _metadata(article: Article, text: str, title: str | None, removed: list[dict[str, Any]], lang: str | None) -> None:
    """Decide ``title``, ``published``, ``modified``, ``authors`` and ``site`` from all the
    evidence: the page's own (for HTML: JSON-LD, meta tags, ``<h1>``, trafilatura's and
    htmldate's findings), clean's removed lines (the headline, meta lines, bylines) and
    the input's own fields. Extract is these fields' only writer."""
    rec = article.record
    given = rec.get("html_meta") if isinstance(rec.get("html_meta"), dict) else None
    inp: dict[str, Any] = rec["input"] if isinstance(rec.get("input"), dict) else {}
    site_host = inp.get("url") if isinstance(inp.get("url"), str) else None
    found = meta.Meta()
    page: dict[str, Any] = {}
    if article.content_type == "html":
        page = meta.from_html(article.content, given)
        if given:
            # what trafilatura found stands where the page's own reading found nothing
            page = {**given, **{k: v for k, v in page.items() if v is not None}}
    if page:
        found.title = page.get("title") or None
        found.authors = list(page.get("authors") or [])
        found.site = page.get("site") or None
        site_host = site_host or page.get("url")
        if page.get("date"):
            stated = str(page["date"])
            # Already ISO 8601 (the page's own clock, with its time of day): kept as it is.
            found.published = stated if _ISO_LOCAL.fullmatch(stated) else dates.parse_date(stated, "en") or None
        if page.get("modified") and page.get("modified") != page.get("date"):
            stated = str(page["modified"])
            found.modified = stated if _ISO_LOCAL.fullmatch(stated) else dates.parse_date(stated, "en") or None
        for problem in page.get("problems") or []:
            article.add_error("extract", PLUGIN, problem)
    lines = [str(r.get("text", "")) for r in removed if r.get("role") in ("meta", "byline", "site", "line", "dateline")]
    if not lines and text:
        lines = text.splitlines()[:8]
    meta.from_lines(lines, lang, site_host, found)
    meta.from_dateline(text, lang, site_host, found)
    # the headline: the input's own title; else, for a page, the one decided from the
    # page's evidence; else the line clean removed as the headline; else, in a text, the
    # first line that is not a meta line
    headline = next((str(r["text"]) for r in removed if r.get("role") == "title" and r.get("text")), None)
    raw_title = inp.get("title")
    given_title = raw_title if isinstance(raw_title, str) and raw_title.strip() else None
    title = given_title or (found.title if article.content_type == "html" else None) or headline or title
    if not title and article.content_type == "text":
        title = next((line.strip() for line in article.content.splitlines()
                      if line.strip() and not meta.is_meta_line(line)), None)
    rec["title"] = title or found.title or None
    rec["published"] = found.published
    rec["modified"] = found.modified if found.modified != found.published else None
    rec["authors"] = found.authors
    rec["site"] = found.site
    _clamp(article)


#: The longest title kept (a longer one is cut at a word, and ``errors`` says so).
MAX_TITLE_CHARS = 300
#: The most authors kept (more is a list of names that is not a byline).
MAX_AUTHORS = 20


def _clamp(article: Article) -> None:
    """Bad input: an implausible date is dropped, an overlong title cut, an overlong author
    list cut to its first names; each with a one-line note in ``errors``."""
    rec = article.record
    for key in ("published", "modified"):
        why = dates.flag(rec[key])
        if why:
            article.add_error("extract", PLUGIN, f"{key} date {rec[key]} is {why}: dropped")
            rec[key] = None
    title = rec.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE_CHARS:
        cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-|") + "…"
        article.add_error("extract", PLUGIN, f"title of {len(title)} characters cut to {len(cut)}")
        rec["title"] = cut
    if len(rec["authors"]) > MAX_AUTHORS:
        article.add_error("extract", PLUGIN,
                          f"{len(rec['authors'])} authors: only the first {MAX_AUTHORS} kept")
        rec["authors"] = rec["authors"][:MAX_AUTHORS]

"""The translate stage: identify each passage's language, translate what is not in the
target language, and write ``segments`` and ``translation`` into the record."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from typing import Any

import structlog

from newsdesk import hookimpl
from newsdesk.article import Article
from newsdesk.config import Config
from newsdesk.record import body_so_far
from newsdesk_plugins.translate import numbers
from newsdesk_plugins.translate.broker import Broker
from newsdesk_plugins.translate.cache import Cache, key
from newsdesk_plugins.translate.engines import Engine, EngineError
from newsdesk_plugins.translate.langid import UNKNOWN, LanguageId, has_letters, script_of
from newsdesk_plugins.translate.segments import Segment, segment

log = structlog.get_logger("newsdesk.translate")
PLUGIN = "translate"
STAGE = "translate"


class Translator:
    """Holds the identifier, the engines and the cache (each built on first use)."""

    def __init__(self, target: str, lid: LanguageId, engines: list[Engine], cache: Cache | None,
                 max_segment_chars: int, max_chars: int, run_id: str | None = None,
                 broker: Broker | None = None) -> None:
        self.target = target
        self.lid = lid
        self.engines = engines
        self.cache = cache
        self.max_segment_chars = max_segment_chars
        self.max_chars = max_chars
        #: Names the run for the once-per-run warnings (set by newsdesk_configure).
        self.run_id = run_id or str(os.getpid())
        self._warned: set[str] = set()
        #: The shared Argos process this (main) process starts, if any.
        self.broker = broker

    def engine_for(self, src: str, tgt: str) -> Engine | None:
        """The first engine (in the configured order) installed for the pair."""
        for engine in self.engines:
            try:
                if engine.supports(src, tgt):
                    return engine
            except Exception:  # noqa: BLE001 - an engine that cannot tell is not used
                log.debug("engine check failed", engine=engine.name, exc_info=True)
        return None

    def warn_once(self, src: str, tgt: str, reason: str) -> None:
        """One warning per language pair per run (across workers, through the cache)."""
        pair = f"{src}-{tgt}"
        if pair in self._warned:
            return
        self._warned.add(pair)
        first = True
        if self.cache is not None:
            try:
                first = self.cache.first_warning(self.run_id, pair)
            except Exception:  # noqa: BLE001 - the warning is still given in this process
                log.debug("cache unavailable for warnings", exc_info=True)
        if first:
            log.warning("no translation engine for a language pair", pair=pair, reason=reason)

    @hookimpl
    def newsdesk_translate(self, article: Article) -> None:
        run(self, article)

    @hookimpl
    def newsdesk_startup(self, config: Config) -> None:
        """Start the shared Argos process when Argos packages are installed."""
        from newsdesk_plugins.translate.packages import installed

        if self.broker is None or not installed(self.broker.folder):
            return
        t0 = time.perf_counter()
        try:
            self.broker.start()
        except Exception as exc:  # noqa: BLE001 - workers then run the models themselves
            log.warning("the shared Argos process did not start; workers load the models",
                        error=str(exc), exc_info=True)
            return
        log.info("shared Argos process started", seconds=round(time.perf_counter() - t0, 2),
                 pid=self.broker.process.pid if self.broker.process is not None else None)

    @hookimpl
    def newsdesk_shutdown(self, config: Config) -> None:
        self.close()

    def close(self) -> None:
        if self.broker is not None:
            self.broker.stop()
        if self.cache is not None:
            self.cache.close()


def inputs(article: Article) -> tuple[str, str | None]:
    """Return (text, title): the body so far (clean's text, or the input itself when
    clean did not run) and the title so far, else the input's own."""
    body = body_so_far(article)
    return body.text, body.title or body.input_title


def translate_segments(tr: Translator, article: Article, segs: list[Segment], used: set[str]) -> None:
    """Translate ``segs`` in place, one batch per source language."""
    groups: dict[str, list[Segment]] = defaultdict(list)
    unknown = 0
    for seg in segs:
        if seg.lang == tr.target or not has_letters(seg.text, 1):
            continue
        if seg.lang is None:
            seg.note = "too little text to identify its language"
            continue
        if seg.lang == UNKNOWN:
            script = script_of(seg.text) or "no"
            seg.note = f"language not identified ({script.lower()} script, not among the expected languages)"
            unknown += 1
            continue
        groups[str(seg.lang)].append(seg)
    if unknown:
        article.add_error(STAGE, PLUGIN, f"{unknown} passage(s) in a language that could not be identified "
                                         "were kept untranslated")
    for src, group in groups.items():
        if not tr.engines:
            for seg in group:
                seg.note = "translation is off (no engine configured)"
            continue
        engine = tr.engine_for(src, tr.target)
        if engine is None:
            reason = f"no translation engine installed for {src}->{tr.target}"
            for seg in group:
                seg.note = reason
            tr.warn_once(src, tr.target, reason)
            continue
        _translate_group(tr, article, engine, src, group, used)


def _translate_group(tr: Translator, article: Article, engine: Engine, src: str,
                     group: list[Segment], used: set[str]) -> None:
    tgt = tr.target
    try:
        version = engine.version(src, tgt)
    except Exception as exc:  # noqa: BLE001
        version = f"unknown:{type(exc).__name__}"
    keys = [key(seg.text, src, tgt, engine.name, version) for seg in group]
    cached: dict[str, str] = {}
    if tr.cache is not None:
        try:
            cached = tr.cache.get_many(keys)
        except Exception as exc:  # noqa: BLE001 - no cache: translate anyway
            log.warning("translation cache unreadable", error=str(exc), exc_info=True)
    todo = [i for i, k in enumerate(keys) if k not in cached]
    fresh: dict[int, str] = {}
    if todo:
        try:
            answers = engine.translate([group[i].text for i in todo], src, tgt)
            if len(answers) != len(todo):
                raise EngineError(f"{engine.name} returned {len(answers)} translations for {len(todo)} passages")
            fresh = dict(zip(todo, answers, strict=True))
        except Exception as exc:  # noqa: BLE001 - an engine failing must not stop the article
            reason = str(exc) if isinstance(exc, EngineError) else f"{engine.name} failed: {type(exc).__name__}: {exc}"
            log.debug("engine failed", engine=engine.name, exc_info=True)
            article.add_error(STAGE, PLUGIN, f"{src}->{tgt}: {len(todo)} passage(s) kept untranslated: {reason}")
            for i in todo:
                group[i].note = f"translation failed: {reason}"
    store: list[tuple[str, str]] = []
    empty = 0
    for i, seg in enumerate(group):
        answer = cached.get(keys[i], fresh.get(i))
        if answer is None:
            continue
        if not answer.strip():
            seg.note = f"{engine.name} returned nothing"
            empty += 1
            continue
        seg.translation, seg.engine = answer, engine.name
        used.add(engine.name)
        if i in fresh:
            store.append((keys[i], answer))
        if numbers.mismatch(seg.text, answer):
            seg.numbers_mismatch = True
            seg.note = "the numbers in the translation differ from the original's"
    if empty:
        article.add_error(STAGE, PLUGIN, f"{src}->{tgt}: {engine.name} returned nothing for {empty} passage(s); "
                                         "kept untranslated")
    if store and tr.cache is not None:
        try:
            tr.cache.put_many(store)
        except Exception as exc:  # noqa: BLE001
            log.warning("translation cache not written", error=str(exc), exc_info=True)


def assemble(text: str, segs: list[Segment]) -> str:
    """The body in the target language: each segment's translation where it has one,
    the original elsewhere, the white space between them kept."""
    if all(seg.translation is None for seg in segs):
        return text
    out: list[str] = []
    pos = 0
    for seg in segs:
        out.append(text[pos : seg.start])
        out.append(seg.translation if seg.translation is not None else seg.text)
        pos = seg.end
    out.append(text[pos:])
    return "".join(out)


def run(tr: Translator, article: Article) -> None:
    rec = article.record
    t0 = time.perf_counter()
    text, title = inputs(article)
    if len(text) > tr.max_chars:
        article.add_error(STAGE, PLUGIN, f"text is {len(text)} characters; only the first {tr.max_chars} were translated")
        text = text[: tr.max_chars]
    hint = rec.get("lang") if isinstance(rec.get("lang"), str) else None
    if hint is not None and tr.lid.languages and hint not in tr.lid.languages:
        hint = None  # extract's guess, among all languages: not one this stage expects
    segs = segment(text, tr.lid, tr.max_segment_chars, hint)
    title_segs: list[Segment] = []
    if title and title.strip():
        if hint == tr.target and segs and all(seg.lang == tr.target for seg in segs):
            # The article is in the target language (extract's reading of its body, and
            # every passage here): its headline is too, without the model, which on a
            # line of a few words errs more often than that (see docs/plugins/translate.md).
            title_segs = [Segment(title, 0, len(title), tr.target)]
        else:
            title_segs = segment(title, tr.lid, tr.max_segment_chars,
                                 segs[0].lang if segs else hint)
    used: set[str] = set()
    translate_segments(tr, article, segs + title_segs, used)
    # One copy of the body in the record: the segments are spans into clean's ``text``
    # (which the record holds), and the translated body is null when it is that text.
    in_record = isinstance(rec.get("text"), str)
    body: str | None = assemble(text, segs)
    if in_record and body == rec["text"]:
        body = None
    translation: dict[str, Any] = {
        "lang": tr.target,
        "text": body,
        "title": assemble(title, title_segs) if title is not None else None,
        "engines": sorted(used),
        # False when a passage in another language was left as written (no engine,
        # an engine failure, a script no expected language uses): text is then mixed.
        "complete": all(s.translation is not None or s.lang in (tr.target, None)
                        for s in segs + title_segs),
    }
    notes = [s.note for s in title_segs if s.note]
    translation["title_note"] = notes[0] if notes else None
    rec["segments"] = [s.as_dict(with_text=not in_record) for s in segs]
    rec["translation"] = translation
    log.debug("translated", file=article.source.name, segments=len(segs),
              ms=round((time.perf_counter() - t0) * 1000, 1))

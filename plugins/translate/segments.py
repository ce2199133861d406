"""Cut a body into passages (paragraphs, and lines where a paragraph mixes languages),
each with its span into the text and its language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsdesk_plugins.translate.langid import LanguageId, Tally, combine

_SENTENCE_END = re.compile(r"[.!?…。]+[\"'”»)]*\s+")


@dataclass
class Segment:
    """One passage of the body: ``text == body[start:end]``."""

    text: str
    start: int
    end: int
    lang: str | None = None
    translation: str | None = None
    engine: str | None = None
    note: str | None = None
    numbers_mismatch: bool = False
    #: The identifier's confidence in ``lang`` (0 when inherited).
    confidence: float = field(default=0.0, repr=False)

    def as_dict(self, with_text: bool = False) -> dict[str, Any]:
        """The record's form: ``span`` locates the passage in the record's ``text``;
        ``with_text`` adds the passage itself (for a body the record does not hold)."""
        out: dict[str, Any] = {"text": self.text} if with_text else {}
        out.update({
            "lang": self.lang,
            "translation": self.translation,
            "engine": self.engine,
            "span": [self.start, self.end],
            "note": self.note,
            "numbers_mismatch": self.numbers_mismatch,
        })
        return out


def _chunks(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into pieces of at most ``max_chars``, at sentence ends
    where there is one, else at a space, else anywhere."""
    out: list[tuple[int, int]] = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for m in _SENTENCE_END.finditer(window):
            if m.end() > max_chars // 3:
                cut = m.end()
        if not cut:
            space = window.rfind(" ", max_chars // 3)
            cut = space + 1 if space > 0 else max_chars
        piece = text[start : start + cut]
        out.append((start, start + len(piece.rstrip())))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def paragraphs(text: str, max_chars: int) -> list[list[tuple[int, int]]]:
    """Return the paragraphs of ``text`` (blank-line separated), each a list of line
    spans (long lines cut into pieces of at most ``max_chars``), without surrounding
    white space."""
    paras: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip()
        if not stripped:
            if current:
                paras.append(current)
                current = []
            continue
        s += len(line) - len(line.lstrip())
        e -= len(line) - len(line.rstrip())
        current.extend(_chunks(text, s, e, max_chars))
    if current:
        paras.append(current)
    return paras


def segment(text: str, lid: LanguageId, max_chars: int, hint: str | None,
            break_confidence: float | None = None) -> list[Segment]:
    """Cut ``text`` into segments and give each a language.

    A paragraph is one segment in one language unless one of its lines is judged,
    with at least ``break_confidence`` (default: the identifier's ``min_confidence``),
    to be in another: then it is cut into runs of lines. Segments too short or too ambiguous to judge inherit the language of the
    segment before them (else the one after). When no segment could be judged, every
    segment takes ``hint`` (the article's language: for a title, its body's); without
    one the whole text is judged leniently, else None: too little text to tell.
    """
    if break_confidence is None:
        break_confidence = lid.min_confidence
    segs: list[Segment] = []
    for para in paragraphs(text, max_chars):
        p_start, p_end = para[0][0], para[-1][1]
        tallies = _line_tallies(text, para, lid)
        p_lang, p_conf = lid.judge(text[p_start:p_end], tally=combine(tallies) if tallies else None)
        units: list[tuple[int, int, str | None, float]] = []
        for i, (s, e) in enumerate(para):
            lang, conf = p_lang, p_conf
            if len(para) > 1:
                u_lang, u_conf = lid.judge(text[s:e], tally=tallies[i] if tallies else None)
                if u_lang is not None and u_lang != p_lang and (u_conf >= break_confidence or p_lang is None):
                    lang, conf = u_lang, u_conf
            units.append((s, e, lang, conf))
        run_s, run_e, run_lang, run_conf = units[0]
        for s, e, lang, conf in units[1:]:
            if lang == run_lang and e - run_s <= max_chars:
                run_e = e
                run_conf = max(run_conf, conf)
                continue
            segs.append(Segment(text[run_s:run_e], run_s, run_e, run_lang, confidence=run_conf))
            run_s, run_e, run_lang, run_conf = s, e, lang, conf
        segs.append(Segment(text[run_s:run_e], run_s, run_e, run_lang, confidence=run_conf))
    if segs and all(s.lang is None for s in segs) and hint is None:
        hint, _conf = lid.judge(text, relaxed=True)
    inherit(segs, hint)
    return segs


def _line_tallies(text: str, para: list[tuple[int, int]], lid: LanguageId) -> list[Tally] | None:
    """The function-word counts of each line of a paragraph of several lines (the
    paragraph's are their sum), or None: one line, no check, or two pieces of a line cut
    inside a word (no white space between them, so their words are not the line's)."""
    if len(para) < 2 or any(not text[e:s].isspace() for (_, e), (s, _) in zip(para, para[1:], strict=False)):
        return None
    tallies = []
    for s, e in para:
        tally = lid.tally(text[s:e])
        if tally is None:
            return None
        tallies.append(tally)
    return tallies


def inherit(segs: list[Segment], hint: str | None) -> None:
    """Give each segment without a language its neighbours' (before, then after), else ``hint``."""
    known = [i for i, s in enumerate(segs) if s.lang is not None]
    for i, seg in enumerate(segs):
        if seg.lang is not None:
            continue
        before = [k for k in known if k < i]
        after = [k for k in known if k > i]
        if before:
            seg.lang = segs[before[-1]].lang
        elif after:
            seg.lang = segs[after[0]].lang
        else:
            seg.lang = hint

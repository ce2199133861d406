"""The line cleaner: decides for every line whether it is story or junk, and which junk.

It works in passes over the lines of one article:

1. each line's own shape and cue words (:mod:`patterns`): meta, byline, credit,
   caption + credit, share, legal, nav, form, prompt, category, site, and the
   lead-ins that open a section (related, bio, comment, form);
2. the story region: lines of running prose (length, terminal punctuation,
   stop-word density) grouped into clusters separated by long gaps; the
   heaviest cluster, with clusters near it of comparable weight, is the story;
3. the head zone before it (title, category, nav) and the tail zone after it
   (signature, teasers, nav), with short story lines adjacent to the region
   kept (a one-sentence paragraph, a "– said X" line);
4. sections opened by a lead-in (teasers after "see also", the author box after
   "About the author", comments after a comments header) and repeats (the title
   again, a caption again, a line seen in many articles of the same site);
5. furniture found by its structure wherever it stands: embedded social-media
   posts, "(L-R)" captions, sentences alone in parentheses, an author's card,
   an editor's note at either end of the story, a sign-up box closing the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, islice

from newsdesk_plugins.clean import features, patterns
from newsdesk_plugins.clean.features import LineStats
from newsdesk_plugins.clean.lexicon import Lexicon
from newsdesk_plugins.clean.textnorm import key

#: The roles a removed line can have (documented in docs/plugins/clean.md).
ROLES = (
    "title", "duplicate", "meta", "byline", "signature", "site", "caption", "credit",
    "teaser", "related", "bio", "comment", "form", "prompt", "share", "nav", "legal",
    "category", "repeated",
)


_LIST_MARKS = ("- ", "* ", "• ", "· ", "– ")
#: The marks a list of links under a "see also" lead-in may have: bullets and dashes.
_LINK_MARKS = ("- ", "• ", "* ", "· ", "– ", "— ")
#: A comments header followed by a commenter's time stamp opens the comments even when
#: they outweigh the story, once this share of the article's prose stands before it.
COMMENTS_MIN_BEFORE = 0.2


@dataclass
class Line:
    text: str
    st: LineStats
    role: str | None = None
    key: str = ""
    #: When a line is split (a caption with its credit glued on): the parts and roles.
    parts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Cleaned:
    """The outcome of cleaning one article."""

    title: str | None
    paragraphs: list[str]
    removed: list[dict[str, str]]
    lang: str
    #: The comparison key (:func:`textnorm.key`) of each line cleaned, in order.
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    """Tuning of the line cleaner (from the ``[clean]`` configuration section)."""

    #: What a line that is not running prose costs the story region, in characters.
    penalty: float = 120.0
    trusted: bool = False
    #: The share of the penalty a line costs in an extractor's output.
    trusted_factor: float = 0.1


#: A photo caption opening with the order of the people in the picture: "(L-R) …",
#: "L–R: …", "(From left) …", "(Слева направо) …", "(Von links) …", "(Od lewej) …",
#: "(De izquierda a derecha) …", "(De gauche à droite) …", "(Da sinistra) …".
_CAPTION_MARK = re.compile(
    r"^(?:\((?:l\s*[-–—/]\s*r|r\s*[-–—/]\s*l|from left(?: to right)?|слева направо|справа налево|von links(?: nach rechts)?"
    r"|od lewej|de izquierda a derecha|de gauche à droite|da sinistra(?: a destra)?)\.?\)|l\s*[-–—/]\s*r\s*:)\s*\S",
    re.IGNORECASE)
_CAPTION_OPENERS = frozenset("(Ll")
#: The attribution under an embedded social-media post: "— Name (@handle) May 3, 2024".
_POST_BY = re.compile(r"^[—–-]\s*[^()]{1,60}\(@\w{1,30}\)")
#: A link closing the text of an embedded post.
_POST_LINK = re.compile(r"(?:https?://|pic\.)\S+$")


def _embedded_post(lines: list[Line], i: int) -> None:
    """An embedded social-media post: its attribution line ``lines[i]`` (a dash, the
    author, the ``(@handle)``, the date) is a ``credit``, and the post's text just above
    it, when it ends with the post's link, a ``caption``."""
    ln = lines[i]
    if ln.st.words > 16 or not ln.st.date_tokens or not _POST_BY.match(ln.text):
        return
    ln.role = "credit"
    if i > 0 and lines[i - 1].role is None and _POST_LINK.search(lines[i - 1].text):
        lines[i - 1].role = "caption"


def _is_headline(ln: Line) -> bool:
    st = ln.st
    return ln.role is None and 2 <= st.words <= 30 and not ln.text.rstrip().endswith((".", ";", ",", "…", "..."))


def _is_soft(ln: Line) -> bool:
    """A short line that may still be story: a sentence, or a dash attribution."""
    st = ln.st
    text = ln.text
    if ln.role is not None:
        return False
    if text.startswith(("–", "—", "- ", "―")) and st.words >= 2:
        return True
    if text.endswith(("…", "...")) or not st.terminal:
        return False
    if st.words >= 3 and st.lower_ratio >= 0.3:
        return True
    return st.words >= 2 and text.endswith((".", "!", "?")) and st.stop_ratio > 0


def clean_lines(
    texts: list[str],
    lex: Lexicon,
    *,
    title_hint: str | None = None,
    site_names: tuple[str, ...] = (),
    repeated: frozenset[str] | set[str] = frozenset(),
    options: Options = Options(),
) -> Cleaned:
    """Classify ``texts`` (normalised non-empty lines) into story and removed lines."""
    per_line = [features.words_of(t) for t in texts]
    # each line's words case-folded once, for the language guess, the stop words and the cues
    folded = [tuple(" ".join(ws).casefold().split(" ")) if ws else () for ws in per_line]
    lang = features.guess_lang(list(islice(chain.from_iterable(folded), 250)), folded=True)
    stop = features.stopwords()[lang]
    cyrillic = features.has_cyrillic("\n".join(texts))
    lines = [
        Line(t, features.stats(t, stop, ws, fw, cyrillic), key=key(t))
        for t, ws, fw in zip(texts, per_line, folded, strict=True)
    ]
    site_keys = {key(s) for s in site_names if s and key(s)}
    title_key = key(title_hint) if title_hint else ""

    # 1. shape and cue words
    for i, ln in enumerate(lines):
        ln.role = patterns.role_of(ln.text, ln.st, lex)
        if ln.role is None and site_keys and ln.key in site_keys:
            ln.role = "site"
        if ln.role is None:
            split = patterns.split_caption_credit(ln.text, ln.st, lex)
            if split:
                ln.role = "caption"
                ln.parts = [(split[0], "caption"), (split[1], "credit")]
            elif ln.text[:1] in _CAPTION_OPENERS and ln.st.words <= 70 and _CAPTION_MARK.match(ln.text):
                ln.role = "caption"
            elif ln.text[:1] == "(" and ln.text.endswith((".)", "!)", "?)")) and 3 <= ln.st.words <= 25 \
                    and ln.text.count("(") == 1:
                # a sentence standing alone in parentheses: a pointer to another story
                ln.role = "teaser"
            elif "(@" in ln.text:
                _embedded_post(lines, i)
    # a caption seen again without its credit
    captions = {key(p) for ln in lines for p, r in ln.parts if r == "caption"}
    for ln in lines:
        if ln.role is None and ln.st.words <= 12 and ln.key in captions:
            ln.role = "caption"
    # the title given by the input or the page, and its repeats
    title: str | None = title_hint.strip() if title_hint else None
    if title_key:
        seen_title = False
        for ln in lines:
            if ln.key == title_key:
                ln.role = "duplicate" if seen_title else "title"
                ln.parts = []
                seen_title = True

    # sections opened by a lead-in (before the region, so an author box is not story)
    _sections(lines, None)
    # 2. the story region
    # a text in a language without stop-word lists here (Chinese, say) is judged by
    # length and punctuation alone
    scored = any(ln.st.stop_ratio > 0 for ln in lines)
    good = [
        i for i, ln in enumerate(lines)
        if ln.role is None and not ln.text.endswith(("…", "..."))
        and ((ln.st.prose_loose if options.trusted else ln.st.prose) if scored
             else (len(ln.text) >= 60 or (ln.st.terminal and len(ln.text) >= 6)))
    ]
    if good:
        # an extractor's output is mostly story: its lines that are not prose cost less
        region_options = Options(options.penalty * options.trusted_factor, True) if options.trusted else options
        start, end = _region(lines, good, region_options)
        if options.trusted:
            # an extractor's output: keep its head, judge only its tail
            free = [i for i, ln in enumerate(lines) if ln.role is None and ln.role != "title"]
            start = min(start, free[0]) if free else start
    else:
        soft = [i for i, ln in enumerate(lines) if _is_soft(ln)]
        start, end = (soft[0], soft[-1]) if soft else (len(lines), -1)

    # 3a. head zone: the title and what stands around it
    if title is None and start > 0:
        head = [i for i in range(min(start, len(lines))) if _is_headline(lines[i])]
        keys = [lines[i].key for i in head]
        repeated_heads = [i for i, k in zip(head, keys, strict=True) if keys.count(k) > 1]
        last = head[-3:]
        longest = max(last, key=lambda i: lines[i].st.words) if last else None
        pick = repeated_heads[0] if repeated_heads else longest
        if pick is not None:
            title = lines[pick].text
            title_key = key(title)
            seen = False
            for ln in lines:
                if ln.key == title_key:
                    ln.role = "duplicate" if seen else "title"
                    seen = True
    # short story lines just before the region (a lead sentence)
    while start > 0 and start <= len(lines) and _is_soft(lines[start - 1]):
        start -= 1
    # and just after it (a one-sentence ending, a "– said X" line)
    while end + 1 < len(lines) and end >= 0 and _is_soft(lines[end + 1]):
        end += 1
    # a notice closing the story: a copyright or privacy paragraph is too long for the
    # per-line legal check, but at the very end of the story, in a story that does not
    # itself speak of copyright or privacy, it is the page's fine print (two at most)
    if end >= start >= 0 and _legal_notice(lines[end], lex):
        notices = [end]
        k = end - 1
        while k >= start and lines[k].role is not None:
            k -= 1
        if k >= start and _legal_notice(lines[k], lex):
            notices.append(k)
        if not any(_legal_notice(lines[i], lex) for i in range(start, min(notices)) if lines[i].st.prose):
            for i in notices:
                lines[i].role = "legal"
            end = min(notices) - 1
            while end >= start and lines[end].role is not None:
                end -= 1
    # an editor's note at either end of the story ("This article was first published ...")
    if end >= start >= 0:
        start, end = _editors_notes(lines, start, end, lex)
    # a sign-off right at the end of the story
    for i in range(end, max(start - 1, end - 3), -1):
        ln = lines[i]
        if ln.role is None and not ln.st.prose and patterns.signature_like(ln.text, ln.st, lex):
            ln.role = "signature"
        elif ln.role is None:
            break
    title_idx = next((i for i, ln in enumerate(lines) if ln.role == "title"), -1)
    for i in range(0, min(start, len(lines))):
        ln = lines[i]
        if ln.role is None:
            near_title = title_idx >= 0 and abs(i - title_idx) == 1
            ln.role = "category" if near_title and ln.st.words <= 3 else "nav"
    # an author box closing the article ("X is a reporter ...; her work has appeared in ...")
    for i in range(max(0, min(start + (end - start) * 2 // 3, len(lines) - 3)), len(lines)):
        ln = lines[i]
        if ln.role is None and i >= start and ln.st.words <= 70 and patterns.bio_like(ln.text, ln.st, lex):
            ln.role = "bio"
            if i <= end:
                end = i - 1
    # an author's card closing the story: the name, then paragraphs about that person
    # (not in an extractor's output, which has left the page's author box out already:
    # a name and paragraphs about that person there are a profile in the story)
    card = (_author_card(lines, start + (end - start) * 2 // 3, end)
            if end > start >= 0 and not options.trusted else None)
    if card is not None:
        for i in range(card, end + 1):
            if lines[i].role in (None, "byline"):
                lines[i].role = "bio"
        end = card - 1
        while end >= start and lines[end].role is not None:
            end -= 1
    # 3b. tail zone
    for i in range(end + 1, len(lines)):
        ln = lines[i]
        if ln.role is None:
            if patterns.signature_like(ln.text, ln.st, lex) and i <= end + 2:
                ln.role = "signature"
            elif ln.text.endswith(("…", "...")) or ln.st.words >= 8:
                ln.role = "teaser"
            else:
                ln.role = "nav"

    _sections(lines, end)
    _closing_prompt(lines)
    # an author's card about the article's own author, wherever it stands
    _about_author(lines, lex)
    # repeats: a line seen on many pages of the site, a story line twice
    seen_story: set[str] = set()
    for ln in lines:
        line_key = ln.key
        if ln.role is None:
            if line_key in repeated and ln.st.words <= 40:
                ln.role = "repeated"
            elif line_key and line_key in seen_story and ln.st.words >= 6 and not ln.text.startswith(_LIST_MARKS):
                ln.role = "duplicate"
            else:
                seen_story.add(line_key)

    paragraphs = [ln.text for ln in lines if ln.role is None]
    removed: list[dict[str, str]] = []
    for ln in lines:
        if ln.role is None:
            continue
        if ln.parts:
            removed.extend({"text": p, "role": r} for p, r in ln.parts)
        else:
            removed.append({"text": ln.text, "role": ln.role})
    return Cleaned(title=title, paragraphs=paragraphs, removed=removed, lang=lang, keys=[ln.key for ln in lines])


#: The longest paragraph taken as part of an author's card.
CARD_WORDS = 120
#: Within how many words from its start a card's paragraph names the author
#: ("Senior editor at the magazine, Anna Kowalski has ...").
CARD_REACH = 10


def _name_words(ln: Line) -> list[str]:
    """The capitalised words of three letters or more of a short name line ("Anna
    Kowalski", or a byline "Author: Anna Kowalski, Editor"; a lead-in word kept
    among them is harmless, a story paragraph seldom opens with it)."""
    return [w.casefold() for w in features.words_of(ln.text) if w[0].isupper() and len(w) >= 3]


def _names_open(ln: Line, names: list[str]) -> bool:
    """``ln`` speaks of the named person within its first :data:`CARD_REACH` words ("Karen's career ...")."""
    head = ln.st.folded[:CARD_REACH]
    return any(h == n or h.startswith((n + "'", n + "’")) for h in head for n in names)


def _author_card(lines: list[Line], lo: int, end: int) -> int | None:
    """Return where an author's card closing the story begins, or None.

    The card is a short name line (or a byline, or the line after an "About the
    author" lead-in) followed by one or two paragraphs that name that person in
    their first :data:`CARD_REACH` words, with no running prose after them in the story: what
    the publisher writes about its author, in any language. A profile inside the
    story, with more story after it, is not taken.
    """
    for i in range(max(lo, 0), end):
        name = lines[i]
        if not 2 <= name.st.words <= 6 or name.st.terminal or name.role not in (None, "byline", "bio"):
            continue
        after = lines[i + 1]
        if after.role is not None or not 8 <= after.st.words <= CARD_WORDS:
            continue
        names = _name_words(name)
        if not names:
            continue
        k = i + 1
        taken = 0
        while k <= end and taken < 2:
            p = lines[k]
            if p.role is not None or not 8 <= p.st.words <= CARD_WORDS or not _names_open(p, names):
                break
            taken += 1
            k += 1
        if not taken:
            continue
        if any(lines[j].role is None and lines[j].st.prose for j in range(k, end + 1)):
            continue
        return i
    return None


#: How many lines a reader-prompt header closing the article takes with it, and their longest.
PROMPT_BOX_LINES = 2
PROMPT_BOX_WORDS = 30


def _closing_prompt(lines: list[Line]) -> None:
    """A sign-up box closing the article: a short prompt header ("Newsletter",
    "Подпишитесь") with at most :data:`PROMPT_BOX_LINES` short lines of the article
    left after it; those lines are the box's pitch ("Get the best stories in your
    inbox.") and go as ``prompt`` too."""
    n = len(lines)
    for i in range(n - 1, max(-1, n - 2 - 2 * PROMPT_BOX_LINES), -1):
        ln = lines[i]
        if ln.role != "prompt" or ln.st.words > 4 or ln.st.terminal and not ln.text.endswith(("!", ":")):
            continue
        # the story's own lines, or lines the tail zone took for teasers
        rest = [k for k in range(i + 1, n) if lines[k].role in (None, "teaser")]
        if 0 < len(rest) <= PROMPT_BOX_LINES and all(lines[k].st.words <= PROMPT_BOX_WORDS for k in rest):
            for k in rest:
                lines[k].role = "prompt"
        return


def _byline_names(lines: list[Line], lex: Lexicon) -> set[tuple[str, str]]:
    """The authors' names of the article's bylines, as (first, second) case-folded words:
    the first two capitalised words after the byline's lead-in ("By Anna Kowalski, May 3")."""
    names: set[tuple[str, str]] = set()
    for ln in lines:
        if ln.role != "byline":
            continue
        m = lex.lead("byline", ln.text, ln.st.folded or None)
        words = features.words_of(ln.text[m.end():] if m else ln.text)[:2]
        if len(words) == 2 and all(w[0].isupper() and len(w) >= 2 for w in words):
            names.add((words[0].casefold(), words[1].casefold()))
    return names


def _about_author(lines: list[Line], lex: Lexicon) -> None:
    """Give the role ``bio`` to an author-box sentence ("Name is a reporter ...",
    :func:`patterns.bio_like`) anywhere in the article when the name is the one in the
    article's byline: the page's card about its own author, which may stand above the
    story as well as below it. A sentence about another journalist stays."""
    names: set[tuple[str, str]] | None = None
    for ln in lines:
        if ln.role is not None or ln.st.words > 70 or len(ln.st.folded) < 2:
            continue
        pair = (ln.st.folded[0], ln.st.folded[1])
        if names is None:
            names = _byline_names(lines, lex)
            if not names:
                return
        if pair in names and patterns.bio_like(ln.text, ln.st, lex):
            ln.role = "bio"


#: The longest line taken as an editor's note.
NOTE_WORDS = 30


def _editors_notes(lines: list[Line], start: int, end: int, lex: Lexicon) -> tuple[int, int]:
    """Give the role ``meta`` to an editor's note about the article itself ("This
    article was originally published on ...", "edited and condensed for clarity": the
    ``meta`` table's ``any`` cues) standing as the story's first or last line, and
    return the story's new first and last lines. Inside the story such words may be
    the story's own ("the novel, originally published in 1954") and are left alone."""
    ends = [i for i in (start, end) if lines[i].role is None]
    for i in sorted(set(ends)):
        ln = lines[i]
        words = ln.st.folded
        if ln.st.words <= NOTE_WORDS and lex.any_phrase(ln.text, words) and lex.has_any("meta", ln.text, words):
            ln.role = "meta"
    while start <= end and lines[start].role is not None:
        start += 1
    while end >= start and lines[end].role is not None:
        end -= 1
    return start, end


#: The longest closing line taken as a legal notice (a copyright paragraph).
LEGAL_NOTICE_WORDS = 80


def _legal_notice(ln: Line, lex: Lexicon) -> bool:
    """A closing paragraph of fine print: a legal cue (copyright, all rights reserved,
    privacy policy) in a line of at most :data:`LEGAL_NOTICE_WORDS` words that is not a quote."""
    return (ln.role is None and ln.st.words <= LEGAL_NOTICE_WORDS and not ln.text.startswith(("\"", "“", "«", "„"))
            and lex.has_any("legal", ln.text, ln.st.folded or None))


def _weight(ln: Line, good: bool, options: Options) -> float:
    """A line's contribution to the story region: its length when it is running prose,
    a penalty when it is not (smaller for lines a story also has: a subheading,
    a list item, a short sentence, a caption)."""
    if good:
        return float(len(ln.text))
    if ln.role in ("title", "duplicate", "caption", "credit"):
        return -options.penalty * 0.1
    if ln.role in ("meta", "byline"):
        return -options.penalty * 0.5
    if ln.role in ("related", "teaser", "share"):
        return -options.penalty * 0.5
    if ln.role is not None:
        return -float(options.penalty)
    if ln.st.words >= 4 and (ln.st.terminal or ln.st.stop_ratio >= 0.2):
        return -options.penalty * 0.25
    if ln.st.words >= 3:
        return -options.penalty * 0.5
    return -float(options.penalty)


def _region(lines: list[Line], good: list[int], options: Options) -> tuple[int, int]:
    """Return the first and last index of the story: the run of lines whose summed
    weights (:func:`_weight`) is largest, a maximum-sum subarray."""
    goodset = set(good)
    best_sum, best = float("-inf"), (good[0], good[0])
    run, run_start = 0.0, 0
    for i, ln in enumerate(lines):
        w = _weight(ln, i in goodset, options)
        if run <= 0:
            run, run_start = w, i
        else:
            run += w
        if run > best_sum and i in goodset:
            best_sum, best = run, (run_start, i)
    lo, hi = best
    while lo not in goodset:
        lo += 1
    return lo, hi


def _sections(lines: list[Line], end: int | None) -> None:
    """Give the lines after a section lead-in the section's role.

    A comments or reply-form header takes every line after it, once the story
    region is known (``end``, its last line) and only a header after the story,
    when most of the article's prose stands before it.
    """
    i = 0
    n = len(lines)
    # the prose standing after each line, to judge a comments or form header by (only
    # when there is one: the loop below gives neither role, and most articles have none)
    suffix = [0] * (n + 1)
    if any(ln.role in ("comment", "form") for ln in lines):
        for k in range(n - 1, -1, -1):
            ln = lines[k]
            suffix[k] = suffix[k + 1] + (len(ln.text) if ln.st.prose and ln.role is None else 0)
    total = suffix[0]
    while i < n:
        role = lines[i].role
        if role == "related":
            j = i + 1
            # the headlines of other stories and their leads, if cut short
            while j < n and lines[j].role is None and j <= i + 12:
                t = lines[j]
                listed = t.text.startswith(_LINK_MARKS) and t.st.words <= 25
                headline = _is_headline(t) or (t.role is None and t.st.words >= 1 and not t.st.terminal)
                if listed or (j <= i + 2 and (headline or t.text.endswith(("…", "...")))):
                    t.role = "teaser"
                    j += 1
                else:
                    break
            i = j
            continue
        if role == "bio":
            j = i + 1
            if j < n and lines[j].role in (None, "teaser", "nav"):
                lines[j].role = "bio"
            i = j + 1
            continue
        # a comments header opens the comments when most of the prose stands before it,
        # or when a commenter's time stamp follows it and some of the story stands before it
        if role in ("comment", "form") and (suffix[i] * 2 < total or (
                role == "comment" and total - suffix[i] >= COMMENTS_MIN_BEFORE * total
                and any(lines[k].role == "meta" for k in range(i + 1, min(n, i + 3))))):
            for j in range(i + 1, n):
                if lines[j].role in (None, "teaser", "nav", "meta", "share"):
                    lines[j].role = role
            return
        i += 1

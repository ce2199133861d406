"""Roles a line has by its own shape and cue words, whatever its neighbours."""

from __future__ import annotations

import re

from newsdesk_plugins.clean.features import _WORD, LineStats, _month_names
from newsdesk_plugins.clean.lexicon import Lexicon, words_of

_SLASH_CREDIT = re.compile(r"^[\w.'&()-]+(?: [\w.'&()-]+){0,3}(?:\s*/\s*[\w.'&()-]+(?: [\w.'&()-]+){0,3})+$")
_GLUED_CREDIT = re.compile(r"^(.{3,}?[a-zà-ÿа-яёąćęłńóśźż)\"”»])((?:[A-Z][\w.&'-]*)(?: [A-Z][\w.&'-]*){0,2}(?:\s*/\s*[\w.&'-]+(?: [\w.&'-]+){0,2})+)$")
_INITIALS = re.compile(r"^[(\[]?[\w.]{1,8}(?:\s*[/,]\s*[\w.]{1,12}){1,3}[)\]]?$")
_PARENS = re.compile(r"^[(\[][^()\[\]]{1,40}[)\]]$")
_BREADCRUMB = re.compile(r"\s(?:>|»|›|\||•|·)\s")
_COUNTER = re.compile(r"^[\d\s.,kKmMкКтыс]+$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/?$", re.IGNORECASE)
_DATE_PIECES = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?|\d+", re.UNICODE
)
#: A caption sentence with its credit in parentheses: "The mayor at the pier. (Jane Doe/AP)".
_PAREN_CREDIT = re.compile(r"^(.{10,}[.!?”\"])\s*\(([^()]{2,60})\)$")
#: A caption sentence with its credit after it: "The crater at dawn. Credit: Jane Doe."
_SENTENCE_CREDIT = re.compile(r"^(.{10,}?[.!?])\s+([^\W\d_][\w ]{0,24}?)\s*:\s*([^.:!?]{1,60}\.?)$")
_LEADING_COUNT = re.compile(r"^\(?\d+\)?\s+")
_SECTION_ROLES = ("related", "bio", "comment", "form")


def _rest_after(match: re.Match[str] | None, line: str) -> str:
    return line[match.end():] if match else line


def _capitalised_share(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def meta_line(line: str, st: LineStats, lex: Lexicon) -> bool:
    """A Posted/Updated line or a bare dateline: dates and times, at most two other words."""
    if not st.date_tokens or st.words > 14:
        return False
    rest = _DATE_PIECES.sub(" ", line)
    months = _month_names()
    meta_words = lex.meta_words
    other = [f for f in (w.casefold() for w in _WORD.findall(rest)) if f not in months and f not in meta_words]
    return len(other) <= 1 or (len(other) <= 3 and st.date_tokens >= 3)


def _photo_lead(label: str, lex: Lexicon) -> bool:
    """Whether ``label`` is a photo-credit lead-in ("Credit", "Photo", "Фото"), not one a
    story's source line also has ("Source", "Quelle", "Źródło")."""
    folded = label.strip().casefold()
    credit = lex.cues.get("credit")
    signature = lex.cues.get("signature")
    return (credit is not None and folded in credit.lead
            and not (signature is not None and folded in signature.lead) and folded not in ("fuente", "fonte"))


def split_caption_credit(line: str, st: LineStats, lex: Lexicon) -> tuple[str, str] | None:
    """Return ``(caption, credit)`` when a credit is glued to the end of a short caption."""
    if st.words > 40:
        return None
    if line.endswith(")") and "(" in line:
        m = _PAREN_CREDIT.match(line)
        if m and len(_WORD.findall(m.group(2))) <= 5 and _capitalised_share(m.group(2)) >= 0.5:
            return m.group(1).strip(), m.group(2).strip()
    if line.endswith(".") and ": " in line[-50:] and st.words <= 45:
        m5 = _SENTENCE_CREDIT.match(line)
        if m5 and _photo_lead(m5.group(2), lex) and len(_WORD.findall(m5.group(3))) <= 6 \
                and _capitalised_share(m5.group(3)) >= 0.5:
            return m5.group(1).strip(), line[m5.start(2):].strip()
    if st.words > 30 or line.rstrip().endswith((".", "!", "?")):
        return None
    if "/" not in line and lex.credit_words.isdisjoint(st.folded or words_of(line)):
        return None
    m = _GLUED_CREDIT.match(line)
    if m and len(_WORD.findall(m.group(1))) >= 1:
        return m.group(1).strip(), m.group(2).strip()
    m2 = lex.credit_mid_re.match(line) if lex.credit_mid_re is not None else None
    if m2 and len(_WORD.findall(m2.group(1))) >= 2:
        return m2.group(1).strip(" .,;|("), m2.group(2).strip()
    m4 = _PAREN_CREDIT.match(line)
    if m4 and len(_WORD.findall(m4.group(2))) <= 5 and _capitalised_share(m4.group(2)) >= 0.5:
        return m4.group(1).strip(), m4.group(2).strip()
    if lex.agency_tail_re is not None:
        m3 = lex.agency_tail_re.search(line)
        if m3 and m3.start() > 0:
            head = line[: m3.start()].strip()
            tail = line[m3.start():].strip()
            hw = len(_WORD.findall(head))
            if 1 <= hw <= 15 and not head.endswith((".", ":", ",")) and _capitalised_share(tail) > 0:
                return head, tail
    return None


def role_of(line: str, st: LineStats, lex: Lexicon) -> str | None:
    """Return the junk role ``line`` has on its own, or None when it may be story."""
    words = st.folded or words_of(line)
    # the roles whose lead-in cues may open this line (by its first word)
    led = lex.lead_roles(line, words)
    long_prose = st.prose and st.words > 15
    # one search for the phrase cues of every role; most lines have none
    phrases = st.words <= 25 and lex.any_phrase(line, words)
    # and one look-up for the single-word cues: a role's "any" cues can occur in the line
    # only when it is among these roles, or the line holds a phrase cue
    cued = lex.any_roles(line, words) if st.words <= 25 else frozenset()
    if st.words <= 25 and (line.startswith("©") or (
            (phrases or "legal" in cued) and lex.has_any("legal", line, words, phrases))):
        if not long_prose or line.startswith("©"):
            return "legal"
    if long_prose:
        return None
    if st.words <= 10:
        by = lex.lead("byline", line, words) if "byline" in led else None
        if by:
            rest = _rest_after(by, line)
            if rest and _capitalised_share(rest) >= 0.5 and not rest.rstrip().endswith("."):
                return "byline"
            if not rest.strip() and st.words <= 2:
                return "byline"
    if meta_line(line, st, lex):
        return "meta"
    m = lex.lead("credit", line, words) if "credit" in led else None
    if m and st.words <= 14 and (":" in line[: m.end() + 2] or "/" in line or "©" in line):
        return "credit"
    if m and st.words <= 8 and not st.terminal and _capitalised_share(_rest_after(m, line)) >= 0.5:
        return "credit"
    if st.words <= 10 and "/" in line and _SLASH_CREDIT.match(line) and _capitalised_share(line) >= 0.5:
        mid = lex.credit_mid_re.match(line) if lex.credit_mid_re is not None else None
        if not _GLUED_CREDIT.match(line) and not (mid and len(_WORD.findall(mid.group(1))) >= 2):
            return "credit"
    if st.words <= 20:
        related = lex.lead("related", line, words) if "related" in led else None
        if related:
            rest = _rest_after(related, line)
            if not rest or not rest.rstrip().endswith((".", "!", "?")) or st.words <= 6:
                return "related"
    if st.words <= 5 and not st.terminal:
        bio = lex.lead("bio", line, words) if "bio" in led else None
        if bio:
            rest = _rest_after(bio, line)
            if not rest or (_capitalised_share(rest) == 1.0 and len(_WORD.findall(rest)) <= 3):
                return "bio"
    form = lex.lead("form", line, words) if "form" in led else None
    if form:
        rest = _rest_after(form, line)
        if st.words <= 3 or (st.words <= 16 and len(_WORD.findall(rest)) <= 12 and len(rest) < len(line) * 0.8):
            return "form"
    if st.words <= 4:
        # a comments header may open with its count: "(12) Comments", "3 comments"
        counted = line[:1] == "(" or line[:1].isdigit()
        if counted:
            cm = lex.lead("comment", _LEADING_COUNT.sub("", line))
        else:
            cm = lex.lead("comment", line, words) if "comment" in led else None
        if cm and (not _rest_after(cm, line).strip() or st.digits or st.words <= 2):
            return "comment"
    if st.words > 15:
        if " | " in line and _link_row(line):
            return "nav"
        # the cues below are of short lines, but for a domain name
        return "site" if "." in line and _DOMAIN.match(line) else None
    if (phrases or "prompt" in cued) and lex.has_any("prompt", line, words, phrases):
        return "prompt"
    if st.words <= 8 and (phrases or "share" in cued) and st.tokens \
            and lex.count_any("share", line, words, phrases) >= max(1, 0.6 * max(st.words, 1)):
        return "share"
    if len(line) <= 12 and _COUNTER.match(line):
        return "share"
    if ":" in line[:30] and "category" in led and lex.lead("category", line, words):
        return "category"
    if not st.terminal and len(_BREADCRUMB.findall(line)) >= 2:
        return "nav"
    if st.words <= 5 and (phrases or "nav" in cued) and lex.coverage("nav", line, words, phrases) >= 0.6:
        return "nav"
    if "." in line and _DOMAIN.match(line):
        return "site"
    if (2 <= st.words <= 5 and not st.terminal and not ("signature" in led and lex.lead("signature", line, words))
            and (phrases or "site" in cued) and lex.has_any("site", line, words, phrases)
            and _capitalised_share(line) >= 0.6):
        return "site"
    return None


#: The fewest " | " separators of a row of links, and the most words of one of its links.
LINK_ROW_BARS = 3
LINK_ROW_WORDS = 6


def _link_row(line: str) -> bool:
    """A long row of links: at least :data:`LINK_ROW_BARS` " | " separators between
    short items (at most :data:`LINK_ROW_WORDS` words, none closing a sentence), not a
    table row (trafilatura writes those between bars: "| a | b |")."""
    if line.startswith("|") or line.count(" | ") < LINK_ROW_BARS:
        return False
    items = line.split(" | ")
    return all(len(_WORD.findall(item)) <= LINK_ROW_WORDS and not item.rstrip().endswith((".", "!", "?"))
               for item in items)


def signature_like(line: str, st: LineStats, lex: Lexicon) -> bool:
    """A sign-off after the story: an agency, editor initials, "(jk/dpa)", "Source: TASS"."""
    if st.words > 6 or line.rstrip().endswith((".", "!", "?")) and not _PARENS.match(line):
        return False
    core = line.strip(" -–—()[]")
    if lex.agency_tail_re is not None and lex.agency_tail_re.fullmatch(core):
        return True
    if st.words <= 5 and lex.lead("signature", line, st.folded or None):
        return True
    if _INITIALS.match(line) or _PARENS.match(line):
        return True
    return False


def opens_section(role: str | None) -> bool:
    return role in _SECTION_ROLES


_BIO_SHAPE = re.compile(
    r"^(?:[•*\-–—]\s*)?[A-ZА-ЯЁŁŚŻ][\w.'’-]+(?:\s+[A-ZА-ЯЁŁŚŻ][\w.'’-]+){0,3}"
    r"(?:,\s[^,]{3,80},)?\s+(?:is|was|has|ist|war|jest|był|была|был|является|es|fue|est|était|è|era)\b"
)


def bio_like(line: str, st: LineStats, lex: Lexicon) -> bool:
    """An author-box sentence: "Name (, role,) is a reporter ...", with a job word."""
    return bool(_BIO_SHAPE.match(line)) and lex.has_any("bio", line, st.folded or None)

"""The role cue vocabulary (clean_lexicon.toml) and matchers built from it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROLES_WITH_CUES = (
    "meta", "byline", "credit", "signature", "related", "bio", "comment",
    "form", "prompt", "share", "legal", "nav", "category", "site",
)


_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
#: What joins the parts of one word in :data:`_WORDS`.
_INNER_MARKS_RE = re.compile("['’-]")


@lru_cache(maxsize=8192)
def words_of(line: str) -> tuple[str, ...]:
    """Return the case-folded words of ``line`` (cached: each line is asked about many times)."""
    return tuple(w.casefold() for w in _WORDS.findall(line))


@dataclass(frozen=True)
class Cues:
    """Cue words of one role: ``lead`` (at the start of a line) and ``any`` (anywhere).

    Single-word ``any`` cues are looked up in a set; phrases and symbols by a regex.
    """

    lead: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    lead_re: re.Pattern[str] | None = None
    any_re: re.Pattern[str] | None = None
    any_words: frozenset[str] = frozenset()
    any_multi_re: re.Pattern[str] | None = None
    #: The first words of the ``lead`` cues (a line whose first word is not one cannot match).
    lead_first: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    """Every role's cues plus the agency names used to spot credits and signatures."""

    cues: dict[str, Cues] = field(default_factory=dict)
    agencies: tuple[str, ...] = ()
    agency_tail_re: re.Pattern[str] | None = None
    #: A credit lead-in inside a line: "caption. Photo: X", "caption Fot. X".
    credit_mid_re: re.Pattern[str] | None = None
    #: Every word of the credit lead-ins and of the agency names.
    credit_words: frozenset[str] = frozenset()
    #: The phrase and symbol cues of every role in one pattern.
    any_multi_re: re.Pattern[str] | None = None
    #: The case-folded first runs of letters of the phrase cues opening with a letter,
    #: and for each, the other runs of letters of each such cue.
    phrase_first: frozenset[str] = frozenset()
    phrase_rest: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    #: The first characters of the phrase cues opening with something else, and the
    #: characters a case-insensitive match takes for a letter whose case folding differs
    #: ("İ" and "ı" match "i").
    phrase_chars_re: re.Pattern[str] | None = None
    #: Each first word of a ``lead`` cue, to the roles having such a cue; every role with lead cues.
    lead_index: dict[str, frozenset[str]] = field(default_factory=dict)
    all_lead_roles: frozenset[str] = frozenset()
    #: The case-folded words of the ``meta`` lead-ins.
    meta_words: frozenset[str] = frozenset()
    #: Each single-word ``any`` cue, to the roles having it.
    any_index: dict[str, frozenset[str]] = field(default_factory=dict)

    def lead(self, role: str, line: str, words: Sequence[str] | None = None) -> re.Match[str] | None:
        """Return the match of a ``role`` cue at the start of ``line``, if any
        (``words``: the line's case-folded words, when the caller has them)."""
        cue = self.cues.get(role)
        if cue is None or cue.lead_re is None:
            return None
        if words is None:
            words = words_of(line)
        if not words or (words[0] not in cue.lead_first and not line[:1].isdigit()):
            return None
        return cue.lead_re.match(line)

    def lead_roles(self, line: str, words: Sequence[str] | None = None) -> frozenset[str]:
        """Return the roles whose ``lead`` cue may match at the start of ``line`` (by its
        first word; every role with lead cues when the line opens with a digit):
        :meth:`lead` answers None for the others."""
        if words is None:
            words = words_of(line)
        if not words:
            return frozenset()
        if line[:1].isdigit():
            return self.all_lead_roles
        return self.lead_index.get(words[0], frozenset())

    def any_roles(self, line: str, words: Sequence[str] | None = None) -> frozenset[str]:
        """Return the roles one of whose single-word ``any`` cues ``line`` holds. For any
        other role, :meth:`has_any`, :meth:`count_any` and :meth:`coverage` can find
        only phrase cues (none when :meth:`any_phrase` is False)."""
        if words is None:
            words = words_of(line)
        index = self.any_index
        if index.keys().isdisjoint(words):
            return frozenset()
        return frozenset().union(*(index[w] for w in words if w in index))

    def count_any(self, role: str, line: str, words: Sequence[str] | None = None,
                  phrases: bool = True) -> int:
        """Return how many ``role`` cues occur in ``line`` (``phrases``: False when the
        caller knows that no phrase cue of any role occurs in it, see :meth:`any_phrase`)."""
        cue = self.cues.get(role)
        if cue is None or cue.any_re is None:
            return 0
        n = sum(map(cue.any_words.__contains__, words_of(line) if words is None else words))
        if phrases and cue.any_multi_re is not None:
            n += len(cue.any_multi_re.findall(line))
        return n

    def coverage(self, role: str, line: str, words: Sequence[str] | None = None,
                 phrases: bool = True) -> float:
        """Return the share of ``line``'s non-space characters covered by ``role`` cues."""
        cue = self.cues.get(role)
        total = len(line.replace(" ", ""))
        if cue is None or cue.any_re is None or not total:
            return 0.0
        covered = sum(len(w) for w in (words_of(line) if words is None else words) if w in cue.any_words)
        if phrases and cue.any_multi_re is not None:
            covered += sum(len(m.group(0).replace(" ", "")) for m in cue.any_multi_re.finditer(line))
        return min(1.0, covered / total)

    def has_any(self, role: str, line: str, words: Sequence[str] | None = None,
                phrases: bool = True) -> bool:
        """Whether a ``role`` cue occurs in ``line``."""
        cue = self.cues.get(role)
        if cue is None or cue.any_re is None:
            return False
        if not cue.any_words.isdisjoint(words_of(line) if words is None else words):
            return True
        return phrases and cue.any_multi_re is not None and cue.any_multi_re.search(line) is not None

    def any_phrase(self, line: str, words: Sequence[str] | None = None) -> bool:
        """Whether a phrase or symbol cue (one that is not a single word) of any role occurs
        in ``line``: one search instead of one a role; when False, ``phrases=False`` may be
        passed to :meth:`has_any`, :meth:`count_any` and :meth:`coverage`.

        The search runs only when the line holds every run of letters of such a cue
        (as words, or parts of hyphenated words), or the first character of a cue that
        does not open with a letter ("©", "(c)"): a cue's runs of letters are runs of
        letters of any line it occurs in.
        """
        if self.any_multi_re is None:
            return False
        if self.phrase_chars_re is None or self.phrase_chars_re.search(line) is None:
            if _INNER_MARKS_RE.search(line):
                parts = set(_LETTERS.findall(line.casefold()))
            else:
                parts = set(words_of(line) if words is None else words)
            for first in self.phrase_first.intersection(parts):
                if any(rest <= parts for rest in self.phrase_rest[first]):
                    break
            else:
                return False
        return self.any_multi_re.search(line) is not None


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _cues(table: dict[str, list[str]]) -> Cues:
    lead = list(table.get("lead", []))
    anyw = list(table.get("any", []))
    lead_re = (
        re.compile(rf"^\W*(?:{_alternation(lead)})(?![\w])\s*[:.\-–—|]?\s*", re.IGNORECASE)
        if lead else None
    )
    any_re = re.compile(rf"(?<!\w)(?:{_alternation(anyw)})(?!\w)", re.IGNORECASE) if anyw else None
    single = {w.casefold() for w in anyw if _WORDS.fullmatch(w)}
    multi = [w for w in anyw if not _WORDS.fullmatch(w)]
    multi_re = re.compile(rf"(?<!\w)(?:{_alternation(multi)})(?!\w)", re.IGNORECASE) if multi else None
    first = frozenset(words_of(w)[0] for w in lead if words_of(w))
    return Cues(tuple(lead), tuple(anyw), lead_re, any_re, frozenset(single), multi_re, first)


def parse(data: dict[str, dict[str, list[str]]]) -> Lexicon:
    """Build a :class:`Lexicon` from the parsed TOML tables."""
    cues = {role: _cues(data.get(role, {})) for role in ROLES_WITH_CUES}
    agencies = tuple(data.get("credit", {}).get("agencies", []))
    alt = "|".join(re.escape(a) for a in sorted(set(agencies), key=len, reverse=True))
    # An agency name ends the line, after a space or a punctuation mark, or glued to the
    # caption's last word ("... at dawnReuters") - glued after a lower-case letter or a
    # digit only, so that "WRAP" does not end in "AP".
    tail = re.compile(rf"(?:^|(?<=[\s.,;:)])|(?<=[^\W_A-ZÀ-ÞА-ЯЁ]))\s*(?:{alt})(?:\s*[/,]\s*(?:{alt}|[\w .'-]{{1,30}}))*\s*$") if alt else None
    leads = "|".join(re.escape(w) for w in sorted(set(data.get("credit", {}).get("lead", [])), key=len, reverse=True))
    mid = re.compile(rf"^(.+?)[\s.,;|(]+((?:{leads})\s*[:.]\s*\S.*)$", re.IGNORECASE) if leads else None
    credit_words = frozenset(
        w for cue in (*data.get("credit", {}).get("lead", []), *agencies) for w in words_of(cue)
    )
    multi = [w for role in ROLES_WITH_CUES for w in data.get(role, {}).get("any", []) if not _WORDS.fullmatch(w)]
    any_multi = re.compile(rf"(?<!\w)(?:{_alternation(multi)})(?!\w)", re.IGNORECASE) if multi else None
    meta_words = frozenset(w.casefold() for w in data.get("meta", {}).get("lead", []))
    firsts = [_LETTERS.match(w) for w in multi]
    rests: dict[str, list[frozenset[str]]] = {}
    for w, m in zip(multi, firsts, strict=True):
        if m:
            runs = _LETTERS.findall(w.casefold())
            rests.setdefault(runs[0], []).append(frozenset(runs[1:]))
    phrase_first = frozenset(rests)
    chars = {c for w, m in zip(multi, firsts, strict=True) if not m for c in (w[0], w[0].lower(), w[0].upper())}
    any_index: dict[str, set[str]] = {}
    for role, cue in cues.items():
        if cue.any_re is not None:
            for word in cue.any_words:
                any_index.setdefault(word, set()).add(role)
    lead_index: dict[str, set[str]] = {}
    for role, cue in cues.items():
        if cue.lead_re is not None:
            for first in cue.lead_first:
                lead_index.setdefault(first, set()).add(role)
    return Lexicon(lead_index={k: frozenset(v) for k, v in lead_index.items()},
                   any_index={k: frozenset(v) for k, v in any_index.items()},
                   all_lead_roles=frozenset(r for r, c in cues.items() if c.lead_re is not None),
                   cues=cues, agencies=agencies, agency_tail_re=tail, credit_mid_re=mid,
                   credit_words=credit_words, any_multi_re=any_multi, meta_words=meta_words,
                   phrase_first=phrase_first, phrase_rest={k: tuple(v) for k, v in rests.items()},
                   phrase_chars_re=re.compile("[" + "".join(map(re.escape, sorted(chars | {"\u0130", "\u0131"}))) + "]"))


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Lexicon:
    """Load the lexicon from ``path``, or the copy shipped with the plugin."""
    if path:
        raw = Path(path).read_bytes()
    else:
        raw = resources.files("newsdesk_plugins.clean").joinpath("data/clean_lexicon.toml").read_bytes()
    return parse(tomllib.loads(raw.decode("utf-8")))

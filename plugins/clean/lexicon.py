"""The role cue vocabulary (clean_lexicon.toml) and matchers built from it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROLES_WITH_CUES = (
    "meta", "byline", "credit", "signature", "related", "bio", "comment",
    "form", "prompt", "share", "legal", "nav", "category", "site",
)


@dataclass(frozen=True)
class Cues:
    """Cue words of one role: ``lead`` (at the start of a line) and ``any`` (anywhere)."""

    lead: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    lead_re: re.Pattern[str] | None = None
    any_re: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Lexicon:
    """Every role's cues plus the agency names used to spot credits and signatures."""

    cues: dict[str, Cues] = field(default_factory=dict)
    agencies: tuple[str, ...] = ()
    agency_tail_re: re.Pattern[str] | None = None
    #: A credit lead-in inside a line: "caption. Photo: X", "caption Fot. X".
    credit_mid_re: re.Pattern[str] | None = None

    def lead(self, role: str, line: str) -> re.Match[str] | None:
        """Return the match of a ``role`` cue at the start of ``line``, if any."""
        cue = self.cues.get(role)
        if cue is None or cue.lead_re is None:
            return None
        return cue.lead_re.match(line)

    def count_any(self, role: str, line: str) -> int:
        """Return how many ``role`` cues occur in ``line``."""
        cue = self.cues.get(role)
        if cue is None or cue.any_re is None:
            return 0
        return len(cue.any_re.findall(line))

    def coverage(self, role: str, line: str) -> float:
        """Return the share of ``line``'s non-space characters covered by ``role`` cues."""
        cue = self.cues.get(role)
        if cue is None or cue.any_re is None:
            return 0.0
        covered = sum(len(m.group(0).replace(" ", "")) for m in cue.any_re.finditer(line))
        total = len(line.replace(" ", ""))
        return covered / total if total else 0.0

    def has_any(self, role: str, line: str) -> bool:
        cue = self.cues.get(role)
        return bool(cue and cue.any_re and cue.any_re.search(line))


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
    return Cues(tuple(lead), tuple(anyw), lead_re, any_re)


def parse(data: dict[str, dict[str, list[str]]]) -> Lexicon:
    """Build a :class:`Lexicon` from the parsed TOML tables."""
    cues = {role: _cues(data.get(role, {})) for role in ROLES_WITH_CUES}
    agencies = tuple(data.get("credit", {}).get("agencies", []))
    alt = "|".join(re.escape(a) for a in sorted(set(agencies), key=len, reverse=True))
    tail = re.compile(rf"(?:^|(?<=[\w\s.,;:)]))\s*(?:{alt})(?:\s*[/,]\s*(?:{alt}|[\w .'-]{{1,30}}))*\s*$") if alt else None
    leads = "|".join(re.escape(w) for w in sorted(set(data.get("credit", {}).get("lead", [])), key=len, reverse=True))
    mid = re.compile(rf"^(.+?)[\s.,;|(]+((?:{leads})\s*[:.]\s*\S.*)$", re.IGNORECASE) if leads else None
    return Lexicon(cues=cues, agencies=agencies, agency_tail_re=tail, credit_mid_re=mid)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Lexicon:
    """Load the lexicon from ``path``, or the copy shipped with the plugin."""
    if path:
        raw = Path(path).read_bytes()
    else:
        raw = resources.files("newsdesk_plugins.clean").joinpath("data/clean_lexicon.toml").read_bytes()
    return parse(tomllib.loads(raw.decode("utf-8")))

"""One entity per real-world thing: merging spelling, transliteration and
acronym variants, old and new names, and bare surnames into canonical names.

A name resolves, in order, through the alias table (shipped, plus the user's
config/extract_aliases.toml), the gazetteer (GeoNames names for places), and
fuzzy matching of transliterated forms (anyascii + rapidfuzz) against the
alias table and against the other names of the same article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from newsdesk_plugins.extract.entities import Mention
from newsdesk_plugins.extract.resources import Aliases, Gazetteer, norm

#: Two transliterated names at least this similar (0-100) are one name.
FUZZY_CUTOFF = 88
#: Answers of ``resolve`` and ``exact_type`` a Canonicaliser keeps before emptying them.
NAME_CACHE_SIZE = 65536
_UNKNOWN = object()


@dataclass
class Entity:
    """A real-world thing and its mentions in one article."""

    type: str
    forms: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    canonical: str | None = None
    #: Base forms of inflected mentions ("Donaldem Tuskiem" -> "Donald Tusk"), where known.
    hints: list[str] = field(default_factory=list)
    #: The comparison keys (``norm``) of its forms and hints, and of the last word of
    #: each that has several (a person's surname), kept as forms are added.
    keys: set[str] = field(default_factory=set)
    last_keys: set[str] = field(default_factory=set)

    def add_name(self, text: str) -> None:
        """Make ``text`` (a form or a base form) one of the names this entity matches."""
        self.keys.add(norm(text))
        words = text.split()
        if len(words) > 1:
            self.last_keys.add(norm(words[-1]))

    def as_dict(self) -> dict[str, Any]:
        aliases = sorted(set(self.forms), key=self.forms.index)
        return {
            "name": self.canonical or best_form(self.forms),
            "type": self.type,
            "aliases": aliases,
            "mentions": len(self.spans),
            "spans": [list(s) for s in self.spans],
        }


def best_form(forms: list[str]) -> str:
    """The fullest form: most words, then most frequent, then first seen."""
    return max(forms, key=lambda f: (len(f.split()), forms.count(f), -forms.index(f)))


def _stem_index(table: dict[str, str]) -> dict[str, str]:
    """Map each key of ``table``, and the key without its last one or two letters, to the
    canonical name of the first key (in table order) that produced it: the keys that
    start with a stem and are at most two letters longer, found by one lookup."""
    index: dict[str, str] = {}
    for key, canonical in table.items():
        for cut in (0, 1, 2):
            if cut <= len(key):
                index.setdefault(key[:len(key) - cut], canonical)
    return index


@dataclass(frozen=True)
class GazetteerKeys:
    """The gazetteer's places and organisations by key (``norm``), and their stem indexes."""

    place_keys: dict[str, str]
    org_keys: dict[str, str]
    place_stems: dict[str, str]
    org_stems: dict[str, str]


#: id(gazetteer) -> (that gazetteer, its keys): built once per gazetteer and process.
_KEYS: dict[int, tuple[Gazetteer, GazetteerKeys]] = {}


def gazetteer_keys(gaz: Gazetteer) -> GazetteerKeys:
    """``gaz``'s keys, built on the first call for it (they depend on the gazetteer only, so
    a worker forked from the fork server that built them shares them: ``preload.py``)."""
    found = _KEYS.get(id(gaz))
    if found is None or found[0] is not gaz:
        place_keys = {norm(form): canonical for form, canonical in gaz.places.items()}
        org_keys = {norm(form): canonical for form, canonical in gaz.orgs.items()}
        found = (gaz, GazetteerKeys(place_keys, org_keys, _stem_index(place_keys),
                                    _stem_index(org_keys)))
        _KEYS[id(gaz)] = found
    return found[1]


class Canonicaliser:
    """Resolves names to canonical names and groups an article's mentions."""

    def __init__(self, aliases: Aliases, gaz: Gazetteer) -> None:
        self.aliases = aliases
        self.gaz = gaz
        keys = gazetteer_keys(gaz)
        self.place_keys = keys.place_keys
        self.org_keys = keys.org_keys
        self.choices = {kind: list(table) for kind, table in aliases.index.items()}
        self.surnames: dict[str, set[str]] = {}
        # For resolve_inflected: every key and its forms one and two letters shorter,
        # each pointing at the canonical name of the first key (in table order) it came from.
        self.stems = {kind: _stem_index(table) for kind, table in aliases.index.items()}
        self.place_stems = keys.place_stems
        self.org_stems = keys.org_stems
        for canonical in aliases.index.get("PER", {}).values():
            self.surnames.setdefault(norm(canonical.split()[-1]), set()).add(canonical)
        self._resolved: dict[tuple[str, str], str | None] = {}
        self._typed: dict[tuple[str], tuple[str, str] | None] = {}

    def resolve(self, kind: str, form: str) -> str | None:
        """Return the canonical name of ``form`` if the tables know it (cached per (kind,
        form): the tables do not change after construction, and names repeat across
        articles; at most ``NAME_CACHE_SIZE`` answers, emptied when full)."""
        return self._cached(self._resolved, (kind, form), self._resolve)

    def _cached(self, cache: dict[Any, Any], key: Any, compute: Any) -> Any:
        found = cache.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = compute(*key)
            if len(cache) >= NAME_CACHE_SIZE:
                cache.clear()
            cache[key] = found
        return found

    def _resolve(self, kind: str, form: str) -> str | None:
        found = self.aliases.lookup(kind, form)
        if found:
            return found
        key = norm(form)
        if kind == "LOC" and key in self.place_keys:
            return self.place_keys[key]
        if kind == "ORG" and key in self.org_keys:
            return self.org_keys[key]
        if len(key) >= 5 and self.choices.get(kind):
            best = process.extractOne(key, self.choices[kind], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                return self.aliases.index[kind][best[0]]
        if kind == "PER" and " " not in form.strip():
            owners = self.surnames.get(key, set())
            if len(owners) == 1:
                return next(iter(owners))
        return None

    def exact_type(self, form: str) -> tuple[str, str] | None:
        """(type, canonical) when a table knows ``form`` exactly, whatever type the NER gave
        (cached as ``resolve``)."""
        return self._cached(self._typed, (form,), self._exact_type)

    def _exact_type(self, form: str) -> tuple[str, str] | None:
        key = norm(form)
        for kind in ("ORG", "LOC", "PER"):
            found = self.aliases.lookup(kind, form)
            if found:
                return kind, found
        if key in self.org_keys:
            return "ORG", self.org_keys[key]
        if key in self.place_keys:
            return "LOC", self.place_keys[key]
        return None

    def resolve_inflected(self, kind: str, form: str) -> str | None:
        """Resolve a Cyrillic form with its case ending trimmed ("Алма-Атой" -> "Алма-Ата")."""
        if not any("\u0400" <= ch <= "\u04ff" for ch in form) or kind == "PER":
            return None
        for cut in (1, 2, 3):
            if len(form) - cut < 4:
                break
            stem = norm(form[:-cut])
            found = self.stems.get(kind, {}).get(stem)
            if found is None:
                found = (self.place_stems if kind == "LOC" else self.org_stems).get(stem)
            if found is not None:
                return found
        return None

    def group(self, mentions: list[Mention]) -> list[Entity]:
        """Group ``mentions`` into entities, each with its canonical name."""
        entities: list[Entity] = []
        for m in sorted(mentions, key=lambda m: (-len(m.text.split()), m.start)):
            for form in filter(None, (m.text, m.canonical)):
                typed = self.exact_type(form)
                if typed and typed[0] != m.type and m.type != "PER":
                    m.type = typed[0]
                    break
            canonical = self.resolve(m.type, m.text)
            if canonical is None and m.canonical:
                canonical = self.resolve(m.type, m.canonical)
            if canonical is None:
                canonical = self.resolve_inflected(m.type, m.canonical or m.text)
            target = self._match(entities, m, canonical)
            if target is None:
                target = Entity(type=m.type, canonical=canonical)
                entities.append(target)
            elif target.canonical is None and canonical:
                target.canonical = canonical
            target.forms.append(m.text)
            target.spans.append((m.start, m.end))
            target.add_name(m.text)
            if m.base_form:
                target.hints.append(m.base_form)
                target.add_name(m.base_form)
        for e in entities:
            order = sorted(range(len(e.spans)), key=lambda i: e.spans[i])
            e.spans = [e.spans[i] for i in order]
            e.forms = [e.forms[i] for i in order]
            if e.canonical is None and e.type == "PER":
                # A base form as full as the fullest form written names the person in
                # the nominative rather than in the case of its first full mention.
                written = best_form(e.forms)
                base = best_form(e.hints) if e.hints else None
                e.canonical = base if base and len(base.split()) >= len(written.split()) else written
        return sorted(entities, key=lambda e: e.spans[0])

    def _match(self, entities: list[Entity], m: Mention, canonical: str | None) -> Entity | None:
        """The entity ``m`` names: the same canonical name; else the same or a near
        spelling of one of its names (a person's base form counts as a name), or for a
        person a bare surname of a full name; else, for an organisation, its acronym."""
        texts = [m.text] + ([m.base_form] if m.base_form else [])
        keys = [(norm(t), len(t.split()) == 1) for t in texts]
        person = m.type == "PER"
        for e in entities:
            if e.type != m.type:
                continue
            if canonical and e.canonical == canonical:
                return e
            if canonical and e.canonical and e.canonical != canonical:
                continue
            if m.canonical and m.type == "ORG" and norm(m.canonical) in e.keys:
                return e  # an acronym in parentheses after the organisation's name
            for key, single in keys:
                if key in e.keys or (person and single and key in e.last_keys):
                    return e
                if len(key) >= 5 and _near(key, e.keys):
                    return e
                if person and single and _near(key, e.last_keys):
                    return e
            if m.type == "ORG" and m.text.isupper():
                for form in set(e.forms):
                    if len(form.split()) > 1 and m.text == "".join(w[0] for w in form.split() if w[0].isupper()):
                        return e
        return None


def _near(key: str, keys: set[str]) -> bool:
    """Whether a key of ``keys`` is a near spelling of ``key`` (transliteration variants)."""
    return bool(keys) and process.extractOne(key, keys, scorer=fuzz.ratio,
                                             score_cutoff=FUZZY_CUTOFF) is not None

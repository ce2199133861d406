"""The embedded index: tantivy (its official Python bindings), in one folder.

Everything tantivy-specific lives here. One process writes (the daemon, or
``newsdesk reindex``); any number of other processes open the folder
read-only and see each commit as soon as it is made, without locks.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
import tantivy

from newsdesk_plugins.index.backend import Filters, Hit, IndexDoc, IndexUnavailable, Results

#: Bumped when the schema changes; an index of another version is rebuilt by ``reindex``.
SCHEMA_VERSION = 5
VERSION_FILE = "newsdesk-schema"
#: Searchable text fields and their weight in the ranking.
#: Languages whose original text is also indexed stemmed, in a field of its own
#: ("text_ru": "Москвы" finds "Москва"), with tantivy's Snowball stemmer of that name.
#: English is stemmed in "en"; languages not listed are matched word for word.
STEMMED = {"ru": "russian", "de": "german", "es": "spanish", "fr": "french", "it": "italian",
           "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
           "fi": "finnish", "hu": "hungarian", "ro": "romanian", "el": "greek", "tr": "turkish",
           "ar": "arabic"}
TEXT_FIELDS = {"title": 2.0, "text": 1.0, "en_title": 1.5, "en": 0.8,
               **{f"text_{lang}": 0.9 for lang in STEMMED}}
#: Longest token kept (longer ones are noise: URLs, base64).
MAX_TOKEN = 40
#: A query longer than this many words is searched on its first words only.
MAX_QUERY_WORDS = 64
SNIPPET_CHARS = 200
#: Characters around the first match a snippet is looked for in (long texts).
WINDOW = 1200
#: Characters of a text scanned for a snippet when the window has no match.
SNIPPET_SCAN = 50_000

#: The instants tantivy can store (nanoseconds from 1970 in a signed 64-bit integer).
EARLIEST = datetime(1677, 9, 22, tzinfo=UTC)
LATEST = datetime(2262, 4, 11, tzinfo=UTC)

log = structlog.get_logger("newsdesk.index")

_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "IN", "TO"}


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    # A 64-bit hash of the id, as a fast field: listing every id of a large index.
    sb.add_integer_field("key", stored=False, indexed=True, fast=True)
    sb.add_text_field("title", stored=True, tokenizer_name="nd_text")
    # The original text is tokenised once: English text into the stemmed field "en",
    # other languages into "text" (and their English translation into "en").
    sb.add_text_field("text", stored=True, tokenizer_name="nd_text")
    sb.add_text_field("en_title", stored=False, tokenizer_name="nd_en")
    sb.add_text_field("en", stored=True, tokenizer_name="nd_en")
    for lang in STEMMED:  # title and text of an article in that language, stemmed
        sb.add_text_field(f"text_{lang}", stored=False, tokenizer_name=f"nd_{lang}")
    for name in ("lang", "site", "story", "duplicate_of"):
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw",
                          index_option="basic")
    sb.add_bytes_field("url", stored=True, indexed=False)
    sb.add_text_field("entity", stored=False, tokenizer_name="nd_key", index_option="basic")
    sb.add_text_field("cited", stored=False, tokenizer_name="nd_key", index_option="basic")
    sb.add_date_field("when", stored=True, indexed=True, fast=True)
    return sb.build()


def _register(index: tantivy.Index) -> None:
    words = tantivy.Tokenizer.simple()
    index.register_tokenizer("nd_text", tantivy.TextAnalyzerBuilder(words)
                             .filter(tantivy.Filter.remove_long(MAX_TOKEN))
                             .filter(tantivy.Filter.lowercase())
                             .filter(tantivy.Filter.ascii_fold()).build())
    index.register_tokenizer("nd_en", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                             .filter(tantivy.Filter.remove_long(MAX_TOKEN))
                             .filter(tantivy.Filter.lowercase())
                             .filter(tantivy.Filter.ascii_fold())
                             .filter(tantivy.Filter.stemmer("english")).build())
    index.register_tokenizer("nd_key", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
                             .filter(tantivy.Filter.lowercase()).build())
    for lang, stemmer in STEMMED.items():
        # No ASCII folding before the stemmer: it needs the language's own letters.
        index.register_tokenizer(f"nd_{lang}", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                                 .filter(tantivy.Filter.remove_long(MAX_TOKEN))
                                 .filter(tantivy.Filter.lowercase())
                                 .filter(tantivy.Filter.stemmer(stemmer)).build())


def in_range(moment: datetime) -> bool:
    """Whether tantivy can store ``moment`` (an aware datetime)."""
    return EARLIEST <= moment <= LATEST


def id_key(rid: str) -> int:
    """A signed 64-bit hash of an article id (stable across runs)."""
    return int.from_bytes(hashlib.blake2b(rid.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


def key(value: str) -> str:
    """How entity and cited-source names are stored and looked up (case-insensitive)."""
    return value.strip().lower()


class TantivyBackend:
    """A tantivy index in ``folder``; ``writable`` takes the single-writer lock."""

    def __init__(self, folder: Path, *, writable: bool, heap_mb: int = 64,
                 threads: int = 1, fresh: bool = False) -> None:
        self.folder = folder
        self.writable = writable
        self._heap = max(15, heap_mb) * 1024 * 1024
        self._threads = threads
        self._writer: Any = None
        self._meta = folder / "meta.json"
        self._loaded_meta: bytes | None = None
        #: The stemmed original-language fields worth searching (see ``_searcher``).
        self._stem_fields: list[str] = []
        if fresh:
            self._remove_unused()
        self.index = self._open()

    def _remove_unused(self) -> None:
        """Delete the folder's index (for a rebuild), unless another process writes it."""
        if not (self.folder / "meta.json").exists():
            return
        old: Any = None
        writer: Any = None
        try:
            old = tantivy.Index.open(str(self.folder))
            writer = old.writer(15_000_000, 1)
        except ValueError as exc:
            if "lock" in str(exc).lower():
                raise IndexUnavailable(
                    f"{self.folder}: another process (the daemon?) is writing the index"
                ) from exc
        except OSError:
            pass  # unreadable: it is replaced anyway
        del writer, old
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- opening -----------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        exists = (self.folder / "meta.json").exists()
        if not exists and not self.writable:
            raise IndexUnavailable(f"{self.folder}: no index here yet (the daemon makes it "
                                   "as articles arrive; `newsdesk reindex` builds it)")
        try:
            if exists:
                index = tantivy.Index.open(str(self.folder))
                if not self._version_ok():
                    raise IndexUnavailable(f"{self.folder}: the index was made by another "
                                           "version; rebuild it with `newsdesk reindex`")
            else:
                self.folder.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(_schema(), str(self.folder), reuse=False)
                (self.folder / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"{self.folder}: cannot open the index: {exc}") from exc
        _register(index)
        if self.writable:
            try:
                self._writer = index.writer(self._heap, self._threads)
            except ValueError as exc:
                if "lock" in str(exc).lower():
                    raise IndexUnavailable(
                        f"{self.folder}: another process (the daemon?) is writing the index"
                    ) from exc
                raise IndexUnavailable(f"{self.folder}: cannot write the index: {exc}") from exc
        return index

    def _version_ok(self) -> bool:
        try:
            return (self.folder / VERSION_FILE).read_text().strip() == str(SCHEMA_VERSION)
        except OSError:
            return False

    def exists(self) -> bool:
        """Whether the index folder is still there (it may be deleted under us)."""
        return (self.folder / "meta.json").exists()

    def reopen(self) -> None:
        """Drop the writer and make the index again (after its folder was deleted)."""
        self.close()
        self._loaded_meta = None
        self.index = self._open()

    # --- writing -----------------------------------------------------------------

    def _doc(self, d: IndexDoc) -> tantivy.Document:
        """The document of ``d``. A value tantivy refuses (a date outside the years it
        can hold) costs that field of this document, with a warning, never the index."""
        doc = tantivy.Document()
        refused: list[str] = []

        def add(kind: str, name: str, value: Any) -> None:
            try:
                getattr(doc, f"add_{kind}")(name, value)
            except (ValueError, TypeError, OverflowError) as exc:
                refused.append(name)
                log.warning("a field of an article was left out of the index", article=d.id,
                            field=name, error=str(exc)[:300])

        add("text", "id", d.id)
        add("integer", "key", id_key(d.id))
        add("text", "title", d.title)
        english_original = bool(d.english) and d.english == d.text
        if d.text and not english_original:
            add("text", "text", d.text)
            if d.lang in STEMMED:
                add("text", f"text_{d.lang}", f"{d.title}\n\n{d.text}" if d.title else d.text)
        if d.english:
            add("text", "en", d.english)
        if d.english_title:
            add("text", "en_title", d.english_title)
        if d.url:
            add("bytes", "url", d.url.encode("utf-8", "replace"))
        for name, value in (("lang", d.lang), ("site", d.site), ("story", d.story),
                            ("duplicate_of", d.duplicate_of)):
            if value:
                add("text", name, value)
        for name in set(d.entities):
            add("text", "entity", key(name))
        for name in set(d.cited):
            add("text", "cited", key(name))
        if d.when is not None and in_range(d.when):
            add("date", "when", d.when)
        elif d.when is not None:
            log.warning("a field of an article was left out of the index", article=d.id,
                        field="when", error=f"{d.when.isoformat()} is outside the dates the "
                                            "index can hold")
        if "id" in refused or "key" in refused:
            raise ValueError(f"article {d.id[:80]!r}: its id cannot be indexed")
        return doc

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add or replace documents. One that cannot be made at all (an id tantivy
        refuses) is left out with an error in the log; the others go in."""
        writer = self._need_writer()
        for d in docs:
            try:
                doc = self._doc(d)
            except ValueError as exc:
                log.error("an article was left out of the index", error=str(exc))
                continue
            writer.delete_documents_by_term("id", d.id)
            writer.add_document(doc)

    def delete(self, ids: Iterable[str]) -> None:
        writer = self._need_writer()
        for rid in ids:
            writer.delete_documents_by_term("id", rid)

    def delete_all(self) -> None:
        self._need_writer().delete_all_documents()

    def commit(self) -> None:
        try:
            self._need_writer().commit()
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"{self.folder}: could not commit the index: {exc}") from exc
        self.index.reload()

    def rollback(self) -> None:
        if self._writer is not None:
            try:
                self._writer.rollback()
            except (OSError, ValueError):
                self._writer = None  # a broken writer: make a new one next time

    def _need_writer(self) -> Any:
        if not self.writable:
            raise IndexUnavailable(f"{self.folder}: the index was opened read-only")
        if self._writer is None:
            try:
                self._writer = self.index.writer(self._heap, self._threads)
            except ValueError as exc:
                raise IndexUnavailable(f"{self.folder}: cannot write the index: {exc}") from exc
        return self._writer

    def close(self) -> None:
        """Drop what was not committed, let running merges finish, release the lock."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.rollback()
                writer.wait_merging_threads()
            except (OSError, ValueError, RuntimeError):
                pass  # dropping the writer releases the lock anyway

    def segments(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_segments)

    # --- reading -----------------------------------------------------------------

    def count(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def ids(self) -> set[str]:
        return self.compare(set())[1]

    def compare(self, ids: set[str]) -> tuple[set[str], set[str]]:
        self.index.reload()
        searcher = self.index.searcher()
        n = int(searcher.num_docs)
        if n == 0:
            return set(ids), set()
        addresses = [a for _, a in searcher.search(tantivy.Query.all_query(), n,
                                                   count=False).hits]
        keys = searcher.fast_field_values("key", addresses)
        wanted = {id_key(i): i for i in ids}
        present = set(keys)
        missing = {i for k, i in wanted.items() if k not in present}
        extra = set()
        for address, k in zip(addresses, keys, strict=True):
            if k not in wanted:
                got = searcher.doc(address).get_first("id")
                if isinstance(got, str):
                    extra.add(got)
        return missing, extra

    def _searcher(self) -> Any:
        """A searcher on the last commit. The reader is reloaded only when the index's
        ``meta.json`` (rewritten, with a new opstamp, by every commit and merge) differs
        from what it was at the last reload: reading it costs a fifth of a reload."""
        try:
            with open(self._meta, "rb") as fh:
                meta: bytes | None = fh.read()
        except OSError:
            meta = None
        if meta is None or meta != self._loaded_meta:
            self.index.reload()
            self._loaded_meta = meta
            searcher = self.index.searcher()
            # Each stemmed field costs a query a little even when empty: search those
            # of the languages the index holds.
            self._stem_fields = [f"text_{lang}" for lang in STEMMED
                                 if searcher.doc_freq("lang", lang) > 0]
            return searcher
        return self.index.searcher()

    def search(self, query: str, filters: Filters, limit: int,
               highlight: bool = True) -> Results:
        searcher = self._searcher()
        notes: list[str] = []
        text_query = self._parse(query, notes)
        parts = [(tantivy.Occur.Must, q) for q in self._filters(filters)]
        if text_query is not None:
            parts.insert(0, (tantivy.Occur.Must, text_query))
        if not parts:
            full: tantivy.Query = tantivy.Query.all_query()
        elif len(parts) == 1 and text_query is not None:
            full = text_query
        else:
            full = tantivy.Query.boolean_query(parts)
        limit = max(1, limit)
        if text_query is None:  # no words: newest first
            result = searcher.search(full, limit, count=True, order_by_field="when")
        else:
            result = searcher.search(full, limit, count=True)
        hits = []
        snippets = self._snippets(searcher, text_query) if highlight and text_query else None
        needles = [w.lower() for w in _WORD.findall(query)[:MAX_QUERY_WORDS]
                   if w not in _OPERATORS and len(w) > 1]
        for score, address in result.hits:
            doc = searcher.doc(address)
            hits.append(self._hit(doc, score, snippets, needles))
        total = getattr(result, "count", None)  # present when count=True (not in the stubs)
        return Results(hits=hits, total=int(total or 0), notes=notes)

    def _parse(self, query: str, notes: list[str]) -> tantivy.Query | None:
        words = _WORD.findall(query)
        if not words:
            if query.strip():
                notes.append("the query has no words to search for; showing the newest articles")
            return None
        fields = [name for name in TEXT_FIELDS if not name.startswith("text_")] + self._stem_fields
        if len(words) > MAX_QUERY_WORDS:
            notes.append(f"the query has {len(words)} words; searched for the first "
                         f"{MAX_QUERY_WORDS}")
            query = " ".join(words[:MAX_QUERY_WORDS])
        try:
            return self.index.parse_query(query, fields, field_boosts=TEXT_FIELDS,
                                          conjunction_by_default=True)
        except ValueError as exc:
            reason = str(exc).splitlines()[0][:120] if str(exc) else "invalid syntax"
            notes.append(f"query syntax not understood ({reason}); searched for its words")
        plain = " ".join(w for w in words[:MAX_QUERY_WORDS] if w not in _OPERATORS)
        if not plain:
            return None
        try:
            return self.index.parse_query(plain, fields, field_boosts=TEXT_FIELDS,
                                          conjunction_by_default=True)
        except ValueError:  # should not happen with bare words; never let it out
            return tantivy.Query.empty_query()

    def _filters(self, f: Filters) -> list[tantivy.Query]:
        schema = self.index.schema
        out = []
        if f.since is not None or f.until is not None:
            out.append(tantivy.Query.range_query(schema, "when", tantivy.FieldType.Date,
                                                 f.since, f.until))
        for name, value in (("lang", f.lang), ("site", f.site), ("story", f.story)):
            if value:
                out.append(tantivy.Query.term_query(schema, name, value.strip()))
        if f.entity:
            names = sorted({key(n) for n in (f.entity, *f.entity_any) if n.strip()})
            terms = [tantivy.Query.term_query(schema, "entity", n) for n in names]
            out.append(terms[0] if len(terms) == 1 else tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, q) for q in terms]))
        if f.cited:
            out.append(tantivy.Query.term_query(schema, "cited", key(f.cited)))
        return out

    def _snippets(self, searcher: Any, query: tantivy.Query) -> dict[str, Any]:
        gens = {}
        for name in ("text", "en"):
            gen = tantivy.SnippetGenerator.create(searcher, query, self.index.schema, name)
            gen.set_max_num_chars(SNIPPET_CHARS)
            gens[name] = gen
        return gens

    def _hit(self, doc: tantivy.Document, score: float, snippets: dict[str, Any] | None,
             needles: list[str]) -> Hit:
        values = doc.to_dict()

        def first(name: str) -> str:
            got = values.get(name) or [""]
            value = got[0]
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

        original = first("text")
        english = first("en")
        text = original or english
        translation = english if original else ""
        snippet = ""
        if snippets is not None:
            # The field the original was indexed in, then the translation.
            tries = [("text", original), ("en", translation)] if original else [("en", english)]
            for field, source in tries:
                if not source:
                    continue
                gen = snippets[field]
                got = ""
                near = _window(source, needles)
                if near is not None:  # a long text: look around the first match first
                    got = _render(gen.snippet_from_doc(tantivy.Document(**{field: near})))
                if "\x02" not in got:
                    got = _render(gen.snippet_from_doc(
                        tantivy.Document(**{field: source[:SNIPPET_SCAN]})))
                if "\x02" in got:
                    snippet = got
                    break
        if not snippet:
            snippet = " ".join(text[:SNIPPET_CHARS].split())
        when = values.get("when")
        moment = when[0] if when else None
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return Hit(id=first("id"), score=float(score) if isinstance(score, float) else 0.0,
                   title=first("title"), when=moment, site=first("site"),
                   lang=first("lang"), snippet=snippet, story=first("story"),
                   duplicate_of=first("duplicate_of"), url=first("url"))

    def close_reader(self) -> None:
        """Nothing to release for a reader; kept for symmetry with other engines."""


def _window(text: str, needles: list[str]) -> str | None:
    """Around the first place a query word appears in a long text (None: a short text,
    or no word appears as typed, e.g. only its stem matched)."""
    if len(text) <= WINDOW * 2:
        return None
    lower = text.lower()
    found = [i for i in (lower.find(n) for n in needles) if i >= 0]
    if not found:
        return None
    start = max(0, min(found) - WINDOW // 4)
    return text[start:start + WINDOW]


def _render(snippet: Any) -> str:
    """The snippet's fragment with each highlighted range between \\x02 and \\x03."""
    fragment: str = snippet.fragment()
    raw = fragment.encode("utf-8")
    out, pos = [], 0
    for r in sorted(snippet.highlighted(), key=lambda r: r.start):
        out.append(raw[pos:r.start].decode("utf-8", "replace"))
        out.append("\x02" + raw[r.start:r.end].decode("utf-8", "replace") + "\x03")
        pos = r.end
    out.append(raw[pos:].decode("utf-8", "replace"))
    return " ".join("".join(out).split())

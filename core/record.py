"""The record's fields, typed, and the one helper stages use to read the body so far.

Each stage plugin owns the fields of one TypedDict below (``OWNED``); docs/record.md
has one table row per field with its owner, and ``tests/docs/test_record_doc.py``
checks the two agree. The plugins write plain dicts of these shapes into
``article.record``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

if TYPE_CHECKING:
    from newsdesk.article import Article


# --- framework ---------------------------------------------------------------------------


class SourceField(TypedDict, total=False):
    path: str
    name: str
    size: int
    mtime: str
    received: str
    line: int


class ErrorEntry(TypedDict):
    stage: str
    plugin: str
    type: str
    message: str


class FrameworkFields(TypedDict):
    schema: str
    id: str
    source: SourceField
    status: str
    errors: list[ErrorEntry]
    timings_ms: dict[str, float]


class ReaderFields(TypedDict, total=False):
    #: Fields of a JSON input other than ``text`` and ``html``.
    input: dict[str, Any]


# --- clean -------------------------------------------------------------------------------


class Removed(TypedDict):
    text: str
    role: str


class HtmlMeta(TypedDict):
    title: str | None
    authors: list[str]
    date: str | None
    site: str | None
    url: str | None
    extractor: str


class CleanFields(TypedDict, total=False):
    text: str
    removed: list[Removed]
    html_meta: HtmlMeta


# --- extract -----------------------------------------------------------------------------


class Entity(TypedDict):
    name: str
    type: str
    aliases: list[str]
    mentions: int
    spans: list[list[int]]


class Fact(TypedDict):
    value: int | float
    min: int | float
    max: int | float
    qualifier: str | None
    what: str | None
    event: str | None
    unit: str | None
    span: list[int]
    according_to: str | None


class Quote(TypedDict):
    text: str
    speaker: str | None
    span: list[int]


class Cited(TypedDict):
    name: str
    spans: list[list[int]]


class ExtractFields(TypedDict, total=False):
    title: str | None
    entities: list[Entity]
    facts: list[Fact]
    quotes: list[Quote]
    cited: list[Cited]
    authors: list[str]
    published: str | None
    modified: str | None
    site: str | None
    lang: str | None


# --- translate ---------------------------------------------------------------------------


class _SegmentCopy(TypedDict, total=False):
    #: The passage is ``text[span[0]:span[1]]``; a copy only when the record has no text.
    text: str


class Segment(_SegmentCopy):
    lang: str | None
    translation: str | None
    engine: str | None
    span: list[int]
    note: str | None
    numbers_mismatch: bool


class Translation(TypedDict):
    lang: str
    #: None when nothing was translated (the body is then ``text`` itself).
    text: str | None
    title: str | None
    engines: list[str]
    complete: bool
    title_note: str | None


class TranslateFields(TypedDict, total=False):
    segments: list[Segment]
    translation: Translation


# --- index -------------------------------------------------------------------------------


class IndexFields(TypedDict, total=False):
    story: str
    date_uncertain: bool
    duplicate_of: str


#: Who writes which fields: the owner names of docs/record.md's table.
OWNED: dict[str, type] = {
    "framework": FrameworkFields,
    "readers": ReaderFields,
    "clean": CleanFields,
    "extract": ExtractFields,
    "translate": TranslateFields,
    "index": IndexFields,
}

#: The shapes of the fields whose values are objects, or lists of objects.
NESTED: dict[str, type] = {
    "source": SourceField,
    "errors": ErrorEntry,
    "removed": Removed,
    "html_meta": HtmlMeta,
    "entities": Entity,
    "facts": Fact,
    "quotes": Quote,
    "cited": Cited,
    "segments": Segment,
    "translation": Translation,
}


# --- the body so far -----------------------------------------------------------------------


class Body(NamedTuple):
    """An article's body text and title as the stages so far left them."""

    text: str
    #: The record's ``title`` so far (None when no stage wrote one).
    title: str | None
    #: The input's own title (a JSON input's ``title``), whatever the stages wrote.
    input_title: str | None
    #: Whether ``text`` is clean's (False: made from the input itself).
    cleaned: bool


def _nonempty(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def body_so_far(article: Article) -> Body:
    """The body and title a stage should read: clean's ``text`` when clean ran, else the
    input itself (an HTML page's main text by trafilatura, imported only then); the
    record's ``title`` so far, and the input's own title beside it."""
    rec = article.record
    given = rec.get("input")
    input_title = _nonempty(given.get("title")) if isinstance(given, dict) else None
    title = _nonempty(rec.get("title"))
    text = rec.get("text")
    if isinstance(text, str):
        return Body(text, title, input_title, True)
    if article.content_type == "html":
        from trafilatura import extract

        return Body(extract(article.content) or "", title, input_title, False)
    return Body(article.content, title, input_title, False)

"""Built-in readers: plain text, Markdown, HTML, JSON and JSON lines.

Bytes are decoded as UTF-8 when they are UTF-8, otherwise by charset
detection (charset-normalizer), so a cp1251 or KOI8-R file reads right.
charset-normalizer alone often takes KOI8-R prose for Shift_JIS (KOI8-R's
lowercase letters are half-width katakana there) and then names no language;
and short cp1251 text for mac_cyrillic. When detection names no language or a
Cyrillic one, the common Cyrillic code pages are tried as well and the one
that reads best as Cyrillic prose is chosen.
Binary files (PDF, images, archives) and empty files are refused. Markdown
(.md, .markdown) is parsed with markdown-it-py and handed on as plain text: one
paragraph per block, without the markup (heading marks, emphasis, link targets).
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from charset_normalizer import from_bytes

from newsdesk import hookimpl
from newsdesk.article import Article, Source
from newsdesk.errors import ReadError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

TEXT_SUFFIXES = {"", "txt", "text"}
MARKDOWN_SUFFIXES = {"md", "markdown"}
HTML_SUFFIXES = {"html", "htm", "xhtml"}

#: Leading bytes of formats that are certainly not articles.
MAGIC = {
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "gzip-compressed data",
    b"PK\x03\x04": "a ZIP archive (or office document)",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ": "xz-compressed data",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"OggS": "an Ogg media file",
    b"ID3": "an MP3 file",
}


def suffix_of(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`ReadError` for binary or empty data."""
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise ReadError(f"binary file ({what}), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _check_text(data.decode("utf-16")), "utf-16"
    if not data.strip():
        raise ReadError("empty file")
    if b"\x00" in data[:65536]:
        raise ReadError("binary file (contains NUL bytes), not an article")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = detect_encoding(data[:262144])
    if encoding is None:
        raise ReadError("binary file (no text encoding fits), not an article")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(f"cannot decode as {encoding}: {exc}") from exc
    return _check_text(text), encoding


#: Single-byte Cyrillic code pages tried when detection is unsure or says Cyrillic.
CYRILLIC_PAGES = ("cp1251", "koi8_r")
#: Languages charset-normalizer may name for a Cyrillic text.
CYRILLIC_LANGUAGES = frozenset(
    {"Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian", "Kazakh"}
)
#: The first letter or digit of each sentence: after the start, a newline or [.!?].
SENTENCE_START = re.compile(r"(?:\A|[.!?\u2026]\s+|\n)[\W_]*?(\w)")


def detect_encoding(sample: bytes) -> str | None:
    """Return the encoding of ``sample`` (not UTF-8), or None when no text encoding fits.

    charset-normalizer's best guess stands when it recognised a language that
    is not written in Cyrillic. When it recognised none, or a Cyrillic one,
    its guess and the common Cyrillic code pages are scored as Cyrillic prose
    and a candidate that scores higher than the guess replaces it. This
    catches KOI8-R taken for Shift_JIS, and short cp1251 text taken for
    mac_cyrillic (where capitals become punctuation).
    """
    best = from_bytes(sample).best()
    guess = best.encoding if best is not None else None
    if best is not None and best.coherence > 0 and not CYRILLIC_LANGUAGES & set(best.languages):
        return guess
    candidates = ([guess] if guess else []) + [c for c in CYRILLIC_PAGES if c != guess]
    chosen, top = guess, 0.0
    for candidate in candidates:
        try:
            score = cyrillic_prose_score(sample.decode(candidate))
        except (UnicodeDecodeError, LookupError):
            continue
        if score > top:
            chosen, top = candidate, score
    return chosen


def cyrillic_prose_score(text: str) -> float:
    """Return how much ``text`` reads as Cyrillic prose, from 0 to 1.

    0 unless Cyrillic letters are most of its letters and at least 70% of them
    are lowercase; otherwise that lowercase share, scaled down by the share of
    sentences that do not begin with a capital or a digit. Decoding with the
    wrong Cyrillic code page swaps the case of letters or turns capitals into
    symbols, so the right page scores highest.
    """
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if len(cyrillic) < 3 or len(cyrillic) < 0.6 * len(letters):
        return 0.0
    lower = sum(1 for ch in cyrillic if ch.islower()) / len(cyrillic)
    if lower < 0.7:
        return 0.0
    starts = SENTENCE_START.findall(text)
    capital = (sum(1 for ch in starts if ch.isupper() or ch.isdigit()) / len(starts)
               if starts else 1.0)
    return lower * (0.5 + 0.5 * capital)


def _check_text(text: str) -> str:
    if not text.strip():
        raise ReadError("empty file")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > len(sample) * 0.02:
        raise ReadError("binary file (mostly control characters), not an article")
    return text


def _from_object(obj: Any, where: str) -> tuple[str, str, dict[str, Any]]:
    """Return ``(content, content_type, other fields)`` of a JSON article object."""
    if not isinstance(obj, dict):
        raise ReadError(f"{where}expected a JSON object, got {type(obj).__name__}")
    html, text = obj.get("html"), obj.get("text")
    if isinstance(html, str) and html.strip():
        content, kind = html, "html"
    elif isinstance(text, str) and text.strip():
        content, kind = text, "text"
    else:
        raise ReadError(f"{where}the object has no non-empty 'text' or 'html' string field")
    rest = {k: v for k, v in obj.items() if k not in ("html", "text")}
    return content, kind, rest


def _article(source: Source, content: str, kind: str, encoding: str) -> Article:
    # No id: the framework gives every article its id after reading (newsdesk.identity).
    return Article(source=source, content=content,
                   content_type=kind, encoding=encoding)  # type: ignore[arg-type]


@hookimpl(trylast=True)
def newsdesk_read(source: Source, data: bytes) -> list[Article] | None:
    suffix = suffix_of(source.name)
    if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
        text, encoding = decode(data)
        kind = "html" if suffix in HTML_SUFFIXES else "text"
        return [_article(source, text, kind, encoding)]
    if suffix in MARKDOWN_SUFFIXES:
        text, encoding = decode(data)
        plain = markdown_text(text)
        if not plain.strip():
            raise ReadError("no text in the Markdown file (markup only)")
        return [_article(source, plain, "text", encoding)]
    if suffix == "json":
        text, encoding = decode(data)
        try:
            obj = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ReadError(f"not valid JSON: {exc}") from exc
        content, kind, rest = _from_object(obj, "")
        article = _article(source, content, kind, encoding)
        if rest:
            article.record["input"] = rest
        return [article]
    if suffix == "jsonl":
        if source.line is not None:  # one line of a file read by line
            return [_read_line(source, data)]
        return list(_read_lines(source, data))
    return None


@hookimpl(trylast=True)
def newsdesk_read_by_line(source: Source, head: bytes) -> bool | None:
    """JSON lines are read by line, unless their start shows a binary or empty file
    (read whole, so that it is refused once, not once a line)."""
    if suffix_of(source.name) != "jsonl" or not head.strip() or b"\x00" in head:
        return None
    if any(head.startswith(magic) for magic in MAGIC):
        return None
    return True


def _read_line(source: Source, data: bytes) -> Article:
    """One line of a JSON-lines file read by line (``source.line`` is its number)."""
    number = source.line
    if number == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = decode(data)  # JSON should be UTF-8; detect it for this line
    try:
        content, kind, rest = _from_object(orjson.loads(text), f"line {number}: ")
    except orjson.JSONDecodeError as exc:
        raise ReadError(f"line {number}: not valid JSON: {exc}") from exc
    article = _article(source, content, kind, encoding)
    if rest:
        article.record["input"] = rest
    return article


def markdown_text(text: str) -> str:
    """The text of a Markdown document: each block (heading, paragraph, list item, quote
    line, code block) a paragraph of its own, inline markup and raw HTML dropped, a link's
    text kept and its target left out, images left out."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            line = re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()
            if line:
                blocks.append(line)
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(token.content.strip("\n"))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _read_lines(source: Source, data: bytes) -> list[Article]:
    text, encoding = decode(data)
    out: list[Article] = []
    # Split on newlines only: str.splitlines() also splits on U+2028, U+0085 and
    # others, which JSON allows raw inside strings (orjson writes U+2028 as is).
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        line_source = Source(**{**source.as_dict(), "line": number})
        try:
            content, kind, rest = _from_object(orjson.loads(line), f"line {number}: ")
        except orjson.JSONDecodeError as exc:
            failed = Article(source=line_source, content="")
            failed.fail("read", "readers", ReadError(f"line {number}: not valid JSON: {exc}"))
            out.append(failed)
            continue
        except ReadError as exc:
            failed = Article(source=line_source, content="")
            failed.fail("read", "readers", exc)
            out.append(failed)
            continue
        article = _article(line_source, content, kind, encoding)
        if rest:
            article.record["input"] = rest
        out.append(article)
    if not out:
        raise ReadError("empty file (no JSON lines)")
    return out

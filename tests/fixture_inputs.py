"""A set of inbox files, good and bad, with the records each must give.

Covers every bad input of issue 2 that is a matter of a file's name and
bytes: empty, binary (PDF, JPEG, gzip), Russian in cp1251 and KOI8-R,
UTF-16 and UTF-8 byte-order marks, invalid JSON, a JSON value that is not
an object, a .jsonl file with one bad line among good ones, an unknown type,
and names with spaces, a newline and non-Latin letters. Inputs that need the
file system or the configuration (over the size limit, a symlink out of the
inbox, no read permission, a file rewritten while read) are set up by the
tests that need them.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import orjson

from .fixture_text import make_article_text


@dataclass(frozen=True)
class SampleInput:
    """One inbox file and the statuses of the records it must give, in order."""

    name: str
    data: bytes
    statuses: tuple[str, ...]
    why: str

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.data)
        return path


def _russian(seed: int) -> str:
    # KOI8-R has no guillemets or em dash; a KOI8-R writer uses plain quotes and hyphens.
    text = make_article_text(700, "ru", seed)
    return text.replace("«", '"').replace("»", '"').replace("—", "-")


def sample_inputs() -> list[SampleInput]:
    """Return the samples, with distinct names and distinct contents (so distinct ids)."""
    story = make_article_text(1500, "en", 1)
    feed = b"\n".join([
        orjson.dumps({"title": "First", "text": make_article_text(400, "de", 2)}),
        b'{"text": "this line is cut sh',
        orjson.dumps({"html": "<p>" + make_article_text(400, "fr", 3) + "</p>"}),
    ]) + b"\n"
    return [
        SampleInput("story.txt", story.encode(), ("ok",), "plain UTF-8 text"),
        SampleInput("notes.md", make_article_text(600, "es", 4).encode(), ("ok",), "markdown"),
        SampleInput("README", make_article_text(300, "en", 5).encode(), ("ok",), "no extension"),
        SampleInput("page.html", f"<html><body><h1>News</h1><p>{story}</p></body></html>"
                    .encode(), ("ok",), "HTML"),
        SampleInput("item.json", orjson.dumps({"title": "T", "url": "https://example.org/1",
                                               "text": make_article_text(500, "en", 6)}),
                    ("ok",), "JSON object with text"),
        SampleInput("feed.jsonl", feed, ("ok", "failed", "ok"), "JSON lines, line 2 bad"),
        SampleInput("empty.txt", b"", ("failed",), "empty file"),
        SampleInput("blank.txt", b" \n\t\n", ("failed",), "only whitespace"),
        SampleInput("scan.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
                    ("failed",), "PDF bytes under a text name"),
        SampleInput("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(48)
                    + b"\xff\xd9", ("failed",), "JPEG bytes under an HTML name"),
        SampleInput("archive.txt", gzip.compress(story.encode(), mtime=0), ("failed",),
                    "gzip bytes under a text name"),
        SampleInput("russian-cp1251.txt", _russian(7).encode("cp1251"), ("ok",), "cp1251"),
        SampleInput("russian-koi8r.txt", _russian(8).encode("koi8_r"), ("ok",), "KOI8-R"),
        SampleInput("utf16.txt", make_article_text(400, "de", 9).encode("utf-16"), ("ok",),
                    "UTF-16 with BOM"),
        SampleInput("bom.txt", b"\xef\xbb\xbf" + make_article_text(400, "fr", 10).encode(),
                    ("ok",), "UTF-8 with BOM"),
        SampleInput("broken.json", b'{"text": "no closing brace"', ("failed",), "invalid JSON"),
        SampleInput("list.json", b'["text", "in", "a", "list"]', ("failed",), "not an object"),
        SampleInput("nobody.json", b'{"title": "Headline only"}', ("failed",), "no body field"),
        SampleInput("report.docx", b"PK\x03\x04" + bytes(30), ("failed",), "unknown type"),
        SampleInput("with spaces in name.txt", b"A story with a spacious name.", ("ok",),
                    "spaces in the name"),
        SampleInput("line\nbreak.txt", b"A story whose name holds a newline.", ("ok",),
                    "a newline in the name"),
        SampleInput("новости-дня.txt", "Короткая новость дня.".encode(), ("ok",),
                    "Cyrillic name"),
        SampleInput("新闻.txt", b"A short news item filed under a Chinese name.", ("ok",),
                    "Chinese name (the text is English: Chinese text gives \"partial\", extract and translate say why)"),
    ]

"""plugins/readers.py: text, HTML, JSON and JSON lines; encodings; bad input."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable

import orjson
import pytest

from newsdesk.article import Article

from .helpers import read_bytes

ArticleText = Callable[..., str]

STORY = "Council approves the harbour bridge repair.\n\nWork starts in May and lasts a year.\n"

# Russian news paragraphs written for these tests, in characters KOI8-R can encode
# (plain quotes and hyphens: KOI8-R has no guillemets or em dashes).
RUSSIAN = [
    "В среду городская дума Барнаула одобрила проект нового моста через Обь. "
    "Строительство обойдётся бюджету почти в шесть миллиардов рублей и займёт три года.",
    "Глава строительного комитета Павел Журавлёв пояснил, что старый мост будет открыт "
    "до завершения работ. \"Ни один водитель не останется без переправы\", - сказал он.",
    "Жители правого берега собрали более двух тысяч подписей против вырубки рощи у "
    "подъездной дороги. Мэрия обещала рассмотреть обращение до конца месяца.",
    "Цены на билеты в пригородных электричках Новосибирской области вырастут с первого "
    "марта в среднем на семь процентов, сообщили в пресс-службе перевозчика.",
    "Синоптики предупреждают о сильном ветре и метели в ночь на субботу. Школьникам "
    "младших классов разрешено не приходить на занятия.",
]


def one(name: str, data: bytes) -> Article:
    articles = read_bytes(name, data)
    assert len(articles) == 1
    return articles[0]


def failure(article: Article) -> str:
    assert article.failed and article.status == "failed"
    assert len(article.errors) == 1
    assert article.errors[0]["stage"] == "read"
    return article.errors[0]["message"]


@pytest.mark.parametrize("name", ["story.txt", "STORY.TXT", "story", "story.text", "story.md"])
def test_plain_text_names_are_read_as_text(name: str) -> None:
    """.txt, .text and names without an extension are read as plain text, whole (and
    Markdown without markup reads the same)."""
    article = one(name, STORY.encode())
    assert (article.content, article.content_type, article.encoding) == (STORY, "text", "utf-8")
    assert article.id == hashlib.sha256(STORY.encode()).hexdigest()
    assert not article.errors


@pytest.mark.parametrize("name", ["story.md", "story.markdown"])
def test_markdown_is_read_as_its_text_without_the_markup(name: str) -> None:
    """Markdown's heading marks, emphasis, link targets, images and raw HTML are left out;
    each block is a paragraph, a wrapped line joins its paragraph."""
    source = ("# Council approves the *harbour* bridge\n\n"
              "Work starts in **May** and, [the mayor said](https://example.org/x), lasts\n"
              "a year. ![the bridge](bridge.jpg) <b>Tolls</b> stay.\n\n"
              "- Ferries run as usual\n- Buses take the old road\n")
    article = one(name, source.encode())
    assert article.content_type == "text"
    assert article.content == (
        "Council approves the harbour bridge\n\n"
        "Work starts in May and, the mayor said, lasts a year. Tolls stay.\n\n"
        "Ferries run as usual\n\nBuses take the old road\n")


def test_a_markdown_file_of_markup_only_is_refused() -> None:
    """A .md file with no text once the markup is gone is a read error saying so."""
    assert "markup only" in failure(one("empty.md", b"---\n\n![](a.png)\n"))


@pytest.mark.parametrize("name", ["page.html", "page.htm", "PAGE.HTML"])
def test_html_names_are_read_as_html_markup(name: str) -> None:
    """.html and .htm keep their markup and are marked content_type "html"."""
    page = "<html><body><h1>Bridge</h1><p>Work starts in May.</p></body></html>"
    article = one(name, page.encode())
    assert (article.content, article.content_type) == (page, "html")


def test_a_dotfile_name_has_no_extension() -> None:
    """A name like ".txt" or "README" counts as having no extension, and is read as text."""
    assert one("README", b"Plain words.").content_type == "text"


def test_an_unknown_type_is_refused_by_name() -> None:
    """A file of a type no reader takes fails with its extension named."""
    assert "unknown file type .docx" in failure(one("report.docx", b"PK\x03\x04zip"))


def test_a_read_error_names_the_reader_plugin_that_refused_the_file() -> None:
    """A file a reader refuses names that plugin as `newsdesk plugins` lists it; a file no
    reader takes names no plugin but "reader"."""
    refused = one("story.txt", b"%PDF-1.4 not a story")
    assert refused.errors[0]["plugin"] == "readers"
    assert one("report.docx", b"PK\x03\x04zip").errors[0]["plugin"] == "reader"


# --- JSON ---------------------------------------------------------------------------------


def test_a_json_text_field_is_the_content_and_other_fields_go_to_input() -> None:
    """A .json object's "text" is the article; its other fields land in record["input"]."""
    obj = {"title": "Bridge approved", "url": "https://example.org/a", "text": STORY}
    article = one("a.json", orjson.dumps(obj))
    assert (article.content, article.content_type) == (STORY, "text")
    assert article.record["input"] == {"title": "Bridge approved", "url": "https://example.org/a"}


def test_a_json_html_field_wins_over_text() -> None:
    """A .json object with both "html" and "text" is read as its HTML."""
    article = one("a.json", orjson.dumps({"html": "<p>Bridge</p>", "text": "Bridge"}))
    assert (article.content, article.content_type) == ("<p>Bridge</p>", "html")
    assert "input" not in article.record


def test_json_that_does_not_parse_fails() -> None:
    """A .json file that is not valid JSON is a failed record saying so."""
    assert "not valid JSON" in failure(one("a.json", b'{"text": "unterminated'))


@pytest.mark.parametrize(("body", "kind"), [(b"[1, 2]", "list"), (b'"text"', "str")])
def test_json_that_is_not_an_object_fails(body: bytes, kind: str) -> None:
    """A .json file holding an array or a string fails, naming what it got."""
    assert f"expected a JSON object, got {kind}" in failure(one("a.json", body))


@pytest.mark.parametrize("body", [b'{"title": "t"}', b'{"text": "   "}', b'{"text": 5}'])
def test_json_without_a_body_field_fails(body: bytes) -> None:
    """A .json object without a non-empty "text" or "html" string fails, saying which
    fields were wanted."""
    assert "no non-empty 'text' or 'html'" in failure(one("a.json", body))


def test_jsonl_reads_one_article_a_line_and_fails_only_the_bad_line() -> None:
    """In a .jsonl file the good lines become articles and a bad line a failed record
    naming its line number; blank lines are skipped."""
    lines = [
        orjson.dumps({"text": "First story.", "url": "u1"}),
        b'{"text": "broken',
        b"",
        orjson.dumps({"html": "<p>Third story.</p>"}),
        orjson.dumps(["not", "an", "object"]),
    ]
    articles = read_bytes("feed.jsonl", b"\n".join(lines) + b"\n")
    assert [a.source.line for a in articles] == [1, 2, 4, 5]
    first, bad, third, listed = articles
    assert (first.content, first.record["input"], first.status) == ("First story.", {"url": "u1"},
                                                                     "ok")
    assert (third.content_type, third.status) == ("html", "ok")
    assert failure(bad).startswith("line 2: not valid JSON")
    assert failure(listed).startswith("line 5: expected a JSON object")
    # The framework gives each line the id of the file's digest and its line number.
    digest = hashlib.sha256(b"\n".join(lines) + b"\n").hexdigest()
    assert first.id == hashlib.sha256(f"{digest}:1".encode()).hexdigest()
    assert len({a.id for a in articles}) == 4
    assert first.source.as_dict()["line"] == 1


def test_jsonl_with_no_lines_is_an_empty_file() -> None:
    """A .jsonl file with only blank lines fails as empty."""
    assert "empty file" in failure(one("feed.jsonl", b"\n \n\n"))


# --- empty and binary files ---------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_an_empty_file_fails_as_empty(data: bytes) -> None:
    """An empty file, or one of only whitespace or a byte-order mark, fails as "empty file"."""
    assert "empty file" in failure(one("empty.txt", data))


PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00C\x00" + bytes(range(64)) + b"\xff\xd9")


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("scan.txt", PDF, "a PDF document"),
        ("photo.html", JPEG, "a JPEG image"),
        ("story.txt", gzip.compress(STORY.encode()), "gzip-compressed data"),
        ("story.json", gzip.compress(b'{"text": "x"}'), "gzip-compressed data"),
    ],
)
def test_a_binary_file_under_a_text_name_is_refused(name: str, data: bytes, what: str) -> None:
    """PDF, JPEG and gzip files fail as binary whatever their name says."""
    assert failure(one(name, data)) == f"binary file ({what}), not an article"


def test_bytes_with_nul_are_binary() -> None:
    """Unknown binary data (NUL bytes) is refused rather than decoded into garbage."""
    data = b"header\x00\x01\x02" + bytes(range(256)) * 4
    assert "binary file" in failure(one("blob.txt", data))


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
@pytest.mark.parametrize("index", range(len(RUSSIAN)))
def test_a_russian_paragraph_in_a_legacy_code_page_is_decoded_right(
    encoding: str, index: int
) -> None:
    """A paragraph of Russian news in cp1251 or KOI8-R is decoded to the same text."""
    text = RUSSIAN[index]
    article = one("novosti.txt", text.encode(encoding))
    assert article.content == text
    assert article.encoding.replace("-", "_") == encoding


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_russian_article_in_a_legacy_code_page_is_decoded_right(encoding: str) -> None:
    """A whole Russian article (headline and paragraphs) in cp1251 or KOI8-R reads right."""
    text = "Новый мост в Барнауле\n\n" + "\n\n".join(RUSSIAN) + "\n"
    article = one("novosti.txt", text.encode(encoding))
    assert (article.content, article.status) == (text, "ok")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_russian_html_in_a_legacy_code_page_is_decoded_right(encoding: str) -> None:
    """Markup around Russian paragraphs does not confuse the encoding detection."""
    page = ("<html><head><title>Новости</title></head><body>"
            + "".join(f"<p>{p}</p>" for p in RUSSIAN[:2]) + "</body></html>")
    assert one("novosti.html", page.encode(encoding)).content == page


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
@pytest.mark.parametrize("size", [200, 1000])
def test_generated_russian_news_in_a_legacy_code_page_is_decoded_right(
    article_text: ArticleText, encoding: str, size: int
) -> None:
    """Short and longer Russian articles, ten of each, read right in cp1251 and KOI8-R
    (charset-normalizer alone takes many KOI8-R ones for Shift_JIS and short cp1251 ones
    for mac_cyrillic)."""
    wrong = []
    for seed in range(10):
        text = article_text(size, "ru", seed)
        text = text.replace("«", '"').replace("»", '"').replace("—", "-")
        article = one("novosti.txt", text.encode(encoding))
        if article.content != text:
            wrong.append((seed, article.encoding, article.content[:40]))
    assert wrong == []


def test_a_greek_paragraph_is_not_forced_into_a_cyrillic_page() -> None:
    """Text charset-normalizer recognises in a non-Cyrillic language keeps its encoding."""
    text = ("Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την ενίσχυση των μικρών "
            "επιχειρήσεων στην Αθήνα και στη Θεσσαλονίκη.")
    assert one("eidiseis.txt", text.encode("cp1253")).content == text


def test_utf16_with_a_byte_order_mark_is_decoded() -> None:
    """A UTF-16 file with its BOM is decoded, and the BOM is not part of the text."""
    text = "Brücke über die Elbe: Bau beginnt im Mai.\n" + RUSSIAN[0]
    for data in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        article = one("story.txt", data)
        assert article.content == text


def test_a_utf8_byte_order_mark_is_dropped() -> None:
    """A UTF-8 file starting with a BOM reads as UTF-8 without the BOM."""
    article = one("story.txt", b"\xef\xbb\xbf" + STORY.encode())
    assert (article.content, article.encoding) == (STORY, "utf-8")


def test_latin1_western_text_is_not_mistaken_for_cyrillic() -> None:
    """A French paragraph in Latin-1 keeps its accented letters."""
    text = "Le conseil municipal a voté jeudi un budget élevé pour rénover les écoles."
    assert one("article.txt", text.encode("latin-1")).content == text


def test_jsonl_splits_only_on_newlines() -> None:
    """A JSON line whose text holds a raw line or paragraph separator (U+2028, U+2029,
    U+0085, legal inside JSON strings) stays one article; CRLF line ends are accepted."""
    texts = ["One.\u2028Two.", "Three.\u2029Four.", "Five.\u0085Six."]
    data = b"\r\n".join(orjson.dumps({"text": t}) for t in texts) + b"\r\n"
    articles = read_bytes("feed.jsonl", data)
    assert [(a.source.line, a.status, a.content) for a in articles] == [
        (1, "ok", texts[0]), (2, "ok", texts[1]), (3, "ok", texts[2])]


def test_jsonl_is_read_by_line_unless_its_start_shows_a_binary_or_empty_file() -> None:
    from newsdesk.article import Source
    from newsdesk_plugins.readers import newsdesk_read_by_line

    def source(name: str) -> Source:
        return Source(path=f"/in/{name}", name=name, size=10, mtime="", received="")

    assert newsdesk_read_by_line(source("a.jsonl"), b'{"text": "x"}\n') is True
    assert newsdesk_read_by_line(source("a.jsonl"), b"%PDF-1.4 ...") is None
    assert newsdesk_read_by_line(source("a.jsonl"), b"\n \n") is None
    assert newsdesk_read_by_line(source("a.json"), b'{"text": "x"}') is None


def test_one_line_of_a_file_read_by_line_is_one_article_or_a_read_error_naming_it() -> None:
    from newsdesk.article import Source
    from newsdesk.errors import ReadError
    from newsdesk_plugins.readers import newsdesk_read

    src = Source(path="/in/a.jsonl", name="a.jsonl", size=10, mtime="", received="", line=7)
    articles = newsdesk_read(src, b'{"text": "Hello there.", "url": "https://e.org/"}')
    assert articles is not None and len(articles) == 1
    assert articles[0].content == "Hello there." and articles[0].source.line == 7
    assert articles[0].record["input"] == {"url": "https://e.org/"}
    with pytest.raises(ReadError, match="line 7: not valid JSON"):
        newsdesk_read(src, b'{"text": ')

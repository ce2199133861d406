"""Page to text with trafilatura, within limits, and what it found of the metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_BODY = re.compile(r"<body|<p[\s>]|<div[\s>]|<article[\s>]", re.IGNORECASE)


class HtmlError(Exception):
    """The page cannot be turned into text (no body, unparsable, too large)."""


@dataclass
class Extracted:
    """The body text trafilatura found and the page's metadata."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    #: The page's length when it was cut to the limit before parsing, else 0.
    cut_from: int = 0


@lru_cache(maxsize=4)
def _config(max_chars: int) -> Any:
    """trafilatura's settings: no signal-based timeout (workers are not the main thread),
    and no extensive date search, whose dateparser fallback loads every locale it
    knows (about 10 s the first time in a process) for a date the page's markup
    usually gives anyway."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max_chars * 4))
    return config


def extract(markup: str, url: str | None, max_chars: int, favor_precision: bool = False) -> Extracted:
    """Return the main text and metadata of ``markup``.

    Pages over ``max_chars`` are cut there before parsing (trafilatura and lxml
    run in linear time, so the cut bounds the time). Raises :class:`HtmlError`
    when nothing usable comes out.
    """
    import trafilatura

    cut_from = 0
    if len(markup) > max_chars:
        cut_from = len(markup)
        markup = markup[:max_chars]
    if not _BODY.search(markup):
        raise HtmlError("the page has no body (no <body>, <p>, <div> or <article> element)")
    config = _config(max_chars)
    try:
        # the quick pass: trafilatura's own extractor without its comparison with
        # readability and jusText, which costs about a third of its time and changes
        # the outcome only when its own text is short or has no paragraphs
        doc = _bare(trafilatura, markup, url, favor_precision, config, fast=True, with_metadata=True)
        data = _as_dict(doc)
        if _doubtful(doc, data.get("text") or ""):
            # the full cascade, for the text only (the metadata does not depend on it)
            full = _bare(trafilatura, markup, data.get("url") or url, favor_precision, config,
                         fast=False, with_metadata=doc is None)
            if doc is None:
                data = _as_dict(full)
            elif full is not None:
                data["text"] = _as_dict(full).get("text") or ""
    except (ValueError, TypeError, RecursionError) as exc:
        raise HtmlError(f"trafilatura could not parse the page: {type(exc).__name__}: {exc}") from exc
    text = data.get("text") or ""
    extractor = "trafilatura"
    if not text.strip():
        # trafilatura keeps nothing under a minimum size or without a main block (a
        # fragment such as "<p>...</p>"): take the page's own text, block by block,
        # and let the line cleaner judge it
        text = page_text(markup)
        extractor = "page-text"
        if not text.strip():
            raise HtmlError("no text in the page (trafilatura found no main text, and the page has none)")
    authors = data.get("author")
    meta = {
        "title": data.get("title") or None,
        "authors": [a.strip() for a in authors.split(";") if a.strip()] if authors else [],
        "date": data.get("date") or None,
        "site": data.get("sitename") or None,
        "url": data.get("url") or url,
        "extractor": extractor,
    }
    return Extracted(text=text, meta=meta, cut_from=cut_from)


#: trafilatura's quick pass is trusted when its text has at least this many
#: characters and paragraph text: below it (a fragment as likely as a short story)
#: the full cascade runs, whose comparison with readability replaces a text less
#: than half as long as readability's.
QUICK_MIN_CHARS = 1000


def _bare(trafilatura: Any, markup: str, url: str | None, favor_precision: bool, config: Any,
          *, fast: bool, with_metadata: bool) -> Any:
    return trafilatura.bare_extraction(
        markup,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        with_metadata=with_metadata,
        fast=fast,
        config=config,
    )


def _as_dict(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    return dict(doc.as_dict() if hasattr(doc, "as_dict") else doc)


def _doubtful(doc: Any, text: str) -> bool:
    """Whether the quick pass's outcome needs trafilatura's full cascade: nothing,
    a short text, no paragraph text, or more tables than paragraphs (the cases in
    which trafilatura's comparison can prefer readability's text)."""
    if doc is None or len(text) < QUICK_MIN_CHARS:
        return True
    body = getattr(doc, "body", None)
    if body is None:
        return False
    return not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p"))


_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
           "article", "header", "footer", "nav", "aside", "blockquote", "pre", "figure", "figcaption",
           "ul", "ol", "dl", "dt", "dd", "table", "main", "form", "title")


def page_text(markup: str) -> str:
    """Return the text of a whole page or fragment, one line per block element."""
    from lxml import etree
    from lxml import html as lhtml

    parser = lhtml.HTMLParser()
    try:
        root = lhtml.fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        root = None
    # libxml2 stops at its depth limit (256) and keeps nothing below it: a page with no
    # text above that depth says so, rather than "no text"
    deep = next((e.message.split(",")[0] for e in parser.error_log
                 if "Excessive depth" in e.message), None)
    if root is None:
        text = ""
    else:
        text = _blocks_text(root)
    if deep and not text.strip():
        raise HtmlError(f"the page nests its elements deeper than the HTML parser's limit "
                        f"(libxml2: {deep}); its text cannot be read")
    return text


def _blocks_text(root: Any) -> str:
    from lxml import etree

    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    return str(etree.tostring(root, method="text", encoding="unicode"))
